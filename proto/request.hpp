// Requests a client sends, one JSON object a line, parsed into plain
// structs. This is the only place that turns request bytes into values;
// JSON library exceptions never leave it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/queue.hpp"
#include "proto/wire_error.hpp"

namespace evd::proto {

// {"op":"pub","id":7,"event":{...}}
struct publish_request {
  nlohmann::json event;  // an object, validated as a CloudEvent if it
                         // carries specversion
  std::string bytes;     // the event exactly as the client wrote it
};

// {"op":"sub","id":8,"sub":"s1","filters":[...],"since":N,
//  "policy":"drop_oldest","max_events":N,"max_bytes":N}
struct subscribe_request {
  std::string sub;
  nlohmann::json filters;  // null when absent; compiled by the caller
  // Replay retained events with a seq above this first; nothing means
  // "now" (live events only).
  std::optional<std::uint64_t> since;
  // What the subscription's queue does when full; nothing means the
  // server's default.
  std::optional<core::overflow_policy> policy;
  // Bounds on the subscription's queue; nothing means the server's
  // default. Positive when present; the caller checks them against its
  // ceilings.
  std::optional<std::uint64_t> max_events;
  std::optional<std::uint64_t> max_bytes;
};

// {"op":"unsub","id":9,"sub":"s1"}
struct unsubscribe_request {
  std::string sub;
};

// {"op":"ping","id":1}
struct ping_request {};

// {"op":"stats","id":1}
struct stats_request {};

struct request {
  // A client's correlation id: echoed in the reply, never interpreted.
  // A number or a string; null when absent.
  nlohmann::json id;
  std::variant<publish_request, subscribe_request, unsubscribe_request,
               ping_request, stats_request>
      body;
};

struct request_error {
  wire_error code;
  std::string message;
  nlohmann::json id;  // the request's id when it could be read, else null
};

// Parses one line (without its terminator). Never throws.
std::variant<request, request_error> parse_request(std::string_view line);

// Checks the CloudEvents rules evd enforces on an event that carries
// `specversion`; returns the reason it is invalid, or nothing.
std::optional<std::string> check_event(const nlohmann::json& event);

}  // namespace evd::proto
