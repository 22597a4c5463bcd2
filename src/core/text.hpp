// Small ASCII string helpers shared by the core. Locale-free on purpose.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace baanx {

char toLowerAscii(char c);
bool equalsIgnoreCase(std::string_view a, std::string_view b);
bool containsIgnoreCase(std::string_view haystack, std::string_view needle);
std::string_view trimSpaces(std::string_view text);  // strips ' ' and '\t' at both ends
bool isAsciiDigit(char c);
bool isHexDigit(char c);
// Whether an HTTP header can carry the text as it is: printable ASCII and tabs only. Anything else
// is refused by the browser's XMLHttpRequest (non-Latin-1) or would split the header (CR, LF, NUL).
bool isHeaderSafe(std::string_view text);

// Overwrites the bytes of a secret before the string lets go of its memory.
void wipe(std::string& secret);
// The same for `size` bytes of memory about to be freed.
void wipe(char* bytes, std::size_t size);

}  // namespace baanx
