// The test-mode hooks (/__mock/clock, reset, config, fault) and the always-on mock phone.
#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using MockTestHooks = MockServerTest;

class MockWithoutTestMode : public MockServerTest {
 protected:
  void SetUp() override {
    ServerOptions options = TestOptions();
    options.test_mode = false;
    Restart(options);
  }
};

int64_t NowMs(const HttpResult& result) {
  const auto it = result.body_json.find("nowMs");
  return it != result.body_json.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

int64_t RealNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(MockWithoutTestMode, TestHooksAre404) {
  const std::pair<const char*, const char*> hooks[] = {
      {"POST", "/__mock/clock"},  {"GET", "/__mock/clock"},  {"POST", "/__mock/reset"},
      {"POST", "/__mock/config"}, {"GET", "/__mock/config"}, {"POST", "/__mock/fault"},
      {"DELETE", "/__mock/fault"}};
  for (const auto& [method, path] : hooks) {
    const HttpResult result = Request(port(), method, path, {}, "{\"advanceMs\":1000}");
    EXPECT_EQ(result.status, 404) << method << " " << path;
    EXPECT_EQ(result.Header("Content-Type"), "application/json") << method << " " << path;
  }
}

TEST_F(MockWithoutTestMode, FaultsCannotBeArmed) {
  PostJson("/__mock/fault", json{{"path", "/v1/auth/login"}, {"kind", "html_5xx"}}, {});
  EXPECT_EQ(Login(kGraceEmail).status, 200);
}

TEST_F(MockWithoutTestMode, MockPhoneStillWorks) {
  ASSERT_EQ(SendOtp(kAdaUserId).status, 200);
  const std::string code = LiveCode(kAdaUserId);
  EXPECT_TRUE(IsSixDigits(code)) << "the mock phone gave no six-digit code";
  EXPECT_EQ(Get("/__mock/sms").status, 200);
}

TEST_F(MockTestHooks, ClockAdvanceMovesNowForward) {
  const int64_t before = NowMs(Get("/__mock/clock"));
  const HttpResult advanced = PostJson("/__mock/clock", json{{"advanceMs", 3'600'000}}, {});
  ASSERT_EQ(advanced.status, 200);
  EXPECT_GE(NowMs(advanced) - before, 3'600'000);
  EXPECT_LT(NowMs(advanced) - before, 3'660'000);
}

TEST_F(MockTestHooks, ClockRejectsBadAdvances) {
  for (const json& body : {json{{"advanceMs", -1}}, json{{"advanceMs", 1.5}},
                           json{{"advanceMs", "10"}}, json::object()}) {
    const HttpResult result = PostJson("/__mock/clock", body, {});
    EXPECT_EQ(result.status, 400) << body.dump();
    EXPECT_NE(result.Message().find("advanceMs"), std::string::npos) << result.Message();
  }
}

TEST_F(MockTestHooks, ResetRestoresFreshState) {
  SetConfig({{"otpTtlS", 5}, {"maxOtpAttempts", 1}});
  const std::string token = Login(kGraceEmail).StringField("accessToken");
  SendAdaCode();
  Login(kAdaEmail, kDemoPassword, std::string("abcdef"));  // locks ada (max 1)
  ASSERT_EQ(Login(kAdaEmail).status, 401);
  AdvanceClockMs(86'400'000);
  ArmFault({{"path", "/v1/auth/login"}, {"kind", "html_5xx"}});

  const HttpResult reset = PostJson("/__mock/reset", json::object(), {});
  ASSERT_EQ(reset.status, 200);
  EXPECT_EQ(reset.body_json, json({{"success", true}}));

  EXPECT_EQ(Login(kAdaEmail).status, 200) << "lock or fault survived the reset";
  EXPECT_EQ(Get("/__mock/otp?userId=" + std::string(kAdaUserId)).status, 404);
  EXPECT_TRUE(Get("/__mock/sms").body_json["messages"].empty());
  EXPECT_EQ(SendOtp(kAdaUserId).status, 200) << "cooldown survived the reset";
  EXPECT_EQ(Logout(token).status, 401) << "sessions survived the reset";
  EXPECT_LT(std::abs(NowMs(Get("/__mock/clock")) - RealNowMs()), 60'000);
  HttpResult config = Get("/__mock/config");
  EXPECT_EQ(config.body_json["otpTtlS"], 300);
  EXPECT_EQ(config.body_json["maxOtpAttempts"], 5);
}

TEST_F(MockTestHooks, ResetRestoresTheCommandLineConfig) {
  ServerOptions options = TestOptions();
  options.config.wrong_otp_signal = 200;
  options.config.lock_s = 30;
  Restart(options);
  SetConfig({{"wrongOtpSignal", 400}, {"lockS", 1}});
  ASSERT_EQ(PostJson("/__mock/reset", json::object(), {}).status, 200);
  HttpResult config = Get("/__mock/config");
  EXPECT_EQ(config.body_json["wrongOtpSignal"], 200);
  EXPECT_EQ(config.body_json["lockS"], 30);
}

TEST_F(MockTestHooks, ConfigAcceptsAnySubsetAndAnswersTheWholeConfig) {
  const HttpResult result = PostJson("/__mock/config", json{{"resendCooldownS", 5}}, {});
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.body_json, json({{"wrongOtpSignal", 400},
                                    {"otpTtlS", 300},
                                    {"resendCooldownS", 5},
                                    {"maxOtpAttempts", 5},
                                    {"lockS", 900}}));
}

TEST_F(MockTestHooks, ConfigRejectsBadValuesAndUnknownFields) {
  for (const json& body :
       {json{{"wrongOtpSignal", 300}}, json{{"otpTtlS", 0}}, json{{"maxOtpAttempts", "5"}},
        json{{"lockS", -1}}, json{{"otpTTL", 5}}}) {
    EXPECT_EQ(PostJson("/__mock/config", body, {}).status, 400) << body.dump();
  }
  EXPECT_EQ(Get("/__mock/config").body_json["otpTtlS"], 300) << "a refused change was applied";
}

TEST_F(MockTestHooks, ResendCooldownIsConfigurable) {
  SetConfig({{"resendCooldownS", 0}});
  EXPECT_EQ(SendOtp(kAdaUserId).status, 200);
  EXPECT_EQ(SendOtp(kAdaUserId).status, 200);
}

TEST_F(MockTestHooks, SmsLogIsNewestFirstAndKeepsTwenty) {
  SetConfig({{"resendCooldownS", 0}});
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(SendOtp(kAdaUserId).status, 200);
    AdvanceClockMs(1);
  }
  HttpResult sms = Get("/__mock/sms");
  ASSERT_EQ(sms.status, 200);
  json& messages = sms.body_json["messages"];
  ASSERT_EQ(messages.size(), 20u);
  for (size_t i = 0; i < messages.size(); ++i) {
    EXPECT_EQ(messages[i]["userId"], std::string(kAdaUserId));
    EXPECT_EQ(messages[i]["phoneNumber"], "+445*****225");
    EXPECT_TRUE(messages[i]["sentAt"].is_number_integer());
    if (i > 0) {
      EXPECT_GT(messages[i - 1]["sentAt"], messages[i]["sentAt"]);
    }
  }
  EXPECT_TRUE(messages[0]["code"] == LiveCode(kAdaUserId))
      << "the newest message does not hold the live code";
}

