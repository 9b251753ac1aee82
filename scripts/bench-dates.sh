#!/usr/bin/env bash
# Time expressions side by side (run by hand, not by CI): Python dateparser (search_dates,
# anchored on each document's date) and Annals on the same 256 TimeBank/AQUAINT documents
# (../shared/data/temporal/tbaq-cleaned.jsonl), in one run: value F1 of each (matched as
# evaluate.py matches: overlapping spans, equal values) and documents/s of each.
# dateparser is installed into a local venv (.venv-dateparser) by this script.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ANNALS_SHARED_DATA:-../shared/data}
cargo build --release -q
if [ ! -x .venv-dateparser/bin/python ] || ! .venv-dateparser/bin/python -c 'import dateparser' 2>/dev/null; then
  python3 -m venv .venv-dateparser
  .venv-dateparser/bin/pip install -q "dateparser==1.5.0"
fi
.venv-dateparser/bin/python scripts/bench_dates.py "$DATA/temporal/tbaq-cleaned.jsonl" target/release/annals
