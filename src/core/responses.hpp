// Turns what the server answered into one of the documented results or into an Error. Baanx
// answers 200 for incomplete logins, so the body decides; nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/error.hpp"
#include "core/transport.hpp"

namespace baanx {

inline constexpr std::int64_t kSessionLifetimeMs = 6LL * 60 * 60 * 1000;

struct Authenticated {
  std::string accessToken;
  std::string userId;
  std::int64_t expiresAt = 0;  // ms since epoch: issue time + 6 h
  std::string verificationState;
  bool isLinked = false;
};

struct OtpRequired {
  std::string userId;
  std::optional<std::string> phoneNumber;  // masked, as the server gave it
};

struct OnboardingRequired {
  std::string userId;
  std::string phase;
  std::optional<std::string> verificationState;
};

using LoginResult = std::variant<Authenticated, OtpRequired, OnboardingRequired>;

struct SendOtpResult {
  std::int64_t resendAvailableAt = 0;  // ms since epoch
};

struct LogoutResult {};

// Which call an answer belongs to: the same status means different things on each.
enum class Endpoint { kLogin, kLoginWithCode, kSendOtp, kLogout };

Result<LoginResult> classifyLoginResponse(const HttpResponse& response, bool sentOtpCode,
                                          std::int64_t nowMs);
Result<SendOtpResult> classifySendOtpResponse(const HttpResponse& response, std::int64_t nowMs,
                                              std::int64_t resendCooldownMs);
Result<LogoutResult> classifyLogoutResponse(const HttpResponse& response, std::int64_t nowMs);

// The error for a non-2xx answer on an endpoint. The server's message is kept whole: AuthClient
// removes secrets from it first and only then cuts it to kMaxServerMessageBytes.
Error classifyHttpError(const HttpResponse& response, Endpoint endpoint, std::int64_t nowMs);

Error transportError(TransportFailure failure, std::int64_t timeoutMs);

inline constexpr std::size_t kMaxServerMessageBytes = 300;

// The human-readable text of a JSON error body: "message", then "error_description", then "error",
// cut to maxBytes at a character boundary.
std::optional<std::string> readServerMessage(std::string_view body,
                                             std::size_t maxBytes = kMaxServerMessageBytes);

// Cuts text to maxBytes at a UTF-8 character boundary, marking the cut with "...".
std::string truncateUtf8(std::string text, std::size_t maxBytes);

// Retry-After as delta-seconds or an HTTP date (IMF-fixdate, RFC 850 or asctime), in ms from now.
std::optional<std::int64_t> parseRetryAfter(std::string_view value, std::int64_t nowMs);

}  // namespace baanx
