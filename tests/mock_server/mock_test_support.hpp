// Shared helpers for the mock server tests: an in-process server on an ephemeral loopback port,
// real HTTP through httplib::Client, and a raw socket for what a well-behaved client never sends.
// Secrets (codes, tokens) are never streamed into assertion messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "mock_server/mock_fixtures.hpp"
#include "mock_server/mock_http_server.hpp"

namespace baanx::mock::testing {

using nlohmann::json;

struct HttpResult {
  int status = 0;  // 0: no HTTP response at all
  std::string body;
  httplib::Headers headers;
  json body_json;  // discarded when the body is not JSON

  std::string Header(const std::string& name) const;
  // The body's "message" field, or "" when there is none.
  std::string Message() const;
  std::string StringField(const char* key) const;
  bool IsNull(const char* key) const;
  std::optional<bool> BoolField(const char* key) const;
};

// Issues one request on a fresh connection.
HttpResult Request(int port, const std::string& method, const std::string& path,
                   const httplib::Headers& headers = {}, const std::string& body = "",
                   const std::string& content_type = "application/json");

// The headers of a well-behaved Baanx client.
httplib::Headers ApiHeaders();

struct RawExchange {
  std::string received;
  bool closed_by_server = false;   // EOF or reset, rather than a timeout
  bool complete_response = false;  // a whole response (headers and Content-Length body) came
};

// Writes the bytes on a new loopback connection and reads until a complete response has come,
// the server closes the connection, or the timeout passes.
RawExchange RawRequest(int port, const std::string& bytes,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

bool IsUuid4(const std::string& text);
bool IsSessionToken(const std::string& text);  // US_<uuid4>
bool IsSixDigits(const std::string& text);

// A fresh in-process server per test, in test mode unless a test restarts it otherwise.
class MockServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  static ServerOptions TestOptions();
  void Restart(ServerOptions options);
  int port() const { return server_->port(); }

  HttpResult Get(const std::string& path, const httplib::Headers& headers = {});
  HttpResult PostJson(const std::string& path, const json& body,
                      const httplib::Headers& headers = ApiHeaders());
  HttpResult PostRaw(const std::string& path, const std::string& body,
                     const httplib::Headers& headers = ApiHeaders());

  HttpResult Login(std::string_view email, std::string_view password = kDemoPassword,
                   std::optional<std::string> otp_code = std::nullopt);
  HttpResult SendOtp(std::string_view user_id);
  HttpResult Logout(const std::string& token);
  // The live code for a user via /__mock/otp; "" (with a test failure) when there is none.
  std::string LiveCode(std::string_view user_id);
  // Sends a code to ada and returns it.
  std::string SendAdaCode();
  // An authenticated token for ada via the whole OTP flow.
  std::string AdaSessionToken();

  void AdvanceClockMs(int64_t ms);
  void SetConfig(const json& config);
  void ArmFault(const json& fault);

  std::unique_ptr<MockHttpServer> server_;
};

}  // namespace baanx::mock::testing
