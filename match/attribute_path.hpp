// Names of event attributes as filters use them: a CloudEvents attribute
// (`type`) or, as evd's extension, a dotted path into the event
// (`data.repository.full_name`). CloudEvents attribute names cannot hold a
// dot, so the two never collide.
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
  // a segment is missing or crosses a non-object.
  const nlohmann::json* find(const nlohmann::json& event) const;

  // The text a string filter compares against: a string's own text, the
  // JSON text of a number, boolean or null (`42`, `true`, `null`), and
  // nothing for an object, an array or a missing field. A string is viewed
  // in place; other texts are rendered into `scratch`, which must outlive
  // the returned view.
  std::optional<std::string_view> text(const nlohmann::json& event,
                                       std::string& scratch) const;

  const std::string& name() const noexcept { return name_; }
  const std::vector<std::string>& segments() const noexcept {
    return segments_;
  }

 private:
  std::string name_;
  std::vector<std::string> segments_;
};

}  // namespace evd::match
