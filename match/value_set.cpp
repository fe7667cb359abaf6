#include "match/value_set.hpp"

#include <algorithm>

namespace evd::match {

std::optional<value_set> value_set::compile(const nlohmann::json& members,
                                            std::string& error) {
  if (members.is_string() && members.get_ref<const std::string&>().empty()) {
    error = "must not be an empty string";
    return std::nullopt;
  }
  if (members.is_string() || members.is_number()) {
    return compile(nlohmann::json::array({members}), error);
  }
  if (!members.is_array() || members.empty()) {
    error = "needs a string, a number or a non-empty array of them";
    return std::nullopt;
  }

  value_set set;
  set.of_numbers_ = members.front().is_number();
  for (std::size_t i = 0; i < members.size(); ++i) {
    const nlohmann::json& member = members[i];
    const std::string at = "[" + std::to_string(i) + "]";
    if (set.of_numbers_) {
      if (!member.is_number()) {
        error = at + " must be a number like [0]";
        return std::nullopt;
      }
      set.numbers_.push_back(member.get<double>());
      continue;
    }
    if (!member.is_string() || member.get_ref<const std::string&>().empty()) {
      error = i == 0 ? at + " must be a non-empty string or a number"
                     : at + " must be a non-empty string like [0]";
      return std::nullopt;
    }
    set.strings_.push_back(member.get<std::string>());
  }
  return set;
}

bool value_set::excludes(const nlohmann::json& value) const {
  // A set is a handful of members: a scan beats hashing them.
  if (of_numbers_) {
    if (!value.is_number()) return false;
    const double number = value.get<double>();
    return std::find(numbers_.begin(), numbers_.end(), number) ==
           numbers_.end();
  }
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return std::find(strings_.begin(), strings_.end(), text) == strings_.end();
}

}  // namespace evd::match
