#!/usr/bin/env bash
# The project's test command (CI runs exactly this through .ci/run):
#   1. install-deps       scripts/install-deps.sh (PostgreSQL 15 + PostGIS, GDAL, Chromium, wrk, rustfmt, clippy)
#   2. postgis cluster    a throwaway cluster in a temp dir, stopped on exit; its env is exported
#   3. cargo fmt          cargo fmt --all -- --check
#   4. cargo clippy       cargo clippy --workspace --all-targets --release -- -D warnings
#   5. cargo test         cargo test --workspace --release (SQLite and PostGIS)
#   6. web tests          npm ci (npm install without a lockfile) && npm test, in web/, if web/package.json exists
#   7. end-to-end tests   tests/run.sh, if it exists (real binary, real PostGIS, GDAL, browser)
# Ends with one line per step and `N passed, M failed` (counting steps); exits non-zero if any failed.
#
#   SKIP_LINT=1 ./scripts/test.sh     skips steps 3 and 4 for quick local runs
#   ONLY=STEP[,STEP] ./scripts/test.sh  runs only the named steps among 3-7 (fmt, clippy, cargo-test, web, e2e);
#                                       1 and 2 always run
set -euo pipefail
cd "$(dirname "$0")/.."

names=() results=() times=()
total_start=$SECONDS

summary() {
  echo
  echo "==================== summary ($((SECONDS - total_start)) s)"
  local i passed=0 failed=0
  for i in "${!names[@]}"; do
    printf '  %-7s %-20s %5s s\n' "${results[$i]}" "${names[$i]}" "${times[$i]}"
    if [ "${results[$i]}" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
  echo "$passed passed, $failed failed"
}

# step NAME COMMAND...: runs COMMAND under a banner, records ok/FAILED and the time taken.
step() {
  local name=$1; shift
  echo
  echo "==================== [$name] $*"
  local start=$SECONDS rc=0
  "$@" || rc=$?
  local took=$((SECONDS - start))
  names+=("$name"); times+=("$took")
  if [ "$rc" = 0 ]; then
    results+=(ok); echo "==================== [$name] ok (${took} s)"
  else
    results+=(FAILED); echo "==================== [$name] FAILED, exit $rc (${took} s)"
  fi
  return "$rc"
}

wanted() {
  [ -z "${ONLY:-}" ] || [[ ",$ONLY," == *",$1,"* ]]
}

pgdir=
cleanup() {
  if [ -n "$pgdir" ]; then bash scripts/pg-cluster.sh stop "$pgdir" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Steps 1 and 2 are prerequisites: when one fails, nothing else can run.
if ! step install-deps bash scripts/install-deps.sh; then summary; exit 1; fi

pgdir=$(mktemp -d /tmp/bussola-pg.XXXXXX)
if ! step postgis-cluster bash scripts/pg-cluster.sh start "$pgdir"; then summary; exit 1; fi
# shellcheck disable=SC1091
source "$pgdir/env"
export BUSSOLA_TEST_DATABASE_URL BUSSOLA_TEST_PG_TEMPLATE BUSSOLA_TEST_PG_ADMIN_URL
export BUSSOLA_REQUIRE_POSTGIS=1
echo "test database: $BUSSOLA_TEST_DATABASE_URL (template $BUSSOLA_TEST_PG_TEMPLATE)"

# From here on a failing step does not stop the others.
if [ "${SKIP_LINT:-0}" = 1 ]; then
  echo
  echo "SKIP_LINT=1: skipping cargo fmt and cargo clippy"
else
  if wanted fmt; then step fmt cargo fmt --all -- --check || true; fi
  # --release: clippy then shares build scripts and proc macros with the release test build.
  if wanted clippy; then step clippy cargo clippy --workspace --all-targets --release -- -D warnings || true; fi
fi

if wanted cargo-test; then step cargo-test cargo test --workspace --release --no-fail-fast || true; fi

web_tests() {
  cd web || return 1
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund || return 1
  else
    npm install --no-audit --no-fund || return 1
  fi
  npm test
}
if [ -f web/package.json ] && wanted web; then step web bash -c "$(declare -f web_tests); web_tests" || true; fi

if [ -f tests/run.sh ] && wanted e2e; then step e2e bash tests/run.sh || true; fi

summary
for r in "${results[@]}"; do [ "$r" = ok ] || exit 1; done
exit 0
