// The core end to end over real loopback HTTP: AuthClient + LoopbackTransport against the real
// mock server process. Secrets are never streamed into assertion messages.
#include <dirent.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "core/auth_client.hpp"
#include "core/json.hpp"
#include "core/system_clock.hpp"
#include "mock_server_process.hpp"
#include "native/loopback_transport.hpp"
#include "silent_port.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BAANX_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define BAANX_ASAN 1
#endif
#ifdef BAANX_ASAN
#include <sanitizer/allocator_interface.h>
#endif

namespace baanx {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kPassword = "Demo-Passw0rd!";
constexpr const char* kClientKey = "demo-client-key";

class CoreAgainstMock : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.running()) << "the mock server did not start";
    client_ = makeClient({});
    ASSERT_NE(client_, nullptr);
  }

  std::unique_ptr<AuthClient> makeClient(const json& overrides) {
    json config = {{"baseUrl", server_.baseUrl()}, {"clientKey", kClientKey}};
    if (overrides.is_object()) config.update(overrides);
    auto created = AuthClient::create(config, transport_, clock_);
    return created ? std::move(created).value() : nullptr;
  }

  // Runs the event loop until the call completes; counts completions to prove exactly-once.
  template <typename T, typename Start>
  std::optional<Result<T>> drive(Start start) {
    std::optional<Result<T>> outcome;
    int completions = 0;
    start([&](Result<T> result) {
      ++completions;
      outcome.emplace(std::move(result));
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!outcome && std::chrono::steady_clock::now() < deadline)
      transport_.poll(std::chrono::milliseconds(50));
    // Let any stray second completion surface before judging.
    transport_.poll(std::chrono::milliseconds(20));
    EXPECT_EQ(completions, 1);
    return outcome;
  }

  std::optional<Result<LoginResult>> login(const json& input, const json& options = nullptr,
                                           AuthClient* client = nullptr) {
    AuthClient& target = client != nullptr ? *client : *client_;
    return drive<LoginResult>([&](auto done) { target.login(input, options, done); });
  }

  std::optional<Result<SendOtpResult>> sendOtp(const std::string& userId,
                                               AuthClient* client = nullptr) {
    AuthClient& target = client != nullptr ? *client : *client_;
    return drive<SendOtpResult>([&](auto done) {
      target.sendOtp({{"userId", userId}}, nullptr, done);
    });
  }

  json hook(const std::string& path, const json& body) {
    httplib::Client http("127.0.0.1", server_.port());
    auto response = http.Post(path.c_str(), body.dump(), "application/json");
    EXPECT_TRUE(response && response->status == 200) << "hook " << path << " failed";
    return response ? json::parse(response->body, nullptr, false) : json();
  }

  std::string mockPhoneCode(const std::string& userId) {
    httplib::Client http("127.0.0.1", server_.port());
    auto response = http.Get(("/__mock/otp?userId=" + userId).c_str());
    if (!response || response->status != 200) return "";
    return json::parse(response->body, nullptr, false).value("code", "");
  }

  static json credentials(const std::string& email) {
    return {{"email", email}, {"password", kPassword}};
  }

  testing::MockServerProcess server_;
  LoopbackTransport transport_;
  SystemClock clock_;
  std::unique_ptr<AuthClient> client_;
};

ErrorCode codeOf(const std::optional<Result<LoginResult>>& outcome) {
  return outcome && !outcome->ok() ? outcome->error().code : ErrorCode::kHttpError;
}

TEST_F(CoreAgainstMock, UserWithoutOtpIsAuthenticated) {
  auto outcome = login(credentials("grace@example.com"));
  ASSERT_TRUE(outcome && outcome->ok());
  const auto* session = std::get_if<Authenticated>(&outcome->value());
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->accessToken.rfind("US_", 0), 0u);
  EXPECT_EQ(session->verificationState, "VERIFIED");
  ASSERT_TRUE(client_->session().has_value());
  EXPECT_EQ(client_->session()->userId, session->userId);
}

