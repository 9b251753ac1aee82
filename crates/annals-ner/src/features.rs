//! Feature extraction: each token becomes a list of hashed feature ids.
//!
//! Features are hashed (template id + strings → 32 bits) so extraction allocates
//! nothing per feature and the model stores no strings. Static features depend
//! only on the text; the few that depend on the labels already chosen for the
//! previous tokens are added by the decoder ([`history`]).

use crate::clusters::WordClusters;
use crate::gazetteer::Gazetteer;
use crate::lexicon::CapsLexicon;
use rustc_hash::FxHashMap as HashMap;
use std::cell::Cell;
use std::rc::Rc;

/// A hashed feature.
pub type Feature = u32;

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Hash `parts` under template `t`. Parts are separated so ("ab","c") ≠ ("a","bc").
fn hash(t: u8, parts: &[&[u8]]) -> Feature {
    let mut h: u64 = (u64::from(t) + 1).wrapping_mul(K);
    for p in parts {
        for &b in *p {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
        h = (h.rotate_left(5) ^ 0xff).wrapping_mul(K);
    }
    // 0 marks an empty slot in the weight table: never use it as an id.
    ((h >> 32) as Feature).max(1)
}

/// The shape of a word with runs collapsed: "Minsk" → "Xx", "U.S." → "X.X.",
/// "200,000" → "d,d", "McDonald" → "XxXx".
pub fn shape(word: &str) -> String {
    let mut out = String::new();
    shape_into(word, &mut out);
    out
}

/// [`shape`], appended to `out`.
pub fn shape_into(word: &str, out: &mut String) {
    let mut last = None;
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if Some(k) != last {
            out.push(k);
            last = Some(k);
        }
    }
}

/// A sentence's words (lower-cased, or shapes) in one buffer: one allocation per
/// sentence rather than one per word.
#[derive(Debug, Clone, Default)]
pub struct Words {
    buf: String,
    ends: Vec<usize>,
}

impl Words {
    fn with_capacity(n: usize) -> Words {
        Words {
            buf: String::with_capacity(n * 8),
            ends: Vec::with_capacity(n),
        }
    }

    fn push_with(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.buf);
        self.ends.push(self.buf.len());
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The words in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| &self[i])
    }
}

impl std::ops::Index<usize> for Words {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }
}

/// How a word is written elsewhere in the same document (bit flags).
const SEEN_LOWER: u8 = 1;
const SEEN_TITLE_MID: u8 = 2;
const SEEN_UPPER: u8 = 4;

fn is_all_upper(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() > 1 && !w.chars().any(char::is_lowercase)
}

fn is_title(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().skip(1).any(char::is_lowercase)
}

/// Per-document knowledge shared by all its sentences.
pub struct DocContext<'a> {
    lexicon: &'a CapsLexicon,
    clusters: &'a WordClusters,
    gazetteer: &'a Gazetteer,
    forms: HashMap<String, u8>,
}

impl<'a> DocContext<'a> {
    /// Learn how each word is written across the document's sentences.
    pub fn new(
        lexicon: &'a CapsLexicon,
        clusters: &'a WordClusters,
        gazetteer: &'a Gazetteer,
        sentences: &[Vec<&str>],
    ) -> Self {
        let mut forms: HashMap<String, u8> = HashMap::default();
        let mut lower = String::new();
        for s in sentences {
            let headline = is_headline(s);
            for (i, w) in s.iter().enumerate() {
                if !w.chars().any(char::is_alphabetic) {
                    continue;
                }
                let flag = if is_all_upper(w) {
                    SEEN_UPPER
                } else if is_title(w) {
                    if i == 0 || headline {
                        continue;
                    }
                    SEEN_TITLE_MID
                } else if w.chars().next().is_some_and(char::is_lowercase) {
                    SEEN_LOWER
                } else {
                    continue;
                };
                // Allocate only for a word not seen before.
                lower.clear();
                push_lower(w, &mut lower);
                match forms.get_mut(lower.as_str()) {
                    Some(f) => *f |= flag,
                    None => {
                        forms.insert(lower.clone(), flag);
                    }
                }
            }
        }
        DocContext {
            lexicon,
            clusters,
            gazetteer,
            forms,
        }
    }
}

