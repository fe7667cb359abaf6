// The bench event every broker carries, and reading it back: bare (as
// nats-server and redis-server deliver it) or inside an evd event frame.
//
// A bench event is a JSON object of exactly the requested size:
//   {"type":"bench.tick","n":N,"t":T,"pad":"xxx..."}
// n numbers the events 0, 1, ... in publish order; t is the send time in
// steady_clock nanoseconds. Both come before the padding so that a reader
// can stop parsing early.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace evd::bench {

// The type every bench event carries, for subscriptions that filter on it.
inline constexpr std::string_view event_type = "bench.tick";

// The clock of t: publisher and subscribers share one process, so steady
// time is comparable between them.
inline std::int64_t steady_now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The smallest event size that fits any n below `events` and any t.
std::size_t min_event_size(std::uint64_t events);

// Appends the bench event object, exactly `size` bytes, with no
// terminator. `size` must be at least min_event_size() for this n.
void append_event(std::string& out, std::size_t size, std::uint64_t n,
                  std::int64_t sent_ns);

// Appends the first bytes of a bench event, up to and including the comma
// after t, so that a caller can add its own members and the closing brace.
void append_event_head(std::string& out, std::uint64_t n, std::int64_t sent_ns);

// What a subscriber needs from one delivered event.
struct event_frame {
  std::uint64_t seq = 0;     // evd's publish order; 0 where there is none
  std::uint64_t n = 0;       // the bench's own numbering
  std::int64_t sent_ns = 0;  // when the publisher sent it
};

// How event frames are decoded. `sax` stops parsing once it has seq, n and
// t, so the padding is never scanned; `dom` builds the whole document, as
// a naive client would, and exists to measure what that costs.
enum class parse_mode { sax, dom };

// Decodes `line` if it is an evd event frame carrying a bench event;
// nothing for any other line (replies, notices, malformed input), which
// the caller then inspects in full. Never throws.
std::optional<event_frame> read_event_frame(std::string_view line,
                                            parse_mode mode);

// Decodes a bare bench event, as a message payload; nothing if `payload`
// is not one. seq stays 0. Never throws.
std::optional<event_frame> read_bare_event(std::string_view payload,
                                           parse_mode mode);

// Parses a reply or notice line in full; a discarded value if it is not
// JSON. Never throws.
nlohmann::json parse_line(std::string_view line);

// The line's "op" if it is an object with a string op; empty otherwise.
std::string op_of(const nlohmann::json& msg);

// A short quote of `line` for error messages.
std::string excerpt(std::string_view line);

}  // namespace evd::bench
