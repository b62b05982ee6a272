#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for a bounded time and fails if any finds something.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 30)
#
# Installs nothing (cargo-fuzz comes from scripts/install-deps.sh). Builds all targets once
# (cargo-fuzz, stable Rust, --sanitizer none, debug assertions on), then runs FUZZ_JOBS
# targets at a time (default 2) with libFuzzer's -max_total_time, a small -rss_limit_mb and a
# per-input -timeout, so a hang or a quadratic blow-up is a finding like a panic. Each target
# runs over a scratch copy of its committed corpus (fuzz/run/, ignored by git): the committed
# corpus never churns. On a finding it prints the reproducer's path and the target's log
# tail, and exits 1; reproduce with `fuzz/target/<triple>/release/TARGET FILE`.
set -euo pipefail

secs=${1:-30}
jobs=${FUZZ_JOBS:-2}
rss_mb=${FUZZ_RSS_MB:-512}
timeout_s=${FUZZ_TIMEOUT_SECS:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$root/fuzz"

case "$secs" in '' | *[!0-9]*) echo "fuzz.sh: SECONDS_PER_TARGET must be a whole number, not '$secs'" >&2; exit 2 ;; esac
cargo fuzz --version >/dev/null 2>&1 || { echo "fuzz.sh: cargo-fuzz is missing; run scripts/install-deps.sh" >&2; exit 2; }

cd "$fuzz"
export BUSSOLA_SKIP_WEB_BUILD=1
# The instrumented build lives in fuzz/target whatever the caller's CARGO_TARGET_DIR says:
# the binaries are run from there, and the flags differ from the ordinary build's anyway.
export CARGO_TARGET_DIR="$fuzz/target"
mapfile -t targets < <(cargo fuzz list)
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz.sh: no fuzz targets found" >&2; exit 2; }

start=$SECONDS
echo "fuzz.sh: building ${#targets[@]} targets"
cargo fuzz build --sanitizer none
echo "fuzz.sh: built in $((SECONDS - start)) s"
triple=$(rustc -vV | sed -n 's/^host: //p')
bin="$fuzz/target/$triple/release"

run="$fuzz/run"
rm -rf "$run"
mkdir -p "$run"

# fuzz_one TARGET: one bounded libFuzzer run; writes run/TARGET.log and artifacts, returns its status.
fuzz_one() {
  local t=$1
  [ -d "$fuzz/corpus/$t" ] || { echo "fuzz.sh: $t has no committed corpus (fuzz/corpus/$t)" >"$run/$t.log"; return 2; }
  mkdir -p "$run/corpus/$t" "$run/artifacts/$t"
  cp -R "$fuzz/corpus/$t/." "$run/corpus/$t/"
  "$bin/$t" "$run/corpus/$t" \
    -max_total_time="$secs" -rss_limit_mb="$rss_mb" -timeout="$timeout_s" \
    -artifact_prefix="$run/artifacts/$t/" -print_final_stats=1 >"$run/$t.log" 2>&1
}

failed=()
pids=()
names=()
wait_one() {
  local pid=${pids[0]} t=${names[0]}
  pids=("${pids[@]:1}")
  names=("${names[@]:1}")
  if wait "$pid"; then
    echo "fuzz.sh: $t ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$run/$t.log" | grep -o '[0-9]*$' || echo '?') runs)"
  else
    failed+=("$t")
    echo "fuzz.sh: $t FOUND SOMETHING; last lines of its log ($run/$t.log):"
    tail -n 25 "$run/$t.log" | sed 's/^/    /'
    for f in "$run/artifacts/$t"/*; do [ -e "$f" ] && echo "fuzz.sh: reproducer: $f"; done
  fi
}
for t in "${targets[@]}"; do
  fuzz_one "$t" &
  pids+=("$!")
  names+=("$t")
  if [ "${#pids[@]}" -ge "$jobs" ]; then wait_one; fi
done
while [ "${#pids[@]}" -gt 0 ]; do wait_one; done

echo "fuzz.sh: ${#targets[@]} targets × ${secs} s in $((SECONDS - start)) s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: nothing found"
