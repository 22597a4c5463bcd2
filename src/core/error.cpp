#include "core/error.hpp"

namespace baanx {
namespace {

// A code finds its row by its value, so each row must stand at its code's index.
constexpr bool rowsFollowTheCodes() {
  for (std::size_t i = 0; i < kErrorCodes.size(); ++i) {
    if (static_cast<std::size_t>(kErrorCodes[i].code) != i) return false;
  }
  return true;
}
static_assert(rowsFollowTheCodes(), "kErrorCodes needs a row for every ErrorCode, in its order");

const ErrorCodeInfo& infoOf(ErrorCode code) { return kErrorCodes[static_cast<std::size_t>(code)]; }

}  // namespace

std::string_view errorCodeName(ErrorCode code) { return infoOf(code).name; }

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
  const ErrorCodeInfo& info = infoOf(code);
  std::string message(info.message);
  if (info.withStatus) message += " " + std::to_string(status) + ".";
  return message;
}

}  // namespace baanx
