//! Near-duplicate detection: MinHash signatures over word shingles, and the LSH band
//! keys that find candidates in the store without comparing every pair.
//!
//! A wire story republished on many sites differs by a headline, a byline, a promo line
//! or an added paragraph; its five-word shingles stay mostly the same. Two texts whose
//! shingle sets have Jaccard similarity J agree on each MinHash value with probability
//! J. With 16 bands of 4 values, a pair at J = 0.7 shares a band (becomes a candidate)
//! with probability 0.99, a pair at J = 0.3 with 0.12; candidates are then confirmed
//! on the full signature against [`SAME_STORY`].
//!
//! The signature is *one-permutation* MinHash with optimal densification (Li, Owen and
//! Zhang 2012; Shrivastava 2017): each shingle is hashed once, the hash picks one of
//! [`HASHES`] bins and the bin keeps its smallest value; a bin no shingle fell in
//! borrows the value of a bin chosen by a fixed hash sequence of its own index, the same
//! for every text, so two texts still agree on a bin with probability J. Classic MinHash
//! computes all [`HASHES`] values for every shingle, 64 times the work for the same
//! estimate; it was the largest single cost of preparing a document for the store.

/// Number of MinHash values per signature.
pub const HASHES: usize = 64;
/// LSH bands (each `HASHES / BANDS` values).
pub const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Words per shingle.
const SHINGLE: usize = 5;
/// Estimated Jaccard similarity from which two documents are one story.
pub const SAME_STORY: f64 = 0.5;

/// A MinHash signature; empty for a text with no words.
pub type Signature = Vec<u32>;

/// The signature of a text: lower-cased words, five to a shingle (fewer for a text
/// shorter than that).
pub fn signature(text: &str) -> Signature {
    // Every word lower-cased, each followed by a space, in one buffer: a shingle is
    // then one slice of it (the bytes hashed are "w1 w2 w3 w4 w5 "), with no string
    // built per word or per shingle.
    let mut joined: Vec<u8> = Vec::with_capacity(text.len() + 1);
    let mut starts: Vec<usize> = Vec::new();
    let mut push_word = |word: &str, ascii: bool| {
        let at = joined.len();
        starts.push(at);
        if ascii {
            joined.extend_from_slice(word.as_bytes());
            joined[at..].make_ascii_lowercase();
        } else {
            // Whole-word rules apply beyond ASCII (a final Greek sigma).
            joined.extend_from_slice(word.to_lowercase().as_bytes());
        }
        joined.push(b' ');
    };
    // Words are maximal runs of alphanumeric characters. Bytes are read one at a time
    // and only a non-ASCII one is decoded: most news text is ASCII, and decoding every
    // character was most of this function's cost.
    let bytes = text.as_bytes();
    let (mut i, mut word_start, mut ascii) = (0, None, true);
    while i < bytes.len() {
        let (alphanumeric, len) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric(), 1)
        } else {
            // `i` is always a character boundary: it advances by whole characters.
            text[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
        };
        match (alphanumeric, word_start) {
            (true, None) => {
                word_start = Some(i);
                ascii = len == 1;
            }
            (true, Some(_)) => ascii &= len == 1,
            (false, Some(s)) => {
                push_word(&text[s..i], ascii);
                word_start = None;
            }
            (false, None) => {}
        }
        i += len;
    }
    if let Some(s) = word_start {
        push_word(&text[s..], ascii);
    }
    if starts.is_empty() {
        return Vec::new();
    }
    starts.push(joined.len());
    let words = starts.len() - 1;
    let n = SHINGLE.min(words);
    let mut bins = [u32::MAX; HASHES];
    let mut filled = [false; HASHES];
    for first in 0..=words - n {
        let shingle = &joined[starts[first]..starts[first + n]];
        let (bin, value) = bin_and_value(xxhash_rust::xxh3::xxh3_64(shingle));
        filled[bin] = true;
        bins[bin] = bins[bin].min(value);
    }
    densify(&mut bins, &filled);
    bins.to_vec()
}

/// The bin a shingle hash falls in (its top bits) and the value it offers there (the
/// next 32 bits: independent of the bin).
fn bin_and_value(h: u64) -> (usize, u32) {
    (
        (h >> (64 - HASHES.trailing_zeros())) as usize,
        (h >> 8) as u32,
    )
}

/// Fill each empty bin from a non-empty one, chosen by probing a hash sequence of the
/// empty bin's index (optimal densification): the choice depends only on which bins
/// are empty, so for two texts with the same empty bins it is the same bin.
fn densify(bins: &mut [u32; HASHES], filled: &[bool; HASHES]) {
    if filled.iter().all(|&f| f) {
        return;
    }
    let source = *bins;
    for (i, slot) in bins.iter_mut().enumerate() {
        if filled[i] {
            continue;
        }
        // At least one bin is filled (the text has a shingle), so this ends; the bound
        // only guards the impossible case.
        for attempt in 1..=64 * HASHES as u64 {
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&(i as u64).to_le_bytes());
            key[8..].copy_from_slice(&attempt.to_le_bytes());
            let probe = xxhash_rust::xxh3::xxh3_64(&key);
            let j = (probe % HASHES as u64) as usize;
            if filled[j] {
                *slot = source[j];
                break;
            }
        }
    }
}