/// A sentence in which most words are written in capitals (a headline, a byline).
pub fn is_headline(words: &[&str]) -> bool {
    // Words of two letters or more, and how many of them are in capitals.
    let (mut alpha, mut upper) = (0usize, 0usize);
    for w in words {
        if w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() {
            alpha += 1;
            upper += usize::from(is_all_upper(w));
        }
    }
    alpha >= 2 && upper * 10 >= alpha * 6
}

/// Append `word` lower-cased to `buf` (the common all-ASCII word without decoding
/// it character by character).
fn push_lower(word: &str, buf: &mut String) {
    if word.is_ascii() {
        let start = buf.len();
        buf.push_str(word);
        buf[start..].make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Per-token strings the decoder needs again for its history features.
pub struct SentenceFeatures {
    /// Static features of token i: `feats[offsets[i]..offsets[i + 1]]`.
    pub feats: Vec<Feature>,
    /// Start of each token's features, plus the end.
    pub offsets: Vec<usize>,
    /// Lower-cased words (shared with the stage-2 copy).
    pub lower: Rc<Words>,
    /// Word shapes.
    pub shapes: Rc<Words>,
    /// Whether the word has a capital letter: only such a word can start a
    /// mention (99.6% of CoNLL's do); the decoder does not score the others
    /// unless they continue a mention.
    pub capitalised: Rc<[bool]>,
}

impl SentenceFeatures {
    /// The static features of token `i`.
    pub fn of(&self, i: usize) -> &[Feature] {
        &self.feats[self.offsets[i]..self.offsets[i + 1]]
    }
}

fn prefix(s: &str, n: usize) -> Option<&str> {
    let (i, _) = s.char_indices().nth(n)?;
    Some(&s[..i])
}

fn suffix(s: &str, n: usize) -> Option<&str> {
    let count = s.chars().count();
    if count <= n {
        return None;
    }
    let (i, _) = s.char_indices().nth(count - n)?;
    Some(&s[i..])
}

/// Per-sentence state for extracting token features, on demand: the tagger
/// extracts features only for the tokens it scores (most lower-case words are not),
/// training extracts them all ([`sentence_features`]).
pub struct Extractor<'w> {
    words: &'w [&'w str],
    ctx: &'w DocContext<'w>,
    lower: Rc<Words>,
    shapes: Rc<Words>,
    capitalised: Rc<[bool]>,
    gaz: Vec<Vec<(u8, crate::gazetteer::Position)>>,
    /// Per-token table lookups, made on first use: a token is looked up only if it
    /// or a neighbour is scored, and most words are not (0 or None = not yet).
    buckets: Vec<Cell<u8>>,
    forms: Vec<Cell<u8>>,
    sigs: Vec<Cell<Option<Option<u32>>>>,
    headline: bool,
    table: bool,
}

