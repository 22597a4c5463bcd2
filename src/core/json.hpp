// nlohmann/json as the core and the bindings use it: include this, not <nlohmann/json.hpp>.
//
// One thing is trimmed: the text of parse errors. For every parse error the parser composes a
// message ("[json.exception.parse_error.101] parse error at line 1, column 7: syntax error while
// parsing value - invalid literal; last read: ...") and hands it to the DOM builder, which,
// without exceptions, only records that there was an error. Nothing here reads that text: a body
// or an input that does not parse is reported in the project's own words. The explicit
// specializations below make it empty for the one parser this project instantiates (JSON text
// read from a std::string_view), which takes the message composition and its strings out of the
// WebAssembly module; and its lexer no longer keeps a copy of every character it reads (the
// "last read: ..." of that text) in a vector of its own, a push_back per character read and a
// pop_back per character put back. They must be seen before that parser is instantiated, hence
// this header.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

NLOHMANN_JSON_NAMESPACE_BEGIN
namespace detail {

template <>
inline std::string parser<nlohmann::json, iterator_input_adapter<const char*>>::exception_message(
    const token_type /*expected*/, const std::string& /*context*/) {
  return {};
}

using StringLexer = lexer<nlohmann::json, iterator_input_adapter<const char*>>;

// As lexer::reset(), without token_string.
template <>
inline void StringLexer::reset() noexcept {
  token_buffer.clear();
}

// As lexer::get(), without token_string.
template <>
inline StringLexer::char_int_type StringLexer::get() {
  ++position.chars_read_total;
  ++position.chars_read_current_line;
  if (next_unget) {
    next_unget = false;
  } else {
    current = ia.get_character();
  }
  if (current == '\n') {
    ++position.lines_read;
    position.chars_read_current_line = 0;
  }
  return current;
}

// As lexer::unget(), without token_string.
template <>
inline void StringLexer::unget() {
  next_unget = true;
  --position.chars_read_total;
  if (position.chars_read_current_line == 0) {
    if (position.lines_read > 0) --position.lines_read;
  } else {
    --position.chars_read_current_line;
  }
}

// The "last read: ..." of a parse error's text, which is left out (above): nothing kept.
template <>
inline std::string StringLexer::get_token_string() const {
  return {};
}

template <>
inline parse_error parse_error::create<std::nullptr_t, 0>(int id_, const position_t& pos,
                                                          const std::string& /*what_arg*/,
                                                          std::nullptr_t /*context*/) {
  return {id_, pos.chars_read_total, ""};
}

}  // namespace detail
NLOHMANN_JSON_NAMESPACE_END
