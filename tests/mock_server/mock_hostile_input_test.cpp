// Bad and hostile requests: a JSON 4xx or a closed connection, never a crash or a hang.
#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using MockValidation = MockServerTest;
using MockHostileHttp = MockServerTest;

constexpr size_t kLimit = 64 * 1024;

// The server still answers normally.
void ExpectAlive(int port) {
  const HttpResult result = Request(
      port, "POST", "/v1/auth/login", ApiHeaders(),
      json{{"email", std::string(kGraceEmail)}, {"password", std::string(kDemoPassword)}}.dump());
  EXPECT_EQ(result.status, 200) << "the server no longer answers";
}

bool IsJson4xx(const RawExchange& exchange) {
  return exchange.received.rfind("HTTP/1.1 4", 0) == 0 &&
         exchange.received.find("Content-Type: application/json") != std::string::npos &&
         exchange.received.find("{\"message\":") != std::string::npos;
}

TEST_F(MockValidation, MalformedJsonGets400) {
  for (const char* body : {"{", "", "not json", "{\"email\":}", "{\"email\":\"a\",}"}) {
    const HttpResult result = PostRaw("/v1/auth/login", body);
    EXPECT_EQ(result.status, 400) << body;
    EXPECT_EQ(result.Message(), "Malformed JSON body") << body;
  }
}

TEST_F(MockValidation, BodyThatIsNotAnObjectGets400) {
  for (const char* body : {"[]", "\"text\"", "42", "null", "true"}) {
    const HttpResult result = PostRaw("/v1/auth/login", body);
    EXPECT_EQ(result.status, 400) << body;
    EXPECT_EQ(result.Message(), "Request body must be a JSON object") << body;
  }
}

TEST_F(MockValidation, MissingOrNonStringEmailNamesTheField) {
  for (const json& body : {json{{"password", "x"}}, json{{"email", 7}, {"password", "x"}},
                           json{{"email", nullptr}, {"password", "x"}}}) {
    const HttpResult result = PostJson("/v1/auth/login", body);
    EXPECT_EQ(result.status, 400);
    EXPECT_NE(result.Message().find("email"), std::string::npos) << result.Message();
  }
}

TEST_F(MockValidation, MissingOrNonStringPasswordNamesTheField) {
  for (const json& body :
       {json{{"email", "a@b.c"}}, json{{"email", "a@b.c"}, {"password", json::array()}}}) {
    const HttpResult result = PostJson("/v1/auth/login", body);
    EXPECT_EQ(result.status, 400);
    EXPECT_NE(result.Message().find("password"), std::string::npos) << result.Message();
  }
}

TEST_F(MockValidation, NonStringOtpCodeNamesTheField) {
  for (const json& code : {json(123456), json(nullptr), json::object()}) {
    const HttpResult result =
        PostJson("/v1/auth/login", json{{"email", std::string(kAdaEmail)},
                                        {"password", std::string(kDemoPassword)},
                                        {"otpCode", code}});
    EXPECT_EQ(result.status, 400);
    EXPECT_NE(result.Message().find("otpCode"), std::string::npos) << result.Message();
  }
}

TEST_F(MockValidation, ErrorMessagesNeverEchoThePassword) {
  const std::string password = "S3cret-Value-That-Must-Not-Echo";
  const HttpResult answers[] = {
      PostJson("/v1/auth/login", json{{"email", 1}, {"password", password}}),
      PostJson("/v1/auth/login", json{{"email", "x@y.z"}, {"password", password}}),
      PostJson("/v1/auth/login", json{{"email", "x@y.z"}, {"password", password}, {"otpCode", 1}}),
  };
  for (const auto& result : answers) {
    EXPECT_EQ(result.body.find(password), std::string::npos) << "the password was echoed";
  }
}

