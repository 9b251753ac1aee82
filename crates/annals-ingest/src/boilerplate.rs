//! Boilerplate rules (`data/boilerplate.txt`): which paragraphs are page furniture.
//!
//! The knowledge is the rules file; this module parses it (a malformed line is an error
//! naming `file:line`) and answers one question per paragraph: which rule, if any, says
//! it is not article text. All patterns run in one [`regex::RegexSet`] pass.

use annals_doc::Rule;
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::sync::OnceLock;

const BUILTIN: &str = include_str!("../../../data/boilerplate.txt");
const BUILTIN_NAME: &str = "boilerplate.txt";

/// A malformed boilerplate rules file.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct BoilerplateError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// One parsed rule: reason, condition, provenance.
#[derive(Debug, Clone)]
struct Entry {
    reason: String,
    condition: Condition,
    rule: Rule,
}

/// When a rule may fire, beyond its pattern matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Condition {
    /// Always.
    Always,
    /// `{among-mixed-case}`: the paragraph stands out from its neighbours — it has at
    /// least one, and every neighbour contains lowercase letters. Capitals inside
    /// ordinary prose are a promo; capitals among capitals are an old wire table.
    AmongMixedCase,
}

/// The paragraphs around the one being judged.
#[derive(Debug, Clone, Copy, Default)]
pub struct Neighbours<'a> {
    /// The paragraph before, if any.
    pub prev: Option<&'a str>,
    /// The paragraph after, if any.
    pub next: Option<&'a str>,
}

impl Condition {
    fn holds(self, n: Neighbours) -> bool {
        match self {
            Condition::Always => true,
            Condition::AmongMixedCase => {
                let mixed = |p: &str| p.chars().any(char::is_lowercase);
                (n.prev.is_some() || n.next.is_some())
                    && n.prev.is_none_or(mixed)
                    && n.next.is_none_or(mixed)
            }
        }
    }
}

/// The boilerplate rules, compiled.
#[derive(Debug)]
pub struct BoilerplateRules {
    set: RegexSet,
    entries: Vec<Entry>,
}

/// The verdict on one paragraph: the reason and the rule that fired.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict<'a> {
    /// `promo`, `share`, …
    pub reason: &'a str,
    /// `boilerplate.txt:LINE`.
    pub rule: &'a Rule,
}

