#include "proto/reply.hpp"

namespace evd::proto {
namespace {

using ordered = nlohmann::ordered_json;

// Replies may carry client-supplied strings; replacing invalid UTF-8
// keeps the output valid JSON whatever came in.
std::string line(const ordered& msg) {
  return msg.dump(-1, ' ', false, ordered::error_handler_t::replace) + "\n";
}

ordered with_id(std::string_view op, const nlohmann::json& id) {
  ordered msg;
  msg["op"] = op;
  if (!id.is_null()) msg["id"] = id;
  return msg;
}

}  // namespace

std::string ok_published(const nlohmann::json& id, std::uint64_t seq) {
  ordered msg = with_id("ok", id);
  msg["seq"] = seq;
  return line(msg);
}

std::string ok_subscribed(const nlohmann::json& id, std::string_view sub) {
  ordered msg = with_id("ok", id);
  msg["sub"] = sub;
  return line(msg);
}

std::string ok_subscribed_truncated(const nlohmann::json& id,
                                    std::string_view sub,
                                    std::uint64_t first_seq) {
  ordered msg = with_id("ok", id);
  msg["sub"] = sub;
  msg["truncated"] = true;
  msg["first_seq"] = first_seq;
  return line(msg);
}

std::string ok_unsubscribed(const nlohmann::json& id, std::uint64_t delivered,
                            std::uint64_t dropped) {
  ordered msg = with_id("ok", id);
  msg["delivered"] = delivered;
  msg["dropped"] = dropped;
  return line(msg);
}

std::string dropped(std::string_view sub, std::uint64_t count,
                    std::uint64_t first_seq, std::uint64_t last_seq) {
  ordered msg;
  msg["op"] = "dropped";
  msg["sub"] = sub;
  msg["count"] = count;
  msg["first_seq"] = first_seq;
  msg["last_seq"] = last_seq;
  return line(msg);
}

std::string ok(const nlohmann::json& id) { return line(with_id("ok", id)); }

std::string pong(const nlohmann::json& id) { return line(with_id("pong", id)); }

std::string stats(const nlohmann::json& id, const ordered& figures) {
  ordered msg = with_id("stats", id);
  for (const auto& [key, value] : figures.items()) msg[key] = value;
  return line(msg);
}

std::string error(const nlohmann::json& id, wire_error code,
                  std::string_view message) {
  ordered msg = with_id("error", id);
  msg["code"] = to_string(code);
  msg["message"] = message;
  return line(msg);
}

std::string closed(std::string_view sub, std::string_view reason) {
  ordered msg;
  msg["op"] = "closed";
  if (!sub.empty()) msg["sub"] = sub;
  msg["reason"] = reason;
  return line(msg);
}

std::string event_frame_head(std::string_view sub) {
  // Serialize a complete object and cut it open, so the sub name is
  // escaped by the JSON library rather than by hand.
  ordered msg;
  msg["op"] = "event";
  msg["sub"] = sub;
  msg["seq"] = 0;
  std::string text =
      msg.dump(-1, ' ', false, ordered::error_handler_t::replace);
  return text.substr(0, text.size() - 2);  // drop the `0}`
}

}  // namespace evd::proto
