#!/usr/bin/env python3
"""Side-by-side throughput: Python trafilatura vs `annals` on the same HTML pages, same run.

Usage: scripts/bench-extract.sh   (sets up the venv, then calls this)
       bench_pages.py PAGES.jsonl ANNALS_BIN [--rounds N]

PAGES.jsonl holds {"id", "html", "url"} lines (built by bench-extract.sh from the 171 dev
pages). Python trafilatura runs in this process, single-threaded, over the decoded HTML
strings; Annals runs `annals bench --no-entities --no-time` (the same job: extraction,
cleaning, segmentation) on the same JSONL (pages already in memory, one warm-up round,
median of N), once on one thread and once on all cores. Prints pages/s for each and the
ratios.
"""
import json, statistics, subprocess, sys, time

def main():
    pages_path, annals = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[sys.argv.index('--rounds') + 1]) if '--rounds' in sys.argv else 3
    import trafilatura
    pages = [json.loads(l) for l in open(pages_path, encoding='utf-8')]
    for p in pages:  # warm-up (imports, caches)
        trafilatura.extract(p['html'], url=p.get('url'), with_metadata=True)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for p in pages:
            trafilatura.extract(p['html'], url=p.get('url'), with_metadata=True)
        times.append(time.perf_counter() - t)
    py = len(pages) / statistics.median(times)
    res = {}
    for threads in ('1', None):
        # The job trafilatura does: extraction, cleaning, segmentation (no entity, time, quote or
        # event layer: those stages came later and are on by default).
        cmd = [annals, 'bench', '--format', 'jsonl', '--rounds', str(rounds), '--json',
               '--no-entities', '--no-time', '--no-quotes', '--no-events', pages_path]
        if threads:
            cmd[2:2] = ['--threads', threads]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        res[threads or 'all'] = json.loads(out.strip().splitlines()[-1])
    a1, an = res['1'], res['all']
    print(f'pages: {len(pages)}  rounds: {rounds} (median)')
    print(f'python trafilatura {trafilatura.__version__}: {py:.1f} pages/s (1 thread)')
    print(f'annals, 1 thread:            {a1["docs_per_s"]:.1f} pages/s  ({a1["records"]} records)')
    print(f'annals, {an["threads"]} threads:           {an["docs_per_s"]:.1f} pages/s')
    print(f'ratio 1 thread vs trafilatura: {a1["docs_per_s"] / py:.1f}x')
    print(f'ratio all cores vs trafilatura: {an["docs_per_s"] / py:.1f}x')

if __name__ == '__main__':
    main()
