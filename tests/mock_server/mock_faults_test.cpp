// Fault injection: each kind, how many times it fires, which path it hits, and clearing it.
#include <ctime>
#include <future>
#include <thread>

#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using MockFaults = MockServerTest;

const char* const kLogin = "/v1/auth/login";

TEST_F(MockFaults, DelayAnswersNormallyAfterTheDelay) {
  ArmFault({{"path", kLogin}, {"kind", "delay"}, {"delayMs", 400}});
  const auto start = std::chrono::steady_clock::now();
  const HttpResult result = Login(kGraceEmail);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.BoolField("isOtpRequired"), false);
  EXPECT_GE(elapsed, std::chrono::milliseconds(400));
  const auto undelayed_start = std::chrono::steady_clock::now();
  Login(kGraceEmail);
  EXPECT_LT(std::chrono::steady_clock::now() - undelayed_start, std::chrono::milliseconds(400));
}

TEST_F(MockFaults, DelayIsCappedAtSixtySeconds) {
  HttpResult armed = PostJson(
      "/__mock/fault", json{{"path", kLogin}, {"kind", "delay"}, {"delayMs", 3'600'000}}, {});
  ASSERT_EQ(armed.status, 200);
  EXPECT_EQ(armed.body_json["delayMs"], 60'000);
}

TEST_F(MockFaults, StoppingTheServerEndsAPendingDelay) {
  ArmFault({{"path", kLogin}, {"kind", "delay"}, {"delayMs", 60'000}});
  const int server_port = port();
  auto pending = std::async(std::launch::async, [server_port] {
    return Request(server_port, "POST", kLogin, ApiHeaders(), "{}");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(pending.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

TEST_F(MockFaults, Html5xxDefaultsTo502WithAnHtmlBody) {
  ArmFault({{"path", kLogin}, {"kind", "html_5xx"}});
  const HttpResult result = Login(kGraceEmail);
  EXPECT_EQ(result.status, 502);
  EXPECT_EQ(result.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(result.body.find("<html>"), std::string::npos);
  EXPECT_TRUE(result.body_json.is_discarded());
  EXPECT_EQ(result.Header("Access-Control-Allow-Origin"), "*");
}

TEST_F(MockFaults, Html5xxTakesAStatus) {
  ArmFault({{"path", kLogin}, {"kind", "html_5xx"}, {"status", 503}});
  EXPECT_EQ(Login(kGraceEmail).status, 503);
}

TEST_F(MockFaults, StatusAnswersStatusBodyAndTypeVerbatim) {
  ArmFault({{"path", kLogin},
            {"kind", "status"},
            {"status", 401},
            {"body", R"({"error":"invalid_grant","error_description":"Token expired"})"},
            {"contentType", "application/problem+json"}});
  const HttpResult result = Login(kGraceEmail);
  EXPECT_EQ(result.status, 401);
  EXPECT_EQ(result.body, R"({"error":"invalid_grant","error_description":"Token expired"})");
  EXPECT_EQ(result.Header("Content-Type"), "application/problem+json");
}

TEST_F(MockFaults, StatusWithoutBodyStaysEmpty) {
  ArmFault({{"path", kLogin}, {"kind", "status"}, {"status", 500}});
  const HttpResult result = Login(kGraceEmail);
  EXPECT_EQ(result.status, 500);
  EXPECT_TRUE(result.body.empty()) << result.body;
}

TEST_F(MockFaults, StatusBodyDefaultsToJsonContentType) {
  ArmFault({{"path", kLogin}, {"kind", "status"}, {"status", 418}, {"body", "{\"error\":\"x\"}"}});
  const HttpResult result = Login(kGraceEmail);
  EXPECT_EQ(result.status, 418);
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
}

TEST_F(MockFaults, TruncatedJsonIsA200JsonBodyCutShort) {
  ArmFault({{"path", kLogin}, {"kind", "truncated_json"}});
  const HttpResult result = Login(kGraceEmail);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  EXPECT_EQ(result.body.front(), '{');
  EXPECT_TRUE(result.body_json.is_discarded()) << "the body parsed as JSON";
}

TEST_F(MockFaults, WrongTypesOnLoginSendsFieldsOfTheWrongTypes) {
  ArmFault({{"path", kLogin}, {"kind", "wrong_types"}});
  HttpResult result = Login(kGraceEmail);
  EXPECT_EQ(result.status, 200);
  ASSERT_TRUE(result.body_json.is_object());
  EXPECT_TRUE(result.body_json["isOtpRequired"].is_string());
  EXPECT_TRUE(result.body_json["userId"].is_number());
  EXPECT_TRUE(result.body_json["accessToken"].is_number());
  EXPECT_TRUE(result.body_json["isLinked"].is_string());
}

TEST_F(MockFaults, WrongTypesOnSendOtpSendsANonBooleanSuccess) {
  ArmFault({{"path", "/v1/auth/login/otp"}, {"kind", "wrong_types"}});
  HttpResult result = SendOtp(kAdaUserId);
  EXPECT_EQ(result.status, 200);
  EXPECT_TRUE(result.body_json["success"].is_string());
}

TEST_F(MockFaults, DropClosesTheConnectionWithoutAByte) {
  ArmFault({{"path", kLogin}, {"kind", "drop"}});
  const RawExchange exchange =
      RawRequest(port(),
                 "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nx-client-key: demo-client-key\r\n"
                 "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_TRUE(exchange.closed_by_server);
  EXPECT_EQ(exchange.received.size(), 0u) << exchange.received.substr(0, 80);
  EXPECT_EQ(Login(kGraceEmail).status, 200) << "the fault fired more than once";
}

TEST_F(MockFaults, DropGivesAnHttpClientNoResponse) {
  ArmFault({{"path", kLogin}, {"kind", "drop"}});
  EXPECT_EQ(Login(kGraceEmail).status, 0);
}

TEST_F(MockFaults, RateLimitSecondsSendsRetryAfterSeconds) {
  ArmFault({{"path", kLogin}, {"kind", "rate_limit_seconds"}, {"seconds", 17}});
  const HttpResult result = Login(kGraceEmail);
  EXPECT_EQ(result.status, 429);
  EXPECT_EQ(result.Header("Retry-After"), "17");
  EXPECT_EQ(result.Header("Access-Control-Expose-Headers"), "Retry-After");
  EXPECT_EQ(result.Message(), "Too many requests");
}

TEST_F(MockFaults, RateLimitDateSendsAnHttpDateFromTheMockClock) {
  AdvanceClockMs(86'400'000);  // the date must follow the mock's clock, not the wall clock
  ArmFault({{"path", kLogin}, {"kind", "rate_limit_date"}, {"seconds", 120}});
  HttpResult now = Get("/__mock/clock");
  ASSERT_TRUE(now.body_json["nowMs"].is_number_integer());
  const int64_t mock_now_s = now.body_json["nowMs"].get<int64_t>() / 1000;
  const HttpResult result = Login(kGraceEmail);
  EXPECT_EQ(result.status, 429);
  const std::string date = result.Header("Retry-After");
  std::tm parsed{};
  const char* end = strptime(date.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parsed);
  ASSERT_TRUE(end != nullptr && *end == '\0') << "not an IMF-fixdate: " << date;
  EXPECT_EQ(date.size(), 29u) << date;
  const int64_t retry_at_s = static_cast<int64_t>(timegm(&parsed));
  EXPECT_GE(retry_at_s - mock_now_s, 120) << date;
  EXPECT_LE(retry_at_s - mock_now_s, 122) << date;
}

TEST(MockHttpDate, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(784111777000), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST_F(MockFaults, FiresForTheGivenNumberOfRequests) {
  ArmFault({{"path", kLogin}, {"kind", "html_5xx"}, {"times", 2}});
  EXPECT_EQ(Login(kGraceEmail).status, 502);
  EXPECT_EQ(Login(kGraceEmail).status, 502);
  EXPECT_EQ(Login(kGraceEmail).status, 200);
}

TEST_F(MockFaults, FaultsOnOnePathFireInArmingOrder) {
  ArmFault({{"path", kLogin}, {"kind", "status"}, {"status", 503}});
  ArmFault({{"path", kLogin}, {"kind", "rate_limit_seconds"}, {"seconds", 1}});
  EXPECT_EQ(Login(kGraceEmail).status, 503);
  EXPECT_EQ(Login(kGraceEmail).status, 429);
  EXPECT_EQ(Login(kGraceEmail).status, 200);
}

TEST_F(MockFaults, OnlyTheArmedPathIsAffected) {
  ArmFault({{"path", "/v1/auth/login/otp"}, {"kind", "html_5xx"}});
  EXPECT_EQ(Login(kGraceEmail).status, 200);
  EXPECT_EQ(SendOtp(kAdaUserId).status, 502);
}

TEST_F(MockFaults, PreflightIsNotFaulted) {
  ArmFault({{"path", kLogin}, {"kind", "drop"}});
  EXPECT_EQ(Request(port(), "OPTIONS", kLogin, {}).status, 204);
  EXPECT_EQ(Login(kGraceEmail).status, 0);
}

TEST_F(MockFaults, DeleteClearsAllFaults) {
  ArmFault({{"path", kLogin}, {"kind", "html_5xx"}, {"times", 5}});
  ArmFault({{"path", "/v1/auth/logout"}, {"kind", "drop"}});
  const HttpResult cleared = Request(port(), "DELETE", "/__mock/fault", {});
  EXPECT_EQ(cleared.status, 200);
  EXPECT_EQ(Login(kGraceEmail).status, 200);
  EXPECT_EQ(Logout("US_unknown").status, 401);
}

TEST_F(MockFaults, BadFaultsAreRefused) {
  const json bad[] = {
      json{{"path", kLogin}, {"kind", "explode"}},
      json{{"path", "/__mock/otp"}, {"kind", "drop"}},
      json{{"kind", "drop"}},
      json{{"path", kLogin}, {"kind", "delay"}},
      json{{"path", kLogin}, {"kind", "status"}},
      json{{"path", kLogin}, {"kind", "status"}, {"status", 700}},
      json{{"path", kLogin}, {"kind", "status"}, {"status", 200}, {"contentType", "a\r\nX: y"}},
      json{{"path", kLogin}, {"kind", "html_5xx"}, {"status", 404}},
      json{{"path", kLogin}, {"kind", "drop"}, {"times", 0}},
      json::array(),
  };
  for (const auto& fault : bad) {
    const HttpResult result = PostJson("/__mock/fault", fault, {});
    EXPECT_EQ(result.status, 400) << fault.dump();
    EXPECT_FALSE(result.Message().empty()) << fault.dump();
  }
  EXPECT_EQ(Login(kGraceEmail).status, 200) << "a refused fault was armed";
}

}  // namespace
}  // namespace baanx::mock::testing
