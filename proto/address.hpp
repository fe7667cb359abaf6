// Where evd listens and clients connect, spelled `unix:PATH` or
// `tcp:HOST:PORT` on every command line, in the environment (EVD_ADDR) and
// in service files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evd::proto {

struct address {
  enum class transport { unix_socket, tcp };

  transport kind = transport::unix_socket;
  std::string path;  // unix_socket
  std::string host;  // tcp; an IPv6 literal may be bracketed: [::1]
  std::uint16_t port = 0;

  // Parses `unix:PATH` or `tcp:HOST:PORT`; nothing for anything else, with
  // the reason in `error`.
  static std::optional<address> parse(std::string_view text,
                                      std::string& error);

  // The canonical spelling, as parse() accepts it.
  std::string to_string() const;
};

// The TCP port evd listens on by default (loopback only).
inline constexpr std::uint16_t default_tcp_port = 7480;

// The default Unix socket: $XDG_RUNTIME_DIR/evd.sock, else
// /run/evd/evd.sock.
address default_unix_address();

// The default TCP address: 127.0.0.1 on default_tcp_port.
address default_tcp_address();

}  // namespace evd::proto
