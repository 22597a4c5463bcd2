// Lean stand-ins for libc's strtod and snprintf/sprintf, which in this module only nlohmann/json
// (numbers in, "\\u00XX" escapes out) and Embind (type ids) call. musl's strtod carries 128-bit
// long-double arithmetic (about 14 KB of wasm) and its printf the floating-point formatter (about
// 5 KB): defining the functions here keeps those libc objects out of the link. The ctest
// size.libc_lean (tests/bench/libc_lean/check.sh) checks them against glibc's answers.
#include <cstdarg>
#include <cstddef>
#include <cstdlib>

#include <emscripten/emscripten.h>

// clang-format off
EM_JS(double, baanx_parse_decimal, (const char* text, size_t length), {
  return Number(UTF8ToString(text, length));
});
// clang-format on

namespace {
bool isDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

extern "C" {

// Decimal numbers only ([+-]digits[.digits][e[+-]digits]), which is all the JSON lexer hands it;
// the browser's Number() rounds exactly as a correct strtod does.
double strtod(const char* text, char** end) {
  const char* start = text;
  while (*start == ' ' || (*start >= '\t' && *start <= '\r')) ++start;
  const char* at = start;
  if (*at == '+' || *at == '-') ++at;
  const char* digits = at;
  while (isDigit(*at)) ++at;
  if (*at == '.') {
    ++at;
    while (isDigit(*at)) ++at;
  }
  if (at == digits || (at == digits + 1 && *digits == '.')) {
    if (end != nullptr) *end = const_cast<char*>(text);
    return 0;
  }
  if (*at == 'e' || *at == 'E') {
    const char* exponent = at + 1;
    if (*exponent == '+' || *exponent == '-') ++exponent;
    if (isDigit(*exponent)) {
      while (isDigit(*exponent)) ++exponent;
      at = exponent;
    }
  }
  if (end != nullptr) *end = const_cast<char*>(at);
  return baanx_parse_decimal(start, static_cast<size_t>(at - start));
}

// Defined with strtod so that libc's strtod.o, which holds all three, stays out. Nothing in this
// module calls them; they round through double.
float strtof(const char* text, char** end) { return static_cast<float>(strtod(text, end)); }
long double strtold(const char* text, char** end) { return strtod(text, end); }

// The formats this module prints with: nlohmann/json's "\\u%04x", "%.2X" and "<U+%.4X>", and
// Embind's "%p" (type ids without RTTI). Supported: text, %%, and %d %u %x %X %p %s %c with the '0'
// flag, a width and a precision. Any other conversion stops the program (abort) rather than print
// something wrong.
static int formatTo(char* buffer, size_t size, const char* format, va_list args) {
  size_t length = 0;
  auto put = [&](char c) {
    if (length + 1 < size) buffer[length] = c;
    ++length;
  };
  for (const char* at = format; *at != '\0'; ++at) {
    if (*at != '%') {
      put(*at);
      continue;
    }
    const bool zero = *++at == '0';
    int width = 0;
    while (isDigit(*at)) width = width * 10 + (*at++ - '0');
    int precision = -1;
    if (*at == '.') {
      ++at;
      precision = 0;
      while (isDigit(*at)) precision = precision * 10 + (*at++ - '0');
    }
    char text[24];
    const char* from = text;
    int count = 0;
    const char conversion = *at;
    if (conversion == 's') {
      from = va_arg(args, const char*);
      while (from[count] != '\0' && (precision < 0 || count < precision)) ++count;
    } else if (conversion == 'c') {
      text[count++] = static_cast<char>(va_arg(args, int));
    } else if (conversion == '%') {
      text[count++] = '%';
    } else {
      unsigned value = va_arg(args, unsigned);
      unsigned base = 16;
      if (conversion == 'd' && static_cast<int>(value) < 0) {
        text[count++] = '-';
        value = 0u - value;
      }
      if (conversion == 'd' || conversion == 'u') {
        base = 10;
      } else if (conversion == 'p') {
        text[count++] = '0';
        text[count++] = 'x';
      } else if (conversion != 'x' && conversion != 'X') {
        abort();
      }
      char digits[12];
      int n = 0;
      for (; value != 0 || n == 0; value /= base) {
        digits[n++] =
            "0123456789abcdef0123456789ABCDEF"[value % base + (conversion == 'X' ? 16 : 0)];
      }
      if (precision == 0 && n == 1 && digits[0] == '0') n = 0;  // "%.0x" prints nothing for 0
      for (int z = n; z < precision; ++z) text[count++] = '0';
      // '0' pads between the sign and the digits when no precision is given.
      for (int z = count + n; zero && precision < 0 && z < width; ++z) text[count++] = '0';
      while (n > 0) text[count++] = digits[--n];
    }
    for (int pad = count; pad < width; ++pad) put(' ');
    for (int i = 0; i < count; ++i) put(from[i]);
  }
  if (size > 0) buffer[length < size ? length : size - 1] = '\0';
  return static_cast<int>(length);
}

int snprintf(char* buffer, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int length = formatTo(buffer, size, format, args);
  va_end(args);
  return length;
}

int sprintf(char* buffer, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int length = formatTo(buffer, static_cast<size_t>(-1), format, args);
  va_end(args);
  return length;
}

// The compiler turns sprintf calls without floating-point arguments into these: libc's
// sprintf.o defines all three, and must stay out.
int siprintf(char* buffer, const char* format, ...) __attribute__((alias("sprintf")));
int __small_sprintf(char* buffer, const char* format, ...) __attribute__((alias("sprintf")));

}  // extern "C"
