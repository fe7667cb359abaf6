#!/usr/bin/env bash
# Checks the systemd units: `systemd-analyze verify` on copies whose
# ExecStart points at the built evd, and the exposure figure of
# `systemd-analyze security --offline` against a ceiling.
# Usage: systemd_units_test.sh SOURCE_DIR EVD_BINARY
set -euo pipefail
src=$1 evd=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sed -e "s|@EVD_SBINDIR@/evd|$evd|" -e "s|@EVD_SYSCONFDIR@|/etc|" \
  -e "s|@EVD_DOCDIR@|/usr/share/doc/evd|" \
  "$src/systemd/evd.service.in" >"$work/evd.service"
cp "$src/systemd/evd.socket" "$work/evd.socket"

# verify prints problems but exits 0 for some of them: any output fails.
out=$(cd "$work" && systemd-analyze verify --man=no ./evd.socket ./evd.service 2>&1) || {
  echo "$out"; exit 1; }
if [[ -n "$out" ]]; then echo "$out"; exit 1; fi

score=$(cd "$work" && systemd-analyze security --offline=true \
  --threshold=100 ./evd.service 2>&1 | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
echo "exposure=$score"
# 2.0 or below is what systemd calls OK; the units must not regress past it.
awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.0) }'
