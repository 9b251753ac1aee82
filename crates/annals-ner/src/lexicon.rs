//! How each word is usually written in news: mostly lower case ("call"), mostly
//! capitalised ("Minsk"), or mixed ("Bush", "bush"). Counted over a large
//! unlabelled corpus by the training command, so the tagger can tell a
//! sentence-initial "Peace" or an all-caps headline "GERMAN" from what it usually is.

use rustc_hash::FxHashMap as HashMap;

/// Lower-cased word → how often it is capitalised away from a sentence start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapsLexicon {
    buckets: HashMap<String, u8>,
}

/// Bucket for a word the corpus never showed (often enough).
pub const UNSEEN: u8 = 5;

/// Words seen fewer times than this are left out: their ratio is noise.
const MIN_COUNT: u32 = 3;

#[derive(Default, Clone, Copy)]
struct Counts {
    total: u32,
    capitalised: u32,
}

impl CapsLexicon {
    /// The bucket of `lower` (an already lower-cased word): 0 almost always lower
    /// case … 4 almost always capitalised, [`UNSEEN`] when unknown.
    pub fn bucket(&self, lower: &str) -> u8 {
        self.buckets.get(lower).copied().unwrap_or(UNSEEN)
    }

    /// Number of words it knows.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// Whether it knows no word.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// Count capitalisation over texts. Words right after a sentence end, a line
    /// start or an opening quote are skipped (their capital says nothing), and so
    /// are all-caps runs (headlines).
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> CapsLexicon {
        let mut counts: HashMap<String, Counts> = HashMap::default();
        for text in texts {
            count_text(text, &mut counts);
        }
        let mut buckets = HashMap::default();
        for (w, c) in counts {
            if c.total < MIN_COUNT {
                continue;
            }
            let r = f64::from(c.capitalised) / f64::from(c.total);
            let b = if r < 0.05 {
                0
            } else if r < 0.3 {
                1
            } else if r < 0.7 {
                2
            } else if r < 0.95 {
                3
            } else {
                4
            };
            buckets.insert(w, b);
        }
        CapsLexicon { buckets }
    }

    /// Serialise as `word<TAB>bucket` lines, sorted (deterministic output).
    pub fn to_text(&self) -> String {
        let mut v: Vec<(&String, &u8)> = self.buckets.iter().collect();
        v.sort();
        let mut out = String::new();
        for (w, b) in v {
            out.push_str(w);
            out.push('\t');
            out.push((b'0' + b) as char);
            out.push('\n');
        }
        out
    }

    /// Parse what [`CapsLexicon::to_text`] wrote; `None` on a malformed line.
    pub fn from_text(text: &str) -> Option<CapsLexicon> {
        let mut buckets = HashMap::default();
        for line in text.lines() {
            let (w, b) = line.split_once('\t')?;
            let b: u8 = b.parse().ok()?;
            if b > UNSEEN {
                return None;
            }
            buckets.insert(w.to_string(), b);
        }
        Some(CapsLexicon { buckets })
    }
}

fn count_text(text: &str, counts: &mut HashMap<String, Counts>) {
    // A word "starts a sentence" when the last non-space character before it ends a
    // sentence or a line, or opens a quote; the text start counts as one.
    let mut after_boundary = true;
    let mut word = String::new();
    let mut word_start_boundary = true;
    let flush = |word: &mut String, boundary: bool, counts: &mut HashMap<String, Counts>| {
        if word.is_empty() {
            return;
        }
        let first_upper = word.chars().next().is_some_and(char::is_uppercase);
        let all_upper = word.chars().filter(|c| c.is_alphabetic()).count() > 1
            && !word.chars().any(char::is_lowercase);
        if !boundary && !all_upper && word.chars().any(char::is_alphabetic) {
            let c = counts.entry(word.to_lowercase()).or_default();
            c.total += 1;
            if first_upper {
                c.capitalised += 1;
            }
        }
        word.clear();
    };
    for ch in text.chars() {
        if ch.is_alphanumeric() || ((ch == '\'' || ch == '-' || ch == '.') && !word.is_empty()) {
            if word.is_empty() {
                word_start_boundary = after_boundary;
            }
            word.push(ch);
            continue;
        }
        // Trailing dots and hyphens belong to punctuation, not the word.
        let mut ended_sentence = false;
        while word.ends_with(['.', '-', '\'']) {
            ended_sentence |= word.ends_with('.');
            word.pop();
        }
        if !word.is_empty() {
            after_boundary = ended_sentence;
        }
        flush(&mut word, word_start_boundary, counts);
        if ch.is_whitespace() {
            if ch == '\n' {
                after_boundary = true;
            }
            continue;
        }
        after_boundary = matches!(
            ch,
            '.' | '!' | '?' | '"' | '“' | '‘' | '(' | ':' | '-' | '—' | '–'
        ) || (!ch.is_alphanumeric() && after_boundary);
    }
    while word.ends_with(['.', '-', '\'']) {
        word.pop();
    }
    flush(&mut word, word_start_boundary, counts);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_capitalisation_away_from_sentence_starts() {
        let text = "The talks in Minsk ended. Minsk said the talks went well.\n\
                    Officials in Minsk and the talks. Talks resume in Minsk today, the talks say.";
        let lex = CapsLexicon::from_texts([text]);
        assert_eq!(lex.bucket("minsk"), 4);
        assert_eq!(
            lex.bucket("talks"),
            0,
            "sentence-initial 'Talks' is not counted"
        );
        assert_eq!(lex.bucket("kyiv"), UNSEEN);
        let round = CapsLexicon::from_text(&lex.to_text()).unwrap();
        assert_eq!(round, lex);
    }
}
