#include "core/queue.hpp"

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/errc.hpp>

#include "recording_sink.hpp"

namespace evd::core {
namespace {

using namespace std::chrono_literals;

using testing::make_event;
using testing::n_of;
using testing::recording_sink;
using testing::run_until;
using testing::writer_of;

// An event whose seq is `n`, as the daemon's events carry one.
event_ptr numbered(int n) {
  return event::make({{"writer", 0}, {"n", n}}, static_cast<unsigned>(n));
}

// A queue holding at most `max_events` that nobody forwards from until the
// test runs `io`.
std::shared_ptr<queue> bounded(boost::asio::io_context& io,
                               std::shared_ptr<sink> dst,
                               overflow_policy policy, std::size_t max_events) {
  queue::options opts;
  opts.limits.max_events = max_events;
  opts.on_overflow = policy;
  return queue::create(io.get_executor(), std::move(dst), opts);
}

error_code io_error() {
  return boost::system::errc::make_error_code(boost::system::errc::io_error);
}

TEST_SUITE("queue") {
  TEST_CASE("write returns at once while the destination is stuck") {
    boost::asio::io_context io;
    auto dst = testing::slow_sink(std::chrono::hours(1));
    auto q = queue::create(io.get_executor(), dst);

    // Start forwarding so the first event is parked in the destination.
    REQUIRE_FALSE(q->write(make_event(0, 0)));
    REQUIRE(run_until(io, [&] { return q->size() == 0; }));

    auto start = std::chrono::steady_clock::now();
    for (int i = 1; i <= 1000; ++i) REQUIRE_FALSE(q->write(make_event(0, i)));
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    CHECK(q->size() == 1000);
    CHECK(dst->count() == 0);
  }

  TEST_CASE("events reach the destination in the order written") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = queue::create(io.get_executor(), dst);

    for (int i = 0; i < 100; ++i) REQUIRE_FALSE(q->write(make_event(0, i)));
    REQUIRE(run_until(io, [&] { return dst->count() == 100; }));

    auto events = dst->events();
    for (int i = 0; i < 100; ++i) CHECK(n_of(*events[i]) == i);
    CHECK(q->size() == 0);
    CHECK(q->bytes() == 0);
  }

  TEST_CASE("a queue whose last owner let go still forwards what it holds") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = queue::create(io.get_executor(), dst);
    std::weak_ptr<queue> weak = q;

    REQUIRE_FALSE(q->write(make_event(0, 1)));
    REQUIRE_FALSE(q->write(make_event(0, 2)));
    q.reset();

    REQUIRE(run_until(io, [&] { return dst->count() == 2; }));
    REQUIRE(run_until(io, [&] { return weak.expired(); }));
  }

  TEST_CASE("concurrent writers all arrive in per-writer order") {
    constexpr int writers = 1000;
    constexpr int per_writer = 5;
    constexpr std::size_t total = writers * per_writer;

    boost::asio::io_context io;
    auto guard = boost::asio::make_work_guard(io);
    // Slower than the writers: each forward waits on a timer.
    auto dst = testing::slow_sink(50us);
    auto q = queue::create(io.get_executor(), dst);
    std::thread runner([&] { io.run_for(60s); });

    std::atomic<int> refused{0};
    std::latch start(writers);
    std::vector<std::thread> threads;
    threads.reserve(writers);
    for (int w = 0; w < writers; ++w) {
      threads.emplace_back([&, w] {
        start.arrive_and_wait();
        for (int i = 0; i < per_writer; ++i) {
          if (q->write(make_event(w, i))) ++refused;
        }
      });
    }
    for (auto& t : threads) t.join();
    // Every writer is done before the destination has caught up.
    CHECK(dst->count() < total);

    bool all = dst->wait_for_count(total, 30s);
    guard.reset();
    io.stop();
    runner.join();

    CHECK(refused == 0);
    REQUIRE(all);
    std::vector<int> next(writers, 0);
    bool in_order = true;
    for (const auto& ev : dst->events()) {
      int w = writer_of(*ev);
      if (n_of(*ev) != next[w]) in_order = false;
      ++next[w];
    }
    CHECK(in_order);
    CHECK(dst->count() == total);
  }

