//! Distributional word classes learnt from unlabelled news: words used in the
//! same contexts ("Minsk", "Kyiv", "Vilnius") get bit signatures with long common
//! prefixes, so the tagger generalises from names it saw in training to names it
//! did not. Each word's left and right neighbours form a context vector, weighted
//! by positive pointwise mutual information; 32 fixed pseudo-random hyperplanes
//! turn it into a 32-bit signature (SimHash), used like Brown-cluster paths.

use rustc_hash::FxHashMap as HashMap;

/// Word → 32-bit signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordClusters {
    map: HashMap<String, u32>,
}

/// Words seen fewer times than this get no signature.
const MIN_COUNT: u32 = 5;
/// Context words: the most frequent this many.
const CONTEXTS: usize = 3000;

fn plane_sign(bit: u32, ctx: u32) -> f32 {
    // A fixed ±1 per (hyperplane, context dimension), from a hash.
    let mut h = (u64::from(bit) << 32 | u64::from(ctx)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^= h >> 29;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 32;
    if h & 1 == 0 {
        1.0
    } else {
        -1.0
    }
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace())
        .flat_map(|t| {
            // Split leading/trailing punctuation off as its own tokens.
            let core = t.trim_matches(|c: char| !c.is_alphanumeric());
            let start = t.find(core).unwrap_or(0);
            let (pre, rest) = t.split_at(start);
            let (core, post) = rest.split_at(core.len());
            [pre, core, post].into_iter()
        })
        .filter(|w| !w.is_empty())
}

impl WordClusters {
    /// The signature of `word` (case as written), if known.
    pub fn get(&self, word: &str) -> Option<u32> {
        self.map.get(word).copied()
    }

    /// Number of words with a signature.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no word has a signature.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Learn signatures from texts.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str> + Clone) -> WordClusters {
        let mut freq: HashMap<&str, u32> = HashMap::default();
        for t in texts.clone() {
            for w in words(t) {
                *freq.entry(w).or_default() += 1;
            }
        }
        let mut by_freq: Vec<(&str, u32)> = freq.iter().map(|(&w, &c)| (w, c)).collect();
        by_freq.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let ctx_id: HashMap<&str, u32> = by_freq
            .iter()
            .take(CONTEXTS)
            .enumerate()
            .map(|(i, &(w, _))| (w, i as u32))
            .collect();
        let vocab: HashMap<&str, usize> = by_freq
            .iter()
            .filter(|&&(_, c)| c >= MIN_COUNT)
            .enumerate()
            .map(|(i, &(w, _))| (w, i))
            .collect();
        // Sparse co-occurrence counts: (word, context dim) → count. Left contexts
        // use dims [0, CONTEXTS), right contexts [CONTEXTS, 2·CONTEXTS).
        let mut co: Vec<HashMap<u32, f32>> = vec![HashMap::default(); vocab.len()];
        let mut ctx_total = vec![0f32; 2 * CONTEXTS];
        for t in texts {
            let ws: Vec<&str> = words(t).collect();
            for (i, w) in ws.iter().enumerate() {
                let Some(&v) = vocab.get(w) else { continue };
                if i > 0 {
                    if let Some(&c) = ctx_id.get(ws[i - 1]) {
                        *co[v].entry(c).or_default() += 1.0;
                        ctx_total[c as usize] += 1.0;
                    }
                }
                if let Some(next) = ws.get(i + 1) {
                    if let Some(&c) = ctx_id.get(next) {
                        let d = c + CONTEXTS as u32;
                        *co[v].entry(d).or_default() += 1.0;
                        ctx_total[d as usize] += 1.0;
                    }
                }
            }
        }
        let grand: f32 = ctx_total.iter().sum::<f32>().max(1.0);
        let mut map = HashMap::with_capacity_and_hasher(vocab.len(), Default::default());
        for (&w, &v) in &vocab {
            // Sorted, so float sums are the same on every run (deterministic output).
            let mut row: Vec<(u32, f32)> = co[v].iter().map(|(&c, &n)| (c, n)).collect();
            row.sort_unstable_by_key(|&(c, _)| c);
            let row_total: f32 = row.iter().map(|&(_, n)| n).sum::<f32>().max(1.0);
            let mut acc = [0f32; 32];
            for &(c, n) in &row {
                let pmi = ((n * grand) / (row_total * ctx_total[c as usize])).ln();
                if pmi <= 0.0 {
                    continue;
                }
                for (bit, a) in acc.iter_mut().enumerate() {
                    *a += pmi * plane_sign(bit as u32, c);
                }
            }
            let mut sig = 0u32;
            for (bit, a) in acc.iter().enumerate() {
                if *a > 0.0 {
                    sig |= 1 << (31 - bit);
                }
            }
            map.insert(w.to_string(), sig);
        }
        WordClusters { map }
    }

    /// Serialise as `word<TAB>hex` lines, sorted.
    pub fn to_text(&self) -> String {
        let mut v: Vec<(&String, &u32)> = self.map.iter().collect();
        v.sort();
        let mut out = String::new();
        for (w, s) in v {
            out.push_str(w);
            out.push('\t');
            out.push_str(&format!("{s:08x}\n"));
        }
        out
    }

    /// Parse what [`WordClusters::to_text`] wrote; `None` on a malformed line.
    pub fn from_text(text: &str) -> Option<WordClusters> {
        let mut map = HashMap::default();
        for line in text.lines() {
            let (w, s) = line.split_once('\t')?;
            map.insert(w.to_string(), u32::from_str_radix(s, 16).ok()?);
        }
        Some(WordClusters { map })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_signature_prefixes() {
        let mut text = String::new();
        let cities = ["Tarsk", "Velm", "Orlo"];
        let verbs = ["ran", "ate", "sang"];
        for i in 0..200 {
            text.push_str(&format!(
                "talks in {} ended . the man {} fast . ",
                cities[i % 3],
                verbs[i % 3]
            ));
        }
        let wc = WordClusters::from_texts([text.as_str()]);
        let (a, b, c) = (
            wc.get("Tarsk").unwrap(),
            wc.get("Velm").unwrap(),
            wc.get("ran").unwrap(),
        );
        assert!((a ^ b).leading_zeros() > (a ^ c).leading_zeros());
        assert_eq!(WordClusters::from_text(&wc.to_text()).unwrap(), wc);
    }
}
