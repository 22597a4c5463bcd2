// Retry-After parsing: any header value gives nothing or a non-negative wait, never overflow.
#include <cstdint>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include "core/responses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const std::int64_t now = input.ConsumeIntegralInRange<std::int64_t>(0, 4102444800000);
  const std::string value = input.ConsumeRemainingBytesAsString();
  auto wait = baanx::parseRetryAfter(value, now);
  if (wait && *wait < 0) __builtin_trap();
  return 0;
}
