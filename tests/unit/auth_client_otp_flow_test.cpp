// AuthClient::loginWithOtp, the documented flow as one call: login, send the code, ask the app for
// it, log in with it; and every way that flow ends early.
#include "core/auth_client.hpp"

#include <optional>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "auth_client_fixture.hpp"

namespace baanx::client_tests {
namespace {

TEST_F(AuthClientTest, LoginWithOtpRunsTheDocumentedFlow) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtp(app);
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
  Recorder<LoginResult> flow = loginWithOtp(app);
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_TRUE(flow.ok());
  EXPECT_TRUE(app.prompts.empty());
  EXPECT_EQ(transport_.sentCount(), 1u);
}

TEST_F(AuthClientTest, LoginWithOtpReportsOnboardingWithoutAsking) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtp(app);
  transport_.respond(200, kOnboardingBody);
  ASSERT_TRUE(flow.ok());
  EXPECT_TRUE(std::holds_alternative<OnboardingRequired>(flow.value()));
  EXPECT_TRUE(app.prompts.empty());
}

TEST_F(AuthClientTest, LoginWithOtpPromptSaysTheCodeWasSentAndWhenToResend) {
  CodePrompter app;
  loginWithOtpAwaitingCode(app);
  ASSERT_EQ(app.prompts.size(), 1u);
  EXPECT_TRUE(app.prompts[0].codeSent);
  EXPECT_GT(app.prompts[0].resendAvailableAt, kStartMs);
  EXPECT_FALSE(app.prompts[0].error.has_value());
}

// --- a code that is not accepted ---------------------------------------------------------------

TEST_F(AuthClientTest, LoginWithOtpRejectedCodeIsInvalidOtpAndNeverResubmitted) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtpAwaitingCode(app);
  app.answer(json(kOtpCode));
  EXPECT_EQ(failsWith(flow, 400, "Invalid OTP code").code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(transport_.sentCount(), 3u);
  EXPECT_EQ(transport_.pendingCount(), 0u);
  EXPECT_EQ(app.prompts.size(), 1u);
}

TEST_F(AuthClientTest, LoginWithOtpRepeatedOtpRequiredIsInvalidOtp) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtpAwaitingCode(app);
  app.answer(json(kOtpCode));
  transport_.respond(200, kOtpRequiredBody);
  EXPECT_EQ(flow.error().code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(transport_.sentCount(), 3u);
}

TEST_F(AuthClientTest, LoginWithOtpBadCodeFromAppSendsNothingMore) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtpAwaitingCode(app);
  app.answer(json(12345));
  EXPECT_EQ(flow.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(flow.error().field, "otpCode");
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LoginWithOtpAttemptsAsksAgainAfterARejectedCode) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtpAwaitingCode(app, json{{"attempts", 2}});
  answerWrongCode(app, "111111");
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
  Recorder<LoginResult> flow = loginWithOtpAwaitingCode(app, json{{"attempts", 2}});
  answerWrongCode(app, "111111");
  answerWrongCode(app, "222222");
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(flow.error().code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(app.prompts.size(), 2u);
}

// --- the send ----------------------------------------------------------------------------------

TEST_F(AuthClientTest, LoginWithOtpInsideCooldownStillAsksForTheCodeAlreadySent) {
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce());
  CodePrompter app;
  loginWithOtp(app);
  transport_.respond(200, kOtpRequiredBody);
  EXPECT_EQ(transport_.sentCount(), 2u);  // the cooldown kept the resend local
  EXPECT_EQ(app.prompts.size(), 1u);
}

TEST_F(AuthClientTest, LoginWithOtpGoesOnWhenTheServerRefusesTheSendWith429) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtp(app);
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
  EXPECT_EQ(sendOtp().error().code, ErrorCode::kResendCooldown);
  EXPECT_EQ(transport_.sentCount(), 3u);
}

TEST_F(AuthClientTest, LoginWithOtpFailedSendEndsTheFlow) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtp(app);
  transport_.respond(200, kOtpRequiredBody);
  transport_.respond(503, "<html>busy</html>");
  EXPECT_EQ(flow.error().code, ErrorCode::kServerError);
  EXPECT_TRUE(app.prompts.empty());
}

// --- ending the flow early ---------------------------------------------------------------------

TEST_F(AuthClientTest, LoginWithOtpAppGivingNoCodeIsAborted) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtpAwaitingCode(app);
  app.answer(std::nullopt);
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LoginWithOtpAbortWhileWaitingForCodeIgnoresLateCode) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtpAwaitingCode(app);
  client_->abort(flow.id);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  app.answer(json(kOtpCode));
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LoginWithOtpAbortDuringARequestCancelsIt) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtp(app);
  client_->abort(flow.id);
  expectAbortedAndCancelled(flow);
}

TEST_F(AuthClientTest, DestroyingClientAbortsAFlowWaitingForItsCode) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtpAwaitingCode(app);
  client_.reset();
  EXPECT_EQ(flow.calls(), 1);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  app.answer(json(kOtpCode));
  EXPECT_EQ(flow.calls(), 1);
}

// --- refused before anything is sent -----------------------------------------------------------

TEST_F(AuthClientTest, LoginWithOtpRefusesAttemptsOutOfRange) {
  for (const json& attempts : {json(0), json(6), json(1.5), json("2"), json(-1)}) {
    CodePrompter app;
    SCOPED_TRACE(attempts.dump());
    expectRefusedAtOnce(loginWithOtp(app, json{{"attempts", attempts}}), "attempts");
  }
}

TEST_F(AuthClientTest, LoginWithOtpWithoutPromptIsInvalidArgumentAndSendsNothing) {
  Recorder<LoginResult> flow;
  flow.id = client_->loginWithOtp(credentials(), json(), nullptr, flow.callback());
  expectRefusedAtOnce(flow, "onOtpRequired");
}

TEST_F(AuthClientTest, LoginWithOtpRefusesACodeUpFront) {
  CodePrompter app;
  expectRefusedAtOnce(loginWithOtp(app, json(), credentialsWithCode()), "otpCode");
}

}  // namespace
}  // namespace baanx::client_tests
