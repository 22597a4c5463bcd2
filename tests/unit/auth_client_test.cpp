// AuthClient's single calls: creating a client, bad input, login and the session, sendOtp and its
// cooldown, timeouts, and logout.
#include "core/auth_client.hpp"

#include <optional>
#include <string>
#include <variant>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth_client_fixture.hpp"

namespace baanx::client_tests {
namespace {

using fakes::describe;
using fakes::hasHeader;
using ::testing::HasSubstr;

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
  expectRefusedAtOnce(login(json{{"email", "ada"}, {"password", kPassword}}), "email");
}

TEST_F(AuthClientTest, LoginWithEmptyPasswordSettlesAtOnceAndSendsNothing) {
  expectRefusedAtOnce(login(json{{"email", kEmail}, {"password", ""}}), "password");
}

TEST_F(AuthClientTest, LoginWithBadOtpCodeSettlesAtOnceAndSendsNothing) {
  json input = credentials();
  input["otpCode"] = "12345";
  expectRefusedAtOnce(login(input), "otpCode");
}

TEST_F(AuthClientTest, LoginWithBadTimeoutSettlesAtOnceAndSendsNothing) {
  expectRefusedAtOnce(login(credentials(), json{{"timeoutMs", -1}}), "timeoutMs");
}

TEST_F(AuthClientTest, SendOtpWithBadUserIdSettlesAtOnceAndSendsNothing) {
  expectRefusedAtOnce(sendOtp(otpInput("not-a-uuid")), "userId");
}

TEST_F(AuthClientTest, SendOtpWithBadOptionsSettlesAtOnceAndSendsNothing) {
  expectRefusedAtOnce(sendOtp(otpInput(), json("fast")), "options");
}

TEST_F(AuthClientTest, LogoutWithBadOptionsSettlesAtOnceAndSendsNothing) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  expectRefusedAtOnce(logout(json{{"timeoutMs", "soon"}}), "timeoutMs", /*sent=*/1);  // the login
  EXPECT_TRUE(client_->session().has_value());
}

// --- login and the session ---------------------------------------------------------------------

TEST_F(AuthClientTest, LoginSendsTrimmedEmailAndCode) {
  json input = credentialsWithCode();
  input["email"] = "  ada@example.com ";
  input["otpCode"] = std::string(" ") + kOtpCode + " ";
  login(input);
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
  Recorder<LoginResult> call = login();
  EXPECT_NE(call.id, 0u);
  EXPECT_EQ(call.calls(), 0);
  transport_.respond(200, kAuthenticatedBody);
  ASSERT_EQ(call.calls(), 1);
  ASSERT_TRUE(call.ok()) << describe(call.error());
  ASSERT_TRUE(std::holds_alternative<Authenticated>(call.value()));
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
  Recorder<LoginResult> call = login();
  transport_.respond(200, kOtpRequiredBody);
  ASSERT_TRUE(call.ok()) << describe(call.error());
  EXPECT_TRUE(std::holds_alternative<OtpRequired>(call.value()));
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, OnboardingLoginSetsNoSession) {
  Recorder<LoginResult> call = login();
  transport_.respond(200, kOnboardingBody);
  ASSERT_TRUE(call.ok()) << describe(call.error());
  EXPECT_TRUE(std::holds_alternative<OnboardingRequired>(call.value()));
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, RejectedCodeIsInvalidOtpAndSetsNoSession) {
  Recorder<LoginResult> call = login(credentialsWithCode());
  transport_.respond(200, kOtpRequiredBody);
  ASSERT_EQ(call.calls(), 1);
  EXPECT_EQ(call.error().code, ErrorCode::kInvalidOtp);
  EXPECT_FALSE(client_->session().has_value());
  EXPECT_EQ(transport_.sentCount(), 1u);  // never resubmitted
}

