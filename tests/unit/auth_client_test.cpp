#include "core/auth_client.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "fake_transport.hpp"
#include "test_support.hpp"

namespace baanx {
namespace {

using fakes::contains;
using fakes::describe;
using fakes::FakeClock;
using fakes::FakeTransport;
using fakes::hasHeader;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr std::int64_t kStartMs = 1700000000000;
constexpr std::int64_t kSixHoursMs = 6LL * 3600 * 1000;
constexpr const char* kClientKey = "ck_live_7Hq2ZxVb9Lm4";
constexpr const char* kEmail = "ada@example.com";
constexpr const char* kPassword = "Tr0ub4dor&3-horse";
constexpr const char* kOtpCode = "482913";
constexpr const char* kToken = "US_b6b9168a-7c1e-4f0a-9d2b-3e4f5a6b7c8d";
constexpr const char* kUserId = "b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9";
constexpr const char* kUserIdUpper = "B6B9168C-BB56-4C6A-9C0D-4650EA74F5F9";
constexpr const char* kOtherUserId = "0f8fad5b-d9cb-469f-a165-70867728950e";

// A login answer shaped like the documented examples of baanx-api.md.
std::string loginBody(bool otpRequired, json phase = nullptr) {
  return json{{"accessToken", kToken},
              {"userId", kUserId},
              {"isOtpRequired", otpRequired},
              {"phoneNumber", otpRequired ? json("+445*****225") : json()},
              {"phase", std::move(phase)},
              {"verificationState", "VERIFIED"},
              {"isLinked", false}}
      .dump();
}

const std::string kAuthenticatedBody = loginBody(false);
const std::string kOtpRequiredBody = loginBody(true);
const std::string kOnboardingBody = loginBody(false, "PHONE_NUMBER");
constexpr const char* kSuccessBody = R"({"success":true})";

std::string messageBody(const std::string& message) { return json{{"message", message}}.dump(); }

// Records what a completion was called with, and how often. The state is shared with the
// callback, so a completion that runs after the test body (as the client is destroyed) is safe.
template <typename T>
class Recorder {
 public:
  AuthClient::Completion<T> callback() const {
    return [state = state_](Result<T> result) {
      ++state->calls;
      state->result.emplace(std::move(result));
    };
  }

  int calls() const { return state_->calls; }
  bool ok() const { return state_->result.has_value() && state_->result->ok(); }

  const T& value() const {
    static const T kNone{};
    if (!ok()) {
      ADD_FAILURE() << "the call has not succeeded";
      return kNone;
    }
    return state_->result->value();
  }

  const Error& error() const {
    static const Error kNone{};
    if (!state_->result.has_value() || state_->result->ok()) {
      ADD_FAILURE() << "the call has not failed";
      return kNone;
    }
    return state_->result->error();
  }

 private:
  struct State {
    int calls = 0;
    std::optional<Result<T>> result;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

json config() { return {{"baseUrl", "https://dev.api.baanx.com"}, {"clientKey", kClientKey}}; }

json credentials() { return {{"email", kEmail}, {"password", kPassword}}; }

json credentialsWithCode() {
  json input = credentials();
  input["otpCode"] = kOtpCode;
  return input;
}

json otpInput(const char* userId = kUserId) { return {{"userId", userId}}; }

class AuthClientTest : public ::testing::Test {
 protected:
  void SetUp() override { makeClient(config()); }

  void makeClient(const json& cfg) {
    client_.reset();
    auto created = AuthClient::create(cfg, transport_, clock_);
    ASSERT_TRUE(created.ok()) << describe(created.error());
    client_ = std::move(created).value();
  }

  // Logs in against the fake and answers with the documented no-OTP body.
  void signIn() {
    Recorder<LoginResult> login;
    client_->login(credentials(), json(), login.callback());
    transport_.respond(200, kAuthenticatedBody);
    ASSERT_TRUE(login.ok());
    ASSERT_TRUE(client_->session().has_value());
  }

  // Sends an OTP successfully, starting the cooldown for userId.
  void sendOtpOnce(const char* userId = kUserId) {
    Recorder<SendOtpResult> send;
    client_->sendOtp(otpInput(userId), json(), send.callback());
    transport_.respond(200, kSuccessBody);
    ASSERT_TRUE(send.ok());
  }

