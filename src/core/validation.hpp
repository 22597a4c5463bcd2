// Everything a caller hands in is checked here, before any request is built. Inputs arrive as JSON
// values so that wrong types from JavaScript (a number for a password, null for a config) are
// reported as precisely as wrong contents. No message ever repeats the offending value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"
#include "core/session_record.hpp"

namespace baanx {

enum class Region { kInternational, kUs };

// A base URL split into what requests are built from: "https://host:port" and a path prefix
// without a trailing slash ("" or "/proxy/baanx").
struct BaseUrl {
  std::string origin;
  std::string pathPrefix;
};

inline constexpr std::int64_t kDefaultTimeoutMs = 15000;
inline constexpr std::int64_t kDefaultResendCooldownMs = 60000;
inline constexpr std::int64_t kMaxDurationMs = 2147483647;  // what a browser timer can hold
inline constexpr std::size_t kMaxPasswordBytes = 4096;

struct ClientConfig {
  BaseUrl baseUrl;
  std::string clientKey;
  Region region = Region::kInternational;
  std::int64_t timeoutMs = kDefaultTimeoutMs;
  std::int64_t resendCooldownMs = kDefaultResendCooldownMs;
  SessionStorageConfig storage;
};

struct LoginInput {
  std::string email;
  std::string password;
  std::optional<std::string> otpCode;  // 6 digits, trimmed
};

struct SendOtpInput {
  std::string userId;
};

struct CallOptions {
  std::optional<std::int64_t> timeoutMs;
  // loginWithOtp only: how many codes the user may enter before a rejected one ends the flow.
  std::optional<int> attempts;
};

inline constexpr int kMaxOtpAttempts = 5;

bool isPlausibleEmail(std::string_view email);
bool isCanonicalUuid(std::string_view text);
bool isLoopbackHost(std::string_view host);
// Trims surrounding spaces; the rest must be exactly six ASCII digits.
std::optional<std::string> normalizeOtpCode(std::string_view code);

Result<BaseUrl> parseBaseUrl(std::string_view url);
Result<ClientConfig> parseClientConfig(const nlohmann::json& config);
Result<LoginInput> parseLoginInput(const nlohmann::json& input);
Result<SendOtpInput> parseSendOtpInput(const nlohmann::json& input);
Result<CallOptions> parseCallOptions(const nlohmann::json& options);

}  // namespace baanx
