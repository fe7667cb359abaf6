#include "proto/line_splitter.hpp"

namespace evd::proto {

line_splitter::line_splitter(std::size_t max_line) : max_line_(max_line) {}

void line_splitter::append(std::string_view bytes) {
  // Compact before growing so the buffer holds at most one partial line
  // plus one read.
  if (start_ > 0) {
    buffer_.erase(0, start_);
    scan_ -= start_;
    start_ = 0;
  }
  buffer_.append(bytes);
}

void line_splitter::release_idle_buffer() {
  if (pending() != 0) return;
  std::string().swap(buffer_);
  start_ = 0;
  scan_ = 0;
}

line_splitter::status line_splitter::next(std::string_view& line) {
  if (spent_) return status::too_long;

  std::size_t newline = buffer_.find('\n', scan_);
  if (newline == std::string::npos) {
    scan_ = buffer_.size();
    // A `\r` may still turn out to be the first half of the terminator.
    std::size_t partial = buffer_.size() - start_;
    if (partial > max_line_ + 1 ||
        (partial == max_line_ + 1 && buffer_.back() != '\r')) {
      spent_ = true;
      return status::too_long;
    }
    return status::need_more;
  }

  std::size_t end = newline;
  if (end > start_ && buffer_[end - 1] == '\r') --end;
  if (end - start_ > max_line_) {
    spent_ = true;
    return status::too_long;
  }
  line = std::string_view(buffer_).substr(start_, end - start_);
  start_ = newline + 1;
  scan_ = start_;
  return status::line;
}

}  // namespace evd::proto
