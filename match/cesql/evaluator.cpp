#include "match/cesql/evaluator.hpp"

#include <climits>
#include <cstdint>

#include <boost/container/small_vector.hpp>
#include <nlohmann/json.hpp>

namespace evd::cesql {
namespace {

using json = nlohmann::json;

// Returns the value `path` names in `event`, or nullptr when it is missing.
const json* find(const json& event, const std::vector<std::string>& path) {
  const json* at = &event;
  for (const std::string& key : path) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at->is_null() ? nullptr : at;
}

operand from_json(const json& j, scratch& s) {
  switch (j.type()) {
    case json::value_t::string:
      return operand::of_string(j.get_ref<const std::string&>());
    case json::value_t::boolean:
      return operand::of_boolean(j.get<bool>());
    case json::value_t::number_integer: {
      auto i = j.get<std::int64_t>();
      if (i >= INT32_MIN && i <= INT32_MAX) {
        return operand::of_integer(static_cast<std::int32_t>(i));
      }
      break;
    }
    case json::value_t::number_unsigned: {
      auto u = j.get<std::uint64_t>();
      if (u <= INT32_MAX)
        return operand::of_integer(static_cast<std::int32_t>(u));
      break;
    }
    default:
      break;
  }
  // Replace invalid UTF-8 instead of letting dump() throw.
  return operand::of_string(
      s.keep(j.dump(-1, ' ', false, json::error_handler_t::replace)));
}

bool equal(const operand& a, const operand& b) {
  switch (a.kind) {
    case type::boolean:
      return a.boolean == b.boolean;
    case type::integer:
      return a.integer == b.integer;
    case type::string:
      return a.text == b.text;
  }
  return false;
}

operand with_failure(operand o, bool failed) {
  o.failed = o.failed || failed;
  return o;
}

class walker {
 public:
  walker(const tree& t, const json& event, scratch& s)
      : tree_(t), event_(event), scratch_(s) {}

  operand eval(std::uint32_t i) {
    const node& n = tree_.nodes[i];
    switch (n.kind) {
      case node_kind::literal:
        return literal(n);
      case node_kind::attribute:
        return attribute(n);
      case node_kind::exists:
        return operand::of_boolean(find(event_, tree_.paths[n.payload]) !=
                                   nullptr);
      case node_kind::negate:
        return negate(n);
      case node_kind::logical_not:
        return logical_not(n);
      case node_kind::multiply:
      case node_kind::divide:
      case node_kind::modulo:
      case node_kind::add:
      case node_kind::subtract:
        return arithmetic(n);
      case node_kind::equal:
      case node_kind::not_equal:
      case node_kind::less:
      case node_kind::less_equal:
      case node_kind::greater:
      case node_kind::greater_equal:
        return comparison(n);
      case node_kind::logical_and:
      case node_kind::logical_or:
      case node_kind::logical_xor:
        return logical(n);
      case node_kind::like:
        return like(n);
      case node_kind::in:
        return in(n);
      case node_kind::call:
        return call(n);
      case node_kind::missing_function:
        scratch_.report(error_kind::missing_function);
        return operand::zero(type::boolean);
    }
    scratch_.report(error_kind::generic);
    return operand::zero(type::boolean);
  }

 private:
  operand literal(const node& n) {
    const value& v = tree_.literals[n.payload];
    switch (v.kind()) {
      case type::boolean:
        return operand::of_boolean(v.as_boolean());
      case type::integer:
        return operand::of_integer(v.as_integer());
      case type::string:
        return operand::of_string(v.as_string());
    }
    return operand::zero(type::boolean);
  }

  operand attribute(const node& n) {
    const json* j = find(event_, tree_.paths[n.payload]);
    if (j) return from_json(*j, scratch_);
    scratch_.report(error_kind::missing_attribute);
    return operand::zero(n.result);
  }

  operand negate(const node& n) {
    operand x = eval(n.lhs);
    if (x.failed) return operand::zero(type::integer);
    x = cast_implicit(x, type::integer, scratch_);
    return integer_result(-static_cast<std::int64_t>(x.integer), x.failed);
  }

  operand logical_not(const node& n) {
    operand x = eval(n.lhs);
    if (x.failed) return operand::zero(type::boolean);
    x = cast_implicit(x, type::boolean, scratch_);
    return with_failure(operand::of_boolean(!x.boolean), x.failed);
  }

  operand arithmetic(const node& n) {
    operand x = eval(n.lhs);
    if (x.failed) return operand::zero(type::integer);
    operand y = eval(n.rhs);
    if (y.failed) return operand::zero(type::integer);
    x = cast_implicit(x, type::integer, scratch_);
    y = cast_implicit(y, type::integer, scratch_);
    bool cast_failed = x.failed || y.failed;

    // 64-bit arithmetic cannot overflow on 32-bit operands, so overflow is
    // a range check on the result.
    std::int64_t a = x.integer;
    std::int64_t b = y.integer;
    switch (n.kind) {
      case node_kind::multiply:
        return integer_result(a * b, cast_failed);
      case node_kind::add:
        return integer_result(a + b, cast_failed);
      case node_kind::subtract:
        return integer_result(a - b, cast_failed);
      case node_kind::divide:
        if (b == 0) return math_error(type::integer);
        return integer_result(a / b, cast_failed);
      default:
        if (b == 0) return math_error(type::integer);
        return integer_result(a % b, cast_failed);
    }
  }