  FakeTransport transport_;
  FakeClock clock_{kStartMs};
  std::unique_ptr<AuthClient> client_;
};

// --- bad input settles at once and sends nothing -----------------------------------------------

TEST(AuthClientCreate, RejectsBadConfig) {
  FakeTransport transport;
  FakeClock clock(kStartMs);
  auto created = AuthClient::create(
      json{{"baseUrl", "http://dev.api.baanx.com"}, {"clientKey", kClientKey}}, transport, clock);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(created.error().field, "baseUrl");
  EXPECT_EQ(transport.sentCount(), 0u);
}

TEST_F(AuthClientTest, LoginWithBadEmailSettlesAtOnceAndSendsNothing) {
  Recorder<LoginResult> login;
  const auto id =
      client_->login(json{{"email", "ada"}, {"password", kPassword}}, json(), login.callback());
  EXPECT_EQ(id, 0u);
  ASSERT_EQ(login.calls(), 1);
  EXPECT_EQ(login.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(login.error().field, "email");
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, LoginWithEmptyPasswordSettlesAtOnceAndSendsNothing) {
  Recorder<LoginResult> login;
  client_->login(json{{"email", kEmail}, {"password", ""}}, json(), login.callback());
  ASSERT_EQ(login.calls(), 1);
  EXPECT_EQ(login.error().field, "password");
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, LoginWithBadOtpCodeSettlesAtOnceAndSendsNothing) {
  json input = credentials();
  input["otpCode"] = "12345";
  Recorder<LoginResult> login;
  client_->login(input, json(), login.callback());
  ASSERT_EQ(login.calls(), 1);
  EXPECT_EQ(login.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(login.error().field, "otpCode");
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, LoginWithBadTimeoutSettlesAtOnceAndSendsNothing) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json{{"timeoutMs", -1}}, login.callback());
  ASSERT_EQ(login.calls(), 1);
  EXPECT_EQ(login.error().field, "timeoutMs");
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, SendOtpWithBadUserIdSettlesAtOnceAndSendsNothing) {
  Recorder<SendOtpResult> send;
  const auto id = client_->sendOtp(otpInput("not-a-uuid"), json(), send.callback());
  EXPECT_EQ(id, 0u);
  ASSERT_EQ(send.calls(), 1);
  EXPECT_EQ(send.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(send.error().field, "userId");
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, SendOtpWithBadOptionsSettlesAtOnceAndSendsNothing) {
  Recorder<SendOtpResult> send;
  client_->sendOtp(otpInput(), json("fast"), send.callback());
  ASSERT_EQ(send.calls(), 1);
  EXPECT_EQ(send.error().field, "options");
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, LogoutWithBadOptionsSettlesAtOnceAndSendsNothing) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LogoutResult> logout;
  client_->logout(json{{"timeoutMs", "soon"}}, logout.callback());
  ASSERT_EQ(logout.calls(), 1);
  EXPECT_EQ(logout.error().field, "timeoutMs");
  EXPECT_EQ(transport_.sentCount(), 1u);  // the login only
  EXPECT_TRUE(client_->session().has_value());
}

// --- login and the session ---------------------------------------------------------------------

TEST_F(AuthClientTest, LoginSendsTrimmedEmailAndCode) {
  json input = credentialsWithCode();
  input["email"] = "  ada@example.com ";
  input["otpCode"] = std::string(" ") + kOtpCode + " ";
  client_->login(input, json(), Recorder<LoginResult>().callback());
  ASSERT_EQ(transport_.sentCount(), 1u);
  const HttpRequest& request = transport_.lastSent();
  EXPECT_EQ(request.url, "https://dev.api.baanx.com/v1/auth/login");
  EXPECT_TRUE(hasHeader(request.headers, "x-client-key", kClientKey));
  json body = json::parse(request.body, nullptr, false);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body.value("email", ""), kEmail);
  EXPECT_TRUE(body.value("password", "") == kPassword);
  EXPECT_TRUE(body.value("otpCode", "") == kOtpCode);
}

TEST_F(AuthClientTest, LoginSuccessStoresSession) {
  Recorder<LoginResult> login;
  const auto id = client_->login(credentials(), json(), login.callback());
  EXPECT_NE(id, 0u);
  EXPECT_EQ(login.calls(), 0);
  transport_.respond(200, kAuthenticatedBody);
  ASSERT_EQ(login.calls(), 1);
  ASSERT_TRUE(login.ok()) << describe(login.error());
  ASSERT_TRUE(std::holds_alternative<Authenticated>(login.value()));
  std::optional<Session> session = client_->session();
  ASSERT_TRUE(session.has_value());
  EXPECT_TRUE(session->accessToken == kToken);
  EXPECT_EQ(session->userId, kUserId);
  EXPECT_EQ(session->expiresAt, kStartMs + kSixHoursMs);
}

TEST_F(AuthClientTest, SessionEndsWhenItExpires) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  clock_.advance(kSixHoursMs - 1);
  EXPECT_TRUE(client_->session().has_value());
  clock_.advance(1);
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, OtpRequiredLoginSetsNoSession) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  transport_.respond(200, kOtpRequiredBody);
  ASSERT_TRUE(login.ok()) << describe(login.error());
  EXPECT_TRUE(std::holds_alternative<OtpRequired>(login.value()));
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, OnboardingLoginSetsNoSession) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  transport_.respond(200, kOnboardingBody);
  ASSERT_TRUE(login.ok()) << describe(login.error());
  EXPECT_TRUE(std::holds_alternative<OnboardingRequired>(login.value()));
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, RejectedCodeIsInvalidOtpAndSetsNoSession) {
  Recorder<LoginResult> login;
  client_->login(credentialsWithCode(), json(), login.callback());
  transport_.respond(200, kOtpRequiredBody);
  ASSERT_EQ(login.calls(), 1);
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().code, ErrorCode::kInvalidOtp);
  EXPECT_FALSE(client_->session().has_value());
  EXPECT_EQ(transport_.sentCount(), 1u);  // never resubmitted
}

TEST_F(AuthClientTest, NetworkFailureIsNetworkWithoutStatus) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  transport_.fail(TransportFailure::kNetwork);
  ASSERT_EQ(login.calls(), 1);
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().code, ErrorCode::kNetwork);
  EXPECT_EQ(login.error().status, 0);
}

