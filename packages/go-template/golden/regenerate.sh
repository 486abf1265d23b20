#!/usr/bin/env bash
# Regenerates test/fixtures/cases.json by rendering every case in golden/cases/*.yaml with Go's
# text/template + Sprig + Helm's functions, and writes
# functions.json (the function set and the excluded functions).
# Needs Go (modules come through the module proxy). The unit tests only read the fixture.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fixtures="$(cd "$here/.." && pwd)/test/fixtures"
mkdir -p "$fixtures"
cd "$here"
go run . -cases cases -out "$fixtures/cases.json" -funcs "$fixtures/functions.json"
