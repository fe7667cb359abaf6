// The public face of the CloudEvents SQL (CESQL v1) engine: compile an
// expression once, then evaluate it against many events. This is what a
// subscription with the `sql` filter dialect holds.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>
#include <nlohmann/json_fwd.hpp>

#include "match/cesql/error.hpp"
#include "match/cesql/value.hpp"

namespace evd::cesql {

struct tree;

// The outcome of evaluating an expression. CESQL is total: there is always
// a result, and `error` holds the first error raised while computing it.
struct evaluation {
  value result;
  std::optional<error_kind> error;
};

// A compiled CESQL expression. Immutable; copies share the compiled form,
// so copying is cheap and a copy may outlive the original. Several threads
// may evaluate one expression (or its copies) at the same time.
//
// Events are CloudEvents in the JSON format: a JSON object whose top-level
// keys are the context attributes. An identifier names a top-level key;
// identifiers are case-insensitive and looked up in lower case.
//
// Mapping JSON to CESQL types: strings, booleans and integers in the 32-bit
// signed range are String, Boolean and Integer. JSON null and an absent key
// are a missing attribute (EXISTS is false; reading it raises
// missingAttribute). Any other JSON value (a float, a wider integer, an
// object, an array) is present and reads as a String holding its compact
// JSON text, as CESQL 3.2 prescribes for values outside its type system.
//
// Extension: a dotted identifier such as data.repository.full_name reads a
// nested field, walking JSON objects from the top-level attribute named by
// the first segment (case-insensitive) through keys named by the rest
// (exact, letters, digits and '_'). Meeting a non-object on the way, an
// absent key or a null is a missing attribute. Standard CESQL rejects
// dotted names, so standard expressions keep their meaning.
//
// Integer arithmetic that leaves the 32-bit range raises a math error and
// yields the two's complement wrap of the exact result. LOWER and UPPER
// change ASCII letters only. AND, OR and XOR share one precedence level and
// group from the left, as CESQL 3.6 lists them; use parentheses.
class expression {
 public:
  // Evaluates the expression against `event`, which need not outlive the
  // call. Allocates only to build a String result or to compute strings
  // (casts from Integer, CONCAT, LOWER, ...). Never throws for any event.
  evaluation evaluate(const nlohmann::json& event) const;

  // Returns true only when evaluation yields Boolean TRUE and raises no
  // error: the filter rule of the Subscriptions API `sql` dialect.
  bool matches(const nlohmann::json& event) const;

  // The text the expression was compiled from.
  const std::string& text() const;

 private:
  friend boost::system::result<expression, parse_error> compile(
      std::string_view text);

  explicit expression(std::shared_ptr<const tree> compiled);

  std::shared_ptr<const tree> tree_;
};

// Parses and checks `text`. On failure returns the first problem with the
// 1-based column of the offending token (see parser.hpp for the grammar).
// A call to an unknown function compiles: CESQL reports it when evaluated,
// as a missingFunction error with result FALSE.
boost::system::result<expression, parse_error> compile(std::string_view text);

}  // namespace evd::cesql
