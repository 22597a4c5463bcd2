// What the AuthClient tests share: the fixture (a client over the fake transport and clock), the
// documented answers, and helpers that start a call and read how it completed. The suites are
// split by feature across auth_client_*test.cpp; they share one fixture class, so it lives in a
// named namespace and everything here is inline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/auth_client.hpp"
#include "core/json.hpp"
#include "fake_transport.hpp"
#include "test_support.hpp"

namespace baanx::client_tests {

using fakes::FakeClock;
using fakes::FakeTransport;
using nlohmann::json;

inline constexpr std::int64_t kStartMs = 1700000000000;
inline constexpr std::int64_t kSixHoursMs = 6LL * 3600 * 1000;
inline constexpr const char* kClientKey = "ck_live_7Hq2ZxVb9Lm4";
inline constexpr const char* kEmail = "ada@example.com";
inline constexpr const char* kPassword = "Tr0ub4dor&3-horse";
inline constexpr const char* kOtpCode = "482913";
inline constexpr const char* kToken = "US_b6b9168a-7c1e-4f0a-9d2b-3e4f5a6b7c8d";
inline constexpr const char* kUserId = "b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9";
inline constexpr const char* kUserIdUpper = "B6B9168C-BB56-4C6A-9C0D-4650EA74F5F9";
inline constexpr const char* kOtherUserId = "0f8fad5b-d9cb-469f-a165-70867728950e";

// A login answer shaped like the documented examples of baanx-api.md.
inline std::string loginBody(bool otpRequired, json phase = nullptr) {
  return json{{"accessToken", kToken},
              {"userId", kUserId},
              {"isOtpRequired", otpRequired},
              {"phoneNumber", otpRequired ? json("+445*****225") : json()},
              {"phase", std::move(phase)},
              {"verificationState", "VERIFIED"},
              {"isLinked", false}}
      .dump();
}

inline const std::string kAuthenticatedBody = loginBody(false);
inline const std::string kOtpRequiredBody = loginBody(true);
inline const std::string kOnboardingBody = loginBody(false, "PHONE_NUMBER");
inline constexpr const char* kSuccessBody = R"({"success":true})";

inline std::string messageBody(const std::string& message) {
  return json{{"message", message}}.dump();
}

inline json config() {
  return {{"baseUrl", "https://dev.api.baanx.com"}, {"clientKey", kClientKey}};
}

inline json credentials() { return {{"email", kEmail}, {"password", kPassword}}; }

inline json credentialsWithCode() {
  json input = credentials();
  input["otpCode"] = kOtpCode;
  return input;
}

inline json otpInput(const char* userId = kUserId) { return {{"userId", userId}}; }

// One call: the id it got, and what its completion was called with and how often. The state is
// shared with the callback, so a completion that runs after the test body (as the client is
// destroyed) is safe.
template <typename T>
class Recorder {
 public:
  AuthClient::Completion<T> callback() const {
    return [state = state_](Result<T> result) {
      ++state->calls;
      state->result.emplace(std::move(result));
    };
  }

  AuthClient::CallId id = 0;

  int calls() const { return state_->calls; }
  bool ok() const { return state_->result.has_value() && state_->result->ok(); }

  const T& value() const {
    static const T kNone{};
    if (!ok()) {
      ADD_FAILURE() << "the call has not succeeded";
      return kNone;
    }
    return state_->result->value();
  }

  const Error& error() const {
    static const Error kNone{};
    if (!state_->result.has_value() || state_->result->ok()) {
      ADD_FAILURE() << "the call has not failed";
      return kNone;
    }
    return state_->result->error();
  }

 private:
  struct State {
    int calls = 0;
    std::optional<Result<T>> result;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// An app's onOtpRequired: records the prompts and answers when the test says so.
struct CodePrompter {
  AuthClient::AskCode ask() {
    return [this](const OtpPrompt& prompt, AuthClient::CodeAnswer answer) {
      prompts.push_back(prompt);
      pending = std::move(answer);
    };
  }
  void answer(std::optional<json> code) {
    auto answerNow = std::move(pending);
    pending = nullptr;
    answerNow(std::move(code));
  }
  std::vector<OtpPrompt> prompts;
  AuthClient::CodeAnswer pending;
};

class AuthClientTest : public ::testing::Test {
 protected:
  void SetUp() override { makeClient(config()); }

