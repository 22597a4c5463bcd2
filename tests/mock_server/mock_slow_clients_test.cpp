// Slow and greedy clients: a request trickling in is cut off at a total deadline, however often
// its bytes come; slow clients beyond the workers do not stop others being served; the header
// section is bounded in count and size; the line of connections waiting for a worker is bounded.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "mock_server/worker_pool.hpp"
#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Whether the server has closed the connection (EOF, reset, or an answer it then closes on).
bool ClosedByServer(int fd, milliseconds wait) {
  pollfd poll_fd{fd, POLLIN, 0};
  if (::poll(&poll_fd, 1, static_cast<int>(wait.count())) <= 0) return false;
  char buffer[512];
  ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);  // an answer or the end: either way it is over
  return true;
}

constexpr const char* kEndlessHeader = "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nX-Slow: ";

// Sends kEndlessHeader, then one more byte every `interval`, until the server closes the
// connection or `limit` passes. Returns how long the connection lasted, or nullopt if it outlived
// the limit.
std::optional<milliseconds> DribbleUntilClosed(int port, milliseconds interval,
                                               milliseconds limit) {
  const int fd = Connect(port);
  if (fd < 0) return milliseconds(0);
  const auto start = Clock::now();
  ::send(fd, kEndlessHeader, std::strlen(kEndlessHeader), MSG_NOSIGNAL);
  std::optional<milliseconds> lasted;
  while (Clock::now() - start < limit) {
    if (ClosedByServer(fd, interval) || ::send(fd, "a", 1, MSG_NOSIGNAL) != 1) {
      lasted = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
      break;
    }
  }
  ::close(fd);
  return lasted;
}

// `count` connections that each send one more header byte every `interval` until stopped,
// all from one thread. Connections the server closes are not reopened.
class SlowLoris {
 public:
  SlowLoris(int port, int count, milliseconds interval) {
    for (int i = 0; i < count; ++i) {
      const int fd = Connect(port);
      if (fd < 0) continue;
      fds_.push_back(fd);
      ::send(fd, kEndlessHeader, std::strlen(kEndlessHeader), MSG_NOSIGNAL);
    }
    thread_ = std::thread([this, interval] {
      while (!stop_) {
        std::this_thread::sleep_for(interval);
        for (const int fd : fds_) ::send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      }
    });
  }
  ~SlowLoris() {
    stop_ = true;
    thread_.join();
    for (const int fd : fds_) ::close(fd);
  }
  size_t opened() const { return fds_.size(); }

