// The tunable behaviour of the mock where Baanx's real behaviour is unknown ([assumed] in
// baanx-api.md). Set from the command line, changeable at run time through /__mock/config.
#pragma once

#include <optional>
#include <string>

namespace baanx::mock {

struct MockConfig {
  int otp_ttl_s = 300;
  int resend_cooldown_s = 60;
  int max_otp_attempts = 5;
  int lock_s = 900;
  int wrong_otp_signal = 400;  // 400: HTTP 400; 200: a 200 repeating isOtpRequired:true
};

// Limits shared by the command line and /__mock/config.
inline constexpr int kMaxDurationS = 7 * 24 * 3600;
inline constexpr int kMaxOtpAttemptsLimit = 1000;

// The reason the config is unusable, naming the setting, or nullopt when it is fine.
std::optional<std::string> ValidateConfig(const MockConfig& config);

}  // namespace baanx::mock
