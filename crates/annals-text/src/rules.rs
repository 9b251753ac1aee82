//! Loading `data/segmentation.txt`: abbreviations, sentence starters, dateline shapes.

use regex::Regex;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// The built-in rules file, compiled into the binary so Annals runs offline.
const BUILTIN: &str = include_str!("../../../data/segmentation.txt");
const BUILTIN_NAME: &str = "segmentation.txt";

/// How an abbreviation behaves at a possible sentence end (a set of flags: "Sec." is
/// both a title and a number abbreviation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AbbrevClass {
    /// Precedes a name; never ends a sentence.
    pub title: bool,
    /// Precedes a number; no break when a number follows.
    pub number: bool,
    /// Month; no break before a number or lowercase word.
    pub month: bool,
    /// May end a sentence; a break only before a sentence starter.
    pub common: bool,
}

/// A malformed rules file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// A line that is not `<class> <text>` with a known class, or a bad regex.
    #[error("{file}:{line}: {message}")]
    BadLine {
        /// File name.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Everything the segmenters know, with the file line of each dateline pattern.
#[derive(Debug)]
pub struct SegmentationRules {
    abbreviations: HashMap<String, AbbrevClass>,
    starters: std::collections::HashSet<String>,
    /// Dateline patterns with their line numbers.
    pub(crate) datelines: Vec<(Regex, usize)>,
    /// File name for provenance.
    pub file: String,
}

impl SegmentationRules {
    /// The rules shipped in `data/segmentation.txt` (parsed once per process).
    pub fn builtin() -> &'static SegmentationRules {
        static RULES: OnceLock<SegmentationRules> = OnceLock::new();
        RULES.get_or_init(|| {
            SegmentationRules::parse(BUILTIN_NAME, BUILTIN)
                .expect("data/segmentation.txt is checked by the test suite")
        })
    }

    /// Parse a rules file's text; `file` names it in errors and provenance.
    pub fn parse(file: &str, text: &str) -> Result<Self, RulesError> {
        let mut rules = SegmentationRules {
            abbreviations: HashMap::default(),
            starters: Default::default(),
            datelines: Vec::new(),
            file: file.to_string(),
        };
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |message: String| RulesError::BadLine {
                file: file.to_string(),
                line: i + 1,
                message,
            };
            let (class, rest) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| bad(format!("expected '<class> <text>', found {line:?}")))?;
            let rest = rest.trim();
            match class {
                "title" | "number" | "month" | "common" => {
                    if !rest.ends_with('.') || rest.contains(char::is_whitespace) {
                        return Err(bad(format!(
                            "an abbreviation is one word ending in '.', found {rest:?}"
                        )));
                    }
                    let e = rules.abbreviations.entry(rest.to_string()).or_default();
                    match class {
                        "title" => e.title = true,
                        "number" => e.number = true,
                        "month" => e.month = true,
                        _ => e.common = true,
                    }
                }
                "starter" => {
                    rules.starters.insert(rest.to_string());
                }
                "dateline" => {
                    let re = Regex::new(rest).map_err(|e| bad(format!("bad pattern: {e}")))?;
                    rules.datelines.push((re, i + 1));
                }
                other => return Err(bad(format!("unknown class {other:?}"))),
            }
        }
        Ok(rules)
    }

    /// The class of `word` (with its final dot) if it is a listed abbreviation.
    pub fn abbreviation(&self, word: &str) -> Option<AbbrevClass> {
        self.abbreviations.get(word).copied()
    }

    /// True if `word` usually opens a sentence.
    pub fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    /// The end (bytes, relative to `para`) of a dateline opening `para`, with the rule's line.
    pub fn dateline(&self, para: &str) -> Option<(usize, usize)> {
        self.datelines
            .iter()
            .find_map(|(re, line)| re.find(para).map(|m| (m.end(), *line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_segmentation_rules_parse() {
        let r = SegmentationRules::parse(BUILTIN_NAME, BUILTIN).unwrap();
        assert!(r.abbreviation("Gen.").unwrap().title);
        assert!(r.abbreviation("Dec.").unwrap().month);
        assert!(r.abbreviation("U.S.").unwrap().common);
        assert!(r.is_starter("The"));
        assert!(!r.datelines.is_empty());
    }

    #[test]
    fn malformed_rules_line_names_file_and_line() {
        let err = SegmentationRules::parse("mine.txt", "# c\ntitle Mr.\nbogus Foo.\n").unwrap_err();
        assert_eq!(err.to_string(), "mine.txt:3: unknown class \"bogus\"");
        let err = SegmentationRules::parse("mine.txt", "dateline ([\n").unwrap_err();
        assert!(err.to_string().starts_with("mine.txt:1: bad pattern"));
    }

    #[test]
    fn datelines_match_agency_and_dated_forms() {
        let r = SegmentationRules::builtin();
        for (para, head) in [
            (
                "NAIROBI (Reuters) - Kenyan police said",
                "NAIROBI (Reuters) -",
            ),
            (
                "WASHINGTON, Dec 19 (Reuters) - The",
                "WASHINGTON, Dec 19 (Reuters) -",
            ),
            (
                "MONTREAL, March 2 - The exchange said",
                "MONTREAL, March 2 -",
            ),
            (
                "SECAUCUS, N.J., April 7 - Jamesway",
                "SECAUCUS, N.J., April 7 -",
            ),
            (
                "VALLETTA, Malta (Annals Wire) - Ministers",
                "VALLETTA, Malta (Annals Wire) -",
            ),
        ] {
            let (end, _) = r
                .dateline(para)
                .unwrap_or_else(|| panic!("no dateline in {para:?}"));
            assert_eq!(&para[..end], head);
        }
        assert!(r
            .dateline("Russian President Vladimir Putin visited")
            .is_none());
        assert!(r
            .dateline("Nairobi (Reuters) - lowercase city is not a dateline")
            .is_none());
    }
}
