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

Error makeError(ErrorCode code, int status, std::optional<std::string> message) {
  Error error;
  error.code = code;
  error.status = status;
  error.message = message ? std::move(*message) : defaultMessage(code, status);
  return error;
}

Error invalidArgument(std::string field, std::string message) {
  Error error = makeError(ErrorCode::kInvalidArgument, 0, std::move(message));
  error.field = std::move(field);
  return error;
}

std::string defaultMessage(ErrorCode code, int status) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "An argument is not valid.";
    case ErrorCode::kInvalidCredentials:
      return "The email or password is incorrect.";
    case ErrorCode::kInvalidOtp:
      return "The verification code was not accepted.";
    case ErrorCode::kOtpExpired:
      return "The verification code has expired; request a new one.";
    case ErrorCode::kAccountLocked:
      return "The account is locked after too many attempts.";
    case ErrorCode::kAccountDisabled:
      return "The account has been disabled.";
    case ErrorCode::kRateLimited:
      return "Too many requests; try again later.";
    case ErrorCode::kResendCooldown:
      return "A code was sent moments ago; wait before asking for another.";
    case ErrorCode::kInvalidClientKey:
      return "The client key was rejected by the server.";
    case ErrorCode::kMissingClientKey:
      return "The server did not receive a client key.";
    case ErrorCode::kUnauthorized:
      return "Not authenticated: the session is no longer valid.";
    case ErrorCode::kServerError:
      return "The server failed with HTTP " + std::to_string(status) + ".";
    case ErrorCode::kHttpError:
      return "The server answered with unexpected HTTP " + std::to_string(status) + ".";
    case ErrorCode::kInvalidResponse:
      return "The server's answer is not the documented JSON";
    case ErrorCode::kNetwork:
      return "The server could not be reached (offline, refused, or blocked by CORS).";
    case ErrorCode::kTimeout:
      return "The server did not answer in time.";
    case ErrorCode::kAborted:
      return "The request was aborted.";
  }
  return "Unexpected error.";
}

}  // namespace baanx
