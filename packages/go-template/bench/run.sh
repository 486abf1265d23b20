#!/usr/bin/env bash
# Render benchmark: Go's text/template (bench/go) and this engine (src/) on the same inputs,
# alternating in rounds within one run; writes bench/results.md.
# Needs Go (modules come through the module proxy) and Node with the project's node_modules.
# Usage: bench/run.sh [ROUNDS] [SECONDS_PER_FIGURE]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
rounds="${1:-5}"
seconds="${2:-1}"
templates=(spec-user-data large-200)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/go-out"

(cd "$here/go" && go build -o "$work/gobench" .)
"$root/node_modules/.bin/esbuild" "$here/bench.ts" --bundle --platform=node --format=cjs \
  --outfile="$work/bench.cjs" --log-level=warning
paths=()
for t in "${templates[@]}"; do paths+=("$here/inputs/$t.tmpl"); done

for ((r = 1; r <= rounds; r++)); do
  echo "== round $r/$rounds: Go text/template" >&2
  "$work/gobench" -duration "${seconds}s" -data "$here/inputs/data.json" -out "$work/go-out" "${paths[@]}" \
    >"$work/go-$r.json"
  echo "== round $r/$rounds: this engine" >&2
  node "$work/bench.cjs" measure --inputs "$here/inputs" --templates "$(IFS=,; echo "${templates[*]}")" \
    --go-out "$work/go-out" --seconds "$seconds" >"$work/ours-$r.json"
done
node "$work/bench.cjs" report --dir "$work" --inputs "$here/inputs" --seconds "$seconds" \
  --out "$here/results.md"
