// The tokens the CESQL lexer produces and the parser consumes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace evd::cesql {

enum class token_kind : std::uint8_t {
  end,      // end of the text
  integer,  // digits only; text holds them, the sign is a separate token
  string,   // quoted literal; text holds the unescaped contents
  word,     // identifier, possibly dotted, or function name
  keyword_and,
  keyword_or,
  keyword_xor,
  keyword_not,
  keyword_like,
  keyword_in,
  keyword_exists,
  keyword_true,
  keyword_false,
  left_paren,
  right_paren,
  comma,
  plus,
  minus,
  star,
  slash,
  percent,
  equal,      // =
  not_equal,  // != or <>
  less,
  less_equal,
  greater,
  greater_equal,
};

// Describes `kind` for error messages, e.g. "')'" or "a string literal".
std::string_view describe(token_kind kind);

struct token {
  token_kind kind = token_kind::end;
  // 0-based byte offset of the token's first byte in the expression text.
  std::size_t offset = 0;
  // For integer and word: the source spelling. For string: the contents
  // with the quote escapes removed. Empty for the other kinds.
  std::string text;
};

}  // namespace evd::cesql
