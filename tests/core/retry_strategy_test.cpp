#include "core/retry_strategy.hpp"

#include <vector>

#include <doctest/doctest.h>
#include <boost/system/errc.hpp>

namespace evd::core {
namespace {

using namespace std::chrono_literals;

// A clock that moves only when the test says so.
struct manual_clock {
  retry_clock::time_point now = retry_clock::time_point(1h);
  clock_source source() {
    return [this] { return now; };
  }
};

const event_ptr ev = event::make({{"n", 1}});
const error_code failed =
    boost::system::errc::make_error_code(boost::system::errc::io_error);

TEST_SUITE("retry_strategy") {
  TEST_CASE("a breaker lets writes through below its threshold") {
    manual_clock clock;
    breaker b(3, 10s, clock.source());

    CHECK(b.proceed(*ev) == 0s);
    CHECK_FALSE(b.failure(*ev, failed));
    CHECK_FALSE(b.failure(*ev, failed));
    CHECK(b.proceed(*ev) == 0s);
  }

  TEST_CASE("a breaker opens after threshold failures for backoff") {
    manual_clock clock;
    breaker b(3, 10s, clock.source());
    for (int i = 0; i < 3; ++i) CHECK_FALSE(b.failure(*ev, failed));

    CHECK(b.proceed(*ev) == 10s);
    clock.now += 4s;
    CHECK(b.proceed(*ev) == 6s);
    clock.now += 6s;
    CHECK(b.proceed(*ev) <= 0s);
    clock.now += 1h;
    CHECK(b.proceed(*ev) <= 0s);
  }

  TEST_CASE("a breaker measures its backoff from the last failure") {
    manual_clock clock;
    breaker b(2, 10s, clock.source());
    b.failure(*ev, failed);
    clock.now += 5s;
    b.failure(*ev, failed);
    CHECK(b.proceed(*ev) == 10s);

    // A try after the backoff fails again: the breaker stays open and the
    // wait starts over.
    clock.now += 10s;
    CHECK(b.proceed(*ev) <= 0s);
    b.failure(*ev, failed);
    CHECK(b.proceed(*ev) == 10s);
    clock.now += 3s;
    CHECK(b.proceed(*ev) == 7s);
  }

  TEST_CASE("a success resets the breaker") {
    manual_clock clock;
    breaker b(2, 10s, clock.source());
    b.failure(*ev, failed);
    b.failure(*ev, failed);
    REQUIRE(b.proceed(*ev) == 10s);

    b.success(*ev);
    CHECK(b.proceed(*ev) == 0s);
    b.failure(*ev, failed);
    CHECK(b.proceed(*ev) == 0s);
    b.failure(*ev, failed);
    CHECK(b.proceed(*ev) == 10s);
  }

  TEST_CASE("exponential backoff grows its ceiling up to the cap") {
    exponential_backoff::config cfg{.base = 1s, .factor = 1s, .max = 20s};
    exponential_backoff b(cfg);

    CHECK(b.ceiling(0) == 0s);
    CHECK(b.ceiling(1) == 2s);
    CHECK(b.ceiling(2) == 3s);
    CHECK(b.ceiling(3) == 5s);
    CHECK(b.ceiling(4) == 9s);
    CHECK(b.ceiling(5) == 17s);
    CHECK(b.ceiling(6) == 20s);
    CHECK(b.ceiling(40) == 20s);
    CHECK(b.ceiling(63) == 20s);
    CHECK(b.ceiling(1000) == 20s);
  }

  TEST_CASE("exponential backoff caps a ceiling that would overflow") {
    exponential_backoff::config cfg{
        .base = 1ms, .factor = 24h, .max = 365 * 24h};
    exponential_backoff b(cfg);
    for (unsigned n = 1; n < 70; ++n) {
      CHECK(b.ceiling(n) > 0s);
      CHECK(b.ceiling(n) <= cfg.max);
    }
    CHECK(b.ceiling(62) == cfg.max);
  }

  TEST_CASE("exponential backoff proceeds at once without failures") {
    exponential_backoff b({});
    CHECK(b.proceed(*ev) == 0s);
  }

  TEST_CASE("exponential backoff waits below the ceiling and never drops") {
    exponential_backoff::config cfg{.base = 1s, .factor = 1s, .max = 20s};
    exponential_backoff b(cfg, 7);

    for (unsigned n = 1; n <= 8; ++n) {
      CHECK_FALSE(b.failure(*ev, failed));
      bool spread = false;
      retry_clock::duration first = b.proceed(*ev);
      for (int i = 0; i < 200; ++i) {
        retry_clock::duration wait = b.proceed(*ev);
        CHECK(wait >= 0s);
        CHECK(wait < b.ceiling(n));
        if (wait != first) spread = true;
      }
      CHECK(spread);
    }
  }

  TEST_CASE("a success resets exponential backoff") {
    exponential_backoff b({}, 1);
    b.failure(*ev, failed);
    b.failure(*ev, failed);
    b.success(*ev);
    CHECK(b.proceed(*ev) == 0s);
  }

  TEST_CASE("exponential backoff with a seed repeats its jitter") {
    auto waits = [](std::uint64_t seed) {
      exponential_backoff b({}, seed);
      std::vector<retry_clock::duration> out;
      for (int i = 0; i < 10; ++i) {
        b.failure(*ev, failed);
        out.push_back(b.proceed(*ev));
      }
      return out;
    };
    CHECK(waits(42) == waits(42));
    CHECK(waits(42) != waits(43));
  }
}

}  // namespace
}  // namespace evd::core
