#!/usr/bin/env python3
"""Write data/events/cameo.txt, the project's CAMEO code table, from the public tables in
../shared/data/events: CAMEO event codes and labels (cameo/cameo_eventcodes.tsv), GDELT's
Goldstein values (cameo/goldstein_gdelt_lookup.tsv) and the CAMEO→PLOVER conversion
(CAMEO2PLOVER-2021.txt, PLOVER manual draft 0.8, CC BY-SA 4.0). QuadClass follows GDELT's
mapping of roots (01–05 → 1, 06–09 → 2, 10–14 → 3, 15–20 → 4).

Usage: scripts/build-cameo-table.py [SHARED_EVENTS_DIR] > data/events/cameo.txt
"""
import csv, os, re, sys

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data', 'events')

def tsv(path):
    with open(path, encoding='utf-8') as f:
        rows = list(csv.reader(f, delimiter='\t'))
    return {r[0].strip(): r[1].strip() for r in rows[1:] if len(r) >= 2}

labels = tsv(os.path.join(src, 'cameo', 'cameo_eventcodes.tsv'))
goldstein = tsv(os.path.join(src, 'cameo', 'goldstein_gdelt_lookup.tsv'))
plover = {}
for line in open(os.path.join(src, 'CAMEO2PLOVER-2021.txt'), encoding='utf-8'):
    line = line.split('#', 1)[0].strip()
    m = re.match(r'^(\d{2,4}):\s*(.*)$', line)
    if not m:
        continue
    parts = [p.strip() for p in m.group(2).split(',')]
    plover[m.group(1)] = (parts[0] if parts and parts[0] else '-', parts[1] if len(parts) > 1 and parts[1] else '-')

def quad(code):
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4

print('# CAMEO event codes for Annals: code, Goldstein value, QuadClass, PLOVER type and mode, label.')
print('#')
print('# Written by scripts/build-cameo-table.py from the CAMEO codebook labels, GDELT\'s Goldstein')
print('# lookup and the CAMEO-to-PLOVER conversion table (PLOVER manual draft 0.8, 2021, CC BY-SA 4.0;')
print('# this table is shared under the same licence). QuadClass is GDELT\'s mapping of roots:')
print('# 01-05 verbal cooperation (1), 06-09 material cooperation (2), 10-14 verbal conflict (3),')
print('# 15-20 material conflict (4). "-" marks no value (PLOVER has no type for some codes).')
print('#')
print('# Format: CODE | GOLDSTEIN | QUAD | PLOVER_TYPE | PLOVER_MODE | LABEL')
for code in sorted(labels, key=lambda c: (c[:2], c)):
    if not re.fullmatch(r'\d{2,4}', code):
        continue
    g = goldstein.get(code, '-')
    pt, pm = plover.get(code, ('-', '-'))
    print(f'{code:<5}| {g:>5} | {quad(code)} | {pt:<10} | {pm:<12} | {labels[code]}')