// A page from another origin must not read the mock phone or drive the hooks: no CORS headers on
// any /__mock/ answer, with or without test mode, and no preflight allowance.
const httplib::Headers kForeignOrigin = {{"Origin", "http://evil.example"}};

void ExpectNoCors(const HttpResult& result, const std::string& what) {
  EXPECT_NE(result.status, 0) << what << ": no answer";
  for (const char* header : {"Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                             "Access-Control-Allow-Headers", "Access-Control-Expose-Headers",
                             "Access-Control-Allow-Credentials"}) {
    EXPECT_EQ(result.Header(header), "") << what << " answered with " << header;
  }
}

TEST_F(MockTestHooks, HooksCarryNoCorsHeaders) {
  ASSERT_EQ(SendOtp(kAdaUserId).status, 200);
  const std::string otp = "/__mock/otp?userId=" + std::string(kAdaUserId);
  ExpectNoCors(Get(otp, kForeignOrigin), "GET /__mock/otp");
  ExpectNoCors(Get("/__mock/otp", kForeignOrigin), "GET /__mock/otp without userId");
  ExpectNoCors(Get("/__mock/sms", kForeignOrigin), "GET /__mock/sms");
  ExpectNoCors(Get("/__mock/clock", kForeignOrigin), "GET /__mock/clock");
  ExpectNoCors(Get("/__mock/config", kForeignOrigin), "GET /__mock/config");
  ExpectNoCors(Get("/__mock/nothing", kForeignOrigin), "GET /__mock/nothing");
  ExpectNoCors(PostJson("/__mock/reset", json::object(), kForeignOrigin), "POST /__mock/reset");
  ExpectNoCors(PostRaw("/__mock/config", "x=1", kForeignOrigin), "refused POST /__mock/config");
}

