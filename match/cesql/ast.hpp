// The compiled form of a CESQL expression: a flat, immutable tree of nodes
// that the parser builds once and the evaluator walks per event.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "match/cesql/functions.hpp"
#include "match/cesql/like_pattern.hpp"
#include "match/cesql/value.hpp"

namespace evd::cesql {

enum class node_kind : std::uint8_t {
  literal,      // literals[payload]
  attribute,    // event value at paths[payload]
  exists,       // EXISTS paths[payload]
  negate,       // -lhs
  logical_not,  // NOT lhs
  multiply,     // lhs * rhs, and likewise for the binary kinds below
  divide,
  modulo,
  add,
  subtract,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  logical_and,
  logical_or,
  logical_xor,
  like,              // lhs [NOT] LIKE patterns[payload]
  in,                // lhs [NOT] IN (arguments[first, first + count))
  call,              // function(arguments[first, first + count))
  missing_function,  // a call no built-in signature accepts
};

struct node {
  node_kind kind = node_kind::literal;
  // Set for NOT LIKE and NOT IN.
  bool negated = false;
  // The static type of the node's value. Its zero value is what the node
  // yields when an operand fails. Attributes have no static type and use
  // Boolean, as CESQL prescribes.
  type result = type::boolean;
  builtin function = builtin::length;
  std::uint32_t lhs = 0;
  std::uint32_t rhs = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  std::uint32_t payload = 0;
};

// Children always precede their parent in `nodes`; `root` is the last node.
// Nothing refers to a tree's memory by address across a copy, so a tree may
// be copied or moved freely; once built it is only read.
struct tree {
  std::string text;
  std::vector<node> nodes;
  // Child indices of IN sets and call arguments.
  std::vector<std::uint32_t> arguments;
  std::vector<value> literals;
  // Attribute paths: the first element names a top-level attribute, any
  // further ones walk into nested JSON objects.
  std::vector<std::vector<std::string>> paths;
  std::vector<like_pattern> patterns;
  std::uint32_t root = 0;
};

}  // namespace evd::cesql
