#include "mock_test_support.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <regex>

namespace baanx::mock::testing {

std::string HttpResult::Header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpResult::Message() const { return StringField("message"); }

std::string HttpResult::StringField(const char* key) const {
  if (!body_json.is_object()) return "";
  const auto it = body_json.find(key);
  return it != body_json.end() && it->is_string() ? it->get<std::string>() : "";
}

bool HttpResult::IsNull(const char* key) const {
  if (!body_json.is_object()) return false;
  const auto it = body_json.find(key);
  return it != body_json.end() && it->is_null();
}

std::optional<bool> HttpResult::BoolField(const char* key) const {
  if (!body_json.is_object()) return std::nullopt;
  const auto it = body_json.find(key);
  if (it == body_json.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

HttpResult Request(int port, const std::string& method, const std::string& path,
                   const httplib::Headers& headers, const std::string& body,
                   const std::string& content_type) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  client.set_write_timeout(10, 0);
  httplib::Result result(nullptr, httplib::Error::Unknown);
  if (method == "GET") {
    result = client.Get(path, headers);
  } else if (method == "POST") {
    result = client.Post(path, headers, body, content_type);
  } else if (method == "DELETE") {
    result = client.Delete(path, headers, body, content_type);
  } else if (method == "PUT") {
    result = client.Put(path, headers, body, content_type);
  } else if (method == "OPTIONS") {
    result = client.Options(path, headers);
  } else if (method == "HEAD") {
    result = client.Head(path, headers);
  }
  HttpResult out;
  if (!result) return out;
  out.status = result->status;
  out.body = result->body;
  out.headers = result->headers;
  out.body_json = json::parse(out.body, nullptr, /*allow_exceptions=*/false);
  return out;
}

httplib::Headers ApiHeaders() {
  return {{"x-client-key", std::string(kClientKey)}, {"Accept", "application/json"}};
}

namespace {

bool IsCompleteResponse(const std::string& received) {
  const auto header_end = received.find("\r\n\r\n");
  if (header_end == std::string::npos) return false;
  static const std::regex kContentLength("\r\ncontent-length: *([0-9]+)\r\n", std::regex::icase);
  std::smatch match;
  const std::string head = received.substr(0, header_end + 2);
  if (!std::regex_search(head, match, kContentLength)) return true;
  return received.size() - (header_end + 4) >= std::stoul(match[1].str());
}

}  // namespace

RawExchange RawRequest(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  RawExchange exchange;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return exchange;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    exchange.closed_by_server = true;
    return exchange;
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on hostile input
    sent += static_cast<size_t>(n);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd poll_fd{fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      exchange.closed_by_server = true;
      break;
    }
    exchange.received.append(buffer, static_cast<size_t>(n));
    if (IsCompleteResponse(exchange.received)) {
      exchange.complete_response = true;
      break;
    }
  }
  ::close(fd);
  return exchange;
}

bool IsUuid4(const std::string& text) {
  static const std::regex kUuid4(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_match(text, kUuid4);
}

bool IsSessionToken(const std::string& text) {
  return text.rfind("US_", 0) == 0 && IsUuid4(text.substr(3));
}

bool IsSixDigits(const std::string& text) {
  static const std::regex kSixDigits("[0-9]{6}");
  return std::regex_match(text, kSixDigits);
}

void MockServerTest::SetUp() { Restart(TestOptions()); }

void MockServerTest::TearDown() { server_.reset(); }

ServerOptions MockServerTest::TestOptions() {
  ServerOptions options;
  options.port = 0;
  options.test_mode = true;
  return options;
}

void MockServerTest::Restart(ServerOptions options) {
  server_.reset();
  server_ = std::make_unique<MockHttpServer>(std::move(options));
  std::string error;
  ASSERT_TRUE(server_->Start(&error)) << error;
  ASSERT_GT(server_->port(), 0);
}

HttpResult MockServerTest::Get(const std::string& path, const httplib::Headers& headers) {
  return Request(port(), "GET", path, headers);
}

HttpResult MockServerTest::PostJson(const std::string& path, const json& body,
                                    const httplib::Headers& headers) {
  return Request(port(), "POST", path, headers, body.dump());
}

HttpResult MockServerTest::PostRaw(const std::string& path, const std::string& body,
                                   const httplib::Headers& headers) {
  return Request(port(), "POST", path, headers, body);
}

HttpResult MockServerTest::Login(std::string_view email, std::string_view password,
                                 std::optional<std::string> otp_code) {
  json body = {{"email", std::string(email)}, {"password", std::string(password)}};
  if (otp_code) body["otpCode"] = *otp_code;
  return PostJson("/v1/auth/login", body);
}

HttpResult MockServerTest::SendOtp(std::string_view user_id) {
  return PostJson("/v1/auth/login/otp", json{{"userId", std::string(user_id)}});
}

HttpResult MockServerTest::Logout(const std::string& token) {
  httplib::Headers headers = ApiHeaders();
  headers.emplace("Authorization", "Bearer " + token);
  return Request(port(), "POST", "/v1/auth/logout", headers, "");
}

std::string MockServerTest::LiveCode(std::string_view user_id) {
  const HttpResult result = Get("/__mock/otp?userId=" + std::string(user_id));
  EXPECT_EQ(result.status, 200) << "no live code for the user";
  return result.StringField("code");
}

std::string MockServerTest::SendAdaCode() {
  const HttpResult sent = SendOtp(kAdaUserId);
  EXPECT_EQ(sent.status, 200) << sent.Message();
  return LiveCode(kAdaUserId);
}

std::string MockServerTest::AdaSessionToken() {
  const std::string code = SendAdaCode();
  const HttpResult result = Login(kAdaEmail, kDemoPassword, code);
  EXPECT_EQ(result.status, 200) << result.Message();
  return result.StringField("accessToken");
}

void MockServerTest::AdvanceClockMs(int64_t ms) {
  const HttpResult result = PostJson("/__mock/clock", json{{"advanceMs", ms}}, {});
  ASSERT_EQ(result.status, 200) << result.Message();
}

void MockServerTest::SetConfig(const json& config) {
  const HttpResult result = PostJson("/__mock/config", config, {});
  ASSERT_EQ(result.status, 200) << result.Message();
}

void MockServerTest::ArmFault(const json& fault) {
  const HttpResult result = PostJson("/__mock/fault", fault, {});
  ASSERT_EQ(result.status, 200) << result.Message();
}

}  // namespace baanx::mock::testing
