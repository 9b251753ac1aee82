//! Near-duplicate detection: MinHash signatures over word shingles, and the LSH band
//! keys that find candidates in the store without comparing every pair.
//!
//! A wire story republished on many sites differs by a headline, a byline, a promo line
//! or an added paragraph; its five-word shingles stay mostly the same. Two texts whose
//! shingle sets have Jaccard similarity J agree on each MinHash value with probability
//! J. With 16 bands of 4 values, a pair at J = 0.7 shares a band (becomes a candidate)
//! with probability 0.99, a pair at J = 0.3 with 0.12; candidates are then confirmed
//! on the full signature against [`SAME_STORY`].

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
    let mut joined = String::with_capacity(text.len() + 1);
    let mut starts: Vec<usize> = Vec::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        starts.push(joined.len());
        if word.is_ascii() {
            joined.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            // Whole-word rules apply beyond ASCII (a final Greek sigma).
            joined.push_str(&word.to_lowercase());
        }
        joined.push(' ');
    }
    if starts.is_empty() {
        return Vec::new();
    }
    starts.push(joined.len());
    let words = starts.len() - 1;
    let n = SHINGLE.min(words);
    let mut sig = vec![u32::MAX; HASHES];
    for first in 0..=words - n {
        let shingle = &joined.as_bytes()[starts[first]..starts[first + n]];
        let h = xxhash_rust::xxh3::xxh3_64(shingle);
        for (k, slot) in sig.iter_mut().enumerate() {
            // One 64-bit hash, HASHES cheap independent-looking permutations of it.
            let seed = (k as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let v = ((h ^ seed).wrapping_mul(0xD6E8_FEB8_6659_FD93) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
    sig
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

    const STORY: &str = "The foreign ministers of Arland and Bessia met in the port city of \
        Vell on Tuesday to discuss the fishing dispute that has strained relations since the \
        spring. Officials said the talks lasted four hours and would resume next month. Arland's \
        minister said the two sides had agreed to share patrol data. Bessia's delegation declined \
        to comment on the proposal to open a joint inspection office.";

    /// The signature as first defined: a string per lower-cased word, a string per
    /// shingle. Stores hold signatures made this way, so the fast path must agree.
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
        let mut sig = vec![u32::MAX; HASHES];
        for window in words.windows(n) {
            let buf: String = window.iter().map(|w| format!("{w} ")).collect();
            let h = xxhash_rust::xxh3::xxh3_64(buf.as_bytes());
            for (k, slot) in sig.iter_mut().enumerate() {
                let seed = (k as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let v = ((h ^ seed).wrapping_mul(0xD6E8_FEB8_6659_FD93) >> 32) as u32;
                *slot = (*slot).min(v);
            }
        }
        sig
    }

    #[test]
    fn signatures_are_those_stores_already_hold() {
        for text in [
            STORY,
            "",
            "  ",
            "Three words only",
            "ÉTAT d'urgence: İstanbul, ΑΘΗΝΑ ΟΔΟΣ — straße 42 mph",
        ] {
            assert_eq!(signature(text), signature_by_strings(text), "{text:?}");
        }
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
