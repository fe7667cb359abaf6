#include "bench/server_memory.hpp"

#include <fstream>
#include <string>

namespace evd::bench {

std::optional<std::uint64_t> resident_kib(int pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      std::uint64_t kib = 0;
      if (status >> kib) return kib;
      return std::nullopt;
    }
    status.ignore(4096, '\n');
  }
  return std::nullopt;
}

}  // namespace evd::bench
