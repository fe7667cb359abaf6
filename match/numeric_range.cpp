#include "match/numeric_range.hpp"

#include <string_view>

namespace evd::match {

std::optional<numeric_range> numeric_range::compile(const nlohmann::json& pairs,
                                                    std::string& error) {
  if (!pairs.is_array() || pairs.empty() || pairs.size() % 2 != 0) {
    error = "needs a non-empty array of comparator, number pairs";
    return std::nullopt;
  }

  numeric_range range;
  for (std::size_t i = 0; i < pairs.size(); i += 2) {
    const nlohmann::json& comparator = pairs[i];
    const nlohmann::json& number = pairs[i + 1];
    const std::string at = "[" + std::to_string(i) + "]";
    if (!comparator.is_string()) {
      error = at + " must be a comparator string";
      return std::nullopt;
    }
    if (!number.is_number()) {
      error = "[" + std::to_string(i + 1) + "] must be a number";
      return std::nullopt;
    }
    if (!range.narrow(comparator.get_ref<const std::string&>(),
                      number.get<double>())) {
      error = at + " must be one of \"=\", \"<\", \"<=\", \">\", \">=\"";
      return std::nullopt;
    }
  }
  if (range.is_empty()) {
    error = "is a range that holds no number";
    return std::nullopt;
  }
  return range;
}

bool numeric_range::contains(double number) const noexcept {
  bool above = lower_inclusive_ ? number >= lower_ : number > lower_;
  bool below = upper_inclusive_ ? number <= upper_ : number < upper_;
  return above && below;
}

bool numeric_range::narrow(std::string_view comparator,
                           double number) noexcept {
  const bool lower =
      comparator == ">" || comparator == ">=" || comparator == "=";
  const bool upper =
      comparator == "<" || comparator == "<=" || comparator == "=";
  if (!lower && !upper) return false;
  const bool inclusive = comparator != ">" && comparator != "<";

  // Of two bounds at the same number, the strict one is the tighter.
  if (lower) {
    if (number > lower_) {
      lower_ = number;
      lower_inclusive_ = inclusive;
    } else if (number == lower_) {
      lower_inclusive_ = lower_inclusive_ && inclusive;
    }
  }
  if (upper) {
    if (number < upper_) {
      upper_ = number;
      upper_inclusive_ = inclusive;
    } else if (number == upper_) {
      upper_inclusive_ = upper_inclusive_ && inclusive;
    }
  }
  return true;
}

bool numeric_range::is_empty() const noexcept {
  if (lower_ != upper_) return lower_ > upper_;
  return !(lower_inclusive_ && upper_inclusive_);
}

}  // namespace evd::match
