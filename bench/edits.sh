#!/usr/bin/env bash
# Edits committed per second through the write API, on each backend, and the public read path's
# p99 while that write stream commits. For each backend: 100,000 generated sportelli
# (bench/gen.py) imported with the CLI, an admin API token, `bussola serve`; then
#   1. reads alone: nearest-20 at a fixed 1,000 req/s (bench/rate.lua) for DURATION s;
#   2. writes alone: WRITERS clients replacing services with If-Match for DURATION s;
#   3. both at once.
# Writes bench/out/edits.md.   N=20000 DURATION=5 bench/edits.sh  for a quick check.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
N=${N:-100000}; DURATION=${DURATION:-15}; WRITERS=${WRITERS:-4}; RATE=${RATE:-1000}
out="$root/bench/out/edits"; rm -rf "$out"; mkdir -p "$out"
started=$SECONDS
say() { echo "[$((SECONDS - started)) s] $*"; }
fail() { echo "bench/edits: FAILED: $*" >&2; exit 1; }
pids=(); pgdir=$(mktemp -d /tmp/bussola-edits-pg.XXXXXX); sqlite_dir=$(mktemp -d /tmp/bussola-edits-sqlite.XXXXXX)
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$sqlite_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port_of() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [ -n "${BUSSOLA_BIN:-}" ]; then bin=$BUSSOLA_BIN; else
  cargo build --release -q -p bussola; bin="${CARGO_TARGET_DIR:-target}/release/bussola"; fi
say "generating $N services"
python3 bench/gen.py "$out" "$N" >"$out/gen.log"
python3 - "$out/services.geojson" "$out/ids.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
ids = sorted({f["properties"]["services"][0]["id"] for f in doc["features"] if f["properties"].get("services")})
open(sys.argv[2], "w").write("\n".join(ids[:400]) + "\n")
PY
scripts/pg-cluster.sh start "$pgdir" >/dev/null
# shellcheck disable=SC1091
source "$pgdir/env"

results="$out/results.tsv"; : >"$results"
for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then env=(BUSSOLA_DATA_DIR="$sqlite_dir"); else env=(BUSSOLA_DATABASE_URL="$BUSSOLA_TEST_DATABASE_URL"); fi
  run() { env -u BUSSOLA_DATABASE_URL "${env[@]}" BUSSOLA_DEMO=never BUSSOLA_LOG=warn "$bin" "$@"; }
  say "$backend: importing"
  run import services "$out/services.geojson" >"$out/import-$backend.log" 2>&1 || fail "import on $backend"
  # A production database has been vacuumed and analysed since its bulk load; without this the
  # first cell measures autovacuum working through the 100,000 new rows.
  if [ "$backend" = postgres ]; then psql -q "$BUSSOLA_TEST_DATABASE_URL" -c 'VACUUM ANALYZE' >/dev/null || fail "vacuum"; fi
  run user add bench.admin --role admin >/dev/null 2>&1 || fail "user add on $backend"
  token=$(run token create bench.admin --role admin --name bench 2>/dev/null | grep -o 'bsl_[A-Za-z0-9_-]*' | head -1)
  [ -n "$token" ] || fail "no token on $backend"
  port=$(port_of)
  env -u BUSSOLA_DATABASE_URL "${env[@]}" BUSSOLA_DEMO=never BUSSOLA_LOG=warn BUSSOLA_BIND="127.0.0.1:$port" \
    "$bin" serve >"$out/serve-$backend.log" 2>&1 &
  spid=$!; pids+=("$spid")
  for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.1; done
  url="http://127.0.0.1:$port"
  reads() { PATHS="$out/bussola_nearest.txt" RATE=$RATE wrk -t1 -c20 -d"${DURATION}s" --timeout 10s -s bench/rate.lua "$url" 2>&1 | grep '^RESULT' || echo "RESULT failed"; }
  writes() { python3 bench/edits.py "$url" "$token" "$out/ids.txt" "$DURATION" "$WRITERS" 2>"$out/edits-$backend.err" || echo "RESULT failed"; }
  PATHS="$out/bussola_nearest.txt" wrk -t1 -c16 -d3s -s bench/paths.lua "$url" >/dev/null 2>&1 || true
  echo "$backend reads_alone $(reads)" | tee -a "$results"
  echo "$backend writes_alone $(writes)" | tee -a "$results"
  writes >"$out/w.tmp" & wpid=$!
  r=$(reads); wait "$wpid" || true
  echo "$backend reads_with_writes $r" | tee -a "$results"
  echo "$backend writes_with_reads $(cat "$out/w.tmp")" | tee -a "$results"
  kill -TERM "$spid"; wait "$spid" 2>/dev/null || true
done
python3 - "$results" "$N" "$DURATION" "$WRITERS" "$RATE" >"$out/edits.md" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    b, what, *kv = line.split()
    rows[(b, what)] = dict(p.split("=", 1) for p in kv if "=" in p)
n, d, w, rate = sys.argv[2:6]
print(f"{int(n):,} sportelli; {w} writers replacing services with If-Match; reads: nearest-20 at a fixed {rate} req/s; {d} s per cell.\n")
print("| backend | edits/s alone | edit p50 / p99 ms | edits/s during reads | read p99 ms alone | read p99 ms during writes | late reads (alone / during) |")
print("|---|---|---|---|---|---|---|")
for b in ["sqlite", "postgres"]:
    wa, wr = rows.get((b, "writes_alone"), {}), rows.get((b, "writes_with_reads"), {})
    ra, rw = rows.get((b, "reads_alone"), {}), rows.get((b, "reads_with_writes"), {})
    print(f"| {b} | {wa.get('edits_per_s','?')} | {wa.get('p50_ms','?')} / {wa.get('p99_ms','?')} | {wr.get('edits_per_s','?')} | "
          f"{ra.get('p99_ms','?')} | {rw.get('p99_ms','?')} | {ra.get('late','?')} / {rw.get('late','?')} |")
PY
cat "$out/edits.md"
grep -q "failed\|other=[1-9]" "$results" && fail "a cell failed or saw non-200 answers (see $results and $out)"
say "done; $out/edits.md"
