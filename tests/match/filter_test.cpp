#include "match/filter.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

namespace evd::match {
namespace {

using json = nlohmann::json;

// Six events trimmed from the octokit/webhooks examples (MIT License,
// Copyright (c) Octokit contributors), as wrapped in
// shared/datasets/github-webhooks.ndjson; only a few data fields are kept.
const json issues_opened = json::parse(R"json({
  "specversion": "1.0", "id": "gh-b41db7b8b070b136",
  "source": "https://github.com/Codertocat/Hello-World",
  "type": "com.github.issues.opened", "subject": "Codertocat/Hello-World",
  "datacontenttype": "application/json",
  "data": {"action": "opened",
           "issue": {"number": 1, "title": "Spelling error in the README file",
                     "state": "open", "locked": false,
                     "labels": [{"name": "bug", "color": "d73a4a"}]},
           "repository": {"full_name": "Codertocat/Hello-World",
                          "private": false, "language": null},
           "sender": {"login": "Codertocat", "type": "User"}}
})json");

const json pull_request_opened = json::parse(R"json({
  "specversion": "1.0", "id": "gh-f43e7ab9ab0f1bd5",
  "source": "https://github.com/Codertocat/Hello-World",
  "type": "com.github.pull_request.opened",
  "subject": "Codertocat/Hello-World", "datacontenttype": "application/json",
  "data": {"action": "opened", "number": 2,
           "pull_request": {"number": 2, "state": "open", "draft": false,
                            "title": "Update the README with new information."},
           "repository": {"full_name": "Codertocat/Hello-World",
                          "private": false, "language": null},
           "sender": {"login": "Codertocat", "type": "User"}}
})json");

const json push = json::parse(R"json({
  "specversion": "1.0", "id": "gh-50aa2176ba322b2b",
  "source": "https://github.com/Codertocat/Hello-World",
  "type": "com.github.push", "subject": "Codertocat/Hello-World",
  "datacontenttype": "application/json",
  "data": {"ref": "refs/tags/simple-tag", "created": true, "forced": false,
           "base_ref": null,
           "head_commit": {"message": "Adding a .gitignore file"},
           "repository": {"full_name": "Codertocat/Hello-World",
                          "private": false, "language": "Ruby"},
           "sender": {"login": "Codertocat", "type": "User"}}
})json");

const json check_run_completed = json::parse(R"json({
  "specversion": "1.0", "id": "gh-5a294e8758b3f97a",
  "source": "https://github.com/Codertocat/Hello-World",
  "type": "com.github.check_run.completed",
  "subject": "Codertocat/Hello-World", "datacontenttype": "application/json",
  "data": {"action": "completed",
           "check_run": {"id": 128620228, "name": "Octocoders-linter",
                         "status": "completed", "conclusion": "failure"},
           "repository": {"full_name": "Codertocat/Hello-World",
                          "private": false, "language": "Ruby"},
           "sender": {"login": "Codertocat", "type": "User"}}
})json");

const json installation_created = json::parse(R"json({
  "specversion": "1.0", "id": "gh-bc4d1385b0ed3be7",
  "source": "https://github.com/enterprise",
  "type": "com.github.installation.created",
  "datacontenttype": "application/json",
  "data": {"action": "created", "installation": {"id": 957387},
           "sender": {"login": "Codertocat", "type": "User"}}
})json");

const json fork = json::parse(R"json({
  "specversion": "1.0", "id": "gh-39d1758aba6d4e08",
  "source": "https://github.com/Codertocat/Hello-World",
  "type": "com.github.fork", "subject": "Codertocat/Hello-World",
  "datacontenttype": "application/json",
  "data": {"forkee": {"id": 186853261, "full_name": "Octocoders/Hello-World"},
           "repository": {"full_name": "Codertocat/Hello-World",
                          "private": false, "language": "Ruby"},
           "sender": {"login": "Octocoders", "type": "Organization"}}
})json");

// Made up for the content dialects: numbers, arrays, nulls and empties.
// Not in all_events, whose fixtures are real webhooks.
const json pull_request_labeled = json::parse(R"json({
  "specversion": "1.0", "id": "pr-labeled", "source": "/repos/a/b/pulls",
  "type": "com.github.pull_request.labeled",
  "data": {"action": "labeled", "number": 3, "title": "5* Café",
           "score": -0.25, "topics": ["web", "cli-tools"], "assignees": [],
           "matrix": [["a", "b"], ["c", [3]]],
           "pull_request": {"additions": 42, "deletions": "10",
                            "changed_files": 2, "comments": 0, "body": "",
                            "draft": false, "reviewers": [7, 512],
                            "labels": [{"name": "bug", "color": "d73a4a"},
                                       {"name": "docs", "color": "0075ca",
                                        "default": true}]},
           "repository": {"full_name": "a/b", "language": null},
           "sender": {"login": "octocat", "type": "User"}}
})json");

const std::vector<const json*> all_events = {
    &issues_opened,       &pull_request_opened,  &push,
    &check_run_completed, &installation_created, &fork};

filter compiled(std::string_view spec) {
  std::string error;
  auto f = filter::compile(json::parse(spec), error);
  INFO("spec: " << spec);
  REQUIRE_MESSAGE(f.has_value(), error);
  return *f;
}