TEST_F(MockValidation, SendOtpBodyIsValidated) {
  EXPECT_EQ(PostRaw("/v1/auth/login/otp", "{").Message(), "Malformed JSON body");
  const HttpResult missing = PostJson("/v1/auth/login/otp", json::object());
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.Message().find("userId"), std::string::npos) << missing.Message();
  const HttpResult wrong_type = PostJson("/v1/auth/login/otp", json{{"userId", 42}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_NE(wrong_type.Message().find("userId"), std::string::npos) << wrong_type.Message();
}

TEST_F(MockValidation, BodyOver64KiBGets413Json) {
  const HttpResult result = PostRaw("/v1/auth/login", std::string(kLimit + 1, ' '));
  EXPECT_EQ(result.status, 413);
  EXPECT_EQ(result.Message(), "Request body too large");
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  ExpectAlive(port());
}

TEST_F(MockValidation, BodyOfExactly64KiBIsAccepted) {
  std::string body =
      json{{"email", std::string(kGraceEmail)}, {"password", std::string(kDemoPassword)}}.dump();
  body.resize(kLimit, ' ');
  EXPECT_EQ(PostRaw("/v1/auth/login", body).status, 200);
}

TEST_F(MockValidation, TestHookBodiesAreLimitedToo) {
  EXPECT_EQ(PostRaw("/__mock/fault", std::string(kLimit * 4, 'x'), {}).status, 413);
}

TEST_F(MockHostileHttp, ChunkedBodyOver64KiBIsRefusedOrClosed) {
  std::string request =
      "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nx-client-key: demo-client-key\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(16 * 1024, 'a');
  for (int i = 0; i < 16; ++i) request += "4000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  const RawExchange exchange = RawRequest(port(), request);
  EXPECT_TRUE(exchange.closed_by_server || exchange.complete_response)
      << "the connection was left hanging";
  if (!exchange.received.empty()) {
    EXPECT_TRUE(IsJson4xx(exchange)) << exchange.received.substr(0, 80);
    EXPECT_EQ(exchange.received.rfind("HTTP/1.1 413", 0), 0u) << exchange.received.substr(0, 80);
  }
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, GarbageRequestLineGets400Json) {
  const RawExchange exchange = RawRequest(port(), "HELLO THERE\r\n\r\n");
  EXPECT_TRUE(IsJson4xx(exchange)) << exchange.received.substr(0, 200);
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, BinaryGarbageDoesNotCrash) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
  const RawExchange exchange = RawRequest(port(), garbage, std::chrono::milliseconds(1500));
  if (!exchange.received.empty()) {
    EXPECT_EQ(exchange.received.rfind("HTTP/1.1 4", 0), 0u);
  }
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, HugeHeaderGets4xxOrClosed) {
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\nX-Huge: " + std::string(200'000, 'h') +
                              "\r\nConnection: close\r\n\r\n";
  const RawExchange exchange = RawRequest(port(), request);
  EXPECT_TRUE(exchange.closed_by_server || IsJson4xx(exchange)) << "neither refused nor closed";
  if (!exchange.received.empty()) {
    EXPECT_TRUE(IsJson4xx(exchange)) << exchange.received.substr(0, 200);
  }
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, ManyHeadersGet4xxOrClosed) {
  std::string request = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5000; ++i) request += "X-H" + std::to_string(i) + ": v\r\n";
  request += "Connection: close\r\n\r\n";
  const RawExchange exchange = RawRequest(port(), request);
  EXPECT_TRUE(exchange.closed_by_server || IsJson4xx(exchange)) << "neither refused nor closed";
  if (!exchange.received.empty()) {
    EXPECT_TRUE(IsJson4xx(exchange)) << exchange.received.substr(0, 200);
  }
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, OverlongUriGets414Json) {
  const RawExchange exchange =
      RawRequest(port(), "GET /" + std::string(10'000, 'u') +
                             " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(exchange.received.rfind("HTTP/1.1 414", 0), 0u) << exchange.received.substr(0, 80);
  EXPECT_TRUE(IsJson4xx(exchange));
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, DeeplyNestedJsonGets400) {
  const std::string nested = std::string(30'000, '[') + std::string(30'000, ']');
  EXPECT_EQ(PostRaw("/v1/auth/login", nested).Message(), "Request body must be a JSON object");
  EXPECT_EQ(PostRaw("/v1/auth/login", std::string(60'000, '[')).Message(), "Malformed JSON body");
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, InvalidUtf8InJsonGets400) {
  const std::string body = "{\"email\":\"\xff\xfe\",\"password\":\"x\"}";
  EXPECT_EQ(PostRaw("/v1/auth/login", body).status, 400);
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, ContentLengthLongerThanTheBodyTimesOutWithoutHanging) {
  ServerOptions options = TestOptions();
  options.io_timeout_s = 1;
  Restart(options);
  const auto start = std::chrono::steady_clock::now();
  const RawExchange exchange =
      RawRequest(port(),
                 "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nx-client-key: demo-client-key\r\n"
                 "Content-Length: 500\r\n\r\n{\"email\":",
                 std::chrono::milliseconds(5000));
  EXPECT_TRUE(exchange.closed_by_server || exchange.complete_response)
      << "the server kept the connection forever";
  if (!exchange.received.empty()) {
    EXPECT_EQ(exchange.received.rfind("HTTP/1.1 400", 0), 0u) << exchange.received.substr(0, 80);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  ExpectAlive(port());
}

TEST_F(MockHostileHttp, RequestCutShortDoesNotDisturbTheServer) {
  RawRequest(port(), "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Le",
             std::chrono::milliseconds(50));
  ExpectAlive(port());
}

}  // namespace
}  // namespace baanx::mock::testing
