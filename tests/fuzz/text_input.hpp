// The fuzz targets read text laid out the way a person writes a seed: each field on a line of its
// own, the last one running to the end of the input. A JSON seed is then one line of the input as
// written, where FuzzedDataProvider would have cut it by length prefixes and tail bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace baanx::fuzz {

class TextInput {
 public:
  TextInput(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  // Up to the next '\n' (not included), or everything left when there is none.
  std::string_view line() {
    const std::size_t end = rest_.find('\n');
    std::string_view line = rest_.substr(0, end);
    rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
    return line;
  }

  // Everything not read yet.
  std::string_view rest() {
    std::string_view rest = rest_;
    rest_ = {};
    return rest;
  }

 private:
  std::string_view rest_;
};

// A decimal integer with an optional '-', or nothing; at most 18 digits, so it cannot overflow.
inline std::optional<std::int64_t> parseInteger(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

// "Name: value" header lines up to an empty line (or the end), each handed to add(name, value).
template <typename Add>
void readHeaders(TextInput& input, Add add) {
  for (std::string_view header = input.line(); !header.empty(); header = input.line()) {
    const std::size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = header.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    add(header.substr(0, colon), value);
  }
}

}  // namespace baanx::fuzz
