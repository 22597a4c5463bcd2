// Prints what src/wasm/libc_lean.cpp's snprintf, sprintf and strtod make of the cases below, one
// line each; check.sh compares that with expected.txt, which glibc printed for the same cases.
// Then checks that what libc_lean does not support fails safely: -1, the text before it kept and
// NUL-terminated, nothing written past the buffer. Exits 1 when it does not.
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <emscripten/emscripten.h>

#include "cases.h"

// clang-format off
EM_JS(void, emit_line, (const char* text), { console.log(UTF8ToString(text)); });
// clang-format on

#define PRINT_CASE(...)                            \
  {                                                \
    char line[64];                                 \
    std::snprintf(line, sizeof line, __VA_ARGS__); \
    emit_line(line);                               \
  }

// Formats into 16 bytes of a 32-byte array whose other bytes must stay as they were.
bool failsSafely(const char* expectedPrefix, int expectedResult, const char* format, ...) {
  char bytes[32];
  std::memset(bytes, '#', sizeof bytes);
  va_list args;
  va_start(args, format);
  const int result = std::vsnprintf(bytes, 16, format, args);
  va_end(args);
  bool ok = result == expectedResult && std::strcmp(bytes, expectedPrefix) == 0;
  for (std::size_t i = std::strlen(expectedPrefix) + 1; i < sizeof bytes; ++i)
    ok = ok && bytes[i] == '#';
  if (!ok) {
    char line[96];
    std::snprintf(line, sizeof line, "FAIL: \"%s\" gave %d and \"%.15s\"", format, result, bytes);
    emit_line(line);
  }
  return ok;
}

int main() {
  PRINTF_CASES(PRINT_CASE)
  char cut[8];
  const int wanted = std::snprintf(cut, 4, "%s", "abcdef");
  char line[64];
  std::sprintf(line, "%d %s", wanted, cut);
  emit_line(line);
  std::sprintf(line, "%p", reinterpret_cast<void*>(0x1234));
  emit_line(line);
  const char* const strtodCases[] = STRTOD_CASES;
  for (const char* text : strtodCases) {
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    unsigned long long bits;
    std::memcpy(&bits, &value, sizeof bits);
    std::snprintf(line, sizeof line, "%s -> %d %x %x", text, static_cast<int>(end - text),
                  static_cast<unsigned>(bits >> 32), static_cast<unsigned>(bits));
    emit_line(line);
  }
  bool safe = true;
  safe &= failsSafely("a", -1, "a%ldb", 5L);               // a length modifier
  safe &= failsSafely("b", -1, "b%fc", 1.5);               // floating point
  safe &= failsSafely("c", -1, "c%-5d", 3);                // a flag other than '0'
  safe &= failsSafely("d", -1, "d%99999d", 3);             // a width past kMaxField
  safe &= failsSafely("e", -1, "e%.99999x", 3);            // a precision past kMaxField
  safe &= failsSafely("", -1, "%");                        // a lone '%'
  safe &= failsSafely("000000000000000", 40, "%.40d", 7);  // cut at the buffer, never past it
  safe &= failsSafely("               ", 33, "%32s|", "x");
  return safe ? 0 : 1;
}
