#include "daemon/socket_activation.hpp"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

namespace evd::daemon {

std::vector<int> take_activated_sockets() {
  char** names = nullptr;
  int n = ::sd_listen_fds_with_names(1, &names);
  std::vector<int> fds;
  if (n < 0) {
    spdlog::warn("cannot read passed sockets ec={}", n);
    return fds;
  }
  for (int i = 0; i < n; ++i) {
    int fd = SD_LISTEN_FDS_START + i;
    std::string name = names && names[i] ? names[i] : "";
    if (name == activation_fd_name && ::sd_is_socket(fd, 0, SOCK_STREAM, 1)) {
      fds.push_back(fd);
    } else {
      spdlog::warn("ignoring passed socket fd={} name={}", fd, name);
      ::close(fd);
    }
  }
  if (names) {
    for (int i = 0; i < n; ++i) std::free(names[i]);
    std::free(names);
  }
  return fds;
}

}  // namespace evd::daemon