/// The LSH band keys of a signature (none for an empty one).
pub fn band_keys(sig: &Signature) -> Vec<i64> {
    if sig.len() != HASHES {
        return Vec::new();
    }
    (0..BANDS)
        .map(|b| {
            let mut bytes = [0u8; 4 * ROWS + 1];
            bytes[0] = b as u8;
            for (r, v) in sig[b * ROWS..(b + 1) * ROWS].iter().enumerate() {
                bytes[1 + 4 * r..5 + 4 * r].copy_from_slice(&v.to_le_bytes());
            }
            xxhash_rust::xxh3::xxh3_64(&bytes) as i64
        })
        .collect()
}

/// Estimated Jaccard similarity of two signatures (0 when either is empty).
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    if a.len() != HASHES || b.len() != HASHES {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

/// A signature as stored (little-endian u32s).
pub fn to_blob(sig: &Signature) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A stored signature.
pub fn from_blob(b: &[u8]) -> Signature {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const STORY: &str = "The foreign ministers of Arland and Bessia met in the port city of \
        Vell on Tuesday to discuss the fishing dispute that has strained relations since the \
        spring. Officials said the talks lasted four hours and would resume next month. Arland's \
        minister said the two sides had agreed to share patrol data. Bessia's delegation declined \
        to comment on the proposal to open a joint inspection office.";

    /// The signature written the slow, obvious way: a string per lower-cased word and
    /// per shingle, then bins filled and densified. The fast path must agree.
    fn signature_by_strings(text: &str) -> Signature {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        let n = SHINGLE.min(words.len());
        let mut bins = [u32::MAX; HASHES];
        let mut filled = [false; HASHES];
        for window in words.windows(n) {
            let buf: String = window.iter().map(|w| format!("{w} ")).collect();
            let (bin, value) = bin_and_value(xxhash_rust::xxh3::xxh3_64(buf.as_bytes()));
            filled[bin] = true;
            bins[bin] = bins[bin].min(value);
        }
        densify(&mut bins, &filled);
        bins.to_vec()
    }

    #[test]
    fn fast_signatures_match_the_obvious_definition() {
        for text in [
            STORY,
            "",
            "  ",
            "Three words only",
            "ÉTAT d'urgence: İstanbul, ΑΘΗΝΑ ΟΔΟΣ — straße 42 mph",
            "cafe\u{301} naïve\u{a0}x2 — «Zürich»,北京 talks ended",
        ] {
            assert_eq!(signature(text), signature_by_strings(text), "{text:?}");
        }
    }

    #[test]
    fn short_texts_fill_every_bin_from_their_few_shingles() {
        // Two shingles: every bin holds one of their two values.
        let sig = signature("one two three four five six");
        assert_eq!(sig.len(), HASHES);
        let distinct: BTreeSet<u32> = sig.iter().copied().collect();
        assert!(distinct.len() <= 2 && !distinct.is_empty(), "{distinct:?}");
        assert!(!sig.contains(&u32::MAX));
    }

    #[test]
    fn similarity_estimates_jaccard() {
        // 200 shingles each, 100 shared: J = 100 / 300. Average over several texts,
        // since one signature's estimate varies by about ±0.06.
        let mut total = 0.0;
        for t in 0..20 {
            let words = |from: usize, to: usize| -> String {
                (from..to).map(|i| format!("w{t}x{i} ")).collect()
            };
            let a = words(0, 204);
            let b = words(100, 304);
            total += similarity(&signature(&a), &signature(&b));
        }
        let mean = total / 20.0;
        assert!((mean - 1.0 / 3.0).abs() < 0.05, "mean estimate {mean}");
    }

    #[test]
    fn edited_copies_are_similar_and_other_stories_are_not() {
        let edited =
            format!("SUBSCRIBE TO OUR NEWSLETTER\n\n{STORY}\n\nReporting by a staff writer.");
        let other = "Floods in the northern valleys of Cordia forced thousands from their homes \
            on Sunday, the national weather office said, as rivers rose to their highest level \
            in a decade and rescue teams worked through the night.";
        let a = signature(STORY);
        assert!(similarity(&a, &signature(&edited)) > SAME_STORY);
        assert!(similarity(&a, &signature(other)) < 0.2);
        assert_eq!(similarity(&a, &a), 1.0);
        let shared = band_keys(&a)
            .iter()
            .filter(|k| band_keys(&signature(&edited)).contains(k))
            .count();
        assert!(shared > 0, "an edited copy shares an LSH band");
    }

    #[test]
    fn empty_text_has_no_signature_and_blobs_round_trip() {
        assert!(signature(" ,. ").is_empty());
        assert!(band_keys(&Vec::new()).is_empty());
        let s = signature("one two");
        assert_eq!(from_blob(&to_blob(&s)), s);
    }
}
