// Bounds what a slow or hostile client can hold. httplib 0.11 serves each connection on one worker
// and times out each read on its own, so a client that sends a byte now and then keeps its worker
// for ever. Its public API has no total deadline, and no handler sees a connection before its
// headers are complete, so the guard watches the server's sockets from outside: it finds them
// among the process's descriptors (the server binds one loopback address) and shuts down those
// that overstay. A connection is "on the wire" from its opening, or from its previous answer,
// until its next request is complete (headers and body); only that time is bounded. Time spent in
// a handler (a delay fault, say) is not.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

namespace baanx::mock {

struct ConnectionLimits {
  // How long a connection may stay on the wire: to send a whole request, or to sit idle between
  // keep-alive requests, however its bytes trickle in.
  std::chrono::milliseconds request_deadline{10'000};
  // While connections wait for a worker: how long a request may stay incomplete, with its worker
  // waiting on the client, before the connection is closed to free that worker.
  std::chrono::milliseconds shed_after{250};
  // How many bytes a connection may send while on the wire: request line, headers and body.
  size_t max_request_bytes = size_t{96} * 1024;
  size_t worker_threads = 32;
  // Accepted connections waiting for a worker; when the line is full, accepting pauses.
  size_t max_waiting_connections = 128;
  // Beyond these a request is refused with 431.
  size_t max_header_count = 64;
  size_t max_header_bytes = size_t{16} * 1024;  // names and values together
};

class ConnectionGuard {
 public:
  explicit ConnectionGuard(ConnectionLimits limits);
  ~ConnectionGuard();  // stops the watch

  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // Watches the connections to local_port; waiting() tells how many wait for a worker.
  void Start(int local_port, std::function<size_t()> waiting);
  // From now on every connection not in a handler is closed at once, so a stopping server does
  // not wait for slow clients. Then call Stop once the server has stopped.
  void CloseIdleConnections();
  void Stop();

  // The request's headers are in: from here on the connection is not shed, only bounded by the
  // deadline (a worker that has parsed the headers is about to reach the handler, not waiting).
  void HeadersComplete(int remote_port);
  // The request of this connection is complete and a handler runs.
  void RequestStarted(int remote_port);
  // The answer has been written; the connection is back on the wire.
  void AnswerSent(int remote_port);

 private:
  struct Connection {
    std::chrono::steady_clock::time_point on_wire_since;
    uint64_t bytes_at_wire_start = 0;
    int stalled_scans = 0;  // consecutive scans that found it sheddable
  };

  void Watch();
  void Scan(bool close_all);

  const ConnectionLimits limits_;
  int local_port_ = 0;
  std::function<size_t()> waiting_;
  std::thread thread_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool close_all_ = false;
  // Connections now in a handler, and when each last had its answer written, by remote port.
  std::set<int> in_handler_;
  std::set<int> headers_complete_;
  std::map<int, std::chrono::steady_clock::time_point> answered_;

  // Only the watching thread touches this: by descriptor and remote port.
  std::map<std::pair<int, int>, Connection> connections_;
};

}  // namespace baanx::mock
