#include "match/cesql/value.hpp"

#include <cassert>
#include <charconv>

namespace evd::cesql {

std::string_view name(type t) {
  switch (t) {
    case type::boolean:
      return "Boolean";
    case type::integer:
      return "Integer";
    case type::string:
      return "String";
  }
  return "Boolean";
}

value value::boolean(bool b) {
  value v;
  v.v_ = b;
  return v;
}

value value::integer(std::int32_t i) {
  value v;
  v.v_ = i;
  return v;
}

value value::string(std::string s) {
  value v;
  v.v_ = std::move(s);
  return v;
}

type value::kind() const {
  switch (v_.index()) {
    case 0:
      return type::boolean;
    case 1:
      return type::integer;
    default:
      return type::string;
  }
}

bool value::as_boolean() const {
  assert(kind() == type::boolean);
  return *std::get_if<bool>(&v_);
}

std::int32_t value::as_integer() const {
  assert(kind() == type::integer);
  return *std::get_if<std::int32_t>(&v_);
}

const std::string& value::as_string() const {
  assert(kind() == type::string);
  return *std::get_if<std::string>(&v_);
}

std::string to_string(const value& v) {
  switch (v.kind()) {
    case type::boolean:
      return std::string(boolean_text(v.as_boolean()));
    case type::integer:
      return integer_text(v.as_integer());
    case type::string:
      return "'" + v.as_string() + "'";
  }
  return {};
}

std::optional<std::int32_t> parse_integer(std::string_view text) {
  // from_chars takes a '-' but not a '+', and would accept "+-1" if the '+'
  // were simply skipped, so the sign is checked by hand.
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() < '0' || text.front() > '9') {
    return std::nullopt;
  }

  // Parse the magnitude wide so that -2147483648 is reachable.
  std::int64_t magnitude = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, magnitude);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  std::int64_t result = negative ? -magnitude : magnitude;
  if (result < INT32_MIN || result > INT32_MAX) return std::nullopt;
  return static_cast<std::int32_t>(result);
}

std::optional<bool> parse_boolean(std::string_view text) {
  auto equals = [text](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != word[i]) return false;
    }
    return true;
  };
  if (equals("true")) return true;
  if (equals("false")) return false;
  return std::nullopt;
}

std::string_view boolean_text(bool b) { return b ? "true" : "false"; }

std::string integer_text(std::int32_t i) { return std::to_string(i); }

}  // namespace evd::cesql
