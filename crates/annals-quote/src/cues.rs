//! The cue list (`data/quotes/cues.txt`): speech verbs and phrases by class.

use annals_doc::Rule;
use std::sync::OnceLock;

/// A malformed cue line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {msg}")]
pub struct CueError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub msg: String,
}

/// One cue phrase.
#[derive(Debug, Clone)]
pub struct Cue {
    /// Lower-cased words.
    pub words: Vec<String>,
    /// Its class (say, deny, warn …).
    pub class: String,
    /// Where it was read.
    pub rule: Rule,
}

/// All cues, longest phrases first, indexed by their first word.
#[derive(Debug, Default)]
pub struct Cues {
    cues: Vec<Cue>,
    by_first: rustc_hash::FxHashMap<String, Vec<usize>>,
}

static BUILTIN: OnceLock<Result<Cues, String>> = OnceLock::new();

impl Cues {
    /// The shipped list, parsed once.
    pub fn builtin() -> Result<&'static Cues, String> {
        BUILTIN
            .get_or_init(|| {
                Cues::parse("cues.txt", include_str!("../../../data/quotes/cues.txt"))
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse `CLASS PHRASE` lines.
    pub fn parse(file: &str, text: &str) -> Result<Cues, CueError> {
        let mut cues = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(class), Some(_)) = (parts.next(), line.split_whitespace().nth(1)) else {
                return Err(CueError {
                    file: file.into(),
                    line: n + 1,
                    msg: "expected CLASS PHRASE".into(),
                });
            };
            let words: Vec<String> = parts.map(str::to_lowercase).collect();
            cues.push(Cue {
                words,
                class: class.to_string(),
                rule: Rule::new(file, n + 1),
            });
        }
        cues.sort_by_key(|c| std::cmp::Reverse(c.words.len()));
        let mut by_first: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (k, c) in cues.iter().enumerate() {
            by_first.entry(c.words[0].clone()).or_default().push(k);
        }
        Ok(Cues { cues, by_first })
    }

    /// The longest cue starting at word `i` of `words` (lower-cased), if any.
    pub fn at(&self, words: &[&str], i: usize) -> Option<&Cue> {
        let ks = self.by_first.get(*words.get(i)?)?;
        ks.iter().map(|&k| &self.cues[k]).find(|c| {
            i + c.words.len() <= words.len() && c.words.iter().zip(&words[i..]).all(|(a, b)| a == b)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_cue_wins_and_lines_are_cited() {
        let c = Cues::parse(
            "c.txt",
            "say  said\nsay  was quoted as saying\nsay  saying\n",
        )
        .unwrap();
        let w = ["he", "was", "quoted", "as", "saying", "x"];
        let cue = c.at(&w, 1).unwrap();
        assert_eq!(cue.words.len(), 4);
        assert_eq!(cue.rule.to_string(), "c.txt:2");
        assert!(Cues::parse("c.txt", "say\n").is_err());
        assert!(Cues::builtin().is_ok());
    }
}
