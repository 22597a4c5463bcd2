// Helpers shared by the unit tests. Secrets (passwords, codes, tokens, client keys) are compared
// through these so that a failing assertion prints the expression, never the secret itself.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/transport.hpp"

namespace baanx {

// Lets GoogleTest print an ErrorCode by its wire name instead of a number.
inline void PrintTo(ErrorCode code, std::ostream* os) { *os << errorCodeName(code); }

namespace fakes {

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// True when the headers carry name (any case) with exactly this value.
inline bool hasHeader(const HttpHeaders& headers, std::string_view name, std::string_view value) {
  const std::string* found = findHeader(headers, name);
  return found != nullptr && *found == value;
}

// What a failed assertion may print about an Error: never its message, which is what the tests
// about secrets inspect.
inline std::string describe(const Error& error) {
  return std::string(errorCodeName(error.code)) + " status=" + std::to_string(error.status) +
         " field=" + error.field;
}

}  // namespace fakes
}  // namespace baanx
