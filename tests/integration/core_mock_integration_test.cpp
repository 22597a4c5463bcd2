// The core end to end over real loopback HTTP: AuthClient + LoopbackTransport against the real
// mock server process. Secrets are never streamed into assertion messages.
#include <chrono>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/auth_client.hpp"
#include "core/system_clock.hpp"
#include "mock_server_process.hpp"
#include "native/loopback_transport.hpp"

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

}  // namespace
}  // namespace baanx
