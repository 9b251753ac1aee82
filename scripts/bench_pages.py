#!/usr/bin/env python3
"""Side-by-side throughput: Python trafilatura vs `annals` on the same HTML pages, same run.

Usage: scripts/bench-extract.sh   (sets up the venv, then calls this)
       bench_pages.py PAGES.jsonl ANNALS_BIN [--rounds N]

PAGES.jsonl holds {"id", "html", "url"} lines (built by bench-extract.sh from the 171 dev
pages). Python trafilatura runs in this process, single-threaded, over the decoded HTML
strings; Annals runs `annals bench --no-entities --no-time --no-quotes --no-events` (the same
job: extraction, cleaning, segmentation) on the same JSONL (pages already in memory, one
warm-up round each), on one thread and on all cores. The three alternate round by round;
medians of N rounds. Prints pages/s for each and the ratios.
"""
import json, statistics, subprocess, sys, time

def main():
    pages_path, annals = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[sys.argv.index('--rounds') + 1]) if '--rounds' in sys.argv else 3
    import trafilatura
    pages = [json.loads(l) for l in open(pages_path, encoding='utf-8')]
    for p in pages:  # warm-up (imports, caches)
        trafilatura.extract(p['html'], url=p.get('url'), with_metadata=True)
    # This machine's speed drifts between minutes, so the three measurements alternate
    # round by round (one Python pass, one Annals round on one thread, one on all
    # cores) and medians are compared.
    def annals_round(threads):
        # The job trafilatura does: extraction, cleaning, segmentation (no entity, time,
        # quote or event layer: those stages came later and are on by default).
        cmd = [annals, 'bench', '--format', 'jsonl', '--rounds', '1', '--json',
               '--no-entities', '--no-time', '--no-quotes', '--no-events', pages_path]
        if threads:
            cmd[2:2] = ['--threads', threads]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    times, one, many = [], [], []
    for _ in range(rounds):
        t = time.perf_counter()
        for p in pages:
            trafilatura.extract(p['html'], url=p.get('url'), with_metadata=True)
        times.append(time.perf_counter() - t)
        one.append(annals_round('1'))
        many.append(annals_round(None))
    py = len(pages) / statistics.median(times)
    med = lambda rs: sorted(rs, key=lambda r: r['docs_per_s'])[len(rs) // 2]
    a1, an = med(one), med(many)
    print(f'pages: {len(pages)}  rounds: {rounds} (median)')
    print(f'python trafilatura {trafilatura.__version__}: {py:.1f} pages/s (1 thread)')
    print(f'annals, 1 thread:            {a1["docs_per_s"]:.1f} pages/s  ({a1["records"]} records)')
    print(f'annals, {an["threads"]} threads:           {an["docs_per_s"]:.1f} pages/s')
    print(f'ratio 1 thread vs trafilatura: {a1["docs_per_s"] / py:.1f}x')
    print(f'ratio all cores vs trafilatura: {an["docs_per_s"] / py:.1f}x')

if __name__ == '__main__':
    main()
