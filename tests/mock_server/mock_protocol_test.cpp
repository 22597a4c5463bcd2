// What every /v1/ request shares: the client key check, CORS, JSON errors, 404 and 405.
#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using MockClientKey = MockServerTest;
using MockCors = MockServerTest;
using MockRouting = MockServerTest;

const json kGraceLogin = {{"email", std::string(kGraceEmail)},
                          {"password", std::string(kDemoPassword)}};

TEST_F(MockClientKey, MissingKeyGets499) {
  const HttpResult result = PostJson("/v1/auth/login", kGraceLogin, {});
  EXPECT_EQ(result.status, 499);
  EXPECT_EQ(result.Message(), "Missing client key");
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
}

TEST_F(MockClientKey, EmptyKeyCountsAsMissing) {
  EXPECT_EQ(PostJson("/v1/auth/login", kGraceLogin, {{"x-client-key", ""}}).status, 499);
}

TEST_F(MockClientKey, WrongKeyGets498) {
  const HttpResult result = PostJson("/v1/auth/login", kGraceLogin, {{"x-client-key", "nope"}});
  EXPECT_EQ(result.status, 498);
  EXPECT_EQ(result.Message(), "Invalid client key");
}

TEST_F(MockClientKey, KeyIsCheckedBeforeTheBody) {
  EXPECT_EQ(PostRaw("/v1/auth/login", "{not json", {}).status, 499);
  EXPECT_EQ(PostRaw("/v1/auth/login", "{not json", {{"x-client-key", "nope"}}).status, 498);
}

TEST_F(MockClientKey, KeyIsCheckedOnEveryEndpoint) {
  EXPECT_EQ(PostJson("/v1/auth/login/otp", json{{"userId", std::string(kAdaUserId)}}, {}).status,
            499);
  EXPECT_EQ(Request(port(), "POST", "/v1/auth/logout", {}, "").status, 499);
  EXPECT_EQ(Get("/v1/unknown").status, 499);
}

TEST_F(MockClientKey, KeyHeaderNameIsCaseInsensitive) {
  EXPECT_EQ(
      PostJson("/v1/auth/login", kGraceLogin, {{"X-Client-Key", std::string(kClientKey)}}).status,
      200);
}

TEST_F(MockCors, PreflightAllowsTheCustomHeaders) {
  for (const char* path : {"/v1/auth/login", "/v1/auth/login/otp", "/v1/auth/logout", "/any"}) {
    const HttpResult result =
        Request(port(), "OPTIONS", path,
                {{"Origin", "http://localhost:3000"},
                 {"Access-Control-Request-Method", "POST"},
                 {"Access-Control-Request-Headers", "content-type,x-client-key"}});
    EXPECT_EQ(result.status, 204) << path;
    EXPECT_EQ(result.Header("Access-Control-Allow-Origin"), "*") << path;
    EXPECT_EQ(result.Header("Access-Control-Allow-Methods"), "GET, POST, OPTIONS") << path;
    EXPECT_EQ(result.Header("Access-Control-Allow-Headers"),
              "content-type, x-client-key, x-us-env, authorization")
        << path;
    EXPECT_EQ(result.Header("Access-Control-Max-Age"), "600") << path;
  }
}

TEST_F(MockCors, PreflightNeedsNoClientKey) {
  EXPECT_EQ(Request(port(), "OPTIONS", "/v1/auth/login", {}).status, 204);
}

TEST_F(MockCors, EveryAnswerCarriesAllowOriginAndExposesRetryAfter) {
  SendOtp(kAdaUserId);
  const HttpResult answers[] = {
      Login(kGraceEmail),                           // 200
      Login(kGraceEmail, "wrong"),                  // 401
      PostJson("/v1/auth/login", kGraceLogin, {}),  // 499
      SendOtp(kAdaUserId),                          // 429
      PostRaw("/v1/auth/login", "{"),               // 400
      Get("/v1/nothing-here", ApiHeaders()),        // 404
      Get("/nothing-here"),                         // 404, static side
  };
  for (const auto& result : answers) {
    EXPECT_EQ(result.Header("Access-Control-Allow-Origin"), "*") << result.status;
    EXPECT_EQ(result.Header("Access-Control-Expose-Headers"), "Retry-After") << result.status;
  }
}

TEST_F(MockRouting, UnknownApiPathGets404Json) {
  const HttpResult result = PostJson("/v1/auth/nothing", json::object());
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  EXPECT_FALSE(result.Message().empty());
}

TEST_F(MockRouting, WrongMethodGets405Json) {
  for (const char* path : {"/v1/auth/login", "/v1/auth/login/otp", "/v1/auth/logout"}) {
    const HttpResult result = Get(path, ApiHeaders());
    EXPECT_EQ(result.status, 405) << path;
    EXPECT_EQ(result.Message(), "Method not allowed") << path;
    EXPECT_EQ(result.Header("Content-Type"), "application/json") << path;
  }
  EXPECT_EQ(Request(port(), "PUT", "/v1/auth/login", ApiHeaders(), "{}").status, 405);
  EXPECT_EQ(Request(port(), "DELETE", "/v1/auth/login", ApiHeaders()).status, 405);
}

TEST_F(MockRouting, ErrorStatusesOfTheApiAreJson) {
  const HttpResult answers[] = {
      Login(kGraceEmail, "wrong"),
      Login(kMalloryEmail),
      PostRaw("/v1/auth/login", "{"),
      SendOtp("not-a-user"),
  };
  for (const auto& result : answers) {
    EXPECT_EQ(result.Header("Content-Type"), "application/json") << result.status;
    EXPECT_FALSE(result.Message().empty()) << result.status;
  }
}

}  // namespace
}  // namespace baanx::mock::testing
