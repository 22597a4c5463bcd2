// POST /v1/auth/logout: only tokens from a completed login are sessions, and logout revokes them.
#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using MockLogout = MockServerTest;

TEST_F(MockLogout, RevokesTheTokenAtOnce) {
  const std::string token = Login(kGraceEmail).StringField("accessToken");
  const HttpResult first = Logout(token);
  ASSERT_EQ(first.status, 200) << first.Message();
  EXPECT_EQ(first.body_json, json({{"success", true}}));
  const HttpResult second = Logout(token);
  EXPECT_EQ(second.status, 401);
  EXPECT_EQ(second.Message(), "Not authenticated");
}

TEST_F(MockLogout, AdaTokenAfterOtpCanLogOut) { EXPECT_EQ(Logout(AdaSessionToken()).status, 200); }

TEST_F(MockLogout, AdaPreOtpTokenCannotLogOut) {
  const HttpResult login = Login(kAdaEmail);
  ASSERT_EQ(login.BoolField("isOtpRequired"), true);
  const std::string token = login.StringField("accessToken");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(Logout(token).status, 401);
}

TEST_F(MockLogout, LinusOnboardingTokenCannotLogOut) {
  const std::string token = Login(kLinusEmail).StringField("accessToken");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(Logout(token).status, 401);
}

TEST_F(MockLogout, MissingAuthorizationGets401) {
  const HttpResult result = Request(port(), "POST", "/v1/auth/logout", ApiHeaders(), "");
  EXPECT_EQ(result.status, 401);
  EXPECT_EQ(result.Message(), "Not authenticated");
}

TEST_F(MockLogout, NonBearerAuthorizationGets401) {
  const std::string token = Login(kGraceEmail).StringField("accessToken");
  httplib::Headers headers = ApiHeaders();
  headers.emplace("Authorization", "Basic " + token);
  EXPECT_EQ(Request(port(), "POST", "/v1/auth/logout", headers, "").status, 401);
  EXPECT_EQ(Logout(token).status, 200) << "a refused logout must not revoke";
}

TEST_F(MockLogout, UnknownTokenGets401) {
  EXPECT_EQ(Logout("US_00000000-0000-4000-8000-000000000000").status, 401);
}

TEST_F(MockLogout, SessionLastsSixHours) {
  const std::string token = Login(kGraceEmail).StringField("accessToken");
  AdvanceClockMs(6LL * 3600 * 1000 - 60'000);
  EXPECT_EQ(Logout(token).status, 200);
}

TEST_F(MockLogout, SessionExpiresAfterSixHours) {
  const std::string token = Login(kGraceEmail).StringField("accessToken");
  AdvanceClockMs(6LL * 3600 * 1000);
  EXPECT_EQ(Logout(token).status, 401);
}

TEST_F(MockLogout, RevokingOneSessionLeavesOthers) {
  const std::string first = Login(kGraceEmail).StringField("accessToken");
  const std::string second = Login(kGraceEmail).StringField("accessToken");
  ASSERT_EQ(Logout(first).status, 200);
  EXPECT_EQ(Logout(second).status, 200);
}

}  // namespace
}  // namespace baanx::mock::testing
