// Errors are data: every failure the client can report is an ErrorCode plus context. The JS layer
// turns one of these into a BaanxError at the very last moment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace baanx {

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
  kTimeout,
  kAborted,
};

inline constexpr int kErrorCodeCount = static_cast<int>(ErrorCode::kAborted) + 1;

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
