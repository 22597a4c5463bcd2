#include "mock_server/mock_config.hpp"

namespace baanx::mock {

std::optional<std::string> ValidateConfig(const MockConfig& config) {
  const std::string max_duration = std::to_string(kMaxDurationS);
  if (config.otp_ttl_s < 1 || config.otp_ttl_s > kMaxDurationS) {
    return "otpTtlS must be between 1 and " + max_duration;
  }
  if (config.resend_cooldown_s < 0 || config.resend_cooldown_s > kMaxDurationS) {
    return "resendCooldownS must be between 0 and " + max_duration;
  }
  if (config.max_otp_attempts < 1 || config.max_otp_attempts > kMaxOtpAttemptsLimit) {
    return "maxOtpAttempts must be between 1 and " + std::to_string(kMaxOtpAttemptsLimit);
  }
  if (config.lock_s < 0 || config.lock_s > kMaxDurationS) {
    return "lockS must be between 0 and " + max_duration;
  }
  if (config.wrong_otp_signal != 400 && config.wrong_otp_signal != 200) {
    return "wrongOtpSignal must be 400 or 200";
  }
  return std::nullopt;
}

}  // namespace baanx::mock