// --- sendOtp and its cooldown ------------------------------------------------------------------

TEST_F(AuthClientTest, SendOtpSuccessReportsWhenResendIsAvailable) {
  Recorder<SendOtpResult> send;
  client_->sendOtp(otpInput(), json(), send.callback());
  ASSERT_EQ(transport_.sentCount(), 1u);
  EXPECT_EQ(transport_.lastSent().url, "https://dev.api.baanx.com/v1/auth/login/otp");
  clock_.advance(250);
  transport_.respond(200, kSuccessBody);
  ASSERT_EQ(send.calls(), 1);
  ASSERT_TRUE(send.ok()) << describe(send.error());
  EXPECT_EQ(send.value().resendAvailableAt, kStartMs + 250 + kDefaultResendCooldownMs);
}

TEST_F(AuthClientTest, SendOtpInsideCooldownIsRefusedWithoutRequest) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce());
  clock_.advance(10000);
  Recorder<SendOtpResult> again;
  const auto id = client_->sendOtp(otpInput(), json(), again.callback());
  EXPECT_EQ(id, 0u);
  ASSERT_EQ(again.calls(), 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kResendCooldown);
  EXPECT_EQ(again.error().status, 0);
  EXPECT_EQ(again.error().retryAfterMs, 50000);
  EXPECT_THAT(again.error().message, HasSubstr("wait"));
  EXPECT_EQ(transport_.sentCount(), 1u);
}

TEST_F(AuthClientTest, SendOtpCooldownIgnoresUserIdCase) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce(kUserId));
  Recorder<SendOtpResult> again;
  client_->sendOtp(otpInput(kUserIdUpper), json(), again.callback());
  ASSERT_EQ(again.calls(), 1);
  EXPECT_EQ(again.error().code, ErrorCode::kResendCooldown);
  EXPECT_EQ(transport_.sentCount(), 1u);
}

TEST_F(AuthClientTest, SendOtpCooldownIsPerUser) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce(kUserId));
  Recorder<SendOtpResult> other;
  client_->sendOtp(otpInput(kOtherUserId), json(), other.callback());
  EXPECT_EQ(transport_.sentCount(), 2u);
  EXPECT_EQ(other.calls(), 0);
}

TEST_F(AuthClientTest, SendOtpSendsAgainOnceCooldownIsOver) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce());
  clock_.advance(kDefaultResendCooldownMs);
  Recorder<SendOtpResult> again;
  client_->sendOtp(otpInput(), json(), again.callback());
  EXPECT_EQ(transport_.sentCount(), 2u);
  transport_.respond(200, kSuccessBody);
  ASSERT_TRUE(again.ok()) << describe(again.error());
}

TEST_F(AuthClientTest, SendOtpUsesConfiguredCooldown) {
  json cfg = config();
  cfg["resendCooldownMs"] = 5000;
  ASSERT_NO_FATAL_FAILURE(makeClient(cfg));
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce());
  clock_.advance(4999);
  Recorder<SendOtpResult> early;
  client_->sendOtp(otpInput(), json(), early.callback());
  ASSERT_EQ(early.calls(), 1);
  EXPECT_EQ(early.error().retryAfterMs, 1);
  clock_.advance(1);
  client_->sendOtp(otpInput(), json(), Recorder<SendOtpResult>().callback());
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, RateLimitWithRetryAfterExtendsCooldown) {
  Recorder<SendOtpResult> send;
  client_->sendOtp(otpInput(), json(), send.callback());
  transport_.respond(429, messageBody("Too many requests"), {{"Retry-After", "120"}});
  ASSERT_EQ(send.calls(), 1);
  EXPECT_EQ(send.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(send.error().retryAfterMs, 120000);

  clock_.advance(kDefaultResendCooldownMs + 1000);  // past the client's own cooldown
  Recorder<SendOtpResult> early;
  client_->sendOtp(otpInput(), json(), early.callback());
  ASSERT_EQ(early.calls(), 1);
  EXPECT_EQ(early.error().code, ErrorCode::kResendCooldown);
  EXPECT_EQ(early.error().retryAfterMs, 120000 - kDefaultResendCooldownMs - 1000);
  EXPECT_EQ(transport_.sentCount(), 1u);

  clock_.advance(*early.error().retryAfterMs);
  client_->sendOtp(otpInput(), json(), Recorder<SendOtpResult>().callback());
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, FailedSendOtpStartsNoCooldown) {
  Recorder<SendOtpResult> send;
  client_->sendOtp(otpInput(), json(), send.callback());
  transport_.respond(500, messageBody("Internal server error"));
  ASSERT_EQ(send.calls(), 1);
  EXPECT_EQ(send.error().code, ErrorCode::kServerError);
  EXPECT_EQ(send.error().status, 500);
  client_->sendOtp(otpInput(), json(), Recorder<SendOtpResult>().callback());
  EXPECT_EQ(transport_.sentCount(), 2u);
}

// --- timeouts ----------------------------------------------------------------------------------

TEST_F(AuthClientTest, RequestsUseDefaultTimeout) {
  client_->login(credentials(), json(), Recorder<LoginResult>().callback());
  ASSERT_EQ(transport_.sentCount(), 1u);
  EXPECT_EQ(transport_.lastSent().timeoutMs, 15000);
}

TEST_F(AuthClientTest, RequestsUseConfiguredTimeout) {
  json cfg = config();
  cfg["timeoutMs"] = 7000;
  ASSERT_NO_FATAL_FAILURE(makeClient(cfg));
  client_->sendOtp(otpInput(), json(), Recorder<SendOtpResult>().callback());
  ASSERT_EQ(transport_.sentCount(), 1u);
  EXPECT_EQ(transport_.lastSent().timeoutMs, 7000);
}

TEST_F(AuthClientTest, PerCallTimeoutOverridesDefault) {
  client_->login(credentials(), json{{"timeoutMs", 2500}}, Recorder<LoginResult>().callback());
  client_->sendOtp(otpInput(), json{{"timeoutMs", 3500}}, Recorder<SendOtpResult>().callback());
  ASSERT_EQ(transport_.sentCount(), 2u);
  EXPECT_EQ(transport_.sent(0).timeoutMs, 2500);
  EXPECT_EQ(transport_.sent(1).timeoutMs, 3500);
}

TEST_F(AuthClientTest, TransportTimeoutIsTimeoutNamingTheCallsLimit) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json{{"timeoutMs", 2500}}, login.callback());
  transport_.fail(TransportFailure::kTimeout);
  ASSERT_EQ(login.calls(), 1);
  EXPECT_EQ(login.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(login.error().status, 0);
  EXPECT_THAT(login.error().message, HasSubstr("2500 ms"));
}

