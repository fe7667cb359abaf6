#include "match/cesql/operand.hpp"

#include <doctest/doctest.h>

namespace cesql = evd::cesql;
using cesql::error_kind;
using cesql::operand;
using cesql::scratch;
using cesql::type;

TEST_SUITE("operand") {
  TEST_CASE("strings cast to integers with an optional sign") {
    scratch s;
    auto o = cast_implicit(operand::of_string("-12"), type::integer, s);
    CHECK(o.kind == type::integer);
    CHECK(o.integer == -12);
    CHECK_FALSE(o.failed);
    CHECK_FALSE(s.error());
  }

  TEST_CASE("a string that is no integer casts to zero with a cast error") {
    scratch s;
    auto o = cast_implicit(operand::of_string("12x"), type::integer, s);
    CHECK(o.integer == 0);
    CHECK(o.failed);
    CHECK(s.error() == error_kind::cast);
  }

  TEST_CASE("booleans cast to one and zero and to their names") {
    scratch s;
    CHECK(cast_implicit(operand::of_boolean(true), type::integer, s).integer ==
          1);
    CHECK(cast_implicit(operand::of_boolean(false), type::string, s).text ==
          "false");
    CHECK_FALSE(s.error());
  }

  TEST_CASE("integers cast to their decimal text") {
    scratch s;
    CHECK(cast_implicit(operand::of_integer(-7), type::string, s).text == "-7");
  }

  TEST_CASE("strings cast to booleans ignoring case") {
    scratch s;
    CHECK(cast_implicit(operand::of_string("TrUe"), type::boolean, s).boolean);
    auto bad = cast_implicit(operand::of_string("yes"), type::boolean, s);
    CHECK_FALSE(bad.boolean);
    CHECK(bad.failed);
    CHECK(s.error() == error_kind::cast);
  }

  TEST_CASE("an implicit integer to boolean cast fails") {
    scratch s;
    auto o = cast_implicit(operand::of_integer(10), type::boolean, s);
    CHECK_FALSE(o.boolean);
    CHECK(o.failed);
    CHECK(s.error() == error_kind::cast);
  }

  TEST_CASE("an explicit integer to boolean cast tests for non-zero") {
    scratch s;
    CHECK(cast_explicit(operand::of_integer(-50), type::boolean, s).boolean);
    CHECK_FALSE(
        cast_explicit(operand::of_integer(0), type::boolean, s).boolean);
    CHECK_FALSE(s.error());
  }

  TEST_CASE("a scratch keeps the first error reported") {
    scratch s;
    s.report(error_kind::math);
    s.report(error_kind::cast);
    CHECK(s.error() == error_kind::math);
  }

  TEST_CASE("kept strings stay valid as more are kept") {
    scratch s;
    std::string_view first = s.keep("short");
    for (int i = 0; i < 100; ++i) s.keep(std::string(100, 'x'));
    CHECK(first == "short");
  }

  TEST_CASE("the zero operand of each type is marked failed") {
    CHECK(operand::zero(type::integer).integer == 0);
    CHECK(operand::zero(type::string).text.empty());
    CHECK(operand::zero(type::boolean).failed);
  }

  TEST_CASE("to_value copies the text into an owning value") {
    std::string text = "abc";
    auto v = cesql::to_value(operand::of_string(text));
    text = "xyz";
    CHECK(v == cesql::value::string("abc"));
  }
}