TEST_F(AuthClientTest, NetworkFailureIsNetworkWithoutStatus) {
  Recorder<LoginResult> call = login();
  transport_.fail(TransportFailure::kNetwork);
  ASSERT_EQ(call.calls(), 1);
  EXPECT_EQ(call.error().code, ErrorCode::kNetwork);
  EXPECT_EQ(call.error().status, 0);
}

// --- sendOtp and its cooldown ------------------------------------------------------------------

TEST_F(AuthClientTest, SendOtpSuccessReportsWhenResendIsAvailable) {
  Recorder<SendOtpResult> call = sendOtp();
  ASSERT_EQ(transport_.sentCount(), 1u);
  EXPECT_EQ(transport_.lastSent().url, "https://dev.api.baanx.com/v1/auth/login/otp");
  clock_.advance(250);
  transport_.respond(200, kSuccessBody);
  ASSERT_EQ(call.calls(), 1);
  ASSERT_TRUE(call.ok()) << describe(call.error());
  EXPECT_EQ(call.value().resendAvailableAt, kStartMs + 250 + kDefaultResendCooldownMs);
}

TEST_F(AuthClientTest, SendOtpInsideCooldownIsRefusedWithoutRequest) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce());
  clock_.advance(10000);
  Recorder<SendOtpResult> again = sendOtp();
  EXPECT_EQ(again.id, 0u);
  ASSERT_EQ(again.calls(), 1);
  EXPECT_EQ(again.error().code, ErrorCode::kResendCooldown);
  EXPECT_EQ(again.error().status, 0);
  EXPECT_EQ(again.error().retryAfterMs, 50000);
  EXPECT_THAT(again.error().message, HasSubstr("wait"));
  EXPECT_EQ(transport_.sentCount(), 1u);
}

TEST_F(AuthClientTest, SendOtpCooldownIgnoresUserIdCase) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce(kUserId));
  Recorder<SendOtpResult> again = sendOtp(otpInput(kUserIdUpper));
  ASSERT_EQ(again.calls(), 1);
  EXPECT_EQ(again.error().code, ErrorCode::kResendCooldown);
  EXPECT_EQ(transport_.sentCount(), 1u);
}

TEST_F(AuthClientTest, SendOtpCooldownIsPerUser) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce(kUserId));
  Recorder<SendOtpResult> other = sendOtp(otpInput(kOtherUserId));
  EXPECT_EQ(transport_.sentCount(), 2u);
  EXPECT_EQ(other.calls(), 0);
}

