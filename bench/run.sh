#!/usr/bin/env bash
# Side-by-side benchmark on loopback: Bussola, tipg and pygeoapi on the same PostGIS table of
# generated services (bench/gen.py), driven by wrk. Writes bench/out/results.md.
#   bench/run.sh                         N=100000 DURATION=15 CONNS=16 (about 10 min, 5 of them the import)
#   N=5000 DURATION=3 bench/run.sh       a quick end-to-end check (about 2 min after the build)
# Other knobs: WARMUP (s, default 4), CHECK_SAMPLE (paths checked per server and workload, 25),
# CHECK_ONLY=1 (stop after the check, before any timing),
# BUSSOLA_BIN (a prebuilt binary; default: cargo build --release -p bussola).
#
# Workloads, the same points, boxes and ids for every server (1,000 paths each, see gen.py):
#   (a) nearest  Bussola: items?near=LON,LAT&limit=20. tipg: the SQL function
#                public.nearest_services(lon, lat, n) below, served as a collection (KNN on the
#                GiST index, re-ranked by spherical distance: the same 20 as Bussola's).
#                pygeoapi (no nearest query): items?bbox=<square circumscribing the circle of the
#                point's 20 nearest>&limit=20, i.e. 20 of the 20..36 services in that box.
#   (b) bbox     items?bbox=<a box holding >= 1,010 services>&limit=1000
#   (c) item     items/{id}
# Before timing, bench/check.py verifies that every server answers with the expected number of
# features; the run fails (exit 1) if a server does not start, fails that check, or if wrk sees
# any socket error or non-2xx response.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
N=${N:-100000}; DURATION=${DURATION:-15}; CONNS=${CONNS:-16}; WARMUP=${WARMUP:-4}
started=$SECONDS
out="$root/bench/out"; rm -rf "$out"; mkdir -p "$out"
venv="$root/bench/.venv"
pids=()
pgdir=$(mktemp -d /tmp/bussola-bench-pg.XXXXXX)
cleanup() {
  local p
  # Each server runs in its own process group (setsid): stop the group, workers included.
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  scripts/pg-cluster.sh stop "$pgdir" || true
  echo "[$((SECONDS - started)) s] servers and PostgreSQL stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
  echo "bench: FAILED: $*" >&2
  exit 1
}
say() { echo "[$((SECONDS - started)) s] $*"; }
log_tail() { echo "--- last lines of $1:" >&2; tail -20 "$1" >&2 || true; }

scripts/install-deps.sh >/dev/null
# The peers at the versions these figures were measured with (tipg 1.6 changed how a function
# collection is ordered; unpinned, a new release can silently change what is measured).
peers=(tipg==1.6.1 pygeoapi==0.21.0 gunicorn==27.0.1 uvicorn==0.54.0 psycopg2-binary==2.9.13
  GeoAlchemy2==0.20.0 SQLAlchemy==2.1.9)
if ! "$venv/bin/python" - "${peers[@]}" 2>/dev/null <<'PY'
import sys, importlib.metadata as m
sys.exit(any(m.version(n) != v for n, v in (p.split("==") for p in sys.argv[1:])))
PY
then
  echo "installing ${peers[*]} into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "${peers[@]}"
fi
say "building bussola (cargo build --release -p bussola; waits while another build holds the lock)"
if [ -n "${BUSSOLA_BIN:-}" ]; then
  bin=$BUSSOLA_BIN
else
  # The benchmark needs the API only: skip the web app's npm build.
  cargo build --release -q -p bussola
  bin="${CARGO_TARGET_DIR:-target}/release/bussola"
fi
[ -x "$bin" ] || fail "no Bussola binary at $bin"

say "starting PostgreSQL"
scripts/pg-cluster.sh start "$pgdir" >/dev/null
# shellcheck disable=SC1091
source "$pgdir/env"
db=$BUSSOLA_TEST_DATABASE_URL
postmaster=$(head -1 "$pgdir/data/postmaster.pid")
port_of() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

say "generating $N services"
python3 bench/gen.py "$out" "$N" | tee "$out/gen.log"
say "importing into PostGIS with the bussola CLI"
/usr/bin/time -f "import: %e s, %M KB max RSS" env BUSSOLA_DATABASE_URL="$db" BUSSOLA_DEMO=never BUSSOLA_LOG=warn \
  "$bin" import services "$out/services.geojson" >"$out/import.log" 2>&1 || { log_tail "$out/import.log"; fail "import"; }
