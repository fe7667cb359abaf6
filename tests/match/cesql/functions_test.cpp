#include "match/cesql/functions.hpp"

#include <vector>

#include <doctest/doctest.h>

namespace cesql = evd::cesql;
using cesql::builtin;
using cesql::error_kind;
using cesql::operand;
using cesql::scratch;
using cesql::type;

namespace {

// Calls the built-in `name` takes for args.size() arguments; `s` keeps any
// computed text alive for the checks.
operand run(scratch& s, std::string_view name, std::vector<operand> args) {
  const cesql::signature* sig = cesql::find_builtin(name, args.size());
  REQUIRE(sig != nullptr);
  return cesql::call(sig->id, args, s);
}

operand str(std::string_view s) { return operand::of_string(s); }
operand num(std::int32_t i) { return operand::of_integer(i); }

}  // namespace

TEST_SUITE("functions") {
  TEST_CASE("built-ins are found by upper-case name and arity") {
    CHECK(cesql::find_builtin("LENGTH", 1));
    CHECK_FALSE(cesql::find_builtin("LENGTH", 2));
    CHECK_FALSE(cesql::find_builtin("length", 1));
    CHECK(cesql::find_builtin("SUBSTRING", 2)->id == builtin::substring_from);
    CHECK(cesql::find_builtin("SUBSTRING", 3)->id == builtin::substring);
    CHECK_FALSE(cesql::find_builtin("NOPE", 0));
  }

  TEST_CASE("variadic built-ins need their fixed arguments") {
    CHECK(cesql::find_builtin("CONCAT", 0));
    CHECK(cesql::find_builtin("CONCAT", 9));
    CHECK_FALSE(cesql::find_builtin("CONCAT_WS", 0));
    CHECK(cesql::find_builtin("CONCAT_WS", 1));
  }

  TEST_CASE("every built-in's signature is found by its id") {
    for (int i = 0; i <= static_cast<int>(builtin::is_boolean); ++i) {
      auto id = static_cast<builtin>(i);
      CHECK(cesql::signature_of(id).id == id);
    }
  }

  TEST_CASE("parameter types come from the fixed list then the rest") {
    const auto& ws = cesql::signature_of(builtin::concat_ws);
    CHECK(cesql::parameter_type(ws, 0) == type::string);
    CHECK(cesql::parameter_type(ws, 5) == type::string);
    CHECK_FALSE(
        cesql::parameter_type(cesql::signature_of(builtin::to_integer), 0));
  }

  TEST_CASE("LENGTH counts characters") {
    scratch s;
    CHECK(run(s, "LENGTH", {str("h\u00e9")}).integer == 2);
  }

  TEST_CASE("CONCAT_WS puts the delimiter between arguments only") {
    scratch s;
    CHECK(run(s, "CONCAT_WS", {str("-"), str("a"), str("b")}).text == "a-b");
    CHECK(run(s, "CONCAT", {str("a"), str("b"), str("c")}).text == "abc");
  }

  TEST_CASE("LOWER and UPPER map ASCII letters only") {
    scratch s;
    CHECK(run(s, "LOWER", {str("AbC\u00c9")}).text == "abc\u00c9");
    CHECK(run(s, "UPPER", {str("aBc1")}).text == "ABC1");
  }

  TEST_CASE("LEFT and RIGHT count characters") {
    scratch s;
    CHECK(run(s, "LEFT", {str("\u00e9t\u00e9"), num(2)}).text == "\u00e9t");
    CHECK(run(s, "RIGHT", {str("\u00e9t\u00e9"), num(1)}).text == "\u00e9");
  }

  TEST_CASE("SUBSTRING counts negative positions from the end") {
    scratch s;
    CHECK(run(s, "SUBSTRING", {str("abcdef"), num(-2)}).text == "ef");
    CHECK(run(s, "SUBSTRING", {str("abcdef"), num(-6)}).text == "abcdef");
    CHECK(run(s, "SUBSTRING", {str("abcdef"), num(6)}).text == "f");
  }

  TEST_CASE("SUBSTRING clamps a length past the end") {
    scratch s;
    CHECK(run(s, "SUBSTRING", {str("abcdef"), num(5), num(10)}).text == "ef");
  }

  TEST_CASE("SUBSTRING with a negative length is an evaluation error") {
    scratch s;
    auto o = run(s, "SUBSTRING", {str("abc"), num(1), num(-1)});
    CHECK(o.text.empty());
    CHECK(o.failed);
    CHECK(s.error() == error_kind::function_evaluation);
  }

  TEST_CASE("IS_INT and IS_BOOL test castability") {
    scratch s;
    CHECK(run(s, "IS_INT", {str("-5")}).boolean);
    CHECK_FALSE(run(s, "IS_INT", {str("5.0")}).boolean);
    CHECK(run(s, "IS_BOOL", {str("False")}).boolean);
    CHECK_FALSE(run(s, "IS_BOOL", {str("0")}).boolean);
  }

  TEST_CASE("ABS of the most negative integer saturates with a math error") {
    scratch s;
    auto r = cesql::call(builtin::abs, std::vector{num(INT32_MIN)}, s);
    CHECK(r.integer == INT32_MAX);
    CHECK(r.failed);
    CHECK(s.error() == error_kind::math);
  }

  TEST_CASE("INT of a malformed string is zero with a cast error") {
    scratch s;
    auto r = cesql::call(builtin::to_integer, std::vector{str("x")}, s);
    CHECK(r.integer == 0);
    CHECK(s.error() == error_kind::cast);
  }
}
