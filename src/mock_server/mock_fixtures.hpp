// The fixed demo users of the mock Baanx API (see docs: "The demo server"). Tests, scripts and the
// demo page rely on these exact values, so they are constants rather than configuration.
#pragma once

#include <array>
#include <string_view>

namespace baanx::mock {

inline constexpr std::string_view kClientKey = "demo-client-key";
inline constexpr std::string_view kDemoPassword = "Demo-Passw0rd!";

inline constexpr std::string_view kGraceEmail = "grace@example.com";
inline constexpr std::string_view kAdaEmail = "ada@example.com";
inline constexpr std::string_view kLinusEmail = "linus@example.com";
inline constexpr std::string_view kMalloryEmail = "mallory@example.com";

// Canonical lowercase version-4 UUIDs, fixed forever.
inline constexpr std::string_view kGraceUserId = "1a3d97ad-3460-48dd-93e8-05b0c2061214";
inline constexpr std::string_view kAdaUserId = "9979782e-bfa2-42ed-9dee-c76eab6a6326";
inline constexpr std::string_view kLinusUserId = "1e718c9d-dba0-4bb9-859e-1eeb21784940";
inline constexpr std::string_view kMalloryUserId = "ee14642e-95b6-4f62-a79d-0779f259347b";

inline constexpr std::string_view kAdaMaskedPhone = "+445*****225";

struct FixtureUser {
  std::string_view email;
  std::string_view user_id;
  std::string_view masked_phone;        // empty: no phone on file (JSON null)
  std::string_view phase;               // empty: onboarding finished (JSON null)
  std::string_view verification_state;  // VERIFIED, UNVERIFIED, ...
  bool otp_required;
  bool disabled;
};

inline constexpr std::array<FixtureUser, 4> kFixtureUsers = {{
    {kGraceEmail, kGraceUserId, "", "", "VERIFIED", false, false},
    {kAdaEmail, kAdaUserId, kAdaMaskedPhone, "", "VERIFIED", true, false},
    {kLinusEmail, kLinusUserId, "", "PHONE_NUMBER", "UNVERIFIED", false, false},
    {kMalloryEmail, kMalloryUserId, "", "", "VERIFIED", false, true},
}};

}  // namespace baanx::mock
