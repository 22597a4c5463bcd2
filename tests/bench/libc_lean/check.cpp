// Prints what src/wasm/libc_lean.cpp's snprintf, sprintf and strtod make of the cases below, one
// line each; check.sh compares that with expected.txt, which glibc printed for the same cases.
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
  return 0;
}
