#!/usr/bin/env bash
# Installs everything evd needs to build, test and benchmark on Debian 12.
# Run as root. Safe to run again: apt skips what is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev nlohmann-json3-dev libspdlog-dev libcli11-dev
  doctest-dev libyaml-cpp-dev libsimdjson-dev libsystemd-dev
  socat procps systemd
)
for option in "$@"; do
  case "$option" in
    # Brokers the benchmark compares against; never needed to run evd.
    --peers) packages+=(nats-server redis-server mosquitto) ;;
    # What CI adds: clang and its libFuzzer runtime, and the peers.
    --ci) packages+=(clang libclang-rt-14-dev nats-server redis-server
            mosquitto) ;;
    *) echo "usage: $0 [--peers] [--ci]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi
