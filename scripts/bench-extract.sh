#!/usr/bin/env bash
# Throughput benchmark (run by hand, not by CI):
#  1. Python trafilatura vs Annals on the 171 dev HTML pages (zyte-aeb-dev + trafilatura-en-dev),
#     in one run, printing the ratio;
#  2. Annals on the benchmark corpus (../shared/data/corpus/news_text.jsonl): docs/s and MB/s.
# Python trafilatura is installed into a local venv (.venv-bench) by this script.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ANNALS_SHARED_DATA:-../shared/data}
ROUNDS=${ROUNDS:-3}
cargo build --release -q
BIN=target/release/annals
if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install -q "trafilatura==2.3.1" lxml_html_clean
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
.venv-bench/bin/python - "$DATA" "$WORK/pages.jsonl" <<'PY'
import gzip, json, os, sys
data, out = sys.argv[1], sys.argv[2]
with open(out, 'w', encoding='utf-8') as f:
    aeb = os.path.join(data, 'boilerplate/zyte-aeb-dev')
    gt = json.load(open(os.path.join(aeb, 'ground-truth.json'), encoding='utf-8'))
    for k in sorted(gt):
        html = gzip.open(os.path.join(aeb, 'html', k + '.html.gz')).read().decode('utf-8', 'replace')
        f.write(json.dumps({'id': k, 'html': html, 'url': gt[k].get('url')}) + '\n')
    te = os.path.join(data, 'boilerplate/trafilatura-en-dev')
    ev = json.load(open(os.path.join(te, 'evaldata.json'), encoding='utf-8'))
    for u in sorted(ev):
        html = open(os.path.join(te, 'html', ev[u]['file']), 'rb').read().decode('utf-8', 'replace')
        f.write(json.dumps({'id': u, 'html': html, 'url': u}) + '\n')
PY
echo "== HTML pages: Python trafilatura vs Annals (same pages, same run)"
.venv-bench/bin/python scripts/bench_pages.py "$WORK/pages.jsonl" "$BIN" --rounds "$ROUNDS"
echo "== corpus: $DATA/corpus/news_text.jsonl"
"$BIN" bench --rounds "$ROUNDS" "$DATA/corpus/news_text.jsonl"
"$BIN" bench --rounds "$ROUNDS" --threads 1 "$DATA/corpus/news_text.jsonl"
