#include "match/value_set.hpp"

#include <string>

#include <doctest/doctest.h>

namespace evd::match {
namespace {

using json = nlohmann::json;

value_set set_of(const json& members) {
  std::string error;
  auto s = value_set::compile(members, error);
  INFO("members: " << members.dump());
  REQUIRE_MESSAGE(s.has_value(), error);
  return *s;
}

std::string refusal(const json& members) {
  std::string error;
  auto s = value_set::compile(members, error);
  INFO("members: " << members.dump());
  CHECK_FALSE(s.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

TEST_SUITE("value_set") {
  TEST_CASE("a string set excludes every other string") {
    auto s = set_of({"opened", "closed"});
    CHECK(s.excludes("edited"));
    CHECK_FALSE(s.excludes("opened"));
    CHECK_FALSE(s.excludes("closed"));
    CHECK(s.excludes("Opened"));
    CHECK(s.excludes(""));
  }

  TEST_CASE("a string set excludes no value of another type") {
    auto s = set_of({"5"});
    for (const json& value : {json(5), json(true), json(nullptr),
                              json::object(), json::array({"6"})}) {
      CAPTURE(value.dump());
      CHECK_FALSE(s.excludes(value));
    }
  }

  TEST_CASE("a number set compares as doubles") {
    auto s = set_of({1, 2.5});
    CHECK_FALSE(s.excludes(1));
    CHECK_FALSE(s.excludes(1.0));
    CHECK_FALSE(s.excludes(2.5));
    CHECK(s.excludes(2));
    CHECK(s.excludes(-1));
    CHECK(s.excludes(18446744073709551615u));
  }

  TEST_CASE("a number set excludes no value of another type") {
    auto s = set_of({5});
    for (const json& value :
         {json("6"), json("5"), json(false), json(nullptr), json::object()}) {
      CAPTURE(value.dump());
      CHECK_FALSE(s.excludes(value));
    }
  }

  TEST_CASE("one string or number is a set of itself") {
    auto s = set_of("opened");
    CHECK_FALSE(s.excludes("opened"));
    CHECK(s.excludes("closed"));
    auto n = set_of(3);
    CHECK_FALSE(n.excludes(3));
    CHECK(n.excludes(4));
  }

  TEST_CASE("an empty set or an empty string is refused") {
    refusal(json::array());
    refusal("");
    CHECK(refusal({"a", ""}).find("[1]") != std::string::npos);
  }

  TEST_CASE("mixed members are refused by position") {
    CHECK(refusal({"a", 1}).find("[1]") != std::string::npos);
    CHECK(refusal({1, "a"}).find("[1]") != std::string::npos);
    CHECK(refusal({1, 2, nullptr}).find("[2]") != std::string::npos);
  }

  TEST_CASE("members that are neither strings nor numbers are refused") {
    for (const json& members :
         {json(true), json(nullptr), json::object(), json{true}, json{nullptr},
          json::array({json::array({"a"})}), json::array({json::object()})}) {
      CAPTURE(members.dump());
      refusal(members);
    }
  }
}

}  // namespace
}  // namespace evd::match
