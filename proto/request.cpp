#include "proto/request.hpp"

#include <array>
#include <utility>

#include <simdjson.h>

#include "proto/strict_json.hpp"

namespace evd::proto {
namespace {

using json = nlohmann::json;

request_error fail(wire_error code, std::string message, json id = nullptr) {
  return request_error{code, std::move(message), std::move(id)};
}

// Reads the optional "sub" name every subscription request needs.
std::optional<std::string> read_sub_name(const json& msg, std::string& error) {
  auto it = msg.find("sub");
  if (it == msg.end() || !it->is_string() ||
      it->get_ref<const std::string&>().empty()) {
    error = "'sub' must be a non-empty string";
    return std::nullopt;
  }
  return it->get<std::string>();
}

// Reads an optional positive integer field; false (with `error`) when it
// is present but not one.
bool read_positive(const json& msg, const char* key,
                   std::optional<std::uint64_t>& out, std::string& error) {
  auto it = msg.find(key);
  if (it == msg.end()) return true;
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0) {
    error = std::string("'") + key + "' must be a positive integer";
    return false;
  }
  out = it->get<std::uint64_t>();
  return true;
}

// Reads "since": "now" (the default) or a non-negative integer seq.
bool read_since(const json& msg, std::optional<std::uint64_t>& out,
                std::string& error) {
  auto it = msg.find("since");
  if (it == msg.end() || (it->is_string() && *it == "now")) return true;
  if (!it->is_number_unsigned()) {
    error = "'since' must be \"now\" or a non-negative integer seq";
    return false;
  }
  out = it->get<std::uint64_t>();
  return true;
}

bool read_policy(const json& msg, std::optional<core::overflow_policy>& out,
                 std::string& error) {
  auto it = msg.find("policy");
  if (it == msg.end()) return true;
  if (*it == "disconnect") {
    out = core::overflow_policy::refuse;
  } else if (*it == "drop_oldest") {
    out = core::overflow_policy::drop_oldest;
  } else if (*it == "drop_newest") {
    out = core::overflow_policy::drop_newest;
  } else {
    error =
        "'policy' must be \"disconnect\", \"drop_oldest\" or "
        "\"drop_newest\"";
    return false;
  }
  return true;
}

std::variant<request, request_error> parse_subscribe(json& msg, json id) {
  std::string error;
  auto name = read_sub_name(msg, error);
  if (!name) return fail(wire_error::invalid_request, error, id);
  subscribe_request sub{std::move(*name), nullptr, {}, {}, {}, {}};
  if (auto it = msg.find("filters"); it != msg.end()) {
    sub.filters = std::move(*it);
  }
  bool ok = read_since(msg, sub.since, error) &&
            read_policy(msg, sub.policy, error) &&
            read_positive(msg, "max_events", sub.max_events, error) &&
            read_positive(msg, "max_bytes", sub.max_bytes, error);
  if (!ok) return fail(wire_error::invalid_request, error, id);
  return request{std::move(id), std::move(sub)};
}

std::variant<request, request_error> parse_body(json& msg, json id) {
  auto op_it = msg.find("op");
  if (op_it == msg.end() || !op_it->is_string()) {
    return fail(wire_error::invalid_request, "'op' must be a string", id);
  }
  const auto& op = op_it->get_ref<const std::string&>();
  std::string error;

  if (op == "pub") {
    auto ev = msg.find("event");
    if (ev == msg.end()) {
      return fail(wire_error::invalid_request, "pub needs an 'event'", id);
    }
    if (!ev->is_object()) {
      return fail(wire_error::invalid_event, "event must be a JSON object", id);
    }
    if (auto why = check_event(*ev)) {
      return fail(wire_error::invalid_event, *why, id);
    }
    return request{std::move(id), publish_request{std::move(*ev), {}}};
  }
  if (op == "sub") return parse_subscribe(msg, std::move(id));
  if (op == "unsub") {
    auto name = read_sub_name(msg, error);
    if (!name) return fail(wire_error::invalid_request, error, id);
    return request{std::move(id), unsubscribe_request{std::move(*name)}};
  }
  if (op == "ping") return request{std::move(id), ping_request{}};
  if (op == "stats") return request{std::move(id), stats_request{}};
  return fail(wire_error::unknown_op, "unknown op '" + op + "'", id);
}

// The event's bytes as the client wrote them, so evd forwards what it was
// given rather than a re-serialization. The line already passed the strict
// parse (valid, no duplicate keys after unescaping), so the one top-level
// key that unescapes to "event" is the event. Keys are compared unescaped
// because simdjson's field lookup compares them as written.
std::optional<std::string> raw_event(std::string_view line) {
  simdjson::padded_string padded(line);
  thread_local simdjson::ondemand::parser parser;
  auto doc = parser.iterate(padded);
  simdjson::ondemand::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return std::nullopt;
  for (auto field : top) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) break;
    if (key != "event") continue;
    simdjson::ondemand::object event;
    std::string_view raw;
    if (field.value().get_object().get(event) != simdjson::SUCCESS ||
        event.raw_json().get(raw) != simdjson::SUCCESS) {
      break;
    }
    // raw_json() runs up to the next token, so it carries the whitespace
    // between the closing brace and the comma or brace after it.
    auto end = raw.find_last_not_of(" \t\r\n");
    return std::string(raw.substr(0, end + 1));
  }
  return std::nullopt;
}

}  // namespace

std::variant<request, request_error> parse_request(std::string_view line) {
  std::string why;
  auto parsed = parse_strict(line, why);
  if (!parsed) return fail(wire_error::parse_error, why);
  json& msg = *parsed;
  if (!msg.is_object()) {
    return fail(wire_error::invalid_request, "a request must be an object");
  }

  json id = nullptr;
  if (auto it = msg.find("id"); it != msg.end()) {
    if (!it->is_number() && !it->is_string()) {
      return fail(wire_error::invalid_request,
                  "'id' must be a number or a string");
    }
    id = *it;
  }
  std::variant<request, request_error> result;
  try {
    result = parse_body(msg, std::move(id));
  } catch (const json::exception& e) {
    return fail(wire_error::internal_error, e.what());
  }
  if (auto* req = std::get_if<request>(&result)) {
    if (auto* pub = std::get_if<publish_request>(&req->body)) {
      auto bytes = raw_event(line);
      if (!bytes) {
        return fail(wire_error::internal_error,
                    "cannot locate the event's bytes", req->id);
      }
      pub->bytes = std::move(*bytes);
    }
  }
  return result;
}

std::optional<std::string> check_event(const nlohmann::json& event) {
  auto version = event.find("specversion");
  if (version == event.end()) return std::nullopt;
  if (!version->is_string() || *version != "1.0") {
    return "unsupported specversion: evd speaks CloudEvents 1.0";
  }
  static constexpr std::array<const char*, 3> required{"id", "source", "type"};
  for (const char* name : required) {
    auto it = event.find(name);
    if (it == event.end() || !it->is_string() ||
        it->get_ref<const std::string&>().empty()) {
      return std::string("a CloudEvent needs a non-empty string '") + name +
             "'";
    }
  }
  return std::nullopt;
}

}  // namespace evd::proto
