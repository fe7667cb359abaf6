#include "match/cesql/expression.hpp"

#include <nlohmann/json.hpp>

#include "match/cesql/ast.hpp"
#include "match/cesql/evaluator.hpp"
#include "match/cesql/operand.hpp"
#include "match/cesql/parser.hpp"

namespace evd::cesql {

expression::expression(std::shared_ptr<const tree> compiled)
    : tree_(std::move(compiled)) {}

evaluation expression::evaluate(const nlohmann::json& event) const {
  scratch s;
  operand result = cesql::evaluate(*tree_, event, s);
  return evaluation{to_value(result), s.error()};
}

bool expression::matches(const nlohmann::json& event) const {
  scratch s;
  operand result = cesql::evaluate(*tree_, event, s);
  return !s.error() && result.kind == type::boolean && result.boolean;
}

const std::string& expression::text() const { return tree_->text; }

boost::system::result<expression, parse_error> compile(std::string_view text) {
  auto parsed = parse(text);
  if (!parsed) return parsed.error();
  return expression(std::make_shared<const tree>(std::move(*parsed)));
}

}  // namespace evd::cesql
