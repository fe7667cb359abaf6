// Names of event attributes as filters use them: a CloudEvents attribute
// (`type`) or, as evd's extension, a dotted path into the event
// (`data.repository.full_name`). CloudEvents attribute names cannot hold a
// dot, so the two never collide. A path that meets an array goes on into
// each of its elements: filters hold when any value reached that way does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace evd::match {

class attribute_path {
 public:
  // Splits `name` at dots. Returns nothing for an empty name or one with
  // an empty segment (`a..b`, `.a`, `a.`).
  static std::optional<attribute_path> parse(std::string_view name);

  // The value the path reaches in `event`, walking objects only; null when
  // a segment is missing or crosses a non-object. Arrays are not entered.
  const nlohmann::json* find(const nlohmann::json& event) const;

  // Whether `holds` is true of some value the path reaches in `event`,
  // calling it on each in document order and stopping at the first true.
  // Wherever the walk meets an array (the event, a field on the way, or
  // the field named last) it continues into every element, and arrays in
  // arrays alike, so `holds` never sees an array. A missing segment, one
  // that crosses a scalar or null, and an empty array reach nothing.
  template <typename Predicate>
  bool any_reached(const nlohmann::json& event, Predicate&& holds) const {
    return any_reached_from(event, 0, holds);
  }

  // The text a string filter compares against: a string's own text, the
  // JSON text of a number, boolean or null (`42`, `true`, `null`), and
  // nothing for an object, an array or a missing field. A string is viewed
  // in place; other texts are rendered into `scratch`, which must outlive
  // the returned view.
  std::optional<std::string_view> text(const nlohmann::json& event,
                                       std::string& scratch) const;

  // The same text for a value already reached: nothing for an object or
  // an array.
  static std::optional<std::string_view> text_of(const nlohmann::json& value,
                                                 std::string& scratch);

  const std::string& name() const noexcept { return name_; }
  const std::vector<std::string>& segments() const noexcept {
    return segments_;
  }

 private:
  template <typename Predicate>
  bool any_reached_from(const nlohmann::json& at, std::size_t depth,
                        Predicate& holds) const {
    if (at.is_array()) {
      for (const auto& element : at) {
        if (any_reached_from(element, depth, holds)) return true;
      }
      return false;
    }
    if (depth == segments_.size()) return holds(at);
    if (!at.is_object()) return false;
    auto it = at.find(segments_[depth]);
    return it != at.end() && any_reached_from(*it, depth + 1, holds);
  }

  std::string name_;
  std::vector<std::string> segments_;
};

}  // namespace evd::match