 private:
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class MockSlowClients : public MockServerTest {
 protected:
  static ServerOptions SmallServer() {
    ServerOptions options = TestOptions();
    options.limits.request_deadline = milliseconds(1000);
    options.limits.worker_threads = 4;
    options.limits.max_waiting_connections = 16;
    return options;
  }
};

TEST_F(MockSlowClients, RequestTricklingInIsCutAtTheTotalDeadline) {
  Restart(SmallServer());
  // A byte every 200 ms keeps a per-read timeout (1 s here) from ever firing.
  const auto lasted = DribbleUntilClosed(port(), milliseconds(200), milliseconds(5000));
  ASSERT_TRUE(lasted.has_value()) << "the server kept a trickling request open for 5 s";
  EXPECT_GE(lasted->count(), 900);
  EXPECT_LE(lasted->count(), 2000);
  EXPECT_EQ(Login(kGraceEmail).status, 200);
}

TEST_F(MockSlowClients, IdleKeepAliveConnectionIsClosedAtTheTotalDeadline) {
  ServerOptions options = SmallServer();
  options.io_timeout_s = 30;  // so that only the total deadline can close it
  Restart(options);
  const int fd = Connect(port());
  ASSERT_GE(fd, 0);
  const auto start = Clock::now();
  EXPECT_TRUE(ClosedByServer(fd, milliseconds(5000))) << "an idle connection outlived 5 s";
  EXPECT_LE(Clock::now() - start, milliseconds(2000));
  ::close(fd);
}

TEST_F(MockSlowClients, SlowClientsBeyondTheWorkersDoNotStopALogin) {
  Restart(SmallServer());
  SlowLoris slow(port(), 12, milliseconds(100));  // three times the workers
  ASSERT_EQ(slow.opened(), 12u);
  std::this_thread::sleep_for(milliseconds(300));
  for (int i = 0; i < 3; ++i) {
    const auto start = Clock::now();
    EXPECT_EQ(Login(kGraceEmail).status, 200) << "login " << i;
    EXPECT_LT(Clock::now() - start, milliseconds(1000)) << "login " << i;
  }
}

TEST_F(MockSlowClients, ARequestThatNeverEndsIsCutAfterItsByteLimit) {
  Restart(SmallServer());
  const int fd = Connect(port());
  ASSERT_GE(fd, 0);
  const std::string line = "X-Filler: " + std::string(50, 'f') + "\r\n";
  ::send(fd, kEndlessHeader, std::strlen(kEndlessHeader), MSG_NOSIGNAL);
  ::send(fd, "x\r\n", 3, MSG_NOSIGNAL);
  // Far more than any request may hold; the socket buffers absorb a few megabytes at most.
  size_t sent = 0;
  bool closed = false;
  const auto start = Clock::now();
  while (sent < size_t{32} * 1024 * 1024 && Clock::now() - start < milliseconds(900)) {
    const ssize_t n = ::send(fd, line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (ClosedByServer(fd, milliseconds(5))) {
        closed = true;
        break;
      }
      continue;
    }
    if (n <= 0) {
      closed = true;
      break;
    }
    sent += static_cast<size_t>(n);
  }
  ::close(fd);
  EXPECT_TRUE(closed) << "the server read " << sent << " bytes of header and still listened";
}

TEST_F(MockSlowClients, TooManyHeadersGet431) {
  std::string request =
      "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nx-client-key: demo-client-key\r\n"
      "Content-Type: application/json\r\nContent-Length: 2\r\n";
  for (int i = 0; i < 60; ++i) request += "X-H" + std::to_string(i) + ": v\r\n";
  const std::string allowed = request + "\r\n{}";
  const RawExchange accepted = RawRequest(port(), allowed);
  EXPECT_EQ(accepted.received.rfind("HTTP/1.1 400", 0), 0u) << accepted.received.substr(0, 80);
  const RawExchange refused = RawRequest(port(), request + "X-One-Too-Many: v\r\n\r\n{}");
  EXPECT_EQ(refused.received.rfind("HTTP/1.1 431", 0), 0u) << refused.received.substr(0, 80);
  EXPECT_NE(refused.received.find("Request header fields too large"), std::string::npos);
  EXPECT_EQ(Login(kGraceEmail).status, 200);
}

TEST_F(MockSlowClients, OversizedHeaderSectionGets431) {
  std::string request = "GET /__mock/sms HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5; ++i)
    request += "X-Big" + std::to_string(i) + ": " + std::string(4000, 'b') + "\r\n";
  const RawExchange exchange = RawRequest(port(), request + "\r\n");
  EXPECT_EQ(exchange.received.rfind("HTTP/1.1 431", 0), 0u) << exchange.received.substr(0, 80);
}

TEST(MockWorkQueue, PushWaitsWhileTheLineIsFull) {
  auto queue = std::make_shared<WorkQueue>(2);
  queue->Push([] {});
  queue->Push([] {});
  std::atomic<bool> third_in{false};
  std::thread pusher([&] {
    queue->Push([] {});
    third_in = true;
  });
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_FALSE(third_in) << "a third job joined a line of two";
  EXPECT_EQ(queue->Waiting(), 3u) << "the held-back connection is not counted as waiting";
  queue->Pop();
  pusher.join();
  EXPECT_TRUE(third_in);
  EXPECT_EQ(queue->Waiting(), 2u);
}

TEST(MockWorkQueue, ReleaseLetsAStoppingServerQueuePastTheLimit) {
  auto queue = std::make_shared<WorkQueue>(1);
  queue->Push([] {});
  std::thread pusher([&] { queue->Push([] {}); });
  std::this_thread::sleep_for(milliseconds(50));
  queue->Release();
  pusher.join();
  EXPECT_EQ(queue->Waiting(), 2u);
}

TEST(MockWorkQueue, PoolRunsEveryJobBeforeShuttingDown) {
  auto queue = std::make_shared<WorkQueue>(64);
  std::atomic<int> ran{0};
  {
    WorkerPool pool(queue, 2);
    for (int i = 0; i < 50; ++i) pool.enqueue([&] { ++ran; });
    pool.shutdown();
  }
  EXPECT_EQ(ran, 50);
}

}  // namespace
}  // namespace baanx::mock::testing
