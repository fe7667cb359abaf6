#include "core/broadcaster.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <boost/system/errc.hpp>

#include "recording_sink.hpp"

namespace evd::core {
namespace {

using namespace std::chrono_literals;

using testing::make_event;
using testing::n_of;
using testing::recording_sink;
using testing::writer_of;

// Whether each writer's events reached `s` in the order they were written.
bool in_writer_order(const recording_sink& s) {
  std::map<int, int> last;
  for (const auto& ev : s.events()) {
    auto [it, fresh] = last.try_emplace(writer_of(*ev), n_of(*ev));
    if (!fresh) {
      if (n_of(*ev) <= it->second) return false;
      it->second = n_of(*ev);
    }
  }
  return true;
}

TEST_SUITE("broadcaster") {
  TEST_CASE("every sink gets every event in order") {
    broadcaster b;
    std::vector<std::shared_ptr<recording_sink>> sinks;
    for (int i = 0; i < 3; ++i) {
      sinks.push_back(std::make_shared<recording_sink>());
      REQUIRE_FALSE(b.add(sinks.back()));
    }
    CHECK(b.size() == 3);

    for (int i = 0; i < 10; ++i) REQUIRE_FALSE(b.write(make_event(0, i)));
    for (const auto& s : sinks) {
      auto events = s->events();
      REQUIRE(events.size() == 10);
      for (int i = 0; i < 10; ++i) CHECK(n_of(*events[i]) == i);
    }
  }

  TEST_CASE("a sink added late sees only later events") {
    broadcaster b;
    auto early = std::make_shared<recording_sink>();
    auto late = std::make_shared<recording_sink>();
    REQUIRE_FALSE(b.add(early));
    REQUIRE_FALSE(b.write(make_event(0, 0)));
    REQUIRE_FALSE(b.add(late));
    REQUIRE_FALSE(b.write(make_event(0, 1)));

    CHECK(early->count() == 2);
    REQUIRE(late->count() == 1);
    CHECK(n_of(*late->events()[0]) == 1);
  }

  TEST_CASE("a sink that reports sink_closed is dropped") {
    broadcaster b;
    auto open = std::make_shared<recording_sink>();
    auto closing = std::make_shared<recording_sink>();
    REQUIRE_FALSE(b.add(open));
    REQUIRE_FALSE(b.add(closing));
    REQUIRE_FALSE(b.write(make_event(0, 0)));

    closing->close();
    REQUIRE_FALSE(b.write(make_event(0, 1)));
    CHECK(b.size() == 1);
    REQUIRE_FALSE(b.write(make_event(0, 2)));

    CHECK(open->count() == 3);
    CHECK(closing->count() == 1);
    // The dropped sink was offered the event that revealed it closed, and
    // nothing after.
    CHECK(closing->attempts() == 2);
  }

  TEST_CASE("a sink that fails with another error is kept") {
    broadcaster b;
    recording_sink::options opts;
    opts.answer = [](const event&) {
      return boost::system::errc::make_error_code(
          boost::system::errc::io_error);
    };
    auto failing = std::make_shared<recording_sink>(opts);
    REQUIRE_FALSE(b.add(failing));

    CHECK_FALSE(b.write(make_event(0, 0)));
    CHECK_FALSE(b.write(make_event(0, 1)));
    CHECK(b.size() == 1);
    CHECK(failing->attempts() == 2);
  }

  TEST_CASE("a removed sink receives nothing more") {
    broadcaster b;
    auto kept = std::make_shared<recording_sink>();
    auto removed = std::make_shared<recording_sink>();
    REQUIRE_FALSE(b.add(kept));
    REQUIRE_FALSE(b.add(removed));
    REQUIRE_FALSE(b.write(make_event(0, 0)));

    REQUIRE_FALSE(b.remove(removed));
    CHECK(b.size() == 1);
    CHECK_FALSE(b.remove(removed));
    REQUIRE_FALSE(b.write(make_event(0, 1)));

    CHECK(kept->count() == 2);
    CHECK(removed->count() == 1);
  }

  TEST_CASE("sinks come and go from other threads while publishers write") {
    constexpr int publishers = 4;
    constexpr int per_publisher = 2000;
    constexpr int churners = 4;

    broadcaster b;
    auto steady = std::make_shared<recording_sink>();
    REQUIRE_FALSE(b.add(steady));

    std::atomic<bool> stop{false};
    std::atomic<int> late_deliveries{0};
    std::vector<std::shared_ptr<recording_sink>> transient;
    std::mutex transient_mutex;
    std::vector<std::thread> threads;
    for (int c = 0; c < churners; ++c) {
      threads.emplace_back([&] {
        while (!stop) {
          auto s = std::make_shared<recording_sink>();
          b.add(s);
          std::this_thread::yield();
          b.remove(s);
          std::size_t seen = s->count();
          std::this_thread::yield();
          // Once remove returned, nothing more reaches it.
          if (s->count() != seen) ++late_deliveries;
          std::lock_guard lock(transient_mutex);
          transient.push_back(std::move(s));
        }
      });
    }
    std::vector<std::thread> writers;
    for (int p = 0; p < publishers; ++p) {
      writers.emplace_back([&, p] {
        for (int i = 0; i < per_publisher; ++i) b.write(make_event(p, i));
      });
    }
    for (auto& t : writers) t.join();
    stop = true;
    for (auto& t : threads) t.join();

    CHECK(late_deliveries == 0);
    CHECK(b.size() == 1);
    CHECK(steady->count() == publishers * per_publisher);
    CHECK(in_writer_order(*steady));
    for (const auto& s : transient) CHECK(in_writer_order(*s));
  }

  TEST_CASE("close closes every sink and refuses writes and adds") {
    broadcaster b;
    std::vector<std::shared_ptr<recording_sink>> sinks;
    for (int i = 0; i < 3; ++i) {
      sinks.push_back(std::make_shared<recording_sink>());
      REQUIRE_FALSE(b.add(sinks.back()));
    }

    REQUIRE_FALSE(b.close());
    for (const auto& s : sinks) CHECK(s->closed());
    CHECK(b.size() == 0);
    CHECK(b.write(make_event(0, 0)) == errc::sink_closed);
    CHECK(b.add(std::make_shared<recording_sink>()) == errc::sink_closed);
    CHECK(b.close() == errc::sink_closed);
  }
}

}  // namespace
}  // namespace evd::core
