#include "match/attribute_path.hpp"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace evd::match {
namespace {

using json = nlohmann::json;
using segments = std::vector<std::string>;

attribute_path path(std::string_view name) {
  auto p = attribute_path::parse(name);
  INFO("name: " << name);
  REQUIRE(p.has_value());
  return *p;
}

// Every value `p` reaches in `event`, in the order any_reached visits them.
std::vector<json> reached(const attribute_path& p, const json& event) {
  std::vector<json> seen;
  p.any_reached(event, [&](const json& value) {
    seen.push_back(value);
    return false;
  });
  return seen;
}

// Trimmed from an octokit/webhooks example (MIT License, Copyright (c)
// Octokit contributors), via shared/datasets/github-webhooks.ndjson.
const json issues_opened = json::parse(R"json({
  "specversion": "1.0",
  "id": "gh-b41db7b8b070b136",
  "source": "https://github.com/Codertocat/Hello-World",
  "type": "com.github.issues.opened",
  "data": {
    "action": "opened",
    "issue": {"number": 1, "title": "Spelling error in the README file",
              "locked": false, "score": -0.5,
              "labels": [{"name": "bug", "color": "d73a4a"}]},
    "repository": {"full_name": "Codertocat/Hello-World",
                   "language": null}
  }
})json");

