// Retry-After parsing: any header value gives nothing or a non-negative wait, never overflow.
//
// Input (see text_input.hpp): the header value on the first line, then optionally the current
// time in ms on the second (an HTTP date is measured from it).
#include <cstdint>
#include <string>

#include "core/responses.hpp"
#include "text_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  baanx::fuzz::TextInput input(data, size);
  const std::string_view value = input.line();
  const auto nowText = baanx::fuzz::parseInteger(input.line());
  // 1994-11-06 08:49:37 UTC, the date of the HTTP examples, unless the input gives another.
  const std::int64_t now =
      nowText && *nowText >= 0 && *nowText <= 4102444800000 ? *nowText : 784111777000;
  auto wait = baanx::parseRetryAfter(value, now);
  if (wait && *wait < 0) __builtin_trap();
  return 0;
}
