#include "match/wildcard_pattern.hpp"

namespace evd::match {

std::optional<wildcard_pattern> wildcard_pattern::parse(
    std::string_view pattern, std::string& error) {
  wildcard_pattern parsed;
  parsed.pieces_.emplace_back();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '*') {
      parsed.pieces_.emplace_back();
      continue;
    }
    if (c == '\\') {
      if (i + 1 == pattern.size() ||
          (pattern[i + 1] != '*' && pattern[i + 1] != '\\')) {
        error = "has a backslash before something other than '*' or '\\'";
        return std::nullopt;
      }
      c = pattern[++i];
    }
    parsed.pieces_.back().push_back(c);
  }
  return parsed;
}

bool wildcard_pattern::matches(std::string_view text) const {
  const std::string& first = pieces_.front();
  if (pieces_.size() == 1) return text == first;

  const std::string& last = pieces_.back();
  if (text.size() < first.size() + last.size()) return false;
  if (!text.starts_with(first) || !text.ends_with(last)) return false;

  // Taking each middle piece at its earliest place leaves the most room
  // for the rest, so a search that fails here fails everywhere: no
  // backtracking is needed.
  std::string_view middle =
      text.substr(first.size(), text.size() - first.size() - last.size());
  for (std::size_t i = 1; i + 1 < pieces_.size(); ++i) {
    std::size_t at = middle.find(pieces_[i]);
    if (at == std::string_view::npos) return false;
    middle.remove_prefix(at + pieces_[i].size());
  }
  return true;
}

}  // namespace evd::match