impl<'w> Extractor<'w> {
    /// Prepare `words` (one sentence) in the document context `ctx`.
    pub fn new(words: &'w [&'w str], ctx: &'w DocContext<'w>) -> Self {
        let n = words.len();
        let mut lower = Words::with_capacity(n);
        let mut shapes = Words::with_capacity(n);
        for w in words {
            lower.push_with(|buf| push_lower(w, buf));
            shapes.push_with(|buf| shape_into(w, buf));
        }
        // A line of a results table or price list: teams and markets, not places.
        let numeric = words
            .iter()
            .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .count();
        Extractor {
            words,
            ctx,
            capitalised: words
                .iter()
                .map(|w| w.chars().any(char::is_uppercase))
                .collect(),
            gaz: ctx.gazetteer.matches(words),
            lower: Rc::new(lower),
            shapes: Rc::new(shapes),
            buckets: vec![Cell::new(0); n],
            forms: vec![Cell::new(0); n],
            sigs: vec![Cell::new(None); n],
            headline: is_headline(words),
            table: n > 0 && numeric * 10 >= n * 3,
        }
    }

    /// The sentence's words without features (for the decoder's history).
    pub fn sentence(&self) -> SentenceFeatures {
        SentenceFeatures {
            feats: Vec::new(),
            offsets: Vec::new(),
            lower: self.lower.clone(),
            shapes: self.shapes.clone(),
            capitalised: self.capitalised.clone(),
        }
    }

    /// Token `i`'s capitalisation bucket in the corpus lexicon, as a digit.
    fn bucket(&self, i: usize) -> u8 {
        let cell = &self.buckets[i];
        if cell.get() == 0 {
            cell.set(b'0' + self.ctx.lexicon.bucket(&self.lower[i]));
        }
        cell.get()
    }

    /// How token `i`'s word is written elsewhere in the document, as a digit.
    fn form(&self, i: usize) -> u8 {
        let cell = &self.forms[i];
        if cell.get() == 0 {
            let f = self.ctx.forms.get(&self.lower[i]).copied().unwrap_or(0);
            cell.set(b'0' + f);
        }
        cell.get()
    }

    /// Token `i`'s word-cluster signature, if the word has one.
    fn sig(&self, i: usize) -> Option<u32> {
        let cell = &self.sigs[i];
        if let Some(sig) = cell.get() {
            return sig;
        }
        let sig = self.ctx.clusters.get(self.words[i]);
        cell.set(Some(sig));
        sig
    }

    /// Append the static features of token `i` to `feats`.
    pub fn token(&self, i: usize, feats: &mut Vec<Feature>) {
        let n = self.words.len();
        let (lower, shapes) = (&*self.lower, &*self.shapes);
        let hl: &[u8] = if self.headline { b"H" } else { b"-" };
        let table: &[u8] = if self.table { b"T" } else { b"-" };
        let lw = |k: isize| -> &[u8] {
            if k < 0 {
                b"<s>"
            } else if k as usize >= n {
                b"</s>"
            } else {
                lower[k as usize].as_bytes()
            }
        };
        let sh = |k: isize| -> &[u8] {
            if k < 0 {
                b"<s>"
            } else if k as usize >= n {
                b"</s>"
            } else {
                shapes[k as usize].as_bytes()
            }
        };
        let gaz = &self.gaz;
        for &(cat, pos) in &gaz[i] {
            let p = [cat, pos as u8];
            feats.push(hash(50, &[&p]));
            feats.push(hash(51, &[&p, &[u8::from(i == 0)]]));
            feats.push(hash(54, &[&p, table]));
        }
        if i > 0 {
            for &(cat, _) in &gaz[i - 1] {
                feats.push(hash(52, &[&[cat]]));
            }
        }
        if i + 1 < n {
            for &(cat, _) in &gaz[i + 1] {
                feats.push(hash(53, &[&[cat]]));
            }
        }
        feats.push(hash(55, &[table, shapes[i].as_bytes()]));
        let w = self.words[i];
        let l = &lower[i];
        let s = shapes[i].as_bytes();
        let ii = i as isize;
        feats.push(hash(0, &[]));
        feats.push(hash(1, &[w.as_bytes()]));
        feats.push(hash(2, &[l.as_bytes()]));
        feats.push(hash(3, &[s]));
        feats.push(hash(4, &[s, hl]));
        for k in 1..=4 {
            if let Some(p) = prefix(l, k) {
                feats.push(hash(5, &[p.as_bytes()]));
            }
            if let Some(p) = suffix(l, k) {
                feats.push(hash(6, &[p.as_bytes()]));
            }
        }
        feats.push(hash(7, &[lw(ii - 1)]));
        feats.push(hash(8, &[lw(ii + 1)]));
        feats.push(hash(9, &[lw(ii - 2)]));
        feats.push(hash(10, &[lw(ii + 2)]));
        feats.push(hash(11, &[sh(ii - 1)]));
        feats.push(hash(12, &[sh(ii + 1)]));
        feats.push(hash(13, &[lw(ii - 1), l.as_bytes()]));
        feats.push(hash(14, &[l.as_bytes(), lw(ii + 1)]));
        feats.push(hash(15, &[sh(ii - 1), s, sh(ii + 1)]));
        feats.push(hash(16, &[sh(ii - 1), s]));
        feats.push(hash(17, &[s, sh(ii + 1)]));
        let first: &[u8] = if i == 0 { b"1" } else { b"0" };
        let bucket = [self.bucket(i)];
        feats.push(hash(18, &[&bucket, first, hl]));
        feats.push(hash(19, &[&bucket, s]));
        let form = [self.form(i)];
        feats.push(hash(20, &[&form, s, first]));
        feats.push(hash(21, &[&form, &bucket]));
        if let Some(sig) = self.sig(i) {
            for (k, bits) in [4u32, 8, 12, 16, 24].into_iter().enumerate() {
                let p = (sig >> (32 - bits)).to_le_bytes();
                feats.push(hash(24 + k as u8, &[&p]));
            }
        } else {
            feats.push(hash(29, &[s]));
        }
        for (t, j) in [(30u8, ii - 1), (31, ii + 1), (32, ii - 2), (33, ii + 2)] {
            if j >= 0 && (j as usize) < n {
                if let Some(sig) = self.sig(j as usize) {
                    feats.push(hash(t, &[&(sig >> 24).to_le_bytes()]));
                    feats.push(hash(t + 10, &[&(sig >> 20).to_le_bytes(), s]));
                }
            }
        }
        // The word before and after in the corpus' terms: "of <Capitalised>".
        if i > 0 {
            let pb = [self.bucket(i - 1)];
            feats.push(hash(22, &[&pb, &bucket, s]));
        }
        if i + 1 < n {
            let nb = [self.bucket(i + 1)];
            feats.push(hash(23, &[&bucket, &nb, sh(ii + 1)]));
        }
    }
}

