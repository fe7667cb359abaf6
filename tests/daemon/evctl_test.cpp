// evctl as a user runs it: the real evctl against the real evd, its output
// read from files, and what evd received or sent checked on the wire with
// a raw client.
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/evd_instance.hpp"
#include "tests/support/line_client.hpp"

namespace evd::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

struct evctl_run {
  int code = -1;  // -1 when evctl did not exit in time
  std::string out, err;
};

// Runs evctl to completion, at most ten seconds; `in` is its stdin.
evctl_run run_evctl(const temp_dir& dir, std::vector<std::string> args,
                    std::vector<std::string> env = {},
                    const std::string& in = "") {
  std::string in_path;
  if (!in.empty()) {
    in_path = dir.path() + "/evctl.in";
    std::ofstream(in_path, std::ios::binary) << in;
  }
  args.insert(args.begin(), evctl_binary());
  std::string out = dir.path() + "/evctl.out", err = dir.path() + "/evctl.err";
  child_process p(std::move(args), out, err, std::move(env), in_path);
  evctl_run run;
  run.code = p.wait_for(10s).value_or(-1);
  run.out = read_file(out);
  run.err = read_file(err);
  return run;
}

// An event frame exactly as evd writes it, without the newline.
std::string frame(const std::string& sub, int seq, const std::string& event) {
  return R"({"op":"event","sub":")" + sub + R"(","seq":)" +
         std::to_string(seq) + R"(,"event":)" + event + "}";
}

// A client subscribed to every event under the name "all".
std::unique_ptr<line_client> subscribed(const evd_instance& evd) {
  auto client = std::make_unique<line_client>(evd.unix_address());
  REQUIRE(client->request({{"op", "sub"}, {"id", 1}, {"sub", "all"}}) ==
          json{{"op", "ok"}, {"id", 1}, {"sub", "all"}});
  return client;
}

// Publishes `event` as raw bytes, so that its spelling is the test's.
void publish_raw(line_client& client, const std::string& event) {
  client.send_raw(R"({"op":"pub","id":1,"event":)" + event + "}\n");
  REQUIRE(client.read_json()["op"] == "ok");
}

// Starts `evctl watch` with `flags` and waits until it is subscribed.
std::unique_ptr<child_process> start_watch(const evd_instance& evd,
                                           std::vector<std::string> flags) {
  const auto& dir = evd.dir().path();
  std::vector<std::string> argv{evctl_binary(), "--addr", evd.unix_address(),
                                "watch"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  auto p = std::make_unique<child_process>(argv, dir + "/watch.out",
                                           dir + "/watch.err");
  REQUIRE(eventually(
      [&] {
        return read_file(dir + "/watch.err").find("watching") !=
                   std::string::npos ||
               !p->running();
      },
      10s));
  REQUIRE(p->running());
  return p;
}

// Waits until `evctl watch` has printed `count` lines and returns them.
std::vector<std::string> watch_lines(const evd_instance& evd,
                                     std::size_t count) {
  std::string path = evd.dir().path() + "/watch.out";
  auto lines = [&] {
    std::vector<std::string> all;
    std::istringstream in(read_file(path));
    for (std::string l; std::getline(in, l);) all.push_back(l);
    return all;
  };
  eventually([&] { return lines().size() >= count; }, 10s);
  return lines();
}

}  // namespace

