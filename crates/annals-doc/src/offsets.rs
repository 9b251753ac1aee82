//! Byte offsets to Unicode code-point offsets: the one conversion in Annals.
//!
//! Internally every span is a byte range (cheap slicing, what regex and Aho–Corasick
//! return). The record speaks code points, like Python string indices, because that is
//! what its readers slice with. [`CodePoints`] does the conversion in O(log n) per
//! offset after an O(n) scan, and in O(1) for pure-ASCII text.

/// Converts byte offsets of one text into code-point offsets.
#[derive(Debug, Clone)]
pub struct CodePoints {
    /// For each non-ASCII char: (byte offset just past it, extra bytes so far).
    /// Empty for ASCII text, where bytes and code points agree.
    marks: Vec<(usize, usize)>,
    len_bytes: usize,
}

impl CodePoints {
    /// Scan `text` once.
    pub fn new(text: &str) -> Self {
        let mut marks = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0usize;
            for (i, c) in text.char_indices() {
                let n = c.len_utf8();
                if n > 1 {
                    extra += n - 1;
                    marks.push((i + n, extra));
                }
            }
        }
        CodePoints {
            marks,
            len_bytes: text.len(),
        }
    }

    /// The code-point offset of byte offset `byte`, which must be on a char boundary
    /// (offsets past the end are clamped to the end).
    pub fn of(&self, byte: usize) -> usize {
        let byte = byte.min(self.len_bytes);
        if self.marks.is_empty() {
            return byte;
        }
        // Number of multibyte chars that end at or before `byte`.
        let n = self.marks.partition_point(|&(end, _)| end <= byte);
        if n == 0 {
            byte
        } else {
            byte - self.marks[n - 1].1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) {
        let cp = CodePoints::new(text);
        let mut count = 0;
        for (i, _) in text.char_indices() {
            assert_eq!(cp.of(i), count, "byte {i} of {text:?}");
            count += 1;
        }
        assert_eq!(cp.of(text.len()), count);
    }

    #[test]
    fn code_points_match_char_counts_for_ascii_and_multibyte_text() {
        check("");
        check("Putin visited Minsk.");
        check("Zaluzhniy — “number one” ally, €5, 🙂 done");
        check("ééé");
        check("🙂");
    }

    #[test]
    fn code_points_clamp_offsets_past_the_end() {
        let cp = CodePoints::new("aé");
        assert_eq!(cp.of(99), 2);
    }
}
