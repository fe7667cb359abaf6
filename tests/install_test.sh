#!/usr/bin/env bash
# `cmake --install` into a staging directory (DESTDIR) puts every file in
# its FHS place for the configured prefix, and the installed unit starts
# the installed evd with the installed configuration.
# Usage: install_test.sh BUILD_DIR SBINDIR BINDIR SYSCONFDIR MANDIR DOCDIR
#                        UNITDIR SYSUSERSDIR   (absolute, as CMake has them)
set -euo pipefail
build=$1 sbin=$2 bin=$3 etc=$4 man=$5 doc=$6 units=$7 sysusers=$8
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
DESTDIR=$stage cmake --install "$build" >/dev/null

status=0
for f in "$sbin/evd" "$bin/evctl" "$units/evd.service" "$units/evd.socket" \
  "$sysusers/evd.conf" "$etc/evd/evd.toml" "$man/man8/evd.8" \
  "$man/man1/evctl.1" "$doc/operations.md" "$doc/protocol.md"; do
  [[ -f "$stage$f" ]] || { echo "missing $f"; status=1; }
done
grep -qx "ExecStart=$sbin/evd --config $etc/evd/evd.toml" \
  "$stage$units/evd.service" ||
  { echo "evd.service does not start $sbin/evd"; status=1; }
"$stage$sbin/evd" --config "$stage$etc/evd/evd.toml" --print-config \
  >/dev/null || { echo "installed evd rejects its own config"; status=1; }
exit $status
