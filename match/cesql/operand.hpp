// What the evaluator passes between nodes: a typed value whose text is a
// view, plus the scratch space one evaluation keeps its errors and computed
// strings in. Casts between the primitive types live here.
#pragma once

#include <cstdint>
#include <forward_list>
#include <optional>
#include <string>
#include <string_view>

#include "match/cesql/error.hpp"
#include "match/cesql/value.hpp"

namespace evd::cesql {

// A value during evaluation. `text` may view the event, the compiled tree
// or a scratch; it is valid as long as all three are.
struct operand {
  type kind = type::boolean;
  // True when computing this operand raised an error. Operators that see a
  // failed operand yield the zero value of their own type (CESQL 3.2, 3.3).
  bool failed = false;
  bool boolean = false;
  std::int32_t integer = 0;
  std::string_view text;

  static operand of_boolean(bool b);
  static operand of_integer(std::int32_t i);
  static operand of_string(std::string_view s);

  // The zero value of `t`, marked failed.
  static operand zero(type t);
};

// Per-evaluation state: the first error raised and the storage behind
// strings computed during the evaluation. Not thread-safe; each evaluation
// owns one. Allocates only when a string must be computed.
class scratch {
 public:
  // Records `kind` unless an error was already recorded.
  void report(error_kind kind);

  // Returns the first error recorded, if any.
  std::optional<error_kind> error() const { return error_; }

  // Takes ownership of `text` and returns a view valid for the scratch's
  // lifetime.
  std::string_view keep(std::string text);

 private:
  std::optional<error_kind> error_;
  // A list, so that kept strings never move.
  std::forward_list<std::string> texts_;
};

// Converts `from` to `target` the way operators and functions convert their
// arguments (CESQL 3.7). A failed conversion reports error_kind::cast and
// yields the zero value of `target`, marked failed.
//
// Integer to Boolean fails here although CESQL lists it as a cast engines
// must support: the conformance suite expects NOT 10 to be a cast error
// whose result is TRUE, which only this reading gives. The explicit BOOL()
// function still converts integers; see cast_explicit.
operand cast_implicit(const operand& from, type target, scratch& s);

// Converts `from` to `target` the way INT(), BOOL() and STRING() do: as
// cast_implicit, except that an Integer becomes Boolean TRUE unless it is 0.
operand cast_explicit(const operand& from, type target, scratch& s);

// Copies `o` into an owning value.
value to_value(const operand& o);

}  // namespace evd::cesql