  void makeClient(const json& cfg) {
    client_.reset();
    auto created = AuthClient::create(cfg, transport_, clock_);
    ASSERT_TRUE(created.ok()) << fakes::describe(created.error());
    client_ = std::move(created).value();
  }

  // Each starts its call on client_ and returns what records it.
  Recorder<LoginResult> login(const json& input = credentials(), const json& options = json()) {
    Recorder<LoginResult> call;
    call.id = client_->login(input, options, call.callback());
    return call;
  }
  Recorder<SendOtpResult> sendOtp(const json& input = otpInput(), const json& options = json()) {
    Recorder<SendOtpResult> call;
    call.id = client_->sendOtp(input, options, call.callback());
    return call;
  }
  Recorder<LogoutResult> logout(const json& options = json()) {
    Recorder<LogoutResult> call;
    call.id = client_->logout(options, call.callback());
    return call;
  }
  Recorder<LoginResult> loginWithOtp(CodePrompter& app, const json& options = json(),
                                     const json& input = credentials()) {
    Recorder<LoginResult> call;
    call.id = client_->loginWithOtp(input, options, app.ask(), call.callback());
    return call;
  }

  // loginWithOtp with its login answered (a code is required) and its code sent: the flow then
  // waits for app's answer.
  Recorder<LoginResult> loginWithOtpAwaitingCode(CodePrompter& app, const json& options = json()) {
    Recorder<LoginResult> flow = loginWithOtp(app, options);
    transport_.respond(200, kOtpRequiredBody);
    transport_.respond(200, kSuccessBody);
    return flow;
  }

  // Logs in against the fake and answers with the documented no-OTP body.
  void signIn() {
    Recorder<LoginResult> call = login();
    transport_.respond(200, kAuthenticatedBody);
    ASSERT_TRUE(call.ok());
    ASSERT_TRUE(client_->session().has_value());
  }

  // Sends an OTP successfully, starting the cooldown for userId.
  void sendOtpOnce(const char* userId = kUserId) {
    Recorder<SendOtpResult> call = sendOtp(otpInput(userId));
    transport_.respond(200, kSuccessBody);
    ASSERT_TRUE(call.ok());
  }

  // Answers the oldest request in flight with status and {"message": message}, and returns the
  // error call completed with; a failure is recorded unless it completed once, with an error.
  template <typename T>
  Error failsWith(const Recorder<T>& call, int status, const std::string& message) {
    transport_.respond(status, messageBody(message));
    EXPECT_EQ(call.calls(), 1);
    return call.error();
  }

  // Gives app's answer, which the server then rejects as a wrong code.
  void answerWrongCode(CodePrompter& app, const char* code) {
    app.answer(json(code));
    transport_.respond(400, messageBody("Invalid code"));
  }

  // Checks that call completed once, aborted, and that its request was cancelled: the only one,
  // and none is left in flight.
  template <typename T>
  void expectAbortedAndCancelled(const Recorder<T>& call) {
    EXPECT_EQ(call.calls(), 1);
    EXPECT_EQ(call.error().code, ErrorCode::kAborted);
    EXPECT_EQ(transport_.cancelled().size(), 1u);
    EXPECT_EQ(transport_.pendingCount(), 0u);
  }

  // Checks that call was refused at once as an invalid field, with no request sent beyond the
  // `sent` before it.
  template <typename T>
  void expectRefusedAtOnce(const Recorder<T>& call, const char* field, std::size_t sent = 0) {
    EXPECT_EQ(call.id, 0u);
    ASSERT_EQ(call.calls(), 1);
    EXPECT_EQ(call.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(call.error().field, field);
    EXPECT_EQ(transport_.sentCount(), sent);
  }

  FakeTransport transport_;
  FakeClock clock_{kStartMs};
  std::unique_ptr<AuthClient> client_;
};

}  // namespace baanx::client_tests
