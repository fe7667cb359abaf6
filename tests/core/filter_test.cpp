#include "core/filter.hpp"

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
using testing::recording_sink;
using testing::run_until;
using testing::spawn_result;

bool even(const event& ev) { return n_of(ev) % 2 == 0; }

TEST_SUITE("filter") {
  TEST_CASE("only matching events reach the destination") {
    auto dst = std::make_shared<recording_sink>();
    filter f(dst, even);

    for (int i = 0; i < 10; ++i) CHECK_FALSE(f.write(make_event(0, i)));
    auto events = dst->events();
    REQUIRE(events.size() == 5);
    for (int i = 0; i < 5; ++i) CHECK(n_of(*events[i]) == 2 * i);
    CHECK(dst->attempts() == 5);
  }

  TEST_CASE("async_write forwards only matching events") {
    boost::asio::io_context io;
    auto dst = std::make_shared<recording_sink>();
    filter f(dst, even);

    outcome<error_code> rejected;
    outcome<error_code> accepted;
    spawn_result(io, f.async_write(make_event(0, 1)), rejected);
    spawn_result(io, f.async_write(make_event(0, 2)), accepted);
    REQUIRE(run_until(io, [&] { return rejected.done && accepted.done; }));

    CHECK_FALSE(rejected.value);
    CHECK_FALSE(accepted.value);
    REQUIRE(dst->count() == 1);
    CHECK(n_of(*dst->events()[0]) == 2);
  }

  TEST_CASE("the destination's refusal comes back to the writer") {
    auto dst = std::make_shared<recording_sink>();
    filter f(dst, even);
    dst->close();

    CHECK(f.write(make_event(0, 2)) == errc::sink_closed);
  }

  TEST_CASE("close closes the destination") {
    auto dst = std::make_shared<recording_sink>();
    filter f(dst, even);

    REQUIRE_FALSE(f.close());
    CHECK(dst->closed());
    CHECK(f.write(make_event(0, 2)) == errc::sink_closed);
    CHECK(f.write(make_event(0, 1)) == errc::sink_closed);
    CHECK(f.close() == errc::sink_closed);
  }
}

}  // namespace
}  // namespace evd::core
