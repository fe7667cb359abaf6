// Listening sockets handed over by systemd (socket activation,
// $LISTEN_FDS), matched by the FileDescriptorName= of evd.socket.
#pragma once

#include <string_view>
#include <vector>

namespace evd::daemon {

// The name evd.socket gives its sockets; passed sockets with any other
// name are closed and logged, not served.
inline constexpr std::string_view activation_fd_name = "evd";

// Takes the descriptors systemd passed to this process, if any, and
// unsets $LISTEN_FDS so children do not inherit them. The caller owns the
// returned descriptors.
std::vector<int> take_activated_sockets();

}  // namespace evd::daemon
