#!/usr/bin/env bash
# schemathesis (PyPI) against the running server's OpenAPI document: no 5xx, every response
# conforms to the documented status codes, content types and schemas.
# Command (also in the README): see the last line.
set -euo pipefail
url=$1
# The exact version scripts/install-deps.sh installs into tests/blackbox/.venv; nothing is
# installed at test time.
SCHEMATHESIS_VERSION=4.32.5
venv="$(dirname "$0")/.venv"
[ -x "$venv/bin/schemathesis" ] || { echo "schemathesis is not installed in $venv: run scripts/install-deps.sh" >&2; exit 1; }
have=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))')
[ "$have" = "$SCHEMATHESIS_VERSION" ] || { echo "schemathesis $have in $venv, expected $SCHEMATHESIS_VERSION: run scripts/install-deps.sh" >&2; exit 1; }
# positive_data_acceptance is left out: some valid-looking requests are rightly refused for
# reasons a schema cannot express (radius without near, an unknown category, bbox min > max).
"$venv/bin/schemathesis" --config-file "$(dirname "$0")/schemathesis.toml" run "$url/api/openapi.json" --url "$url" --checks all --exclude-checks positive_data_acceptance \
  --max-examples 50 --workers 2 --no-color
