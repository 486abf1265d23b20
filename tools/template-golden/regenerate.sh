#!/usr/bin/env bash
# Regenerates test/fixtures/template-conformance/cases.json by rendering every case in
# tools/template-golden/cases/*.yaml with Go's text/template + Sprig + Helm's functions, and writes
# functions.json (the function set and the excluded functions).
# Needs Go (modules come through the module proxy). The unit tests only read the fixture.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$root/test/fixtures/template-conformance"
cd "$here"
go run . -cases cases -out "$root/test/fixtures/template-conformance/cases.json" \
  -funcs "$root/test/fixtures/template-conformance/functions.json"
