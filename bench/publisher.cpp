#include "bench/publisher.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "bench/frame.hpp"

namespace evd::bench {
namespace {

namespace asio = boost::asio;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Bytes formatted per write: large enough that system calls are not the
// publisher's cost, small enough that a batch shares one timestamp without
// skewing latency much.
constexpr std::size_t batch_bytes = 64 * 1024;

// How often a publisher held back by the window looks again. Small next to
// the time a window of events takes to drain, so it costs no throughput.
constexpr auto window_poll = std::chrono::microseconds(100);

// Publish request overhead around the event: op, id and braces.
constexpr std::size_t request_overhead = 40;

}  // namespace

publisher::publisher(asio::any_io_executor strand, const wire& speaks,
                     const event_source& source, options opts,
                     std::function<std::uint64_t()> slowest)
    : socket_(strand),
      wake_(strand),
      wire_(speaks),
      source_(source),
      opts_(std::move(opts)),
      slowest_(std::move(slowest)),
      batch_(std::max<std::uint64_t>(
          1, batch_bytes / (source.max_size() + request_overhead))) {}

asio::awaitable<void> publisher::connect(const proto::address& where) {
  co_await async_connect(socket_, where);
  std::string hello;
  wire_.append_hello(hello);
  if (!hello.empty()) {
    co_await asio::async_write(socket_, asio::buffer(hello),
                               asio::use_awaitable);
  }
}

asio::awaitable<void> publisher::write_loop() {
  outcome_.started = clock::now();
  std::string out;
  std::string event;
  std::uint64_t next = 0;

  while (next < opts_.events && !done_) {
    std::uint64_t limit = sendable(next);
    if (limit <= next) {
      co_await wait_for_room(next);
      continue;
    }

    // One timestamp per batch, taken before formatting: events late in a
    // batch are charged the formatting time, which errs on the slow side.
    out.clear();
    std::int64_t now = steady_now_ns();
    for (std::uint64_t n = next; n < limit; ++n) {
      event.clear();
      source_.append(event, n, now);
      wire_.append_publish(out, opts_.topic, event, n, n + 1 == opts_.events);
    }
    auto [ec, _] =
        co_await asio::async_write(socket_, asio::buffer(out), as_result);
    if (ec) {
      // Closing wakes the reader, which ends the publisher.
      fail("write failed: " + ec.message());
      boost::system::error_code ignored;
      socket_.close(ignored);
      co_return;
    }
    next = limit;
  }
  if (next == opts_.events && wire_.half_close_after_last()) {
    boost::system::error_code ignored;
    socket_.shutdown(socket_type::shutdown_send, ignored);
  }
}

std::uint64_t publisher::sendable(std::uint64_t next) const {
  std::uint64_t limit = std::min(opts_.events, next + batch_);
  if (opts_.window > 0) limit = std::min(limit, slowest_() + opts_.window);
  if (opts_.rate > 0) {
    std::chrono::duration<double> elapsed = clock::now() - outcome_.started;
    auto due = static_cast<std::uint64_t>(elapsed.count() * opts_.rate) + 1;
    limit = std::min(limit, due);
  }
  return limit;
}

// Sleeps until event `next` is due when pacing holds it back, otherwise
// (the window holds it back) for one poll interval.
asio::awaitable<void> publisher::wait_for_room(std::uint64_t next) {
  auto at = clock::now() + window_poll;
  if (opts_.rate > 0) {
    std::chrono::duration<double> offset(static_cast<double>(next) /
                                         opts_.rate);
    auto due =
        outcome_.started + std::chrono::duration_cast<clock::duration>(offset);
    if (due > clock::now()) at = due;
  }
  wake_.expires_at(at);
  co_await wake_.async_wait(as_result);
}

asio::awaitable<bool> publisher::read_loop() {
  auto replies = wire_.make_decoder(1 << 20, parse_mode::dom);
  std::vector<char> chunk(64 * 1024);
  std::uint64_t owed = wire_.publish_confirms(opts_.events);

  while (!done_) {
    message m = replies->next();
    switch (m.what) {
      case message::kind::confirm:
        if (--owed == 0) {
          outcome_.acked = clock::now();
          done_ = true;
        }
        continue;
      case message::kind::ping:
        // Runs end long before nats-server's ping interval (two minutes)
        // and its two unanswered pings, and the write loop owns the
        // socket's sending side, so the publisher does not answer.
        continue;
      case message::kind::failure:
        ++outcome_.errors;
        fail("the broker refused a publish: " + m.text);
        continue;
      case message::kind::event:
      case message::kind::too_long:
        fail("unexpected reply to the publisher: " + m.text);
        continue;
      case message::kind::need_more:
        break;
    }

    auto [ec, n] =
        co_await socket_.async_read_some(asio::buffer(chunk), as_result);
    if (ec) {
      fail("connection ended before the last publish was confirmed");
      break;
    }
    replies->append({chunk.data(), n});
  }
  boost::system::error_code ignored;
  socket_.close(ignored);
  wake_.cancel();
  co_return outcome_.acked != clock::time_point{} && outcome_.failure.empty();
}

void publisher::stop(std::string why) {
  asio::post(socket_.get_executor(), [this, why = std::move(why)] {
    if (!done_) fail(why);
    done_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
    wake_.cancel();
  });
}

void publisher::fail(std::string why) {
  if (outcome_.failure.empty()) outcome_.failure = std::move(why);
}

}  // namespace evd::bench
