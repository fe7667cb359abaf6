// The values an `anything_but` filter condition excludes: a set of strings
// or a set of numbers, never both.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace evd::match {

class value_set {
 public:
  // Compiles a non-empty array of non-empty strings or of numbers, or one
  // such string or number standing for a set of itself. On failure returns
  // nothing and sets `error` to what is wrong, naming the offending
  // member by its index and worded to follow the name of the condition.
  static std::optional<value_set> compile(const nlohmann::json& members,
                                          std::string& error);

  // Whether `value` has the set's type (a string, or a number) and is not
  // one of its members. Numbers compare as doubles, so 5 and 5.0 are the
  // same member; strings compare byte for byte.
  bool excludes(const nlohmann::json& value) const;

 private:
  bool of_numbers_ = false;
  std::vector<std::string> strings_;
  std::vector<double> numbers_;
};

}  // namespace evd::match
