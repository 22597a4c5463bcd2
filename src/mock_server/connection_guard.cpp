#include "mock_server/connection_guard.hpp"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <utility>

#include "mock_server/process_sockets.hpp"

namespace baanx::mock {
namespace {

using Clock = std::chrono::steady_clock;

// Bytes the connection has received so far, read by the server or not; 0 where the kernel does
// not say.
uint64_t BytesReceived(int socket) {
  tcp_info info{};
  socklen_t length = sizeof(info);
  if (getsockopt(socket, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
      length < offsetof(tcp_info, tcpi_bytes_received) + sizeof(info.tcpi_bytes_received)) {
    return 0;
  }
  return info.tcpi_bytes_received;
}

// Bytes that arrived and that no worker has read yet: a connection still waiting for a worker
// holds its whole request here, one whose worker waits on the client holds none.
int UnreadBytes(int socket) {
  int unread = 0;
  if (ioctl(socket, FIONREAD, &unread) != 0) return -1;
  return unread;
}

}  // namespace

ConnectionGuard::ConnectionGuard(ConnectionLimits limits) : limits_(limits) {}

ConnectionGuard::~ConnectionGuard() { Stop(); }

void ConnectionGuard::Start(int local_port, std::function<size_t()> waiting) {
  local_port_ = local_port;
  waiting_ = std::move(waiting);
  thread_ = std::thread([this] { Watch(); });
}

void ConnectionGuard::CloseIdleConnections() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    close_all_ = true;
  }
  wake_.notify_all();
}

void ConnectionGuard::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConnectionGuard::RequestStarted(int remote_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  in_handler_.insert(remote_port);
}

void ConnectionGuard::HeadersComplete(int remote_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  headers_complete_.insert(remote_port);
}

void ConnectionGuard::AnswerSent(int remote_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  in_handler_.erase(remote_port);
  headers_complete_.erase(remote_port);
  answered_[remote_port] = Clock::now();
}

void ConnectionGuard::Watch() {
  // Often enough that shedding frees workers well within a second, rarely enough to cost nothing
  // measurable: a scan is two system calls per open descriptor.
  const auto interval = std::clamp<std::chrono::milliseconds>(
      limits_.shed_after / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(50));
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval, [this] { return stopping_ || close_all_; });
    if (stopping_) break;
    const bool close_all = close_all_;
    lock.unlock();
    Scan(close_all);
    lock.lock();
    if (close_all) wake_.wait_for(lock, interval, [this] { return stopping_; });
  }
}

void ConnectionGuard::Scan(bool close_all) {
  const auto now = Clock::now();
  const bool crowded = waiting_ && waiting_() > 0;
  std::set<int> in_handler;
  std::set<int> headers_complete;
  std::map<int, Clock::time_point> answered;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_handler = in_handler_;
    headers_complete = headers_complete_;
    answered = answered_;
  }

  std::set<std::pair<int, int>> open;
  std::set<int> open_ports;
  for (const int socket : OpenDescriptors()) {
    const int remote_port = RemotePortOf(socket, local_port_);
    if (remote_port < 0) continue;
    open.emplace(socket, remote_port);
    open_ports.insert(remote_port);
    Connection& connection =
        connections_.try_emplace({socket, remote_port}, Connection{now, 0}).first->second;
    if (in_handler.count(remote_port) != 0) continue;
    const auto last_answer = answered.find(remote_port);
    if (last_answer != answered.end() && last_answer->second > connection.on_wire_since) {
      connection.on_wire_since = last_answer->second;
      connection.bytes_at_wire_start = BytesReceived(socket);
    }
    const auto on_wire = now - connection.on_wire_since;
    const uint64_t bytes = BytesReceived(socket);
    const bool overdue = on_wire > limits_.request_deadline;
    const uint64_t sent =
        bytes > connection.bytes_at_wire_start ? bytes - connection.bytes_at_wire_start : 0;
    const bool oversized = sent > limits_.max_request_bytes;
    // Only a request begun and stalled is shed. A connection idle since its last answer is left
    // to the keep-alive timeout the server announced: a client may reuse it until then, and
    // closing it early would fail that client's next request.
    // Seen twice in a row, so that a worker merely between reading a request and running its
    // handler (descheduled on a busy machine, say) is not taken for one waiting on its client.
    const bool sheddable = crowded && sent > 0 && on_wire > limits_.shed_after &&
                           headers_complete.count(remote_port) == 0 && UnreadBytes(socket) == 0;
    connection.stalled_scans = sheddable ? connection.stalled_scans + 1 : 0;
    const bool shed = connection.stalled_scans >= 2;
    // Shut down, not closed: the worker's next read fails and it closes the socket itself. The
    // ports are checked again because the descriptor may have been closed and reused meanwhile.
    if ((close_all || overdue || oversized || shed) &&
        RemotePortOf(socket, local_port_) == remote_port) {
      shutdown(socket, SHUT_RDWR);
    }
  }

  for (auto it = connections_.begin(); it != connections_.end();) {
    it = open.count(it->first) == 0 ? connections_.erase(it) : std::next(it);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = headers_complete_.begin(); it != headers_complete_.end();) {
    it = open_ports.count(*it) == 0 && in_handler_.count(*it) == 0 ? headers_complete_.erase(it)
                                                                   : std::next(it);
  }
  for (auto it = answered_.begin(); it != answered_.end();) {
    it =
        open_ports.count(it->first) == 0 && it->second <= now ? answered_.erase(it) : std::next(it);
  }
}

}  // namespace baanx::mock
