#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for tests, on a free loopback port.
#
#   scripts/pg-cluster.sh start DIR   initdb in DIR, start it, create role `bussola` (superuser),
#                                     template database `bussola_template` (with PostGIS) and
#                                     database `bussola` made from it; write DIR/env
#   scripts/pg-cluster.sh env DIR     print DIR/env (for: eval "$(scripts/pg-cluster.sh env DIR)")
#   scripts/pg-cluster.sh stop DIR    stop the cluster and delete DIR
#
# DIR/env, to be sourced, exports:
#   BUSSOLA_TEST_DATABASE_URL   postgres://bussola@127.0.0.1:PORT/bussola
#   BUSSOLA_TEST_PG_TEMPLATE    bussola_template
#   BUSSOLA_TEST_PG_ADMIN_URL   postgres://bussola@127.0.0.1:PORT/postgres
#
# Trust authentication on 127.0.0.1 and DIR's unix socket only; fsync, full_page_writes and
# synchronous_commit off (data is thrown away). As root, the server runs as the `postgres` OS
# user (initdb refuses root). Fails loudly if PostgreSQL 15 or PostGIS is not installed.
set -euo pipefail

BIN=/usr/lib/postgresql/15/bin
POSTGIS_CONTROL=/usr/share/postgresql/15/extension/postgis.control
MARKER=.bussola-pg-cluster

RUNNING_DATA= # set once a server is up, so that a failure stops it again
die() {
  echo "pg-cluster: error: $*" >&2
  if [ -n "$RUNNING_DATA" ]; then as_pg "$BIN/pg_ctl" -D "$RUNNING_DATA" -m immediate stop >/dev/null 2>&1 || true; fi
  exit 1
}
usage() { echo "usage: $0 start|stop|env DIR" >&2; exit 2; }

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || usage

is_root() { [ "$(id -u)" = 0 ]; }
# Runs a command as the cluster's owner, from / (postgres may not be able to read our cwd).
as_pg() { if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + (RANDOM * 32768 + RANDOM + i) % 40000))
    # A refused connection means nobody listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "found no free loopback port"
}

start() {
  [ -x "$BIN/initdb" ] && [ -x "$BIN/pg_ctl" ] \
    || die "PostgreSQL 15 is not installed ($BIN/initdb missing); run scripts/install-deps.sh"
  [ -f "$POSTGIS_CONTROL" ] \
    || die "PostGIS for PostgreSQL 15 is not installed ($POSTGIS_CONTROL missing); run scripts/install-deps.sh (apt-get install postgresql-15-postgis-3)"
  command -v psql >/dev/null && command -v pg_isready >/dev/null \
    || die "psql/pg_isready not found (postgresql-client-15)"
  if is_root; then id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user"; fi

  if [ -e "$dir" ]; then
    [ -d "$dir" ] || die "$dir exists and is not a directory"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty (a cluster already there? stop it with: $0 stop $dir)"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  touch "$dir/$MARKER"
  if is_root; then
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" \
      || die "the postgres user cannot write $dir (is a parent directory closed to it?); use a directory under /tmp"
  fi
  # The server's socket path must fit in sun_path (107 bytes).
  [ "${#dir}" -le 80 ] || die "$dir is too long for a unix socket path; use a shorter directory"

  local locale_opt=(--no-locale)
  if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then locale_opt=(--locale=C.UTF-8); fi
  as_pg "$BIN/initdb" -D "$dir/data" -U postgres -E UTF8 "${locale_opt[@]}" \
    --auth-local=trust --auth-host=trust >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

  # Loopback and the socket inside DIR only, trust.
  cat >"$dir/data/pg_hba.conf" <<'HBA'
local all all trust
host  all all 127.0.0.1/32 trust
HBA

  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    cat >"$dir/data/postgresql.auto.conf" <<CONF
# written by scripts/pg-cluster.sh: a throwaway test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
fsync = off
full_page_writes = off
synchronous_commit = off
CONF
    if is_root; then chown postgres: "$dir/data/postgresql.auto.conf"; fi
    : >"$dir/server.log"
    if is_root; then chown postgres: "$dir/server.log"; fi
    if as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
      RUNNING_DATA=$dir/data
      break
    fi
    if grep -q 'could not bind\|Address already in use' "$dir/server.log" && [ "$attempt" -lt 5 ]; then
      continue # someone took the port in between: try another
    fi
    cat "$dir/server.log" >&2
    RUNNING_DATA=$dir/data # in case it came up after pg_ctl gave up waiting
    die "the server did not start (log above)"
  done

  local i
  for i in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" -t 1 && break
    [ "$i" -lt 60 ] || { cat "$dir/server.log" >&2; die "the server is not accepting connections after 60 s"; }
    sleep 1
  done

  local psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  "${psql[@]}" -d postgres -c "CREATE ROLE bussola SUPERUSER LOGIN" \
    -c "CREATE DATABASE bussola_template OWNER bussola" >/dev/null \
    || die "could not create the role bussola and database bussola_template"
  "${psql[@]}" -d bussola_template -c "CREATE EXTENSION postgis" >/dev/null \
    || die "CREATE EXTENSION postgis failed: PostGIS is not usable in this cluster"
  "${psql[@]}" -d postgres -c "ALTER DATABASE bussola_template IS_TEMPLATE true" \
    -c "CREATE DATABASE bussola OWNER bussola TEMPLATE bussola_template" >/dev/null \
    || die "could not create the database bussola from bussola_template"

  local postgis
  postgis=$("${psql[@]}" -At -d bussola -c 'SELECT postgis_lib_version()') \
    || die "PostGIS does not answer in database bussola"
  [ -n "$postgis" ] || die "PostGIS does not answer in database bussola"

  cat >"$dir/env" <<ENV
export BUSSOLA_TEST_DATABASE_URL=postgres://bussola@127.0.0.1:$port/bussola
export BUSSOLA_TEST_PG_TEMPLATE=bussola_template
export BUSSOLA_TEST_PG_ADMIN_URL=postgres://bussola@127.0.0.1:$port/postgres
ENV
  echo "pg-cluster: PostgreSQL $("${psql[@]}" -At -d postgres -c 'SHOW server_version') with PostGIS $postgis on 127.0.0.1:$port (data in $dir; source $dir/env)"
}

stop() {
  [ -e "$dir" ] || return 0
  [ -d "$dir" ] || die "$dir is not a directory"
  dir=$(cd "$dir" && pwd)
  if [ ! -e "$dir/$MARKER" ] && [ ! -f "$dir/data/PG_VERSION" ]; then
    # Never delete a directory this script did not make; an empty one is harmless.
    rmdir "$dir" 2>/dev/null || die "$dir is not a cluster made by $0; not deleting it"
    return 0
  fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 \
      || as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 \
      || echo "pg-cluster: warning: could not stop the server in $dir" >&2
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env)
    [ -f "$dir/env" ] || die "$dir/env not found: start a cluster with: $0 start $dir"
    cat "$dir/env"
    ;;
  *) usage ;;
esac
