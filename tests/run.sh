#!/usr/bin/env bash
# End-to-end tests against the real binary on the real PostGIS started by scripts/test.sh:
# GDAL's OGC API driver, schemathesis on the OpenAPI document, and the browser tests in
# headless Chromium. Prints "N passed, M failed"; a missing part counts as failed.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BUSSOLA_TEST_PG_ADMIN_URL:?run through scripts/test.sh, which starts PostGIS}"
target=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p bussola
bin="$target/release/bussola"
export BUSSOLA_BIN="$(cd "$(dirname "$bin")" && pwd)/bussola"
shared=../shared/data
work=$(mktemp -d /tmp/bussola-e2e.XXXXXX)
mkdir -p tests/artifacts

# Fresh databases: one for the end-to-end server, one for the browser tests' private server
# (the offline test stops it), both PostGIS with the Venice comuni and the demo data.
db="e2e_$$" offline_db="e2e_offline_$$" server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
  for d in "$db" "$offline_db"; do
    psql -X -q "$BUSSOLA_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
export BUSSOLA_LOG=warn
for d in "$db" "$offline_db"; do
  psql -X -q "$BUSSOLA_TEST_PG_ADMIN_URL" -c "CREATE DATABASE $d TEMPLATE ${BUSSOLA_TEST_PG_TEMPLATE:-bussola_template}"
  BUSSOLA_DATABASE_URL="${BUSSOLA_TEST_PG_ADMIN_URL%/*}/$d" \
    "$bin" import comuni "$shared/istat-boundaries/limits_P_27_municipalities.geojson" >/dev/null
done
export BUSSOLA_DATABASE_URL="${BUSSOLA_TEST_PG_ADMIN_URL%/*}/$db"
export BUSSOLA_OFFLINE_DATABASE_URL="${BUSSOLA_TEST_PG_ADMIN_URL%/*}/$offline_db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export BUSSOLA_BIND="127.0.0.1:$port" BUSSOLA_URL="http://127.0.0.1:$port"
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -sf "$BUSSOLA_URL/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$BUSSOLA_URL/readyz" >/dev/null || { cat "$work/server.log"; echo "server did not start"; exit 1; }

passed=0; failed=0
run() {
  local name=$1; shift
  echo "--- $name"
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

run "GDAL OAPIF lists every collection with the right count; ogr2ogr copies sportelli losslessly" \
  python3 tests/blackbox/gdal_check.py "$BUSSOLA_URL" "$work"

run "schemathesis: no server error, every response matches the OpenAPI document" tests/blackbox/schemathesis.sh "$BUSSOLA_URL"

browser_tests() {
  [ -f tests/e2e/package.json ] || { echo "tests/e2e/package.json is missing" >&2; return 1; }
  [ -f tests/e2e/package-lock.json ] || { echo "tests/e2e/package-lock.json is missing: npm ci needs it" >&2; return 1; }
  (cd tests/e2e && npm ci --no-audit --no-fund >/dev/null && npm test)
}
run "browser tests (headless Chromium)" browser_tests

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
