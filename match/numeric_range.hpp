// The interval a `numeric` filter condition accepts, compiled from its
// comparator and number pairs, e.g. [">=", 10, "<", 100].
#pragma once

#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace evd::match {

class numeric_range {
 public:
  // Compiles a non-empty array of comparator, number pairs; comparators
  // are "=", "<", "<=", ">" and ">=", and every pair must hold. Numbers
  // are taken as doubles. On failure, including a set of pairs that no
  // number satisfies ([">", 5, "<", 5]), returns nothing and sets `error`
  // to what is wrong, naming the offending element by its index and
  // worded to follow the name of the condition ("... [2] must be ...").
  static std::optional<numeric_range> compile(const nlohmann::json& pairs,
                                              std::string& error);

  // Whether `number` satisfies every pair.
  bool contains(double number) const noexcept;

 private:
  // Combines one pair into the bounds; false for an unknown comparator.
  bool narrow(std::string_view comparator, double number) noexcept;
  bool is_empty() const noexcept;

  double lower_ = -std::numeric_limits<double>::infinity();
  double upper_ = std::numeric_limits<double>::infinity();
  bool lower_inclusive_ = false;
  bool upper_inclusive_ = false;
};

}  // namespace evd::match
