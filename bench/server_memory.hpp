// Reading the resident memory of the broker under test, for the
// per-connection memory figure.
#pragma once

#include <cstdint>
#include <optional>

namespace evd::bench {

// VmRSS of process `pid` in KiB, from /proc; nothing if it cannot be read.
std::optional<std::uint64_t> resident_kib(int pid);

}  // namespace evd::bench