// --- aborting ----------------------------------------------------------------------------------

TEST_F(AuthClientTest, AbortCompletesCallWithAbortedOnce) {
  Recorder<LoginResult> login;
  const auto id = client_->login(credentials(), json(), login.callback());
  const auto requestId = transport_.pendingId(0);
  client_->abort(id);
  ASSERT_EQ(login.calls(), 1);
  EXPECT_EQ(login.error().code, ErrorCode::kAborted);
  EXPECT_EQ(login.error().status, 0);
  ASSERT_EQ(transport_.cancelled().size(), 1u);
  EXPECT_EQ(transport_.cancelled()[0], requestId);
  EXPECT_EQ(transport_.pendingCount(), 0u);
  client_->abort(id);  // already settled: ignored
  EXPECT_EQ(login.calls(), 1);
  EXPECT_EQ(transport_.cancelled().size(), 1u);
}

TEST_F(AuthClientTest, AbortOnlyCancelsThatCall) {
  Recorder<LoginResult> login;
  Recorder<SendOtpResult> send;
  client_->login(credentials(), json(), login.callback());
  const auto sendId = client_->sendOtp(otpInput(), json(), send.callback());
  client_->abort(sendId);
  EXPECT_EQ(send.calls(), 1);
  EXPECT_EQ(send.error().code, ErrorCode::kAborted);
  EXPECT_EQ(login.calls(), 0);
  EXPECT_EQ(transport_.pendingCount(), 1u);
}

TEST_F(AuthClientTest, AbortOfFinishedOrUnknownCallIsIgnored) {
  Recorder<LoginResult> login;
  const auto id = client_->login(credentials(), json(), login.callback());
  transport_.respond(200, kAuthenticatedBody);
  client_->abort(id);
  client_->abort(0);
  client_->abort(id + 1000);
  EXPECT_EQ(login.calls(), 1);
  EXPECT_TRUE(login.ok());
  EXPECT_TRUE(transport_.cancelled().empty());
}

TEST_F(AuthClientTest, DestroyingClientAbortsCallsInFlightOnce) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LoginResult> login;
  Recorder<SendOtpResult> send;
  Recorder<LogoutResult> logout;
  client_->login(credentials(), json(), login.callback());
  client_->sendOtp(otpInput(), json(), send.callback());
  client_->logout(json(), logout.callback());
  ASSERT_EQ(transport_.pendingCount(), 3u);
  client_.reset();
  ASSERT_EQ(login.calls(), 1);
  ASSERT_EQ(send.calls(), 1);
  ASSERT_EQ(logout.calls(), 1);
  EXPECT_EQ(login.error().code, ErrorCode::kAborted);
  EXPECT_EQ(send.error().code, ErrorCode::kAborted);
  EXPECT_EQ(logout.error().code, ErrorCode::kAborted);
  EXPECT_EQ(transport_.pendingCount(), 0u);
  EXPECT_EQ(transport_.cancelled().size(), 3u);
}

// --- logout ------------------------------------------------------------------------------------

