//! The word classes of the quote grammar (`data/quotes/words.txt`): which words make a
//! cue a noun, frame an attribution, open an adjunct, cannot open a speaker, or stand
//! between a speaker and its cue (auxiliaries, negations, the "be" of a passive).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

/// Word classes by name.
#[derive(Debug, Default)]
pub struct Words {
    classes: HashMap<String, HashSet<String>>,
}

/// The classes the quote stage reads; a file missing one is refused.
pub const CLASSES: &[&str] = &[
    "noun-after",
    "plural-noun-after",
    "framing",
    "adjunct",
    "adjunct-after-quote",
    "when",
    "not-a-speaker-start",
    "between",
    "negation",
    "passive-be",
    "fronted-adjunct",
    "subject-pronoun",
];

static BUILTIN: OnceLock<Result<Words, String>> = OnceLock::new();

impl Words {
    /// The shipped classes, parsed once.
    pub fn builtin() -> Result<&'static Words, String> {
        BUILTIN
            .get_or_init(|| {
                Words::parse("words.txt", include_str!("../../../data/quotes/words.txt"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse `CLASS WORD…` lines; every class in [`CLASSES`] must be present.
    pub fn parse(file: &str, text: &str) -> Result<Words, String> {
        let mut classes: HashMap<String, HashSet<String>> = HashMap::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let class = parts.next().unwrap_or_default();
            if !CLASSES.contains(&class) {
                return Err(format!("{file}:{}: unknown class {class:?}", n + 1));
            }
            let words: Vec<String> = parts.map(str::to_lowercase).collect();
            if words.is_empty() {
                return Err(format!("{file}:{}: expected CLASS WORD…", n + 1));
            }
            classes.entry(class.to_string()).or_default().extend(words);
        }
        if let Some(missing) = CLASSES.iter().find(|c| !classes.contains_key(**c)) {
            return Err(format!("{file}: class {missing} is missing"));
        }
        Ok(Words { classes })
    }

    /// Whether `word` (lower case) is in `class`.
    pub fn is(&self, class: &str, word: &str) -> bool {
        self.classes.get(class).is_some_and(|c| c.contains(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_classes_parse_and_unknown_ones_are_refused() {
        let w = Words::builtin().unwrap();
        assert!(w.is("adjunct", "on"));
        assert!(w.is("plural-noun-after", "member"));
        assert!(!w.is("adjunct", "member"));
        assert!(Words::parse("w.txt", "adjuncts on\n").is_err());
        assert!(
            Words::parse("w.txt", "adjunct on\n").is_err(),
            "other classes missing"
        );
    }
}
