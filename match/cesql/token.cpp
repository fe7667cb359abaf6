#include "match/cesql/token.hpp"

namespace evd::cesql {

std::string_view describe(token_kind kind) {
  switch (kind) {
    case token_kind::end:
      return "the end of the expression";
    case token_kind::integer:
      return "an integer literal";
    case token_kind::string:
      return "a string literal";
    case token_kind::word:
      return "an identifier";
    case token_kind::keyword_and:
      return "AND";
    case token_kind::keyword_or:
      return "OR";
    case token_kind::keyword_xor:
      return "XOR";
    case token_kind::keyword_not:
      return "NOT";
    case token_kind::keyword_like:
      return "LIKE";
    case token_kind::keyword_in:
      return "IN";
    case token_kind::keyword_exists:
      return "EXISTS";
    case token_kind::keyword_true:
      return "TRUE";
    case token_kind::keyword_false:
      return "FALSE";
    case token_kind::left_paren:
      return "'('";
    case token_kind::right_paren:
      return "')'";
    case token_kind::comma:
      return "','";
    case token_kind::plus:
      return "'+'";
    case token_kind::minus:
      return "'-'";
    case token_kind::star:
      return "'*'";
    case token_kind::slash:
      return "'/'";
    case token_kind::percent:
      return "'%'";
    case token_kind::equal:
      return "'='";
    case token_kind::not_equal:
      return "'!='";
    case token_kind::less:
      return "'<'";
    case token_kind::less_equal:
      return "'<='";
    case token_kind::greater:
      return "'>'";
    case token_kind::greater_equal:
      return "'>='";
  }
  return "a token";
}

}  // namespace evd::cesql
