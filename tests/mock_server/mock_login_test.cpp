// POST /v1/auth/login for every fixture user and for bad credentials.
#include <set>

#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using MockLogin = MockServerTest;

TEST_F(MockLogin, GraceIsAuthenticatedAtOnceWithTheDocumentedBody) {
  const HttpResult result = Login(kGraceEmail);
  ASSERT_EQ(result.status, 200) << result.Message();
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  EXPECT_TRUE(IsSessionToken(result.StringField("accessToken"))) << "accessToken is not US_<uuid4>";
  EXPECT_EQ(result.StringField("userId"), kGraceUserId);
  EXPECT_EQ(result.BoolField("isOtpRequired"), false);
  EXPECT_TRUE(result.IsNull("phoneNumber"));
  EXPECT_TRUE(result.IsNull("phase"));
  EXPECT_EQ(result.StringField("verificationState"), "VERIFIED");
  EXPECT_EQ(result.BoolField("isLinked"), false);
  EXPECT_EQ(result.body_json.size(), 7u) << "unexpected extra or missing fields";
}

TEST_F(MockLogin, GraceTokenIsAValidSession) {
  const HttpResult result = Login(kGraceEmail);
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(Logout(result.StringField("accessToken")).status, 200);
}

TEST_F(MockLogin, AdaWithoutCodeGetsOtpRequiredWithMaskedPhone) {
  const HttpResult result = Login(kAdaEmail);
  ASSERT_EQ(result.status, 200) << result.Message();
  EXPECT_EQ(result.StringField("userId"), kAdaUserId);
  EXPECT_EQ(result.BoolField("isOtpRequired"), true);
  EXPECT_EQ(result.StringField("phoneNumber"), "+445*****225");
  EXPECT_TRUE(result.IsNull("phase"));
  EXPECT_EQ(result.StringField("verificationState"), "VERIFIED");
  EXPECT_EQ(result.BoolField("isLinked"), false);
  // Like Baanx may, the mock sends a token that is not valid yet.
  EXPECT_TRUE(IsSessionToken(result.StringField("accessToken"))) << "accessToken is not US_<uuid4>";
}

TEST_F(MockLogin, LinusGetsOnboardingPhaseAndUnverifiedState) {
  const HttpResult result = Login(kLinusEmail);
  ASSERT_EQ(result.status, 200) << result.Message();
  EXPECT_EQ(result.StringField("userId"), kLinusUserId);
  EXPECT_EQ(result.StringField("phase"), "PHONE_NUMBER");
  EXPECT_EQ(result.BoolField("isOtpRequired"), false);
  EXPECT_EQ(result.StringField("verificationState"), "UNVERIFIED");
  EXPECT_EQ(result.BoolField("isLinked"), false);
  EXPECT_FALSE(result.StringField("accessToken").empty());
}

TEST_F(MockLogin, DisabledAccountGets403WithDisabledWording) {
  const HttpResult result = Login(kMalloryEmail);
  EXPECT_EQ(result.status, 403);
  EXPECT_EQ(result.Message(), "Your account has been disabled");
  EXPECT_NE(result.Message().find("account has been disabled"), std::string::npos);
}

TEST_F(MockLogin, DisabledAccountWithWrongPasswordGetsInvalidCredentials) {
  const HttpResult result = Login(kMalloryEmail, "wrong-password");
  EXPECT_EQ(result.status, 401);
  EXPECT_EQ(result.Message(), "Invalid email or password");
}

TEST_F(MockLogin, WrongPasswordGets401) {
  const HttpResult result = Login(kGraceEmail, "Demo-Passw0rd?");
  EXPECT_EQ(result.status, 401);
  EXPECT_EQ(result.Message(), "Invalid email or password");
}

TEST_F(MockLogin, UnknownEmailGetsTheSameAnswerAsWrongPassword) {
  const HttpResult unknown = Login("nobody@example.com");
  const HttpResult wrong_password = Login(kAdaEmail, "nope");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.status, wrong_password.status);
  EXPECT_EQ(unknown.body, wrong_password.body);
}

TEST_F(MockLogin, PasswordIsCaseSensitive) {
  EXPECT_EQ(Login(kGraceEmail, "demo-passw0rd!").status, 401);
}

TEST_F(MockLogin, EmailMatchingIsCaseInsensitive) {
  const HttpResult result = Login("GrAcE@Example.COM");
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.StringField("userId"), kGraceUserId);
}

TEST_F(MockLogin, OtpCodeIsIgnoredForAUserWithoutOtp) {
  const HttpResult result = Login(kGraceEmail, kDemoPassword, std::string("000000"));
  ASSERT_EQ(result.status, 200) << result.Message();
  EXPECT_EQ(result.BoolField("isOtpRequired"), false);
  EXPECT_EQ(Logout(result.StringField("accessToken")).status, 200);
}

TEST_F(MockLogin, EachLoginIssuesADistinctToken) {
  std::set<std::string> tokens;
  for (int i = 0; i < 5; ++i) tokens.insert(Login(kGraceEmail).StringField("accessToken"));
  EXPECT_EQ(tokens.size(), 5u);
}

TEST_F(MockLogin, UsEnvHeaderIsAccepted) {
  for (const char* value : {"true", "false", "garbage"}) {
    httplib::Headers headers = ApiHeaders();
    headers.emplace("x-us-env", value);
    const HttpResult result = PostJson(
        "/v1/auth/login",
        json{{"email", std::string(kGraceEmail)}, {"password", std::string(kDemoPassword)}},
        headers);
    EXPECT_EQ(result.status, 200) << "x-us-env: " << value;
  }
}

}  // namespace
}  // namespace baanx::mock::testing
