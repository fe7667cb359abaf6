// Parses one untrusted JSON text into nlohmann::json with the rules evd
// applies to everything a client sends: no duplicate keys in an object
// (which of two values a reader keeps differs between libraries, so evd
// refuses to guess) and a nesting limit (deep input must not cost a deep
// stack anywhere downstream).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace evd::proto {

inline constexpr std::size_t default_max_depth = 64;

// Returns the document, or nothing with a readable reason in `error`.
// Never throws. Invalid UTF-8 in strings is refused by the parser.
std::optional<nlohmann::json> parse_strict(
    std::string_view text, std::string& error,
    std::size_t max_depth = default_max_depth);

// The same parse without simdjson's fast path: nlohmann's parser with the
// rules applied as it goes. parse_strict must agree with it on every
// input; the tests and the fuzzer hold it to that.
std::optional<nlohmann::json> parse_strict_reference(
    std::string_view text, std::string& error,
    std::size_t max_depth = default_max_depth);

// Equality that also asks for the same JSON types (unsigned 1, signed 1
// and 1.0 differ, as do 0.0 and -0.0): what the two parses must agree on.
bool same_document(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace evd::proto
