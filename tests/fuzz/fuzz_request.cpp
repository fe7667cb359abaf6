// libFuzzer target: bytes from a client, framed by line_splitter and parsed
// by proto::parse_request. The first byte picks how the input is chunked,
// so framing is exercised across read boundaries too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proto/line_splitter.hpp"
#include "proto/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0) return 0;
  std::size_t chunk = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  // A small line limit, so that too_long is reached as well.
  evd::proto::line_splitter lines(256);
  std::string_view line;
  for (std::size_t at = 0; at < input.size(); at += chunk) {
    lines.append(input.substr(at, chunk));
    for (;;) {
      auto status = lines.next(line);
      if (status != evd::proto::line_splitter::status::line) break;
      (void)evd::proto::parse_request(line);
    }
  }
  // The whole input as one line, as a client that never sends '\n'.
  (void)evd::proto::parse_request(input);
  return 0;
}
