// A native Transport over real HTTP (cpp-httplib), for running the core end to end against the
// mock server outside a browser. Requests run on worker threads; their callbacks run on the thread
// that calls poll(), which stands in for the browser's event loop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

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

  void finish(RequestId id, TransportResult result);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<RequestId, TransportResult>> completed_;
  std::unordered_map<RequestId, std::shared_ptr<Request>> active_;
  std::vector<std::thread> workers_;
  RequestId nextId_ = 1;
};

}  // namespace baanx
