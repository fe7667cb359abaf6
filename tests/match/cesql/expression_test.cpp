#include "match/cesql/expression.hpp"

#include <optional>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace cesql = evd::cesql;
using cesql::error_kind;
using cesql::value;
using json = nlohmann::json;

namespace {

cesql::expression compiled(std::string_view text) {
  auto e = cesql::compile(text);
  REQUIRE_MESSAGE(e.has_value(), text << ": " << cesql::to_string(e.error()));
  return *e;
}

const json event = {{"specversion", "1.0"},
                    {"id", "42"},
                    {"source", "/github"},
                    {"type", "push"},
                    {"sequence", 10},
                    {"data", {{"repository", {{"full_name", "evd/evd"}}}}}};

}  // namespace

TEST_SUITE("expression") {
  TEST_CASE("compile reports a parse error with its column") {
    auto e = cesql::compile("type = ");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().column == 8);
    CHECK_FALSE(e.error().message.empty());
  }

  TEST_CASE("evaluate returns the result and no error on success") {
    auto r = compiled("sequence + 1").evaluate(event);
    CHECK(r.result == value::integer(11));
    CHECK_FALSE(r.error);
  }

  TEST_CASE("evaluate returns a result even when an error is raised") {
    auto r = compiled("sequence / 0").evaluate(event);
    CHECK(r.result == value::integer(0));
    CHECK(r.error == error_kind::math);
  }

  TEST_CASE("a string result does not depend on the event afterwards") {
    std::optional<cesql::evaluation> r;
    {
      json copy = event;
      r = compiled("source").evaluate(copy);
    }
    CHECK(r->result == value::string("/github"));
  }

  TEST_CASE("matches requires boolean true without error") {
    CHECK(compiled("type = 'push' AND sequence > 5").matches(event));
    CHECK_FALSE(compiled("type = 'pull'").matches(event));
    CHECK_FALSE(compiled("'true'").matches(event));
    CHECK_FALSE(compiled("1").matches(event));
    CHECK_FALSE(compiled("NOT 10").matches(event));
    CHECK_FALSE(compiled("NOT missing").matches(event));
  }

  TEST_CASE("matches accepts the dotted path extension") {
    CHECK(compiled("data.repository.full_name LIKE 'evd/%'").matches(event));
  }

  TEST_CASE("keywords and function names ignore case") {
    CHECK(compiled("int(sequence) < 100 and Exists id").matches(event));
  }

  TEST_CASE("a copy stays usable after the original is gone") {
    std::optional<cesql::expression> copy;
    {
      auto original = compiled("id = '42'");
      copy = original;
    }
    CHECK(copy->matches(event));
    CHECK(copy->text() == "id = '42'");
  }

  TEST_CASE("one expression evaluates concurrently from several threads") {
    const auto e = compiled("CONCAT(id, '-', sequence) = '42-10'");
    std::vector<int> hits(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < hits.size(); ++i) {
      threads.emplace_back([&, i] {
        for (int k = 0; k < 2000; ++k) hits[i] += e.matches(event) ? 1 : 0;
      });
    }
    for (auto& t : threads) t.join();
    for (int h : hits) CHECK(h == 2000);
  }

  TEST_CASE("an unknown function compiles and fails when evaluated") {
    auto r = compiled("FOO(1)").evaluate(event);
    CHECK(r.result == value::boolean(false));
    CHECK(r.error == error_kind::missing_function);
  }
}
