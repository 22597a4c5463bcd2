// Response classification of login, send-OTP and logout answers: any status, headers and body
// must give a result or a typed Error, never a crash, hang or leak; and no result may carry a
// token beside OTP-required or onboarding.
#include <cstdint>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include "core/responses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baanx;
  FuzzedDataProvider input(data, size);
  HttpResponse response;
  response.status = input.ConsumeIntegralInRange<int>(0, 999);
  if (input.ConsumeBool())
    response.headers.emplace_back("Retry-After", input.ConsumeRandomLengthString(64));
  const int which = input.ConsumeIntegralInRange<int>(0, 3);
  const std::int64_t now = input.ConsumeIntegralInRange<std::int64_t>(0, 4102444800000);
  response.body = input.ConsumeRemainingBytesAsString();

  switch (which) {
    case 0:
    case 1: {
      auto result = classifyLoginResponse(response, which == 1, now);
      if (!result.ok()) {
        if (result.error().message.empty()) __builtin_trap();
      } else if (std::holds_alternative<Authenticated>(result.value())) {
        const auto& session = std::get<Authenticated>(result.value());
        if (session.accessToken.empty() || session.expiresAt != now + kSessionLifetimeMs)
          __builtin_trap();
        if (which == 1 && response.status == 200 &&
            response.body.find("\"isOtpRequired\":true") != std::string::npos &&
            response.body.find("phase") == std::string::npos) {
          // A repeated OTP request after a code is a rejected code, never a session.
          __builtin_trap();
        }
      }
      break;
    }
    case 2: {
      auto result = classifySendOtpResponse(response, now, 60000);
      if (result.ok() && result.value().resendAvailableAt != now + 60000) __builtin_trap();
      break;
    }
    default: {
      auto result = classifyLogoutResponse(response, now);
      if (!result.ok() && result.error().message.empty()) __builtin_trap();
      break;
    }
  }
  return 0;
}
