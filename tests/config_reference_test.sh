#!/usr/bin/env bash
# The configuration reference cannot drift from the code: conf/evd.toml and
# the block in docs/operations.md must equal what `evd --print-config`
# prints on a clean environment. With --update, rewrites both instead.
# Usage: config_reference_test.sh SOURCE_DIR EVD_BINARY [--update]
set -euo pipefail
src=$1 evd=$2 mode=${3:-check}
want=$(env -u XDG_RUNTIME_DIR "$evd" --print-config)
begin='<!-- begin: evd --print-config -->'
end='<!-- end: evd --print-config -->'
doc="$src/docs/operations.md"

render_doc() {
  awk -v begin="$begin" -v end="$end" -v body="$want" '
    $0 == begin { print; print "```toml"; print body; print "```"; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$doc"
}

if [[ "$mode" == --update ]]; then
  printf '%s\n' "$want" >"$src/conf/evd.toml"
  render_doc >"$doc.new" && mv "$doc.new" "$doc"
  exit 0
fi
status=0
diff -u "$src/conf/evd.toml" <(printf '%s\n' "$want") || status=1
grep -qF "$begin" "$doc" || { echo "no '$begin' in $doc"; status=1; }
diff -u "$doc" <(render_doc) || status=1
if ((status)); then
  echo "run: $0 $src $evd --update" >&2
fi
exit $status