tail -2 "$out/import.log"
# tipg's nearest query. Parameters are referenced as $1..$3: in a SQL function a bare `lon` or `lat`
# would mean the location table's columns of those names. KNN (<->) on the GiST index is planar in
# degrees, so it fetches 4 n candidates and re-ranks them by spherical distance, as Bussola ranks.
# It returns the record (doc), as tipg's location collection and Bussola do, and its rank: tipg 1.6
# orders a function's rows by its own key unless asked, so the paths ask for sortby=rank.
psql -X -q -v ON_ERROR_STOP=1 "$db" -c "VACUUM ANALYZE" -c "
  CREATE FUNCTION public.nearest_services(lon float8 DEFAULT 12.3, lat float8 DEFAULT 45.4, n int DEFAULT 20)
  RETURNS TABLE (id text, name text, comune_istat text, status text, doc jsonb, geom geometry(Point, 4326), rank int)
  LANGUAGE sql STABLE PARALLEL SAFE AS \$\$
    SELECT c.id, c.name, c.comune_istat, c.status, c.doc, c.geom,
      (row_number() OVER (ORDER BY ST_DistanceSphere(c.geom, ST_SetSRID(ST_MakePoint(\$1, \$2), 4326))))::int FROM (
      SELECT l.id, l.name, l.comune_istat, l.status, l.doc, l.geom FROM public.location l
      ORDER BY l.geom <-> ST_SetSRID(ST_MakePoint(\$1, \$2), 4326) LIMIT 4 * \$3
    ) c
    ORDER BY 7 LIMIT \$3
  \$\$;" || fail "could not create public.nearest_services"

