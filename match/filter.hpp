// Filter expressions of the CloudEvents Subscriptions API, compiled once
// when a subscription is made and then evaluated against every event.
//
// Dialects: `exact`, `prefix`, `suffix` (every named attribute must hold),
// `all`, `any`, `not`, and `sql` (CloudEvents SQL, see match/cesql). As
// evd's extension, content dialects in the manner of the CloudEvents ones:
// `numeric`, `exists`, `anything_but`, `equals_ignore_case`, `wildcard`.
// Attribute names may be dotted paths into the event (see attribute_path);
// a condition holds when any value its path reaches satisfies it, so a path
// through an array holds when some element does. A subscription's list of
// filters holds when every filter holds; an empty list holds for every
// event. docs/protocol.md states each dialect's rules for users.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "match/attribute_path.hpp"
#include "match/cesql/expression.hpp"
#include "match/numeric_range.hpp"
#include "match/value_set.hpp"
#include "match/wildcard_pattern.hpp"

namespace evd::match {

class filter {
 public:
  enum class kind {
    exact,
    prefix,
    suffix,
    all,
    any,
    negate,
    sql,
    numeric,
    exists,
    anything_but,
    equals_ignore_case,
    wildcard,
  };

  // Compiles one filter expression, e.g. {"exact":{"type":"x"}}. On
  // failure returns nothing and sets `error` to a message naming the
  // offending part.
  static std::optional<filter> compile(const nlohmann::json& spec,
                                       std::string& error);

  // Compiles a subscription's list of filters into one `all` filter. A
  // missing (null) or empty list accepts everything.
  static std::optional<filter> compile_list(const nlohmann::json& specs,
                                            std::string& error);

  // Whether `event` (a JSON object) satisfies the filter. Thread-safe.
  bool matches(const nlohmann::json& event) const;

  kind type() const noexcept { return kind_; }

  // Read-only views of the compiled form, for code that plans around a
  // filter instead of evaluating it (the subscription index). The nested
  // filters of `all`, `any` and `not`; empty for other dialects.
  const std::vector<filter>& children() const noexcept { return children_; }

  // The conditions of `exact`, `prefix` and `suffix`: the attribute path
  // and the string each one compares against; a condition holds when
  // any value the path reaches (entering arrays) compares. None for other
  // dialects, the content dialects included.
  std::size_t condition_count() const noexcept { return conditions_.size(); }
  const attribute_path& condition_path(std::size_t i) const {
    return conditions_[i].path;
  }
  const std::string& condition_value(std::size_t i) const {
    return conditions_[i].value;
  }

  // The conditions of the content dialects (`numeric`, `exists`,
  // `anything_but`, `equals_ignore_case`, `wildcard`): the attribute path
  // each one reads. None for other dialects.
  std::size_t content_count() const noexcept { return content_.size(); }
  const attribute_path& content_path(std::size_t i) const {
    return content_[i].path;
  }
  // Whether `exists` condition `i` asks that its path reach a value (true)
  // or reach none (false). Only for a filter of type() kind::exists.
  bool exists_wanted(std::size_t i) const {
    return std::get<bool>(content_[i].test);
  }

 private:
  struct condition {
    attribute_path path;
    std::string value;
  };

  // What a content dialect asks of the values its path reaches; the
  // alternative in use follows kind_: whether the path must reach a value
  // (`exists`), the range (`numeric`), the excluded set (`anything_but`),
  // the pattern (`wildcard`), or the value in ASCII lower case
  // (`equals_ignore_case`).
  using content_test = std::variant<bool, numeric_range, value_set,
                                    wildcard_pattern, std::string>;
  struct content_condition {
    attribute_path path;
    content_test test;
  };

  static std::optional<filter> compile_conditions(kind k,
                                                  const nlohmann::json& body,
                                                  std::string& error);
  static std::optional<filter> compile_content(kind k,
                                               const nlohmann::json& body,
                                               std::string& error);
  static std::optional<content_test> compile_test(kind k,
                                                  const nlohmann::json& value,
                                                  std::string& error);
  static std::optional<filter> compile_children(kind k,
                                                const nlohmann::json& body,
                                                bool allow_empty,
                                                std::string& error);
  bool condition_holds(const condition& c, const nlohmann::json& event) const;
  bool content_holds(const content_condition& c,
                     const nlohmann::json& event) const;

  kind kind_ = kind::all;
  std::vector<condition> conditions_;
  std::vector<content_condition> content_;
  std::vector<filter> children_;
  std::optional<cesql::expression> sql_;
};

}  // namespace evd::match
