#include "match/cesql/parser.hpp"

#include <string>

#include <doctest/doctest.h>

namespace cesql = evd::cesql;
using cesql::node_kind;

namespace {

cesql::tree parsed(std::string_view text) {
  auto t = cesql::parse(text);
  REQUIRE_MESSAGE(t.has_value(), text << ": " << cesql::to_string(t.error()));
  return std::move(*t);
}

const cesql::node& root(const cesql::tree& t) { return t.nodes[t.root]; }

node_kind root_kind(std::string_view text) { return root(parsed(text)).kind; }

cesql::parse_error failure(std::string_view text) {
  auto t = cesql::parse(text);
  REQUIRE_MESSAGE(!t, text << " parsed");
  return t.error();
}

}  // namespace

TEST_SUITE("parser") {
  TEST_CASE("multiplication binds tighter than addition") {
    auto t = parsed("4 * 2 + 4 / 2");
    CHECK(root(t).kind == node_kind::add);
    CHECK(t.nodes[root(t).lhs].kind == node_kind::multiply);
    CHECK(t.nodes[root(t).rhs].kind == node_kind::divide);
  }

  TEST_CASE("arithmetic binds tighter than comparison") {
    CHECK(root_kind("a + 1 = b * 2") == node_kind::equal);
  }

  TEST_CASE("comparison binds tighter than the logical operators") {
    CHECK(root_kind("a = 1 AND b = 2") == node_kind::logical_and);
  }

  TEST_CASE("AND OR and XOR share a level and group from the left") {
    auto t = parsed("a OR b AND c");
    CHECK(root(t).kind == node_kind::logical_and);
    CHECK(t.nodes[root(t).lhs].kind == node_kind::logical_or);
  }

  TEST_CASE("unary NOT binds tighter than comparison") {
    auto t = parsed("NOT a = b");
    CHECK(root(t).kind == node_kind::equal);
    CHECK(t.nodes[root(t).lhs].kind == node_kind::logical_not);
  }

  TEST_CASE("IN and LIKE bind tighter than arithmetic") {
    CHECK(root_kind("1 + x IN (1, 2)") == node_kind::add);
    CHECK(root_kind("x LIKE 'a' = TRUE") == node_kind::equal);
  }

  TEST_CASE("NOT before LIKE or IN negates the operation") {
    auto like = parsed("x NOT LIKE 'a%'");
    CHECK(root(like).kind == node_kind::like);
    CHECK(root(like).negated);
    auto in = parsed("x NOT IN (1, 2, 3)");
    CHECK(root(in).kind == node_kind::in);
    CHECK(root(in).negated);
    CHECK(root(in).count == 3);
  }

  TEST_CASE("a sign before digits folds into the literal") {
    auto t = parsed("-2147483648");
    CHECK(root(t).kind == node_kind::literal);
    CHECK(t.literals[0] == cesql::value::integer(INT32_MIN));
    CHECK(parsed("+5").literals[0] == cesql::value::integer(5));
  }

  TEST_CASE("a minus before anything else is the negate operator") {
    CHECK(root_kind("-x") == node_kind::negate);
    CHECK(root_kind("--10") == node_kind::negate);
  }

  TEST_CASE("an integer literal out of the 32-bit range is a parse error") {
    auto e = failure("1 + 2147483648");
    CHECK(e.column == 5);
    CHECK(e.message.find("32-bit") != std::string::npos);
  }

  TEST_CASE("plain identifiers fold to lower case") {
    auto t = parsed("EXISTS SOURCE");
    CHECK(root(t).kind == node_kind::exists);
    CHECK(t.paths[0] == std::vector<std::string>{"source"});
  }

  TEST_CASE("a dotted identifier is a path with exact inner keys") {
    auto t = parsed("DATA.Repository.full_name");
    CHECK(root(t).kind == node_kind::attribute);
    CHECK(t.paths[0] ==
          std::vector<std::string>{"data", "Repository", "full_name"});
  }

  TEST_CASE("an underscore in a plain identifier is a parse error") {
    auto e = failure("x = full_name");
    CHECK(e.column == 5);
  }

  TEST_CASE("function names are resolved by name and arity") {
    auto t = parsed("substring('abc', 2)");
    CHECK(root(t).kind == node_kind::call);
    CHECK(root(t).function == cesql::builtin::substring_from);
    CHECK(root(t).result == cesql::type::string);
  }

  TEST_CASE("an unknown function compiles to a missing function node") {
    CHECK(root_kind("NOPE(1)") == node_kind::missing_function);
    CHECK(root_kind("CONCAT_WS()") == node_kind::missing_function);
  }

  TEST_CASE("a function name with digits is a parse error") {
    CHECK(failure("F1(2)").column == 1);
  }

  TEST_CASE("a LIKE pattern must be a string literal") {
    auto e = failure("x LIKE 123");
    CHECK(e.column == 8);
    CHECK(e.message.find("string literal") != std::string::npos);
  }

  TEST_CASE("an unclosed call points at the end of the text") {
    CHECK(failure("ABC(").column == 5);
    CHECK(failure("ABC(1,").column == 7);
  }

  TEST_CASE("an empty expression is a parse error") {
    CHECK(failure("").column == 1);
    CHECK(failure("   ").column == 4);
  }

  TEST_CASE("tokens after a complete expression are a parse error") {
    CHECK(failure("1 2").column == 3);
    CHECK(failure("(1))").column == 4);
  }

  TEST_CASE("NOT after an operand must introduce LIKE or IN") {
    CHECK(failure("a NOT b").column == 7);
  }

  TEST_CASE("EXISTS takes an identifier") {
    CHECK(failure("EXISTS 'a'").column == 8);
    CHECK(failure("EXISTS (a)").column == 8);
  }

  TEST_CASE("an empty IN set is a parse error") {
    CHECK(failure("a IN ()").column == 7);
  }

  TEST_CASE("deep nesting is a parse error rather than a stack overflow") {
    std::string parens(100000, '(');
    CHECK(failure(parens + "1").message.find("deeply") != std::string::npos);
    std::string nots;
    for (int i = 0; i < 100000; ++i) nots += "NOT ";
    CHECK(failure(nots + "TRUE").message.find("deeply") != std::string::npos);
  }

  TEST_CASE("long operator chains are bounded like nesting") {
    std::string chain = "1";
    for (std::size_t i = 0; i < cesql::max_nesting + 1; ++i) chain += " + 1";
    CHECK(failure(chain).message.find("deeply") != std::string::npos);
  }

  TEST_CASE("the root is the last node and children come first") {
    auto t = parsed("CONCAT(a, 'b') IN ('x', c)");
    CHECK(t.root + 1 == t.nodes.size());
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
      const auto& n = t.nodes[i];
      if (n.kind == node_kind::in || n.kind == node_kind::call) {
        for (std::uint32_t k = 0; k < n.count; ++k) {
          CHECK(t.arguments[n.first + k] < i);
        }
      }
    }
  }

  TEST_CASE("the tree keeps the source text") {
    CHECK(parsed(" a = 1 ").text == " a = 1 ");
  }
}