TEST_F(MockWithoutTestMode, MockPhoneCarriesNoCorsHeaders) {
  ASSERT_EQ(SendOtp(kAdaUserId).status, 200);
  ExpectNoCors(Get("/__mock/otp?userId=" + std::string(kAdaUserId), kForeignOrigin),
               "GET /__mock/otp");
  ExpectNoCors(Get("/__mock/sms", kForeignOrigin), "GET /__mock/sms");
}

TEST_F(MockTestHooks, PreflightToAHookIsNotAllowed) {
  for (const char* path : {"/__mock/otp", "/__mock/sms", "/__mock/reset", "/__mock/config",
                           "/__mock/clock", "/__mock/fault"}) {
    httplib::Headers preflight = kForeignOrigin;
    preflight.emplace("Access-Control-Request-Method", "POST");
    preflight.emplace("Access-Control-Request-Headers", "content-type");
    ExpectNoCors(Request(port(), "OPTIONS", path, preflight), std::string("OPTIONS ") + path);
  }
}

TEST_F(MockTestHooks, StateChangingHooksRefuseAnythingButJson) {
  SetConfig({{"maxOtpAttempts", 1}});
  const std::pair<const char*, const char*> hooks[] = {{"POST", "/__mock/reset"},
                                                       {"POST", "/__mock/config"},
                                                       {"POST", "/__mock/clock"},
                                                       {"POST", "/__mock/fault"},
                                                       {"DELETE", "/__mock/fault"}};
  // What an HTML form can send, a fetch with a plain string body, and no type at all.
  for (const char* type :
       {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=b", "application/jsonp", ""}) {
    for (const auto& [method, path] : hooks) {
      const HttpResult result = Request(port(), method, path, {}, "{}", type);
      EXPECT_EQ(result.status, 415) << method << " " << path << " as '" << type << "'";
      EXPECT_EQ(result.Message(), "Content-Type must be application/json")
          << method << " " << path << " as '" << type << "'";
    }
  }
  EXPECT_EQ(Get("/__mock/config").body_json["maxOtpAttempts"], 1) << "a refused reset applied";
}

TEST_F(MockTestHooks, StateChangingHooksTakeJsonWithParameters) {
  for (const char* type :
       {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"}) {
    EXPECT_EQ(Request(port(), "POST", "/__mock/reset", {}, "{}", type).status, 200) << type;
  }
  EXPECT_EQ(Request(port(), "DELETE", "/__mock/fault", {}, "", "application/json").status, 200);
}

TEST_F(MockTestHooks, UnknownMockPathGets404) { EXPECT_EQ(Get("/__mock/nothing").status, 404); }

TEST_F(MockTestHooks, WrongMethodOnAHookGets405) {
  EXPECT_EQ(Get("/__mock/reset").status, 405);
  EXPECT_EQ(PostJson("/__mock/otp", json::object(), {}).status, 405);
}

}  // namespace
}  // namespace baanx::mock::testing
