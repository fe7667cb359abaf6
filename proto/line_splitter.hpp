// Frames a byte stream into lines: one protocol message per line, ending in
// `\n` or `\r\n`. Copes with lines split across reads and many lines in one
// read, and refuses a line longer than its limit without buffering it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace evd::proto {

class line_splitter {
 public:
  enum class status { line, need_more, too_long };

  // `max_line` counts the line's bytes without its terminator.
  explicit line_splitter(std::size_t max_line);

  // Appends bytes read from the stream.
  void append(std::string_view bytes);

  // The next complete line, without its terminator, valid until the next
  // call to next() or append(). need_more when no full line is buffered;
  // too_long once a line exceeds the limit, after which the splitter is
  // spent (the stream cannot be resynchronised safely).
  status next(std::string_view& line);

  // Bytes of an unfinished line, e.g. what a client left at EOF.
  std::size_t pending() const noexcept { return buffer_.size() - start_; }

  // Gives the buffer's memory back when every line in it has been read,
  // for a connection about to wait: idle connections should cost little.
  void release_idle_buffer();

 private:
  std::size_t max_line_;
  std::string buffer_;
  std::size_t start_ = 0;  // where the next unread line begins
  std::size_t scan_ = 0;   // how far we have looked for '\n'
  bool spent_ = false;
};

}  // namespace evd::proto
