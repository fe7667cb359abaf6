#include "match/subscription_index.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace evd::match {
namespace {

using json = nlohmann::json;
using id = subscription_index::id;

std::shared_ptr<const filter> rules(const char* text) {
  std::string error;
  auto compiled = filter::compile_list(json::parse(text), error);
  REQUIRE_MESSAGE(compiled, error);
  return std::make_shared<const filter>(std::move(*compiled));
}

std::vector<id> matches(subscription_index& index, const json& event) {
  std::vector<id> out;
  index.find_matches(event, out);
  std::sort(out.begin(), out.end());
  return out;
}

const json pushed = json::parse(R"({
  "type": "com.github.push", "source": "https://github.com/octo-org/app",
  "data": {"ref": "refs/heads/main", "size": 3,
           "commits": [{"author": "mona"}, {"author": "hubot"}],
           "labels": ["bug", "ci"]}
})");

TEST_SUITE("subscription_index") {
  TEST_CASE("an event that hits no key evaluates no filter") {
    subscription_index index;
    index.insert(1, rules(R"([{"exact":{"type":"com.github.issues"}}])"));
    index.insert(2, rules(R"([{"prefix":{"source":"https://gitlab"}}])"));
    index.insert(3, rules(R"([{"suffix":{"data.ref":"/dev"}}])"));
    CHECK(matches(index, pushed).empty());
    CHECK(index.evaluations() == 0);
    CHECK(index.unindexed() == 0);
  }

  TEST_CASE("exact prefix and suffix keys find their subscriptions") {
    subscription_index index;
    index.insert(1, rules(R"([{"exact":{"type":"com.github.push"}}])"));
    index.insert(2, rules(R"([{"prefix":{"source":"https://github.com/"}}])"));
    index.insert(3, rules(R"([{"suffix":{"data.ref":"/main"}}])"));
    index.insert(4, rules(R"([{"exact":{"data.size":"3"}}])"));
    index.insert(5, rules(R"([{"exact":{"data.size":"4"}}])"));
    CHECK(matches(index, pushed) == std::vector<id>{1, 2, 3, 4});
    CHECK(index.evaluations() == 4);
  }

  TEST_CASE("a candidate is verified against its whole filter") {
    subscription_index index;
    index.insert(1, rules(R"([{"exact":{"type":"com.github.push"}},
                              {"sql":"data.size > 5"}])"));
    CHECK(matches(index, pushed).empty());
    CHECK(index.evaluations() == 1);
  }

  TEST_CASE("a filter that implies no key is evaluated for every event") {
    subscription_index index;
    SUBCASE("sql") { index.insert(1, rules(R"([{"sql":"data.size = 3"}])")); }
    SUBCASE("not") {
      index.insert(1, rules(R"([{"not":{"exact":{"type":"x"}}}])"));
    }
    SUBCASE("an empty list") { index.insert(1, rules("[]")); }
    SUBCASE("an any with an unindexable branch") {
      index.insert(1, rules(R"([{"any":[{"exact":{"type":"x"}},
                                        {"sql":"TRUE"}]}])"));
    }
    CHECK(index.unindexed() == 1);
    CHECK(matches(index, pushed) == std::vector<id>{1});
  }

  TEST_CASE("an any of indexable branches is filed under each branch") {
    subscription_index index;
    index.insert(1, rules(R"([{"any":[{"exact":{"type":"com.github.push"}},
                                      {"prefix":{"type":"com.github.push"}},
                                      {"exact":{"type":"x"}}]}])"));
    CHECK(index.unindexed() == 0);
    CHECK(matches(index, pushed) == std::vector<id>{1});
    CHECK(index.evaluations() == 1);
    CHECK(matches(index, json{{"type", "y"}}).empty());
    CHECK(index.evaluations() == 1);
  }

  TEST_CASE("values inside arrays make candidates") {
    subscription_index index;
    index.insert(1, rules(R"([{"exact":{"data.labels":"ci"}}])"));
    index.insert(2, rules(R"([{"exact":{"data.commits.author":"hubot"}}])"));
    auto found = matches(index, pushed);
    CHECK(index.evaluations() == 2);
    // Whether an attribute inside an array matches is the filter's call;
    // the index only has to agree with it.
    std::vector<id> expected;
    for (id sub : {1, 2}) {
      const char* spec = sub == 1
                             ? R"([{"exact":{"data.labels":"ci"}}])"
                             : R"([{"exact":{"data.commits.author":"hubot"}}])";
      if (rules(spec)->matches(pushed)) expected.push_back(sub);
    }
    CHECK(found == expected);
  }

  TEST_CASE("exists true is filed under the presence of its path") {
    subscription_index index;
    index.insert(1, rules(R"([{"exists":{"data.ref":true}}])"));
    index.insert(2, rules(R"([{"exists":{"data.nope":true}}])"));
    index.insert(3, rules(R"([{"exists":{"data.ref":true,"data.x":true}}])"));
    CHECK(index.unindexed() == 0);
    CHECK(matches(index, pushed) == std::vector<id>{1});
    // 3 is filed under one of its paths; which one is the index's choice.
    CHECK(index.evaluations() <= 2);
    CHECK(matches(index, json{{"type", "x"}}).empty());
    CHECK(index.evaluations() <= 2);
  }

  TEST_CASE("presence counts every value exists true counts") {
    // Objects and null have no text for the other keys but are present;
    // an empty array reaches nothing.
    const json event = json::parse(R"({"data": {"obj": {"k": 1}, "nil": null,
        "list": [[], [{"deep": {}}]], "empty": [], "zero": 0, "no": false,
        "text": ""}})");
    const char* paths[] = {
        "data",       "data.obj",  "data.nil", "data.list", "data.list.deep",
        "data.empty", "data.zero", "data.no",  "data.text", "data.nil.k"};
    subscription_index index;
    std::vector<id> expected;
    id sub = 0;
    for (const char* path : paths) {
      json spec = json::array({{{"exists", {{path, true}}}}});
      index.insert(++sub, rules(spec.dump().c_str()));
      if (rules(spec.dump().c_str())->matches(event)) expected.push_back(sub);
    }
    CHECK(index.unindexed() == 0);
    CHECK(matches(index, event) == expected);
    CHECK(expected.size() == 8);
    CHECK(index.evaluations() == 8);
  }

  TEST_CASE("exists false implies no key") {
    subscription_index index;
    SUBCASE("alone") {
      index.insert(1, rules(R"([{"exists":{"data.nope":false}}])"));
    }
    SUBCASE("as a branch of an any") {
      index.insert(1, rules(R"([{"any":[{"exists":{"data.ref":true}},
                                        {"exists":{"data.nope":false}}]}])"));
    }
    CHECK(index.unindexed() == 1);
    CHECK(matches(index, pushed) == std::vector<id>{1});
  }

  TEST_CASE("exists false beside exists true is filed by the true path") {
    subscription_index index;
    index.insert(1, rules(R"([{"exists":{"data.nope":false,
                                         "data.ref":true}}])"));
    CHECK(index.unindexed() == 0);
    CHECK(matches(index, pushed) == std::vector<id>{1});
    CHECK(matches(index, json{{"type", "x"}}).empty());
    CHECK(index.evaluations() == 1);
  }

  TEST_CASE("exists on a path absent from the event evaluates nothing") {
    subscription_index index;
    for (id sub = 1; sub <= 1000; ++sub) {
      std::string path = "data.field" + std::to_string(sub % 100);
      json spec = json::array({{{"exists", {{path, true}}}}});
      index.insert(sub, rules(spec.dump().c_str()));
    }
    CHECK(matches(index, pushed).empty());
    CHECK(index.evaluations() == 0);
    json event = pushed;
    event["data"]["field7"] = json::object();
    CHECK(matches(index, event).size() == 10);
    CHECK(index.evaluations() == 10);
  }

  TEST_CASE("a presence key yields to an exact key of the same filter") {
    subscription_index index;
    index.insert(1, rules(R"([{"exists":{"data.ref":true}},
                              {"exact":{"type":"com.github.issues"}}])"));
    CHECK(matches(index, pushed).empty());
    CHECK(index.evaluations() == 0);
  }

  TEST_CASE("a popular value leaves its subscriptions to their rarer keys") {
    subscription_index index;
    for (id sub = 1; sub <= 100; ++sub) {
      std::string spec = R"([{"exact":{"type":"com.github.push"}},)"
                         R"({"exact":{"data.ref":"refs/heads/b)" +
                         std::to_string(sub) + R"("}}])";
      index.insert(sub, rules(spec.c_str()));
    }
    CHECK(matches(index, pushed).empty());
    // Only the first, filed before `type` was popular, is a candidate.
    CHECK(index.evaluations() <= 1);
  }

  TEST_CASE("an erased subscription is no longer found") {
    subscription_index index;
    index.insert(1, rules(R"([{"exact":{"type":"com.github.push"}}])"));
    index.insert(2, rules(R"([{"exact":{"type":"com.github.push"}}])"));
    index.insert(3, rules(R"([{"sql":"TRUE"}])"));
    index.insert(4, rules(R"([{"prefix":{"source":"https://"}}])"));
    index.erase(1);
    index.erase(3);
    index.erase(3);
    CHECK(matches(index, pushed) == std::vector<id>{2, 4});
    index.erase(2);
    index.erase(4);
    CHECK(index.size() == 0);
    CHECK(matches(index, pushed).empty());
  }

  TEST_CASE("candidates are found without evaluating a filter") {
    subscription_index index;
    index.insert(1, rules(R"([{"exact":{"type":"com.github.push"}},
                             {"exact":{"data.ref":"refs/heads/dev"}}])"));
    index.insert(2, rules(R"([{"exact":{"type":"com.github.issues"}}])"));
    std::vector<id> named;
    index.find_candidates(pushed, named);
    // 1 is named by its key though its whole filter fails: the caller's
    // own filter decides.
    CHECK(named == std::vector<id>{1});
    CHECK(matches(index, pushed).empty());
  }

  TEST_CASE("inserting an id that is held changes nothing") {
    subscription_index index;
    CHECK(index.insert(1, rules(R"([{"exact":{"type":"com.github.push"}}])")));
    CHECK_FALSE(index.insert(1, rules(R"([{"exact":{"type":"x"}}])")));
    CHECK(matches(index, pushed) == std::vector<id>{1});
  }

  // Random filters and events over one small vocabulary, so that keys
  // collide and many filters match; the index must give exactly the
  // subscriptions whose filters plain evaluation accepts, while
  // subscriptions come and go.
  class random_world {
   public:
    explicit random_world(std::uint32_t seed) : rng_(seed) {}

    json event() {
      json e = json::object();
      for (const char* attribute : {"type", "source", "subject"}) {
        if (chance(0.9)) e[attribute] = scalar();
      }
      json data = json::object();
      if (chance(0.7)) data["a"] = scalar();
      if (chance(0.6)) data["b"] = json{{"c", scalar()}};
      if (chance(0.4)) data["b"] = json::array({json{{"c", scalar()}}});
      if (chance(0.5)) {
        json list = json::array();
        for (int i = pick(4); i > 0; --i) list.push_back(scalar());
        data["list"] = list;
      }
      if (chance(0.8)) e["data"] = data;
      return e;
    }

    json filters() {
      json list = json::array();
      for (int i = pick(3); i > 0; --i) list.push_back(one_filter(2));
      return list;
    }

   private:
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
    int pick(int n) { return std::uniform_int_distribution<>(0, n)(rng_); }
    template <typename T>
    const T& among(const std::vector<T>& options) {
      return options[pick(static_cast<int>(options.size()) - 1)];
    }

    json scalar() {
      switch (pick(9)) {
        case 0:
          return chance(0.8) ? json(pick(5)) : json(pick(5) + 0.5);
        case 1:
          return chance(0.5);
        case 2:
          return nullptr;
        case 3:
          return json::object({{"k", "ab"}});
        default:
          return among(words_);
      }
    }

    std::string affix(const std::string& word, bool front) {
      std::size_t length =
          1 + pick(static_cast<int>(word.size()) - 1) % word.size();
      return front ? word.substr(0, length) : word.substr(word.size() - length);
    }

    // A condition's value for each dialect that names attributes, in the
    // shapes docs/protocol.md gives them.
    json condition(const std::string& dialect) {
      std::string word = among(words_);
      if (dialect == "prefix") return affix(word, true);
      if (dialect == "suffix") return affix(word, false);
      if (dialect == "numeric") return comparisons();
      if (dialect == "exists") return chance(0.5);
      if (dialect == "anything_but") return excluded();
      if (dialect == "equals_ignore_case") {
        for (char& c : word) {
          if (c >= 'a' && c <= 'z' && chance(0.5)) {
            c = static_cast<char>(c - 'a' + 'A');
          }
        }
        return word;
      }
      if (dialect == "wildcard") return pattern(word);
      return word;
    }

    // One comparison, or a range no narrower than one, so it compiles.
    json comparisons() {
      const char* comparators[] = {"=", "<", "<=", ">", ">="};
      if (chance(0.5)) return json{comparators[pick(4)], pick(5)};
      const int low = pick(4);
      return json{">=", low - 0.5, "<", low + 1 + pick(2)};
    }

    json excluded() {
      json set = json::array();
      const bool numbers = chance(0.4);
      for (int i = pick(1) + 1; i > 0; --i) {
        set.push_back(numbers ? json(pick(5)) : json(among(words_)));
      }
      return chance(0.3) ? set[0] : set;
    }

    // A star in place of some run of `word`, perhaps all of it.
    std::string pattern(const std::string& word) {
      const int size = static_cast<int>(word.size());
      const int from = pick(size);
      const int to = from + pick(size - from);
      return word.substr(0, from) + "*" + word.substr(to);
    }

    json one_filter(int depth) {
      static const char* const dialects[] = {
          "exact",  "prefix",       "suffix",   "numeric",
          "exists", "anything_but", "wildcard", "equals_ignore_case"};
      int shape = pick(depth > 0 ? 12 : 9);
      if (shape <= 7) {
        const std::string dialect = dialects[shape];
        json body = json::object();
        for (int i = pick(1) + 1; i > 0; --i) {
          body[among(paths_)] = condition(dialect);
        }
        return json{{dialect, body}};
      }
      if (shape <= 9) return json{{"sql", among(sql_)}};
      if (shape == 10) return json{{"not", one_filter(depth - 1)}};
      json children = json::array();
      for (int i = pick(2) + 1; i > 0; --i) {
        children.push_back(one_filter(depth - 1));
      }
      return json{{shape == 11 ? "all" : "any", children}};
    }

    std::mt19937 rng_;
    const std::vector<std::string> words_{"push",
                                          "Push",
                                          "pull",
                                          "pushed",
                                          "ab",
                                          "abc",
                                          "b",
                                          "ca",
                                          "1",
                                          "3",
                                          "true",
                                          "null",
                                          "https://github.com/a",
                                          "https://github.com/ab"};
    const std::vector<std::string> paths_{"type",   "source",   "subject",
                                          "data.a", "data.b.c", "data.list",
                                          "data",   "missing"};
    const std::vector<std::string> sql_{
        "type = 'push'",       "source LIKE 'https://github.com/a%'",
        "EXISTS subject",      "data.a = 'ab'",
        "NOT (type = 'pull')", "data.b.c = 'b' OR type = 'ca'"};
  };

  TEST_CASE("the index agrees with evaluating every filter") {
    for (std::uint32_t seed : {1u, 2u, 3u}) {
      CAPTURE(seed);
      random_world world(seed);
      subscription_index index;
      std::map<id, std::shared_ptr<const filter>> held;
      // The dialect of each subscription whose list is one filter: how
      // often those pass and fail shows that each dialect is exercised,
      // not merely compiled.
      std::map<id, std::string> lone;
      std::map<std::string, int> passed;
      std::map<std::string, int> failed;
      id next = 1;
      auto add = [&] {
        const json specs = world.filters();
        std::string error;
        auto compiled = filter::compile_list(specs, error);
        REQUIRE_MESSAGE(compiled, error);
        auto shared = std::make_shared<const filter>(std::move(*compiled));
        if (specs.size() == 1) lone.emplace(next, specs[0].begin().key());
        held.emplace(next, shared);
        index.insert(next++, shared);
      };
      for (int i = 0; i < 1000; ++i) add();

      std::mt19937 churn(seed);
      std::uint64_t matched = 0;
      for (int round = 0; round < 1500; ++round) {
        json event = world.event();
        CAPTURE(event.dump());
        std::vector<id> expected;
        for (const auto& [sub, f] : held) {
          const bool hit = f->matches(event);
          if (hit) expected.push_back(sub);
          if (auto it = lone.find(sub); it != lone.end()) {
            ++(hit ? passed : failed)[it->second];
          }
        }
        REQUIRE(matches(index, event) == expected);
        matched += expected.size();

        // The candidates hold every match, each once.
        std::vector<id> named;
        index.find_candidates(event, named);
        std::sort(named.begin(), named.end());
        CHECK(std::adjacent_find(named.begin(), named.end()) == named.end());
        CHECK(std::includes(named.begin(), named.end(), expected.begin(),
                            expected.end()));

        // Subscriptions come and go between events.
        if (round % 10 == 0) {
          for (int i = 0; i < 15 && !held.empty(); ++i) {
            auto victim = held.begin();
            std::advance(victim, churn() % held.size());
            index.erase(victim->first);
            lone.erase(victim->first);
            held.erase(victim);
          }
          for (int i = 0; i < 15; ++i) add();
        }
      }
      CHECK(index.size() == held.size());
      // The vocabulary is small enough that the comparison is not vacuous.
      CHECK(matched > 2000);
      for (const char* dialect :
           {"exact", "prefix", "suffix", "numeric", "exists", "anything_but",
            "equals_ignore_case", "wildcard"}) {
        CAPTURE(std::string(dialect));
        CHECK(passed[dialect] > 100);
        CHECK(failed[dialect] > 100);
      }
    }
  }
}

}  // namespace
}  // namespace evd::match
