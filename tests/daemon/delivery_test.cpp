// Delivery under pressure, spoken to the real evd: overflow policies and
// their loss notices, replay with since, write timeouts, server limits and
// what the metrics say about each.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "tests/support/evd_instance.hpp"
#include "tests/support/line_client.hpp"

namespace evd::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

json event_n(int n, std::size_t pad = 0) {
  return {{"n", n}, {"pad", std::string(pad, 'p')}};
}

// Publishes `count` events without ids, then waits for a pong: the
// connection's requests are handled in order, so every event is in.
// Returns whether the pong came. The wait is long because a sanitizer
// build on a busy machine takes its time, and speed is not the point.
bool try_publish(line_client& publisher, int count, std::size_t pad = 0) {
  std::string batch;
  for (int i = 1; i <= count; ++i) {
    json req = {{"op", "pub"}, {"event", event_n(i, pad)}};
    batch += req.dump() + "\n";
    if (batch.size() > (1 << 20) || i == count) {
      publisher.send_raw(batch);
      batch.clear();
    }
  }
  publisher.send({{"op", "ping"}, {"id", "sync"}});
  return publisher.read_json(60s)["op"] == "pong";
}

void publish(line_client& publisher, int count, std::size_t pad = 0) {
  REQUIRE(try_publish(publisher, count, pad));
}

// What a subscriber saw of events 1..last.
struct seen {
  int events = 0;
  int dropped = 0;
  int notices = 0;
  bool in_order = true;  // each seq right after the previous one or a gap
                         // that a dropped notice just accounted for
};

// Reads until event `last` arrived or a notice covered it. Every seq from
// 1 to `last` must be either delivered or reported, in order.
seen read_through(line_client& client, std::uint64_t last) {
  seen s;
  std::uint64_t next = 1;
  while (next <= last) {
    json msg = client.read_json(5s);
    if (msg.is_null()) break;
    if (msg["op"] == "event") {
      s.in_order = s.in_order && msg["seq"] == next;
      ++s.events;
      next = msg["seq"].get<std::uint64_t>() + 1;
    } else if (msg["op"] == "dropped") {
      auto first = msg["first_seq"].get<std::uint64_t>();
      auto to = msg["last_seq"].get<std::uint64_t>();
      auto count = msg["count"].get<std::uint64_t>();
      s.in_order = s.in_order && first == next && count == to - first + 1;
      s.dropped += static_cast<int>(count);
      ++s.notices;
      next = to + 1;
    }
  }
  s.in_order = s.in_order && next == last + 1;
  return s;
}

json sub_with(const std::string& name, json extra) {
  json req = {{"op", "sub"}, {"id", name}, {"sub", name}};
  req.update(extra);
  return req;
}

