// How evd_bench's connections speak to the broker under test. A wire
// formats requests and makes one decoder per connection; the publisher and
// the subscribers drive any broker through this interface alone, so every
// broker gets the same workload, the same payload bytes and the same
// checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bench/frame.hpp"

namespace evd::bench {

// The brokers evd_bench can drive. `loopback` is no broker: the bench
// relays the publisher's bytes to the subscribers itself (see pump.hpp),
// which gives the ceiling for the other results.
enum class broker_kind { evd, nats, redis, loopback };

// The name used on command lines and in summaries.
std::string_view name_of(broker_kind kind);

// One subscription to make on a connection.
struct subscription {
  std::string name;   // evd's subscription name, nats' sid
  std::string topic;  // the event type (evd), subject (nats), channel (redis)
  // evd only: the filters; null means an exact match on type = topic.
  nlohmann::json filters;
  // A decoy expected to match nothing: evd gives it a small queue so that
  // many fit one connection's queue budget.
  bool decoy = false;
};

// One thing read from a broker.
struct message {
  enum class kind {
    need_more,  // no complete message buffered
    event,      // a bench event; `frame` holds it
    confirm,    // a subscription or a publish was acknowledged
    ping,       // the broker wants a pong (nats)
    failure,    // refused, closed or unexpected; `text` says what
    too_long,   // a message exceeded the limit; the stream is spent
  };
  kind what = kind::need_more;
  event_frame frame;
  std::string text;
};

// Splits a connection's byte stream into messages. Not thread-safe: one per
// connection, owned by its strand.
class decoder {
 public:
  virtual ~decoder() = default;

  // Appends bytes read from the connection.
  virtual void append(std::string_view bytes) = 0;

  // The next message; views into the buffer stay valid until the next
  // call. need_more when more bytes are needed.
  virtual message next() = 0;
};

// A broker's client protocol. Stateless: one wire serves every connection.
class wire {
 public:
  virtual ~wire() = default;

  // What a connection sends before anything else; may append nothing.
  virtual void append_hello(std::string& out) const;

  // Requests `subs` on one connection and returns how many confirms the
  // broker sends once it has made them all.
  virtual std::uint64_t append_subscribe(
      std::string& out, std::span<const subscription> subs) const = 0;

  // Publishes `event` (its exact bytes) on `topic`; `last` marks the final
  // publish of the run, after which the broker must confirm.
  virtual void append_publish(std::string& out, std::string_view topic,
                              std::string_view event, std::uint64_t n,
                              bool last) const = 0;

  // How many confirms prove that the broker accepted `events` publishes.
  virtual std::uint64_t publish_confirms(std::uint64_t events) const = 0;

  // The answer to a ping; nothing for brokers that never ask.
  virtual void append_pong(std::string& out) const;

  // True if the publisher must shut down its sending side after the last
  // publish for the confirm to come.
  virtual bool half_close_after_last() const { return false; }

  // A decoder for one connection; a message longer than `max_message`
  // bytes is too_long.
  virtual std::unique_ptr<decoder> make_decoder(std::size_t max_message,
                                                parse_mode mode) const = 0;
};

// The wire for `kind`.
std::unique_ptr<wire> make_wire(broker_kind kind);

}  // namespace evd::bench
