// AuthClient's calls in flight: aborting them, identical calls sharing one request, and every
// completion running exactly once, whatever ends the call.
#include "core/auth_client.hpp"

#include <gtest/gtest.h>

#include "auth_client_fixture.hpp"

namespace baanx::client_tests {
namespace {

// --- aborting ----------------------------------------------------------------------------------

TEST_F(AuthClientTest, AbortCompletesCallWithAbortedOnce) {
  Recorder<LoginResult> call = login();
  const auto requestId = transport_.pendingId(0);
  client_->abort(call.id);
  expectAbortedAndCancelled(call);
  EXPECT_EQ(call.error().status, 0);
  ASSERT_EQ(transport_.cancelled().size(), 1u);
  EXPECT_EQ(transport_.cancelled()[0], requestId);
  client_->abort(call.id);  // already settled: ignored
  EXPECT_EQ(call.calls(), 1);
  EXPECT_EQ(transport_.cancelled().size(), 1u);
}

TEST_F(AuthClientTest, AbortOnlyCancelsThatCall) {
  Recorder<LoginResult> loginCall = login();
  Recorder<SendOtpResult> sendCall = sendOtp();
  client_->abort(sendCall.id);
  EXPECT_EQ(sendCall.calls(), 1);
  EXPECT_EQ(sendCall.error().code, ErrorCode::kAborted);
  EXPECT_EQ(loginCall.calls(), 0);
  EXPECT_EQ(transport_.pendingCount(), 1u);
}

TEST_F(AuthClientTest, AbortOfFinishedOrUnknownCallIsIgnored) {
  Recorder<LoginResult> call = login();
  transport_.respond(200, kAuthenticatedBody);
  client_->abort(call.id);
  client_->abort(0);
  client_->abort(call.id + 1000);
  EXPECT_EQ(call.calls(), 1);
  EXPECT_TRUE(call.ok());
  EXPECT_TRUE(transport_.cancelled().empty());
}

TEST_F(AuthClientTest, DestroyingClientAbortsCallsInFlightOnce) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  Recorder<LoginResult> loginCall = login();
  Recorder<SendOtpResult> sendCall = sendOtp();
  Recorder<LogoutResult> logoutCall = logout();
  ASSERT_EQ(transport_.pendingCount(), 3u);
  client_.reset();
  ASSERT_EQ(loginCall.calls(), 1);
  ASSERT_EQ(sendCall.calls(), 1);
  ASSERT_EQ(logoutCall.calls(), 1);
  EXPECT_EQ(loginCall.error().code, ErrorCode::kAborted);
  EXPECT_EQ(sendCall.error().code, ErrorCode::kAborted);
  EXPECT_EQ(logoutCall.error().code, ErrorCode::kAborted);
  EXPECT_EQ(transport_.pendingCount(), 0u);
  EXPECT_EQ(transport_.cancelled().size(), 3u);
}

// --- every completion runs exactly once ---------------------------------------------------------

TEST_F(AuthClientTest, EveryCompletionRunsExactlyOnce) {
  json otherUser = credentials();
  otherUser["email"] = "someone.else@example.com";  // different calls: not joined
  Recorder<LoginResult> ok = login();
  Recorder<LoginResult> failed = login(otherUser);
  Recorder<SendOtpResult> timedOut = sendOtp(otpInput(kOtherUserId));
  transport_.respond(200, kAuthenticatedBody);
  transport_.respond(200, "<html>");
  transport_.fail(TransportFailure::kTimeout);
  ASSERT_NO_FATAL_FAILURE(sendOtpOnce());
  Recorder<SendOtpResult> cooldown = sendOtp();
  Recorder<LogoutResult> loggedOut = logout();
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
  Recorder<LoginResult> first = login();
  Recorder<LoginResult> second = login();
  EXPECT_NE(first.id, second.id);  // each caller can be aborted on its own
  EXPECT_EQ(client_->requestOf(first.id), first.id);
  EXPECT_EQ(client_->requestOf(second.id), first.id);
  EXPECT_EQ(transport_.sentCount(), 1u);
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_EQ(first.calls(), 1);
  EXPECT_EQ(second.calls(), 1);
  EXPECT_TRUE(first.ok());
  EXPECT_TRUE(second.ok());
  EXPECT_EQ(client_->requestOf(first.id), 0u);
}

TEST_F(AuthClientTest, LoginsWithDifferentTimeoutsAreNotShared) {
  login();
  login(credentials(), json{{"timeoutMs", 500}});
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, LoginsWithDifferentCodesAreNotShared) {
  json otherCode = credentials();
  otherCode["otpCode"] = "111111";
  login(credentialsWithCode());
  login(otherCode);
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, FinishedCallIsNotJoinedByTheNextOne) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  login();
  EXPECT_EQ(transport_.sentCount(), 2u);
}

TEST_F(AuthClientTest, SendOtpInFlightForSameUserIsSharedWhateverTheCase) {
  Recorder<SendOtpResult> first = sendOtp(otpInput(kUserId));
  Recorder<SendOtpResult> second = sendOtp(otpInput(kUserIdUpper));
  EXPECT_EQ(transport_.sentCount(), 1u);
  transport_.respond(200, kSuccessBody);
  EXPECT_TRUE(first.ok());
  EXPECT_TRUE(second.ok());
}

TEST_F(AuthClientTest, SendOtpInFlightIsJoinedWhateverItsTimeout) {
  Recorder<SendOtpResult> first = sendOtp(otpInput(), json{{"timeoutMs", 5000}});
  Recorder<SendOtpResult> second = sendOtp(otpInput(), json{{"timeoutMs", 9000}});
  EXPECT_EQ(transport_.sentCount(), 1u);  // one SMS
  transport_.respond(200, kSuccessBody);
  EXPECT_TRUE(first.ok());
  EXPECT_TRUE(second.ok());
}

TEST_F(AuthClientTest, AbortingOneSharerOfARequestDetachesOnlyThatCaller) {
  Recorder<LoginResult> first = login();
  Recorder<LoginResult> second = login();
  client_->abort(second.id);
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
  Recorder<LoginResult> first = login();
  Recorder<LoginResult> second = login();
  client_->abort(first.id);
  EXPECT_EQ(first.error().code, ErrorCode::kAborted);
  EXPECT_TRUE(transport_.cancelled().empty());
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_TRUE(second.ok());
  EXPECT_EQ(first.calls(), 1);
}

TEST_F(AuthClientTest, ARequestIsCancelledWhenNoCallerIsLeftWaiting) {
  Recorder<LoginResult> first = login();
  Recorder<LoginResult> second = login();
  client_->abort(first.id);
  client_->abort(second.id);
  EXPECT_EQ(first.calls(), 1);
  expectAbortedAndCancelled(second);
}

TEST_F(AuthClientTest, AbortingAFlowLeavesAPlainLoginSharingItsRequest) {
  CodePrompter app;
  Recorder<LoginResult> flow = loginWithOtp(app);
  Recorder<LoginResult> plain = login();
  EXPECT_EQ(transport_.sentCount(), 1u);
  client_->abort(flow.id);
  EXPECT_EQ(flow.error().code, ErrorCode::kAborted);
  EXPECT_TRUE(transport_.cancelled().empty());
  transport_.respond(200, kAuthenticatedBody);
  EXPECT_TRUE(plain.ok());
}

}  // namespace
}  // namespace baanx::client_tests
