// Response classification of login, send-OTP and logout answers: any status, headers and body
// must give a result or a typed Error, never a crash, hang or leak; no result may carry a token
// beside OTP-required or onboarding, and a login sent with a code never asks for one again.
//
// Input, laid out like an HTTP answer (see text_input.hpp):
//   <login|login-code|send-otp|logout> <status> [<now in ms>]
//   <Name: value header lines>
//   <empty line>
//   <body, to the end>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/responses.hpp"
#include "text_input.hpp"

namespace {

// What the body says about itself, read independently of the core's checks.
struct BodyClaims {
  bool asksForCode = false;  // "isOtpRequired": true, however it is spaced
  bool namesPhase = false;   // "phase": "<anything>"
  const std::string* token = nullptr;
};

BodyClaims claimsOf(const nlohmann::json& body) {
  BodyClaims claims;
  if (!body.is_object()) return claims;
  auto otp = body.find("isOtpRequired");
  auto phase = body.find("phase");
  auto token = body.find("accessToken");
  claims.asksForCode = otp != body.end() && otp->is_boolean() && otp->get<bool>();
  claims.namesPhase = phase != body.end() && phase->is_string();
  if (token != body.end() && token->is_string())
    claims.token = token->get_ptr<const std::string*>();
  return claims;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baanx;
  fuzz::TextInput input(data, size);
  const std::string_view first = input.line();
  const std::size_t space = first.find(' ');
  const std::string_view endpoint = first.substr(0, space);
  std::string_view numbers = space == std::string_view::npos ? "" : first.substr(space + 1);
  const std::size_t secondSpace = numbers.find(' ');
  const auto status = fuzz::parseInteger(numbers.substr(0, secondSpace));
  const auto nowText = secondSpace == std::string_view::npos
                           ? std::nullopt
                           : fuzz::parseInteger(numbers.substr(secondSpace + 1));
  if (!status || *status < 0 || *status > 999) return 0;
  const std::int64_t now =
      nowText && *nowText >= 0 && *nowText <= 4102444800000 ? *nowText : 1700000000000;

  HttpResponse response;
  response.status = static_cast<int>(*status);
  fuzz::readHeaders(input, [&](std::string_view name, std::string_view value) {
    response.headers.emplace_back(std::string(name), std::string(value));
  });
  response.body = std::string(input.rest());

  if (endpoint == "login" || endpoint == "login-code") {
    const bool sentCode = endpoint == "login-code";
    auto result = classifyLoginResponse(response, sentCode, now);
    if (!result.ok()) {
      if (result.error().message.empty()) __builtin_trap();
      return 0;
    }
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    const BodyClaims claims = claimsOf(body);
    // A repeated OTP request after a code is a rejected code, never a result.
    if (sentCode && std::holds_alternative<OtpRequired>(result.value())) __builtin_trap();
    if (std::holds_alternative<OtpRequired>(result.value()) && !claims.asksForCode)
      __builtin_trap();
    if (const auto* session = std::get_if<Authenticated>(&result.value())) {
      if (claims.asksForCode || claims.namesPhase) __builtin_trap();
      if (claims.token == nullptr || session->accessToken != *claims.token) __builtin_trap();
      if (session->expiresAt != now + kSessionLifetimeMs) __builtin_trap();
    }
  } else if (endpoint == "send-otp") {
    auto result = classifySendOtpResponse(response, now, 60000);
    if (result.ok() && result.value().resendAvailableAt != now + 60000) __builtin_trap();
    if (!result.ok() && result.error().retryAfterMs && *result.error().retryAfterMs < 0)
      __builtin_trap();
  } else if (endpoint == "logout") {
    auto result = classifyLogoutResponse(response, now);
    if (!result.ok() && result.error().message.empty()) __builtin_trap();
  }
  return 0;
}