TEST_SUITE("attribute_path") {
  TEST_CASE("a plain name is one segment") {
    auto p = path("type");
    CHECK(p.name() == "type");
    CHECK(p.segments() == segments{"type"});
  }

  TEST_CASE("a dotted name splits at every dot") {
    auto p = path("data.repository.full_name");
    CHECK(p.name() == "data.repository.full_name");
    CHECK(p.segments() == segments{"data", "repository", "full_name"});
  }

  TEST_CASE("segments keep any other character") {
    CHECK(path("a-b/c d:e").segments() == segments{"a-b/c d:e"});
    CHECK(path("A.B").segments() == segments{"A", "B"});
  }

  TEST_CASE("an empty name or an empty segment is refused") {
    for (auto name : {"", ".", "..", ".a", "a.", "a..b", "data.", ".data.x"}) {
      CAPTURE(name);
      CHECK_FALSE(attribute_path::parse(name).has_value());
    }
  }

  TEST_CASE("find reaches a top-level attribute") {
    const json* v = path("type").find(issues_opened);
    REQUIRE(v != nullptr);
    CHECK(v == &issues_opened["type"]);
  }

  TEST_CASE("find walks nested objects") {
    const json* v = path("data.repository.full_name").find(issues_opened);
    REQUIRE(v != nullptr);
    CHECK(*v == "Codertocat/Hello-World");
    CHECK(path("data.issue").find(issues_opened) ==
          &issues_opened["data"]["issue"]);
  }

  TEST_CASE("find reaches a null value") {
    const json* v = path("data.repository.language").find(issues_opened);
    REQUIRE(v != nullptr);
    CHECK(v->is_null());
  }

  TEST_CASE("a missing segment is missing") {
    CHECK(path("subject").find(issues_opened) == nullptr);
    CHECK(path("data.nope").find(issues_opened) == nullptr);
    CHECK(path("data.repository.full_name.x").find(issues_opened) == nullptr);
  }

  TEST_CASE("crossing a non-object is missing") {
    SUBCASE("a string") {
      CHECK(path("type.x").find(issues_opened) == nullptr);
    }
    SUBCASE("an array is not indexed") {
      CHECK(path("data.issue.labels.0").find(issues_opened) == nullptr);
      CHECK(path("data.issue.labels.name").find(issues_opened) == nullptr);
    }
    SUBCASE("a null") {
      CHECK(path("data.repository.language.x").find(issues_opened) == nullptr);
    }
    SUBCASE("the event itself") {
      CHECK(path("a").find(json::array({1})) == nullptr);
      CHECK(path("a").find(json("a")) == nullptr);
      CHECK(path("a").find(json()) == nullptr);
    }
  }

  TEST_CASE("an event key holding a dot cannot be reached") {
    json event = {{"a.b", "flat"}};
    CHECK(path("a.b").find(event) == nullptr);
  }

  TEST_CASE("names are case sensitive") {
    CHECK(path("TYPE").find(issues_opened) == nullptr);
  }

  TEST_CASE("text views a string in place") {
    std::string scratch;
    auto t = path("type").text(issues_opened, scratch);
    REQUIRE(t.has_value());
    CHECK(*t == "com.github.issues.opened");
    CHECK(t->data() ==
          issues_opened["type"].get_ref<const std::string&>().data());
    CHECK(scratch.empty());
  }

  TEST_CASE("text of a scalar is its JSON text") {
    std::string scratch;
    SUBCASE("an integer") {
      CHECK(path("data.issue.number").text(issues_opened, scratch) == "1");
    }
    SUBCASE("a negative float") {
      CHECK(path("data.issue.score").text(issues_opened, scratch) == "-0.5");
    }
    SUBCASE("a boolean") {
      CHECK(path("data.issue.locked").text(issues_opened, scratch) == "false");
      CHECK(path("b").text(json{{"b", true}}, scratch) == "true");
    }
    SUBCASE("a null") {
      CHECK(path("data.repository.language").text(issues_opened, scratch) ==
            "null");
    }
    SUBCASE("a large unsigned integer") {
      json event = {{"n", 18446744073709551615u}};
      CHECK(path("n").text(event, scratch) == "18446744073709551615");
    }
    SUBCASE("a float with an integral value keeps its point") {
      CHECK(path("f").text(json{{"f", 2.0}}, scratch) == "2.0");
    }
    SUBCASE("rendered into the scratch") {
      auto t = path("data.issue.number").text(issues_opened, scratch);
      REQUIRE(t.has_value());
      CHECK(t->data() == scratch.data());
    }
  }

  TEST_CASE("text_of renders a reached value as text does") {
    std::string scratch;
    CHECK(attribute_path::text_of(json("x"), scratch) == "x");
    CHECK(attribute_path::text_of(json(7), scratch) == "7");
    CHECK(attribute_path::text_of(json(nullptr), scratch) == "null");
    CHECK_FALSE(attribute_path::text_of(json::object(), scratch));
    CHECK_FALSE(attribute_path::text_of(json::array({"x"}), scratch));
  }

  TEST_CASE("text of an object an array or a missing field is nothing") {
    std::string scratch;
    CHECK_FALSE(path("data").text(issues_opened, scratch));
    CHECK_FALSE(path("data.issue.labels").text(issues_opened, scratch));
    CHECK_FALSE(path("subject").text(issues_opened, scratch));
    CHECK_FALSE(path("type.x").text(issues_opened, scratch));
  }

  TEST_CASE("any_reached sees the one value of a path without arrays") {
    std::vector<json> seen = reached(path("data.issue.number"), issues_opened);
    CHECK(seen == std::vector<json>{1});
    CHECK(reached(path("data.repository.language"), issues_opened) ==
          std::vector<json>{nullptr});
    CHECK(reached(path("data.issue"), issues_opened).size() == 1);
  }

  TEST_CASE("any_reached enters every element of an array on the way") {
    CHECK(reached(path("data.issue.labels.name"), issues_opened) ==
          std::vector<json>{"bug"});
    json event =
        json::parse(R"({"d":[{"n":1},{"m":2},{"n":3},"s",[{"n":4}]]})");
    CHECK(reached(path("d.n"), event) == std::vector<json>{1, 3, 4});
  }

  TEST_CASE("any_reached enters an array the path ends on") {
    json event = json::parse(R"({"tags":["a",["b",["c"]],{"k":1},null]})");
    CHECK(reached(path("tags"), event) ==
          std::vector<json>{"a", "b", "c", json{{"k", 1}}, nullptr});
  }

  TEST_CASE("any_reached reaches nothing where find finds nothing") {
    json event = json::parse(R"({"empty":[],"s":"x","n":null,"o":{}})");
    for (auto name : {"missing", "empty", "empty.x", "s.x", "n.x", "o.x"}) {
      CAPTURE(name);
      CHECK(reached(path(name), event).empty());
    }
  }

  TEST_CASE("any_reached stops at the first value that holds") {
    json event = json::parse(R"({"d":[1,2,3,4]})");
    int calls = 0;
    CHECK(path("d").any_reached(event, [&](const json& v) {
      ++calls;
      return v == 2;
    }));
    CHECK(calls == 2);
  }
}

}  // namespace
}  // namespace evd::match
