// The publishing connection of evd_bench. It pipelines publishes in the
// broker's wire and waits for the confirms that prove the broker accepted
// every event (evd: the ok of the last publish, the only one with an id;
// nats: a PONG; redis: every PUBLISH's reply). The publisher runs on its
// own strand, which owns every member.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bench/connect.hpp"
#include "bench/event_source.hpp"
#include "bench/wire.hpp"
#include "proto/address.hpp"

namespace evd::bench {

class publisher {
 public:
  using clock = std::chrono::steady_clock;

  struct options {
    std::uint64_t events = 0;
    std::string topic;         // what the subscribers subscribed to
    double rate = 0;           // events per second; 0 = as fast as possible
    std::uint64_t window = 0;  // events ahead of the slowest subscriber
  };

  // What happened, for the report. Read only after both loops returned.
  struct outcome {
    clock::time_point started{};
    clock::time_point acked{};  // when the last confirm arrived
    std::uint64_t errors = 0;   // failure replies received
    std::string failure;        // first problem; empty if none
  };

  // `slowest` returns the lowest subscriber progress (see
  // subscriber::progress()); it is called on the publisher's strand and
  // must be thread-safe. `strand` must be a strand. `speaks` and `source`
  // must outlive the publisher.
  publisher(boost::asio::any_io_executor strand, const wire& speaks,
            const event_source& source, options opts,
            std::function<std::uint64_t()> slowest);

  // Connects; throws std::exception on failure. Must run on the strand.
  boost::asio::awaitable<void> connect(const proto::address& where);

  // Sends every event, paced by `rate` and held back by `window`.
  boost::asio::awaitable<void> write_loop();

  // Reads replies until the last confirm or the end of the connection.
  // True when every confirm arrived and nothing went wrong; problems are
  // recorded in result().failure.
  boost::asio::awaitable<bool> read_loop();

  // Closes the connection, recording `why` unless the run had ended.
  // Thread-safe.
  void stop(std::string why);

  const outcome& result() const noexcept { return outcome_; }

 private:
  // How many events may be sent by now: all, or fewer under pacing and
  // the window, never more than one batch.
  std::uint64_t sendable(std::uint64_t next) const;
  boost::asio::awaitable<void> wait_for_room(std::uint64_t next);
  void fail(std::string why);

  socket_type socket_;
  boost::asio::steady_timer wake_;
  const wire& wire_;
  const event_source& source_;
  options opts_;
  std::function<std::uint64_t()> slowest_;
  std::uint64_t batch_;  // events per write
  bool done_ = false;
  outcome outcome_;
};

}  // namespace evd::bench
