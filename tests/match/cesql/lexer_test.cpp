#include "match/cesql/lexer.hpp"

#include <vector>

#include <doctest/doctest.h>

namespace cesql = evd::cesql;
using cesql::token_kind;

namespace {

std::vector<token_kind> kinds(std::string_view text) {
  std::vector<token_kind> out;
  auto tokens = cesql::tokenize(text);
  REQUIRE(tokens.has_value());
  for (const auto& t : *tokens) out.push_back(t.kind);
  return out;
}

cesql::token only_token(std::string_view text) {
  auto tokens = cesql::tokenize(text);
  REQUIRE(tokens.has_value());
  REQUIRE(tokens->size() == 2);
  return tokens->front();
}

}  // namespace

TEST_SUITE("lexer") {
  TEST_CASE("keywords are recognised in any letter case") {
    CHECK(kinds("and Or XOR nOt LIKE in Exists true FALSE") ==
          std::vector{token_kind::keyword_and, token_kind::keyword_or,
                      token_kind::keyword_xor, token_kind::keyword_not,
                      token_kind::keyword_like, token_kind::keyword_in,
                      token_kind::keyword_exists, token_kind::keyword_true,
                      token_kind::keyword_false, token_kind::end});
  }

  TEST_CASE("both spellings of inequality give one token kind") {
    CHECK(kinds("!= <>") == std::vector{token_kind::not_equal,
                                        token_kind::not_equal,
                                        token_kind::end});
  }

  TEST_CASE("comparison operators take the longest match") {
    CHECK(kinds("<=>=<>") ==
          std::vector{token_kind::less_equal, token_kind::greater_equal,
                      token_kind::not_equal, token_kind::end});
  }

  TEST_CASE("a sign is a token of its own before digits") {
    CHECK(kinds("-10") ==
          std::vector{token_kind::minus, token_kind::integer, token_kind::end});
  }

  TEST_CASE("digits followed by letters form a word") {
    auto t = only_token("123abc");
    CHECK(t.kind == token_kind::word);
    CHECK(t.text == "123abc");
  }

  TEST_CASE("a dotted run is one word and never a keyword") {
    auto t = only_token("data.not.full_name");
    CHECK(t.kind == token_kind::word);
    CHECK(t.text == "data.not.full_name");
  }

  TEST_CASE("tokens record their byte offset") {
    auto tokens = cesql::tokenize("  ab = 'c'");
    REQUIRE(tokens.has_value());
    CHECK((*tokens)[0].offset == 2);
    CHECK((*tokens)[1].offset == 5);
    CHECK((*tokens)[2].offset == 7);
    CHECK((*tokens)[3].offset == 10);
  }

  TEST_CASE("an escaped delimiter becomes a bare quote") {
    CHECK(only_token(R"('a\'b')").text == "a'b");
    CHECK(only_token(R"("a\"b")").text == "a\"b");
  }

  TEST_CASE("other backslash pairs are kept as written") {
    CHECK(only_token(R"('a\"b')").text == R"(a\"b)");
    CHECK(only_token(R"('a\_b\\')").text == R"(a\_b\\)");
  }

  TEST_CASE("the other quote needs no escape inside a string") {
    CHECK(only_token(R"("it's")").text == "it's");
  }

  TEST_CASE("an unterminated string is an error at its opening quote") {
    auto tokens = cesql::tokenize("x = 'abc");
    REQUIRE_FALSE(tokens.has_value());
    CHECK(tokens.error().column == 5);
  }

  TEST_CASE("an escaped closing quote leaves the string unterminated") {
    CHECK_FALSE(cesql::tokenize(R"('abc\')").has_value());
  }

  TEST_CASE("an unknown character is an error at its position") {
    auto tokens = cesql::tokenize("a & b");
    REQUIRE_FALSE(tokens.has_value());
    CHECK(tokens.error().column == 3);
    CHECK(tokens.error().message == "unexpected '&'");
  }

  TEST_CASE("a lone exclamation mark is an error") {
    CHECK_FALSE(cesql::tokenize("!a").has_value());
  }

  TEST_CASE("a dot not followed by a word character is an error") {
    CHECK_FALSE(cesql::tokenize("data.").has_value());
    CHECK_FALSE(cesql::tokenize("1.5").has_value());
  }
}
