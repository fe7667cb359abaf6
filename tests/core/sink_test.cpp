#include "core/sink.hpp"

#include <memory>

#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>
#include <boost/system/errc.hpp>

#include "core/broadcaster.hpp"
#include "core/channel_sink.hpp"
#include "core/filter.hpp"
#include "core/queue.hpp"
#include "core/retry_strategy.hpp"
#include "core/retrying_sink.hpp"
#include "recording_sink.hpp"

namespace evd::core {
namespace {

using namespace std::chrono_literals;

using testing::make_event;
using testing::outcome;
using testing::recording_sink;
using testing::run_until;
using testing::spawn_result;

// A sink that answers every write with a fixed code and counts the calls.
class fixed_sink : public sink {
 public:
  explicit fixed_sink(error_code answer) : answer_(answer) {}
  error_code write(const event_ptr&) override {
    ++writes;
    return answer_;
  }
  error_code close() override { return {}; }
  int writes = 0;

 private:
  error_code answer_;
};

// Closes `s`, then checks that every way of writing to it, and a second
// close, fail with sink_closed and nothing else.
void check_refuses_after_close(boost::asio::io_context& io, sink& s) {
  REQUIRE_FALSE(s.close());
  event_ptr ev = make_event(0, 1);

  error_code ec = s.write(ev);
  CHECK(ec == errc::sink_closed);
  CHECK(ec != errc::queue_full);
  CHECK(ec != errc::channel_full);
  CHECK(ec != errc::backing_off);

  outcome<error_code> async;
  spawn_result(io, s.async_write(ev), async);
  REQUIRE(run_until(io, [&] { return async.done; }));
  CHECK(async.value == errc::sink_closed);

  CHECK(s.close() == errc::sink_closed);
}

TEST_SUITE("sink") {
  TEST_CASE("the default async_write completes with what write returns") {
    boost::asio::io_context io;
    error_code refusal =
        boost::system::errc::make_error_code(boost::system::errc::io_error);
    fixed_sink ok({});
    fixed_sink failing(refusal);

    outcome<error_code> first;
    outcome<error_code> second;
    spawn_result(io, ok.async_write(make_event(0, 1)), first);
    spawn_result(io, failing.async_write(make_event(0, 1)), second);
    REQUIRE(run_until(io, [&] { return first.done && second.done; }));

    CHECK_FALSE(first.value);
    CHECK(second.value == refusal);
    CHECK(ok.writes == 1);
    CHECK(failing.writes == 1);
  }

  TEST_CASE("every sink type refuses writes after close with sink_closed") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();

    SUBCASE("queue") {
      auto q = queue::create(io.get_executor(), dst);
      check_refuses_after_close(io, *q);
    }
    SUBCASE("owned channel sink") {
      auto ch = std::make_shared<delivery_channel>(io, 8);
      channel_sink s(ch, 1, channel_sink::ownership::owned);
      check_refuses_after_close(io, s);
    }
    SUBCASE("shared channel sink") {
      auto ch = std::make_shared<delivery_channel>(io, 8);
      channel_sink s(ch, 1, channel_sink::ownership::shared);
      check_refuses_after_close(io, s);
    }
    SUBCASE("broadcaster") {
      broadcaster b;
      REQUIRE_FALSE(b.add(dst));
      check_refuses_after_close(io, b);
    }
    SUBCASE("filter that accepts the event") {
      filter f(dst, [](const event&) { return true; });
      check_refuses_after_close(io, f);
    }
    SUBCASE("filter that rejects the event") {
      filter f(dst, [](const event&) { return false; });
      check_refuses_after_close(io, f);
    }
    SUBCASE("retrying sink") {
      retrying_sink r(dst, std::make_shared<breaker>(3, 1s));
      check_refuses_after_close(io, r);
    }
    CHECK(dst->count() == 0);
  }
}

}  // namespace
}  // namespace evd::core
