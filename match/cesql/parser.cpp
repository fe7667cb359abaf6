#include "match/cesql/parser.hpp"

#include <algorithm>
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "match/cesql/lexer.hpp"

namespace evd::cesql {
namespace {

template <typename T>
using result = boost::system::result<T, parse_error>;

// Node indices are what the grammar functions pass around.
using index = std::uint32_t;

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_alnum(char c) { return is_letter(c) || (c >= '0' && c <= '9'); }

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::optional<node_kind> logic_operator(token_kind t) {
  switch (t) {
    case token_kind::keyword_and:
      return node_kind::logical_and;
    case token_kind::keyword_or:
      return node_kind::logical_or;
    case token_kind::keyword_xor:
      return node_kind::logical_xor;
    default:
      return std::nullopt;
  }
}

std::optional<node_kind> comparison_operator(token_kind t) {
  switch (t) {
    case token_kind::equal:
      return node_kind::equal;
    case token_kind::not_equal:
      return node_kind::not_equal;
    case token_kind::less:
      return node_kind::less;
    case token_kind::less_equal:
      return node_kind::less_equal;
    case token_kind::greater:
      return node_kind::greater;
    case token_kind::greater_equal:
      return node_kind::greater_equal;
    default:
      return std::nullopt;
  }
}

std::optional<node_kind> additive_operator(token_kind t) {
  if (t == token_kind::plus) return node_kind::add;
  if (t == token_kind::minus) return node_kind::subtract;
  return std::nullopt;
}

std::optional<node_kind> multiplicative_operator(token_kind t) {
  if (t == token_kind::star) return node_kind::multiply;
  if (t == token_kind::slash) return node_kind::divide;
  if (t == token_kind::percent) return node_kind::modulo;
  return std::nullopt;
}

class parser {
 public:
  parser(std::string_view text, std::vector<token> tokens)
      : tokens_(std::move(tokens)) {
    tree_.text = std::string(text);
  }

  result<tree> run() {
    auto root = parse_logic();
    if (!root) return root.error();
    if (peek().kind != token_kind::end) {
      return error_here("unexpected " + spelling(peek()) +
                        " after a complete expression");
    }
    tree_.root = *root;
    assert(tree_.root + 1 == tree_.nodes.size());
    return std::move(tree_);
  }

 private:
  // Grammar, loosest level first. Each returns the index of its node.

  result<index> parse_logic() {
    if (++nesting_ > max_nesting) {
      return error_here("expression nests too deeply");
    }
    auto logic =
        parse_level(&parser::parse_comparison, logic_operator, type::boolean);
    --nesting_;
    return logic;
  }

  result<index> parse_comparison() {
    return parse_level(&parser::parse_additive, comparison_operator,
                       type::boolean);
  }

  result<index> parse_additive() {
    return parse_level(&parser::parse_multiplicative, additive_operator,
                       type::integer);
  }

  result<index> parse_multiplicative() {
    return parse_level(&parser::parse_postfix, multiplicative_operator,
                       type::integer);
  }

  // One left-associative level of binary operators: operands come from
  // `next`, and `operator_of` names the operators of the level.
  result<index> parse_level(result<index> (parser::*next)(),
                            std::optional<node_kind> (*operator_of)(token_kind),
                            type result_type) {
    auto lhs = (this->*next)();
    while (lhs) {
      auto kind = operator_of(peek().kind);
      if (!kind) return lhs;
      advance();
      auto rhs = (this->*next)();
      if (!rhs) return rhs;
      lhs = binary(*kind, *lhs, *rhs, result_type);
    }
    return lhs;
  }

  // LIKE and IN, each optionally negated, applied to a unary operand.
  result<index> parse_postfix() {
    auto lhs = parse_unary();
    while (lhs) {
      bool negated = peek().kind == token_kind::keyword_not;
      token_kind op = peek(negated ? 1 : 0).kind;
      if (op != token_kind::keyword_like && op != token_kind::keyword_in) {
        if (negated) {
          advance();
          return error_here("expected LIKE or IN after NOT, found " +
                            spelling(peek()));
        }
        return lhs;
      }
      advance(negated ? 2 : 1);
      lhs = op == token_kind::keyword_like ? parse_like(*lhs, negated)
                                           : parse_in(*lhs, negated);
    }
    return lhs;
  }