/// Extract the static features of every token of one sentence.
pub fn sentence_features<'w>(words: &'w [&'w str], ctx: &'w DocContext<'w>) -> SentenceFeatures {
    let ex = Extractor::new(words, ctx);
    let mut feats = Vec::with_capacity(words.len() * 48);
    let mut offsets = Vec::with_capacity(words.len() + 1);
    for i in 0..words.len() {
        offsets.push(feats.len());
        ex.token(i, &mut feats);
    }
    offsets.push(feats.len());
    SentenceFeatures {
        feats,
        offsets,
        ..ex.sentence()
    }
}

/// What stage 1 said of each word anywhere in the document: mention counts per
/// class, and stage 1's own label for each token.
pub struct Aggregate {
    counts: HashMap<String, [u16; 4]>,
    own: Vec<Vec<(usize, Option<u8>)>>,
}

impl Aggregate {
    /// Collect stage-1 labels (`labels[sentence][token]`, indices into `defs`).
    pub fn new(
        feats: &[SentenceFeatures],
        labels: &[Vec<usize>],
        defs: &[crate::model::Label],
    ) -> Self {
        let class_of = |l: usize| -> Option<u8> {
            defs[l]
                .class
                .and_then(|c| crate::NerClass::ALL.iter().position(|&x| x == c))
                .map(|k| k as u8)
        };
        let mut counts: HashMap<String, [u16; 4]> = HashMap::default();
        let mut own = Vec::with_capacity(labels.len());
        for (sf, ls) in feats.iter().zip(labels) {
            let mut row = Vec::with_capacity(ls.len());
            for (w, &l) in sf.lower.iter().zip(ls) {
                let c = class_of(l);
                if let Some(k) = c {
                    match counts.get_mut(w) {
                        Some(n) => n[k as usize] += 1,
                        None => {
                            let mut n = [0u16; 4];
                            n[k as usize] = 1;
                            counts.insert(w.to_string(), n);
                        }
                    }
                }
                row.push((l, c));
            }
            own.push(row);
        }
        Aggregate { counts, own }
    }
}

