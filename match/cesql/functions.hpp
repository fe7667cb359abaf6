// The CESQL built-in functions (CESQL v1 section 3.5 and the casting
// functions INT, BOOL, STRING, IS_INT, IS_BOOL): their signatures, found by
// name and arity at compile time, and their evaluation.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "match/cesql/operand.hpp"
#include "match/cesql/value.hpp"

namespace evd::cesql {

enum class builtin : std::uint8_t {
  length,
  concat,
  concat_ws,
  lower,
  upper,
  trim,
  left,
  right,
  substring_from,  // SUBSTRING(x, pos)
  substring,       // SUBSTRING(x, pos, len)
  abs,
  to_integer,  // INT(x)
  to_boolean,  // BOOL(x)
  to_string,   // STRING(x)
  is_integer,  // IS_INT(x)
  is_boolean,  // IS_BOOL(x)
};

// One overload of a built-in. A parameter type of nullopt accepts any type
// unconverted. A variadic signature takes `fixed` leading arguments and then
// any number of arguments of type `rest`.
struct signature {
  builtin id;
  std::string_view name;
  std::uint8_t fixed;
  bool variadic;
  std::array<std::optional<type>, 3> parameters;
  std::optional<type> rest;
  type result;
};

// Returns the overload of the function called `upper_name` (already in
// upper case) that takes `arity` arguments, or nullptr when there is none.
// The returned signature has static storage.
const signature* find_builtin(std::string_view upper_name, std::size_t arity);

// Returns the signature of `id`, which has static storage.
const signature& signature_of(builtin id);

// Returns the type argument `index` of a call to `sig` is converted to, or
// nullopt when the argument is passed as it is.
std::optional<type> parameter_type(const signature& sig, std::size_t index);

// Evaluates built-in `id` on `args`, which the caller has already converted
// to the parameter types and checked for failures. Errors the function
// itself raises (functionEvaluation, math, cast) go to `s`, and the result
// is then marked failed. LOWER and UPPER map ASCII letters only.
operand call(builtin id, std::span<const operand> args, scratch& s);

}  // namespace evd::cesql