bool log_contains(evd_instance& evd, const std::string& text,
                  std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (evd.log().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// The daemon's figures, asked on `client`'s connection.
json stats_of(line_client& client) {
  return client.request({{"op", "stats"}, {"id", "stats"}});
}

// Events dropped for `reason` so far, by the daemon's figures.
std::uint64_t dropped_for(line_client& client, const std::string& reason) {
  json n = stats_of(client)["dropped"][reason];
  return n.is_number() ? n.get<std::uint64_t>() : 0;
}

// Waits until the events queued in evd stop moving: every writer with
// something to write is stuck on a socket that takes no more.
void wait_for_stall(line_client& client) {
  auto queued = [&] { return stats_of(client)["queues"]["events"]; };
  json last = queued();
  REQUIRE(eventually(
      [&] {
        std::this_thread::sleep_for(100ms);
        json now = queued();
        return std::exchange(last, now) == now;
      },
      5s));
}

// Reads until a message with op `op`, which it returns; null if none came.
json read_until(line_client& client, const std::string& op) {
  for (;;) {
    json msg = client.read_json(5s);
    if (msg.is_null() || msg["op"] == op) return msg;
  }
}

}  // namespace

TEST_SUITE("delivery") {
  TEST_CASE("a drop policy reports every lost event before the next one") {
    for (const char* policy : {"drop_oldest", "drop_newest"}) {
      CAPTURE(policy);
      evd_instance evd;
      line_client lazy(evd.unix_address());
      CHECK(lazy.request(sub_with(
                "s1", {{"policy", policy}, {"max_events", 5}}))["op"] == "ok");
      line_client publisher(evd.unix_address());
      // 4 MB of events: far more than socket buffers, channel and queue.
      constexpr int total = 4000;
      publish(publisher, total, 1000);

      seen s = read_through(lazy, total);
      CHECK(s.in_order);
      CHECK(s.notices > 0);
      CHECK(s.dropped > 0);
      CHECK(s.events + s.dropped == total);

      // Counters agree with what the client saw.
      json bye = lazy.request({{"op", "unsub"}, {"id", 2}, {"sub", "s1"}});
      CHECK(bye["delivered"] == s.events);
      CHECK(bye["dropped"] == s.dropped);
    }
  }

  TEST_CASE("a reader that keeps up loses nothing under a drop policy") {
    evd_instance evd;
    line_client reader(evd.unix_address());
    CHECK(reader.request(sub_with("s1", {{"policy", "drop_oldest"}}))["op"] ==
          "ok");
    line_client publisher(evd.unix_address());
    publish(publisher, 200);
    seen s = read_through(reader, 200);
    CHECK(s.in_order);
    CHECK(s.events == 200);
    CHECK(s.notices == 0);
  }

  TEST_CASE("bad queue options in a sub request are refused") {
    evd_instance evd({"--queue-ceiling-events", "100"});
    line_client client(evd.unix_address());
    json r = client.request(sub_with("a", {{"policy", "drop_sometimes"}}));
    CHECK(r["code"] == "invalid_request");
    r = client.request(sub_with("b", {{"max_events", 0}}));
    CHECK(r["code"] == "invalid_request");
    r = client.request(sub_with("c", {{"max_bytes", -5}}));
    CHECK(r["code"] == "invalid_request");
    r = client.request(sub_with("d", {{"max_events", 101}}));
    CHECK(r["code"] == "limit_exceeded");
    CHECK(r["message"].get<std::string>().starts_with("queue_ceiling_events"));
    CHECK(client.request(sub_with("e", {{"max_events", 100}}))["op"] == "ok");
  }

  TEST_CASE("since replays held events then goes on live") {
    evd_instance evd;
    line_client publisher(evd.unix_address());
    publish(publisher, 10);

    line_client late(evd.unix_address());
    CHECK(late.request(sub_with("s1", {{"since", 3}})) ==
          json{{"op", "ok"}, {"id", "s1"}, {"sub", "s1"}});
    for (int seq = 4; seq <= 10; ++seq) CHECK(late.read_json()["seq"] == seq);
    publish(publisher, 1);
    CHECK(late.read_json()["seq"] == 11);

    SUBCASE("since 0 is everything held") {
      line_client all(evd.unix_address());
      CHECK(all.request(sub_with("s2", {{"since", 0}}))["op"] == "ok");
      for (int seq = 1; seq <= 11; ++seq) CHECK(all.read_json()["seq"] == seq);
    }
    SUBCASE("since now and no since are live only") {
      line_client now(evd.unix_address());
      CHECK(now.request(sub_with("s3", {{"since", "now"}}))["op"] == "ok");
      CHECK(now.request(sub_with("s4", json::object()))["op"] == "ok");
      publish(publisher, 1);
      CHECK(now.read_json()["seq"] == 12);
      CHECK(now.read_json()["seq"] == 12);
    }
    SUBCASE("filters apply to the replay") {
      line_client some(evd.unix_address());
      json filters = json::array({{{"exact", {{"n", "2"}}}}});
      CHECK(some.request(sub_with(
                "s5", {{"since", 0}, {"filters", filters}}))["op"] == "ok");
      CHECK(some.read_json()["seq"] == 2);
      CHECK(some.read_json(300ms).is_null());
    }
  }

  TEST_CASE(
      "a since older than the history says truncated and where it starts") {
    evd_instance evd({"--history-max-events", "5"});
    line_client publisher(evd.unix_address());
    publish(publisher, 10);
    line_client late(evd.unix_address());
    CHECK(late.request(sub_with("s1", {{"since", 2}})) ==
          json{{"op", "ok"},
               {"id", "s1"},
               {"sub", "s1"},
               {"truncated", true},
               {"first_seq", 6}});
    for (int seq = 6; seq <= 10; ++seq) CHECK(late.read_json()["seq"] == seq);

    // Resuming from a seq still held is not truncated.
    line_client resumed(evd.unix_address());
    CHECK(resumed.request(sub_with("s2", {{"since", 5}})) ==
          json{{"op", "ok"}, {"id", "s2"}, {"sub", "s2"}});
    CHECK(resumed.read_json()["seq"] == 6);
  }

  TEST_CASE("replay meets live events with no gap and no duplicate") {
    // The subscribers read nothing until the flood is over: under a
    // sanitizer on a busy machine that can outlast the default write
    // timeout, which is not what this test is about.
    evd_instance evd(
        {"--history-max-events", "100000", "--write-timeout-ms", "120000"});
    constexpr int total = 20000;
    // No REQUIRE on this thread: a failure there would abort the run.
    bool flood_done = false;
    std::thread flood([&] {
      line_client publisher(evd.tcp_address());
      flood_done = try_publish(publisher, total);
    });
    // Subscribe while the flood runs, at a few different moments.
    std::vector<std::unique_ptr<line_client>> late;
    for (int i = 0; i < 4; ++i) {
      std::this_thread::sleep_for(5ms);
      late.push_back(std::make_unique<line_client>(evd.unix_address()));
      std::string name = "s" + std::to_string(i);
      json req = sub_with(name, {{"since", 0}, {"max_events", 100000}});
      late.back()->send(req);
    }
    flood.join();
    REQUIRE(flood_done);
    for (auto& client : late) {
      CHECK(client->read_json()["op"] == "ok");
      seen s = read_through(*client, total);
      CHECK(s.in_order);
      CHECK(s.events == total);
    }
  }

  TEST_CASE("a replay larger than the queue bound is delivered whole") {
    // Default limits: the history (64 MiB) holds far more than a
    // subscription's queue (8 MiB) may, and a reader asking for the past
    // must get all of it, not a slow_consumer close.
    evd_instance evd;
    line_client publisher(evd.unix_address());
    constexpr int total = 6000;
    publish(publisher, total, 2000);

    line_client resumed(evd.unix_address());
    CHECK(resumed.request(sub_with("s1", {{"since", 0}}))["op"] == "ok");
    seen s = read_through(resumed, total);
    CHECK(s.events == total);
    CHECK(s.notices == 0);
    CHECK(s.in_order);

    // Live events still follow, and still count against the bound.
    publish(publisher, 1);
    CHECK(resumed.read_json()["seq"] == total + 1);
  }

  TEST_CASE("a delivery many thousands of events late is still timed") {
    evd_instance evd({"--write-timeout-ms", "120000"});
    line_client lazy(evd.unix_address());
    CHECK(lazy.request(sub_with("s1", {{"max_events", 100000},
                                       {"max_bytes", 256 << 20}}))["op"] ==
          "ok");
    // The subscriber reads nothing until every event is in: all but the
    // first few hundred are written long after thousands of later ones
    // were published.
    line_client publisher(evd.unix_address());
    constexpr int total = 16000;
    publish(publisher, total, 500);
    seen s = read_through(lazy, total);
    REQUIRE(s.events == total);

    // The writer counts a delivery just after its write returns, which
    // may be a moment after the reader has the bytes.
    json figures;
    CHECK(eventually(
        [&] {
          figures = stats_of(publisher);
          return figures["delivered"] == total;
        },
        5s));
    CHECK(figures["latency"]["count"] == total);
  }

  TEST_CASE("the queue gauges show the backlog now and fall as it drains") {
    evd_instance evd({"--write-timeout-ms", "120000"});
    json roomy = {{"max_events", 100000}, {"max_bytes", 256 << 20}};
    line_client first(evd.unix_address());
    CHECK(first.request(sub_with("s1", roomy))["op"] == "ok");
    line_client second(evd.unix_address());
    CHECK(second.request(sub_with("s2", roomy))["op"] == "ok");

    // 4 MB for each subscriber, who reads none of it yet: at most a few
    // hundred events fit in its socket and channel, the rest wait.
    line_client publisher(evd.unix_address());
    constexpr int total = 4000;
    publish(publisher, total, 1000);
    json backlog = stats_of(publisher)["queues"];
    auto deepest = backlog["deepest"].get<std::uint64_t>();
    CHECK(deepest > total / 2);
    CHECK(backlog["events"].get<std::uint64_t>() > deepest + total / 2);
    CHECK(backlog["high_water"].get<std::uint64_t>() >= deepest);

    CHECK(read_through(first, total).events == total);
    CHECK(read_through(second, total).events == total);
    CHECK(eventually(
        [&] {
          backlog = stats_of(publisher)["queues"];
          return backlog["events"] == 0 && backlog["deepest"] == 0;
        },
        5s));
    CHECK(backlog["high_water"].get<std::uint64_t>() >= deepest);
  }

  TEST_CASE("a slow consumer's refused and held events all count as dropped") {
    evd_instance evd;
    line_client lazy(evd.unix_address());
    line_client publisher(evd.unix_address());
    // s0 takes the long-padded events, s1 the short. 4 MB for s0 that the
    // client does not read stall the connection's writer first, so that
    // nothing leaves s1's queue of 5 afterwards.
    json padded = json::array({{{"prefix", {{"pad", "pp"}}}}});
    CHECK(lazy.request(sub_with("s0", {{"filters", padded},
                                       {"max_events", 100000},
                                       {"max_bytes", 256 << 20}}))["op"] ==
          "ok");
    json short_pad = json::array({{{"exact", {{"pad", "p"}}}}});
    // A name that would forge a log line if evd wrote it raw.
    const std::string s1 = "s1\n2026-01-01T00:00:00.000 critical forged\x1b[0m";
    CHECK(lazy.request(sub_with(
              s1, {{"filters", short_pad}, {"max_events", 5}}))["op"] == "ok");
    publish(publisher, 4000, 1000);
    wait_for_stall(publisher);

    // One short event waits for the channel, 5 fill the queue, the next
    // is refused and evd ends s1.
    publish(publisher, 100, 1);
    json closed = read_until(lazy, "closed");
    CHECK(closed["reason"] == "slow_consumer");
    CHECK(closed["sub"] == s1);
    // evd warns about the slow consumer on one line, the name quoted.
    REQUIRE(log_contains(evd, "reason=slow_consumer"));
    CHECK(evd.log().find("\n2026-01-01") == std::string::npos);
    CHECK(evd.log().find('\x1b') == std::string::npos);
    CHECK(evd.log().find(R"(sub="s1\n2026-01-01T00:00:00.000 critical )"
                         R"(forged\u001b[0m" reason=slow_consumer)") !=
          std::string::npos);
    lazy.send({{"op", "stats"}, {"id", "stats"}});
    json figures = read_until(lazy, "stats");
    auto lost = figures["connection"]["dropped"].get<std::uint64_t>();
    CHECK(lost > 5);
    CHECK(figures["dropped"]["slow_consumer"] == lost);
  }

  TEST_CASE("what a subscription still held is dropped under why it ended") {
    json roomy = {{"max_events", 100000}, {"max_bytes", 256 << 20}};
    constexpr int total = 4000;

    SUBCASE("its client unsubscribed") {
      evd_instance evd({"--write-timeout-ms", "120000"});
      line_client lazy(evd.unix_address());
      CHECK(lazy.request(sub_with("s1", roomy))["op"] == "ok");
      line_client publisher(evd.unix_address());
      publish(publisher, total, 1000);
      lazy.send({{"op", "unsub"}, {"id", "bye"}, {"sub", "s1"}});
      json bye = read_until(lazy, "ok");
      // Most of the flood was still queued behind the unread socket.
      CHECK(bye["dropped"].get<std::uint64_t>() > total / 2);
      CHECK(dropped_for(publisher, "unsubscribed") == bye["dropped"]);
    }
    SUBCASE("its client closed its side") {
      evd_instance evd({"--write-timeout-ms", "120000"});
      line_client lazy(evd.unix_address());
      CHECK(lazy.request(sub_with("s1", roomy))["op"] == "ok");
      line_client publisher(evd.unix_address());
      publish(publisher, total, 1000);
      lazy.shutdown_send();
      CHECK(eventually(
          [&] { return dropped_for(publisher, "client_done") > total / 2; },
          5s));
    }
    SUBCASE("its socket accepted no bytes for the write timeout") {
      evd_instance evd({"--write-timeout-ms", "1000"});
      line_client lazy(evd.unix_address());
      CHECK(lazy.request(sub_with("s1", {{"policy", "drop_oldest"},
                                         {"max_events", 10}}))["op"] == "ok");
      line_client publisher(evd.unix_address());
      publish(publisher, 2000, 4000);
      wait_for_stall(publisher);
      // The writer is stuck now, so these fill the queue whatever it
      // held, and drop_oldest keeps it full until evd gives up.
      publish(publisher, 50, 4000);
      // The queue's 10, and whatever waited in the connection's channel
      // behind the stuck write.
      CHECK(eventually(
          [&] { return dropped_for(publisher, "write_timeout") >= 10; }, 5s));
      // What drop_oldest threw away never reached a dropped notice.
      CHECK(dropped_for(publisher, "overflow") > 0);
    }
  }

  TEST_CASE("replays count against the connection's queue budget") {
    // 1.1 MB for the connection; each subscription's queue bound 100 kB,
    // and a replay of 100 events of about 2 kB costs about 200 kB more.
    evd_instance evd(
        {"--max-conn-queue-bytes", "1100000", "--queue-max-bytes", "100000"});
    line_client publisher(evd.unix_address());
    publish(publisher, 100, 2000);

    line_client client(evd.unix_address());
    int accepted = 0;
    json refused;
    for (int i = 0; i < 10 && refused.is_null(); ++i) {
      json reply =
          client.request(sub_with("r" + std::to_string(i), {{"since", 0}}));
      if (reply["op"] == "ok") {
        ++accepted;
        CHECK(read_through(client, 100).events == 100);
      } else {
        refused = reply;
      }
    }
    CHECK(accepted == 3);
    CHECK(refused["code"] == "limit_exceeded");
    CHECK(refused["message"].get<std::string>().starts_with(
        "max_conn_queue_bytes"));
    // Live-only subscriptions still fit, and ending a replaying one gives
    // its share back.
    json live = client.request(sub_with("live", json::object()));
    CHECK_MESSAGE(live["op"] == "ok", live.dump());
    CHECK(client.request({{"op", "unsub"}, {"id", 1}, {"sub", "r0"}})["op"] ==
          "ok");
    CHECK(client.request(sub_with("again", {{"since", 0}}))["op"] == "ok");
  }

  TEST_CASE(
      "a socket that accepts no bytes is closed after the write timeout") {
    evd_instance evd({"--write-timeout-ms", "300"});
    line_client stuck(evd.unix_address());
    // drop_oldest keeps the subscription alive however far behind it is,
    // so only the write timeout can end this connection.
    CHECK(stuck.request(sub_with("s1", {{"policy", "drop_oldest"},
                                        {"max_events", 10}}))["op"] == "ok");
    line_client publisher(evd.unix_address());
    publish(publisher, 2000, 4000);
    CHECK(log_contains(evd, "reason=write_timeout"));
    CHECK(stuck.closed_by_peer());
    // The daemon goes on.
    CHECK(publisher.request({{"op", "ping"}, {"id", 1}})["op"] == "pong");
  }

  TEST_CASE("each server limit is answered with limit_exceeded naming it") {
    SUBCASE("connections") {
      evd_instance evd({"--max-connections", "2"});
      line_client a(evd.unix_address());
      line_client b(evd.tcp_address());
      CHECK(a.request({{"op", "ping"}})["op"] == "pong");
      CHECK(b.request({{"op", "ping"}})["op"] == "pong");
      line_client c(evd.unix_address());
      json refused = c.read_json();
      CHECK(refused["code"] == "limit_exceeded");
      CHECK(
          refused["message"].get<std::string>().starts_with("max_connections"));
      CHECK(c.closed_by_peer());
      // A slot freed is a slot again.
      a.close();
      CHECK(b.request({{"op", "ping"}})["op"] == "pong");
      bool admitted = false;
      for (int i = 0; i < 50 && !admitted; ++i) {
        line_client d(evd.unix_address());
        admitted = d.request({{"op", "ping"}})["op"] == "pong";
        if (!admitted) std::this_thread::sleep_for(20ms);
      }
      CHECK(admitted);
    }
    SUBCASE("event size") {
      evd_instance evd({"--max-event-bytes", "100"});
      line_client client(evd.unix_address());
      json r = client.request(
          {{"op", "pub"}, {"id", 1}, {"event", event_n(1, 200)}});
      CHECK(r["code"] == "limit_exceeded");
      CHECK(r["message"].get<std::string>().starts_with("max_event_bytes"));
      CHECK(client.request(
                {{"op", "pub"}, {"id", 2}, {"event", event_n(2)}})["seq"] == 1);
    }
    SUBCASE("queue bytes per connection") {
      evd_instance evd({"--max-conn-queue-bytes", "1000"});
      line_client client(evd.unix_address());
      CHECK(client.request(sub_with("a", {{"max_bytes", 600}}))["op"] == "ok");
      json r = client.request(sub_with("b", {{"max_bytes", 600}}));
      CHECK(r["code"] == "limit_exceeded");
      CHECK(
          r["message"].get<std::string>().starts_with("max_conn_queue_bytes"));
      CHECK(client.request({{"op", "unsub"}, {"id", 1}, {"sub", "a"}})["op"] ==
            "ok");
      CHECK(client.request(sub_with("b", {{"max_bytes", 600}}))["op"] == "ok");
    }
  }
}

}  // namespace evd::test
