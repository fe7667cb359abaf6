// One subscribing connection of evd_bench: it subscribes, then reads every
// event of the run and checks that each arrives exactly once and in order,
// recording its latency. Each subscriber runs on its own strand, which owns
// every member except the progress counter.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "bench/connect.hpp"
#include "bench/frame.hpp"
#include "bench/stats.hpp"
#include "proto/address.hpp"
#include "proto/line_splitter.hpp"

namespace evd::bench {

// What one subscriber saw. lost = events - unique.
struct tally {
  std::uint64_t received = 0;    // event frames of bench events
  std::uint64_t unique = 0;      // distinct n among them
  std::uint64_t duplicates = 0;  // frames whose n had arrived before
  std::uint64_t reordered = 0;   // frames behind a higher n or seq
  std::uint64_t foreign = 0;     // frames with an n this run never sent
  std::string failure;           // why it ended early; empty if it did not
  std::chrono::steady_clock::time_point last_event{};
  latency_histogram latency;
};

class subscriber {
 public:
  struct options {
    std::string name;          // the subscription's name on the wire
    std::uint64_t events = 0;  // how many the publisher sends
    parse_mode parse = parse_mode::sax;
    std::size_t max_line = 1 << 20;
  };

  // `strand` must be a strand: the subscriber's coroutines run on it.
  subscriber(boost::asio::any_io_executor strand, options opts);

  // Connects and subscribes with `filters` (a JSON array, possibly empty),
  // returning once evd confirmed. Throws std::exception on a refusal or a
  // broken connection. Must run on the strand.
  boost::asio::awaitable<void> subscribe(const proto::address& where,
                                         const nlohmann::json& filters);

  // Reads until the last event (n = events - 1) arrives, the subscription
  // is closed by evd, the connection ends or stop() is called; any early
  // end is recorded in result().failure. Never throws for those.
  boost::asio::awaitable<void> read_loop();

  // Ends the subscriber, recording `why` unless it had already finished.
  // Thread-safe.
  void stop(std::string why);

  // The highest n received plus one; `events` once the subscriber has
  // finished or failed, so that it no longer holds the publisher back.
  // Thread-safe.
  std::uint64_t progress() const noexcept {
    return progress_.load(std::memory_order_relaxed);
  }

  // Read it only after read_loop() has returned.
  const tally& result() const noexcept { return tally_; }

 private:
  // Reads what is available; false when the connection has ended.
  boost::asio::awaitable<bool> read_more();

  void handle_line(std::string_view line);
  void count(const event_frame& f, std::int64_t now_ns);
  void handle_notice(std::string_view line);
  void finish(std::string failure);

  socket_type socket_;
  options opts_;
  proto::line_splitter lines_;
  std::vector<char> chunk_;
  std::vector<bool> seen_;
  std::uint64_t next_n_ = 0;    // highest n seen + 1
  std::uint64_t last_seq_ = 0;  // evd's seq of the previous frame
  bool done_ = false;
  tally tally_;
  std::atomic<std::uint64_t> progress_{0};
};

}  // namespace evd::bench