TEST_F(AuthClientTest, LogoutWithoutSessionSettlesAtOnceWithoutRequest) {
  Recorder<LogoutResult> logout;
  const auto id = client_->logout(json(), logout.callback());
  EXPECT_EQ(id, 0u);
  ASSERT_EQ(logout.calls(), 1);
  EXPECT_TRUE(logout.ok());
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, LogoutSendsBearerTokenAndClearsSession) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LogoutResult> logout;
  client_->logout(json(), logout.callback());
  ASSERT_EQ(transport_.sentCount(), 2u);
  const HttpRequest& request = transport_.lastSent();
  EXPECT_EQ(request.url, "https://dev.api.baanx.com/v1/auth/logout");
  EXPECT_TRUE(hasHeader(request.headers, "Authorization", std::string("Bearer ") + kToken));
  EXPECT_TRUE(hasHeader(request.headers, "x-client-key", kClientKey));
  EXPECT_FALSE(client_->session().has_value());  // cleared before the answer
  transport_.respond(200, kSuccessBody);
  ASSERT_EQ(logout.calls(), 1);
  EXPECT_TRUE(logout.ok());
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, LogoutAnsweredUnauthorizedStillClearsSession) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LogoutResult> logout;
  client_->logout(json(), logout.callback());
  transport_.respond(401, messageBody("Not authenticated"));
  ASSERT_EQ(logout.calls(), 1);
  ASSERT_FALSE(logout.ok());
  EXPECT_EQ(logout.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(logout.error().status, 401);
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, LogoutThatFailsToReachServerStillClearsSession) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LogoutResult> logout;
  client_->logout(json(), logout.callback());
  transport_.fail(TransportFailure::kNetwork);
  ASSERT_EQ(logout.calls(), 1);
  EXPECT_EQ(logout.error().code, ErrorCode::kNetwork);
  EXPECT_FALSE(client_->session().has_value());
  Recorder<LogoutResult> again;
  client_->logout(json(), again.callback());
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(transport_.sentCount(), 2u);
}

// --- secrets echoed by the server never reach a message ------------------------------------------

TEST_F(AuthClientTest, ServerMessageEchoingPasswordIsReplaced) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  transport_.respond(401, messageBody(std::string("Wrong password ") + kPassword));
  ASSERT_EQ(login.calls(), 1);
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().code, ErrorCode::kInvalidCredentials);
  EXPECT_FALSE(contains(login.error().message, kPassword));
  EXPECT_TRUE(login.error().message == defaultMessage(ErrorCode::kInvalidCredentials, 401));
}

TEST_F(AuthClientTest, ServerMessageEchoingOtpCodeIsReplaced) {
  Recorder<LoginResult> login;
  client_->login(credentialsWithCode(), json(), login.callback());
  transport_.respond(400, messageBody(std::string("Code ") + kOtpCode + " is invalid"));
  ASSERT_EQ(login.calls(), 1);
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().code, ErrorCode::kInvalidOtp);
  EXPECT_FALSE(contains(login.error().message, kOtpCode));
}

TEST_F(AuthClientTest, ServerMessageEchoingClientKeyIsReplaced) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  transport_.respond(498, messageBody(std::string("Invalid client key ") + kClientKey));
  ASSERT_EQ(login.calls(), 1);
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().code, ErrorCode::kInvalidClientKey);
  EXPECT_FALSE(contains(login.error().message, kClientKey));
}

TEST_F(AuthClientTest, SendOtpMessageEchoingClientKeyIsReplaced) {
  Recorder<SendOtpResult> send;
  client_->sendOtp(otpInput(), json(), send.callback());
  transport_.respond(498, messageBody(std::string("Unknown key: ") + kClientKey));
  ASSERT_EQ(send.calls(), 1);
  ASSERT_FALSE(send.ok());
  EXPECT_EQ(send.error().code, ErrorCode::kInvalidClientKey);
  EXPECT_FALSE(contains(send.error().message, kClientKey));
}

TEST_F(AuthClientTest, LogoutMessageEchoingTokenIsReplaced) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LogoutResult> logout;
  client_->logout(json(), logout.callback());
  transport_.respond(401, messageBody(std::string("Token ") + kToken + " revoked"));
  ASSERT_EQ(logout.calls(), 1);
  ASSERT_FALSE(logout.ok());
  EXPECT_EQ(logout.error().code, ErrorCode::kUnauthorized);
  EXPECT_FALSE(contains(logout.error().message, kToken));
}

TEST_F(AuthClientTest, SendOtpMessageEchoingTheSessionTokenIsReplaced) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<SendOtpResult> send;
  client_->sendOtp(otpInput(), json(), send.callback());
  transport_.respond(401, messageBody(std::string("Session ") + kToken + " cannot send codes"));
  ASSERT_EQ(send.calls(), 1);
  ASSERT_FALSE(send.ok());
  EXPECT_EQ(send.error().code, ErrorCode::kUnauthorized);
  EXPECT_FALSE(contains(send.error().message, kToken));
}

TEST_F(AuthClientTest, LoginMessageEchoingTheSessionTokenIsReplaced) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  transport_.respond(403, messageBody(std::string("Already signed in as ") + kToken));
  ASSERT_EQ(login.calls(), 1);
  ASSERT_FALSE(login.ok());
  EXPECT_FALSE(contains(login.error().message, kToken));
}

TEST_F(AuthClientTest, ServerMessageWithoutSecretsIsKept) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  transport_.respond(401, messageBody("Not authenticated"));
  ASSERT_EQ(login.calls(), 1);
  EXPECT_EQ(login.error().message, "Not authenticated");
}

// --- every completion runs exactly once ---------------------------------------------------------

