#include "match/cesql/evaluator.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "match/cesql/parser.hpp"

namespace cesql = evd::cesql;
using cesql::error_kind;
using cesql::type;
using cesql::value;
using json = nlohmann::json;

namespace {

struct outcome {
  value result;
  std::optional<error_kind> error;
};

outcome eval(std::string_view text, const json& event = json::object()) {
  auto t = cesql::parse(text);
  REQUIRE_MESSAGE(t.has_value(), text << ": " << cesql::to_string(t.error()));
  cesql::scratch s;
  auto o = cesql::evaluate(*t, event, s);
  return {cesql::to_value(o), s.error()};
}

const json event = {
    {"id", "1"},
    {"count", 5},
    {"flag", true},
    {"nothing", nullptr},
    {"ratio", 0.5},
    {"big", 4294967296},
    {"tags", {"a", "b"}},
    {"data", {{"repository", {{"full_name", "evd/evd"}, {"stars", 7}}}}},
};

}  // namespace

TEST_SUITE("evaluator") {
  TEST_CASE("attributes read with their JSON types") {
    CHECK(eval("id", event).result == value::string("1"));
    CHECK(eval("count", event).result == value::integer(5));
    CHECK(eval("flag", event).result == value::boolean(true));
  }

  TEST_CASE("a null attribute is missing") {
    auto o = eval("nothing", event);
    CHECK(o.result == value::boolean(false));
    CHECK(o.error == error_kind::missing_attribute);
    CHECK(eval("EXISTS nothing", event).result == value::boolean(false));
  }

  TEST_CASE("values outside the CESQL types read as their JSON text") {
    CHECK(eval("ratio", event).result == value::string("0.5"));
    CHECK(eval("big", event).result == value::string("4294967296"));
    CHECK(eval("tags", event).result == value::string(R"(["a","b"])"));
    CHECK(eval("EXISTS ratio", event).result == value::boolean(true));
  }

  TEST_CASE("a dotted path reads a nested field") {
    CHECK(eval("data.repository.full_name = 'evd/evd'", event).result ==
          value::boolean(true));
    CHECK(eval("data.repository.stars > 6", event).result ==
          value::boolean(true));
    CHECK(eval("EXISTS data.repository", event).result == value::boolean(true));
  }

  TEST_CASE("a path through a non-object is a missing attribute") {
    auto o = eval("data.repository.full_name.x", event);
    CHECK(o.error == error_kind::missing_attribute);
    CHECK(eval("EXISTS id.x", event).result == value::boolean(false));
    CHECK(eval("data.nope", event).error == error_kind::missing_attribute);
  }

  TEST_CASE("inner path keys are case-sensitive") {
    CHECK(eval("data.Repository", event).error ==
          error_kind::missing_attribute);
  }

  TEST_CASE("an event that is not an object has no attributes") {
    CHECK(eval("id", json::array()).error == error_kind::missing_attribute);
    CHECK(eval("EXISTS id", json(3)).result == value::boolean(false));
  }

  TEST_CASE("a missing operand makes its operator yield the zero value") {
    auto o = eval("CONCAT('a', missing)", event);
    CHECK(o.result == value::string(""));
    CHECK(o.error == error_kind::missing_attribute);
    CHECK(eval("LENGTH(missing) + 1", event).result == value::integer(0));
    CHECK(eval("missing OR TRUE", event).result == value::boolean(false));
  }

  TEST_CASE("an operator's own cast error keeps its computed value") {
    auto o = eval("'x' + 2");
    CHECK(o.result == value::integer(2));
    CHECK(o.error == error_kind::cast);
  }

  TEST_CASE("a failed subexpression zeroes every enclosing operator") {
    auto o = eval("(NOT 10) = TRUE");
    CHECK(o.result == value::boolean(false));
    CHECK(o.error == error_kind::cast);
  }

  TEST_CASE("AND and OR skip the right operand when the left decides") {
    CHECK_FALSE(eval("FALSE AND missing", event).error);
    CHECK_FALSE(eval("TRUE OR missing", event).error);
    CHECK(eval("TRUE AND missing", event).error ==
          error_kind::missing_attribute);
  }

  TEST_CASE("XOR always evaluates both operands") {
    CHECK(eval("TRUE XOR missing", event).error ==
          error_kind::missing_attribute);
  }

  TEST_CASE("IN reports an error in any element even after a match") {
    auto o = eval("1 IN (1, missing)", event);
    CHECK(o.result == value::boolean(false));
    CHECK(o.error == error_kind::missing_attribute);
  }

  TEST_CASE("IN converts elements to the type of the left operand") {
    CHECK(eval("count IN ('4', '5')", event).result == value::boolean(true));
    CHECK(eval("id IN (1)", event).result == value::boolean(true));
  }

  TEST_CASE("equality converts the left operand to the right one's type") {
    CHECK(eval("count = '5'", event).result == value::boolean(true));
    CHECK(eval("'5' = count", event).result == value::boolean(true));
    CHECK(eval("'05' = count", event).result == value::boolean(true));
    CHECK(eval("count = '05'", event).result == value::boolean(false));
  }

  TEST_CASE("ordering compares integers after conversion") {
    CHECK(eval("'10' > 9").result == value::boolean(true));
    CHECK(eval("'b' > 'a'").error == error_kind::cast);
  }

  TEST_CASE("leaving the 32-bit range is a math error with a wrapped value") {
    auto sum = eval("2147483647 + 1");
    CHECK(sum.result == value::integer(INT32_MIN));
    CHECK(sum.error == error_kind::math);
    CHECK(eval("-2147483648 / -1").error == error_kind::math);
    CHECK(eval("-(-2147483648)").error == error_kind::math);
    CHECK(eval("65536 * 65536").error == error_kind::math);
  }

  TEST_CASE("the remainder takes the sign of the dividend") {
    CHECK(eval("-7 % 3").result == value::integer(-1));
    CHECK(eval("7 % -3").result == value::integer(1));
    CHECK(eval("-2147483648 % -1").result == value::integer(0));
  }

  TEST_CASE("division truncates toward zero") {
    CHECK(eval("-7 / 2").result == value::integer(-3));
  }

  TEST_CASE("a missing function yields false and evaluates no argument") {
    auto o = eval("NOPE(missing)", event);
    CHECK(o.result == value::boolean(false));
    CHECK(o.error == error_kind::missing_function);
  }

  TEST_CASE("function arguments are converted to the parameter types") {
    CHECK(eval("LEFT(12345, '2')").result == value::string("12"));
    CHECK(eval("ABS('-3')").result == value::integer(3));
    CHECK(eval("IS_INT(42)").result == value::boolean(true));
  }

  TEST_CASE("an explicit cast of a string keeps the cast error") {
    auto o = eval("BOOL('maybe') OR TRUE");
    CHECK(o.result == value::boolean(false));
    CHECK(o.error == error_kind::cast);
  }

  TEST_CASE("LIKE converts its operand to a string") {
    CHECK(eval("count LIKE '5'", event).result == value::boolean(true));
    CHECK(eval("flag NOT LIKE 't%'", event).result == value::boolean(false));
  }
}
