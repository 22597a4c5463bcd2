// The OTP flow: POST /v1/auth/login/otp, login with otpCode, expiry, cooldown and lockout.
#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using MockOtp = MockServerTest;

// A six-digit code that is certainly not the live one.
std::string OtherCode(const std::string& code) { return code == "000000" ? "111111" : "000000"; }

TEST_F(MockOtp, SendOtpAnswersSuccessTrue) {
  const HttpResult result = SendOtp(kAdaUserId);
  ASSERT_EQ(result.status, 200) << result.Message();
  EXPECT_EQ(result.body_json, json({{"success", true}}));
}

TEST_F(MockOtp, FullFlowThroughTheMockPhoneAuthenticates) {
  ASSERT_EQ(Login(kAdaEmail).BoolField("isOtpRequired"), true);
  const std::string code = SendAdaCode();
  EXPECT_TRUE(IsSixDigits(code)) << "the code is not six digits";

  const HttpResult result = Login(kAdaEmail, kDemoPassword, code);
  ASSERT_EQ(result.status, 200) << result.Message();
  EXPECT_EQ(result.BoolField("isOtpRequired"), false);
  EXPECT_EQ(result.StringField("userId"), kAdaUserId);
  EXPECT_TRUE(result.IsNull("phase"));
  EXPECT_TRUE(IsSessionToken(result.StringField("accessToken"))) << "accessToken is not US_<uuid4>";
  EXPECT_EQ(Logout(result.StringField("accessToken")).status, 200);
}

TEST_F(MockOtp, CodeIsSingleUse) {
  const std::string code = SendAdaCode();
  ASSERT_EQ(Login(kAdaEmail, kDemoPassword, code).status, 200);
  const HttpResult again = Login(kAdaEmail, kDemoPassword, code);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.Message(), "Invalid OTP code");
}

TEST_F(MockOtp, MockPhoneIs404BeforeAnyCodeIsSent) {
  const HttpResult result = Get("/__mock/otp?userId=" + std::string(kAdaUserId));
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.Message(), "No code sent");
}

TEST_F(MockOtp, MockPhoneNeedsAUserId) { EXPECT_EQ(Get("/__mock/otp").status, 400); }

TEST_F(MockOtp, WrongCodeGets400InvalidOtp) {
  const std::string code = SendAdaCode();
  const HttpResult result = Login(kAdaEmail, kDemoPassword, OtherCode(code));
  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(result.Message(), "Invalid OTP code");
}

TEST_F(MockOtp, CodeWithoutAnySentIsRejected) {
  const HttpResult result = Login(kAdaEmail, kDemoPassword, std::string("123456"));
  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(result.Message(), "Invalid OTP code");
}

TEST_F(MockOtp, WrongCodeSignal200RepeatsOtpRequired) {
  SetConfig({{"wrongOtpSignal", 200}});
  const std::string code = SendAdaCode();
  const HttpResult result = Login(kAdaEmail, kDemoPassword, OtherCode(code));
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.BoolField("isOtpRequired"), true);
  EXPECT_EQ(result.StringField("phoneNumber"), "+445*****225");
  EXPECT_EQ(result.StringField("userId"), kAdaUserId);
  // The token in that answer is not a session.
  EXPECT_EQ(Logout(result.StringField("accessToken")).status, 401);
  // The right code still works afterwards.
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, code).BoolField("isOtpRequired"), false);
}

TEST_F(MockOtp, WrongCodeSignalFromTheCommandLineOption) {
  ServerOptions options = TestOptions();
  options.config.wrong_otp_signal = 200;
  Restart(options);
  SendAdaCode();
  const HttpResult result = Login(kAdaEmail, kDemoPassword, std::string("12345x"));
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.BoolField("isOtpRequired"), true);
}

TEST_F(MockOtp, CodeExpiresAfterTheOtpLifetime) {
  const std::string code = SendAdaCode();
  AdvanceClockMs(300'000);
  const HttpResult result = Login(kAdaEmail, kDemoPassword, code);
  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(result.Message(), "OTP code has expired");
}

TEST_F(MockOtp, CodeStillWorksJustBeforeTheOtpLifetime) {
  const std::string code = SendAdaCode();
  AdvanceClockMs(298'000);
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, code).status, 200);
}

TEST_F(MockOtp, OtpLifetimeIsConfigurable) {
  SetConfig({{"otpTtlS", 10}});
  const std::string code = SendAdaCode();
  AdvanceClockMs(10'000);
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, code).Message(), "OTP code has expired");
}

TEST_F(MockOtp, ResendWithinCooldownGets429WithRetryAfter) {
  ASSERT_EQ(SendOtp(kAdaUserId).status, 200);
  const HttpResult result = SendOtp(kAdaUserId);
  EXPECT_EQ(result.status, 429);
  EXPECT_EQ(result.Message(), "Too many requests");
  EXPECT_EQ(result.Header("Retry-After"), "60");
  EXPECT_EQ(result.Header("Access-Control-Expose-Headers"), "Retry-After");
}

TEST_F(MockOtp, RetryAfterCountsDownWithTheClockRoundedUp) {
  ASSERT_EQ(SendOtp(kAdaUserId).status, 200);
  AdvanceClockMs(30'500);
  EXPECT_EQ(SendOtp(kAdaUserId).Header("Retry-After"), "30");
  AdvanceClockMs(29'000);
  EXPECT_EQ(SendOtp(kAdaUserId).Header("Retry-After"), "1");
  AdvanceClockMs(500);
  EXPECT_EQ(SendOtp(kAdaUserId).status, 200);
}

TEST_F(MockOtp, ResendInvalidatesThePreviousCode) {
  SetConfig({{"resendCooldownS", 0}});
  std::string first = SendAdaCode();
  std::string second = SendAdaCode();
  // Codes are random; make sure the two differ before testing invalidation.
  for (int i = 0; i < 5 && first == second; ++i) second = SendAdaCode();
  ASSERT_TRUE(first != second) << "six random codes in a row were equal";
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, first).status, 400);
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, second).status, 200);
}

