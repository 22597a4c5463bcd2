#include "core/responses.hpp"

#include <array>
#include <limits>
#include <vector>

#include "core/json.hpp"
#include "core/text.hpp"
#include "core/validation.hpp"

namespace baanx {
namespace {

using nlohmann::json;

bool isSuccess(int status) { return status >= 200 && status < 300; }

Error invalidResponse(int status, std::string_view what) {
  Error error = makeError(ErrorCode::kInvalidResponse, status);
  error.message += " (";
  error.message += what;
  error.message += ")";
  return error;
}

constexpr std::string_view kExpectedSuccess = "expected {\"success\": true}";

// Absent or null, or a string (member() takes null for absent).
bool isNullableString(const json* value) { return value == nullptr || value->is_string(); }

// Whether a body is the documented {"success": true}.
bool saysSuccess(std::string_view body) {
  const json parsed = parseJson(body);
  const json* success = member(parsed, "success");
  return success != nullptr && success->is_boolean() && success->get<bool>();
}

bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Whether word appears on its own: "locked" is in "Account locked" but not in "blocked" or
// "unlocked".
bool containsWord(std::string_view text, std::string_view word) {
  for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
    if (!equalsIgnoreCase(text.substr(at, word.size()), word)) continue;
    const bool startsWord = at == 0 || !isAsciiLetter(text[at - 1]);
    const bool endsWord = at + word.size() == text.size() || !isAsciiLetter(text[at + word.size()]);
    if (startsWord && endsWord) return true;
  }
  return false;
}

bool mentionsLock(std::string_view message) {
  return containsWord(message, "locked") || containsWord(message, "lockout") ||
         containsIgnoreCase(message, "too many attempts") ||
         containsIgnoreCase(message, "temporarily disabled") ||
         containsIgnoreCase(message, "temporarily blocked");
}

// --- HTTP dates ------------------------------------------------------------------------------

int monthIndex(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (equalsIgnoreCase(kMonths[i], name)) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool parseNumber(std::string_view text, std::size_t digits, int& out) {
  if (text.size() != digits) return false;
  out = 0;
  for (char c : text) {
    if (!isAsciiDigit(c)) return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool parseClock(std::string_view text, int& hour, int& minute, int& second) {
  return text.size() == 8 && text[2] == ':' && text[5] == ':' &&
         parseNumber(text.substr(0, 2), 2, hour) && parseNumber(text.substr(3, 2), 2, minute) &&
         parseNumber(text.substr(6, 2), 2, second) && hour < 24 && minute < 60 && second < 61;
}

// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
std::int64_t daysFromCivil(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int yearOfEra = year - era * 400;
  const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return static_cast<std::int64_t>(era) * 146097 + dayOfEra - 719468;
}

std::vector<std::string_view> splitSpaces(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    if (text[start] == ' ') {
      ++start;
      continue;
    }
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end;
  }
  return parts;
}

std::optional<std::int64_t> parseHttpDate(std::string_view text) {
  auto parts = splitSpaces(text);
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (parts.size() == 6 && parts[0].size() == 4 && parts[0].back() == ',' && parts[5] == "GMT") {
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    month = monthIndex(parts[2]);
    if (!parseNumber(parts[1], 2, day) || month == 0 || !parseNumber(parts[3], 4, year) ||
        !parseClock(parts[4], hour, minute, second)) {
      return std::nullopt;
    }
  } else if (parts.size() == 4 && parts[0].size() > 4 && parts[0].back() == ',' &&
             parts[3] == "GMT") {
    // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years are taken as 19xx or 20xx)
    std::string_view date = parts[1];
    if (date.size() != 9 || date[2] != '-' || date[6] != '-') return std::nullopt;
    month = monthIndex(date.substr(3, 3));
    if (!parseNumber(date.substr(0, 2), 2, day) || month == 0 ||
        !parseNumber(date.substr(7, 2), 2, year) || !parseClock(parts[2], hour, minute, second)) {
      return std::nullopt;
    }
    year += year < 70 ? 2000 : 1900;
  } else if (parts.size() == 5 && parts[0].size() == 3) {
    // asctime: Sun Nov  6 08:49:37 1994
    month = monthIndex(parts[1]);
    bool dayOk =
        parts[2].size() == 1 ? parseNumber(parts[2], 1, day) : parseNumber(parts[2], 2, day);
    if (month == 0 || !dayOk || !parseClock(parts[3], hour, minute, second) ||
        !parseNumber(parts[4], 4, year)) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (day < 1 || day > 31) return std::nullopt;
  const std::int64_t seconds = daysFromCivil(year, month, day) * 86400 + std::int64_t{hour} * 3600 +
                               std::int64_t{minute} * 60 + second;
  return seconds * 1000;
}

}  // namespace

std::string truncateUtf8(std::string text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  std::size_t cut = maxBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  text += "...";
  return text;
}

std::optional<std::string> readServerMessage(std::string_view body, std::size_t maxBytes) {
  json parsed = parseJson(body);
  for (const char* key : {"message", "error_description", "error"}) {
    const json* value = member(parsed, key);
    if (value != nullptr && value->is_string()) {
      std::string_view text = trimSpaces(value->get_ref<const std::string&>());
      if (!text.empty()) return truncateUtf8(std::string(text), maxBytes);
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> parseRetryAfter(std::string_view value, std::int64_t nowMs) {
  value = trimSpaces(value);
  if (value.empty()) return std::nullopt;
  if (isAsciiDigit(value.front())) {
    std::int64_t seconds = 0;
    constexpr std::int64_t kCap = std::numeric_limits<std::int64_t>::max() / 1000 / 10;
    for (char c : value) {
      if (!isAsciiDigit(c)) return std::nullopt;
      seconds = seconds * 10 + (c - '0');
      if (seconds > kCap) seconds = kCap;  // absurdly long waits saturate instead of overflowing
    }
    return seconds * 1000;
  }
  auto at = parseHttpDate(value);
  if (!at) return std::nullopt;
  return *at > nowMs ? *at - nowMs : 0;
}

Error transportError(TransportFailure failure, std::int64_t timeoutMs) {
  switch (failure) {
    case TransportFailure::kTimeout:
      return makeError(ErrorCode::kTimeout, 0,
                       "The server did not answer within " + std::to_string(timeoutMs) + " ms.");
    case TransportFailure::kAborted:
      return makeError(ErrorCode::kAborted);
    case TransportFailure::kResponseTooLarge:
      return invalidResponse(0, "longer than " + std::to_string(kMaxResponseBytes) + " bytes");
    case TransportFailure::kNetwork:
      break;
  }
  return makeError(ErrorCode::kNetwork);
}

Error classifyHttpError(const HttpResponse& response, Endpoint endpoint, std::int64_t nowMs) {
  const int status = response.status;
  std::optional<std::string> message = readServerMessage(response.body, response.body.size());
  const std::string_view text = message ? std::string_view(*message) : std::string_view();

  if (status == 429) {
    Error error = makeError(ErrorCode::kRateLimited, status, message);
    if (const std::string* retryAfter = findHeader(response.headers, "Retry-After"))
      error.retryAfterMs = parseRetryAfter(*retryAfter, nowMs);
    return error;
  }
  if (status == 498) return makeError(ErrorCode::kInvalidClientKey, status, message);
  if (status == 499) return makeError(ErrorCode::kMissingClientKey, status, message);
  if (status >= 500) return makeError(ErrorCode::kServerError, status, message);
  if (status >= 400) {
    if (containsIgnoreCase(text, "account has been disabled"))
      return makeError(ErrorCode::kAccountDisabled, status, message);
    if (mentionsLock(text)) return makeError(ErrorCode::kAccountLocked, status, message);
  }
  switch (endpoint) {
    case Endpoint::kLoginWithCode:
      if (status == 400) {
        bool expired = containsIgnoreCase(text, "expired");
        return makeError(expired ? ErrorCode::kOtpExpired : ErrorCode::kInvalidOtp, status,
                         message);
      }
      [[fallthrough]];
    case Endpoint::kLogin:
      if (status == 401 || status == 403 || status == 404)
        return makeError(ErrorCode::kInvalidCredentials, status, message);
      break;
    case Endpoint::kSendOtp:
    case Endpoint::kLogout:
      if (status == 401) return makeError(ErrorCode::kUnauthorized, status, message);
      break;
  }
  return makeError(ErrorCode::kHttpError, status, message);
}

Result<LoginResult> classifyLoginResponse(const HttpResponse& response, bool sentOtpCode,
                                          std::int64_t nowMs) {
  const int status = response.status;
  if (!isSuccess(status)) {
    return classifyHttpError(response, sentOtpCode ? Endpoint::kLoginWithCode : Endpoint::kLogin,
                             nowMs);
  }
  json body = parseJson(response.body);
  if (!body.is_object()) return invalidResponse(status, "the body is not a JSON object");

  const json* userId = member(body, "userId");
  if (userId == nullptr || !userId->is_string() ||
      !isCanonicalUuid(userId->get_ref<const std::string&>())) {
    return invalidResponse(status, "userId is missing or not a UUID");
  }
  const json* phase = member(body, "phase");
  const json* verificationState = member(body, "verificationState");
  const json* phoneNumber = member(body, "phoneNumber");
  if (!isNullableString(phase)) return invalidResponse(status, "phase is not a string");
  if (!isNullableString(verificationState))
    return invalidResponse(status, "verificationState is not a string");
  if (!isNullableString(phoneNumber)) return invalidResponse(status, "phoneNumber is not a string");

  // Onboarding beats the OTP flag: such an account has no usable session either way, and any
  // token that came with it is never handed out.
  if (phase != nullptr && phase->is_string()) {
    OnboardingRequired onboarding;
    onboarding.userId = userId->get<std::string>();
    onboarding.phase = phase->get<std::string>();
    if (verificationState != nullptr && verificationState->is_string())
      onboarding.verificationState = verificationState->get<std::string>();
    return LoginResult(std::move(onboarding));
  }

  const json* otpRequired = member(body, "isOtpRequired");
  if (otpRequired == nullptr || !otpRequired->is_boolean())
    return invalidResponse(status, "isOtpRequired is missing or not a boolean");
  if (otpRequired->get<bool>()) {
    // A code went with this request and the server asks for one again: it was rejected.
    if (sentOtpCode) return makeError(ErrorCode::kInvalidOtp, status);
    OtpRequired otp;
    otp.userId = userId->get<std::string>();
    if (phoneNumber != nullptr && phoneNumber->is_string())
      otp.phoneNumber = phoneNumber->get<std::string>();
    return LoginResult(std::move(otp));
  }

  const json* accessToken = member(body, "accessToken");
  if (accessToken == nullptr || !accessToken->is_string() ||
      accessToken->get_ref<const std::string&>().empty()) {
    return invalidResponse(status, "accessToken is missing");
  }
  if (verificationState == nullptr || !verificationState->is_string())
    return invalidResponse(status, "verificationState is missing");
  const json* isLinked = member(body, "isLinked");
  if (isLinked == nullptr || !isLinked->is_boolean())
    return invalidResponse(status, "isLinked is missing or not a boolean");

  Authenticated session;
  if (!isHeaderSafe(accessToken->get_ref<const std::string&>()))
    return invalidResponse(status, "accessToken holds characters a header cannot carry");
  session.accessToken = accessToken->get<std::string>();
  session.userId = userId->get<std::string>();
  session.expiresAt = nowMs + kSessionLifetimeMs;
  session.verificationState = verificationState->get<std::string>();
  session.isLinked = isLinked->get<bool>();
  return LoginResult(std::move(session));
}

Result<SendOtpResult> classifySendOtpResponse(const HttpResponse& response, std::int64_t nowMs,
                                              std::int64_t resendCooldownMs) {
  if (!isSuccess(response.status)) return classifyHttpError(response, Endpoint::kSendOtp, nowMs);
  if (!saysSuccess(response.body)) return invalidResponse(response.status, kExpectedSuccess);
  return SendOtpResult{nowMs + resendCooldownMs};
}

Result<LogoutResult> classifyLogoutResponse(const HttpResponse& response, std::int64_t nowMs) {
  if (!isSuccess(response.status)) return classifyHttpError(response, Endpoint::kLogout, nowMs);
  if (!saysSuccess(response.body)) return invalidResponse(response.status, kExpectedSuccess);
  return LogoutResult{};
}

}  // namespace baanx
