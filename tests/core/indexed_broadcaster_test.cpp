#include "core/indexed_broadcaster.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "recording_sink.hpp"

namespace evd::core {
namespace {

using testing::make_event;
using testing::n_of;
using testing::recording_sink;
using testing::writer_of;

// Files each sink under one writer number and names, for an event, the
// sinks filed under its writer. Counts the candidates it names, so a test
// can tell the broadcaster asked the index rather than every sink.
class writer_index {
 public:
  using key_type = int;

  bool insert(sink_id id, int writer) {
    if (!writers_.emplace(id, writer).second) return false;
    by_writer_[writer].insert(id);
    return true;
  }

  void erase(sink_id id) {
    auto it = writers_.find(id);
    if (it == writers_.end()) return;
    by_writer_[it->second].erase(id);
    writers_.erase(it);
  }

  void find_candidates(const event& ev, std::vector<sink_id>& out) {
    for (sink_id id : by_writer_[writer_of(ev)]) {
      out.push_back(id);
      ++named_;
    }
  }

  static inline std::atomic<std::size_t> named_{0};

 private:
  std::map<sink_id, int> writers_;
  std::map<int, std::set<sink_id>> by_writer_;
};

using broadcaster = indexed_broadcaster<writer_index>;

TEST_SUITE("indexed_broadcaster") {
  TEST_CASE("an event reaches only the sinks the index names for it") {
    broadcaster b;
    auto zero = std::make_shared<recording_sink>();
    auto one = std::make_shared<recording_sink>();
    auto also_one = std::make_shared<recording_sink>();
    REQUIRE_FALSE(b.add(zero, 0));
    REQUIRE_FALSE(b.add(one, 1));
    REQUIRE_FALSE(b.add(also_one, 1));
    CHECK(b.size() == 3);

    std::size_t named_before = writer_index::named_;
    for (int i = 0; i < 5; ++i) REQUIRE_FALSE(b.write(make_event(1, i)));
    REQUIRE_FALSE(b.write(make_event(7, 0)));

    CHECK(zero->count() == 0);
    CHECK(zero->attempts() == 0);
    for (const auto& s : {one, also_one}) {
      auto events = s->events();
      REQUIRE(events.size() == 5);
      for (int i = 0; i < 5; ++i) CHECK(n_of(*events[i]) == i);
    }
    CHECK(writer_index::named_ - named_before == 10);
  }

  TEST_CASE("adding a registered sink again changes nothing") {
    broadcaster b;
    auto s = std::make_shared<recording_sink>();
    REQUIRE_FALSE(b.add(s, 0));
    REQUIRE_FALSE(b.add(s, 1));
    CHECK(b.size() == 1);

    REQUIRE_FALSE(b.write(make_event(0, 0)));
    REQUIRE_FALSE(b.write(make_event(1, 0)));
    CHECK(s->count() == 1);
    CHECK(writer_of(*s->events()[0]) == 0);
  }

  TEST_CASE("a sink that reports sink_closed is dropped from the index") {
    broadcaster b;
    auto open = std::make_shared<recording_sink>();
    auto closing = std::make_shared<recording_sink>();
    REQUIRE_FALSE(b.add(open, 0));
    REQUIRE_FALSE(b.add(closing, 0));

    closing->close();
    REQUIRE_FALSE(b.write(make_event(0, 0)));
    CHECK(b.size() == 1);
    REQUIRE_FALSE(b.write(make_event(0, 1)));
    CHECK(open->count() == 2);
    // Offered the event that revealed it closed, and nothing after.
    CHECK(closing->attempts() == 1);
  }

  TEST_CASE("a removed sink receives nothing more") {
    broadcaster b;
    auto kept = std::make_shared<recording_sink>();
    auto removed = std::make_shared<recording_sink>();
    REQUIRE_FALSE(b.add(kept, 0));
    REQUIRE_FALSE(b.add(removed, 0));
    REQUIRE_FALSE(b.write(make_event(0, 0)));

    REQUIRE_FALSE(b.remove(removed));
    CHECK_FALSE(b.remove(removed));
    CHECK(b.size() == 1);
    REQUIRE_FALSE(b.write(make_event(0, 1)));
    CHECK(kept->count() == 2);
    CHECK(removed->count() == 1);
  }

  TEST_CASE("sinks come and go from other threads while publishers write") {
    constexpr int publishers = 4;
    constexpr int per_publisher = 2000;
    constexpr int churners = 4;

    broadcaster b;
    std::vector<std::shared_ptr<recording_sink>> steady;
    for (int p = 0; p < publishers; ++p) {
      steady.push_back(std::make_shared<recording_sink>());
      REQUIRE_FALSE(b.add(steady.back(), p));
    }

    std::atomic<bool> stop{false};
    std::atomic<int> late_deliveries{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < churners; ++c) {
      threads.emplace_back([&, c] {
        while (!stop) {
          auto s = std::make_shared<recording_sink>();
          b.add(s, c % publishers);
          std::this_thread::yield();
          b.remove(s);
          std::size_t seen = s->count();
          std::this_thread::yield();
          if (s->count() != seen) ++late_deliveries;
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
    CHECK(b.size() == publishers);
    for (int p = 0; p < publishers; ++p) {
      auto events = steady[p]->events();
      REQUIRE(events.size() == per_publisher);
      CHECK(std::all_of(events.begin(), events.end(), [&](const event_ptr& ev) {
        return writer_of(*ev) == p;
      }));
      CHECK(std::is_sorted(events.begin(), events.end(),
                           [](const event_ptr& a, const event_ptr& b) {
                             return n_of(*a) < n_of(*b);
                           }));
    }
  }

  TEST_CASE("close closes every sink and refuses writes and adds") {
    broadcaster b;
    std::vector<std::shared_ptr<recording_sink>> sinks;
    for (int i = 0; i < 3; ++i) {
      sinks.push_back(std::make_shared<recording_sink>());
      REQUIRE_FALSE(b.add(sinks.back(), i));
    }

    REQUIRE_FALSE(b.close());
    for (const auto& s : sinks) CHECK(s->closed());
    CHECK(b.size() == 0);
    CHECK(b.write(make_event(0, 0)) == errc::sink_closed);
    CHECK(b.add(std::make_shared<recording_sink>(), 0) == errc::sink_closed);
    CHECK(b.close() == errc::sink_closed);
  }
}

}  // namespace
}  // namespace evd::core
