#include "match/wildcard_pattern.hpp"

#include <string>
#include <string_view>

#include <doctest/doctest.h>

namespace evd::match {
namespace {

wildcard_pattern pattern(std::string_view text) {
  std::string error;
  auto p = wildcard_pattern::parse(text, error);
  INFO("pattern: " << text);
  REQUIRE_MESSAGE(p.has_value(), error);
  return *p;
}

std::string refusal(std::string_view text) {
  std::string error;
  auto p = wildcard_pattern::parse(text, error);
  INFO("pattern: " << text);
  CHECK_FALSE(p.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

TEST_SUITE("wildcard_pattern") {
  TEST_CASE("a pattern without a star matches only itself") {
    auto p = pattern("/repos/a/pulls");
    CHECK(p.matches("/repos/a/pulls"));
    CHECK_FALSE(p.matches("/repos/a/pulls/1"));
    CHECK_FALSE(p.matches("x/repos/a/pulls"));
    CHECK_FALSE(p.matches(""));
  }

  TEST_CASE("an empty pattern matches only the empty text") {
    CHECK(pattern("").matches(""));
    CHECK_FALSE(pattern("").matches("x"));
  }

  TEST_CASE("a star matches any run of characters including none") {
    auto p = pattern("/repos/*/pulls");
    CHECK(p.matches("/repos/a/pulls"));
    CHECK(p.matches("/repos/octo/hello/pulls"));
    CHECK(p.matches("/repos//pulls"));
    CHECK_FALSE(p.matches("/repos/pulls"));
    CHECK_FALSE(p.matches("/repos/a/pulls/2"));
  }

  TEST_CASE("a star alone matches everything") {
    auto p = pattern("*");
    CHECK(p.matches(""));
    CHECK(p.matches("anything at all"));
    CHECK(pattern("**").matches(""));
  }

  TEST_CASE("leading and trailing stars leave that end open") {
    CHECK(pattern("*.opened").matches("com.github.issues.opened"));
    CHECK_FALSE(pattern("*.opened").matches("com.github.issues.opened.x"));
    CHECK(pattern("com.github.*").matches("com.github."));
    CHECK(pattern("*hub*").matches("github"));
    CHECK_FALSE(pattern("*hub*").matches("gitlab"));
  }

  TEST_CASE("pieces between stars must occur in order") {
    auto p = pattern("*a*b*");
    CHECK(p.matches("xaxb"));
    CHECK(p.matches("ab"));
    CHECK_FALSE(p.matches("xbxa"));
    CHECK(pattern("a*b*a").matches("abba"));
    CHECK_FALSE(pattern("a*b*a").matches("aba-b"));
  }

  TEST_CASE("the anchored ends may not overlap") {
    CHECK_FALSE(pattern("ab*ba").matches("aba"));
    CHECK(pattern("ab*ba").matches("abba"));
    CHECK(pattern("a*ab").matches("aab"));
    CHECK_FALSE(pattern("aa*aa").matches("aaa"));
  }

  TEST_CASE("an early false start does not hide a later match") {
    CHECK(pattern("*abc*").matches("ababc"));
    CHECK(pattern("x*aab*y").matches("xaaaby"));
  }

  TEST_CASE("matching is case sensitive") {
    CHECK_FALSE(pattern("*.Opened").matches("issues.opened"));
  }

  TEST_CASE("a backslash makes a star or a backslash literal") {
    auto star = pattern(R"(a\*b)");
    CHECK(star.matches("a*b"));
    CHECK_FALSE(star.matches("axb"));
    auto slash = pattern(R"(a\\*)");
    CHECK(slash.matches(R"(a\)"));
    CHECK(slash.matches(R"(a\xyz)"));
    CHECK_FALSE(slash.matches("axyz"));
    CHECK(pattern(R"(*\*)").matches("5*"));
  }

  TEST_CASE("any other backslash is refused") {
    for (auto text : {R"(\)", R"(a\)", R"(\n)", R"(a\.b)", R"(\?)"}) {
      CAPTURE(text);
      CHECK(refusal(text).find("backslash") != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace evd::match
