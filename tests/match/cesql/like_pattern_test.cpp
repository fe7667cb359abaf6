#include "match/cesql/like_pattern.hpp"

#include <string>

#include <doctest/doctest.h>

using evd::cesql::like_pattern;

namespace {

bool like(std::string_view text, std::string_view pattern) {
  return like_pattern(pattern).matches(text);
}

}  // namespace

TEST_SUITE("like_pattern") {
  TEST_CASE("a pattern without wildcards matches only the same text") {
    CHECK(like("abc", "abc"));
    CHECK_FALSE(like("abC", "abc"));
    CHECK_FALSE(like("abcd", "abc"));
    CHECK_FALSE(like("", "abc"));
  }

  TEST_CASE("percent matches any run including an empty one") {
    CHECK(like("", "%"));
    CHECK(like("abc", "a%"));
    CHECK(like("ac", "a%c"));
    CHECK(like("a.b.c", "%.%"));
    CHECK_FALSE(like("ab", "a%c"));
  }

  TEST_CASE("percent backtracks to find a later match") {
    CHECK(like("abcbcd", "a%bcd"));
    CHECK(like("xaaab", "%aab"));
    CHECK_FALSE(like("abcbc", "a%bcd"));
  }

  TEST_CASE("underscore matches exactly one character") {
    CHECK(like("abc", "a_c"));
    CHECK_FALSE(like("ac", "a_c"));
    CHECK_FALSE(like("abbc", "a_c"));
  }

  TEST_CASE("underscore matches one multi-byte character") {
    CHECK(like("a\u20acc", "a_c"));
    CHECK(like("\u00e9\u00e9", "__"));
    CHECK_FALSE(like("\u00e9\u00e9", "___"));
  }

  TEST_CASE("escaped wildcards match themselves") {
    CHECK(like("a%", R"(a\%)"));
    CHECK_FALSE(like("ab", R"(a\%)"));
    CHECK(like("a_", R"(a\_)"));
    CHECK_FALSE(like("ab", R"(a\_)"));
  }

  TEST_CASE("an escaped backslash matches one backslash") {
    CHECK(like(R"(a\b)", R"(a\\%)"));
    CHECK_FALSE(like("ab", R"(a\\%)"));
  }

  TEST_CASE("a backslash before an ordinary character is literal") {
    CHECK(like(R"(ab\c)", R"(ab\c)"));
    CHECK_FALSE(like("abc", R"(ab\c)"));
    CHECK(like(R"(a\)", R"(a\)"));
  }

  TEST_CASE("many percents do not make matching exponential") {
    std::string text(2000, 'a');
    CHECK_FALSE(like(text, "%a%a%a%a%a%a%a%a%a%a%b"));
  }
}