/// Append the stage-2 features of token `i` of sentence `si`: what stage 1 said of
/// the same word elsewhere in the document.
pub fn aggregate_token(
    sf: &SentenceFeatures,
    agg: &Aggregate,
    si: usize,
    i: usize,
    feats: &mut Vec<Feature>,
) {
    let class = agg.own.get(si).and_then(|r| r.get(i)).and_then(|&(_, c)| c);
    let shape = sf.shapes[i].as_bytes();
    if let Some(mut c) = agg.counts.get(&sf.lower[i]).copied() {
        if let Some(k) = class {
            c[k as usize] = c[k as usize].saturating_sub(1);
        }
        let total: u16 = c.iter().sum();
        if total > 0 {
            let (best, n) = c
                .iter()
                .enumerate()
                .max_by_key(|&(k, &n)| (n, std::cmp::Reverse(k)))
                .map(|(k, &n)| (k as u8, n))
                .unwrap_or((0, 0));
            let pure = [u8::from(n == total)];
            feats.push(hash(62, &[&[best]]));
            feats.push(hash(63, &[&[best], &pure, shape]));
            let agree = [u8::from(class == Some(best))];
            feats.push(hash(64, &[&[best], &agree]));
        }
    }
}

/// `sf` plus the stage-2 features of sentence `si` ([`aggregate_token`]).
pub fn with_aggregate(sf: &SentenceFeatures, agg: &Aggregate, si: usize) -> SentenceFeatures {
    let mut feats = Vec::with_capacity(sf.feats.len() + sf.lower.len() * 4);
    let mut offsets = Vec::with_capacity(sf.offsets.len());
    for i in 0..sf.lower.len() {
        offsets.push(feats.len());
        feats.extend_from_slice(sf.of(i));
        aggregate_token(sf, agg, si, i, &mut feats);
    }
    offsets.push(feats.len());
    SentenceFeatures {
        feats,
        offsets,
        lower: sf.lower.clone(),
        shapes: sf.shapes.clone(),
        capitalised: sf.capitalised.clone(),
    }
}

/// What the tagger has already said about each word earlier in the document:
/// mention counts per class (PER, ORG, LOC, MISC). A name tagged PER three times
/// is most likely PER the fourth time, even in a sentence that does not say so.
pub type DocHistory = HashMap<String, [u16; 4]>;

/// Features of the labels already chosen: for the two previous tokens, and for
/// this word earlier in the document.
pub fn history(
    sf: &SentenceFeatures,
    i: usize,
    prev: &str,
    prev2: &str,
    doc: &DocHistory,
    out: &mut Vec<Feature>,
) {
    out.clear();
    if let Some(counts) = doc.get(&sf.lower[i]) {
        let (best, n) = counts
            .iter()
            .enumerate()
            .max_by_key(|&(k, &c)| (c, std::cmp::Reverse(k)))
            .map(|(k, &c)| (k as u8, c))
            .unwrap_or((0, 0));
        if n > 0 {
            out.push(hash(44, &[&[best]]));
            out.push(hash(45, &[&[best], sf.shapes[i].as_bytes()]));
            out.push(hash(46, &[&[best], prev.as_bytes()]));
        }
    }
    out.push(hash(40, &[prev.as_bytes()]));
    out.push(hash(41, &[prev2.as_bytes(), prev.as_bytes()]));
    out.push(hash(42, &[prev.as_bytes(), sf.lower[i].as_bytes()]));
    out.push(hash(43, &[prev.as_bytes(), sf.shapes[i].as_bytes()]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Minsk"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("200,000"), "d,d");
        assert_eq!(shape("McDonald"), "XxXx");
    }

    #[test]
    fn headlines_are_mostly_capitals() {
        assert!(is_headline(&["NO", "CEASEFIRE", "FOR", "Kyiv"]));
        assert!(!is_headline(&["The", "talks", "in", "MINSK"]));
    }

    #[test]
    fn features_are_deterministic_and_differ_by_word() {
        let lex = CapsLexicon::default();
        let s = vec!["Putin", "visited", "Minsk"];
        let wc = WordClusters::default();
        let gz = Gazetteer::new();
        let ctx = DocContext::new(&lex, &wc, &gz, std::slice::from_ref(&s));
        let a = sentence_features(&s, &ctx);
        let b = sentence_features(&s, &ctx);
        assert_eq!(a.feats, b.feats);
        assert_ne!(a.of(0), a.of(2));
    }
}
