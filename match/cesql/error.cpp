#include "match/cesql/error.hpp"

#include <stdexcept>

namespace evd::cesql {

std::string_view name(error_kind kind) {
  switch (kind) {
    case error_kind::parse:
      return "parse";
    case error_kind::math:
      return "math";
    case error_kind::cast:
      return "cast";
    case error_kind::missing_function:
      return "missingFunction";
    case error_kind::function_evaluation:
      return "functionEvaluation";
    case error_kind::missing_attribute:
      return "missingAttribute";
    case error_kind::generic:
      return "generic";
  }
  return "generic";
}

std::string to_string(const parse_error& error) {
  return "column " + std::to_string(error.column) + ": " + error.message;
}

void throw_exception_from_error(const parse_error& error,
                                const boost::source_location&) {
  throw std::invalid_argument(to_string(error));
}

}  // namespace evd::cesql
