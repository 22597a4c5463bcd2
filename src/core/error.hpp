// Errors are data: every failure the client can report is an ErrorCode plus context. The JS layer
// turns one of these into a BaanxError at the very last moment.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace baanx {

// Every code a BaanxError can carry; kErrorCodes has a row for each, in this order.
enum class ErrorCode {
  kInvalidArgument,
  kInvalidCredentials,
  kInvalidOtp,
  kOtpExpired,
  kAccountLocked,
  kAccountDisabled,
  kRateLimited,
  kResendCooldown,
  kInvalidClientKey,
  kMissingClientKey,
  kUnauthorized,
  kServerError,
  kHttpError,
  kInvalidResponse,
  kNetwork,
  kModuleLoad,
  kTimeout,
  kAborted,  // stays last: kErrorCodes is sized by it
};

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;     // the wire name, as js-api.md spells it
  std::string_view message;  // the sentence used when the server gave no message of its own
  bool withStatus;           // the sentence ends with the HTTP status: "... HTTP 503."
};

// The one source of the codes, their wire names and their default messages, in js-api.md's order.
// The JS layer lists the names again, in api.js's ERROR_CODES and the .d.ts's ErrorCode: the unit
// test tests/unit/error_codes_test.cpp holds both to this table.
inline constexpr std::array<ErrorCodeInfo, static_cast<std::size_t>(ErrorCode::kAborted) + 1>
    kErrorCodes = {{
        {ErrorCode::kInvalidArgument, "invalid_argument", "An argument is not valid.", false},
        {ErrorCode::kInvalidCredentials, "invalid_credentials",
         "The email or password is incorrect.", false},
        {ErrorCode::kInvalidOtp, "invalid_otp", "The verification code was not accepted.", false},
        {ErrorCode::kOtpExpired, "otp_expired",
         "The verification code has expired; request a new one.", false},
        {ErrorCode::kAccountLocked, "account_locked",
         "The account is locked after too many attempts.", false},
        {ErrorCode::kAccountDisabled, "account_disabled", "The account has been disabled.", false},
        {ErrorCode::kRateLimited, "rate_limited", "Too many requests; try again later.", false},
        {ErrorCode::kResendCooldown, "resend_cooldown",
         "A code was sent moments ago; wait before asking for another.", false},
        {ErrorCode::kInvalidClientKey, "invalid_client_key",
         "The client key was rejected by the server.", false},
        {ErrorCode::kMissingClientKey, "missing_client_key",
         "The server did not receive a client key.", false},
        {ErrorCode::kUnauthorized, "unauthorized",
         "Not authenticated: the session is no longer valid.", false},
        {ErrorCode::kServerError, "server_error", "The server failed with HTTP", true},
        {ErrorCode::kHttpError, "http_error", "The server answered with unexpected HTTP", true},
        // No full stop: invalidResponse() (responses.cpp) adds what was wrong in brackets.
        {ErrorCode::kInvalidResponse, "invalid_response",
         "The server's answer is not the documented JSON", false},
        {ErrorCode::kNetwork, "network",
         "The server could not be reached (offline, refused, or blocked by CORS).", false},
        // Raised by the JS layer alone, when the WebAssembly module cannot be fetched or compiled:
        // the core runs inside that module, so it never raises this one itself.
        {ErrorCode::kModuleLoad, "module_load",
         "The WebAssembly module could not be fetched or compiled.", false},
        {ErrorCode::kTimeout, "timeout", "The server did not answer in time.", false},
        {ErrorCode::kAborted, "aborted", "The request was aborted.", false},
    }};

// The wire name of a code, as js-api.md spells it ("invalid_argument", ...).
std::string_view errorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kHttpError;
  int status = 0;       // HTTP status, 0 when there was no response
  std::string message;  // never contains a password, code, token or client key
  std::string field;    // the offending input for kInvalidArgument, else empty
  std::optional<std::int64_t> retryAfterMs;
};

// An Error for code: message is the server's own (or a more precise sentence of the caller's) where
// there is one, else the code's default sentence.
Error makeError(ErrorCode code, int status = 0, std::optional<std::string> message = std::nullopt);

Error invalidArgument(std::string field, std::string message);

// The sentence used when the server gave no message of its own.
std::string defaultMessage(ErrorCode code, int status);

// Either a value or an Error; the core never throws.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace baanx
