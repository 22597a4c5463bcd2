#include "core/error.hpp"

namespace baanx {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kInvalidCredentials:
      return "invalid_credentials";
    case ErrorCode::kInvalidOtp:
      return "invalid_otp";
    case ErrorCode::kOtpExpired:
      return "otp_expired";
    case ErrorCode::kAccountLocked:
      return "account_locked";
    case ErrorCode::kAccountDisabled:
      return "account_disabled";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kResendCooldown:
      return "resend_cooldown";
    case ErrorCode::kInvalidClientKey:
      return "invalid_client_key";
    case ErrorCode::kMissingClientKey:
      return "missing_client_key";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kServerError:
      return "server_error";
    case ErrorCode::kHttpError:
      return "http_error";
    case ErrorCode::kInvalidResponse:
      return "invalid_response";
    case ErrorCode::kNetwork:
      return "network";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kAborted:
      return "aborted";
  }
  return "http_error";
}

Error invalidArgument(std::string field, std::string message) {
  Error error;
  error.code = ErrorCode::kInvalidArgument;
  error.field = std::move(field);
  error.message = std::move(message);
  return error;
}

}  // namespace baanx
