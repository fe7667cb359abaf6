#include "match/cesql/utf8.hpp"

#include <doctest/doctest.h>

namespace utf8 = evd::cesql::utf8;

TEST_SUITE("utf8") {
  TEST_CASE("length counts code points not bytes") {
    CHECK(utf8::length("") == 0);
    CHECK(utf8::length("abc") == 3);
    CHECK(utf8::length("h\u00e9\u20ac\U0001F600") == 4);
  }

  TEST_CASE("next steps over a whole multi-byte character") {
    std::string_view s = "\u00e9x";
    CHECK(utf8::next(s, 0) == 2);
    CHECK(utf8::next(s, 2) == 3);
    CHECK(utf8::next(s, 3) == 3);
  }

  TEST_CASE("offset_of finds the start of a character by index") {
    std::string_view s = "a\u20acb";
    CHECK(utf8::offset_of(s, 0) == 0);
    CHECK(utf8::offset_of(s, 1) == 1);
    CHECK(utf8::offset_of(s, 2) == 4);
    CHECK(utf8::offset_of(s, 9) == s.size());
  }

  TEST_CASE("trim removes unicode white space at both ends") {
    CHECK(utf8::trim(" \t\n a b \r") == "a b");
    CHECK(utf8::trim("\u3000\u00a0x\u2003\u2029") == "x");
    CHECK(utf8::trim("   ") == "");
  }

  TEST_CASE("trim keeps control characters that are not white space") {
    CHECK(utf8::trim("\x01 a \x01") == "\x01 a \x01");
  }

  TEST_CASE("malformed bytes count as one character each") {
    CHECK(utf8::length("\xff\xfe") == 2);
    CHECK(utf8::trim("\xe3\x80") == "\xe3\x80");
  }
}
