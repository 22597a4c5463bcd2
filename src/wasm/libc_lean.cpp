// Lean stand-ins for libc's strtod and snprintf/sprintf, which in this module only nlohmann/json
// (numbers in, "\\u00XX" escapes out) and Embind (type ids) call. musl's strtod carries 128-bit
// long-double arithmetic and its printf the floating-point formatter, neither of which this
// module needs: defining the functions here keeps those libc objects out of the link
// (tests/bench/README.md has what that saves). The ctest wasm.libc_lean
// (tests/wasm/libc_lean/check.sh) checks them against glibc's answers, and checks that what they
// do not support fails safely.
#include <cstdarg>
#include <cstddef>
#include <cstdlib>
#include <cstring>

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

// The formats this module prints with: nlohmann/json's "\\u%04x" and "<U+%.4X>", and Embind's
// "%p" (type ids without RTTI). Supported: text, %%, and %d %u %x %X %p %s %c with the '0' flag, a
// width and a precision, without length modifiers. Anything else (a conversion or modifier this
// does not know, a width or precision past kMaxField) ends the output there: what was written so
// far stays, NUL-terminated, and the result is -1, as for an encoding error. Nothing is ever
// written past `size` bytes.
constexpr int kMaxField = 4096;

static bool readNumber(const char*& at, int& number) {
  number = 0;
  while (isDigit(*at)) {
    number = number * 10 + (*at++ - '0');
    if (number > kMaxField) return false;
  }
  return true;
}

static int formatTo(char* buffer, size_t size, const char* format, va_list args) {
  size_t length = 0;
  auto put = [&](char c, int times = 1) {
    for (; times > 0; --times) {
      if (length + 1 < size) buffer[length] = c;
      ++length;
    }
  };
  auto finish = [&](int result) {
    if (size > 0) buffer[length < size ? length : size - 1] = '\0';
    return result;
  };
  for (const char* at = format; *at != '\0'; ++at) {
    if (*at != '%') {
      put(*at);
      continue;
    }
    ++at;
    const bool zero = *at == '0';
    int width = 0;
    int precision = -1;
    if (!readNumber(at, width)) return finish(-1);
    if (*at == '.') {
      ++at;
      if (!readNumber(at, precision)) return finish(-1);
    }
    const char conversion = *at;
    if (conversion == 's') {
      const char* text = va_arg(args, const char*);
      int count = 0;
      while (text[count] != '\0' && (precision < 0 || count < precision)) ++count;
      put(' ', width - count);
      for (int i = 0; i < count; ++i) put(text[i]);
      continue;
    }
    if (conversion == 'c' || conversion == '%') {
      put(' ', width - 1);
      put(conversion == 'c' ? static_cast<char>(va_arg(args, int)) : '%');
      continue;
    }
    const char* prefix = "";
    unsigned value = 0;
    unsigned base = 16;
    if (conversion == 'd') {
      const int number = va_arg(args, int);
      value = static_cast<unsigned>(number);
      if (number < 0) {
        prefix = "-";
        value = 0u - value;
      }
      base = 10;
    } else if (conversion == 'u') {
      value = va_arg(args, unsigned);
      base = 10;
    } else if (conversion == 'p') {
      value = static_cast<unsigned>(reinterpret_cast<size_t>(va_arg(args, void*)));
      prefix = "0x";
    } else if (conversion == 'x' || conversion == 'X') {
      value = va_arg(args, unsigned);
    } else {
      return finish(-1);
    }
    char digits[12];  // the 10 decimal digits of a 32-bit value, at most
    int n = 0;
    const char* alphabet = conversion == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    for (; value != 0 || n == 0; value /= base) digits[n++] = alphabet[value % base];
    if (precision == 0 && n == 1 && digits[0] == '0') n = 0;  // "%.0x" prints nothing for 0
    const int prefixLength = static_cast<int>(strlen(prefix));
    int zeros = precision > n ? precision - n : 0;
    // '0' pads between the sign and the digits when no precision is given.
    if (zero && precision < 0 && width > prefixLength + n) zeros = width - prefixLength - n;
    put(' ', width - (prefixLength + zeros + n));
    for (const char* p = prefix; *p != '\0'; ++p) put(*p);
    put('0', zeros);
    while (n > 0) put(digits[--n]);
  }
  return finish(static_cast<int>(length));
}

int snprintf(char* buffer, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int length = formatTo(buffer, size, format, args);
  va_end(args);
  return length;
}

int vsnprintf(char* buffer, size_t size, const char* format, va_list args) {
  return formatTo(buffer, size, format, args);
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
