// Turns CESQL expression text into the compiled tree (ast.hpp), checking
// syntax, literal ranges, names and function arities on the way.
#pragma once

#include <cstddef>
#include <string_view>

#include <boost/system/result.hpp>

#include "match/cesql/ast.hpp"
#include "match/cesql/error.hpp"

namespace evd::cesql {

// Operators and subexpressions may nest at most this deep; deeper input is
// a parse error, so that neither parsing nor evaluation can exhaust the
// stack on hostile text.
inline constexpr std::size_t max_nesting = 256;

// Parses `text` into a tree, or returns the first error with its position.
//
// Precedence follows CESQL 3.6, tightest first: function calls; unary NOT
// and '-'; LIKE; EXISTS; IN; '*' '/' '%'; '+' '-'; comparisons; and AND, OR
// and XOR together at the lowest level. Operators of one level group from
// the left, so "a OR b AND c" is "(a OR b) AND c".
//
// Keywords, function names and plain identifiers are case-insensitive;
// identifiers are folded to lower case. A call to an unknown function, or
// with an arity no overload takes, is not a parse error: CESQL makes it an
// evaluation-time missingFunction error, so it compiles to a node that
// raises one.
//
// evd extension: a dotted identifier such as data.repository.full_name is
// a path. Its first segment names a top-level attribute (letters and
// digits, case-insensitive); later segments are JSON object keys of
// letters, digits and '_', matched exactly. Plain identifiers stay as CESQL
// defines them: letters and digits only.
boost::system::result<tree, parse_error> parse(std::string_view text);

}  // namespace evd::cesql
