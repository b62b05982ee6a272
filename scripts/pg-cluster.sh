#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for tests, on a free loopback port.
#   scripts/pg-cluster.sh start DIR   # initdb, start, create role `bussola`, template `bussola_template` with PostGIS
#   scripts/pg-cluster.sh stop DIR    # stop and delete DIR
# `start` writes DIR/env, to be sourced: BUSSOLA_TEST_PG_ADMIN_URL, BUSSOLA_TEST_PG_TEMPLATE,
# BUSSOLA_TEST_DATABASE_URL. It fails loudly if PostgreSQL or PostGIS is missing.
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  [ -x "$BIN/initdb" ] || { echo "pg-cluster: PostgreSQL 15 is not installed ($BIN/initdb missing)" >&2; exit 1; }
  [ -f /usr/share/postgresql/15/extension/postgis.control ] || { echo "pg-cluster: PostGIS for PostgreSQL 15 is not installed" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300 -c shared_buffers=256MB" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  "${psql[@]}" -d postgres -c "CREATE ROLE bussola SUPERUSER LOGIN" -c "CREATE DATABASE bussola_template" \
    -c "CREATE DATABASE bussola OWNER bussola"
  "${psql[@]}" -d bussola_template -c "CREATE EXTENSION postgis" -c "ALTER DATABASE bussola_template IS_TEMPLATE true"
  "${psql[@]}" -d bussola -c "CREATE EXTENSION postgis"
  cat >"$dir/env" <<ENV
export BUSSOLA_TEST_PG_ADMIN_URL=postgres://bussola@127.0.0.1:$port/postgres
export BUSSOLA_TEST_PG_TEMPLATE=bussola_template
export BUSSOLA_TEST_DATABASE_URL=postgres://bussola@127.0.0.1:$port/bussola
ENV
  echo "pg-cluster: PostgreSQL $("${psql[@]}" -At -d bussola -c 'SHOW server_version') with PostGIS $("${psql[@]}" -At -d bussola -c 'SELECT postgis_lib_version()') on 127.0.0.1:$port"
  ;;
stop)
  if [ -d "$dir/data" ]; then as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
