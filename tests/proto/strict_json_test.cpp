#include "proto/strict_json.hpp"

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

namespace evd::proto {
namespace {

using json = nlohmann::json;
using namespace std::string_view_literals;

// Parses `text` and expects a refusal; returns the reason.
std::string refusal(std::string_view text,
                    std::size_t max_depth = default_max_depth) {
  std::string error;
  std::optional<json> doc;
  CHECK_NOTHROW(doc = parse_strict(text, error, max_depth));
  CHECK_FALSE(doc.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// Both parses of `text` must agree: the same document, typed the same,
// or the same refusal with the same reason.
void check_agreement(std::string_view text) {
  CAPTURE(text);
  std::string fast_error, reference_error;
  auto fast = parse_strict(text, fast_error);
  auto reference = parse_strict_reference(text, reference_error);
  REQUIRE(fast.has_value() == reference.has_value());
  if (fast) {
    CHECK(same_document(*fast, *reference));
  } else {
    CHECK(fast_error == reference_error);
  }
}

TEST_SUITE("strict_json") {
  TEST_CASE("same_document tells JSON types apart") {
    CHECK(same_document(json::parse(R"({"a":[1,"x",null]})"),
                        json::parse(R"({"a":[1,"x",null]})")));
    CHECK_FALSE(same_document(json(std::uint64_t{1}), json(std::int64_t{1})));
    CHECK_FALSE(same_document(json(1.0), json(std::uint64_t{1})));
    CHECK_FALSE(same_document(json(0.0), json(-0.0)));
    CHECK_FALSE(
        same_document(json::parse(R"({"a":1})"), json::parse(R"({"b":1})")));
  }

  TEST_CASE("the fast path agrees with the reference parse") {
    SUBCASE("on the edges of numbers, strings and structure") {
      const std::vector<std::string> texts = {
          "0",
          "-0",
          "-0.0",
          "-0e0",
          "-1e-400",
          "[-0,0]",
          "0.0",
          "1.0",
          "1e2",
          "1E+2",
          "-1e-2",
          "1e-400",
          "1e400",
          "-1e400",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775808",
          "-9223372036854775809",
          "18446744073709551615",
          "18446744073709551616",
          "123456789012345678901234567890",
          "01",
          "+1",
          "1.",
          ".5",
          "--1",
          R"("\u00e9\/\n\t\"")",
          R"("\ud83d\ude00")",
          R"("\ud800")",
          R"("\udc00x")",
          R"("\u0000")",
          "\"a\x01b\"",
          "\"\xff\"",
          "\"\xc3\x28\"",
          "\xef\xbb\xbf{}",
          "{}",
          "[]",
          "[[]]",
          " { } ",
          R"({"a":1,"a":2})",
          R"({"a":1,"\u0061":2})",
          R"({"a":{"b":1,"b":1}})",
          R"({"":0})",
          R"([1,])",
          R"({"a":1,})",
          "[1 2]",
          "{\"a\"}",
          "nul",
          "true false",
          "{\"a\":1}x",
          "\t[1]\r",
          "[\"\t\"]",
          nested_arrays(64),
          nested_arrays(65),
          nested_arrays(2000),
          R"({"op":"pub","id":7,"event":{"specversion":"1.0","id":"x"}})"};
      for (const auto& text : texts) check_agreement(text);
    }
    SUBCASE("on every event of the dataset, and each as a publish") {
      std::ifstream in(EVD_TEST_DATASET);
      REQUIRE(in);
      int lines = 0;
      for (std::string line; std::getline(in, line); ++lines) {
        check_agreement(line);
        check_agreement(R"({"op":"pub","id":1,"event":)" + line + "}");
      }
      CHECK(lines == 329);
    }
  }

  TEST_CASE("a well-formed document parses to its value") {
    std::string error;
    auto doc = parse_strict(R"( {"a":[1,-2,3.5,{"b":null}],"c":"d"} )", error);
    REQUIRE(doc.has_value());
    CHECK(*doc == json{{"a", {1, -2, 3.5, {{"b", nullptr}}}}, {"c", "d"}});
  }

  TEST_CASE("scalars are documents too") {
    std::string error;
    CHECK(parse_strict("42", error) == json(42));
    CHECK(parse_strict("\"x\"", error) == json("x"));
    CHECK(parse_strict("null", error) == json(nullptr));
  }

  TEST_CASE("a duplicate key is refused and named") {
    SUBCASE("at the top level") {
      CHECK(refusal(R"({"a":1,"b":2,"a":3})") == "duplicate key 'a'");
    }
    SUBCASE("in a nested object") {
      CHECK(refusal(R"({"x":{"y":[{"k":1,"k":1}]}})") == "duplicate key 'k'");
    }
    SUBCASE("when spelled with an escape") {
      CHECK(refusal(R"({"a":1,"\u0061":2})") == "duplicate key 'a'");
    }
  }

  TEST_CASE("the same key in different objects is not a duplicate") {
    std::string error;
    CHECK(parse_strict(R"({"a":{"a":1},"b":[{"a":1},{"a":2}]})", error));
    CHECK(error.empty());
  }

  TEST_CASE("nesting is allowed up to the limit and refused beyond it") {
    std::string error;
    SUBCASE("with a small limit") {
      CHECK(parse_strict(nested_arrays(3), error, 3));
      CHECK(parse_strict(R"({"a":{"b":[]}})", error, 3));
      CHECK(refusal(nested_arrays(4), 3) == "nesting deeper than 3 levels");
      CHECK(refusal(R"({"a":{"b":[{}]}})", 3) ==
            "nesting deeper than 3 levels");
    }
    SUBCASE("with the default limit") {
      CHECK(parse_strict(nested_arrays(default_max_depth), error));
      CHECK(refusal(nested_arrays(default_max_depth + 1)) ==
            "nesting deeper than 64 levels");
    }
    SUBCASE("siblings do not add up") {
      CHECK(parse_strict("[[[]],[[]],{\"a\":[]}]", error, 3));
    }
    SUBCASE("deep input is refused without overflowing the stack") {
      refusal(nested_arrays(100000));
    }
  }

  TEST_CASE("invalid UTF-8 in a string is refused") {
    refusal("\"\xff\"");
    refusal("\"\xc0\xaf\"");      // overlong encoding of '/'
    refusal("\"\xe2\x82\"");      // truncated sequence
    refusal("\"\xed\xa0\x80\"");  // an encoded surrogate
    refusal("{\"\x80\":1}");      // in a key
    refusal(R"("\ud800")");       // a lone surrogate escape
  }

  TEST_CASE("valid UTF-8 is kept byte for byte") {
    std::string error;
    auto doc = parse_strict("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", error);
    REQUIRE(doc.has_value());
    CHECK(*doc == "caf\xc3\xa9 \xf0\x9f\x98\x80");
    CHECK(parse_strict(R"("\u00e9")", error) == json("\xc3\xa9"));
  }

  TEST_CASE("a NUL byte is refused wherever it appears") {
    SUBCASE("inside a string") { refusal("\"a\0b\""sv); }
    SUBCASE("between tokens") { refusal("{\"a\":\0 1}"sv); }
    SUBCASE("after the document") { refusal("{\"a\":1}\0"sv); }
    SUBCASE("before trailing garbage") { refusal("{\"a\":1}\0garbage"sv); }
    SUBCASE("as the whole text") { refusal("\0"sv); }
  }

  TEST_CASE("an escaped NUL is an ordinary character") {
    std::string error;
    auto doc = parse_strict(R"("a\u0000b")", error);
    REQUIRE(doc.has_value());
    CHECK(doc->get<std::string>() == "a\0b"sv);
  }

  // What happens to numbers beyond the native types: integers that do not
  // fit 64 bits become doubles (precision is lost, not the value's
  // magnitude); a number beyond the double range is refused.
  TEST_CASE("huge numbers become doubles or are refused") {
    std::string error;
    SUBCASE("the largest unsigned 64-bit integer stays exact") {
      auto doc = parse_strict("18446744073709551615", error);
      REQUIRE(doc.has_value());
      CHECK(doc->is_number_unsigned());
      CHECK(doc->get<std::uint64_t>() == 18446744073709551615u);
    }
    SUBCASE("one more becomes a double") {
      auto doc = parse_strict("18446744073709551616", error);
      REQUIRE(doc.has_value());
      CHECK(doc->is_number_float());
      CHECK(doc->get<double>() == doctest::Approx(1.8446744073709552e19));
    }
    SUBCASE("a negative integer below int64 becomes a double") {
      auto doc = parse_strict("-9223372036854775809", error);
      REQUIRE(doc.has_value());
      CHECK(doc->is_number_float());
    }
    SUBCASE("a hundred digits become a double") {
      auto doc = parse_strict("1" + std::string(100, '0'), error);
      REQUIRE(doc.has_value());
      CHECK(doc->is_number_float());
    }
    SUBCASE("a number beyond the double range is refused") {
      CHECK(refusal("1e400").find("1e400") != std::string::npos);
      refusal("-1e400");
      refusal("[1" + std::string(400, '0') + "]");
    }
    SUBCASE("underflow becomes zero") {
      auto doc = parse_strict("1e-400", error);
      REQUIRE(doc.has_value());
      CHECK(doc->get<double>() == 0.0);
    }
  }

  TEST_CASE("an empty or blank text is refused") {
    refusal("");
    refusal("  \r\n\t");
  }

  TEST_CASE("trailing garbage is refused") {
    refusal("{} x");
    refusal("{}{}");
    refusal("[1]]");
    refusal("1 2");
    refusal("\"a\"\"b\"");
  }

  TEST_CASE("trailing whitespace is accepted") {
    std::string error;
    CHECK(parse_strict("{} \t\r\n", error));
  }

  TEST_CASE("malformed JSON is refused with a readable reason") {
    SUBCASE("unterminated") { refusal(R"({"a":1)"); }
    SUBCASE("trailing comma") { refusal("[1,]"); }
    SUBCASE("single quotes") { refusal("{'a':1}"); }
    SUBCASE("a comment") { refusal("{} // no"); }
    SUBCASE("a bare control character in a string") { refusal("\"a\tb\""); }
    SUBCASE("without the library's exception prefix") {
      CHECK(refusal("[1,]").find("[json.exception") == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace evd::proto