wait_http() { # URL PID: until URL answers 200, while PID lives (up to 60 s)
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

bport=$(port_of)
BUSSOLA_DATABASE_URL="$db" BUSSOLA_BIND="127.0.0.1:$bport" BUSSOLA_DEMO=never BUSSOLA_LOG=warn \
  setsid "$bin" serve >"$out/bussola.log" 2>&1 &
bpid=$!; pids+=("$bpid")

pghostport=${db#postgres://}; pghostport=${pghostport#*@}; pghostport=${pghostport%%/*}
tport=$(port_of)
# --no-control-socket: gunicorn >= 24 opens ~/.gunicorn/gunicorn.ctl, which two instances share.
( cd "$out" && DATABASE_URL="postgresql://bussola@$pghostport/bussola" \
  TIPG_DB_TABLES='["public.location"]' TIPG_DB_FUNCTIONS='["public.nearest_services"]' \
  TIPG_MAX_FEATURES_PER_QUERY=10000 exec setsid "$venv/bin/gunicorn" --no-control-socket -w 2 \
  -k uvicorn.workers.UvicornWorker -b "127.0.0.1:$tport" tipg.main:app ) >"$out/tipg.log" 2>&1 &
tpid=$!; pids+=("$tpid")

gport=$(port_of)
cat >"$out/pygeoapi.yml" <<YML
server:
  bind: {host: 127.0.0.1, port: $gport}
  url: http://127.0.0.1:$gport
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {default_items: 20, max_items: 10000}
  map: {url: 'http://127.0.0.1/', attribution: ''}
logging: {level: ERROR}
metadata:
  identification: {title: bench, description: bench, keywords: [bench], keywords_type: theme, terms_of_service: none, url: 'http://127.0.0.1/'}
  license: {name: none, url: 'http://127.0.0.1/'}
  provider: {name: bench, url: 'http://127.0.0.1/'}
  contact: {name: bench, position: none, address: none, city: none, stateorprovince: none, postalcode: none, country: none, phone: none, fax: none, email: none, url: 'http://127.0.0.1/', hours: none, instructions: none, role: pointOfContact}
resources:
  location:
    type: collection
    title: location
    description: location
    keywords: [bench]
    extents: {spatial: {bbox: [10.62, 44.79, 13.10, 46.68], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {host: ${pghostport%:*}, port: ${pghostport#*:}, dbname: bussola, user: bussola, password: '', search_path: [public]}
        id_field: id
        table: location
        geom_field: geom
YML
PYGEOAPI_CONFIG="$out/pygeoapi.yml" PYGEOAPI_OPENAPI="$out/pygeoapi-openapi.yml" \
  "$venv/bin/pygeoapi" openapi generate "$out/pygeoapi.yml" --output-file "$out/pygeoapi-openapi.yml" \
  >"$out/pygeoapi-openapi.log" 2>&1 || { log_tail "$out/pygeoapi-openapi.log"; fail "pygeoapi openapi generate"; }
( cd "$out" && PYGEOAPI_CONFIG="$out/pygeoapi.yml" PYGEOAPI_OPENAPI="$out/pygeoapi-openapi.yml" \
  exec setsid "$venv/bin/gunicorn" --no-control-socket -w 2 --threads 4 -b "127.0.0.1:$gport" pygeoapi.flask_app:APP ) \
  >"$out/pygeoapi.log" 2>&1 &
gpid=$!; pids+=("$gpid")

servers=(bussola tipg pygeoapi)
declare -A ports=([bussola]=$bport [tipg]=$tport [pygeoapi]=$gport)
declare -A pidof=([bussola]=$bpid [tipg]=$tpid [pygeoapi]=$gpid)
for s in "${servers[@]}"; do
  first=$(head -1 "$out/${s}_item.txt")
  wait_http "http://127.0.0.1:${ports[$s]}$first" "${pidof[$s]}" \
    || { log_tail "$out/$s.log"; fail "$s did not answer $first with 200 (log: $out/$s.log)"; }
done
say "servers up: bussola :$bport, tipg :$tport, pygeoapi :$gport"
check_args=(); for s in "${servers[@]}"; do check_args+=("$s=http://127.0.0.1:${ports[$s]}"); done
python3 bench/check.py "$out" "${check_args[@]}" | tee "$out/check.log" \
  || fail "a server did not answer with the expected features (above; logs in $out)"

if [ "${CHECK_ONLY:-0}" = 1 ]; then say "CHECK_ONLY=1: no timing"; exit 0; fi
say "timing: ${WARMUP} s warm-up + ${DURATION} s per server and workload"
results="$out/results.tsv"; : >"$results"
bad=()
for w in nearest bbox item; do
  for s in "${servers[@]}"; do
    url="http://127.0.0.1:${ports[$s]}"
    PATHS="$out/${s}_$w.txt" wrk -t1 -c"$CONNS" -d"${WARMUP}s" --timeout 10s -s bench/paths.lua "$url" >/dev/null 2>&1 || true
    # Peak RSS of the server's process group, and CPU of the server and of PostgreSQL, while wrk runs.
    python3 bench/procstat.py --pgid "${pidof[$s]}" --postmaster "$postmaster" --seconds "$DURATION" >"$out/proc_${s}_$w.json" &
    statpid=$!
    line=$(PATHS="$out/${s}_$w.txt" wrk -t1 -c"$CONNS" -d"${DURATION}s" --timeout 10s -s bench/paths.lua "$url" 2>&1 \
      | grep '^RESULT' || true)
    wait "$statpid" || true
    [ -n "$line" ] || { line="RESULT rps=0 p50_ms=0 p99_ms=0 errors=-1 non2xx=-1 bytes=0 requests=0"; }
    stats=$(python3 -c 'import json, sys; print("rss_mb={rss_max_mb} cpu_server_s={cpu_server_s} cpu_pg_s={cpu_pg_s}".format(**json.load(open(sys.argv[1]))))' \
      "$out/proc_${s}_$w.json" 2>/dev/null || echo "rss_mb=?")
    echo "$w $s $line $stats" | tee -a "$results"
    case "$line" in *" errors=0 non2xx=0 "*) ;; *) bad+=("$w/$s") ;; esac
  done
done
# Bussola at a fixed 1,000 requests/s on the nearest-20 workload, once the peers' workers
# have settled after their last window.
sleep 5
fixed=$(PATHS="$out/bussola_nearest.txt" RATE=1000 wrk -t1 -c20 -d"${DURATION}s" --timeout 10s -s bench/rate.lua \
  "http://127.0.0.1:$bport" 2>&1 | grep '^RESULT' || true)
[ -n "$fixed" ] || fixed="RESULT rps=0 p50_ms=0 p99_ms=0 errors=-1 non2xx=-1 bytes=0 requests=0 late=-1"
echo "fixed1000 bussola $fixed" | tee -a "$results"
case "$fixed" in *" errors=0 non2xx=0 "*) ;; *) bad+=("fixed1000/bussola") ;; esac

python3 bench/report.py "$results" "$N" "$DURATION" "$CONNS" "$WARMUP" >"$out/results.md"
cat "$out/results.md"
say "done; results in $out/results.md"
[ "${#bad[@]}" = 0 ] || fail "socket errors or non-2xx responses in: ${bad[*]} (see $out/results.tsv and the server logs)"
