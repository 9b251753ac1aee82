#!/usr/bin/env bash
# Ingest against analyze, on the same input, in the same session (run by hand, not by CI).
#
# 1. `annals analyze CORPUS > /dev/null` and `annals ingest --db NEW CORPUS`, alternating,
#    ROUNDS times each: median wall time, documents/s, the ratio ingest/analyze (target
#    >= 0.80) of the medians and each round's own, peak RSS, database size;
# 2. the corpus repeated 4x and 16x (each copy under new ids, as the same wire story
#    republished on other sites is: analysed again, clustered into the first copy's story,
#    its events merged): documents/s, peak RSS (target < 1 GiB at 16x, and flat), size.
#
# CORPUS defaults to ../shared/data/corpus/news_text.jsonl; REPEATS (default "4 16", "" for
# none) and ROUNDS (default 3) to change.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ANNALS_SHARED_DATA:-../shared/data}
CORPUS=${CORPUS:-$DATA/corpus/news_text.jsonl}
REPEATS=${REPEATS-"4 16"}
ROUNDS=${ROUNDS:-3}
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

# This machine's speed drifts by a third between minutes (shared cores), so analyze and
# ingest alternate, ROUNDS times each, and medians are compared.
for k in $(seq 1 "$ROUNDS"); do
  run "analyze$k" "$BIN" analyze "$CORPUS"
  rm -f "$WORK/1x.db"*
  run "ingest$k" "$BIN" ingest -q --db "$WORK/1x.db" "$CORPUS"
done
python3 - "$WORK" "$DOCS" "$ROUNDS" <<'PY'
import os, statistics, sys
w, docs, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
f = lambda n, k: float(open(f"{w}/{n}.{k}").read())
a = [f(f"analyze{k}", "secs") for k in range(1, rounds + 1)]
i = [f(f"ingest{k}", "secs") for k in range(1, rounds + 1)]
ar = max(f(f"analyze{k}", "rss") for k in range(1, rounds + 1))
ir = max(f(f"ingest{k}", "rss") for k in range(1, rounds + 1))
am, im = statistics.median(a), statistics.median(i)
print(f"corpus: {docs} documents, {rounds} alternating rounds")
print(f"analyze  median {am:6.1f} s  {docs/am:6.0f} docs/s  (rounds: {', '.join(f'{x:.1f}' for x in a)})  peak RSS {ar/1024:.0f} MiB")
print(f"ingest   median {im:6.1f} s  {docs/im:6.0f} docs/s  (rounds: {', '.join(f'{x:.1f}' for x in i)})  peak RSS {ir/1024:.0f} MiB  "
      f"db {os.path.getsize(w + '/1x.db')/2**20:.0f} MiB")
print(f"ingest/analyze throughput, medians: {am/im:.2f} (target >= 0.80)")
# Each round's analyze and ingest run back to back, so a round's own ratio is less
# exposed to the machine's drift than the ratio of medians taken minutes apart.
pairs = sorted(x / y for x, y in zip(a, i))
print(f"ingest/analyze per round: median {statistics.median(pairs):.2f} (rounds: {', '.join(f'{p:.2f}' for p in pairs)})")
PY
tail -1 "$WORK/ingest$ROUNDS.err"

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
