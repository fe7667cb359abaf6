#include "bench/subscriber.hpp"

#include <stdexcept>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace evd::bench {
namespace {

namespace asio = boost::asio;
using json = nlohmann::json;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Large reads keep system calls per event low when evd batches writes.
constexpr std::size_t read_chunk = 256 * 1024;

}  // namespace

subscriber::subscriber(asio::any_io_executor strand, options opts)
    : socket_(std::move(strand)),
      opts_(std::move(opts)),
      lines_(opts_.max_line),
      chunk_(read_chunk),
      seen_(opts_.events, false) {}

asio::awaitable<void> subscriber::subscribe(const proto::address& where,
                                            const json& filters) {
  co_await async_connect(socket_, where);
  json req = {{"op", "sub"}, {"id", 1}, {"sub", opts_.name}};
  if (!filters.empty()) req["filters"] = filters;
  std::string line = req.dump() + "\n";
  co_await asio::async_write(socket_, asio::buffer(line), asio::use_awaitable);

  // Nothing but the reply can arrive before the ok: no event matches a
  // subscription evd has not confirmed.
  for (;;) {
    std::string_view reply;
    while (lines_.next(reply) == proto::line_splitter::status::line) {
      json msg = parse_line(reply);
      if (op_of(msg) == "ok" && msg["id"] == 1) co_return;
      throw std::runtime_error("subscription " + opts_.name +
                               " refused: " + excerpt(reply));
    }
    if (!co_await read_more()) {
      throw std::runtime_error("connection of subscription " + opts_.name +
                               " ended before its ok");
    }
  }
}

asio::awaitable<void> subscriber::read_loop() {
  while (!done_) {
    std::string_view line;
    auto status = proto::line_splitter::status::line;
    while (!done_ &&
           (status = lines_.next(line)) == proto::line_splitter::status::line) {
      handle_line(line);
    }
    if (done_) break;
    if (status == proto::line_splitter::status::too_long) {
      finish("a line from evd exceeded " + std::to_string(opts_.max_line) +
             " bytes");
      break;
    }
    if (!co_await read_more()) {
      finish("connection ended");
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

asio::awaitable<bool> subscriber::read_more() {
  auto [ec, n] =
      co_await socket_.async_read_some(asio::buffer(chunk_), as_result);
  if (ec) co_return false;
  lines_.append({chunk_.data(), n});
  co_return true;
}

void subscriber::handle_line(std::string_view line) {
  auto frame = read_event_frame(line, opts_.parse);
  if (frame) {
    count(*frame, steady_now_ns());
  } else {
    handle_notice(line);
  }
}

void subscriber::count(const event_frame& f, std::int64_t now_ns) {
  if (f.n >= opts_.events) {
    ++tally_.foreign;  // another publisher shares the daemon
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
    if (f.n < next_n_ || f.seq <= last_seq_) ++tally_.reordered;
  }
  if (f.n >= next_n_) {
    next_n_ = f.n + 1;
    progress_.store(next_n_, std::memory_order_relaxed);
  }
  last_seq_ = std::max(last_seq_, f.seq);

  // evd delivers in order, so the last event ends the run for us; any
  // gap before it shows up as lost.
  if (f.n + 1 == opts_.events) finish({});
}

// Anything but an event frame ends the subscriber: a closed notice is the
// daemon giving up on it, and everything else is unexpected here.
void subscriber::handle_notice(std::string_view line) {
  json msg = parse_line(line);
  if (op_of(msg) == "closed") {
    auto reason = msg.find("reason");
    bool named = reason != msg.end() && reason->is_string();
    finish("closed reason=" + (named ? reason->get<std::string>() : "?"));
  } else {
    finish("unexpected line: " + excerpt(line));
  }
}

void subscriber::finish(std::string failure) {
  if (done_) return;
  done_ = true;
  tally_.failure = std::move(failure);
  progress_.store(opts_.events, std::memory_order_relaxed);
}

}  // namespace evd::bench
