#include "match/cesql/like_pattern.hpp"

#include "match/cesql/utf8.hpp"

namespace evd::cesql {

like_pattern::like_pattern(std::string_view pattern) {
  using kind = element::kind;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    bool escapable = i + 1 < pattern.size() &&
                     (pattern[i + 1] == '%' || pattern[i + 1] == '_' ||
                      pattern[i + 1] == '\\');
    if (c == '\\' && escapable) {
      elements_.push_back({kind::byte, pattern[++i]});
    } else if (c == '%') {
      // Adjacent runs match the same texts as a single one.
      if (elements_.empty() || elements_.back().what != kind::run) {
        elements_.push_back({kind::run, '\0'});
      }
    } else if (c == '_') {
      elements_.push_back({kind::one, '\0'});
    } else {
      elements_.push_back({kind::byte, c});
    }
  }
}

bool like_pattern::matches(std::string_view text) const {
  using kind = element::kind;
  const std::size_t none = elements_.size();
  std::size_t p = 0;
  std::size_t t = 0;

  // On a mismatch, retry from the most recent run, letting it swallow one
  // more character. Earlier runs never need revisiting: the latest one can
  // absorb anything they would have.
  std::size_t run_p = none;
  std::size_t run_t = 0;
  while (t < text.size()) {
    const element* e = p < elements_.size() ? &elements_[p] : nullptr;
    if (e && e->what == kind::byte && e->byte == text[t]) {
      ++p;
      ++t;
    } else if (e && e->what == kind::one) {
      ++p;
      t = utf8::next(text, t);
    } else if (e && e->what == kind::run) {
      run_p = p++;
      run_t = t;
    } else if (run_p != none) {
      p = run_p + 1;
      run_t = utf8::next(text, run_t);
      t = run_t;
    } else {
      return false;
    }
  }
  while (p < elements_.size() && elements_[p].what == kind::run) ++p;
  return p == elements_.size();
}

}  // namespace evd::cesql