TEST_F(AuthClientTest, SendOtpSendsAgainOnceCooldownIsOver) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce());
  clock_.advance(kDefaultResendCooldownMs);
  Recorder<SendOtpResult> again = sendOtp();
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
  Recorder<SendOtpResult> early = sendOtp();
  ASSERT_EQ(early.calls(), 1);
  EXPECT_EQ(early.error().retryAfterMs, 1);
  clock_.advance(1);
  sendOtp();
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, RateLimitWithRetryAfterExtendsCooldown) {
  Recorder<SendOtpResult> call = sendOtp();
  transport_.respond(429, messageBody("Too many requests"), {{"Retry-After", "120"}});
  ASSERT_EQ(call.calls(), 1);
  EXPECT_EQ(call.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(call.error().retryAfterMs, 120000);

  clock_.advance(kDefaultResendCooldownMs + 1000);  // past the client's own cooldown
  Recorder<SendOtpResult> early = sendOtp();
  ASSERT_EQ(early.calls(), 1);
  EXPECT_EQ(early.error().code, ErrorCode::kResendCooldown);
  EXPECT_EQ(early.error().retryAfterMs, 120000 - kDefaultResendCooldownMs - 1000);
  EXPECT_EQ(transport_.sentCount(), 1u);

  clock_.advance(*early.error().retryAfterMs);
  sendOtp();
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, FailedSendOtpStartsNoCooldown) {
  const Error error = failsWith(sendOtp(), 500, "Internal server error");
  EXPECT_EQ(error.code, ErrorCode::kServerError);
  EXPECT_EQ(error.status, 500);
  sendOtp();
  EXPECT_EQ(transport_.sentCount(), 2u);
}

// --- timeouts ----------------------------------------------------------------------------------

TEST_F(AuthClientTest, RequestsUseDefaultTimeout) {
  login();
  ASSERT_EQ(transport_.sentCount(), 1u);
  EXPECT_EQ(transport_.lastSent().timeoutMs, 15000);
}

TEST_F(AuthClientTest, RequestsUseConfiguredTimeout) {
  json cfg = config();
  cfg["timeoutMs"] = 7000;
  ASSERT_NO_FATAL_FAILURE(makeClient(cfg));
  sendOtp();
  ASSERT_EQ(transport_.sentCount(), 1u);
  EXPECT_EQ(transport_.lastSent().timeoutMs, 7000);
}

TEST_F(AuthClientTest, PerCallTimeoutOverridesDefault) {
  login(credentials(), json{{"timeoutMs", 2500}});
  sendOtp(otpInput(), json{{"timeoutMs", 3500}});
  ASSERT_EQ(transport_.sentCount(), 2u);
  EXPECT_EQ(transport_.sent(0).timeoutMs, 2500);
  EXPECT_EQ(transport_.sent(1).timeoutMs, 3500);
}

TEST_F(AuthClientTest, TransportTimeoutIsTimeoutNamingTheCallsLimit) {
  Recorder<LoginResult> call = login(credentials(), json{{"timeoutMs", 2500}});
  transport_.fail(TransportFailure::kTimeout);
  ASSERT_EQ(call.calls(), 1);
  EXPECT_EQ(call.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(call.error().status, 0);
  EXPECT_THAT(call.error().message, HasSubstr("2500 ms"));
}

// --- logout ------------------------------------------------------------------------------------

TEST_F(AuthClientTest, LogoutWithoutSessionSettlesAtOnceWithoutRequest) {
  Recorder<LogoutResult> call = logout();
  EXPECT_EQ(call.id, 0u);
  ASSERT_EQ(call.calls(), 1);
  EXPECT_TRUE(call.ok());
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientTest, LogoutSendsBearerTokenAndClearsSession) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LogoutResult> call = logout();
  ASSERT_EQ(transport_.sentCount(), 2u);
  const HttpRequest& request = transport_.lastSent();
  EXPECT_EQ(request.url, "https://dev.api.baanx.com/v1/auth/logout");
  EXPECT_TRUE(hasHeader(request.headers, "Authorization", std::string("Bearer ") + kToken));
  EXPECT_TRUE(hasHeader(request.headers, "x-client-key", kClientKey));
  EXPECT_FALSE(client_->session().has_value());  // cleared before the answer
  transport_.respond(200, kSuccessBody);
  ASSERT_EQ(call.calls(), 1);
  EXPECT_TRUE(call.ok());
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, LogoutAnsweredUnauthorizedStillClearsSession) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  const Error error = failsWith(logout(), 401, "Not authenticated");
  EXPECT_EQ(error.code, ErrorCode::kUnauthorized);
  EXPECT_EQ(error.status, 401);
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientTest, LogoutThatFailsToReachServerStillClearsSession) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LogoutResult> call = logout();
  transport_.fail(TransportFailure::kNetwork);
  ASSERT_EQ(call.calls(), 1);
  EXPECT_EQ(call.error().code, ErrorCode::kNetwork);
  EXPECT_FALSE(client_->session().has_value());
  EXPECT_TRUE(logout().ok());
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LogoutAfterExpiryClearsSessionWithoutRequest) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  clock_.advance(kSixHoursMs);
  EXPECT_TRUE(logout().ok());
  EXPECT_EQ(transport_.sentCount(), 1u);
  EXPECT_FALSE(client_->session().has_value());
}

}  // namespace
}  // namespace baanx::client_tests