TEST_F(AuthClientTest, EveryCompletionRunsExactlyOnce) {
  Recorder<LoginResult> ok;
  Recorder<LoginResult> failed;
  Recorder<SendOtpResult> timedOut;
  Recorder<SendOtpResult> cooldown;
  Recorder<LogoutResult> loggedOut;
  json otherUser = credentials();
  otherUser["email"] = "someone.else@example.com";  // different calls: not joined
  client_->login(credentials(), json(), ok.callback());
  client_->login(otherUser, json(), failed.callback());
  client_->sendOtp(otpInput(kOtherUserId), json(), timedOut.callback());
  transport_.respond(200, kAuthenticatedBody);
  transport_.respond(200, "<html>");
  transport_.fail(TransportFailure::kTimeout);
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce());
  client_->sendOtp(otpInput(), json(), cooldown.callback());
  client_->logout(json(), loggedOut.callback());
  transport_.respond(200, kSuccessBody);
  client_.reset();
  EXPECT_EQ(ok.calls(), 1);
  EXPECT_EQ(failed.calls(), 1);
  EXPECT_EQ(timedOut.calls(), 1);
  EXPECT_EQ(cooldown.calls(), 1);
  EXPECT_EQ(loggedOut.calls(), 1);
  EXPECT_EQ(failed.error().code, ErrorCode::kInvalidResponse);
  EXPECT_EQ(timedOut.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(transport_.pendingCount(), 0u);
}

// --- identical calls in flight share one request -----------------------------------------------

TEST_F(AuthClientTest, IdenticalLoginsInFlightShareOneRequest) {
  Recorder<LoginResult> first;
  Recorder<LoginResult> second;
  const auto firstId = client_->login(credentials(), json(), first.callback());
  const auto secondId = client_->login(credentials(), json(), second.callback());
  EXPECT_NE(firstId, secondId);  // each caller can be aborted on its own
  EXPECT_EQ(client_->requestOf(firstId), firstId);
  EXPECT_EQ(client_->requestOf(secondId), firstId);
  EXPECT_EQ(transport_.sentCount(), 1u);
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_EQ(first.calls(), 1);
  EXPECT_EQ(second.calls(), 1);
  EXPECT_TRUE(first.ok());
  EXPECT_TRUE(second.ok());
  EXPECT_EQ(client_->requestOf(firstId), 0u);
}

TEST_F(AuthClientTest, LoginsWithDifferentTimeoutsAreNotShared) {
  Recorder<LoginResult> first;
  Recorder<LoginResult> second;
  client_->login(credentials(), json(), first.callback());
  client_->login(credentials(), json{{"timeoutMs", 500}}, second.callback());
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LoginsWithDifferentCodesAreNotShared) {
  Recorder<LoginResult> first;
  Recorder<LoginResult> second;
  json otherCode = credentials();
  otherCode["otpCode"] = "111111";
  client_->login(credentialsWithCode(), json(), first.callback());
  client_->login(otherCode, json(), second.callback());
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, FinishedCallIsNotJoinedByTheNextOne) {
  signIn();
  Recorder<LoginResult> again;
  client_->login(credentials(), json(), again.callback());
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, SendOtpInFlightForSameUserIsSharedWhateverTheCase) {
  Recorder<SendOtpResult> first;
  Recorder<SendOtpResult> second;
  client_->sendOtp(otpInput(kUserId), json(), first.callback());
  client_->sendOtp(otpInput(kUserIdUpper), json(), second.callback());
  EXPECT_EQ(transport_.sentCount(), 1u);
  transport_.respond(200, kSuccessBody);
  EXPECT_TRUE(first.ok());
  EXPECT_TRUE(second.ok());
}

TEST_F(AuthClientTest, AbortingOneSharerOfARequestDetachesOnlyThatCaller) {
  Recorder<LoginResult> first;
  Recorder<LoginResult> second;
  client_->login(credentials(), json(), first.callback());
  const auto secondId = client_->login(credentials(), json(), second.callback());
  client_->abort(secondId);
  EXPECT_EQ(second.calls(), 1);
  EXPECT_EQ(second.error().code, ErrorCode::kAborted);
  EXPECT_EQ(first.calls(), 0);
  EXPECT_TRUE(transport_.cancelled().empty());
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_EQ(first.calls(), 1);
  EXPECT_TRUE(first.ok());
  EXPECT_EQ(second.calls(), 1);
  EXPECT_TRUE(client_->session().has_value());
}

TEST_F(AuthClientTest, AbortingTheSenderOfASharedRequestKeepsItForTheOthers) {
  Recorder<LoginResult> first;
  Recorder<LoginResult> second;
  const auto firstId = client_->login(credentials(), json(), first.callback());
  client_->login(credentials(), json(), second.callback());
  client_->abort(firstId);
  EXPECT_EQ(first.error().code, ErrorCode::kAborted);
  EXPECT_TRUE(transport_.cancelled().empty());
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_TRUE(second.ok());
  EXPECT_EQ(first.calls(), 1);
}

TEST_F(AuthClientTest, ARequestIsCancelledWhenNoCallerIsLeftWaiting) {
  Recorder<LoginResult> first;
  Recorder<LoginResult> second;
  const auto firstId = client_->login(credentials(), json(), first.callback());
  const auto secondId = client_->login(credentials(), json(), second.callback());
  client_->abort(firstId);
  client_->abort(secondId);
  EXPECT_EQ(first.calls(), 1);
  EXPECT_EQ(second.calls(), 1);
  EXPECT_EQ(second.error().code, ErrorCode::kAborted);
  EXPECT_EQ(transport_.cancelled().size(), 1u);
  EXPECT_EQ(transport_.pendingCount(), 0u);
}