TEST_F(MockOtp, UnknownUserIdGets404) {
  const HttpResult result = SendOtp("00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.Message(), "User not found");
}

TEST_F(MockOtp, UserWithoutPhoneGets400) {
  for (const auto user_id : {kGraceUserId, kLinusUserId}) {
    const HttpResult result = SendOtp(user_id);
    EXPECT_EQ(result.status, 400) << user_id;
    EXPECT_EQ(result.Message(), "No phone number on file");
  }
}

TEST_F(MockOtp, LocksAfterMaxWrongCodes) {
  const std::string code = SendAdaCode();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Login(kAdaEmail, kDemoPassword, OtherCode(code)).status, 400) << "attempt " << i;
  }
  const HttpResult locked = Login(kAdaEmail, kDemoPassword, code);
  EXPECT_EQ(locked.status, 401);
  EXPECT_EQ(locked.Message(), "Account temporarily locked: too many attempts");
  // Every login is refused while locked, with or without a code.
  EXPECT_EQ(Login(kAdaEmail).status, 401);
  AdvanceClockMs(60'000);
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, code).Message(),
            "Account temporarily locked: too many attempts");
}

TEST_F(MockOtp, SendOtpWhileLockedGetsTheLockErrorAndSendsNothing) {
  const std::string code = SendAdaCode();
  for (int i = 0; i < 5; ++i) Login(kAdaEmail, kDemoPassword, OtherCode(code));
  ASSERT_EQ(Login(kAdaEmail).status, 401) << "five wrong codes did not lock";
  AdvanceClockMs(60'000);  // past the resend cooldown, well within the lock

  const HttpResult refused = SendOtp(kAdaUserId);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.Message(), "Account temporarily locked: too many attempts");
  EXPECT_EQ(Get("/__mock/otp?userId=" + std::string(kAdaUserId)).status, 404)
      << "a locked account was sent a code";
  EXPECT_EQ(Get("/__mock/sms").body_json["messages"].size(), 1u)
      << "a message went out during the lock";

  AdvanceClockMs(900'000);  // the lock lifts
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, SendAdaCode()).status, 200);
}

TEST_F(MockOtp, LockLiftsAfterTheLockDuration) {
  SetConfig({{"maxOtpAttempts", 2}, {"lockS", 120}});
  const std::string code = SendAdaCode();
  Login(kAdaEmail, kDemoPassword, OtherCode(code));
  Login(kAdaEmail, kDemoPassword, OtherCode(code));
  EXPECT_EQ(Login(kAdaEmail).status, 401);
  AdvanceClockMs(119'000);
  EXPECT_EQ(Login(kAdaEmail).status, 401);
  AdvanceClockMs(1'000);
  const HttpResult unlocked = Login(kAdaEmail);
  EXPECT_EQ(unlocked.status, 200);
  EXPECT_EQ(unlocked.BoolField("isOtpRequired"), true);
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, SendAdaCode()).status, 200);
}

TEST_F(MockOtp, CorrectLoginResetsWrongAttempts) {
  const std::string code = SendAdaCode();
  for (int i = 0; i < 4; ++i) Login(kAdaEmail, kDemoPassword, OtherCode(code));
  ASSERT_EQ(Login(kAdaEmail, kDemoPassword, code).status, 200);
  // The same code again: it was used up, so each of these is a wrong code that counts.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Login(kAdaEmail, kDemoPassword, OtherCode(code)).status, 400) << "attempt " << i;
  }
  EXPECT_EQ(Login(kAdaEmail).status, 200) << "locked although the count was reset";
}

TEST_F(MockOtp, ResendKeepsTheCountOfWrongCodes) {
  SetConfig({{"resendCooldownS", 0}});
  std::string code = SendAdaCode();
  for (int i = 0; i < 4; ++i) Login(kAdaEmail, kDemoPassword, OtherCode(code));
  code = SendAdaCode();
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, OtherCode(code)).status, 400);
  const HttpResult locked = Login(kAdaEmail, kDemoPassword, code);
  EXPECT_EQ(locked.status, 401) << "the resend gave the guesser a fresh count";
  EXPECT_EQ(locked.Message(), "Account temporarily locked: too many attempts");
}

// Four guesses per code, then a resend once the cooldown allows it: the lock must still come.
TEST_F(MockOtp, GuessesSpreadOverResendsReachTheLock) {
  int round = 0;
  for (; round < 10; ++round) {
    const HttpResult sent = SendOtp(kAdaUserId);
    if (sent.status == 401) break;
    ASSERT_EQ(sent.status, 200) << "round " << round << ": " << sent.Message();
    const std::string code = LiveCode(kAdaUserId);
    for (int i = 0; i < 4; ++i) Login(kAdaEmail, kDemoPassword, OtherCode(code));
    AdvanceClockMs(60'000);
  }
  EXPECT_EQ(round, 2) << "sendOtp was still answered after " << round << " rounds of guesses";
  EXPECT_EQ(Login(kAdaEmail).Message(), "Account temporarily locked: too many attempts");
}

}  // namespace
}  // namespace baanx::mock::testing
