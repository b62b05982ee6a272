#!/usr/bin/env bash
# The read path of two binaries side by side (e.g. before and after a restructure): the same
# generated sportelli (bench/gen.py's store and path files), each binary on its own copy of the
# SQLite data directory, driven by wrk with bench/paths.lua, plain and gzip, rounds alternating.
#   BEFORE=old/bussola AFTER=target/release/bussola DATA=/tmp/heavydata GEN=/tmp/heavydata/gen bench/readpath.sh
# DATA is a data directory filled by `bussola import services` of gen.py's services.geojson;
# GEN holds gen.py's bussola_{nearest,bbox,item}.txt. ROUNDS (2), DURATION (10 s), CONNS (16).
set -euo pipefail
: "${BEFORE:?}" "${AFTER:?}" "${DATA:?}" "${GEN:?}"
ROUNDS=${ROUNDS:-2}; DURATION=${DURATION:-10}; CONNS=${CONNS:-16}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/bussola-readpath.XXXXXX)
trap 'rm -rf "$work"' EXIT
for round in $(seq 1 "$ROUNDS"); do
  for label in before after; do
    bin=$BEFORE; [ "$label" = after ] && bin=$AFTER
    d=$work/$label; [ -d "$d" ] || cp -a "$DATA" "$d"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    BUSSOLA_DATA_DIR=$d BUSSOLA_BIND=127.0.0.1:$port BUSSOLA_DEMO=never BUSSOLA_LOG=warn setsid "$bin" serve >"$work/$label.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do curl -sf "localhost:$port/readyz" >/dev/null && break; sleep 0.2; done
    for w in nearest bbox item; do
      PATHS=$GEN/bussola_$w.txt wrk -t1 -c"$CONNS" -d3s -s "$here/paths.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 || true
      plain=$(PATHS=$GEN/bussola_$w.txt wrk -t1 -c"$CONNS" -d"${DURATION}s" -s "$here/paths.lua" "http://127.0.0.1:$port" 2>&1 | awk '/Requests\/sec/ {print $2}')
      gz=$(PATHS=$GEN/bussola_$w.txt wrk -t1 -c"$CONNS" -d"${DURATION}s" -H 'Accept-Encoding: gzip' -s "$here/paths.lua" "http://127.0.0.1:$port" 2>&1 | awk '/Requests\/sec/ {print $2}')
      echo "round $round $label $w plain=$plain gzip=$gz"
    done
    kill -TERM -- "-$pid" 2>/dev/null || kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
