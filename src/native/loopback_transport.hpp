// A native Transport over real HTTP (cpp-httplib), for running the core end to end against the
// mock server outside a browser. Requests run on worker threads; their callbacks run on the thread
// that calls poll(), which stands in for the browser's event loop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/transport.hpp"

namespace baanx {

class LoopbackTransport final : public Transport {
 public:
  LoopbackTransport();
  ~LoopbackTransport() override;
  LoopbackTransport(const LoopbackTransport&) = delete;
  LoopbackTransport& operator=(const LoopbackTransport&) = delete;

  RequestId send(HttpRequest request, Callback callback) override;
  void cancel(RequestId id) override;

  // Delivers finished requests and expired timeouts, waiting up to maxWait for the first one.
  // Returns how many callbacks ran.
  int poll(std::chrono::milliseconds maxWait);
  bool idle() const;

 private:
  struct Request;
  // A request's thread, and whether it has returned (then joining it does not wait).
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  // The body of a request's thread: one blocking HTTP exchange, then finish().
  void run(RequestId id, Request& state, const std::string& path, HttpRequest& request);
  void finish(RequestId id, TransportResult result);
  // Runs body on a thread of its own, tracked in workers_ (joining the finished ones first).
  void spawn(baanx::Callback<void()> body);
  // Closes a cancelled or timed-out request's connection on a thread of its own: httplib's stop()
  // waits while the worker is still connecting (it holds the lock stop() needs), and the driving
  // thread must not wait for a server that never accepts.
  void stopInBackground(std::shared_ptr<Request> state);
  // Joins the threads of finished requests (on the calling thread: send() and poll() run on the
  // one thread that drives the transport), so that threads do not pile up over a long run.
  void reapWorkers();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<RequestId, TransportResult>> completed_;
  std::unordered_map<RequestId, std::shared_ptr<Request>> active_;
  std::vector<Worker> workers_;  // touched by the driving thread only
  RequestId nextId_ = 1;
};

}  // namespace baanx
