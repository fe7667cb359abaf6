// The first-issue proof: the real evd, real evctl processes, and the 329
// real GitHub webhook events of shared/datasets, each watcher checked
// against a selection computed here, independently of evd's matcher.
#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/evd_instance.hpp"
#include "tests/support/line_client.hpp"

namespace evd::test {
namespace {

using json = nlohmann::json;

std::vector<std::string> dataset_lines() {
  std::ifstream in(EVD_TEST_DATASET);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) lines.push_back(l);
  }
  return lines;
}

// Reads a string at a dotted path, or nothing.
const json* at(const json& event, std::initializer_list<const char*> path) {
  const json* node = &event;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return node;
}

bool string_is(const json* v, const std::string& want) {
  return v && v->is_string() && v->get<std::string>() == want;
}

bool starts_with(const json* v, const std::string& prefix) {
  return v && v->is_string() && v->get<std::string>().starts_with(prefix);
}

struct watcher_spec {
  std::string name;
  std::string transport;  // "unix" or "tcp"
  std::vector<std::string> flags;
  std::function<bool(const json&)> selects;
};

std::vector<watcher_spec> watchers() {
  return {
      {"everything", "unix", {}, [](const json&) { return true; }},
      {"pull_requests",
       "tcp",
       {"--prefix", "type=com.github.pull_request"},
       [](const json& e) {
         return starts_with(at(e, {"type"}), "com.github.pull_request");
       }},
      {"octo_subject",
       "unix",
       {"--exact", "subject=octo-org/octo-repo"},
       [](const json& e) {
         return string_is(at(e, {"subject"}), "octo-org/octo-repo");
       }},
      {"sender_octocat",
       "tcp",
       {"--exact", "data.sender.login=octocat"},
       [](const json& e) {
         return string_is(at(e, {"data", "sender", "login"}), "octocat");
       }},
      {"push_or_not_codertocat",
       "unix",
       {"--filter",
        R"({"any":[{"exact":{"type":"com.github.push"}},)"
        R"({"not":{"prefix":{"source":"https://github.com/Codertocat"}}}]})"},
       [](const json& e) {
         return string_is(at(e, {"type"}), "com.github.push") ||
                !starts_with(at(e, {"source"}),
                             "https://github.com/Codertocat");
       }},
      {"sql_opened",
       "tcp",
       {"--sql", "data.action = 'opened' AND source LIKE '%Hello-World'"},
       [](const json& e) {
         return string_is(at(e, {"data", "action"}), "opened") &&
                at(e, {"source"})->get<std::string>().ends_with("Hello-World");
       }},
  };
}

std::vector<std::string> non_empty_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) lines.push_back(l);
  }
  return lines;
}

}  // namespace

TEST_SUITE("end_to_end") {
  TEST_CASE("watchers get exactly the dataset events their filters select") {
    auto lines = dataset_lines();
    REQUIRE(lines.size() == 329);
    std::vector<json> events;
    for (const auto& l : lines) events.push_back(json::parse(l));

    evd_instance evd;
    const auto& dir = evd.dir().path();
    auto specs = watchers();

    std::vector<std::unique_ptr<child_process>> running;
    for (const auto& w : specs) {
      std::vector<std::string> argv{
          evctl_binary(),
          "--addr",
          w.transport == "unix" ? evd.unix_address() : evd.tcp_address(),
          "watch",
          "--sub",
          w.name};
      argv.insert(argv.end(), w.flags.begin(), w.flags.end());
      running.push_back(std::make_unique<child_process>(
          argv, dir + "/" + w.name + ".out", dir + "/" + w.name + ".err"));
    }
    for (const auto& w : specs) {
      CAPTURE(w.name);
      REQUIRE(eventually(
          [&] {
            return read_file(dir + "/" + w.name + ".err").find("watching") !=
                   std::string::npos;
          },
          std::chrono::seconds(10)));
    }

    // A raw client subscribed to everything misbehaves mid-stream; it must
    // get its errors and still every event, and so must everyone else.
    line_client rude(evd.unix_address());
    REQUIRE(rude.request({{"op", "sub"}, {"id", 1}, {"sub", "rude"}})["op"] ==
            "ok");

    child_process publisher({evctl_binary(), "--addr", evd.tcp_address(), "pub",
                             "--file", EVD_TEST_DATASET},
                            dir + "/pub.out", dir + "/pub.err");
    rude.send_raw("{this is not json\n");
    rude.send_raw(R"({"op":"pub","id":2,"event":[1,2,3]})"
                  "\n");
    rude.send_raw(R"({"op":"teleport","id":3})"
                  "\n");
    REQUIRE(publisher.wait_for(std::chrono::seconds(30)) == 0);
    CHECK(read_file(dir + "/pub.err").find("published 329 of 329") !=
          std::string::npos);

    std::vector<json> errors;
    std::vector<std::uint64_t> rude_seqs;
    while (rude_seqs.size() < 329) {
      json msg = rude.read_json();
      if (msg.is_null()) break;
      if (msg["op"] == "error") errors.push_back(msg);
      if (msg["op"] == "event") rude_seqs.push_back(msg["seq"]);
    }
    while (errors.size() < 3) {
      json msg = rude.read_json();
      if (msg.is_null()) break;
      errors.push_back(msg);
    }
    REQUIRE(errors.size() == 3);
    CHECK(errors[0]["code"] == "parse_error");
    CHECK(errors[1] == json{{"op", "error"},
                            {"id", 2},
                            {"code", "invalid_event"},
                            {"message", "event must be a JSON object"}});
    CHECK(errors[2]["code"] == "unknown_op");
    CHECK(errors[2]["id"] == 3);
    REQUIRE(rude_seqs.size() == 329);
    for (std::size_t i = 0; i < rude_seqs.size(); ++i) {
      CHECK(rude_seqs[i] == i + 1);
    }

    for (std::size_t i = 0; i < specs.size(); ++i) {
      const auto& w = specs[i];
      CAPTURE(w.name);
      std::vector<std::string> expected;
      for (std::size_t k = 0; k < events.size(); ++k) {
        if (w.selects(events[k])) expected.push_back(events[k].dump());
      }
      REQUIRE_FALSE(expected.empty());
      std::string out_path = dir + "/" + w.name + ".out";
      eventually(
          [&] {
            return non_empty_lines(read_file(out_path)).size() >=
                   expected.size();
          },
          std::chrono::seconds(10));
      // Compare as parsed JSON, in order: evctl prints each event on one
      // line, and the selection must match exactly, nothing more or less.
      auto got_lines = non_empty_lines(read_file(out_path));
      std::vector<std::string> got;
      for (const auto& l : got_lines) got.push_back(json::parse(l).dump());
      CHECK(got.size() == expected.size());
      CHECK(got == expected);
    }

    CHECK(evd.stop() == 0);
    for (auto& p : running) {
      CHECK(p->wait_for(std::chrono::seconds(10)) == 0);
    }
  }
}

}  // namespace evd::test
