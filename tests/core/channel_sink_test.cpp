#include "core/channel_sink.hpp"

#include <memory>

#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>

#include "recording_sink.hpp"

namespace evd::core {
namespace {

using namespace std::chrono_literals;

using testing::make_event;
using testing::n_of;
using testing::outcome;
using testing::run_until;
using testing::spawn_result;

// Takes one delivery without waiting; fails the test if there is none.
delivery take(delivery_channel& ch) {
  delivery got;
  bool taken = ch.try_receive([&](error_code ec, delivery d) {
    CHECK_FALSE(ec);
    got = std::move(d);
  });
  REQUIRE(taken);
  return got;
}

TEST_SUITE("channel_sink") {
  TEST_CASE("write hands the event to the consumer with the sink's token") {
    boost::asio::io_context io;
    auto ch = std::make_shared<delivery_channel>(io, 4);
    channel_sink s(ch, 7);
    event_ptr ev = make_event(0, 1);

    REQUIRE_FALSE(s.write(ev));
    delivery got = take(*ch);
    CHECK(got.token == 7);
    CHECK(got.event == ev);
    CHECK(s.token() == 7);
    CHECK(s.channel() == ch);
  }

  TEST_CASE("a synchronous write to a full channel fails with channel_full") {
    boost::asio::io_context io;
    auto ch = std::make_shared<delivery_channel>(io, 1);
    channel_sink s(ch, 1);

    REQUIRE_FALSE(s.write(make_event(0, 1)));
    error_code ec = s.write(make_event(0, 2));
    CHECK(ec == errc::channel_full);
    CHECK(ec != errc::sink_closed);

    take(*ch);
    CHECK_FALSE(s.write(make_event(0, 3)));
  }

  TEST_CASE("async_write waits for room and then delivers") {
    boost::asio::io_context io;
    auto ch = std::make_shared<delivery_channel>(io, 1);
    channel_sink s(ch, 1);
    REQUIRE_FALSE(s.write(make_event(0, 1)));

    outcome<error_code> sent;
    spawn_result(io, s.async_write(make_event(0, 2)), sent);
    CHECK_FALSE(run_until(
        io, [&] { return sent.done; }, 20ms));

    CHECK(n_of(*take(*ch).event) == 1);
    REQUIRE(run_until(io, [&] { return sent.done; }));
    CHECK_FALSE(sent.value);
    CHECK(n_of(*take(*ch).event) == 2);
  }

  TEST_CASE("closing an owned sink closes its channel") {
    boost::asio::io_context io;
    auto ch = std::make_shared<delivery_channel>(io, 4);
    channel_sink s(ch, 1, channel_sink::ownership::owned);
    REQUIRE_FALSE(s.write(make_event(0, 1)));

    REQUIRE_FALSE(s.close());
    CHECK_FALSE(ch->is_open());
    // Deliveries the consumer had not taken are gone.
    CHECK_FALSE(ch->try_receive([](error_code, delivery) {}));
    CHECK(s.write(make_event(0, 2)) == errc::sink_closed);
  }

  TEST_CASE("closing an owned sink ends a write waiting for room") {
    boost::asio::io_context io;
    auto ch = std::make_shared<delivery_channel>(io, 1);
    auto s = std::make_shared<channel_sink>(ch, 1);
    REQUIRE_FALSE(s->write(make_event(0, 1)));

    outcome<error_code> sent;
    spawn_result(io, s->async_write(make_event(0, 2)), sent);
    CHECK_FALSE(run_until(
        io, [&] { return sent.done; }, 20ms));

    REQUIRE_FALSE(s->close());
    REQUIRE(run_until(
        io, [&] { return sent.done; }, 1s));
    CHECK(sent.value == errc::sink_closed);
  }

  TEST_CASE("closing a shared sink leaves the channel open for others") {
    boost::asio::io_context io;
    auto ch = std::make_shared<delivery_channel>(io, 4);
    channel_sink first(ch, 1, channel_sink::ownership::shared);
    channel_sink second(ch, 2, channel_sink::ownership::shared);
    REQUIRE_FALSE(first.write(make_event(0, 1)));

    REQUIRE_FALSE(first.close());
    CHECK(ch->is_open());
    CHECK(first.write(make_event(0, 2)) == errc::sink_closed);
    REQUIRE_FALSE(second.write(make_event(0, 3)));

    CHECK(take(*ch).token == 1);
    CHECK(take(*ch).token == 2);
  }

  TEST_CASE("a sink whose channel was closed by its consumer reports closed") {
    boost::asio::io_context io;
    auto ch = std::make_shared<delivery_channel>(io, 4);
    channel_sink s(ch, 1, channel_sink::ownership::shared);
    ch->close();

    CHECK(s.write(make_event(0, 1)) == errc::sink_closed);
    outcome<error_code> sent;
    spawn_result(io, s.async_write(make_event(0, 2)), sent);
    REQUIRE(run_until(io, [&] { return sent.done; }));
    CHECK(sent.value == errc::sink_closed);
  }
}

}  // namespace
}  // namespace evd::core
