#include "core/watch.hpp"

#include <memory>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>

#include "recording_sink.hpp"

namespace evd::core {
namespace {

using namespace std::chrono_literals;

using testing::make_event;
using testing::n_of;
using testing::run_until;

bool even(const event& ev) { return n_of(ev) % 2 == 0; }

// Takes what the stream holds right now, without waiting.
std::vector<delivery> take_all(delivery_channel& stream) {
  std::vector<delivery> got;
  while (stream.try_receive([&](error_code ec, delivery d) {
    if (!ec) got.push_back(std::move(d));
  })) {
  }
  return got;
}

// Runs `io` until `n` deliveries were taken from `stream`.
std::vector<delivery> receive(boost::asio::io_context& io,
                              delivery_channel& stream, std::size_t n) {
  std::vector<delivery> got;
  run_until(io, [&] {
    for (auto& d : take_all(stream)) got.push_back(std::move(d));
    return got.size() >= n;
  });
  return got;
}

TEST_SUITE("watch") {
  TEST_CASE("a watcher receives the matching events in order") {
    boost::asio::io_context io;
    broadcaster source;
    watch_handle h = watch(source, io.get_executor(), even);
    CHECK(source.size() == 1);

    for (int i = 0; i < 20; ++i) REQUIRE_FALSE(source.write(make_event(0, i)));
    auto got = receive(io, *h.stream, 10);
    REQUIRE(got.size() == 10);
    for (int i = 0; i < 10; ++i) {
      CHECK(got[i].token == 0);
      CHECK(n_of(*got[i].event) == 2 * i);
    }
    h.cancel();
  }

  TEST_CASE("a watcher without a matcher receives every event") {
    boost::asio::io_context io;
    broadcaster source;
    watch_handle h = watch(source, io.get_executor(), nullptr);

    for (int i = 0; i < 5; ++i) REQUIRE_FALSE(source.write(make_event(0, i)));
    CHECK(receive(io, *h.stream, 5).size() == 5);
    h.cancel();
  }

  TEST_CASE("nothing is received after cancel even what was queued") {
    boost::asio::io_context io;
    broadcaster source;
    watch_options opts;
    opts.channel_capacity = 2;
    watch_handle h = watch(source, io.get_executor(), nullptr, opts);

    // Two events wait in the stream and the rest in the queue behind it.
    for (int i = 0; i < 6; ++i) REQUIRE_FALSE(source.write(make_event(0, i)));
    run_until(
        io, [] { return false; }, 20ms);

    h.cancel();
    CHECK(source.size() == 0);
    CHECK_FALSE(h.stream->is_open());
    CHECK(take_all(*h.stream).empty());

    REQUIRE_FALSE(source.write(make_event(0, 6)));
    run_until(
        io, [] { return false; }, 20ms);
    CHECK(take_all(*h.stream).empty());
  }

  TEST_CASE("cancel is idempotent and safe from several threads") {
    boost::asio::io_context io;
    broadcaster source;
    watch_handle h = watch(source, io.get_executor(), nullptr);
    REQUIRE_FALSE(source.write(make_event(0, 0)));

    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) threads.emplace_back([&] { h.cancel(); });
    for (auto& t : threads) t.join();
    h.cancel();

    CHECK(source.size() == 0);
    CHECK_FALSE(h.stream->is_open());
    run_until(
        io, [] { return false; }, 10ms);
    CHECK(take_all(*h.stream).empty());
  }

  TEST_CASE("a cancelled watcher lets go of its stream") {
    boost::asio::io_context io;
    broadcaster source;
    watch_options opts;
    opts.channel_capacity = 1;
    watch_handle h = watch(source, io.get_executor(), nullptr, opts);
    std::weak_ptr<delivery_channel> stream = h.stream;

    // The queue's forwarder ends up waiting for room in the full stream.
    for (int i = 0; i < 4; ++i) REQUIRE_FALSE(source.write(make_event(0, i)));
    run_until(
        io, [] { return false; }, 20ms);

    h.cancel();
    h = {};
    CHECK(run_until(
        io, [&] { return stream.expired(); }, 1s));
  }

  TEST_CASE("a watcher past its limit gets its stream closed") {
    boost::asio::io_context io;
    broadcaster source;
    watch_options opts;
    opts.limits.max_events = 3;
    opts.channel_capacity = 2;
    watch_handle slow = watch(source, io.get_executor(), nullptr, opts);
    watch_handle fast = watch(source, io.get_executor(), nullptr, opts);

    // Nobody reads `slow`: two events fill its stream, three its queue,
    // and the next overflows it.
    std::size_t fast_got = 0;
    for (int i = 0; i < 10; ++i) {
      REQUIRE_FALSE(source.write(make_event(0, i)));
      fast_got += receive(io, *fast.stream, 1).size();
    }

    CHECK_FALSE(slow.stream->is_open());
    CHECK(take_all(*slow.stream).empty());
    CHECK(fast.stream->is_open());
    CHECK(fast_got == 10);
    slow.cancel();
    fast.cancel();
  }
}

}  // namespace
}  // namespace evd::core