  // Narrows an exact result to 32 bits. Out of range is a math error and
  // yields the two's complement wrap of the exact result.
  operand integer_result(std::int64_t exact, bool failed) {
    auto wrapped = static_cast<std::int32_t>(
        static_cast<std::uint32_t>(static_cast<std::uint64_t>(exact)));
    if (wrapped != exact) {
      scratch_.report(error_kind::math);
      failed = true;
    }
    return with_failure(operand::of_integer(wrapped), failed);
  }

  operand math_error(type t) {
    scratch_.report(error_kind::math);
    return operand::zero(t);
  }

  operand comparison(const node& n) {
    operand x = eval(n.lhs);
    if (x.failed) return operand::zero(type::boolean);
    operand y = eval(n.rhs);
    if (y.failed) return operand::zero(type::boolean);

    // = and != exist for every type; CESQL picks the overload by the right
    // operand's type and converts the left one to it. The orderings exist
    // for integers only.
    bool equality =
        n.kind == node_kind::equal || n.kind == node_kind::not_equal;
    type target = equality ? y.kind : type::integer;
    x = cast_implicit(x, target, scratch_);
    y = cast_implicit(y, target, scratch_);
    bool failed = x.failed || y.failed;

    bool answer = false;
    switch (n.kind) {
      case node_kind::equal:
        answer = equal(x, y);
        break;
      case node_kind::not_equal:
        answer = !equal(x, y);
        break;
      case node_kind::less:
        answer = x.integer < y.integer;
        break;
      case node_kind::less_equal:
        answer = x.integer <= y.integer;
        break;
      case node_kind::greater:
        answer = x.integer > y.integer;
        break;
      default:
        answer = x.integer >= y.integer;
        break;
    }
    return with_failure(operand::of_boolean(answer), failed);
  }

  operand logical(const node& n) {
    operand x = eval(n.lhs);
    if (x.failed) return operand::zero(type::boolean);
    x = cast_implicit(x, type::boolean, scratch_);

    // Short-circuit: the right operand is not evaluated at all.
    if (n.kind == node_kind::logical_and && !x.boolean) {
      return with_failure(operand::of_boolean(false), x.failed);
    }
    if (n.kind == node_kind::logical_or && x.boolean) {
      return operand::of_boolean(true);
    }

    operand y = eval(n.rhs);
    if (y.failed) return operand::zero(type::boolean);
    y = cast_implicit(y, type::boolean, scratch_);
    bool answer =
        n.kind == node_kind::logical_xor ? x.boolean != y.boolean : y.boolean;
    return with_failure(operand::of_boolean(answer), x.failed || y.failed);
  }

  operand like(const node& n) {
    operand x = eval(n.lhs);
    if (x.failed) return operand::zero(type::boolean);
    x = cast_implicit(x, type::string, scratch_);
    bool answer = tree_.patterns[n.payload].matches(x.text) != n.negated;
    return with_failure(operand::of_boolean(answer), x.failed);
  }

  // Every element is evaluated, so that whether an error is reported does
  // not depend on where a match sits in the set.
  operand in(const node& n) {
    operand x = eval(n.lhs);
    if (x.failed) return operand::zero(type::boolean);
    bool found = false;
    bool failed = false;
    for (std::uint32_t k = 0; k < n.count; ++k) {
      operand e = eval(tree_.arguments[n.first + k]);
      if (e.failed) return operand::zero(type::boolean);
      e = cast_implicit(e, x.kind, scratch_);
      failed = failed || e.failed;
      found = found || equal(x, e);
    }
    return with_failure(operand::of_boolean(found != n.negated), failed);
  }

  operand call(const node& n) {
    const signature& sig = signature_of(n.function);
    boost::container::small_vector<operand, 4> args;
    bool failed = false;
    for (std::uint32_t k = 0; k < n.count; ++k) {
      operand a = eval(tree_.arguments[n.first + k]);
      if (a.failed) return operand::zero(n.result);
      if (auto target = parameter_type(sig, k)) {
        a = cast_implicit(a, *target, scratch_);
        failed = failed || a.failed;
      }
      args.push_back(a);
    }
    return with_failure(cesql::call(n.function, args, scratch_), failed);
  }

  const tree& tree_;
  const json& event_;
  scratch& scratch_;
};

}  // namespace

operand evaluate(const tree& t, const nlohmann::json& event, scratch& s) {
  return walker(t, event, s).eval(t.root);
}

}  // namespace evd::cesql
