// The three CESQL primitive types, a value of one of them, and the
// conversions between their textual and typed forms that casts rely on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace evd::cesql {

// CESQL v1 primitive types. Order is not meaningful.
enum class type : std::uint8_t { boolean, integer, string };

// Returns "Boolean", "Integer" or "String".
std::string_view name(type t);

// A Boolean, a 32-bit signed Integer or a String. Owns its text. Cheap to
// move; copying a String value copies its text.
class value {
 public:
  // Boolean false: the zero value of the type CESQL assumes when the type
  // of a subexpression cannot be determined.
  value() = default;

  static value boolean(bool b);
  static value integer(std::int32_t i);
  static value string(std::string s);

  type kind() const;

  // Each accessor requires kind() to be the matching type.
  bool as_boolean() const;
  std::int32_t as_integer() const;
  const std::string& as_string() const;

  friend bool operator==(const value&, const value&) = default;

 private:
  std::variant<bool, std::int32_t, std::string> v_;
};

// Renders `v` for diagnostics: true, -3, 'text' (no escaping).
std::string to_string(const value& v);

// Reads `text` as a base-10 32-bit integer with an optional leading '+' or
// '-' and nothing else (no spaces). Returns nullopt when the text is not
// such an integer or overflows.
std::optional<std::int32_t> parse_integer(std::string_view text);

// Returns true or false when `text` equals "true" or "false" ignoring ASCII
// case, nullopt otherwise.
std::optional<bool> parse_boolean(std::string_view text);

// Returns "true" or "false"; the view refers to static storage.
std::string_view boolean_text(bool b);

// Returns `i` in base 10, with a leading '-' when negative.
std::string integer_text(std::int32_t i);

}  // namespace evd::cesql
