#!/usr/bin/env bash
# Installs what the test suite needs and the machine lacks. Idempotent: when everything is
# present it installs nothing, runs no `apt-get update`, and prints one line.
#
#   Debian packages: postgresql-15, postgresql-15-postgis-3, postgresql-contrib, gdal-bin
#                    (ogrinfo, ogr2ogr), chromium, fonts-noto-core, wrk, curl
#   Rust components: rustfmt, clippy
#   Python:          schemathesis==4.32.5 (exact pin) in a venv at tests/blackbox/.venv
#   Cargo tools:     cargo-fuzz (for scripts/fuzz.sh; builds from crates.io with --locked)
#
# As root it installs with apt-get (waiting up to 10 minutes for another apt/dpkg to let go of
# its lock); as another user it prints what is missing and exits 1.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_EXT=/usr/share/postgresql/15/extension
LOCK_WAIT_SECS=${LOCK_WAIT_SECS:-600}

die() { echo "install-deps: error: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

missing_packages() {
  local need=()
  { [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && have psql && have pg_isready; } || need+=(postgresql-15)
  [ -f "$PG_EXT/postgis.control" ] || need+=(postgresql-15-postgis-3)
  [ -f "$PG_EXT/pg_trgm.control" ] || need+=(postgresql-contrib)
  { have ogrinfo && have ogr2ogr; } || need+=(gdal-bin)
  have chromium || need+=(chromium)
  # Arabic, Urdu and Bengali glyphs for the browser tests' screenshots.
  [ -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] || need+=(fonts-noto-core)
  have wrk || need+=(wrk)
  have curl || need+=(curl)
  echo "${need[*]}"
}

# Is an apt or dpkg process holding one of its locks?
apt_busy() {
  local f
  for f in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock; do
    if [ -e "$f" ] && have fuser && fuser "$f" >/dev/null 2>&1; then return 0; fi
  done
  # Without fuser, look for the processes themselves.
  if ! have fuser && pgrep -x 'apt-get|apt|dpkg|unattended-upgr' >/dev/null 2>&1; then return 0; fi
  return 1
}

# Runs apt-get with its output in a log; retries while another apt/dpkg holds the lock, until
# LOCK_WAIT_SECS have passed since this script started waiting.
LOG=$(mktemp /tmp/install-deps.XXXXXX.log)
trap 'rm -f "$LOG"' EXIT
deadline=$((SECONDS + LOCK_WAIT_SECS))
apt_get() {
  local said=0
  while :; do
    while apt_busy; do
      [ "$said" = 1 ] || { echo "install-deps: waiting for another apt/dpkg to finish (up to $((LOCK_WAIT_SECS / 60)) min)"; said=1; }
      [ "$SECONDS" -lt "$deadline" ] || die "apt/dpkg lock still held after ${LOCK_WAIT_SECS}s; giving up"
      sleep 5
    done
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@" >"$LOG" 2>&1; then
      return 0
    fi
    if grep -qiE 'could not get lock|unable to acquire|lock-frontend|is another process using it' "$LOG" \
      && [ "$SECONDS" -lt "$deadline" ]; then
      sleep 5
      continue
    fi
    echo "install-deps: error: 'apt-get $*' failed; its last lines:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  done
}

read -r -a need <<<"$(missing_packages)"
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages: ${need[*]}" >&2
    echo "install-deps: install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${need[*]}"
  start=$SECONDS
  apt_get update -q
  apt_get install -y -q --no-install-recommends "${need[@]}"
  read -r -a still <<<"$(missing_packages)"
  [ "${#still[@]}" -eq 0 ] || die "installed ${need[*]} but still missing: ${still[*]}"
  echo "install-deps: installed in $((SECONDS - start)) s"
fi

# Rust components (a rustup toolchain installs them per user, no root needed).
for comp in rustfmt clippy; do
  sub=$comp; [ "$comp" = rustfmt ] && sub=fmt
  if ! cargo "$sub" --version >/dev/null 2>&1; then
    have rustup || die "cargo $sub is missing and rustup is not installed to add it"
    echo "install-deps: rustup component add $comp"
    rustup component add "$comp" >"$LOG" 2>&1 || { cat "$LOG" >&2; die "rustup component add $comp failed"; }
  fi
done

# schemathesis, pinned to one exact version, in its own venv (tests/blackbox/schemathesis.sh
# checks the version and installs nothing itself).
SCHEMATHESIS_VERSION=4.32.5
venv="$(cd "$(dirname "$0")/.." && pwd)/tests/blackbox/.venv"
installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true)
if [ "$installed" != "$SCHEMATHESIS_VERSION" ]; then
  echo "install-deps: schemathesis==$SCHEMATHESIS_VERSION into $venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv" >"$LOG" 2>&1 || { cat "$LOG" >&2; die "python3 -m venv failed (install python3-venv)"; }
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" >"$LOG" 2>&1 || { cat "$LOG" >&2; die "pip install schemathesis==$SCHEMATHESIS_VERSION failed"; }
fi

# cargo-fuzz drives libFuzzer for scripts/fuzz.sh (stable Rust, `--sanitizer none`).
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "install-deps: cargo install cargo-fuzz --locked"
  cargo install cargo-fuzz --locked >"$LOG" 2>&1 || { tail -n 30 "$LOG" >&2; die "cargo install cargo-fuzz failed"; }
fi

echo "install-deps: ok (PostgreSQL 15 + PostGIS, GDAL, Chromium, wrk, rustfmt, clippy, cargo-fuzz, schemathesis $SCHEMATHESIS_VERSION present)"