  TEST_CASE("close flushes what is queued then closes the destination") {
    boost::asio::io_context io;
    auto dst = testing::slow_sink(1ms);
    auto q = queue::create(io.get_executor(), dst);

    for (int i = 0; i < 5; ++i) REQUIRE_FALSE(q->write(make_event(0, i)));
    REQUIRE_FALSE(q->close());
    CHECK(q->write(make_event(0, 5)) == errc::sink_closed);
    CHECK_FALSE(dst->closed());

    REQUIRE(run_until(io, [&] { return dst->closed(); }));
    std::vector<std::string> expected = {"event 0", "event 1", "event 2",
                                         "event 3", "event 4", "close"};
    CHECK(dst->log() == expected);
  }

  TEST_CASE("closing an idle queue closes the destination at once") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = queue::create(io.get_executor(), dst);

    REQUIRE_FALSE(q->close());
    CHECK(dst->closed());
    CHECK(q->close() == errc::sink_closed);
  }

  TEST_CASE("a write past the event limit fails and is reported once") {
    boost::asio::io_context io;  // not run: nothing leaves the queue
    auto dst = std::make_shared<recording_sink>();
    int full_calls = 0;
    queue::options opts;
    opts.limits.max_events = 3;
    opts.on_full = [&] { ++full_calls; };
    auto q = queue::create(io.get_executor(), dst, opts);

    for (int i = 0; i < 3; ++i) REQUIRE_FALSE(q->write(make_event(0, i)));
    CHECK(q->write(make_event(0, 3)) == errc::queue_full);
    CHECK(q->write(make_event(0, 4)) == errc::queue_full);
    CHECK(q->write(make_event(0, 5)) == errc::queue_full);
    CHECK(full_calls == 1);
    CHECK(q->size() == 3);
  }

  TEST_CASE("a write past the byte limit fails and is reported once") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    int full_calls = 0;
    event_ptr sample = make_event(0, 0);
    queue::options opts;
    opts.limits.max_bytes = 2 * sample->size();
    opts.on_full = [&] { ++full_calls; };
    auto q = queue::create(io.get_executor(), dst, opts);

    REQUIRE_FALSE(q->write(make_event(0, 1)));
    REQUIRE_FALSE(q->write(make_event(0, 2)));
    CHECK(q->bytes() == 2 * sample->size());
    CHECK(q->write(make_event(0, 3)) == errc::queue_full);
    CHECK(q->write(make_event(0, 4)) == errc::queue_full);
    CHECK(full_calls == 1);

    // Once the queue drains there is room again.
    REQUIRE(run_until(io, [&] { return dst->count() == 2; }));
    CHECK(q->bytes() == 0);
    CHECK_FALSE(q->write(make_event(0, 5)));
  }

  TEST_CASE("an empty queue takes one event larger than its byte limit") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    queue::options opts;
    opts.limits.max_bytes = 4;
    auto q = queue::create(io.get_executor(), dst, opts);

    CHECK_FALSE(q->write(make_event(0, 1)));
    CHECK(q->write(make_event(0, 2)) == errc::queue_full);
  }

  TEST_CASE("a refused forward is counted and the queue keeps going") {
    boost::asio::io_context io;
    recording_sink::options dst_opts;
    dst_opts.answer = [](const event& ev) {
      return n_of(ev) % 2 == 1 ? io_error() : error_code{};
    };
    auto dst = std::make_shared<recording_sink>(dst_opts);
    std::vector<std::pair<int, error_code>> errors;
    queue::options opts;
    opts.on_error = [&](const event_ptr& ev, error_code ec) {
      errors.emplace_back(n_of(*ev), ec);
    };
    auto q = queue::create(io.get_executor(), dst, opts);

    for (int i = 0; i < 6; ++i) REQUIRE_FALSE(q->write(make_event(0, i)));
    REQUIRE(run_until(io, [&] { return dst->attempts() == 6; }));

    CHECK(q->failures() == 3);
    REQUIRE(errors.size() == 3);
    CHECK(errors[0] == std::pair{1, io_error()});
    CHECK(errors[1] == std::pair{3, io_error()});
    CHECK(errors[2] == std::pair{5, io_error()});
    CHECK(dst->count() == 3);
  }

  TEST_CASE("a destination that closed is not counted as a failure") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    int error_calls = 0;
    queue::options opts;
    opts.on_error = [&](const event_ptr&, error_code) { ++error_calls; };
    auto q = queue::create(io.get_executor(), dst, opts);

    dst->close();
    REQUIRE_FALSE(q->write(make_event(0, 1)));
    REQUIRE(run_until(io, [&] { return dst->attempts() == 1; }));
    io.restart();
    io.poll();
    CHECK(q->failures() == 0);
    CHECK(error_calls == 0);
  }
  TEST_CASE("a destination that closed ends forwarding of what waits") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = queue::create(io.get_executor(), dst);

    dst->close();
    for (int i = 0; i < 100; ++i) REQUIRE_FALSE(q->write(make_event(0, i)));
    io.run();
    // One attempt told the queue; the other 99 were not tried.
    CHECK(dst->attempts() == 1);
    CHECK(q->size() == 0);
    CHECK(q->write(make_event(0, 100)) == errc::sink_closed);
  }

  TEST_CASE("abandon throws away what is queued and closes the destination") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = queue::create(io.get_executor(), dst);

    for (int i = 0; i < 5; ++i) REQUIRE_FALSE(q->write(make_event(0, i)));
    CHECK(q->abandon() == 5);
    CHECK(q->size() == 0);
    CHECK(q->bytes() == 0);
    CHECK(q->write(make_event(0, 5)) == errc::sink_closed);
    io.run();
    std::vector<std::string> expected = {"close"};
    CHECK(dst->log() == expected);
    CHECK(q->abandon() == 0);
  }

  TEST_CASE("abandoning an idle queue closes the destination at once") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = queue::create(io.get_executor(), dst);

    CHECK(q->abandon() == 0);
    CHECK(dst->closed());
    CHECK(q->close() == errc::sink_closed);
  }

  TEST_CASE("drop_oldest keeps the newest events and reports the loss first") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = bounded(io, dst, overflow_policy::drop_oldest, 3);

    for (int i = 1; i <= 7; ++i) CHECK_FALSE(q->write(numbered(i)));
    CHECK(q->size() == 3);
    CHECK(q->dropped() == 4);
    REQUIRE(run_until(io, [&] { return dst->count() == 3; }));

    CHECK(dst->log() == std::vector<std::string>{"lost 4 1-4", "event 5",
                                                 "event 6", "event 7"});
    CHECK(q->forwarded() == 3);
  }

  TEST_CASE("drop_newest keeps the oldest events and reports the loss after") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = bounded(io, dst, overflow_policy::drop_newest, 2);

    CHECK_FALSE(q->write(numbered(1)));
    CHECK_FALSE(q->write(numbered(2)));
    CHECK(q->write(numbered(3)) == errc::queue_full);
    CHECK(q->write(numbered(5)) == errc::queue_full);
    CHECK(q->size() == 2);
    REQUIRE(run_until(io, [&] { return dst->log().size() == 3; }));
    CHECK(dst->log() ==
          std::vector<std::string>{"event 1", "event 2", "lost 2 3-5"});

    // Once there is room again, later events flow with no further report.
    CHECK_FALSE(q->write(numbered(6)));
    REQUIRE(run_until(io, [&] { return dst->count() == 3; }));
    CHECK(dst->log().back() == "event 6");
    CHECK(q->dropped() == 2);
    CHECK(q->forwarded() == 3);
  }

  TEST_CASE("a loss under drop_newest precedes the next event taken") {
    boost::asio::io_context io;
    auto dst = testing::slow_sink(20ms);
    auto q = bounded(io, dst, overflow_policy::drop_newest, 1);

    // 1 is in flight, 2 waits, 3 and 4 are lost, then room for 5 is made
    // by forwarding 2 while the queue still holds the loss.
    CHECK_FALSE(q->write(numbered(1)));
    REQUIRE(run_until(io, [&] { return q->size() == 0; }));
    CHECK_FALSE(q->write(numbered(2)));
    CHECK(q->write(numbered(3)) == errc::queue_full);
    CHECK(q->write(numbered(4)) == errc::queue_full);
    REQUIRE(run_until(io, [&] { return dst->count() == 2; }));
    REQUIRE(run_until(io, [&] { return dst->log().size() == 3; }));
    CHECK_FALSE(q->write(numbered(5)));
    REQUIRE(run_until(io, [&] { return dst->count() == 3; }));
    CHECK(dst->log() == std::vector<std::string>{"event 1", "event 2",
                                                 "lost 2 3-4", "event 5"});
  }

  TEST_CASE("drop_oldest makes room by bytes as well as by events") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    queue::options opts;
    opts.limits.max_bytes = 2 * numbered(1)->size();
    opts.on_overflow = overflow_policy::drop_oldest;
    auto q = queue::create(io.get_executor(), dst, opts);

    for (int i = 1; i <= 5; ++i) CHECK_FALSE(q->write(numbered(i)));
    CHECK(q->size() == 2);
    CHECK(q->bytes() <= opts.limits.max_bytes);
    REQUIRE(run_until(io, [&] { return dst->count() == 2; }));
    CHECK(dst->log() ==
          std::vector<std::string>{"lost 3 1-3", "event 4", "event 5"});
  }

  TEST_CASE("refused writes are counted as dropped") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = bounded(io, dst, overflow_policy::refuse, 1);

    CHECK_FALSE(q->write(numbered(1)));
    CHECK(q->write(numbered(2)) == errc::queue_full);
    CHECK(q->dropped() == 1);
    REQUIRE(run_until(io, [&] { return dst->count() == 1; }));
    CHECK(q->forwarded() == 1);
    CHECK(dst->log() == std::vector<std::string>{"event 1"});
  }

  TEST_CASE("backfilled events go first and do not count against the limit") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = bounded(io, dst, overflow_policy::refuse, 2);

    for (int i = 1; i <= 5; ++i) REQUIRE_FALSE(q->backfill(numbered(i)));
    CHECK_FALSE(q->write(numbered(6)));
    CHECK_FALSE(q->write(numbered(7)));
    CHECK(q->write(numbered(8)) == errc::queue_full);
    CHECK(q->size() == 7);
    REQUIRE(run_until(io, [&] { return dst->count() == 7; }));

    auto events = dst->events();
    for (int i = 0; i < 7; ++i) CHECK(n_of(*events[i]) == i + 1);
    CHECK(q->dropped() == 1);
  }

  TEST_CASE("drop_oldest throws away live events and keeps the backfill") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = bounded(io, dst, overflow_policy::drop_oldest, 2);

    REQUIRE_FALSE(q->backfill(numbered(1)));
    REQUIRE_FALSE(q->backfill(numbered(2)));
    for (int i = 3; i <= 6; ++i) CHECK_FALSE(q->write(numbered(i)));
    REQUIRE(run_until(io, [&] { return dst->count() == 4; }));
    CHECK(dst->log() == std::vector<std::string>{"event 1", "event 2",
                                                 "lost 2 3-4", "event 5",
                                                 "event 6"});
  }

  TEST_CASE("high_water keeps the deepest backlog after it drains") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = bounded(io, dst, overflow_policy::drop_oldest, 3);

    CHECK(q->high_water() == 0);
    REQUIRE_FALSE(q->backfill(numbered(1)));
    REQUIRE_FALSE(q->write(numbered(2)));
    CHECK(q->high_water() == 2);
    for (int i = 3; i <= 6; ++i) REQUIRE_FALSE(q->write(numbered(i)));
    CHECK(q->size() == 4);
    CHECK(q->high_water() == 4);
    REQUIRE(run_until(io, [&] { return q->idle(); }));
    CHECK(q->size() == 0);
    CHECK(q->high_water() == 4);
  }

  TEST_CASE("abandon throws away backfilled events too") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    auto q = bounded(io, dst, overflow_policy::refuse, 2);

    REQUIRE_FALSE(q->backfill(numbered(1)));
    REQUIRE_FALSE(q->write(numbered(2)));
    CHECK(q->abandon() == 2);
    CHECK(q->backfill(numbered(3)) == errc::sink_closed);
    REQUIRE(run_until(io, [&] { return dst->closed(); }));
    CHECK(dst->count() == 0);
  }
}

}  // namespace
}  // namespace evd::core
