#include "core/requests.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "test_support.hpp"

namespace baanx {
namespace {

using fakes::hasHeader;
using nlohmann::json;

constexpr const char* kClientKey = "ck_live_7Hq2ZxVb9Lm4";
constexpr const char* kPassword = "Tr0ub4dor&3-horse";
constexpr const char* kToken = "US_b6b9168a-7c1e-4f0a-9d2b-3e4f5a6b7c8d";
constexpr const char* kUserId = "b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9";

ClientConfig config(Region region = Region::kInternational) {
  ClientConfig result;
  result.baseUrl = BaseUrl{"https://dev.api.baanx.com", ""};
  result.clientKey = kClientKey;
  result.region = region;
  return result;
}

LoginInput credentials() {
  LoginInput input;
  input.email = "ada@example.com";
  input.password = kPassword;
  return input;
}

// The body as the server would read it; discarded (not an object) when it is not JSON.
json parsedBody(const HttpRequest& request) { return json::parse(request.body, nullptr, false); }

TEST(EndpointUrl, JoinsOriginAndPath) {
  EXPECT_EQ(endpointUrl(BaseUrl{"https://dev.api.baanx.com", ""}, kLoginPath),
            "https://dev.api.baanx.com/v1/auth/login");
}

TEST(EndpointUrl, KeepsPathPrefix) {
  EXPECT_EQ(endpointUrl(BaseUrl{"http://127.0.0.1:8080", "/proxy/baanx"}, kSendOtpPath),
            "http://127.0.0.1:8080/proxy/baanx/v1/auth/login/otp");
}

TEST(EndpointUrl, JoinsParsedBaseUrlWithTrailingSlashWithoutDoubleSlash) {
  auto base = parseBaseUrl("https://example.com/proxy/");
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(endpointUrl(base.value(), kLogoutPath), "https://example.com/proxy/v1/auth/logout");
}

TEST(BuildLoginRequest, PostsJsonToLoginEndpoint) {
  HttpRequest request = buildLoginRequest(config(), credentials(), 15000);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://dev.api.baanx.com/v1/auth/login");
  EXPECT_TRUE(hasHeader(request.headers, "Content-Type", "application/json"));
}

TEST(BuildLoginRequest, CarriesClientKey) {
  HttpRequest request = buildLoginRequest(config(), credentials(), 15000);
  EXPECT_TRUE(hasHeader(request.headers, "x-client-key", kClientKey));
}

TEST(BuildLoginRequest, OmitsUsEnvForInternational) {
  HttpRequest request = buildLoginRequest(config(Region::kInternational), credentials(), 15000);
  EXPECT_EQ(findHeader(request.headers, "x-us-env"), nullptr);
}

TEST(BuildLoginRequest, OmitsAuthorization) {
  HttpRequest request = buildLoginRequest(config(), credentials(), 15000);
  EXPECT_EQ(findHeader(request.headers, "Authorization"), nullptr);
}

TEST(BuildLoginRequest, BodyWithoutCodeHoldsEmailAndPasswordOnly) {
  json body = parsedBody(buildLoginRequest(config(), credentials(), 15000));
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body.size(), 2u);
  EXPECT_EQ(body.value("email", ""), "ada@example.com");
  EXPECT_TRUE(body.value("password", "") == kPassword);
  EXPECT_FALSE(body.contains("otpCode"));
}

TEST(BuildLoginRequest, BodyWithCodeCarriesOtpCodeAsString) {
  LoginInput input = credentials();
  input.otpCode = "123456";
  json body = parsedBody(buildLoginRequest(config(), input, 15000));
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body.size(), 3u);
  ASSERT_TRUE(body.contains("otpCode"));
  EXPECT_TRUE(body["otpCode"].is_string());
  EXPECT_TRUE(body["otpCode"] == "123456");
}

TEST(BuildLoginRequest, EscapesQuotesAndBackslashesInPassword) {
  LoginInput input = credentials();
  input.password = "p\"a\\s{s}\n\xC3\xA9";
  json body = parsedBody(buildLoginRequest(config(), input, 15000));
  ASSERT_TRUE(body.is_object());
  EXPECT_TRUE(body.value("password", "") == input.password);
}

TEST(BuildLoginRequest, ReplacesInvalidUtf8InsteadOfFailing) {
  LoginInput input = credentials();
  input.password = "pass\xFFword";
  json body = parsedBody(buildLoginRequest(config(), input, 15000));
  ASSERT_TRUE(body.is_object());
  EXPECT_TRUE(body.contains("password"));
}

TEST(BuildSendOtpRequest, PostsUserIdToOtpEndpoint) {
  HttpRequest request = buildSendOtpRequest(config(), SendOtpInput{kUserId}, 15000);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://dev.api.baanx.com/v1/auth/login/otp");
  EXPECT_TRUE(hasHeader(request.headers, "Content-Type", "application/json"));
  EXPECT_TRUE(hasHeader(request.headers, "x-client-key", kClientKey));
  json body = parsedBody(request);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body, json({{"userId", kUserId}}));
}

TEST(BuildLogoutRequest, CarriesBearerToken) {
  HttpRequest request = buildLogoutRequest(config(), kToken, 15000);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://dev.api.baanx.com/v1/auth/logout");
  EXPECT_TRUE(hasHeader(request.headers, "Authorization", std::string("Bearer ") + kToken));
  EXPECT_TRUE(hasHeader(request.headers, "x-client-key", kClientKey));
}

TEST(BuildLogoutRequest, SendsEmptyJsonObject) {
  json body = parsedBody(buildLogoutRequest(config(), kToken, 15000));
  EXPECT_EQ(body, json::object());
}

TEST(BuildRequests, UsRegionAddsUsEnvToEveryRequest) {
  const ClientConfig us = config(Region::kUs);
  EXPECT_TRUE(hasHeader(buildLoginRequest(us, credentials(), 1).headers, "x-us-env", "true"));
  EXPECT_TRUE(
      hasHeader(buildSendOtpRequest(us, SendOtpInput{kUserId}, 1).headers, "x-us-env", "true"));
  EXPECT_TRUE(hasHeader(buildLogoutRequest(us, kToken, 1).headers, "x-us-env", "true"));
}

TEST(BuildRequests, CarryTimeout) {
  EXPECT_EQ(buildLoginRequest(config(), credentials(), 2500).timeoutMs, 2500);
  EXPECT_EQ(buildSendOtpRequest(config(), SendOtpInput{kUserId}, 3500).timeoutMs, 3500);
  EXPECT_EQ(buildLogoutRequest(config(), kToken, 4500).timeoutMs, 4500);
}

}  // namespace
}  // namespace baanx
