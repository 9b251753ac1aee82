#!/usr/bin/env bash
# Ingest against analyze, on the same input, in the same session (run by hand, not by CI).
#
# 1. `annals analyze CORPUS > /dev/null` and `annals ingest --db NEW CORPUS`: wall time,
#    documents/s, the ratio ingest/analyze (target >= 0.80), peak RSS, database size;
# 2. the corpus repeated 4x and 16x (each copy under new ids, as the same wire story
#    republished on other sites is: analysed again, clustered into the first copy's story,
#    its events merged): documents/s, peak RSS (target < 1 GiB at 16x, and flat), size.
#
# CORPUS defaults to ../shared/data/corpus/news_text.jsonl; REPEATS="4 16" to change.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ANNALS_SHARED_DATA:-../shared/data}
CORPUS=${CORPUS:-$DATA/corpus/news_text.jsonl}
REPEATS=${REPEATS:-"4 16"}
cargo build --release -q
BIN=$PWD/target/release/annals
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DOCS=$(wc -l < "$CORPUS")

# run NAME CMD...: wall seconds and peak RSS (KiB) of CMD into $WORK/NAME.{secs,rss}
run() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$@" > /dev/null 2> "$WORK/$name.err" || {
    local rc=$?; [ $rc -eq 1 ] || { cat "$WORK/$name.err"; exit $rc; }  # 1 = some inputs skipped
  }
  read -r secs rss < <(tail -1 "$WORK/$name.time")
  echo "$secs" > "$WORK/$name.secs"; echo "$rss" > "$WORK/$name.rss"
}

run analyze "$BIN" analyze "$CORPUS"
run ingest1 "$BIN" ingest -q --db "$WORK/1x.db" "$CORPUS"
python3 - "$WORK" "$DOCS" <<'PY'
import os, sys
w, docs = sys.argv[1], int(sys.argv[2])
f = lambda n, k: float(open(f"{w}/{n}.{k}").read())
a, i = f("analyze", "secs"), f("ingest1", "secs")
print(f"corpus: {docs} documents")
print(f"analyze  {a:7.1f} s  {docs/a:7.0f} docs/s  peak RSS {f('analyze','rss')/1024:6.0f} MiB")
print(f"ingest   {i:7.1f} s  {docs/i:7.0f} docs/s  peak RSS {f('ingest1','rss')/1024:6.0f} MiB  "
      f"db {os.path.getsize(w + '/1x.db')/2**20:.0f} MiB")
print(f"ingest/analyze throughput: {a/i:.2f} (target >= 0.80)")
PY
tail -1 "$WORK/ingest1.err"

for R in $REPEATS; do
  python3 - "$CORPUS" "$R" > "$WORK/rep.jsonl" <<'PY'
import json, sys
path, r = sys.argv[1], int(sys.argv[2])
for k in range(r):
    with open(path) as f:
        for line in f:
            o = json.loads(line)
            o["id"] = f"{o.get('id')}#copy{k}"
            print(json.dumps(o))
PY
  run "ingest$R" "$BIN" ingest -q --db "$WORK/${R}x.db" "$WORK/rep.jsonl"
  python3 - "$WORK" "$DOCS" "$R" <<'PY'
import os, sys
w, docs, r = sys.argv[1], int(sys.argv[2]), sys.argv[3]
secs = float(open(f"{w}/ingest{r}.secs").read()); rss = float(open(f"{w}/ingest{r}.rss").read())
n = docs * int(r)
print(f"{r:>2}x: {n} documents  {secs:7.1f} s  {n/secs:6.0f} docs/s  peak RSS {rss/1024:6.0f} MiB  "
      f"db {os.path.getsize(f'{w}/{r}x.db')/2**20:.0f} MiB")
PY
  tail -1 "$WORK/ingest$R.err"
  rm -f "$WORK/rep.jsonl" "$WORK/${R}x.db"*
done
