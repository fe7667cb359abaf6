#include "bench/wire.hpp"

#include "bench/evd_wire.hpp"
#include "bench/nats_wire.hpp"
#include "bench/resp_wire.hpp"

namespace evd::bench {

std::string_view name_of(broker_kind kind) {
  switch (kind) {
    case broker_kind::evd:
      return "evd";
    case broker_kind::nats:
      return "nats";
    case broker_kind::redis:
      return "redis";
    case broker_kind::loopback:
      return "loopback";
  }
  return "?";
}

void wire::append_hello(std::string&) const {}

void wire::append_pong(std::string&) const {}

std::unique_ptr<wire> make_wire(broker_kind kind) {
  switch (kind) {
    case broker_kind::evd:
      return std::make_unique<evd_wire>();
    case broker_kind::nats:
      return std::make_unique<nats_wire>();
    case broker_kind::redis:
      return std::make_unique<resp_wire>();
    case broker_kind::loopback:
      return std::make_unique<loopback_wire>();
  }
  return nullptr;
}

}  // namespace evd::bench
