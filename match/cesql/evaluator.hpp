// Walks a compiled tree against one event. Internal to the engine; users
// call expression::evaluate.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "match/cesql/ast.hpp"
#include "match/cesql/operand.hpp"

namespace evd::cesql {

// Evaluates `t` against `event` and returns the value of its root. Errors
// go to `s`, which also owns any string the result views; the result may
// also view `t` and `event`, so it is valid while all three are.
//
// An operator or function one of whose operands failed yields the zero
// value of its own type without computing; errors it raises itself (a cast
// of an operand, a division by zero) still leave it a computed value. AND
// and OR skip their right operand when the left decides the result.
//
// Reading the event: a path that is absent, crosses a non-object, or ends
// at JSON null is a missingAttribute error. JSON strings, booleans and
// integers in the 32-bit signed range read as String, Boolean and Integer.
// Any other JSON value (a float, a wider integer, an object, an array)
// reads as a String holding its compact JSON text, as CESQL 3.2 requires
// for values outside its type system.
//
// Thread-safe for concurrent calls on one tree with distinct scratches.
operand evaluate(const tree& t, const nlohmann::json& event, scratch& s);

}  // namespace evd::cesql