filter compiled_list(std::string_view specs) {
  std::string error;
  auto f = filter::compile_list(json::parse(specs), error);
  INFO("specs: " << specs);
  REQUIRE_MESSAGE(f.has_value(), error);
  return *f;
}

// Compiles `spec` expecting a refusal; returns the reason.
std::string refusal(const json& spec) {
  std::string error;
  auto f = filter::compile(spec, error);
  INFO("spec: " << spec.dump());
  CHECK_FALSE(f.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

std::string list_refusal(const json& specs) {
  std::string error;
  auto f = filter::compile_list(specs, error);
  INFO("specs: " << specs.dump());
  CHECK_FALSE(f.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

// The ids of the events `f` lets through, in all_events order.
std::vector<std::string> passed(const filter& f) {
  std::vector<std::string> ids;
  for (const json* e : all_events) {
    if (f.matches(*e)) ids.push_back((*e)["id"].get<std::string>());
  }
  return ids;
}

using ids = std::vector<std::string>;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_SUITE("filter") {
  TEST_CASE("exact matches the whole value case sensitively") {
    auto f = compiled(R"({"exact":{"type":"com.github.push"}})");
    CHECK(f.type() == filter::kind::exact);
    CHECK(passed(f) == ids{"gh-50aa2176ba322b2b"});
    CHECK(passed(compiled(R"({"exact":{"type":"com.github.PUSH"}})")).empty());
    CHECK(passed(compiled(R"({"exact":{"type":"com.github"}})")).empty());
  }

  TEST_CASE("prefix matches the start of the value") {
    auto f = compiled(R"({"prefix":{"type":"com.github.pull_request."}})");
    CHECK(f.type() == filter::kind::prefix);
    CHECK(passed(f) == ids{"gh-f43e7ab9ab0f1bd5"});
    CHECK(passed(compiled(R"({"prefix":{"type":"com.github."}})")).size() ==
          all_events.size());
    CHECK(passed(compiled(R"({"prefix":{"type":"COM."}})")).empty());
  }

  TEST_CASE("suffix matches the end of the value") {
    auto f = compiled(R"({"suffix":{"type":".opened"}})");
    CHECK(f.type() == filter::kind::suffix);
    CHECK(passed(f) == ids{"gh-b41db7b8b070b136", "gh-f43e7ab9ab0f1bd5"});
    CHECK(passed(compiled(R"({"suffix":{"type":".OPENED"}})")).empty());
  }

  TEST_CASE("a value equal to the whole attribute passes prefix and suffix") {
    CHECK(compiled(R"({"prefix":{"type":"com.github.fork"}})").matches(fork));
    CHECK(compiled(R"({"suffix":{"type":"com.github.fork"}})").matches(fork));
  }

  TEST_CASE("every attribute named in a dialect must hold") {
    auto f = compiled(R"({"exact":{"subject":"Codertocat/Hello-World",)"
                      R"("data.action":"opened"}})");
    CHECK(passed(f) == ids{"gh-b41db7b8b070b136", "gh-f43e7ab9ab0f1bd5"});
  }

  TEST_CASE("a missing attribute fails exact prefix and suffix") {
    // installation_created has no subject.
    for (auto dialect : {"exact", "prefix", "suffix"}) {
      CAPTURE(dialect);
      json spec = {{dialect, {{"subject", "C"}}}};
      CHECK_FALSE(compiled(spec.dump()).matches(installation_created));
    }
  }

  TEST_CASE("dotted paths reach into data") {
    CHECK(passed(compiled(R"({"exact":{"data.sender.login":"Octocoders"}})")) ==
          ids{"gh-39d1758aba6d4e08"});
    CHECK(passed(compiled(
              R"({"prefix":{"data.forkee.full_name":"Octocoders/"}})")) ==
          ids{"gh-39d1758aba6d4e08"});
    CHECK(passed(compiled(
              R"({"exact":{"data.check_run.conclusion":"failure"}})")) ==
          ids{"gh-5a294e8758b3f97a"});
  }

  TEST_CASE("scalars compare by their JSON text") {
    CHECK(passed(compiled(R"({"exact":{"data.number":"2"}})")) ==
          ids{"gh-f43e7ab9ab0f1bd5"});
    CHECK(passed(compiled(R"({"exact":{"data.created":"true"}})")) ==
          ids{"gh-50aa2176ba322b2b"});
    CHECK(passed(compiled(R"({"exact":{"data.base_ref":"null"}})")) ==
          ids{"gh-50aa2176ba322b2b"});
    CHECK(passed(compiled(R"({"prefix":{"data.check_run.id":"1286"}})")) ==
          ids{"gh-5a294e8758b3f97a"});
  }

  TEST_CASE("an object or array attribute never matches as a whole") {
    // An array is not compared as its JSON text: its elements are.
    CHECK(passed(compiled(R"({"prefix":{"data":"{"}})")).empty());
    CHECK_FALSE(compiled(R"({"prefix":{"data.issue.labels":"["}})")
                    .matches(issues_opened));
  }

  TEST_CASE("not inverts its filter") {
    auto f = compiled(R"({"not":{"prefix":{"type":"com.github.issues."}}})");
    CHECK(f.type() == filter::kind::negate);
    CHECK(passed(f).size() == all_events.size() - 1);
    CHECK_FALSE(f.matches(issues_opened));
  }

  TEST_CASE("not of a missing attribute matches") {
    auto f = compiled(R"({"not":{"exact":{"subject":"x"}}})");
    CHECK(f.matches(installation_created));
    auto g = compiled(R"({"not":{"exact":{"data.repository.full_name":)"
                      R"("Codertocat/Hello-World"}}})");
    CHECK(passed(g) == ids{"gh-bc4d1385b0ed3be7"});
  }

  TEST_CASE("not of not is the filter itself") {
    auto f =
        compiled(R"({"not":{"not":{"exact":{"type":"com.github.fork"}}}})");
    CHECK(passed(f) == ids{"gh-39d1758aba6d4e08"});
  }

  TEST_CASE("all needs every child and any needs one") {
    auto all = compiled(R"({"all":[{"suffix":{"type":".opened"}},)"
                        R"({"exact":{"data.issue.state":"open"}}]})");
    CHECK(all.type() == filter::kind::all);
    CHECK(passed(all) == ids{"gh-b41db7b8b070b136"});

    auto any = compiled(R"({"any":[{"exact":{"type":"com.github.push"}},)"
                        R"({"exact":{"type":"com.github.fork"}}]})");
    CHECK(any.type() == filter::kind::any);
    CHECK(passed(any) == ids{"gh-50aa2176ba322b2b", "gh-39d1758aba6d4e08"});
  }

  TEST_CASE("all and any nest") {
    auto f = compiled(R"({"any":[
      {"all":[{"prefix":{"type":"com.github.check_run."}},
              {"not":{"exact":{"data.check_run.conclusion":"success"}}}]},
      {"all":[{"exact":{"data.action":"created"}},
              {"any":[{"exact":{"data.sender.type":"Bot"}},
                      {"not":{"exact":{"subject":"x"}}}]}]}
    ]})");
    CHECK(passed(f) == ids{"gh-5a294e8758b3f97a", "gh-bc4d1385b0ed3be7"});
  }

  TEST_CASE("a one-element all or any is its element") {
    auto e = compiled(R"({"exact":{"data.action":"opened"}})");
    auto all = compiled(R"({"all":[{"exact":{"data.action":"opened"}}]})");
    auto any = compiled(R"({"any":[{"exact":{"data.action":"opened"}}]})");
    CHECK(passed(all) == passed(e));
    CHECK(passed(any) == passed(e));
  }

  TEST_CASE("sql filters with a CESQL expression") {
    auto f = compiled(R"({"sql":"type LIKE 'com.github.%.opened'"})");
    CHECK(f.type() == filter::kind::sql);
    CHECK(passed(f) == ids{"gh-b41db7b8b070b136", "gh-f43e7ab9ab0f1bd5"});
  }

  TEST_CASE("sql reads dotted paths into data") {
    auto f = compiled(
        R"({"sql":"data.sender.login = 'Octocoders' AND EXISTS subject"})");
    CHECK(passed(f) == ids{"gh-39d1758aba6d4e08"});
    auto n = compiled(R"({"sql":"data.number + 1 = 3"})");
    CHECK(passed(n) == ids{"gh-f43e7ab9ab0f1bd5"});
  }

  TEST_CASE("sql passes only on a boolean TRUE without error") {
    SUBCASE("a non-boolean result") {
      CHECK(passed(compiled(R"({"sql":"'true'"})")).empty());
      CHECK(passed(compiled(R"({"sql":"1"})")).empty());
    }
    SUBCASE("an evaluation error") {
      // Every event lacks `nope`; reading it raises missingAttribute.
      CHECK(passed(compiled(R"({"sql":"nope = 'x'"})")).empty());
      CHECK(passed(compiled(R"j({"sql":"NOT (nope = 'x')"})j")).empty());
    }
    SUBCASE("an unknown function compiles and fails") {
      CHECK(passed(compiled(R"j({"sql":"NOSUCHFN(type)"})j")).empty());
    }
  }

  TEST_CASE("sql combines with the other dialects") {
    auto f = compiled(R"({"all":[{"sql":"EXISTS data.action"},)"
                      R"({"not":{"sql":"data.action = 'opened'"}}]})");
    CHECK(passed(f) == ids{"gh-5a294e8758b3f97a", "gh-bc4d1385b0ed3be7"});
  }

  TEST_CASE("an invalid sql expression is refused with its position") {
    auto error = refusal(json{{"sql", "type = = 'x'"}});
    CHECK(contains(error, "sql"));
    CHECK(contains(error, "column 8"));

    auto at_end = refusal(json{{"sql", "type ="}});
    CHECK(contains(at_end, "column 7"));

    auto nested = refusal(json::parse(R"({"not":{"sql":"(type"}})"));
    CHECK(contains(nested, "in 'not'"));
    CHECK(contains(nested, "column"));
  }

  TEST_CASE("sql needs a string") {
    for (auto body : {json(1), json(nullptr), json::object(),
                      json::array({"type = 'x'"})}) {
      CHECK(contains(refusal(json{{"sql", body}}), "sql"));
    }
    refusal(json{{"sql", ""}});
  }

  TEST_CASE("an unknown dialect is refused by name") {
    CHECK(contains(refusal(json::parse(R"({"regex":{"type":".*"}})")),
                   "'regex'"));
    CHECK(
        contains(refusal(json::parse(R"({"Exact":{"type":"x"}})")), "'Exact'"));
    CHECK(contains(refusal(json::parse(R"({"":{"type":"x"}})")), "''"));
  }

  TEST_CASE("an unknown dialect deep inside is refused") {
    auto error = refusal(json::parse(
        R"({"all":[{"exact":{"type":"x"}},{"any":[{"regex":"x"}]}]})"));
    CHECK(contains(error, "'all'[1]"));
    CHECK(contains(error, "'any'[0]"));
    CHECK(contains(error, "'regex'"));
  }

  TEST_CASE("an empty attribute name is refused") {
    for (auto dialect : {"exact", "prefix", "suffix"}) {
      CAPTURE(dialect);
      refusal(json{{dialect, {{"", "x"}}}});
      refusal(json{{dialect, {{"type", "x"}, {"", "x"}}}});
    }
  }

  TEST_CASE("a path with an empty segment is refused") {
    for (auto name : {".", "data.", ".data", "data..action"}) {
      CAPTURE(name);
      CHECK(contains(refusal(json{{"exact", {{name, "x"}}}}), name));
    }
  }

  TEST_CASE("an empty value is refused") {
    for (auto dialect : {"exact", "prefix", "suffix"}) {
      CAPTURE(dialect);
      CHECK(contains(refusal(json{{dialect, {{"type", ""}}}}), "'type'"));
    }
  }

  TEST_CASE("a non-string value is refused") {
    for (auto value : {json(1), json(true), json(nullptr), json::array(),
                       json::object(), json::array({"x"})}) {
      CAPTURE(value.dump());
      refusal(json{{"exact", {{"type", value}}}});
      refusal(json{{"prefix", {{"type", value}}}});
      refusal(json{{"suffix", {{"type", value}}}});
    }
  }

  TEST_CASE("a dialect body that is not an object of values is refused") {
    for (auto dialect : {"exact", "prefix", "suffix"}) {
      CAPTURE(dialect);
      refusal(json{{dialect, json::object()}});
      refusal(json{{dialect, "type"}});
      refusal(json{{dialect, json::array({json{{"type", "x"}}})}});
      refusal(json{{dialect, nullptr}});
    }
  }

  TEST_CASE("an empty all or any is refused") {
    CHECK(contains(refusal(json::parse(R"({"all":[]})")), "'all'"));
    CHECK(contains(refusal(json::parse(R"({"any":[]})")), "'any'"));
    refusal(json::parse(R"({"not":{"any":[]}})"));
    refusal(json::parse(R"({"any":[{"all":[]}]})"));
  }

  TEST_CASE("all and any need an array") {
    for (auto dialect : {"all", "any"}) {
      CAPTURE(dialect);
      refusal(json{{dialect, {{"exact", {{"type", "x"}}}}}});
      refusal(json{{dialect, "x"}});
      refusal(json{{dialect, nullptr}});
    }
  }

  TEST_CASE("not needs one filter") {
    refusal(json::parse(R"({"not":[{"exact":{"type":"x"}}]})"));
    refusal(json::parse(R"({"not":{}})"));
    refusal(json::parse(R"({"not":null})"));
  }

  TEST_CASE("a filter that is not an object is refused") {
    for (auto spec : {json(nullptr), json("exact"), json(1), json::array(),
                      json::array({json{{"exact", {{"type", "x"}}}}})}) {
      CAPTURE(spec.dump());
      refusal(spec);
    }
  }

  TEST_CASE("a filter object without exactly one dialect is refused") {
    refusal(json::object());
    refusal(json::parse(R"({"exact":{"type":"x"},"prefix":{"subject":"y"}})"));
    refusal(json::parse(R"({"not":{"exact":{"type":"x"},"any":[]}})"));
  }

  TEST_CASE("a missing or empty list matches every event") {
    SUBCASE("null") {
      auto f = compiled_list("null");
      CHECK(passed(f).size() == all_events.size());
      CHECK(f.matches(json::object()));
    }
    SUBCASE("empty") {
      auto f = compiled_list("[]");
      CHECK(passed(f).size() == all_events.size());
      CHECK(f.matches(json::object()));
    }
  }

  TEST_CASE("a list holds when every filter holds") {
    auto f = compiled_list(
        R"([{"prefix":{"type":"com.github."}},)"
        R"({"exact":{"data.repository.language":"Ruby"}},)"
        R"({"not":{"exact":{"data.sender.type":"Organization"}}}])");
    CHECK(f.type() == filter::kind::all);
    CHECK(passed(f) == ids{"gh-50aa2176ba322b2b", "gh-5a294e8758b3f97a"});
  }

  TEST_CASE("a list that is not an array is refused") {
    CHECK(contains(list_refusal(json{{"exact", {{"type", "x"}}}}), "filters"));
    list_refusal("x");
    list_refusal(1);
  }

  TEST_CASE("a list names the position of a bad filter") {
    auto error = list_refusal(
        json::parse(R"([{"exact":{"type":"x"}},{"exact":{"type":""}}])"));
    CHECK(contains(error, "filters[1]"));
  }

  TEST_CASE("a list refuses an empty all inside it") {
    list_refusal(json::parse(R"([{"all":[]}])"));
  }

  // Arrays: a path through an array holds when some element does.

  TEST_CASE("exact prefix and suffix hold when any array element does") {
    CHECK(compiled(R"({"exact":{"data.pull_request.labels.name":"bug"}})")
              .matches(pull_request_labeled));
    CHECK(compiled(R"({"exact":{"data.pull_request.labels.name":"docs"}})")
              .matches(pull_request_labeled));
    CHECK_FALSE(compiled(R"({"exact":{"data.pull_request.labels.name":"x"}})")
                    .matches(pull_request_labeled));
    CHECK(compiled(R"({"prefix":{"data.topics":"web"}})")
              .matches(pull_request_labeled));
    CHECK(compiled(R"({"suffix":{"data.topics":"-tools"}})")
              .matches(pull_request_labeled));
    CHECK(compiled(R"({"exact":{"data.pull_request.reviewers":"7"}})")
              .matches(pull_request_labeled));
  }

  TEST_CASE("arrays inside arrays are entered too") {
    CHECK(compiled(R"({"exact":{"data.matrix":"c"}})")
              .matches(pull_request_labeled));
    CHECK(compiled(R"({"numeric":{"data.matrix":["=",3]}})")
              .matches(pull_request_labeled));
  }

  TEST_CASE("an object never matches a string dialect even in an array") {
    CHECK(passed(compiled(R"({"prefix":{"data":"{"}})")).empty());
    CHECK_FALSE(compiled(R"({"prefix":{"data.issue.labels":"{"}})")
                    .matches(issues_opened));
    CHECK_FALSE(compiled(R"({"wildcard":{"data.pull_request.labels":"*"}})")
                    .matches(pull_request_labeled));
  }

  TEST_CASE("an empty array holds for no element") {
    for (auto spec : {R"({"exact":{"data.assignees":"x"}})",
                      R"({"wildcard":{"data.assignees":"*"}})",
                      R"({"anything_but":{"data.assignees":"x"}})",
                      R"({"exists":{"data.assignees":true}})"}) {
      CAPTURE(spec);
      CHECK_FALSE(compiled(spec).matches(pull_request_labeled));
    }
    CHECK(compiled(R"({"exists":{"data.assignees":false}})")
              .matches(pull_request_labeled));
  }

  TEST_CASE("not of an array condition means no element holds") {
    auto f = compiled(
        R"({"not":{"exact":{"data.pull_request.labels.name":"wontfix"}}})");
    CHECK(f.matches(pull_request_labeled));
    auto g = compiled(
        R"({"not":{"exact":{"data.pull_request.labels.name":"bug"}}})");
    CHECK_FALSE(g.matches(pull_request_labeled));
  }

  TEST_CASE("conditions on one array may hold for different elements") {
    // Each condition picks its own element: no label is both.
    auto f = compiled(R"({"exact":{"data.pull_request.labels.name":"bug",)"
                      R"("data.pull_request.labels.color":"0075ca"}})");
    CHECK(f.matches(pull_request_labeled));
  }

  // numeric

  TEST_CASE("numeric holds when the number satisfies every comparison") {
    auto f = compiled(
        R"({"numeric":{"data.pull_request.additions":[">=",10,"<",100]}})");
    CHECK(f.type() == filter::kind::numeric);
    CHECK(f.condition_count() == 0);
    CHECK(f.matches(pull_request_labeled));  // 42
    CHECK_FALSE(compiled(R"({"numeric":{"data.pull_request.additions":)"
                         R"([">=",10,"<",42]}})")
                    .matches(pull_request_labeled));
    CHECK(compiled(R"({"numeric":{"data.pull_request.additions":["=",42]}})")
              .matches(pull_request_labeled));
    CHECK(compiled(R"({"numeric":{"data.pull_request.additions":["<=",42]}})")
              .matches(pull_request_labeled));
    CHECK_FALSE(
        compiled(R"({"numeric":{"data.pull_request.additions":[">",42]}})")
            .matches(pull_request_labeled));
  }

  TEST_CASE("numeric compares integers and floats as doubles") {
    CHECK(compiled(R"({"numeric":{"data.pull_request.additions":["=",42.0]}})")
              .matches(pull_request_labeled));
    CHECK(compiled(R"({"numeric":{"data.score":["<",0,">",-1]}})")
              .matches(pull_request_labeled));  // -0.25
    CHECK(passed(compiled(R"({"numeric":{"data.check_run.id":[">",1e8]}})")) ==
          ids{"gh-5a294e8758b3f97a"});
  }

  TEST_CASE("numeric is false for anything but a number") {
    // "10" is a string, draft a boolean, language null, pull_request an
    // object, subject missing from this event.
    for (auto path : {"data.pull_request.deletions", "data.pull_request.draft",
                      "data.repository.language", "data.pull_request",
                      "subject", "data.pull_request.additions.x"}) {
      CAPTURE(path);
      json spec = {{"numeric", {{path, {">", -1e300}}}}};
      CHECK_FALSE(compiled(spec.dump()).matches(pull_request_labeled));
    }
  }

  TEST_CASE("numeric holds when any number in an array is in range") {
    CHECK(compiled(R"({"numeric":{"data.pull_request.reviewers":[">",100]}})")
              .matches(pull_request_labeled));
    CHECK_FALSE(
        compiled(R"({"numeric":{"data.pull_request.reviewers":[">",1000]}})")
            .matches(pull_request_labeled));
  }

  TEST_CASE("numeric names every condition and all must hold") {
    auto f = compiled(R"({"numeric":{"data.pull_request.additions":[">",1],)"
                      R"("data.pull_request.changed_files":["<",3]}})");
    CHECK(f.matches(pull_request_labeled));  // 42 and 2
    auto g = compiled(R"({"numeric":{"data.pull_request.additions":[">",1],)"
                      R"("data.pull_request.changed_files":["<",2]}})");
    CHECK_FALSE(g.matches(pull_request_labeled));
  }

  TEST_CASE("a bad numeric condition is refused naming its part") {
    auto error =
        refusal(json::parse(R"({"numeric":{"data.n":[">",1,"=>",2]}})"));
    CHECK(contains(error, "'numeric'"));
    CHECK(contains(error, "'data.n'"));
    CHECK(contains(error, "[2]"));
    CHECK(contains(refusal(json::parse(R"({"numeric":{"n":[">",5,"<",5]}})")),
                   "no number"));
    CHECK(contains(refusal(json::parse(R"({"numeric":{"n":[">","5"]}})")),
                   "[1]"));
    for (auto body : {json::array(), json(5), json("> 5"), json(nullptr),
                      json::object(), json{">", 1, "<"}}) {
      CAPTURE(body.dump());
      CHECK(contains(refusal(json{{"numeric", {{"n", body}}}}), "'n'"));
    }
  }

  // exists

  TEST_CASE("exists true holds for any value the path reaches") {
    auto f = compiled(R"({"exists":{"subject":true}})");
    CHECK(f.type() == filter::kind::exists);
    CHECK(passed(f).size() == all_events.size() - 1);
    CHECK_FALSE(f.matches(installation_created));
    // A null, false, zero, an empty string and an object are all there.
    for (auto path : {"data.repository.language", "data.pull_request.draft",
                      "data.pull_request.comments", "data.pull_request.body",
                      "data.pull_request"}) {
      CAPTURE(path);
      json spec = {{"exists", {{path, true}}}};
      CHECK(compiled(spec.dump()).matches(pull_request_labeled));
    }
  }

  TEST_CASE("exists false holds when the path reaches nothing") {
    auto f = compiled(R"({"exists":{"subject":false}})");
    CHECK(passed(f) == ids{"gh-bc4d1385b0ed3be7"});
    // Missing, under a scalar, under null, and an empty array.
    for (auto path : {"data.nope", "data.action.x",
                      "data.repository.language.x", "data.assignees"}) {
      CAPTURE(path);
      json spec = {{"exists", {{path, false}}}};
      CHECK(compiled(spec.dump()).matches(pull_request_labeled));
    }
  }

  TEST_CASE("exists false is not of exists true") {
    for (auto path : {"subject", "data.action", "data.repository.language",
                      "data.issue.labels.name", "data.forkee.full_name"}) {
      CAPTURE(path);
      auto absent = compiled(json{{"exists", {{path, false}}}}.dump());
      auto not_present =
          compiled(json{{"not", {{"exists", {{path, true}}}}}}.dump());
      CHECK(passed(absent) == passed(not_present));
    }
  }

  TEST_CASE("exists through an array holds when some element has the field") {
    CHECK(compiled(R"({"exists":{"data.pull_request.labels.default":true}})")
              .matches(pull_request_labeled));
    CHECK(compiled(R"({"exists":{"data.pull_request.labels.nope":false}})")
              .matches(pull_request_labeled));
  }

  TEST_CASE("exists shows each path and whether it must be reached") {
    auto f = compiled(R"({"exists":{"data.action":true,"subject":false}})");
    CHECK(f.condition_count() == 0);
    REQUIRE(f.content_count() == 2);
    // The object's keys come back in nlohmann's sorted order.
    CHECK(f.content_path(0).name() == "data.action");
    CHECK(f.exists_wanted(0));
    CHECK(f.content_path(1).name() == "subject");
    CHECK_FALSE(f.exists_wanted(1));
  }

  TEST_CASE("exists needs true or false") {
    for (auto value : {json("true"), json(1), json(nullptr), json::array()}) {
      CAPTURE(value.dump());
      auto error = refusal(json{{"exists", {{"subject", value}}}});
      CHECK(contains(error, "'exists'"));
      CHECK(contains(error, "'subject'"));
    }
  }

  // anything_but

  TEST_CASE("anything_but holds for a value outside the set") {
    auto f =
        compiled(R"({"anything_but":{"data.action":["opened","closed"]}})");
    CHECK(f.type() == filter::kind::anything_but);
    CHECK(passed(f) == ids{"gh-5a294e8758b3f97a", "gh-bc4d1385b0ed3be7"});
    CHECK(f.matches(pull_request_labeled));  // labeled
  }

  TEST_CASE("anything_but is false for a missing field") {
    // push and fork have no data.action: anything_but needs a value.
    auto f = compiled(R"({"anything_but":{"data.action":"opened"}})");
    CHECK_FALSE(f.matches(push));
    CHECK_FALSE(f.matches(fork));
    auto g = compiled(R"({"not":{"exact":{"data.action":"opened"}}})");
    CHECK(g.matches(push));
  }

  TEST_CASE("anything_but is false for a value of another type") {
    // language is null, number a number, draft a boolean.
    CHECK_FALSE(
        compiled(R"({"anything_but":{"data.repository.language":"Go"}})")
            .matches(pull_request_labeled));
    CHECK_FALSE(compiled(R"({"anything_but":{"data.number":"1"}})")
                    .matches(pull_request_labeled));
    CHECK_FALSE(compiled(R"({"anything_but":{"data.pull_request.draft":"x"}})")
                    .matches(pull_request_labeled));
    CHECK_FALSE(
        compiled(R"({"anything_but":{"data.pull_request.deletions":[1]}})")
            .matches(pull_request_labeled));  // "10", a string
    CHECK_FALSE(compiled(R"({"anything_but":{"data.pull_request":"x"}})")
                    .matches(pull_request_labeled));
  }

  TEST_CASE("anything_but over numbers compares as doubles") {
    CHECK_FALSE(compiled(R"({"anything_but":{"data.number":[3.0,4]}})")
                    .matches(pull_request_labeled));
    CHECK(compiled(R"({"anything_but":{"data.number":[4]}})")
              .matches(pull_request_labeled));
  }

  TEST_CASE("anything_but is case sensitive") {
    CHECK(compiled(R"({"anything_but":{"data.action":"LABELED"}})")
              .matches(pull_request_labeled));
  }

  TEST_CASE("anything_but over an array holds when some element is outside") {
    CHECK(compiled(R"({"anything_but":{"data.topics":"web"}})")
              .matches(pull_request_labeled));
    CHECK_FALSE(compiled(R"({"anything_but":{"data.topics":)"
                         R"(["web","cli-tools"]}})")
                    .matches(pull_request_labeled));
  }

  TEST_CASE("a bad anything_but set is refused naming its part") {
    for (auto body :
         {json::array(), json(""), json(true), json(nullptr), json::object(),
          json{"a", 1}, json{"a", ""}, json::array({json::array({"a"})})}) {
      CAPTURE(body.dump());
      auto error = refusal(json{{"anything_but", {{"type", body}}}});
      CHECK(contains(error, "'anything_but'"));
      CHECK(contains(error, "'type'"));
    }
  }

  // equals_ignore_case

  TEST_CASE("equals_ignore_case ignores the case of ASCII letters") {
    auto f = compiled(R"({"equals_ignore_case":{"data.action":"OPENED"}})");
    CHECK(f.type() == filter::kind::equals_ignore_case);
    CHECK(passed(f) == ids{"gh-b41db7b8b070b136", "gh-f43e7ab9ab0f1bd5"});
    CHECK(compiled(R"({"equals_ignore_case":{"type":"Com.GitHub.Push"}})")
              .matches(push));
  }

  TEST_CASE("equals_ignore_case compares the whole value") {
    CHECK_FALSE(compiled(R"({"equals_ignore_case":{"data.action":"OPEN"}})")
                    .matches(issues_opened));
    CHECK_FALSE(compiled(R"({"equals_ignore_case":{"data.action":"OPENEDX"}})")
                    .matches(issues_opened));
  }

  TEST_CASE("equals_ignore_case folds no letter beyond ASCII") {
    CHECK(compiled(R"({"equals_ignore_case":{"data.title":"5* CAFé"}})")
              .matches(pull_request_labeled));  // "5* Café"
    CHECK_FALSE(compiled(R"({"equals_ignore_case":{"data.title":"5* CAFÉ"}})")
                    .matches(pull_request_labeled));
  }

  TEST_CASE("equals_ignore_case compares scalars by their JSON text") {
    CHECK(compiled(R"({"equals_ignore_case":{"data.pull_request.draft":)"
                   R"("FALSE"}})")
              .matches(pull_request_labeled));
    CHECK(compiled(R"({"equals_ignore_case":{"data.repository.language":)"
                   R"("Null"}})")
              .matches(pull_request_labeled));
    CHECK_FALSE(compiled(R"({"equals_ignore_case":{"data.pull_request":)"
                         R"("{}"}})")
                    .matches(pull_request_labeled));
    CHECK_FALSE(compiled(R"({"equals_ignore_case":{"subject":"x"}})")
                    .matches(installation_created));
  }

  TEST_CASE("equals_ignore_case over an array holds for any element") {
    CHECK(compiled(R"({"equals_ignore_case":{"data.topics":"WEB"}})")
              .matches(pull_request_labeled));
  }

  TEST_CASE("equals_ignore_case needs a non-empty string") {
    for (auto value : {json(""), json(1), json(nullptr), json::array({"x"})}) {
      CAPTURE(value.dump());
      auto error = refusal(json{{"equals_ignore_case", {{"type", value}}}});
      CHECK(contains(error, "'equals_ignore_case'"));
      CHECK(contains(error, "'type'"));
    }
  }

  // wildcard

  TEST_CASE("wildcard matches with star as any run of characters") {
    auto f = compiled(R"({"wildcard":{"type":"com.github.*.opened"}})");
    CHECK(f.type() == filter::kind::wildcard);
    CHECK(passed(f) == ids{"gh-b41db7b8b070b136", "gh-f43e7ab9ab0f1bd5"});
    CHECK(compiled(R"({"wildcard":{"source":"https://github.com/*/*"}})")
              .matches(push));
    CHECK_FALSE(compiled(R"({"wildcard":{"source":"https://github.com/*/*"}})")
                    .matches(installation_created));
  }

  TEST_CASE("wildcard without a star is exact and is case sensitive") {
    CHECK(passed(compiled(R"({"wildcard":{"type":"com.github.push"}})")) ==
          ids{"gh-50aa2176ba322b2b"});
    CHECK(passed(compiled(R"({"wildcard":{"type":"com.github.PUSH*"}})"))
              .empty());
  }

  TEST_CASE("wildcard star alone holds for every scalar and nothing else") {
    auto f = compiled(R"({"wildcard":{"subject":"*"}})");
    CHECK(passed(f).size() == all_events.size() - 1);
    CHECK(compiled(R"({"wildcard":{"data.pull_request.body":"*"}})")
              .matches(pull_request_labeled));  // ""
    CHECK(compiled(R"({"wildcard":{"data.repository.language":"*"}})")
              .matches(pull_request_labeled));  // null, as "null"
    CHECK(compiled(R"({"wildcard":{"data.pull_request.additions":"4*"}})")
              .matches(pull_request_labeled));  // 42, as "42"
  }

  TEST_CASE("wildcard escapes a star with a backslash") {
    CHECK(compiled(R"({"wildcard":{"data.title":"5\\* *"}})")
              .matches(pull_request_labeled));  // "5* Café"
    CHECK_FALSE(compiled(R"({"wildcard":{"data.title":"5\\**x"}})")
                    .matches(pull_request_labeled));
  }

  TEST_CASE("wildcard over an array holds for any element") {
    CHECK(compiled(R"({"wildcard":{"data.pull_request.labels.name":"*u*"}})")
              .matches(pull_request_labeled));
  }

  TEST_CASE("a bad wildcard pattern is refused naming its part") {
    for (auto value : {json(""), json(1), json(nullptr), json::array({"*"}),
                       json(R"(a\b)"), json(R"(a\)")}) {
      CAPTURE(value.dump());
      auto error = refusal(json{{"wildcard", {{"source", value}}}});
      CHECK(contains(error, "'wildcard'"));
      CHECK(contains(error, "'source'"));
    }
  }

  // Rules every content dialect shares with exact, prefix and suffix.

  TEST_CASE(
      "a content dialect body that is not an object of values is refused") {
    for (auto dialect : {"numeric", "exists", "anything_but",
                         "equals_ignore_case", "wildcard"}) {
      CAPTURE(dialect);
      for (auto body : {json::object(), json("type"), json(nullptr),
                        json::array({json{{"type", "x"}}})}) {
        CHECK(contains(refusal(json{{dialect, body}}), dialect));
      }
    }
  }

  TEST_CASE("a content dialect refuses an empty name or path segment") {
    const json values = {{"numeric", {">", 1}},
                         {"exists", true},
                         {"anything_but", "x"},
                         {"equals_ignore_case", "x"},
                         {"wildcard", "x*"}};
    for (const auto& [dialect, value] : values.items()) {
      CAPTURE(dialect);
      for (auto name : {"", ".", "data.", ".data", "data..action"}) {
        CAPTURE(name);
        refusal(json{{dialect, {{name, value}}}});
      }
      // A valid name beside it changes nothing.
      refusal(json{{dialect, {{"type", value}, {"", value}}}});
    }
  }

  TEST_CASE("content dialects nest and combine in a list") {
    auto f = compiled_list(R"([
      {"wildcard":{"type":"com.github.*"}},
      {"any":[{"numeric":{"data.pull_request.additions":[">=",10]}},
              {"exists":{"data.check_run":true}}]},
      {"not":{"anything_but":{"data.sender.type":"User"}}}
    ])");
    CHECK(passed(f) == ids{"gh-5a294e8758b3f97a"});
    CHECK(f.matches(pull_request_labeled));
  }

  TEST_CASE("a bad content condition deep inside names its position") {
    auto error = list_refusal(json::parse(
        R"([{"exists":{"a":true}},{"any":[{"numeric":{"n":["<"]}}]}])"));
    CHECK(contains(error, "filters[1]"));
    CHECK(contains(error, "'any'[0]"));
    CHECK(contains(error, "'numeric'"));
  }
}

}  // namespace
}  // namespace evd::match
