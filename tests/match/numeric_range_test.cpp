#include "match/numeric_range.hpp"

#include <string>

#include <doctest/doctest.h>

namespace evd::match {
namespace {

using json = nlohmann::json;

numeric_range range(const json& pairs) {
  std::string error;
  auto r = numeric_range::compile(pairs, error);
  INFO("pairs: " << pairs.dump());
  REQUIRE_MESSAGE(r.has_value(), error);
  return *r;
}

std::string refusal(const json& pairs) {
  std::string error;
  auto r = numeric_range::compile(pairs, error);
  INFO("pairs: " << pairs.dump());
  CHECK_FALSE(r.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_SUITE("numeric_range") {
  TEST_CASE("each comparator holds where it should") {
    SUBCASE("equal") {
      auto r = range({"=", 5});
      CHECK(r.contains(5));
      CHECK_FALSE(r.contains(4.999));
      CHECK_FALSE(r.contains(5.001));
    }
    SUBCASE("less") {
      auto r = range({"<", 5});
      CHECK(r.contains(4.5));
      CHECK(r.contains(-1e300));
      CHECK_FALSE(r.contains(5));
    }
    SUBCASE("less or equal") {
      auto r = range({"<=", 5});
      CHECK(r.contains(5));
      CHECK_FALSE(r.contains(5.5));
    }
    SUBCASE("greater") {
      auto r = range({">", 5});
      CHECK(r.contains(5.5));
      CHECK_FALSE(r.contains(5));
    }
    SUBCASE("greater or equal") {
      auto r = range({">=", 5});
      CHECK(r.contains(5));
      CHECK(r.contains(1e300));
      CHECK_FALSE(r.contains(4.5));
    }
  }

  TEST_CASE("every pair must hold") {
    auto r = range({">=", 10, "<", 100});
    CHECK(r.contains(10));
    CHECK(r.contains(99.5));
    CHECK_FALSE(r.contains(100));
    CHECK_FALSE(r.contains(9));
  }

  TEST_CASE("of two bounds the tighter one counts") {
    auto r = range({">", 1, ">=", 3, "<", 10, "<=", 8});
    CHECK_FALSE(r.contains(2));
    CHECK(r.contains(3));
    CHECK(r.contains(8));
    CHECK_FALSE(r.contains(9));
    auto strict = range({">=", 3, ">", 3});
    CHECK_FALSE(strict.contains(3));
  }

  TEST_CASE("integers and floats compare as doubles") {
    CHECK(range({"=", 5.0}).contains(5));
    CHECK(range({"=", 5}).contains(5.0));
    CHECK(range({"<", 0.5}).contains(-1));
    CHECK(range({">", -2}).contains(-1.5));
  }

  TEST_CASE("a range of one point is allowed") {
    auto r = range({">=", 5, "<=", 5});
    CHECK(r.contains(5));
    CHECK_FALSE(r.contains(5.0001));
    CHECK(range({"=", 5, "<=", 5, ">=", 5}).contains(5));
  }

  TEST_CASE("a set of pairs no number satisfies is refused") {
    for (const json& pairs :
         {json{">", 5, "<", 5}, json{">=", 5, "<", 5}, json{">", 5, "<=", 5},
          json{">", 10, "<", 5}, json{"=", 3, "=", 4}, json{"=", 5, ">", 5},
          json{"=", 5, "<", 1}}) {
      CHECK(contains(refusal(pairs), "no number"));
    }
  }

  TEST_CASE("anything but a non-empty array of pairs is refused") {
    for (const json& pairs : {json::array(), json("="), json(5), json(nullptr),
                              json::object(), json{">", 1, "<"}, json{">"}}) {
      CHECK(contains(refusal(pairs), "pairs"));
    }
  }

  TEST_CASE("a bad comparator is refused by position") {
    for (auto comparator : {"==", "!=", "=>", "", "gt", "<>"}) {
      CAPTURE(comparator);
      CHECK(contains(refusal({">", 1, comparator, 2}), "[2]"));
    }
    CHECK(contains(refusal({5, ">"}), "[0]"));
    CHECK(contains(refusal({nullptr, 5}), "[0]"));
  }

  TEST_CASE("a bound that is not a number is refused by position") {
    for (const json& bound : {json("10"), json(true), json(nullptr),
                              json::array({1}), json::object()}) {
      CAPTURE(bound.dump());
      CHECK(contains(refusal({">", 1, "<", bound}), "[3]"));
    }
  }
}

}  // namespace
}  // namespace evd::match
