//! The words around a predicate that change what it codes (`data/events/grammar.txt`):
//! negation, intent, threat, passive, locatives, clause openers, titles,
//! coordination, and the codes statements and obligations turn into.
//! `CLASS  WORD WORD …` per line; code maps as `CLASS-code  NAME=CODE …`.

use annals_doc::Rule;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// A malformed grammar line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {msg}")]
pub struct GrammarError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub msg: String,
}

/// The classes the stage reads; a line naming any other class is an error, so a
/// typo in the file cannot silently switch a mechanism off.
const CLASSES: [&str; 25] = [
    "negation",
    "own-forces",
    "ultimatum",
    "pronoun",
    "hypothetical",
    "irrealis-root",
    "scope-end",
    "reciprocal",
    "place-only",
    "refutation",
    "possessive",
    "auxiliary",
    "participle",
    "intent",
    "threat",
    "passive",
    "locative",
    "clause",
    "relative",
    "title",
    "coordination",
    "obligation",
    "habitual",
    "habitual-compared",
    "verbal-root",
];
const CODE_MAPS: [&str; 7] = [
    "joint-code",
    "ultimatum-code",
    "intent-code",
    "threat-code",
    "refusal-code",
    "statement-code",
    "obligation-code",
];

/// The parsed grammar: word classes and code maps, each entry with its line.
#[derive(Debug, Default)]
pub struct Grammar {
    words: HashMap<String, HashMap<String, Rule>>,
    codes: HashMap<String, HashMap<String, (String, Rule)>>,
}

static BUILTIN: OnceLock<Result<Grammar, String>> = OnceLock::new();

impl Grammar {
    /// The shipped grammar, parsed once.
    pub fn builtin() -> Result<&'static Grammar, String> {
        BUILTIN
            .get_or_init(|| {
                Grammar::parse(
                    "grammar.txt",
                    include_str!("../../../data/events/grammar.txt"),
                )
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse `text`, naming `file` in rules and errors.
    pub fn parse(file: &str, text: &str) -> Result<Grammar, GrammarError> {
        let mut g = Grammar::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |msg: String| GrammarError {
                file: file.to_string(),
                line: n + 1,
                msg,
            };
            let mut fields = line.split_whitespace();
            let class = fields.next().unwrap_or_default();
            let rule = Rule::new(file, n + 1);
            if CODE_MAPS.contains(&class) {
                for pair in fields {
                    let (name, code) = pair
                        .split_once('=')
                        .ok_or_else(|| err(format!("expected NAME=CODE, found {pair:?}")))?;
                    if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(err(format!("{code:?} is not a CAMEO code")));
                    }
                    g.codes
                        .entry(class.to_string())
                        .or_default()
                        .insert(name.to_string(), (code.to_string(), rule.clone()));
                }
            } else if CLASSES.contains(&class) {
                for w in fields {
                    g.words
                        .entry(class.to_string())
                        .or_default()
                        .insert(w.to_lowercase(), rule.clone());
                }
            } else {
                return Err(err(format!("unknown class {class:?}")));
            }
        }
        Ok(g)
    }

    /// The line that puts `word` (lower-case) in `class`, if it is there.
    pub fn rule(&self, class: &str, word: &str) -> Option<&Rule> {
        self.words.get(class)?.get(word)
    }

    /// Whether `word` (lower-case) is in `class`.
    pub fn is(&self, class: &str, word: &str) -> bool {
        self.rule(class, word).is_some()
    }

    /// The code `name` maps to in the code map `map`, and its line.
    pub fn code(&self, map: &str, name: &str) -> Option<(&str, &Rule)> {
        self.codes.get(map)?.get(name).map(|(c, r)| (c.as_str(), r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_maps() {
        let g = Grammar::parse("g.txt", "# c\nnegation  not n't\nintent-code  04=036\n").unwrap();
        assert!(g.is("negation", "n't"));
        assert!(!g.is("intent", "not"));
        assert_eq!(
            g.code("intent-code", "04").map(|(c, r)| (c, r.to_string())),
            Some(("036", "g.txt:3".into()))
        );
        assert!(Grammar::parse("g.txt", "negatoin  not\n").is_err());
        assert!(Grammar::parse("g.txt", "intent-code  04:036\n").is_err());
        assert!(Grammar::builtin().is_ok());
    }
}
