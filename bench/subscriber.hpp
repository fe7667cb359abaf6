// One subscribing connection of evd_bench: it subscribes, then reads every
// event of the run and checks that each arrives exactly once and in order,
// recording its latency. It speaks whichever broker's wire it is given.
// Each subscriber runs on its own strand, which owns every member except
// the progress counter.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "bench/connect.hpp"
#include "bench/frame.hpp"
#include "bench/stats.hpp"
#include "bench/wire.hpp"
#include "proto/address.hpp"

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
    std::string name;          // for reports
    std::uint64_t events = 0;  // how many the publisher sends
    parse_mode parse = parse_mode::sax;
    std::size_t max_message = 1 << 20;
    std::size_t read_chunk = 256 * 1024;  // bytes per read
  };

  // `strand` must be a strand: the subscriber's coroutines run on it.
  // `speaks` must outlive the subscriber.
  subscriber(boost::asio::any_io_executor strand, const wire& speaks,
             options opts);

  // Connects and makes `subs`, returning once the broker confirmed every
  // one. Throws std::exception on a refusal or a broken connection. Must
  // run on the strand.
  boost::asio::awaitable<void> subscribe(const proto::address& where,
                                         std::span<const subscription> subs);

  // Reads until the last event (n = events - 1) arrives, the broker closes
  // the subscription or the connection, or stop() is called; any early
  // end is recorded in result().failure. Never throws for those.
  boost::asio::awaitable<void> read_loop();

  // For a decoy, whose read_loop() never runs: empty if the connection is
  // open and nothing arrived after subscribe(), else what went wrong. Call
  // it only once the I/O threads have stopped.
  std::string check_silent();

  // Ends the subscriber, recording `why` unless it had already finished.
  // Thread-safe.
  void stop(std::string why);

  // The highest n received plus one; `events` once the subscriber has
  // finished or failed, so that it no longer holds the publisher back.
  // Thread-safe.
  std::uint64_t progress() const noexcept {
    return progress_.load(std::memory_order_relaxed);
  }

  // The subscriber's strand.
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }

  // Read it only after read_loop() has returned.
  const tally& result() const noexcept { return tally_; }

 private:
  // Reads what is available; false when the connection has ended.
  boost::asio::awaitable<bool> read_more();

  // Reads until `owed` confirms arrived; throws on anything else.
  boost::asio::awaitable<void> await_confirms(std::uint64_t owed);

  boost::asio::awaitable<void> pong();
  void count(const event_frame& f, std::int64_t now_ns);
  void finish(std::string failure);

  socket_type socket_;
  const wire& wire_;
  options opts_;
  std::unique_ptr<decoder> decoder_;
  std::vector<char> chunk_;
  std::vector<bool> seen_;
  std::uint64_t next_n_ = 0;    // highest n seen + 1
  std::uint64_t last_seq_ = 0;  // the previous frame's seq, if it had one
  bool done_ = false;
  tally tally_;
  std::atomic<std::uint64_t> progress_{0};
};

}  // namespace evd::bench
