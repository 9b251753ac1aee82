//! The verb dictionary (`data/events/verbs.txt`): how news writes an action, and its
//! CAMEO code. `CODE  PHRASE` per line; `...` in a phrase stands for up to eight
//! other words ("signed ... agreement").

use annals_doc::Rule;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// Words a `...` gap may span: enough for "gave the northern provinces 40 million dollars of aid",
/// and a gap never crosses punctuation, which bounds it to one clause.
const MAX_GAP: usize = 8;

/// A malformed dictionary line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {msg}")]
pub struct VerbError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub msg: String,
}

/// One phrase: word runs separated by gaps.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// The runs of words, lower-cased.
    pub parts: Vec<Vec<String>>,
    /// Its CAMEO code.
    pub code: String,
    /// Where it was read.
    pub rule: Rule,
}

impl Phrase {
    fn words(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }
}

/// A match: the phrase and the token positions of its words.
#[derive(Debug, Clone)]
pub struct Match<'a> {
    /// The phrase.
    pub phrase: &'a Phrase,
    /// Positions of its words (first run first).
    pub tokens: Vec<usize>,
}

/// The dictionary, indexed by first word.
#[derive(Debug, Default)]
pub struct Verbs {
    phrases: Vec<Phrase>,
    by_first: HashMap<String, Vec<usize>>,
}

static BUILTIN: OnceLock<Result<Verbs, String>> = OnceLock::new();

impl Verbs {
    /// The shipped dictionary, parsed once.
    pub fn builtin() -> Result<&'static Verbs, String> {
        BUILTIN
            .get_or_init(|| {
                Verbs::parse("verbs.txt", include_str!("../../../data/events/verbs.txt"))
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse `CODE  PHRASE` lines.
    pub fn parse(file: &str, text: &str) -> Result<Verbs, VerbError> {
        let mut v = Verbs::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |msg: &str| VerbError {
                file: file.to_string(),
                line: n + 1,
                msg: msg.to_string(),
            };
            let line = line.split(" #").next().unwrap_or(line).trim();
            let (code, phrase) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| err("expected CODE PHRASE"))?;
            if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("a CAMEO code is 2 to 4 digits"));
            }
            let mut parts: Vec<Vec<String>> = vec![Vec::new()];
            for w in phrase.split_whitespace() {
                if w == "..." {
                    parts.push(Vec::new());
                } else {
                    parts.last_mut().expect("one part").push(w.to_lowercase());
                }
            }
            if parts.iter().any(Vec::is_empty) {
                return Err(err("a gap (...) must sit between words"));
            }
            let ix = v.phrases.len();
            v.by_first.entry(parts[0][0].clone()).or_default().push(ix);
            v.phrases.push(Phrase {
                parts,
                code: code.to_string(),
                rule: Rule::new(file, n + 1),
            });
        }
        Ok(v)
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Every phrase.
    pub fn phrases(&self) -> &[Phrase] {
        &self.phrases
    }

    /// The longest phrase starting at word `i` of `words` (lower-cased), not
    /// running past `end`.
    pub fn at(&self, words: &[&str], i: usize, end: usize) -> Option<Match<'_>> {
        let ks = self.by_first.get(*words.get(i)?)?;
        let mut best: Option<Match> = None;
        for &k in ks {
            let p = &self.phrases[k];
            if let Some(tokens) = match_at(p, words, i, end) {
                let better = best.as_ref().is_none_or(|b| p.words() > b.phrase.words());
                if better {
                    best = Some(Match { phrase: p, tokens });
                }
            }
        }
        best
    }
}

fn match_at(p: &Phrase, words: &[&str], i: usize, end: usize) -> Option<Vec<usize>> {
    let mut tokens = Vec::new();
    let mut at = i;
    for (k, part) in p.parts.iter().enumerate() {
        let found = if k == 0 {
            run_at(part, words, at, end).then_some(at)
        } else {
            // A gap never spans punctuation: "signed, after talks, an agreement" is
            // two clauses, not one phrase.
            (at..(at + MAX_GAP + 1).min(end))
                .take_while(|&j| j == at || words[j - 1].chars().any(char::is_alphanumeric))
                .find(|&j| run_at(part, words, j, end))
        }?;
        tokens.extend(found..found + part.len());
        at = found + part.len();
    }
    Some(tokens)
}

fn run_at(part: &[String], words: &[&str], at: usize, end: usize) -> bool {
    at + part.len() <= end && part.iter().zip(&words[at..]).all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn longest_phrase_and_gaps() {
        let v = Verbs::parse(
            "v.txt",
            "043  met\n057  signed ... agreement\n046  met with\n",
        )
        .unwrap();
        let words = w("they signed a new trade agreement and met with envoys");
        let m = v.at(&words, 1, words.len()).unwrap();
        assert_eq!(m.phrase.code, "057");
        assert_eq!(m.tokens, vec![1, 5]);
        let m = v.at(&words, 7, words.len()).unwrap();
        assert_eq!(
            (m.phrase.code.as_str(), m.phrase.rule.to_string()),
            ("046", "v.txt:3".to_string())
        );
        assert!(Verbs::parse("v.txt", "04x  met\n").is_err());
        assert!(Verbs::parse("v.txt", "043  ... met\n").is_err());
    }

    /// The shipped dictionary parses, every code is in the shipped codebook, and no
    /// phrase is listed twice (a second line would never fire).
    #[test]
    fn shipped_dictionary_is_consistent() {
        let verbs = Verbs::builtin().unwrap();
        let codes = annals_cameo::Codebook::builtin().unwrap();
        let mut seen = HashMap::default();
        for p in verbs.phrases() {
            assert!(
                codes.get(&p.code).is_some(),
                "{}: code {} not in cameo.txt",
                p.rule,
                p.code
            );
            let key = p
                .parts
                .iter()
                .map(|w| w.join(" "))
                .collect::<Vec<_>>()
                .join(" ... ");
            if let Some(first) = seen.insert(key.clone(), p.rule.to_string()) {
                panic!("{key:?} listed at {first} and {}", p.rule);
            }
        }
        assert!(verbs.len() > 1000);
    }
}
