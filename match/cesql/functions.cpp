#include "match/cesql/functions.hpp"

#include <climits>
#include <string>

#include "match/cesql/utf8.hpp"

namespace evd::cesql {
namespace {

constexpr std::optional<type> any = std::nullopt;
constexpr std::optional<type> str = type::string;
constexpr std::optional<type> num = type::integer;

constexpr std::array<signature, 16> builtins{{
    {builtin::length, "LENGTH", 1, false, {str}, {}, type::integer},
    {builtin::concat, "CONCAT", 0, true, {}, str, type::string},
    {builtin::concat_ws, "CONCAT_WS", 1, true, {str}, str, type::string},
    {builtin::lower, "LOWER", 1, false, {str}, {}, type::string},
    {builtin::upper, "UPPER", 1, false, {str}, {}, type::string},
    {builtin::trim, "TRIM", 1, false, {str}, {}, type::string},
    {builtin::left, "LEFT", 2, false, {str, num}, {}, type::string},
    {builtin::right, "RIGHT", 2, false, {str, num}, {}, type::string},
    {builtin::substring_from,
     "SUBSTRING",
     2,
     false,
     {str, num},
     {},
     type::string},
    {builtin::substring,
     "SUBSTRING",
     3,
     false,
     {str, num, num},
     {},
     type::string},
    {builtin::abs, "ABS", 1, false, {num}, {}, type::integer},
    {builtin::to_integer, "INT", 1, false, {any}, {}, type::integer},
    {builtin::to_boolean, "BOOL", 1, false, {any}, {}, type::boolean},
    {builtin::to_string, "STRING", 1, false, {any}, {}, type::string},
    {builtin::is_integer, "IS_INT", 1, false, {str}, {}, type::boolean},
    {builtin::is_boolean, "IS_BOOL", 1, false, {str}, {}, type::boolean},
}};

constexpr bool ordered_by_id() {
  for (std::size_t i = 0; i < builtins.size(); ++i) {
    if (static_cast<std::size_t>(builtins[i].id) != i) return false;
  }
  return true;
}
static_assert(ordered_by_id(), "signature_of indexes the table by id");

// A function's own failure: report it and mark the result.
operand fail(operand result, error_kind kind, scratch& s) {
  s.report(kind);
  result.failed = true;
  return result;
}

std::string map_ascii(std::string_view text, char from, char to) {
  std::string out(text);
  for (char& c : out) {
    if (c >= from && c <= static_cast<char>(from + 25)) {
      c = static_cast<char>(c - from + to);
    }
  }
  return out;
}

operand concat(std::span<const operand> parts, std::string_view separator,
               scratch& s) {
  if (parts.empty()) return operand::of_string({});
  if (parts.size() == 1) return parts[0];
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i].text;
  }
  return operand::of_string(s.keep(std::move(out)));
}

enum class side { left, right };

// LEFT and RIGHT: the first or last `count` characters of `text`.
operand edge(std::string_view text, std::int32_t count, side from, scratch& s) {
  if (count < 0) {
    return fail(operand::of_string(text), error_kind::function_evaluation, s);
  }
  std::size_t length = utf8::length(text);
  auto n = static_cast<std::size_t>(count);
  if (n >= length) return operand::of_string(text);
  std::size_t cut = utf8::offset_of(text, from == side::left ? n : length - n);
  return operand::of_string(from == side::left ? text.substr(0, cut)
                                               : text.substr(cut));
}

// SUBSTRING with 1-based `pos` (negative counts from the end) and an
// optional character count.
operand substring(std::string_view text, std::int32_t pos,
                  std::optional<std::int32_t> count, scratch& s) {
  auto length = static_cast<std::int64_t>(utf8::length(text));
  if (pos > length || pos < -length || (count && *count < 0)) {
    return fail(operand::of_string({}), error_kind::function_evaluation, s);
  }
  if (pos == 0) return operand::of_string({});

  std::int64_t start = pos > 0 ? pos - 1 : length + pos;
  std::size_t begin = utf8::offset_of(text, static_cast<std::size_t>(start));
  std::string_view tail = text.substr(begin);
  if (!count) return operand::of_string(tail);
  return operand::of_string(
      tail.substr(0, utf8::offset_of(tail, static_cast<std::size_t>(*count))));
}

operand absolute(std::int32_t i, scratch& s) {
  if (i == INT32_MIN) {
    return fail(operand::of_integer(INT32_MAX), error_kind::math, s);
  }
  return operand::of_integer(i < 0 ? -i : i);
}

}  // namespace

const signature* find_builtin(std::string_view upper_name, std::size_t arity) {
  for (const signature& sig : builtins) {
    if (sig.name != upper_name) continue;
    if (sig.variadic ? arity >= sig.fixed : arity == sig.fixed) return &sig;
  }
  return nullptr;
}

const signature& signature_of(builtin id) {
  // The table lists the built-ins in the order of the enumeration.
  return builtins[static_cast<std::size_t>(id)];
}

std::optional<type> parameter_type(const signature& sig, std::size_t index) {
  return index < sig.fixed ? sig.parameters[index] : sig.rest;
}

operand call(builtin id, std::span<const operand> args, scratch& s) {
  switch (id) {
    case builtin::length:
      return operand::of_integer(
          static_cast<std::int32_t>(utf8::length(args[0].text)));
    case builtin::concat:
      return concat(args, {}, s);
    case builtin::concat_ws:
      return concat(args.subspan(1), args[0].text, s);
    case builtin::lower:
      return operand::of_string(s.keep(map_ascii(args[0].text, 'A', 'a')));
    case builtin::upper:
      return operand::of_string(s.keep(map_ascii(args[0].text, 'a', 'A')));
    case builtin::trim:
      return operand::of_string(utf8::trim(args[0].text));
    case builtin::left:
      return edge(args[0].text, args[1].integer, side::left, s);
    case builtin::right:
      return edge(args[0].text, args[1].integer, side::right, s);
    case builtin::substring_from:
      return substring(args[0].text, args[1].integer, std::nullopt, s);
    case builtin::substring:
      return substring(args[0].text, args[1].integer, args[2].integer, s);
    case builtin::abs:
      return absolute(args[0].integer, s);
    case builtin::to_integer:
      return cast_explicit(args[0], type::integer, s);
    case builtin::to_boolean:
      return cast_explicit(args[0], type::boolean, s);
    case builtin::to_string:
      return cast_explicit(args[0], type::string, s);
    case builtin::is_integer:
      return operand::of_boolean(parse_integer(args[0].text).has_value());
    case builtin::is_boolean:
      return operand::of_boolean(parse_boolean(args[0].text).has_value());
  }
  s.report(error_kind::generic);
  return operand::zero(type::boolean);
}

}  // namespace evd::cesql
