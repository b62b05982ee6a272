#!/usr/bin/env bash
# Web app figures for BENCHMARKS.md: Lighthouse scores, the app's own JavaScript gzipped and the
# time to the first list of results on slow 3G. Starts its own server on the embedded store with
# the demo data. Writes bench/out/web.json.   bench/web/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q -p bussola
bin="${CARGO_TARGET_DIR:-target}/release/bussola"
(cd bench/web && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund) >/dev/null)
mkdir -p bench/out
data=$(mktemp -d /tmp/bussola-webbench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BUSSOLA_DATA_DIR="$data" BUSSOLA_BIND="127.0.0.1:$port" BUSSOLA_LOG=warn "$bin" serve &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
NODE_PATH=bench/web/node_modules node bench/web/measure.mjs "http://127.0.0.1:$port" web/dist
