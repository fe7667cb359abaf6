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

// In the order of filter::kind, which indexes it.
constexpr std::array<dialect, 12> dialects{{
    {"exact", filter::kind::exact},
    {"prefix", filter::kind::prefix},
    {"suffix", filter::kind::suffix},
    {"all", filter::kind::all},
    {"any", filter::kind::any},
    {"not", filter::kind::negate},
    {"sql", filter::kind::sql},
    {"numeric", filter::kind::numeric},
    {"exists", filter::kind::exists},
    {"anything_but", filter::kind::anything_but},
    {"equals_ignore_case", filter::kind::equals_ignore_case},
    {"wildcard", filter::kind::wildcard},
}};

std::string quoted_name(filter::kind k) {
  return "'" + std::string(dialects[static_cast<int>(k)].name) + "'";
}

// Only ASCII letters fold: Unicode case folding needs tables evd does not
// carry, and a partial attempt would be worse than a documented rule.
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

bool equal_ignoring_ascii_case(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (ascii_lower(text[i]) != lower[i]) return false;
  }
  return true;
}

// Calls `add(path, value)` for each entry of a dialect's object of
// attribute names to values. `add` returns false after setting `error` to
// what is wrong with the value; the error is then given the dialect's and
// the attribute's names.
template <typename Add>
bool compile_names(filter::kind k, const nlohmann::json& body,
                   std::string& error, Add add) {
  if (!body.is_object() || body.empty()) {
    error = quoted_name(k) + " needs an object of attribute names to values";
    return false;
  }
  for (const auto& [name, value] : body.items()) {
    auto path = attribute_path::parse(name);
    if (!path) {
      error = quoted_name(k) + " has an empty attribute " +
              "name or path segment in '" + name + "'";
      return false;
    }
    if (!add(std::move(*path), value)) {
      error = quoted_name(k) + " value for '" + name + "' " + error;
      return false;
    }
  }
  return true;
}

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
    case kind::numeric:
    case kind::exists:
    case kind::anything_but:
    case kind::equals_ignore_case:
    case kind::wildcard:
      return compile_content(found->kind, body, error);
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
  filter f;
  f.kind_ = k;
  auto add = [&](attribute_path path, const nlohmann::json& value) {
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      error = "must be a non-empty string";
      return false;
    }
    f.conditions_.push_back({std::move(path), value.get<std::string>()});
    return true;
  };
  if (!compile_names(k, body, error, add)) return std::nullopt;
  return f;
}

std::optional<filter> filter::compile_content(kind k,
                                              const nlohmann::json& body,
                                              std::string& error) {
  filter f;
  f.kind_ = k;
  auto add = [&](attribute_path path, const nlohmann::json& value) {
    auto test = compile_test(k, value, error);
    if (!test) return false;
    f.content_.push_back({std::move(path), std::move(*test)});
    return true;
  };
  if (!compile_names(k, body, error, add)) return std::nullopt;
  return f;
}

std::optional<filter::content_test> filter::compile_test(
    kind k, const nlohmann::json& value, std::string& error) {
  const bool non_empty_string =
      value.is_string() && !value.get_ref<const std::string&>().empty();
  switch (k) {
    case kind::exists:
      if (!value.is_boolean()) {
        error = "must be true or false";
        return std::nullopt;
      }
      return value.get<bool>();
    case kind::numeric:
      if (auto range = numeric_range::compile(value, error)) return *range;
      return std::nullopt;
    case kind::anything_but:
      if (auto set = value_set::compile(value, error)) return *set;
      return std::nullopt;
    case kind::equals_ignore_case: {
      if (!non_empty_string) break;
      std::string lower = value.get<std::string>();
      for (char& c : lower) c = ascii_lower(c);
      return lower;
    }
    case kind::wildcard: {
      if (!non_empty_string) break;
      auto pattern =
          wildcard_pattern::parse(value.get_ref<const std::string&>(), error);
      if (pattern) return *pattern;
      return std::nullopt;
    }
    default:
      break;
  }
  error = "must be a non-empty string";
  return std::nullopt;
}

std::optional<filter> filter::compile_children(kind k,
                                               const nlohmann::json& body,
                                               bool allow_empty,
                                               std::string& error) {
  // The top-level list is named as the protocol names it; nested lists by
  // their dialect.
  const std::string label = allow_empty ? "filters" : quoted_name(k);
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
  return c.path.any_reached(event, [&](const nlohmann::json& value) {
    auto text = attribute_path::text_of(value, scratch);
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
  });
}

bool filter::content_holds(const content_condition& c,
                           const nlohmann::json& event) const {
  std::string scratch;
  auto text_fits = [&](auto fits) {
    return c.path.any_reached(event, [&](const nlohmann::json& value) {
      auto text = attribute_path::text_of(value, scratch);
      return text && fits(*text);
    });
  };
  switch (kind_) {
    case kind::exists: {
      bool reached =
          c.path.any_reached(event, [](const nlohmann::json&) { return true; });
      return reached == std::get<bool>(c.test);
    }
    case kind::numeric: {
      const auto& range = std::get<numeric_range>(c.test);
      return c.path.any_reached(event, [&](const nlohmann::json& value) {
        return value.is_number() && range.contains(value.get<double>());
      });
    }
    case kind::anything_but: {
      const auto& set = std::get<value_set>(c.test);
      return c.path.any_reached(event, [&](const nlohmann::json& value) {
        return set.excludes(value);
      });
    }
    case kind::equals_ignore_case: {
      const auto& lower = std::get<std::string>(c.test);
      return text_fits([&](std::string_view text) {
        return equal_ignoring_ascii_case(text, lower);
      });
    }
    case kind::wildcard: {
      const auto& pattern = std::get<wildcard_pattern>(c.test);
      return text_fits(
          [&](std::string_view text) { return pattern.matches(text); });
    }
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
    case kind::numeric:
    case kind::exists:
    case kind::anything_but:
    case kind::equals_ignore_case:
    case kind::wildcard:
      return std::all_of(
          content_.begin(), content_.end(),
          [&](const content_condition& c) { return content_holds(c, event); });
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
