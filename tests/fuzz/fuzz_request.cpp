// libFuzzer target: bytes from a client, framed by line_splitter and parsed
// by proto::parse_request. The first byte picks how the input is chunked,
// so framing is exercised across read boundaries too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/line_splitter.hpp"
#include "proto/request.hpp"
#include "proto/strict_json.hpp"

namespace {

// parse_strict's fast path must accept, refuse and build exactly what the
// reference parse does; any difference is a crash for the fuzzer.
void check_agreement(std::string_view line) {
  std::string fast_error, reference_error;
  auto fast = evd::proto::parse_strict(line, fast_error);
  auto reference = evd::proto::parse_strict_reference(line, reference_error);
  if (fast.has_value() != reference.has_value()) std::abort();
  if (fast && !evd::proto::same_document(*fast, *reference)) std::abort();
  if (!fast && fast_error != reference_error) std::abort();
}

}  // namespace

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
      check_agreement(line);
    }
  }
  // The whole input as one line, as a client that never sends '\n'.
  (void)evd::proto::parse_request(input);
  check_agreement(input);
  return 0;
}
