#include "bench/subscriber.hpp"

#include <array>
#include <stdexcept>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace evd::bench {
namespace {

namespace asio = boost::asio;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Subscriptions per request write: many decoys share a connection, and
// waiting for each batch's confirms keeps both sides' socket buffers from
// filling while neither reads.
constexpr std::size_t subscribe_batch = 256;

}  // namespace

subscriber::subscriber(asio::any_io_executor strand, const wire& speaks,
                       options opts)
    : socket_(std::move(strand)),
      wire_(speaks),
      opts_(std::move(opts)),
      decoder_(wire_.make_decoder(opts_.max_message, opts_.parse)),
      chunk_(opts_.read_chunk),
      seen_(opts_.events, false) {}

asio::awaitable<void> subscriber::subscribe(
    const proto::address& where, std::span<const subscription> subs) {
  co_await async_connect(socket_, where);
  std::string out;
  wire_.append_hello(out);
  std::size_t made = 0;
  do {
    auto part =
        subs.subspan(made, std::min(subscribe_batch, subs.size() - made));
    std::uint64_t owed = wire_.append_subscribe(out, part);
    if (!out.empty()) {
      co_await asio::async_write(socket_, asio::buffer(out),
                                 asio::use_awaitable);
      out.clear();
    }
    co_await await_confirms(owed);
    made += part.size();
  } while (made < subs.size());
}

// Nothing but confirms can arrive here: no event matches a subscription
// the broker has not confirmed, and the run publishes only afterwards.
asio::awaitable<void> subscriber::await_confirms(std::uint64_t owed) {
  while (owed > 0) {
    message m = decoder_->next();
    switch (m.what) {
      case message::kind::confirm:
        --owed;
        break;
      case message::kind::ping:
        co_await pong();
        break;
      case message::kind::need_more:
        if (!co_await read_more()) {
          throw std::runtime_error("connection of " + opts_.name +
                                   " ended before its confirm");
        }
        break;
      case message::kind::event:
        m.text = "an event came before the confirm";
        [[fallthrough]];
      default:
        throw std::runtime_error(opts_.name + " refused: " + m.text);
    }
  }
}

asio::awaitable<void> subscriber::read_loop() {
  while (!done_) {
    message m = decoder_->next();
    switch (m.what) {
      case message::kind::event:
        count(m.frame, steady_now_ns());
        break;
      case message::kind::need_more:
        if (!co_await read_more()) finish("connection ended");
        break;
      case message::kind::ping:
        co_await pong();
        break;
      case message::kind::confirm:
        finish("unexpected confirm");
        break;
      case message::kind::failure:
      case message::kind::too_long:
        // The broker gave up on us, or sent what we cannot follow.
        finish(std::move(m.text));
        break;
    }
  }
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void subscriber::stop(std::string why) {
  asio::post(socket_.get_executor(), [this, why = std::move(why)] {
    finish(why);
    boost::system::error_code ignored;
    socket_.close(ignored);
  });
}

std::string subscriber::check_silent() {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  std::array<char, 160> buf;
  std::size_t n = socket_.read_some(asio::buffer(buf), ec);
  if (ec == asio::error::would_block) return {};
  if (ec) return "connection ended: " + ec.message();
  return "received " + excerpt({buf.data(), n});
}

asio::awaitable<bool> subscriber::read_more() {
  auto [ec, n] =
      co_await socket_.async_read_some(asio::buffer(chunk_), as_result);
  if (ec) co_return false;
  decoder_->append({chunk_.data(), n});
  co_return true;
}

// The read loop is the connection's only writer once subscribed, so the
// pong needs no queue.
asio::awaitable<void> subscriber::pong() {
  std::string out;
  wire_.append_pong(out);
  if (out.empty()) co_return;
  co_await asio::async_write(socket_, asio::buffer(out), as_result);
}

void subscriber::count(const event_frame& f, std::int64_t now_ns) {
  if (f.n >= opts_.events) {
    ++tally_.foreign;  // another publisher shares the broker
    return;
  }
  ++tally_.received;
  tally_.last_event = std::chrono::steady_clock::now();
  tally_.latency.record(now_ns - f.sent_ns);

  if (seen_[f.n]) {
    ++tally_.duplicates;
  } else {
    seen_[f.n] = true;
    ++tally_.unique;
    bool seq_behind = f.seq != 0 && f.seq <= last_seq_;
    if (f.n < next_n_ || seq_behind) ++tally_.reordered;
  }
  if (f.n >= next_n_) {
    next_n_ = f.n + 1;
    progress_.store(next_n_, std::memory_order_relaxed);
  }
  last_seq_ = std::max(last_seq_, f.seq);

  // Every broker here delivers one publisher's events in order, so the
  // last event ends the run for us; any gap before it shows up as lost.
  if (f.n + 1 == opts_.events) finish({});
}

void subscriber::finish(std::string failure) {
  if (done_) return;
  done_ = true;
  tally_.failure = std::move(failure);
  progress_.store(opts_.events, std::memory_order_relaxed);
}

}  // namespace evd::bench