TEST_SUITE("evctl") {
  TEST_CASE("pub publishes an event given as an argument as written") {
    evd_instance evd;
    auto client = subscribed(evd);
    temp_dir dir;

    SUBCASE("on one line") {
      std::string event = R"({"type":"caf\u00e9", "n":1.0e2})";
      auto run = run_evctl(dir, {"--addr", evd.unix_address(), "pub", event});
      CHECK(run.code == 0);
      CHECK(run.err.find("published 1 of 1") != std::string::npos);
      CHECK(client->read_line() == frame("all", 1, event));
    }
    SUBCASE("pretty-printed over several lines") {
      // The line breaks become spaces; every token keeps its bytes,
      // including an escaped newline inside a string.
      std::string event = "{\n  \"type\": \"t\",\r\n  \"text\": \"a\\nb\"\n}";
      std::string sent = "{   \"type\": \"t\",    \"text\": \"a\\nb\" }";
      auto run = run_evctl(dir, {"--addr", evd.unix_address(), "pub", event});
      CHECK(run.code == 0);
      CHECK(run.err.find("published 1 of 1") != std::string::npos);
      CHECK(client->read_line() == frame("all", 1, sent));
    }
    SUBCASE("several of them in order") {
      auto run = run_evctl(dir, {"--addr", evd.unix_address(), "pub",
                                 R"({"n":1})", "{\n\"n\":2\n}"});
      CHECK(run.code == 0);
      CHECK(client->read_line() == frame("all", 1, R"({"n":1})"));
      CHECK(client->read_line() == frame("all", 2, R"({ "n":2 })"));
    }
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("pub refuses an argument with a raw line break in a string") {
    // Invalid JSON; had the break become a space first, it would pass.
    evd_instance evd;
    line_client client(evd.unix_address());
    temp_dir dir;

    auto run = run_evctl(
        dir, {"--addr", evd.unix_address(), "pub", "{\"text\":\"a\nb\"}"});
    CHECK(run.code == 1);
    CHECK(run.err.starts_with("evctl: line 1: not valid JSON\n"));
    auto stats = client.request({{"op", "stats"}, {"id", 1}});
    CHECK(stats["published"] == 0);
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("pub publishes every line of stdin") {
    evd_instance evd;
    auto client = subscribed(evd);
    temp_dir dir;
    std::string input = "{\"n\":1}\n\n{\"n\":2.50}\r\n{\"n\":3}";

    auto run = run_evctl(dir, {"--addr", evd.unix_address(), "pub"}, {}, input);
    CHECK(run.code == 0);
    CHECK(run.err.find("published 3 of 3") != std::string::npos);
    CHECK(client->read_line() == frame("all", 1, R"({"n":1})"));
    // evd keeps an event's bytes up to its closing brace; the space that
    // the CR became is not the event's.
    CHECK(client->read_line() == frame("all", 2, R"({"n":2.50})"));
    CHECK(client->read_line() == frame("all", 3, R"({"n":3})"));
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("pub counts an event it refused as not JSON among those given") {
    evd_instance evd;
    auto client = subscribed(evd);
    temp_dir dir;

    SUBCASE("as the only argument") {
      auto run = run_evctl(dir, {"--addr", evd.unix_address(), "pub", "nope"});
      CHECK(run.code == 1);
      CHECK(run.err ==
            "evctl: line 1: not valid JSON\n"
            "evctl: published 0 of 1 events\n");
    }
    SUBCASE("as one line of four on stdin") {
      std::string input = "{\"n\":1}\nnope\n{\"n\":2}\n{\"n\":3}\n";
      auto run =
          run_evctl(dir, {"--addr", evd.unix_address(), "pub"}, {}, input);
      CHECK(run.code == 1);
      CHECK(run.err ==
            "evctl: line 2: not valid JSON\n"
            "evctl: published 3 of 4 events, last seq 3\n");
      CHECK(client->read_line() == frame("all", 1, R"({"n":1})"));
      CHECK(client->read_line() == frame("all", 2, R"({"n":2})"));
      CHECK(client->read_line() == frame("all", 3, R"({"n":3})"));
    }
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("pub reports a line evd cut the connection for and exits 1") {
    // A line over evd's limit closes the connection; evctl used to abort
    // when its next write met the closed socket.
    evd_instance evd({"--max-line-bytes", "1024"});
    temp_dir dir;
    std::string big = R"({"pad":")" + std::string(200000, 'x') + R"("})";
    std::string input = big + "\n{\"n\":1}\n{\"n\":2}\n";
    for (const auto& addr : {evd.unix_address(), evd.tcp_address()}) {
      CAPTURE(addr);
      auto run = run_evctl(dir, {"--addr", addr, "pub"}, {}, input);
      CHECK(run.code == 1);
      CHECK(run.err.find("evctl: line_too_long: max_line_bytes:") !=
            std::string::npos);
      CHECK(run.err.find("line null") == std::string::npos);
      CHECK(run.err.find("evctl: published 0 of 3 events\n") !=
            std::string::npos);
    }
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("pub refuses a blank argument and ignores blank lines") {
    evd_instance evd;
    temp_dir dir;
    auto run = run_evctl(dir, {"--addr", evd.unix_address(), "pub", " "});
    CHECK(run.code == 1);
    CHECK(run.err ==
          "evctl: argument 1: empty event\n"
          "evctl: published 0 of 1 events\n");
    run = run_evctl(dir, {"--addr", evd.unix_address(), "pub"}, {},
                    "\n{\"n\":1}\n\n");
    CHECK(run.code == 0);
    CHECK(run.err == "evctl: published 1 of 1 events, last seq 1\n");
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("EVD_ADDR picks the address when --addr is absent") {
    evd_instance evd;
    temp_dir dir;

    SUBCASE("for ping") {
      auto run = run_evctl(dir, {"ping"}, {"EVD_ADDR=" + evd.tcp_address()});
      CHECK(run.code == 0);
      CHECK(run.out.starts_with("pong from " + evd.tcp_address()));
    }
    SUBCASE("for pub") {
      auto client = subscribed(evd);
      auto run = run_evctl(dir, {"pub", R"({"n":1})"},
                           {"EVD_ADDR=" + evd.unix_address()});
      CHECK(run.code == 0);
      CHECK(client->read_line() == frame("all", 1, R"({"n":1})"));
    }
    SUBCASE("but --addr wins over it") {
      auto run = run_evctl(dir, {"--addr", evd.unix_address(), "ping"},
                           {"EVD_ADDR=unix:" + dir.path() + "/nobody"});
      CHECK(run.code == 0);
      CHECK(run.out.starts_with("pong from " + evd.unix_address()));
    }
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("ping reports the pong and fails when nobody answers") {
    evd_instance evd;
    temp_dir dir;

    auto run = run_evctl(dir, {"--addr", evd.unix_address(), "ping"});
    CHECK(run.code == 0);
    CHECK(run.out.starts_with("pong from " + evd.unix_address() + " in "));

    auto refused =
        run_evctl(dir, {"--addr", "unix:" + dir.path() + "/nobody", "ping"});
    CHECK(refused.code == 1);
    CHECK(refused.err.find("cannot connect") != std::string::npos);
    CHECK(evd.stop() == 0);
  }

  TEST_CASE(
      "watch --suffix prints only events whose attribute has that suffix") {
    evd_instance evd;
    auto watch = start_watch(evd, {"--suffix", "type=.created"});
    line_client publisher(evd.tcp_address());
    // The last one matches, so the others were decided before it arrived.
    publish_raw(publisher, R"({"type":"repo.created","n":1})");
    publish_raw(publisher, R"({"type":"repo.deleted","n":2})");
    publish_raw(publisher, R"({"type":"repo.created.not","n":3})");
    publish_raw(publisher, R"({"source":"x.created","n":4})");
    publish_raw(publisher, R"({"type":"issue.created","n":5})");

    CHECK(watch_lines(evd, 2) ==
          std::vector<std::string>{R"({"type":"repo.created","n":1})",
                                   R"({"type":"issue.created","n":5})"});
    CHECK(evd.stop() == 0);
    CHECK(watch->wait_for(10s) == 0);
  }

  TEST_CASE("watch prints each event byte for byte as published") {
    evd_instance evd;
    // Escapes, number spellings, key order and spaces all survive; a
    // re-serialized event would read "café" and 100.0.
    std::vector<std::string> events{
        R"({"type":"caf\u00e9","n":1.0e2})",
        R"({ "z" : [1 , -0.0, 1E+2] , "a":"\"q\"\/", "o":{}})",
    };
    std::string sub = "plain";
    SUBCASE("under a plain subscription name") {}
    SUBCASE("under a name that JSON escapes") { sub = "qu\"ote\\d"; }
    auto watch = start_watch(evd, {"--sub", sub});
    line_client publisher(evd.unix_address());
    for (const auto& e : events) publish_raw(publisher, e);

    CHECK(watch_lines(evd, events.size()) == events);
    CHECK(evd.stop() == 0);
    CHECK(watch->wait_for(10s) == 0);
  }

  TEST_CASE("watch --frames prints the frames as evd sent them") {
    evd_instance evd;
    auto watch = start_watch(evd, {"--sub", "f", "--frames"});
    line_client publisher(evd.unix_address());
    publish_raw(publisher, R"({"n":1.0e2})");

    CHECK(watch_lines(evd, 1) ==
          std::vector<std::string>{frame("f", 1, R"({"n":1.0e2})")});
    CHECK(evd.stop() == 0);
    CHECK(watch->wait_for(10s) == 0);
  }

  TEST_CASE("evctl --help names evctl and not its path in the usage line") {
    temp_dir dir;
    auto run = run_evctl(dir, {"--help"});
    CHECK(run.code == 0);
    CHECK(run.out.find("\nUsage: evctl [OPTIONS] SUBCOMMAND\n") !=
          std::string::npos);
  }

  TEST_CASE("evctl --version prints the version evd --version does") {
    temp_dir dir;
    std::string evd_out = dir.path() + "/evd.out";
    child_process evd({evd_binary(), "--version"}, evd_out, "");
    REQUIRE(evd.wait_for(10s) == 0);
    std::string evd_version = read_file(evd_out);
    REQUIRE(evd_version.starts_with("evd "));

    auto run = run_evctl(dir, {"--version"});
    CHECK(run.code == 0);
    CHECK(run.out == "evctl " + evd_version.substr(4));
  }

  TEST_CASE("an error from evd is printed plainly with a non-zero exit") {
    evd_instance evd;
    temp_dir dir;
    std::vector<std::string> args{"--addr", evd.unix_address()};
    std::string expected;

    SUBCASE("pub of an event that is not an object") {
      args.insert(args.end(), {"pub", "[1,2]"});
      expected = "evctl: line 1: invalid_event: event must be a JSON object\n";
    }
    SUBCASE("pub of a CloudEvent without a source") {
      args.insert(args.end(),
                  {"pub", R"({"specversion":"1.0","id":"1","type":"t"})"});
      expected = "evctl: line 1: invalid_event: ";
    }
    SUBCASE("watch with a filter of an unknown dialect") {
      args.insert(args.end(), {"watch", "--filter", R"({"teleport":{}})"});
      expected = "evctl: invalid_filter: ";
    }
    auto run = run_evctl(dir, args);
    CHECK(run.code == 1);
    CHECK(run.err.starts_with(expected));
    CHECK(run.out.empty());
    CHECK(evd.stop() == 0);
  }
}

}  // namespace evd::test
