#include "match/cesql/operand.hpp"

namespace evd::cesql {

operand operand::of_boolean(bool b) {
  operand o;
  o.kind = type::boolean;
  o.boolean = b;
  return o;
}

operand operand::of_integer(std::int32_t i) {
  operand o;
  o.kind = type::integer;
  o.integer = i;
  return o;
}

operand operand::of_string(std::string_view s) {
  operand o;
  o.kind = type::string;
  o.text = s;
  return o;
}

operand operand::zero(type t) {
  operand o;
  o.kind = t;
  o.failed = true;
  return o;
}

void scratch::report(error_kind kind) {
  if (!error_) error_ = kind;
}

std::string_view scratch::keep(std::string text) {
  texts_.push_front(std::move(text));
  return texts_.front();
}

namespace {

operand failed_cast(type target, scratch& s) {
  s.report(error_kind::cast);
  return operand::zero(target);
}

operand to_integer(const operand& from, scratch& s) {
  switch (from.kind) {
    case type::integer:
      return from;
    case type::boolean:
      return operand::of_integer(from.boolean ? 1 : 0);
    case type::string:
      if (auto i = parse_integer(from.text)) return operand::of_integer(*i);
      return failed_cast(type::integer, s);
  }
  return failed_cast(type::integer, s);
}

operand to_string(const operand& from, scratch& s) {
  switch (from.kind) {
    case type::string:
      return from;
    case type::boolean:
      return operand::of_string(boolean_text(from.boolean));
    case type::integer:
      return operand::of_string(s.keep(integer_text(from.integer)));
  }
  return failed_cast(type::string, s);
}

// Whether a conversion is an operator's implicit one or a casting
// function's; they differ only for Integer to Boolean.
enum class conversion { implicit, explicit_call };

operand to_boolean(const operand& from, conversion how, scratch& s) {
  switch (from.kind) {
    case type::boolean:
      return from;
    case type::integer:
      if (how == conversion::explicit_call) {
        return operand::of_boolean(from.integer != 0);
      }
      return failed_cast(type::boolean, s);
    case type::string:
      if (auto b = parse_boolean(from.text)) return operand::of_boolean(*b);
      return failed_cast(type::boolean, s);
  }
  return failed_cast(type::boolean, s);
}

operand convert(const operand& from, type target, conversion how, scratch& s) {
  switch (target) {
    case type::integer:
      return to_integer(from, s);
    case type::string:
      return to_string(from, s);
    case type::boolean:
      return to_boolean(from, how, s);
  }
  return failed_cast(target, s);
}

}  // namespace

operand cast_implicit(const operand& from, type target, scratch& s) {
  return convert(from, target, conversion::implicit, s);
}

operand cast_explicit(const operand& from, type target, scratch& s) {
  return convert(from, target, conversion::explicit_call, s);
}

value to_value(const operand& o) {
  switch (o.kind) {
    case type::boolean:
      return value::boolean(o.boolean);
    case type::integer:
      return value::integer(o.integer);
    case type::string:
      return value::string(std::string(o.text));
  }
  return value{};
}

}  // namespace evd::cesql
