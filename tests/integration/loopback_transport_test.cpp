// LoopbackTransport's delivery of a batch: poll() gathers every request that finished or timed out,
// then runs their callbacks one after another. A callback may cancel a request later in the same
// batch, or destroy the client that owns it; the later callback must then follow cancel()'s
// contract (kAborted, once) and never run on the destroyed client.
#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/auth_client.hpp"
#include "core/json.hpp"
#include "core/system_clock.hpp"
#include "native/loopback_transport.hpp"
#include "silent_port.hpp"

namespace baanx {
namespace {

using nlohmann::json;

constexpr std::int64_t kTimeoutMs = 20;

}  // namespace

// Named in assertion messages instead of as raw bytes.
void PrintTo(TransportFailure failure, std::ostream* os) {
  static const char* const kNames[] = {"kNetwork", "kTimeout", "kAborted", "kResponseTooLarge"};
  *os << kNames[static_cast<int>(failure)];
}
void PrintTo(ErrorCode code, std::ostream* os) { *os << errorCodeName(code); }

namespace {

std::string silentUrl(const testing::SilentPort& port) {
  return "http://127.0.0.1:" + std::to_string(port.port()) + "/";
}

// Waits until both requests are past their deadline, so that one poll() takes both in one batch.
void waitPastDeadlines() {
  std::this_thread::sleep_for(std::chrono::milliseconds(10 * kTimeoutMs));
}

std::optional<TransportFailure> failureOf(const TransportResult& result) {
  if (const auto* failure = std::get_if<TransportFailure>(&result)) return *failure;
  return std::nullopt;
}

TEST(LoopbackTransportBatch, CallbackCancellingALaterRequestOfTheBatchAbortsIt) {
  testing::SilentPort silent;
  ASSERT_NE(silent.port(), 0);
  LoopbackTransport transport;
  HttpRequest request;
  request.method = "POST";
  request.url = silentUrl(silent) + "v1/auth/login";
  request.timeoutMs = kTimeoutMs;

  Transport::RequestId ids[2] = {0, 0};
  std::vector<std::optional<TransportFailure>> heard[2];
  for (int i = 0; i < 2; ++i) {
    ids[i] = transport.send(request, [&, i](const TransportResult& result) {
      heard[i].push_back(failureOf(result));
      if (heard[1 - i].empty()) transport.cancel(ids[1 - i]);  // the first one cancels the other
    });
  }
  waitPastDeadlines();
  transport.poll(std::chrono::milliseconds(0));
  transport.poll(std::chrono::milliseconds(0));  // a second callback for either would show here

  ASSERT_EQ(heard[0].size(), 1U);
  ASSERT_EQ(heard[1].size(), 1U);
  const int first = heard[0].front() == TransportFailure::kTimeout ? 0 : 1;
  EXPECT_EQ(heard[first].front(), TransportFailure::kTimeout);
  EXPECT_EQ(heard[1 - first].front(), TransportFailure::kAborted);
  EXPECT_TRUE(transport.idle());
}

// The client's destructor cancels its calls; a cancel that missed the batch would leave the second
// callback to run on the freed client, which ASan reports as a heap-use-after-free.
TEST(LoopbackTransportBatch, ClientDestroyedByAnEarlierCompletionIsNotCalledBack) {
  testing::SilentPort silent;
  ASSERT_NE(silent.port(), 0);
  LoopbackTransport transport;
  SystemClock clock;
  auto created = AuthClient::create(
      {{"baseUrl", silentUrl(silent)}, {"clientKey", "test-key"}, {"timeoutMs", kTimeoutMs}},
      transport, clock);
  ASSERT_TRUE(created.ok());
  std::unique_ptr<AuthClient> client = std::move(created).value();

  std::vector<ErrorCode> heard;
  const auto onLogin = [&](Result<LoginResult> result) {
    heard.push_back(result.ok() ? ErrorCode::kHttpError : result.error().code);
    client.reset();  // the app drops its client from inside a completion
  };
  client->login({{"email", "first@example.com"}, {"password", "not-a-real-password"}}, nullptr,
                onLogin);
  client->login({{"email", "second@example.com"}, {"password", "not-a-real-password"}}, nullptr,
                onLogin);
  waitPastDeadlines();
  transport.poll(std::chrono::milliseconds(0));
  transport.poll(std::chrono::milliseconds(0));

  // The first completion times out; destroying the client aborts the other call, once.
  ASSERT_EQ(heard.size(), 2U);
  EXPECT_EQ(heard[0], ErrorCode::kTimeout);
  EXPECT_EQ(heard[1], ErrorCode::kAborted);
  EXPECT_TRUE(transport.idle());
}

}  // namespace
}  // namespace baanx
