#!/usr/bin/env bash
# The whole test suite: lint, Rust tests on both backends (a throwaway PostGIS is started),
# the web app's unit tests, and the end-to-end tests (real server, real PostGIS, real Chromium).
# SKIP_LINT=1 skips fmt and clippy for quick local runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

declare -a names=() results=()
step() {
  local name=$1; shift
  echo
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then results+=("ok"); else results+=("FAILED"); fi
  names+=("$name ($((SECONDS - start)) s)")
  [ "${results[-1]}" = ok ] || FAILED=1
}
FAILED=0

scripts/install-deps.sh

pgdir=$(mktemp -d /tmp/bussola-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
scripts/pg-cluster.sh start "$pgdir"
# shellcheck disable=SC1091
source "$pgdir/env"
export BUSSOLA_REQUIRE_POSTGIS=1

if [ "${SKIP_LINT:-0}" != 1 ]; then
  step "cargo fmt --check" cargo fmt --all -- --check
  step "cargo clippy -D warnings" cargo clippy --workspace --all-targets --release -- -D warnings
fi
step "cargo test (SQLite and PostGIS)" cargo test --workspace --release
if [ -f web/package.json ]; then
  step "web unit tests (vitest)" bash -c 'cd web && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund) && npm test'
fi
if [ -x tests/run.sh ]; then
  step "end-to-end tests" tests/run.sh
fi

echo
echo "=== summary"
passed=0; failed=0
for i in "${!names[@]}"; do
  echo "  ${results[$i]}  ${names[$i]}"
  if [ "${results[$i]}" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
exit "$FAILED"
