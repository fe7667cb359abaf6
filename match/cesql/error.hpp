// Error kinds of the CloudEvents SQL engine and the parse error returned by
// compilation. Evaluation never throws: it reports an error_kind beside the
// value it still produces.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <boost/assert/source_location.hpp>

namespace evd::cesql {

// The error types every CESQL engine must support (CESQL v1 section 3.3).
enum class error_kind {
  parse,
  math,
  cast,
  missing_function,
  function_evaluation,
  missing_attribute,
  generic,
};

// Returns the spelling the CESQL conformance suite uses for `kind`
// ("parse", "math", "cast", "missingFunction", "functionEvaluation",
// "missingAttribute", "generic").
std::string_view name(error_kind kind);

// Why an expression failed to compile and where. `column` is the 1-based
// byte offset into the expression text of the offending token; an error at
// the end of the text points one past its last byte.
struct parse_error {
  std::string message;
  std::size_t column = 1;
};

// Renders `error` as "column N: message".
std::string to_string(const parse_error& error);

// Lets boost::system::result<T, parse_error>::value() report misuse. Calling
// value() on a failed compile is a programming error: check has_value()
// first. Throws std::invalid_argument carrying to_string(error).
[[noreturn]] void throw_exception_from_error(
    const parse_error& error, const boost::source_location& location);

}  // namespace evd::cesql