TEST_F(AuthClientTest, SendOtpInFlightIsJoinedWhateverItsTimeout) {
  Recorder<SendOtpResult> first;
  Recorder<SendOtpResult> second;
  client_->sendOtp(otpInput(), json{{"timeoutMs", 5000}}, first.callback());
  client_->sendOtp(otpInput(), json{{"timeoutMs", 9000}}, second.callback());
  EXPECT_EQ(transport_.sentCount(), 1u);  // one SMS
  transport_.respond(200, kSuccessBody);
  EXPECT_TRUE(first.ok());
  EXPECT_TRUE(second.ok());
}

// --- loginWithOtp ------------------------------------------------------------------------------

// An app's onOtpRequired: records the prompts and answers when the test says so.
struct CodePrompter {
  AuthClient::AskCode ask() {
    return [this](const OtpPrompt& prompt, AuthClient::CodeAnswer answer) {
      prompts.push_back(prompt);
      pending = std::move(answer);
    };
  }
  void answer(std::optional<json> code) {
    auto answerNow = std::move(pending);
    pending = nullptr;
    answerNow(std::move(code));
  }
  std::vector<OtpPrompt> prompts;
  AuthClient::CodeAnswer pending;
};

TEST_F(AuthClientTest, LoginWithOtpRunsTheDocumentedFlow) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  ASSERT_EQ(transport_.sentCount(), 1u);
  transport_.respond(200, kOtpRequiredBody);
  ASSERT_EQ(transport_.sentCount(), 2u);
  EXPECT_NE(transport_.lastSent().url.find("/v1/auth/login/otp"), std::string::npos);
  transport_.respond(200, kSuccessBody);
  ASSERT_EQ(app.prompts.size(), 1u);
  EXPECT_EQ(app.prompts[0].userId, kUserId);
  EXPECT_EQ(app.prompts[0].phoneNumber.value_or(""), "+445*****225");
  app.answer(json(" 482913 "));
  ASSERT_EQ(transport_.sentCount(), 3u);
  const json body = json::parse(transport_.lastSent().body, nullptr, false);
  EXPECT_TRUE(body.value("otpCode", "") == kOtpCode);
  transport_.respond(200, kAuthenticatedBody);
  ASSERT_EQ(flow.calls(), 1);
  ASSERT_TRUE(flow.ok());
  EXPECT_TRUE(std::holds_alternative<Authenticated>(flow.value()));
  EXPECT_TRUE(client_->session().has_value());
}

TEST_F(AuthClientTest, LoginWithOtpWithoutCodeRequiredNeverAsks) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_TRUE(flow.ok());
  EXPECT_TRUE(app.prompts.empty());
  EXPECT_EQ(transport_.sentCount(), 1u);
}

TEST_F(AuthClientTest, LoginWithOtpReportsOnboardingWithoutAsking) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOnboardingBody);
  ASSERT_TRUE(flow.ok());
  EXPECT_TRUE(std::holds_alternative<OnboardingRequired>(flow.value()));
  EXPECT_TRUE(app.prompts.empty());
}

TEST_F(AuthClientTest, LoginWithOtpRejectedCodeIsInvalidOtpAndNeverResubmitted) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  app.answer(json(kOtpCode));
  transport_.respond(400, messageBody("Invalid OTP code"));
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(flow.error().code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(transport_.sentCount(), 3u);
  EXPECT_EQ(transport_.pendingCount(), 0u);
  EXPECT_EQ(app.prompts.size(), 1u);
}

TEST_F(AuthClientTest, LoginWithOtpRepeatedOtpRequiredIsInvalidOtp) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  app.answer(json(kOtpCode));
  transport_.respond(200, kOtpRequiredBody);
  EXPECT_EQ(flow.error().code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(transport_.sentCount(), 3u);
}

TEST_F(AuthClientTest, LoginWithOtpBadCodeFromAppSendsNothingMore) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  app.answer(json(12345));
  EXPECT_EQ(flow.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(flow.error().field, "otpCode");
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LoginWithOtpAppGivingNoCodeIsAborted) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  app.answer(std::nullopt);
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LoginWithOtpAbortWhileWaitingForCodeIgnoresLateCode) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  const auto id = client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  client_->abort(id);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  app.answer(json(kOtpCode));
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LoginWithOtpAbortDuringARequestCancelsIt) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  const auto id = client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  client_->abort(id);
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  EXPECT_EQ(transport_.cancelled().size(), 1u);
  EXPECT_EQ(transport_.pendingCount(), 0u);
}

TEST_F(AuthClientTest, LoginWithOtpInsideCooldownStillAsksForTheCodeAlreadySent) {
  sendOtpOnce();
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  EXPECT_EQ(transport_.sentCount(), 2u);  // the cooldown kept the resend local
  EXPECT_EQ(app.prompts.size(), 1u);
}

TEST_F(AuthClientTest, LoginWithOtpPromptSaysTheCodeWasSentAndWhenToResend) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  ASSERT_EQ(app.prompts.size(), 1u);
  EXPECT_TRUE(app.prompts[0].codeSent);
  EXPECT_GT(app.prompts[0].resendAvailableAt, kStartMs);
  EXPECT_FALSE(app.prompts[0].error.has_value());
}

