#include "proto/address.hpp"

#include <charconv>
#include <cstdlib>

namespace evd::proto {

std::optional<address> address::parse(std::string_view text,
                                      std::string& error) {
  address a;
  if (text.starts_with("unix:")) {
    a.kind = transport::unix_socket;
    a.path = std::string(text.substr(5));
    if (a.path.empty()) {
      error = "unix address needs a path: unix:PATH";
      return std::nullopt;
    }
    return a;
  }
  if (!text.starts_with("tcp:")) {
    error = "address must start with unix: or tcp:, got '" + std::string(text) +
            "'";
    return std::nullopt;
  }

  std::string_view rest = text.substr(4);
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    error = "tcp address needs a host and a port: tcp:HOST:PORT";
    return std::nullopt;
  }
  std::string_view host = rest.substr(0, colon);
  std::string_view port = rest.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    error = "tcp address needs a host and a port: tcp:HOST:PORT";
    return std::nullopt;
  }
  unsigned value = 0;
  auto [end, ec] =
      std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || end != port.data() + port.size() || value > 65535 ||
      port.empty()) {
    error = "tcp port must be a number from 0 to 65535, got '" +
            std::string(port) + "'";
    return std::nullopt;
  }
  a.kind = transport::tcp;
  a.host = std::string(host);
  a.port = static_cast<std::uint16_t>(value);
  return a;
}

std::string address::to_string() const {
  if (kind == transport::unix_socket) return "unix:" + path;
  bool v6 = host.find(':') != std::string::npos;
  return "tcp:" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

address default_unix_address() {
  address a;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string dir = runtime && *runtime ? runtime : "/run/evd";
  a.path = dir + "/evd.sock";
  return a;
}

address default_tcp_address() {
  address a;
  a.kind = address::transport::tcp;
  a.host = "127.0.0.1";
  a.port = default_tcp_port;
  return a;
}

}  // namespace evd::proto
