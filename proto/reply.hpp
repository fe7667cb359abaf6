// Messages evd sends, each one JSON object on its own line (the trailing
// `\n` included). Keys keep the documented order, `op` first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "proto/wire_error.hpp"

namespace evd::proto {

// {"op":"ok","id":7,"seq":N} for an acknowledged publish.
std::string ok_published(const nlohmann::json& id, std::uint64_t seq);

// {"op":"ok","id":8,"sub":"s1"} for a subscription. A subscription whose
// replay could not start right after `since` (the history no longer held
// those events) adds "truncated":true,"first_seq":N, where N is the first
// seq it will deliver.
std::string ok_subscribed(const nlohmann::json& id, std::string_view sub);
std::string ok_subscribed_truncated(const nlohmann::json& id,
                                    std::string_view sub,
                                    std::uint64_t first_seq);

// {"op":"ok","id":9,"delivered":N,"dropped":M} for an unsubscribe: what
// the subscription handed to the connection and what it lost.
std::string ok_unsubscribed(const nlohmann::json& id, std::uint64_t delivered,
                            std::uint64_t dropped);

// {"op":"dropped","sub":"s1","count":N,"first_seq":a,"last_seq":b}: the
// subscription lost these events; sent before the next one it delivers.
std::string dropped(std::string_view sub, std::uint64_t count,
                    std::uint64_t first_seq, std::uint64_t last_seq);

// {"op":"ok","id":9} for anything else that succeeded.
std::string ok(const nlohmann::json& id);

// {"op":"pong","id":1}
std::string pong(const nlohmann::json& id);

// {"op":"stats","id":1,...}: `figures`' keys follow op and id in order.
std::string stats(const nlohmann::json& id,
                  const nlohmann::ordered_json& figures);

// {"op":"error","id":...,"code":"...","message":"..."}; `id` is left out
// when null.
std::string error(const nlohmann::json& id, wire_error code,
                  std::string_view message);

// {"op":"closed","sub":"s1","reason":"slow_consumer"}; without `sub` when
// the whole connection is closing.
std::string closed(std::string_view sub, std::string_view reason);

// An event delivery is built without re-serializing the event:
//   event_frame_head(sub) + seq + event_frame_middle + event + tail
// where the head is computed once per subscription.
std::string event_frame_head(std::string_view sub);
inline constexpr std::string_view event_frame_middle = ",\"event\":";
inline constexpr std::string_view event_frame_tail = "}\n";

}  // namespace evd::proto