impl BoilerplateRules {
    /// The rules shipped in `data/boilerplate.txt`, parsed once per process.
    pub fn builtin() -> &'static BoilerplateRules {
        static RULES: OnceLock<BoilerplateRules> = OnceLock::new();
        RULES.get_or_init(|| {
            BoilerplateRules::parse(BUILTIN_NAME, BUILTIN)
                .expect("data/boilerplate.txt is checked by the test suite")
        })
    }

    /// Parse a rules file; `file` names it in errors and provenance.
    pub fn parse(file: &str, text: &str) -> Result<Self, BoilerplateError> {
        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |message: String| BoilerplateError {
                file: file.to_string(),
                line: i + 1,
                message,
            };
            let (reason, mut pattern) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| bad("expected '<reason> <pattern>'".into()))?;
            let mut condition = Condition::Always;
            if let Some(rest) = pattern.trim_start().strip_prefix('{') {
                let (cond, after) = rest
                    .split_once('}')
                    .ok_or_else(|| bad("unclosed '{' condition".into()))?;
                condition = match cond.trim() {
                    "among-mixed-case" => Condition::AmongMixedCase,
                    other => return Err(bad(format!("unknown condition {{{other}}}"))),
                };
                pattern = after;
            }
            if !reason
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(bad(format!("reason must be one word, found {reason:?}")));
            }
            let pattern = format!("(?i){}", pattern.trim());
            Regex::new(&pattern).map_err(|e| bad(format!("bad pattern: {e}")))?;
            patterns.push(pattern);
            entries.push(Entry {
                reason: reason.to_string(),
                condition,
                rule: Rule::new(file, i + 1),
            });
        }
        let set = RegexSetBuilder::new(&patterns)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| BoilerplateError {
                file: file.to_string(),
                line: 0,
                message: format!("rules do not compile together: {e}"),
            })?;
        Ok(BoilerplateRules { set, entries })
    }

    /// The first rule (in file order) that says `paragraph` is furniture, given its
    /// neighbours. `paragraph` should be trimmed with single spaces, as cleaning makes it.
    pub fn judge(&self, paragraph: &str, around: Neighbours) -> Option<Verdict<'_>> {
        // Long paragraphs are article text; no rule is meant for them, and skipping
        // them keeps cleaning linear in practice.
        if paragraph.len() > 400 {
            return None;
        }
        let e = self
            .set
            .matches(paragraph)
            .into_iter()
            .map(|i| &self.entries[i])
            .find(|e| e.condition.holds(around))?;
        Some(Verdict {
            reason: &e.reason,
            rule: &e.rule,
        })
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if there are no rules.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: Neighbours = Neighbours {
        prev: Some("The talks ended."),
        next: Some("Both sides left."),
    };

    fn reason(p: &str) -> Option<String> {
        BoilerplateRules::builtin()
            .judge(p, PROSE)
            .map(|v| v.reason.to_string())
    }

    #[test]
    fn capitals_among_capitals_are_not_a_promo() {
        let line = "GRAIN CORRIDOR TALKS STALL AS SHIPPING INSURERS PULL BACK";
        let r = BoilerplateRules::builtin();
        let caps = Neighbours {
            prev: Some("WHEAT PRICES AT THE GULF"),
            next: None,
        };
        assert!(r.judge(line, caps).is_none());
        assert!(r.judge(line, Neighbours::default()).is_none());
        assert!(r.judge(line, PROSE).is_some());
    }

    #[test]
    fn unknown_condition_is_an_error() {
        let e = BoilerplateRules::parse("x.txt", "promo {sometimes} ^x$\n").unwrap_err();
        assert_eq!(e.to_string(), "x.txt:1: unknown condition {sometimes}");
    }

    #[test]
    fn boilerplate_rules_parse() {
        let r = BoilerplateRules::parse(BUILTIN_NAME, BUILTIN).unwrap();
        assert!(r.len() > 10);
    }

    #[test]
    fn boilerplate_bad_line_names_file_and_line() {
        let e = BoilerplateRules::parse("x.txt", "# ok\npromo ^(unclosed$\n").unwrap_err();
        assert!(e.to_string().starts_with("x.txt:2: bad pattern"), "{e}");
        let e = BoilerplateRules::parse("x.txt", "lonely\n").unwrap_err();
        assert_eq!(e.to_string(), "x.txt:1: expected '<reason> <pattern>'");
    }

    #[test]
    fn boilerplate_removes_banners_promos_and_credits() {
        for (p, want) in [
            ("CLICK HERE TO GET THE ANNALS WIRE APP", "promo"),
            ("GRAIN CORRIDOR TALKS STALL AS SHIPPING INSURERS PULL BACK", "promo"),
            ("NO TRUCE IN THE NORTH UNLESS TROOPS WITHDRAW: ENVOY", "promo"),
            ("Subscribe to our newsletter for the day's top world stories, delivered every morning.", "newsletter"),
            ("READ MORE: Aid convoys reach the port after a delay", "related"),
            ("Related: Shipping lines weigh surcharges", "related"),
            ("Share this article", "share"),
            ("Facebook Twitter Email", "share"),
            ("Advertisement", "advertisement"),
            ("(Photo by Jane Doe/Annals Wire)", "credit"),
            ("Photo: Jane Doe / Annals Wire", "credit"),
            ("(AP Photo/Jane Doe)", "credit"),
            ("© 2026 Annals Wire. All rights reserved.", "copyright"),
        ] {
            assert_eq!(reason(p).as_deref(), Some(want), "{p}");
        }
    }

    #[test]
    fn boilerplate_keeps_body_text_and_subheads() {
        for p in [
            "Sanctions",
            "Ceasefire terms",
            "The ministry said it would subscribe to the plan.",
            "Subscribers to the newsletter complained that the app was slow to load for most of the week.",
            "NATO",
            "U.S. ENVOY",
            "THE MARKET TURNS AROUND (LATE EDITION)",
            "A LONG NIGHT FOR THE WHOLE CAMPAIGN TEAM.",
            "Share prices fell 3 percent on Tuesday.",
            "He said: \"Read more books.\"",
            "Photographs of the meeting were released by the ministry on Monday, officials said.",
            "The advertisement ran for two weeks before regulators banned it.",
        ] {
            assert_eq!(reason(p), None, "{p}");
        }
    }
}
