#!/usr/bin/env bash
# The project's test command (CI runs exactly this through .ci/run):
#   1. install-deps       scripts/install-deps.sh (PostgreSQL 15 + PostGIS, GDAL, Chromium, wrk, rustfmt, clippy)
#   2. postgis cluster    a throwaway cluster in a temp dir, stopped on exit; its env is exported
#   3. cargo fmt          cargo fmt --all -- --check
#   4. cargo clippy       cargo clippy --workspace --all-targets --release -- -D warnings
#   5. cargo test         cargo test --workspace --release (SQLite and PostGIS)
#   6. web tests          npm ci && npm test in web/ (fails if web/package.json or its lockfile is missing)
#   7. end-to-end tests   tests/run.sh (real binary, real PostGIS, GDAL, schemathesis, browser; fails if missing)
#   8. fuzz               scripts/fuzz.sh: a bounded run of every fuzz target (fails if missing)
# Ends with one line per step (ok, FAILED or skipped) and `N passed, M failed, K skipped`
# (counting steps); exits non-zero if any failed. A step that did not run is listed as skipped
# with the reason, never left out.
#
#   SKIP_LINT=1 ./scripts/test.sh     skips steps 3 and 4 for quick local runs
#   ONLY=STEP[,STEP] ./scripts/test.sh  runs only the named steps among 3-8 (fmt, clippy, cargo-test, web, e2e, fuzz);
#                                       1 and 2 always run; the others are reported as skipped
set -euo pipefail
cd "$(dirname "$0")/.."

names=() results=() times=()
total_start=$SECONDS

summary() {
  echo
  echo "==================== summary ($((SECONDS - total_start)) s)"
  local i passed=0 failed=0 skipped=0
  for i in "${!names[@]}"; do
    printf '  %-7s %-20s %5s s\n' "${results[$i]}" "${names[$i]}" "${times[$i]}"
    case "${results[$i]}" in
      ok) passed=$((passed + 1)) ;;
      skipped) skipped=$((skipped + 1)) ;;
      *) failed=$((failed + 1)) ;;
    esac
  done
  echo "$passed passed, $failed failed, $skipped skipped"
}

# skip NAME REASON: records a step that was not run, so the summary shows it.
skip() {
  echo
  echo "==================== [$1] skipped: $2"
  names+=("$1"); times+=("-"); results+=(skipped)
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

STEPS=(fmt clippy cargo-test web e2e fuzz)
if [ -n "${ONLY:-}" ]; then
  IFS=, read -r -a only <<<"$ONLY"
  for o in "${only[@]}"; do
    [[ " ${STEPS[*]} " == *" $o "* ]] || { echo "ONLY: unknown step '$o' (steps: ${STEPS[*]})" >&2; exit 2; }
  done
fi

# wanted STEP: true when STEP is to run; otherwise records it as skipped by ONLY.
wanted() {
  if [ -z "${ONLY:-}" ] || [[ ",$ONLY," == *",$1,"* ]]; then return 0; fi
  skip "$1" "not in ONLY=$ONLY"
  return 1
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
echo "test database: $BUSSOLA_TEST_DATABASE_URL (template $BUSSOLA_TEST_PG_TEMPLATE)"

# From here on a failing step does not stop the others.
if [ "${SKIP_LINT:-0}" = 1 ]; then
  skip fmt "SKIP_LINT=1"
  skip clippy "SKIP_LINT=1"
else
  if wanted fmt; then step fmt cargo fmt --all -- --check || true; fi
  # --release: clippy then shares build scripts and proc macros with the release test build.
  if wanted clippy; then step clippy cargo clippy --workspace --all-targets --release -- -D warnings || true; fi
fi

if wanted cargo-test; then step cargo-test cargo test --workspace --release --no-fail-fast || true; fi

# A missing part is a failure, never a silent skip. Each runs in a subshell (its own cwd).
web_tests() (
  [ -f web/package.json ] || { echo "web/package.json is missing" >&2; exit 1; }
  [ -f web/package-lock.json ] || { echo "web/package-lock.json is missing: npm ci needs the lockfile" >&2; exit 1; }
  cd web && npm ci --no-audit --no-fund && npm test
)
e2e_tests() (
  [ -f tests/run.sh ] || { echo "tests/run.sh is missing" >&2; exit 1; }
  bash tests/run.sh
)
fuzz_tests() (
  [ -f scripts/fuzz.sh ] || { echo "scripts/fuzz.sh is missing" >&2; exit 1; }
  bash scripts/fuzz.sh
)
if wanted web; then step web web_tests || true; fi
if wanted e2e; then step e2e e2e_tests || true; fi
if wanted fuzz; then step fuzz fuzz_tests || true; fi

summary
for r in "${results[@]}"; do [ "$r" = ok ] || [ "$r" = skipped ] || exit 1; done
exit 0
