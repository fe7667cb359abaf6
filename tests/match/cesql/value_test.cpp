#include "match/cesql/value.hpp"

#include <doctest/doctest.h>

namespace cesql = evd::cesql;
using cesql::type;
using cesql::value;

TEST_SUITE("value") {
  TEST_CASE("a default value is boolean false") {
    value v;
    CHECK(v.kind() == type::boolean);
    CHECK_FALSE(v.as_boolean());
  }

  TEST_CASE("values of different types are never equal") {
    CHECK(value::integer(1) != value::boolean(true));
    CHECK(value::string("1") != value::integer(1));
    CHECK(value::string("a") == value::string("a"));
  }

  TEST_CASE("values render as literals for diagnostics") {
    CHECK(to_string(value::boolean(true)) == "true");
    CHECK(to_string(value::integer(-3)) == "-3");
    CHECK(to_string(value::string("x")) == "'x'");
  }

  TEST_CASE("type names are the spec's capitalised names") {
    CHECK(name(type::integer) == "Integer");
    CHECK(name(type::string) == "String");
    CHECK(name(type::boolean) == "Boolean");
  }

  TEST_CASE("parse_integer reads a signed 32-bit decimal and nothing more") {
    CHECK(cesql::parse_integer("42") == 42);
    CHECK(cesql::parse_integer("+7") == 7);
    CHECK(cesql::parse_integer("-2147483648") == INT32_MIN);
    CHECK(cesql::parse_integer("2147483647") == INT32_MAX);
    CHECK(cesql::parse_integer("007") == 7);

    CHECK_FALSE(cesql::parse_integer("2147483648"));
    CHECK_FALSE(cesql::parse_integer("-2147483649"));
    CHECK_FALSE(cesql::parse_integer("99999999999999999999999"));
    CHECK_FALSE(cesql::parse_integer(""));
    CHECK_FALSE(cesql::parse_integer("+"));
    CHECK_FALSE(cesql::parse_integer("+-1"));
    CHECK_FALSE(cesql::parse_integer(" 1"));
    CHECK_FALSE(cesql::parse_integer("1a"));
    CHECK_FALSE(cesql::parse_integer("1.0"));
  }

  TEST_CASE("parse_boolean accepts true and false in any letter case") {
    CHECK(cesql::parse_boolean("TRUE") == true);
    CHECK(cesql::parse_boolean("fAlSe") == false);
    CHECK_FALSE(cesql::parse_boolean("yes"));
    CHECK_FALSE(cesql::parse_boolean("1"));
    CHECK_FALSE(cesql::parse_boolean("true "));
  }

  TEST_CASE("integers and booleans have canonical text") {
    CHECK(cesql::integer_text(-12) == "-12");
    CHECK(cesql::integer_text(0) == "0");
    CHECK(cesql::boolean_text(false) == "false");
  }
}
