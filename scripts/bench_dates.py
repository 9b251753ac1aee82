"""dateparser vs Annals on the same documents: value F1 and documents/s.

dateparser.search.search_dates finds date strings and returns datetimes; a datetime
has no granularity, so each is written as a day (YYYY-MM-DD), or as YYYY-MM / YYYY
when the found text names no day / no month. Its matches are placed in the text in
order of appearance. Annals' values come from `annals analyze --raw --no-entities`
on the same JSONL; its speed from `annals bench` (inputs in memory, median of five
rounds): the pipeline without the entity and quote stages (ingest, segmentation, time), and the
time layer alone as that minus the same run with `--no-time`.
"""
import json, re, subprocess, sys, tempfile, time, os
from datetime import datetime

gold_path, annals = sys.argv[1], sys.argv[2]
docs = [json.loads(l) for l in open(gold_path, encoding='utf-8') if l.strip()]

def overlap(a, b): return max(0, min(a[1], b[1]) - max(a[0], b[0]))

def score(pred_by_doc):
    n_g = n_p = value = 0
    for d in docs:
        G = [(t['start'], t['end'], t['value']) for t in d['timexes']]
        P = pred_by_doc.get(d['doc'], [])
        n_g += len(G); n_p += len(P); used = set()
        for p in P:
            best = None
            for i, g in enumerate(G):
                if i in used or overlap(p, g) == 0: continue
                if best is None or overlap(p, g) > overlap(p, G[best]): best = i
            if best is None: continue
            used.add(best); value += p[2] == G[best][2]
    P = value / n_p if n_p else 0; R = value / n_g if n_g else 0
    return 2 * P * R / (P + R) if P + R else 0.0, n_p

MONTHS = re.compile(r'(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?')
def granular(text, dt):
    has_day = bool(re.search(r'\d', text)) and (MONTHS.search(text) or re.search(r'\d{1,2}[/-]\d{1,2}', text)) \
        or re.search(r'(?i)\b(today|yesterday|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|ago)\b', text)
    if has_day: return dt.strftime('%Y-%m-%d')
    if MONTHS.search(text): return dt.strftime('%Y-%m')
    return dt.strftime('%Y')

from dateparser.search import search_dates
search_dates('warm up on Monday', settings={'RELATIVE_BASE': datetime(2000, 1, 1)})
t0 = time.perf_counter()
dp = {}
for d in docs:
    base = datetime.strptime(d['dct'][:10], '%Y-%m-%d')
    found = search_dates(d['text'], languages=['en'], settings={'RELATIVE_BASE': base}) or []
    out, at = [], 0
    for s, dt in found:
        i = d['text'].find(s, at)
        if i < 0: continue
        out.append((i, i + len(s), granular(s, dt))); at = i + len(s)
    dp[d['doc']] = out
dp_secs = time.perf_counter() - t0

tmp = tempfile.mkdtemp(prefix='annals-dates-')
inp = os.path.join(tmp, 'in.jsonl')
with open(inp, 'w', encoding='utf-8') as f:
    for d in docs: f.write(json.dumps({'id': d['doc'], 'text': d['text'], 'date': d['dct']}) + '\n')
def annals_out():
    return subprocess.run([annals, 'analyze', '--raw', '--format', 'jsonl', '--threads', '1', '--no-entities', inp],
                          check=True, capture_output=True, text=True).stdout
def annals_secs(*extra):
    # `annals bench`: inputs in memory, a warm-up round, median of timed rounds.
    out = subprocess.run([annals, 'bench', '--raw', '--format', 'jsonl', '--threads', '1', '--rounds', '5', '--json',
                          '--no-entities', '--no-quotes', *extra, inp], check=True, capture_output=True, text=True).stdout
    return json.loads(out)['seconds_median']
out = annals_out()
an_secs = annals_secs()
base_secs = annals_secs('--no-time')
an = {}
for line in out.splitlines():
    r = json.loads(line)
    an[r['id']] = [(t['start'], t['end'], t.get('value')) for t in r.get('timexes', [])]

f_dp, n_dp = score(dp); f_an, n_an = score(an)
layer = max(an_secs - base_secs, 1e-6)
print(f'{len(docs)} documents, one core each')
print(f'dateparser {__import__("dateparser").__version__}: value F1 {f_dp:.3f} ({n_dp} expressions), {len(docs) / dp_secs:,.1f} docs/s')
print(f'Annals (ingest, segment, time): value F1 {f_an:.3f} ({n_an} expressions), {len(docs) / an_secs:,.1f} docs/s')
print(f'Annals time layer alone: {len(docs) / layer:,.1f} docs/s')
print(f'ratio, Annals pipeline vs dateparser: {dp_secs / an_secs:.1f}x; time layer vs dateparser: {dp_secs / layer:.1f}x')
