#include "match/filter.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace evd::match {
namespace {

struct dialect {
  std::string_view name;
  filter::kind kind;
};

constexpr std::array<dialect, 7> dialects{{
    {"exact", filter::kind::exact},
    {"prefix", filter::kind::prefix},
    {"suffix", filter::kind::suffix},
    {"all", filter::kind::all},
    {"any", filter::kind::any},
    {"not", filter::kind::negate},
    {"sql", filter::kind::sql},
}};

}  // namespace

std::optional<filter> filter::compile(const nlohmann::json& spec,
                                      std::string& error) {
  if (!spec.is_object() || spec.size() != 1) {
    error = "a filter must be an object with exactly one dialect";
    return std::nullopt;
  }
  auto only = spec.begin();
  const std::string& name = only.key();
  const nlohmann::json& body = only.value();
  auto found = std::find_if(dialects.begin(), dialects.end(),
                            [&](const dialect& d) { return d.name == name; });
  if (found == dialects.end()) {
    error = "unknown filter dialect '" + name + "'";
    return std::nullopt;
  }

  switch (found->kind) {
    case kind::exact:
    case kind::prefix:
    case kind::suffix:
      return compile_conditions(found->kind, body, error);
    case kind::all:
    case kind::any:
      return compile_children(found->kind, body, false, error);
    case kind::sql: {
      if (!body.is_string()) {
        error = "'sql' needs a CESQL expression as a string";
        return std::nullopt;
      }
      auto compiled = cesql::compile(body.get_ref<const std::string&>());
      if (!compiled) {
        error = "in 'sql': " + cesql::to_string(compiled.error());
        return std::nullopt;
      }
      filter f;
      f.kind_ = kind::sql;
      f.sql_ = std::move(*compiled);
      return f;
    }
    case kind::negate: {
      auto child = compile(body, error);
      if (!child) {
        error = "in 'not': " + error;
        return std::nullopt;
      }
      filter f;
      f.kind_ = kind::negate;
      f.children_.push_back(std::move(*child));
      return f;
    }
  }
  return std::nullopt;
}

std::optional<filter> filter::compile_list(const nlohmann::json& specs,
                                           std::string& error) {
  if (specs.is_null()) return filter{};
  return compile_children(kind::all, specs, true, error);
}

std::optional<filter> filter::compile_conditions(kind k,
                                                 const nlohmann::json& body,
                                                 std::string& error) {
  const std::string_view dialect_name = dialects[static_cast<int>(k)].name;
  if (!body.is_object() || body.empty()) {
    error = "'" + std::string(dialect_name) +
            "' needs an object of attribute names to values";
    return std::nullopt;
  }

  filter f;
  f.kind_ = k;
  for (const auto& [name, value] : body.items()) {
    auto path = attribute_path::parse(name);
    if (!path) {
      error = "'" + std::string(dialect_name) + "' has an empty attribute " +
              "name or path segment in '" + name + "'";
      return std::nullopt;
    }
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      error = "'" + std::string(dialect_name) + "' value for '" + name +
              "' must be a non-empty string";
      return std::nullopt;
    }
    f.conditions_.push_back({std::move(*path), value.get<std::string>()});
  }
  return f;
}

std::optional<filter> filter::compile_children(kind k,
                                               const nlohmann::json& body,
                                               bool allow_empty,
                                               std::string& error) {
  // The top-level list is named as the protocol names it; nested lists by
  // their dialect.
  const std::string label =
      allow_empty ? "filters"
                  : "'" + std::string(dialects[static_cast<int>(k)].name) + "'";
  if (!body.is_array() || (body.empty() && !allow_empty)) {
    error = label + (allow_empty ? " must be an array"
                                 : " needs a non-empty array of filters");
    return std::nullopt;
  }

  filter f;
  f.kind_ = k;
  for (std::size_t i = 0; i < body.size(); ++i) {
    auto child = compile(body[i], error);
    if (!child) {
      error = label + "[" + std::to_string(i) + "]: " + error;
      return std::nullopt;
    }
    f.children_.push_back(std::move(*child));
  }
  return f;
}

bool filter::condition_holds(const condition& c,
                             const nlohmann::json& event) const {
  std::string scratch;
  auto text = c.path.text(event, scratch);
  if (!text) return false;
  switch (kind_) {
    case kind::exact:
      return *text == c.value;
    case kind::prefix:
      return text->starts_with(c.value);
    case kind::suffix:
      return text->ends_with(c.value);
    default:
      return false;
  }
}

bool filter::matches(const nlohmann::json& event) const {
  switch (kind_) {
    case kind::exact:
    case kind::prefix:
    case kind::suffix:
      return std::all_of(
          conditions_.begin(), conditions_.end(),
          [&](const condition& c) { return condition_holds(c, event); });
    case kind::all:
      return std::all_of(children_.begin(), children_.end(),
                         [&](const filter& f) { return f.matches(event); });
    case kind::any:
      return std::any_of(children_.begin(), children_.end(),
                         [&](const filter& f) { return f.matches(event); });
    case kind::negate:
      return !children_.front().matches(event);
    case kind::sql:
      return sql_->matches(event);
  }
  return false;
}

}  // namespace evd::match