  result<index> parse_like(index lhs, bool negated) {
    if (peek().kind != token_kind::string) {
      return error_here("the pattern of LIKE must be a string literal, found " +
                        spelling(peek()));
    }
    node n{.kind = node_kind::like, .negated = negated, .lhs = lhs};
    n.payload = static_cast<index>(tree_.patterns.size());
    tree_.patterns.emplace_back(advance().text);
    return add(n, {lhs});
  }

  result<index> parse_in(index lhs, bool negated) {
    if (peek().kind != token_kind::left_paren) {
      return error_here("expected '(' to open the set of IN, found " +
                        spelling(peek()));
    }
    advance();
    auto elements = parse_list("the set of IN");
    if (!elements) return elements.error();
    node n{.kind = node_kind::in, .negated = negated, .lhs = lhs};
    return add_with_arguments(n, std::move(*elements));
  }

  result<index> parse_unary() {
    const token& t = peek();
    if (t.kind == token_kind::keyword_not) {
      advance();
      return unary(node_kind::logical_not, type::boolean);
    }
    if (t.kind == token_kind::minus || t.kind == token_kind::plus) {
      // A sign directly before digits is part of the literal, which is how
      // -2147483648 stays reachable.
      bool minus = t.kind == token_kind::minus;
      if (peek(1).kind == token_kind::integer) {
        advance();
        return integer_literal(advance(), minus);
      }
      if (!minus) return error_here("'+' must be followed by digits");
      advance();
      return unary(node_kind::negate, type::integer);
    }
    if (t.kind == token_kind::keyword_exists) {
      advance();
      if (peek().kind != token_kind::word) {
        return error_here("expected an attribute name after EXISTS, found " +
                          spelling(peek()));
      }
      return attribute(advance(), node_kind::exists);
    }
    return parse_primary();
  }

  result<index> unary(node_kind kind, type result_type) {
    if (++nesting_ > max_nesting)
      return error_here("expression nests too deeply");
    auto operand = parse_unary();
    --nesting_;
    if (!operand) return operand;
    node n{.kind = kind, .result = result_type, .lhs = *operand};
    return add(n, {*operand});
  }

  result<index> parse_primary() {
    const token& t = peek();
    switch (t.kind) {
      case token_kind::integer:
        return integer_literal(advance(), false);
      case token_kind::string:
        return literal(value::string(advance().text));
      case token_kind::keyword_true:
      case token_kind::keyword_false:
        return literal(
            value::boolean(advance().kind == token_kind::keyword_true));
      case token_kind::left_paren:
        return parse_parenthesized();
      case token_kind::word:
        if (peek(1).kind == token_kind::left_paren) return parse_call();
        return attribute(advance(), node_kind::attribute);
      default:
        return error_here("expected a value, found " + spelling(t));
    }
  }

  result<index> parse_parenthesized() {
    advance();
    auto inner = parse_logic();
    if (!inner) return inner;
    if (peek().kind != token_kind::right_paren) {
      return error_here("expected ')', found " + spelling(peek()));
    }
    advance();
    return inner;
  }

  result<index> parse_call() {
    const token& name_token = advance();
    std::string_view name = name_token.text;
    bool valid = is_letter(name.front()) &&
                 std::all_of(name.begin(), name.end(),
                             [](char c) { return is_letter(c) || c == '_'; });
    if (!valid) {
      return error_at(name_token, "invalid function name " + quoted(name) +
                                      ": letters and '_' only");
    }
    advance();
    std::vector<index> args;
    if (peek().kind == token_kind::right_paren) {
      advance();
    } else {
      auto list = parse_list("the arguments of " + quoted(name));
      if (!list) return list.error();
      args = std::move(*list);
    }

    const signature* sig = find_builtin(to_upper(name), args.size());
    node n{.kind = node_kind::missing_function};
    if (sig) {
      n.kind = node_kind::call;
      n.function = sig->id;
      n.result = sig->result;
    }
    return add_with_arguments(n, std::move(args));
  }

