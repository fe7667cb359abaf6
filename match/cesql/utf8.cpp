#include "match/cesql/utf8.hpp"

#include <cstdint>

namespace evd::cesql::utf8 {
namespace {

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

// Decodes the code point starting at `pos`; a malformed or truncated
// sequence decodes as its lead byte so that callers always make progress.
std::uint32_t decode(std::string_view text, std::size_t pos, std::size_t end) {
  auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(text[i]));
  };
  std::uint32_t lead = byte(pos);
  std::size_t count = 0;
  std::uint32_t cp = lead;
  if (lead >= 0xf0) {
    count = 3;
    cp = lead & 0x07;
  } else if (lead >= 0xe0) {
    count = 2;
    cp = lead & 0x0f;
  } else if (lead >= 0xc0) {
    count = 1;
    cp = lead & 0x1f;
  }
  if (count != 0 && pos + count >= end) return lead;
  for (std::size_t i = 1; i <= count; ++i) {
    if (!is_continuation(text[pos + i])) return lead;
    cp = (cp << 6) | (byte(pos + i) & 0x3f);
  }
  return cp;
}

bool is_white_space(std::uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

}  // namespace

std::size_t length(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += is_continuation(c) ? 0 : 1;
  return count;
}

std::size_t next(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return text.size();
  ++pos;
  while (pos < text.size() && is_continuation(text[pos])) ++pos;
  return pos;
}

std::size_t offset_of(std::string_view text, std::size_t index) {
  std::size_t pos = 0;
  while (index > 0 && pos < text.size()) {
    pos = next(text, pos);
    --index;
  }
  return pos;
}

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size() &&
         is_white_space(decode(text, begin, text.size()))) {
    begin = next(text, begin);
  }

  // Walk back to the start of the last code point before testing it.
  std::size_t end = text.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && is_continuation(text[start])) --start;
    if (!is_white_space(decode(text, start, end))) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

}  // namespace evd::cesql::utf8
