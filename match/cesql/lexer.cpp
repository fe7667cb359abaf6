#include "match/cesql/lexer.hpp"

#include <array>
#include <cstdio>
#include <utility>

namespace evd::cesql {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool equals_ignoring_case(std::string_view a, std::string_view upper) {
  if (a.size() != upper.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

token_kind keyword_or_word(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, token_kind>, 9>
      keywords{{
          {"AND", token_kind::keyword_and},
          {"OR", token_kind::keyword_or},
          {"XOR", token_kind::keyword_xor},
          {"NOT", token_kind::keyword_not},
          {"LIKE", token_kind::keyword_like},
          {"IN", token_kind::keyword_in},
          {"EXISTS", token_kind::keyword_exists},
          {"TRUE", token_kind::keyword_true},
          {"FALSE", token_kind::keyword_false},
      }};
  for (const auto& [spelling, kind] : keywords) {
    if (equals_ignoring_case(word, spelling)) return kind;
  }
  return token_kind::word;
}

parse_error error_at(std::size_t offset, std::string message) {
  return parse_error{std::move(message), offset + 1};
}

std::string describe_byte(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  std::array<char, 8> hex{};
  std::snprintf(hex.data(), hex.size(), "0x%02x",
                static_cast<unsigned char>(c));
  return std::string("byte ") + hex.data();
}

class lexer {
 public:
  explicit lexer(std::string_view text) : text_(text) {}

  boost::system::result<std::vector<token>, parse_error> run() {
    std::vector<token> tokens;
    for (;;) {
      while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
      if (pos_ == text_.size()) break;
      auto next = scan();
      if (!next) return next.error();
      tokens.push_back(std::move(*next));
    }
    tokens.push_back(token{token_kind::end, text_.size(), {}});
    return tokens;
  }

 private:
  boost::system::result<token, parse_error> scan() {
    char c = text_[pos_];
    if (is_word_char(c)) return scan_word();
    if (c == '\'' || c == '"') return scan_string(c);
    return scan_operator();
  }

  token scan_word() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    std::string_view head = text_.substr(start, pos_ - start);
    bool digits_only = true;
    for (char c : head) digits_only = digits_only && is_digit(c);
    if (digits_only)
      return token{token_kind::integer, start, std::string(head)};

    // A dot directly followed by a word character continues the path.
    bool dotted = false;
    while (pos_ + 1 < text_.size() && text_[pos_] == '.' &&
           is_word_char(text_[pos_ + 1])) {
      dotted = true;
      ++pos_;
      while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    }
    std::string_view word = text_.substr(start, pos_ - start);
    token_kind kind = dotted ? token_kind::word : keyword_or_word(word);
    return token{kind, start, std::string(word)};
  }

  boost::system::result<token, parse_error> scan_string(char quote) {
    std::size_t start = pos_++;
    std::string contents;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == quote) {
        ++pos_;
        return token{token_kind::string, start, std::move(contents)};
      }
      if (c == '\\' && pos_ + 1 < text_.size()) {
        char escaped = text_[pos_ + 1];
        if (escaped != quote) contents.push_back('\\');
        contents.push_back(escaped);
        pos_ += 2;
        continue;
      }
      contents.push_back(c);
      ++pos_;
    }
    return error_at(start, "unterminated string literal");
  }

  boost::system::result<token, parse_error> scan_operator() {
    std::size_t start = pos_;
    char c = text_[pos_];
    char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    auto one = [&](token_kind kind) {
      pos_ += 1;
      return token{kind, start, {}};
    };
    auto two = [&](token_kind kind) {
      pos_ += 2;
      return token{kind, start, {}};
    };
    switch (c) {
      case '(':
        return one(token_kind::left_paren);
      case ')':
        return one(token_kind::right_paren);
      case ',':
        return one(token_kind::comma);
      case '+':
        return one(token_kind::plus);
      case '-':
        return one(token_kind::minus);
      case '*':
        return one(token_kind::star);
      case '/':
        return one(token_kind::slash);
      case '%':
        return one(token_kind::percent);
      case '=':
        return one(token_kind::equal);
      case '!':
        if (next == '=') return two(token_kind::not_equal);
        break;
      case '<':
        if (next == '>') return two(token_kind::not_equal);
        if (next == '=') return two(token_kind::less_equal);
        return one(token_kind::less);
      case '>':
        if (next == '=') return two(token_kind::greater_equal);
        return one(token_kind::greater);
      default:
        break;
    }
    return error_at(start, "unexpected " + describe_byte(c));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

boost::system::result<std::vector<token>, parse_error> tokenize(
    std::string_view text) {
  return lexer(text).run();
}

}  // namespace evd::cesql