TEST_F(AuthClientTest, LoginWithOtpGoesOnWhenTheServerRefusesTheSendWith429) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(429, messageBody("Too many requests"), {{"Retry-After", "42"}});
  ASSERT_EQ(app.prompts.size(), 1u);  // the code sent moments ago is still asked for
  EXPECT_FALSE(app.prompts[0].codeSent);
  EXPECT_EQ(app.prompts[0].resendAvailableAt, kStartMs + 42000);
  app.answer(json(kOtpCode));
  ASSERT_EQ(transport_.sentCount(), 3u);  // login, the refused send, login with the code
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_TRUE(flow.ok());
  // And the refused send is honoured: no resend inside the server's wait.
  Recorder<SendOtpResult> resend;
  client_->sendOtp(otpInput(), json(), resend.callback());
  EXPECT_EQ(resend.error().code, ErrorCode::kResendCooldown);
  EXPECT_EQ(transport_.sentCount(), 3u);
}

TEST_F(AuthClientTest, LoginWithOtpAttemptsAsksAgainAfterARejectedCode) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json{{"attempts", 2}}, app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  app.answer(json("111111"));
  transport_.respond(400, messageBody("Invalid code"));
  EXPECT_EQ(flow.calls(), 0);
  ASSERT_EQ(app.prompts.size(), 2u);
  ASSERT_TRUE(app.prompts[1].error.has_value());
  EXPECT_EQ(app.prompts[1].error->code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(transport_.sentCount(), 3u);  // nothing resubmitted by the flow itself
  app.answer(json(kOtpCode));
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_TRUE(flow.ok());
  EXPECT_EQ(transport_.sentCount(), 4u);
}

TEST_F(AuthClientTest, LoginWithOtpEndsWhenItsAttemptsAreUsedUp) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json{{"attempts", 2}}, app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  app.answer(json("111111"));
  transport_.respond(400, messageBody("Invalid code"));
  app.answer(json("222222"));
  transport_.respond(400, messageBody("Invalid code"));
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(flow.error().code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(app.prompts.size(), 2u);
}

TEST_F(AuthClientTest, LoginWithOtpRefusesAttemptsOutOfRange) {
  for (const json& attempts : {json(0), json(6), json(1.5), json("2"), json(-1)}) {
    CodePrompter app;
    Recorder<LoginResult> flow;
    client_->loginWithOtp(credentials(), json{{"attempts", attempts}}, app.ask(), flow.callback());
    EXPECT_EQ(flow.error().field, "attempts") << attempts.dump();
  }
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, LoginWithOtpFailedSendEndsTheFlow) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(503, "<html>busy</html>");
  EXPECT_EQ(flow.error().code, ErrorCode::kServerError);
  EXPECT_TRUE(app.prompts.empty());
}

TEST_F(AuthClientTest, LoginWithOtpWithoutPromptIsInvalidArgumentAndSendsNothing) {
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), nullptr, flow.callback());
  EXPECT_EQ(flow.error().field, "onOtpRequired");
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, LoginWithOtpRefusesACodeUpFront) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentialsWithCode(), json(), app.ask(), flow.callback());
  EXPECT_EQ(flow.error().field, "otpCode");
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, DestroyingClientAbortsAFlowWaitingForItsCode) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(200, kSuccessBody);
  client_.reset();
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  app.answer(json(kOtpCode));
  EXPECT_EQ(flow.calls(), 1);
}

// --- logout and messages -----------------------------------------------------------------------

TEST_F(AuthClientTest, LogoutAfterExpiryClearsSessionWithoutRequest) {
  signIn();
  clock_.advance(kSixHoursMs);
  Recorder<LogoutResult> logout;
  client_->logout(json(), logout.callback());
  EXPECT_TRUE(logout.ok());
  EXPECT_EQ(transport_.sentCount(), 1u);
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, SecretStraddlingTheMessageLimitIsStillRemoved) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  // The password begins just before the 300-byte cut: a cut-then-check would keep its prefix.
  const std::string message = std::string(290, 'x') + " " + kPassword;
  transport_.respond(401, messageBody(message));
  const std::string& text = login.error().message;
  EXPECT_EQ(text.find("Tr0ub4dor"), std::string::npos);
  EXPECT_LE(text.size(), kMaxServerMessageBytes + 3);
}

TEST_F(AuthClientTest, LongServerMessageIsCut) {
  Recorder<LoginResult> login;
  client_->login(credentials(), json(), login.callback());
  transport_.respond(401, messageBody(std::string(1000, 'm')));
  EXPECT_EQ(login.error().message, std::string(kMaxServerMessageBytes, 'm') + "...");
}

TEST_F(AuthClientTest, AbortingAFlowLeavesAPlainLoginSharingItsRequest) {
  CodePrompter app;
  Recorder<LoginResult> flow;
  Recorder<LoginResult> plain;
  const auto flowId = client_->loginWithOtp(credentials(), json(), app.ask(), flow.callback());
  client_->login(credentials(), json(), plain.callback());
  EXPECT_EQ(transport_.sentCount(), 1u);
  client_->abort(flowId);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  EXPECT_TRUE(transport_.cancelled().empty());
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_TRUE(plain.ok());
}

}  // namespace
}  // namespace baanx
