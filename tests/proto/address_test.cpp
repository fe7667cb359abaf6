#include "proto/address.hpp"

#include <cstdlib>
#include <optional>
#include <string>

#include <doctest/doctest.h>

namespace evd::proto {
namespace {

using transport = address::transport;

address accepted(std::string_view text) {
  std::string error;
  auto a = address::parse(text, error);
  INFO("text: " << text);
  REQUIRE_MESSAGE(a.has_value(), error);
  return *a;
}

std::string refusal(std::string_view text) {
  std::string error;
  auto a = address::parse(text, error);
  INFO("text: " << text);
  CHECK_FALSE(a.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

// Sets or unsets an environment variable for one scope and restores the
// previous value on the way out.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~scoped_env() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_SUITE("address") {
  TEST_CASE("a unix address holds its path") {
    auto a = accepted("unix:/run/evd/evd.sock");
    CHECK(a.kind == transport::unix_socket);
    CHECK(a.path == "/run/evd/evd.sock");
    CHECK(accepted("unix:relative.sock").path == "relative.sock");
    CHECK(accepted("unix:/a:b").path == "/a:b");
  }

  TEST_CASE("a unix address needs a path") { refusal("unix:"); }

  TEST_CASE("a tcp address holds its host and port") {
    auto a = accepted("tcp:127.0.0.1:7480");
    CHECK(a.kind == transport::tcp);
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == 7480);

    auto named = accepted("tcp:localhost:0");
    CHECK(named.host == "localhost");
    CHECK(named.port == 0);
    CHECK(accepted("tcp:h:65535").port == 65535);
  }

  TEST_CASE("a bracketed IPv6 host is stored without brackets") {
    auto a = accepted("tcp:[::1]:7480");
    CHECK(a.kind == transport::tcp);
    CHECK(a.host == "::1");
    CHECK(a.port == 7480);
    CHECK(accepted("tcp:[fe80::1%eth0]:80").host == "fe80::1%eth0");
  }

  TEST_CASE("an unbracketed IPv6 host splits at the last colon") {
    auto a = accepted("tcp:::1:80");
    CHECK(a.host == "::1");
    CHECK(a.port == 80);
  }

  TEST_CASE("a bad port is refused") {
    for (auto text : {"tcp:h:", "tcp:h:65536", "tcp:h:-1", "tcp:h:+80",
                      "tcp:h:80x", "tcp:h: 80", "tcp:h:0x50",
                      "tcp:h:99999999999999999999", "tcp:[::1]"}) {
      CHECK(refusal(text).find("port") != std::string::npos);
    }
  }

  TEST_CASE("a tcp address needs a host and a port") {
    refusal("tcp:");
    refusal("tcp:localhost");
    refusal("tcp::80");
    refusal("tcp:[]:80");
  }

  TEST_CASE("other schemes are refused") {
    for (auto text : {"", "/run/evd.sock", "udp:h:1", "UNIX:/x", "tcp", "unix",
                      " unix:/x"}) {
      refusal(text);
    }
  }

  TEST_CASE("to_string spells what parse accepts") {
    for (auto text : {"unix:/run/evd/evd.sock", "unix:x", "tcp:127.0.0.1:1",
                      "tcp:localhost:7480", "tcp:[::1]:80",
                      "tcp:[fe80::1%eth0]:65535", "tcp:h:0"}) {
      CAPTURE(text);
      CHECK(accepted(text).to_string() == text);
      CHECK(accepted(accepted(text).to_string()).to_string() == text);
    }
  }

  TEST_CASE("to_string brackets an IPv6 host given without brackets") {
    CHECK(accepted("tcp:::1:80").to_string() == "tcp:[::1]:80");
  }

  TEST_CASE("the default unix socket lives in XDG_RUNTIME_DIR") {
    SUBCASE("when it is set") {
      scoped_env env("XDG_RUNTIME_DIR", "/run/user/1000");
      auto a = default_unix_address();
      CHECK(a.kind == transport::unix_socket);
      CHECK(a.path == "/run/user/1000/evd.sock");
    }
    SUBCASE("else in /run/evd") {
      scoped_env env("XDG_RUNTIME_DIR", nullptr);
      CHECK(default_unix_address().path == "/run/evd/evd.sock");
    }
    SUBCASE("else in /run/evd when it is empty") {
      scoped_env env("XDG_RUNTIME_DIR", "");
      CHECK(default_unix_address().path == "/run/evd/evd.sock");
    }
  }

  TEST_CASE("the default tcp address is loopback on the default port") {
    auto a = default_tcp_address();
    CHECK(a.kind == transport::tcp);
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == default_tcp_port);
    CHECK(a.to_string() == "tcp:127.0.0.1:7480");
  }
}

}  // namespace
}  // namespace evd::proto