  // Parses "expression (',' expression)* ')'" after an opening '('.
  result<std::vector<index>> parse_list(const std::string& what) {
    std::vector<index> items;
    for (;;) {
      auto item = parse_logic();
      if (!item) return item.error();
      items.push_back(*item);
      if (peek().kind == token_kind::comma) {
        advance();
        continue;
      }
      if (peek().kind == token_kind::right_paren) {
        advance();
        return items;
      }
      return error_here("expected ',' or ')' in " + what + ", found " +
                        spelling(peek()));
    }
  }

  // Node construction.

  result<index> integer_literal(const token& digits, bool negative) {
    std::string text = (negative ? "-" : "") + digits.text;
    auto i = parse_integer(text);
    if (!i) {
      return error_at(digits, "integer literal " + text +
                                  " is outside the 32-bit signed range");
    }
    return literal(value::integer(*i));
  }

  result<index> literal(value v) {
    node n{.kind = node_kind::literal, .result = v.kind()};
    n.payload = static_cast<index>(tree_.literals.size());
    tree_.literals.push_back(std::move(v));
    return add(n, {});
  }

  result<index> attribute(const token& t, node_kind kind) {
    auto path = split_path(t);
    if (!path) return path.error();
    node n{.kind = kind};
    n.payload = static_cast<index>(tree_.paths.size());
    tree_.paths.push_back(std::move(*path));
    return add(n, {});
  }

  result<std::vector<std::string>> split_path(const token& t) {
    std::vector<std::string> segments;
    std::string_view rest = t.text;
    for (;;) {
      std::size_t dot = rest.find('.');
      std::string_view segment = rest.substr(0, dot);
      if (segments.empty()) {
        if (!std::all_of(segment.begin(), segment.end(), is_alnum)) {
          return error_at(t, "invalid attribute name " + quoted(segment) +
                                 ": letters and digits only");
        }
        segments.push_back(to_lower(segment));
      } else {
        segments.emplace_back(segment);
      }
      if (dot == std::string_view::npos) return segments;
      rest.remove_prefix(dot + 1);
    }
  }

  result<index> binary(node_kind kind, index lhs, index rhs, type result_type) {
    node n{.kind = kind, .result = result_type, .lhs = lhs, .rhs = rhs};
    return add(n, {lhs, rhs});
  }

  // Adds `n` with `args` as its argument list. An IN node's left operand is
  // in n.lhs; it counts towards the depth but is not an argument.
  result<index> add_with_arguments(node n, std::vector<index> args) {
    n.first = static_cast<index>(tree_.arguments.size());
    n.count = static_cast<index>(args.size());
    tree_.arguments.insert(tree_.arguments.end(), args.begin(), args.end());
    if (n.kind == node_kind::in) args.push_back(n.lhs);
    return add(n, args);
  }

  // Appends `n` and checks that the tree stays shallow enough to walk
  // recursively.
  result<index> add(const node& n, const std::vector<index>& children) {
    std::size_t depth = 1;
    for (index child : children) depth = std::max(depth, depth_[child] + 1);
    if (depth > max_nesting) return error_here("expression nests too deeply");
    tree_.nodes.push_back(n);
    depth_.push_back(depth);
    return static_cast<index>(tree_.nodes.size() - 1);
  }

  // Token access and errors.

  const token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }

  const token& advance(std::size_t count = 1) {
    const token& t = peek();
    next_ = std::min(next_ + count, tokens_.size() - 1);
    return t;
  }

  std::string spelling(const token& t) const {
    switch (t.kind) {
      case token_kind::integer:
        return t.text;
      case token_kind::word:
        return quoted(t.text);
      default:
        return std::string(describe(t.kind));
    }
  }

  parse_error error_at(const token& t, std::string message) const {
    return parse_error{std::move(message), t.offset + 1};
  }

  parse_error error_here(std::string message) const {
    return error_at(peek(), std::move(message));
  }

  std::vector<token> tokens_;
  std::size_t next_ = 0;
  std::size_t nesting_ = 0;
  std::vector<std::size_t> depth_;
  tree tree_;
};

}  // namespace

result<tree> parse(std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tokens.error();
  return parser(text, std::move(*tokens)).run();
}

}  // namespace evd::cesql