TEST_F(CoreAgainstMock, OtpFlowThroughTheMockPhone) {
  auto first = login(credentials("ada@example.com"));
  ASSERT_TRUE(first && first->ok());
  const auto* otp = std::get_if<OtpRequired>(&first->value());
  ASSERT_NE(otp, nullptr);
  EXPECT_EQ(otp->phoneNumber.value_or(""), "+445*****225");
  EXPECT_FALSE(client_->session().has_value());

  auto sent = sendOtp(otp->userId);
  ASSERT_TRUE(sent && sent->ok());
  const std::string code = mockPhoneCode(otp->userId);
  ASSERT_EQ(code.size(), 6u);

  json withCode = credentials("ada@example.com");
  withCode["otpCode"] = code;
  auto second = login(withCode);
  ASSERT_TRUE(second && second->ok());
  EXPECT_TRUE(std::holds_alternative<Authenticated>(second->value()));
  EXPECT_TRUE(client_->session().has_value());
}

TEST_F(CoreAgainstMock, UnfinishedOnboardingReportsPhase) {
  auto outcome = login(credentials("linus@example.com"));
  ASSERT_TRUE(outcome && outcome->ok());
  const auto* onboarding = std::get_if<OnboardingRequired>(&outcome->value());
  ASSERT_NE(onboarding, nullptr);
  EXPECT_EQ(onboarding->phase, "PHONE_NUMBER");
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(CoreAgainstMock, DisabledAccountIsReported) {
  auto outcome = login(credentials("mallory@example.com"));
  EXPECT_EQ(codeOf(outcome), ErrorCode::kAccountDisabled);
}

TEST_F(CoreAgainstMock, WrongPasswordIsInvalidCredentials) {
  auto outcome = login({{"email", "grace@example.com"}, {"password", "Wrong-Passw0rd!"}});
  ASSERT_EQ(codeOf(outcome), ErrorCode::kInvalidCredentials);
  EXPECT_EQ(outcome->error().status, 401);
  EXPECT_EQ(outcome->error().message.find("Wrong-Passw0rd!"), std::string::npos);
}

TEST_F(CoreAgainstMock, WrongCodeIsInvalidOtp) {
  auto first = login(credentials("ada@example.com"));
  ASSERT_TRUE(first && first->ok());
  const std::string userId = std::get<OtpRequired>(first->value()).userId;
  ASSERT_TRUE(sendOtp(userId)->ok());
  const std::string code = mockPhoneCode(userId);
  json withCode = credentials("ada@example.com");
  withCode["otpCode"] = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(codeOf(login(withCode)), ErrorCode::kInvalidOtp);
}

TEST_F(CoreAgainstMock, ExpiredCodeIsOtpExpired) {
  auto first = login(credentials("ada@example.com"));
  ASSERT_TRUE(first && first->ok());
  const std::string userId = std::get<OtpRequired>(first->value()).userId;
  ASSERT_TRUE(sendOtp(userId)->ok());
  json withCode = credentials("ada@example.com");
  withCode["otpCode"] = mockPhoneCode(userId);
  hook("/__mock/clock", {{"advanceMs", 301000}});
  EXPECT_EQ(codeOf(login(withCode)), ErrorCode::kOtpExpired);
}

TEST_F(CoreAgainstMock, ClientCooldownRefusesResendWithoutSending) {
  auto first = login(credentials("ada@example.com"));
  ASSERT_TRUE(first && first->ok());
  const std::string userId = std::get<OtpRequired>(first->value()).userId;
  ASSERT_TRUE(sendOtp(userId)->ok());
  const std::string code = mockPhoneCode(userId);
  auto again = sendOtp(userId);
  ASSERT_TRUE(again && !again->ok());
  EXPECT_EQ(again->error().code, ErrorCode::kResendCooldown);
  ASSERT_TRUE(again->error().retryAfterMs.has_value());
  EXPECT_GT(*again->error().retryAfterMs, 55000);
  EXPECT_EQ(mockPhoneCode(userId), code) << "a refused resend must not reach the server";
}

TEST_F(CoreAgainstMock, ServerResendLimitIsRateLimitedWithRetryAfter) {
  auto eager = makeClient({{"resendCooldownMs", 0}});
  auto first = login(credentials("ada@example.com"), nullptr, eager.get());
  ASSERT_TRUE(first && first->ok());
  const std::string userId = std::get<OtpRequired>(first->value()).userId;
  ASSERT_TRUE(sendOtp(userId, eager.get())->ok());
  auto again = sendOtp(userId, eager.get());
  ASSERT_TRUE(again && !again->ok());
  EXPECT_EQ(again->error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(again->error().status, 429);
  ASSERT_TRUE(again->error().retryAfterMs.has_value());
  EXPECT_GT(*again->error().retryAfterMs, 0);
}

TEST_F(CoreAgainstMock, LogoutRevokesAndClearsTheSession) {
  ASSERT_TRUE(login(credentials("grace@example.com"))->ok());
  ASSERT_TRUE(client_->session().has_value());
  auto outcome = drive<LogoutResult>([&](auto done) { client_->logout(nullptr, done); });
  ASSERT_TRUE(outcome && outcome->ok());
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(CoreAgainstMock, WrongClientKeyIsInvalidClientKey) {
  auto wrongKey = makeClient({{"clientKey", "not-the-key"}});
  EXPECT_EQ(codeOf(login(credentials("grace@example.com"), nullptr, wrongKey.get())),
            ErrorCode::kInvalidClientKey);
}

TEST_F(CoreAgainstMock, SlowAnswerTimesOut) {
  hook("/__mock/fault", {{"path", "/v1/auth/login"}, {"kind", "delay"}, {"delayMs", 1500}});
  auto outcome = login(credentials("grace@example.com"), {{"timeoutMs", 300}});
  ASSERT_EQ(codeOf(outcome), ErrorCode::kTimeout);
  EXPECT_EQ(outcome->error().status, 0);
}

TEST_F(CoreAgainstMock, ClosedPortIsNetworkError) {
  auto nowhere = makeClient({{"baseUrl", "http://127.0.0.1:9/"}});
  EXPECT_EQ(codeOf(login(credentials("grace@example.com"), nullptr, nowhere.get())),
            ErrorCode::kNetwork);
}

TEST_F(CoreAgainstMock, DroppedConnectionIsNetworkError) {
  hook("/__mock/fault", {{"path", "/v1/auth/login"}, {"kind", "drop"}});
  EXPECT_EQ(codeOf(login(credentials("grace@example.com"))), ErrorCode::kNetwork);
}

TEST_F(CoreAgainstMock, HtmlGatewayErrorIsServerError) {
  hook("/__mock/fault", {{"path", "/v1/auth/login"}, {"kind", "html_5xx"}, {"status", 502}});
  auto outcome = login(credentials("grace@example.com"));
  ASSERT_EQ(codeOf(outcome), ErrorCode::kServerError);
  EXPECT_EQ(outcome->error().status, 502);
}

TEST_F(CoreAgainstMock, TruncatedJsonIsInvalidResponse) {
  hook("/__mock/fault", {{"path", "/v1/auth/login"}, {"kind", "truncated_json"}});
  EXPECT_EQ(codeOf(login(credentials("grace@example.com"))), ErrorCode::kInvalidResponse);
}

TEST_F(CoreAgainstMock, AbortedCallCompletesOnceWithAborted) {
  hook("/__mock/fault", {{"path", "/v1/auth/login"}, {"kind", "delay"}, {"delayMs", 2000}});
  auto outcome = drive<LoginResult>([&](auto done) {
    auto id = client_->login(credentials("grace@example.com"), nullptr, done);
    client_->abort(id);
  });
  ASSERT_EQ(codeOf(outcome), ErrorCode::kAborted);
}

// Bytes the allocator has handed out and not taken back.
std::size_t heapBytesInUse() {
#ifdef BAANX_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  return mallinfo2().uordblks;
#endif
}

int threadCount() {
  int count = 0;
  if (DIR* tasks = opendir("/proc/self/task")) {
    while (const dirent* entry = readdir(tasks)) count += entry->d_name[0] != '.';
    closedir(tasks);
  }
  return count;
}

// 10,000 calls of every kind (the three login results, refused credentials, bad input that never
// reaches the network, aborts, timeouts, resends inside the cooldown, logouts), twenty at a time.
// Every call completes exactly once; afterwards the heap holds no more than after the first 100
// calls (within 64 KiB) and no request thread is left. In the ASan build LeakSanitizer also
// checks, at exit, that nothing was lost.
TEST_F(CoreAgainstMock, TenThousandMixedCallsLeaveNothingBehind) {
  testing::SilentPort silent;
  ASSERT_NE(silent.port(), 0);
  auto stalled = makeClient(
      {{"baseUrl", "http://127.0.0.1:" + std::to_string(silent.port()) + "/"}, {"timeoutMs", 25}});
  ASSERT_NE(stalled, nullptr);
  const int threadsBefore = threadCount();

  constexpr int kCalls = 10000;
  constexpr int kBatch = 20;
  std::map<std::string, int> outcomes;  // "ok:authenticated", "error:timeout", ...
  int completions = 0;
  int started = 0;
  std::size_t heapAfter100 = 0;

  const auto record = [&](const std::string& what) {
    ++completions;
    ++outcomes[what];
  };
  const auto recordError = [&](const Error& error) {
    record("error:" + std::string(errorCodeName(error.code)));
  };
  const auto onLogin = [&](Result<LoginResult> result) {
    if (!result.ok()) return recordError(result.error());
    if (std::holds_alternative<Authenticated>(result.value())) return record("ok:authenticated");
    if (std::holds_alternative<OtpRequired>(result.value())) return record("ok:otp_required");
    record("ok:onboarding_required");
  };
  const auto onSend = [&](Result<SendOtpResult> result) {
    if (!result.ok()) return recordError(result.error());
    record("ok:sent");
  };
  const auto onLogout = [&](Result<LogoutResult> result) {
    if (!result.ok()) return recordError(result.error());
    record("ok:logout");
  };

  const auto start = [&](int i) {
    switch (i % 10) {
      case 0:
      case 1:
        client_->login(credentials("grace@example.com"), nullptr, onLogin);
        break;
      case 2:
        client_->login(credentials("ada@example.com"), nullptr, onLogin);
        break;
      case 3:
        client_->login(credentials("linus@example.com"), nullptr, onLogin);
        break;
      case 4:
        client_->login(credentials("nobody@example.com"), nullptr, onLogin);
        break;
      case 5:
        client_->login({{"email", "not-an-email"}, {"password", kPassword}}, nullptr, onLogin);
        break;
      case 6:
        client_->abort(
            client_->login(credentials("grace@example.com"), {{"timeoutMs", 5000}}, onLogin));
        break;
      case 7:
        stalled->login(credentials("grace@example.com"), nullptr, onLogin);
        break;
      case 8:
        client_->sendOtp({{"userId", "9979782e-bfa2-42ed-9dee-c76eab6a6326"}}, nullptr, onSend);
        break;
      default:
        client_->logout(nullptr, onLogout);
        break;
    }
  };

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (started < kCalls && std::chrono::steady_clock::now() < deadline) {
    const int batchEnd = std::min(kCalls, started + kBatch);
    for (; started < batchEnd; ++started) start(started);
    while (completions < started && std::chrono::steady_clock::now() < deadline)
      transport_.poll(std::chrono::milliseconds(50));
    if (started == 100) heapAfter100 = heapBytesInUse();
  }
  transport_.poll(std::chrono::milliseconds(20));  // a stray second completion would show here

  ASSERT_EQ(started, kCalls) << "the run did not finish in time";
  EXPECT_EQ(completions, kCalls);
  EXPECT_TRUE(transport_.idle());
  for (const char* expected :
       {"ok:authenticated", "ok:otp_required", "ok:onboarding_required", "ok:sent", "ok:logout",
        "error:invalid_credentials", "error:invalid_argument", "error:aborted", "error:timeout",
        "error:resend_cooldown"})
    EXPECT_GT(outcomes[expected], 0) << expected << " never happened";
  std::string summary;
  for (const auto& [what, count] : outcomes) summary += " " + what + "=" + std::to_string(count);
  // Threads of requests to the silent port end on their own connect timeout (timeoutMs + 1 s);
  // poll() joins them as they finish.
  const auto settle = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (threadCount() > threadsBefore && std::chrono::steady_clock::now() < settle)
    transport_.poll(std::chrono::milliseconds(50));
  const std::size_t heapAfterAll = heapBytesInUse();
  std::cout << "[ leaks    ] outcomes:" << summary << "\n"
            << "[ leaks    ] heap in use after 100 calls: " << heapAfter100
            << " B, after 10,000: " << heapAfterAll << " B; threads " << threadsBefore
            << " before, " << threadCount() << " after\n";
  EXPECT_LE(heapAfterAll, heapAfter100 + 64 * 1024);
  EXPECT_LE(threadCount(), threadsBefore);
}

}  // namespace
}  // namespace baanx
