#include "match/cesql/token.hpp"

#include <doctest/doctest.h>

using evd::cesql::describe;
using evd::cesql::token_kind;

TEST_SUITE("token") {
  TEST_CASE("punctuation is described quoted and keywords in capitals") {
    CHECK(describe(token_kind::right_paren) == "')'");
    CHECK(describe(token_kind::not_equal) == "'!='");
    CHECK(describe(token_kind::keyword_like) == "LIKE");
  }

  TEST_CASE("literal and end tokens are described in words") {
    CHECK(describe(token_kind::string) == "a string literal");
    CHECK(describe(token_kind::end) == "the end of the expression");
  }
}
