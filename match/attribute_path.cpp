#include "match/attribute_path.hpp"

namespace evd::match {

std::optional<attribute_path> attribute_path::parse(std::string_view name) {
  attribute_path path;
  path.name_ = std::string(name);
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = name.find('.', start);
    std::string_view segment = name.substr(start, dot - start);
    if (segment.empty()) return std::nullopt;
    path.segments_.emplace_back(segment);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return path;
}

const nlohmann::json* attribute_path::find(const nlohmann::json& event) const {
  const nlohmann::json* at = &event;
  for (const auto& segment : segments_) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(segment);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

std::optional<std::string_view> attribute_path::text(
    const nlohmann::json& event, std::string& scratch) const {
  const nlohmann::json* value = find(event);
  if (value == nullptr) return std::nullopt;
  return text_of(*value, scratch);
}

std::optional<std::string_view> attribute_path::text_of(
    const nlohmann::json& value, std::string& scratch) {
  if (value.is_object() || value.is_array()) return std::nullopt;
  if (value.is_string()) return value.get_ref<const std::string&>();
  scratch = value.dump();
  return scratch;
}

}  // namespace evd::match
