// The wire protocol, spoken over real sockets to the real evd binary.
#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "tests/support/evd_instance.hpp"
#include "tests/support/line_client.hpp"

namespace evd::test {
namespace {

using json = nlohmann::json;

json cloud_event(const std::string& id, const std::string& type) {
  return {
      {"specversion", "1.0"}, {"id", id}, {"source", "/test"}, {"type", type}};
}

json pub(int id, const json& event) {
  return {{"op", "pub"}, {"id", id}, {"event", event}};
}

json sub(int id, const std::string& name, json filters = json::array()) {
  return {{"op", "sub"}, {"id", id}, {"sub", name}, {"filters", filters}};
}

}  // namespace

TEST_SUITE("protocol") {
  TEST_CASE("ping is answered with pong and the same id on both transports") {
    evd_instance evd;
    for (const auto& address : {evd.unix_address(), evd.tcp_address()}) {
      line_client client(address);
      CHECK(client.request({{"op", "ping"}, {"id", 1}}) ==
            json{{"op", "pong"}, {"id", 1}});
      CHECK(client.request({{"op", "ping"}, {"id", "abc"}}) ==
            json{{"op", "pong"}, {"id", "abc"}});
    }
    CHECK(evd.stop() == 0);
  }

  TEST_CASE("publishes are acknowledged with seq counting from one") {
    evd_instance evd;
    line_client unix_client(evd.unix_address());
    line_client tcp_client(evd.tcp_address());
    CHECK(unix_client.request(pub(7, cloud_event("a", "t"))) ==
          json{{"op", "ok"}, {"id", 7}, {"seq", 1}});
    CHECK(tcp_client.request(pub(8, cloud_event("b", "t"))) ==
          json{{"op", "ok"}, {"id", 8}, {"seq", 2}});
    CHECK(unix_client.request(pub(9, {{"any", "object"}})) ==
          json{{"op", "ok"}, {"id", 9}, {"seq", 3}});
  }

  TEST_CASE("a subscriber receives matching events byte for byte") {
    evd_instance evd;
    line_client watcher(evd.tcp_address());
    line_client publisher(evd.unix_address());
    CHECK(watcher.request(sub(1, "s1", {{{"prefix", {{"type", "com.a"}}}}})) ==
          json{{"op", "ok"}, {"id", 1}, {"sub", "s1"}});

    // Odd spacing, key order and number spelling must survive.
    std::string event =
        R"({ "type" : "com.a.x", "specversion":"1.0", "source":"/s",)"
        R"( "id":"1", "n": 1.50e2 })";
    publisher.send_raw(R"({"op":"pub","id":1,"event":)" + event + "}\n");
    CHECK(publisher.read_json()["seq"] == 1);
    publisher.send(pub(2, cloud_event("2", "com.b")));
    publisher.send(pub(3, cloud_event("3", "com.a.y")));
    CHECK(publisher.read_json()["seq"] == 2);
    CHECK(publisher.read_json()["seq"] == 3);

    CHECK(watcher.read_line() ==
          R"({"op":"event","sub":"s1","seq":1,"event":)" + event + "}");
    json second = watcher.read_json();
    CHECK(second["seq"] == 3);
    CHECK(second["event"]["id"] == "3");
    CHECK_FALSE(watcher.read_line(std::chrono::milliseconds(200)));
  }

  TEST_CASE("bad requests get errors and the connection goes on") {
    evd_instance evd;
    line_client client(evd.unix_address());
    struct bad {
      std::string line;
      std::string code;
    };
    const bad cases[] = {
        {"not json", "parse_error"},
        {"", "parse_error"},
        {"   ", "parse_error"},
        {R"({"a":1,"a":2})", "parse_error"},
        {"[1,2]", "invalid_request"},
        {R"({"id":1})", "invalid_request"},
        {R"({"op":"pub","id":1})", "invalid_request"},
        {R"({"op":"zap","id":1})", "unknown_op"},
        {R"({"op":"pub","id":1,"event":[1]})", "invalid_event"},
        {R"({"op":"pub","id":1,"event":"x"})", "invalid_event"},
        {R"({"op":"pub","id":1,"event":{"specversion":"1.0","id":"x"}})",
         "invalid_event"},
        {R"({"op":"pub","id":1,"event":{"specversion":"0.3","id":"x",)"
         R"("source":"s","type":"t"}})",
         "invalid_event"},
        {R"({"op":"sub","id":1,"sub":"s","filters":[{"bogus":{}}]})",
         "invalid_filter"},
        {R"({"op":"sub","id":1,"sub":"s","filters":[{"exact":{"":"x"}}]})",
         "invalid_filter"},
        {R"({"op":"sub","id":1,"sub":"s","filters":[{"all":[]}]})",
         "invalid_filter"},
        {R"({"op":"sub","id":1,"sub":"s","filters":[{"sql":"a ="}]})",
         "invalid_filter"},
        {R"({"op":"unsub","id":1,"sub":"nope"})", "unknown_sub"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.line);
      client.send_raw(c.line + "\n");
      json reply = client.read_json();
      CHECK(reply["op"] == "error");
      CHECK(reply["code"] == c.code);
      CHECK(reply["message"].is_string());
    }
    CHECK(client.request({{"op", "ping"}, {"id", 2}})["op"] == "pong");
    CHECK(client.request(pub(3, cloud_event("ok", "t")))["seq"] == 1);
  }

  TEST_CASE("a second subscription with the same name is refused") {
    evd_instance evd;
    line_client client(evd.unix_address());
    CHECK(client.request(sub(1, "s"))["op"] == "ok");
    json reply = client.request(sub(2, "s"));
    CHECK(reply["code"] == "duplicate_sub");
    CHECK(reply["id"] == 2);
  }

  TEST_CASE("subscriptions past the per connection limit are refused") {
    evd_instance evd({"--max-subs-per-conn", "2"});
    line_client client(evd.unix_address());
    CHECK(client.request(sub(1, "a"))["op"] == "ok");
    CHECK(client.request(sub(2, "b"))["op"] == "ok");
    json refused = client.request(sub(3, "c"));
    CHECK(refused["code"] == "limit_exceeded");
    CHECK(refused["message"].get<std::string>().find("max_subs_per_conn") !=
          std::string::npos);
    CHECK(client.request({{"op", "unsub"}, {"id", 4}, {"sub", "a"}})["op"] ==
          "ok");
    CHECK(client.request(sub(5, "c"))["op"] == "ok");
  }

  TEST_CASE("no event of a subscription follows its unsubscribe ok") {
    // The flood outruns a watcher that is not reading yet; with the
    // default queue limit the subscription can be cut as a slow consumer
    // before the unsub arrives, which answers unknown_sub instead of ok.
    evd_instance evd({"--queue-max-events", "100000"});
    line_client watcher(evd.unix_address());
    CHECK(watcher.request(sub(1, "s1"))["op"] == "ok");

    // A publisher keeps events flowing while the watcher unsubscribes.
    std::atomic<bool> stop{false};
    std::thread flood([&] {
      line_client publisher(evd.tcp_address());
      for (int i = 0; i < 20000 && !stop; ++i) {
        publisher.send_raw(R"({"op":"pub","event":{"n":1}})"
                           "\n");
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    watcher.send({{"op", "unsub"}, {"id", 99}, {"sub", "s1"}});
    bool saw_ok = false;
    int events_after_ok = 0;
    while (auto line = watcher.read_line(std::chrono::milliseconds(500))) {
      json msg = json::parse(*line);
      if (msg["op"] == "ok" && msg["id"] == 99) saw_ok = true;
      if (msg["op"] == "event" && saw_ok) ++events_after_ok;
    }
    stop = true;
    flood.join();
    CHECK(saw_ok);
    CHECK(events_after_ok == 0);
  }

  TEST_CASE("a line over the limit is refused and only that client is cut") {
    evd_instance evd({"--max-line-bytes", "1024"});
    line_client other(evd.unix_address());
    CHECK(other.request(sub(1, "s"))["op"] == "ok");

    line_client offender(evd.tcp_address());
    offender.send_raw(std::string(2000, 'x'));
    json reply = offender.read_json();
    CHECK(reply["code"] == "line_too_long");
    CHECK(reply["message"].get<std::string>().starts_with("max_line_bytes"));
    CHECK(offender.closed_by_peer());

    line_client publisher(evd.unix_address());
    CHECK(publisher.request(pub(1, {{"still", "here"}}))["seq"] == 1);
    CHECK(other.read_json()["event"] == json{{"still", "here"}});
  }

  TEST_CASE("a last line without a newline is still answered at eof") {
    evd_instance evd;
    line_client client(evd.unix_address());
    client.send_raw(R"({"op":"ping","id":5})");
    client.shutdown_send();
    CHECK(client.read_json() == json{{"op", "pong"}, {"id", 5}});
    CHECK(client.closed_by_peer());
  }

  TEST_CASE("a subscriber that stops reading is closed as a slow consumer") {
    // A long write timeout: here the queue bound, not the socket's
    // stall, must be what ends the subscription.
    evd_instance evd(
        {"--queue-max-events", "50", "--write-timeout-ms", "120000"});
    line_client slow(evd.unix_address());
    CHECK(slow.request(sub(1, "lazy"))["op"] == "ok");
    line_client fast(evd.unix_address());
    CHECK(fast.request(sub(1, "eager"))["op"] == "ok");

    // Big events fill socket buffers quickly; the slow client reads none.
    json big = {{"pad", std::string(64 * 1024, 'p')}};
    line_client publisher(evd.tcp_address());
    std::thread reader([&] {
      int got = 0;
      while (got < 400) {
        json msg = fast.read_json();
        if (msg.is_null()) break;
        if (msg["op"] == "event") ++got;
      }
      CHECK(got == 400);
    });
    for (int i = 1; i <= 400; ++i) publisher.send(pub(i, big));
    int acked = 0;
    while (acked < 400 && !publisher.read_json().is_null()) ++acked;
    CHECK(acked == 400);  // the publisher was never held up
    reader.join();

    bool closed = false;
    while (auto line = slow.read_line(std::chrono::seconds(2))) {
      json msg = json::parse(*line);
      if (msg["op"] == "closed") {
        CHECK(msg == json{{"op", "closed"},
                          {"sub", "lazy"},
                          {"reason", "slow_consumer"}});
        closed = true;
        break;
      }
    }
    CHECK(closed);
    CHECK(evd.log().find("reason=slow_consumer") != std::string::npos);
  }

  TEST_CASE("shutdown delivers what was accepted then says goodbye") {
    evd_instance evd;
    line_client watcher(evd.unix_address());
    CHECK(watcher.request(sub(1, "all"))["op"] == "ok");
    line_client publisher(evd.tcp_address());
    for (int i = 1; i <= 1000; ++i) publisher.send(pub(i, {{"i", i}}));
    int acked = 0;
    while (acked < 1000 && !publisher.read_json().is_null()) ++acked;
    REQUIRE(acked == 1000);

    evd.process().signal(SIGTERM);
    int events = 0;
    json last;
    while (auto line = watcher.read_line()) {
      last = json::parse(*line);
      if (last["op"] == "event") {
        ++events;
        CHECK(last["seq"] == events);
      }
      if (last["op"] == "closed") break;
    }
    CHECK(events == 1000);
    CHECK(last == json{{"op", "closed"}, {"reason", "shutdown"}});
    CHECK(evd.process().wait_for(std::chrono::seconds(10)) == 0);
  }

  TEST_CASE("a second stop signal cuts the drain short") {
    // A drain that would take a minute: a subscriber that reads nothing
    // behind 4 MB of events.
    evd_instance evd({"--drain-timeout-ms", "60000"});
    line_client stuck(evd.unix_address());
    CHECK(stuck.request(sub(1, "s"))["op"] == "ok");
    line_client publisher(evd.unix_address());
    json big = {{"pad", std::string(4000, 'p')}};
    for (int i = 1; i <= 1000; ++i) publisher.send(pub(i, big));
    int acked = 0;
    while (acked < 1000 && !publisher.read_json().is_null()) ++acked;
    REQUIRE(acked == 1000);

    evd.process().signal(SIGTERM);
    REQUIRE(eventually(
        [&] { return evd.log().find("shutting down") != std::string::npos; },
        std::chrono::seconds(5)));
    auto start = std::chrono::steady_clock::now();
    evd.process().signal(SIGTERM);
    CHECK(evd.process().wait_for(std::chrono::seconds(10)) == 0);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(evd.log().find("reason=forced_shutdown") != std::string::npos);
  }

  TEST_CASE("content dialects filter on the event's data through evd") {
    evd_instance evd;
    line_client watcher(evd.unix_address());
    line_client publisher(evd.tcp_address());
    json filters = json::parse(R"([
      {"wildcard":{"source":"/repos/*/pulls"}},
      {"numeric":{"data.additions":[">=",10,"<",100]}},
      {"equals_ignore_case":{"data.labels.name":"BUG"}}
    ])");
    CHECK(watcher.request(sub(1, "s1", filters))["op"] == "ok");

    auto pr = [](const std::string& id, const std::string& source,
                 const json& additions, const std::string& label) {
      json event = cloud_event(id, "pr");
      event["source"] = source;
      event["data"] = {
          {"additions", additions},
          {"labels", json::array({{{"name", "docs"}}, {{"name", label}}})}};
      return event;
    };
    publisher.send(pub(1, pr("small", "/repos/a/pulls", 5, "bug")));
    publisher.send(pub(2, pr("text", "/repos/a/pulls", "50", "bug")));
    publisher.send(pub(3, pr("wanted", "/repos/a/pulls", 50, "Bug")));
    publisher.send(pub(4, pr("issue", "/repos/a/issues", 50, "bug")));
    publisher.send(pub(5, pr("unlabeled", "/repos/a/pulls", 50, "ci")));
    for (int i = 0; i < 5; ++i) CHECK(publisher.read_json()["op"] == "ok");

    CHECK(watcher.read_json()["event"]["id"] == "wanted");
    CHECK_FALSE(watcher.read_line(std::chrono::milliseconds(200)));
  }

  TEST_CASE("a bad filter is refused with a message saying where") {
    evd_instance evd;
    line_client client(evd.unix_address());
    struct bad {
      std::string filters;
      std::string where;
    };
    const bad cases[] = {
        {R"([{"numeric":{"data.n":[">",5,"<",5]}}])", "'data.n'"},
        // The second '=', where no operand may stand, is byte 8.
        {R"([{"exact":{"type":"t"}},{"sql":"type = = 'x'"}])",
         "filters[1]: in 'sql': column 8:"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.filters);
      json reply = client.request(sub(1, "s", json::parse(c.filters)));
      CHECK(reply["code"] == "invalid_filter");
      const std::string message = reply["message"].get<std::string>();
      CAPTURE(message);
      CHECK(message.find(c.where) != std::string::npos);
    }
  }
}

}  // namespace evd::test
