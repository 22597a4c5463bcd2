#include "core/text.hpp"

#include <algorithm>
#include <cstddef>

namespace baanx {

char toLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (toLowerAscii(a[i]) != toLowerAscii(b[i])) return false;
  }
  return true;
}

bool containsIgnoreCase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t start = 0; start + needle.size() <= haystack.size(); ++start) {
    if (equalsIgnoreCase(haystack.substr(start, needle.size()), needle)) return true;
  }
  return false;
}

std::string_view trimSpaces(std::string_view text) {
  auto isSpace = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool isHexDigit(char c) {
  return isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isHeaderSafe(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 0x20 && c <= 0x7e) || c == '\t'; });
}

void wipe(std::string& secret) {
  wipe(secret.data(), secret.size());
  secret.clear();
}

void wipe(char* bytes, std::size_t size) {
  // volatile keeps the compiler from dropping stores to memory that is about to be released.
  volatile char* target = bytes;
  for (std::size_t i = 0; i < size; ++i) target[i] = 0;
}

}  // namespace baanx
