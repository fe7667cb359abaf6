#include "core/retrying_sink.hpp"

#include <atomic>
#include <memory>

#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>
#include <boost/system/errc.hpp>

#include "recording_sink.hpp"

namespace evd::core {
namespace {

using namespace std::chrono_literals;

using testing::make_event;
using testing::outcome;
using testing::recording_sink;
using testing::run_until;
using testing::spawn_result;

const error_code failed =
    boost::system::errc::make_error_code(boost::system::errc::io_error);

// A destination that refuses the first `failures` attempts.
std::shared_ptr<recording_sink> flaky(int failures) {
  auto left = std::make_shared<std::atomic<int>>(failures);
  recording_sink::options opts;
  opts.answer = [left](const event&) {
    return left->fetch_sub(1) > 0 ? failed : error_code{};
  };
  return std::make_shared<recording_sink>(opts);
}

// Drops every event after its first failure.
class dropping_strategy : public retry_strategy {
 public:
  retry_clock::duration proceed(const event&) override {
    return retry_clock::duration::zero();
  }
  bool failure(const event&, error_code) override { return true; }
  void success(const event&) override {}
};

// Writes one event through a destination that fails five times and checks
// that `strategy` paces the retries to a success.
void check_retries_until_success(std::shared_ptr<retry_strategy> strategy) {
  boost::asio::io_context io;
  auto dst = flaky(5);
  retrying_sink s(dst, std::move(strategy));

  outcome<error_code> result;
  spawn_result(io, s.async_write(make_event(0, 1)), result);
  REQUIRE(run_until(
      io, [&] { return result.done; }, 5s));

  CHECK_FALSE(result.value);
  CHECK(dst->count() == 1);
  CHECK(dst->attempts() == 6);
}

TEST_SUITE("retrying_sink") {
  TEST_CASE("async_write retries a flaky destination until it succeeds") {
    SUBCASE("breaker") {
      check_retries_until_success(std::make_shared<breaker>(2, 1ms));
    }
    SUBCASE("exponential backoff") {
      check_retries_until_success(std::make_shared<exponential_backoff>(
          exponential_backoff::config{.base = 1ms, .factor = 1ms, .max = 4ms},
          3));
    }
  }

  TEST_CASE("async_write returns sink_closed when the destination is closed") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    retrying_sink s(dst, std::make_shared<breaker>(1, 1ms));
    dst->close();

    outcome<error_code> result;
    spawn_result(io, s.async_write(make_event(0, 1)), result);
    REQUIRE(run_until(
        io, [&] { return result.done; }, 1s));
    CHECK(result.value == errc::sink_closed);
    CHECK(dst->attempts() == 1);
  }

  TEST_CASE("a write waiting out a backoff gives up when the sink closes") {
    boost::asio::io_context io;
    auto dst = flaky(1000);
    retrying_sink s(dst, std::make_shared<breaker>(1, 20ms));

    outcome<error_code> result;
    spawn_result(io, s.async_write(make_event(0, 1)), result);
    REQUIRE(run_until(io, [&] { return dst->attempts() == 1; }));
    REQUIRE_FALSE(s.close());

    REQUIRE(run_until(
        io, [&] { return result.done; }, 1s));
    CHECK(result.value == errc::sink_closed);
    CHECK(dst->attempts() == 1);
  }

  TEST_CASE("an event the strategy drops completes without error") {
    boost::asio::io_context io;
    auto dst = flaky(1);
    retrying_sink s(dst, std::make_shared<dropping_strategy>());

    outcome<error_code> result;
    spawn_result(io, s.async_write(make_event(0, 1)), result);
    REQUIRE(run_until(
        io, [&] { return result.done; }, 1s));
    CHECK_FALSE(result.value);
    CHECK(dst->attempts() == 1);
    CHECK(dst->count() == 0);
  }

  TEST_CASE("write returns backing_off while the strategy holds back") {
    retry_clock::time_point now(1h);
    auto strategy = std::make_shared<breaker>(1, 10s, [&now] { return now; });
    auto dst = flaky(1);
    retrying_sink s(dst, strategy);

    CHECK(s.write(make_event(0, 1)) == failed);
    CHECK(s.write(make_event(0, 2)) == errc::backing_off);
    now += 9s;
    error_code ec = s.write(make_event(0, 3));
    CHECK(ec == errc::backing_off);
    CHECK(ec != errc::sink_closed);
    CHECK(dst->attempts() == 1);

    now += 1s;
    CHECK_FALSE(s.write(make_event(0, 4)));
    CHECK(dst->count() == 1);
    // The success reset the breaker.
    CHECK_FALSE(s.write(make_event(0, 5)));
  }

  TEST_CASE("close closes the destination") {
    auto dst = std::make_shared<recording_sink>();
    retrying_sink s(dst, std::make_shared<breaker>(1, 1s));

    REQUIRE_FALSE(s.close());
    CHECK(dst->closed());
    CHECK(s.write(make_event(0, 1)) == errc::sink_closed);
    CHECK(s.close() == errc::sink_closed);
    CHECK(dst->attempts() == 0);
  }
}

}  // namespace
}  // namespace evd::core
