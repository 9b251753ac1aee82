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

/// One parsed rule: reason, conditions, provenance.
#[derive(Debug, Clone)]
struct Entry {
    reason: String,
    when: Conditions,
    rule: Rule,
}

/// When a rule may fire, beyond its pattern matching (`{…}` in the rules file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Conditions {
    /// `{among-mixed-case}`: the paragraph stands out from its neighbours — it has at
    /// least one, and every neighbour contains lowercase letters. Capitals inside
    /// ordinary prose are a promo; capitals among capitals are an old wire table.
    among_mixed_case: bool,
    /// `{min-words=N}`.
    min_words: usize,
    /// `{max-words=N}` (default 40).
    max_words: usize,
    /// `{lead}`: only before the first real paragraph.
    lead: bool,
    /// `{tail}`: only in the run of paragraphs that ends the text.
    tail: bool,
    /// `{block}`: also removes the short title-like lines after it.
    block: bool,
}

impl Default for Conditions {
    fn default() -> Self {
        Conditions {
            among_mixed_case: false,
            min_words: 0,
            max_words: 40,
            lead: false,
            tail: false,
            block: false,
        }
    }
}

/// Where the paragraph being judged sits.
#[derive(Debug, Clone, Copy, Default)]
pub struct Neighbours<'a> {
    /// The paragraph before, if any.
    pub prev: Option<&'a str>,
    /// The paragraph after, if any.
    pub next: Option<&'a str>,
    /// No real paragraph has been kept yet (`{lead}` rules may fire).
    pub lead: bool,
    /// Everything after this paragraph was removed (`{tail}` rules may fire).
    pub tail: bool,
}

/// Words in a paragraph, for the word-count conditions: runs of letters or digits,
/// with two CJK characters counting as one word (CJK text has no spaces).
pub fn word_count(p: &str) -> usize {
    word_count_capped(p, usize::MAX)
}

/// [`word_count`], stopping early once the count is known to exceed `cap`.
fn word_count_capped(p: &str, cap: usize) -> usize {
    let mut words = 0;
    let mut cjk = 0;
    let mut in_word = false;
    for c in p.chars() {
        if is_cjk(c) {
            cjk += 1;
            in_word = false;
        } else if c.is_alphanumeric() || c == '_' {
            if !in_word {
                words += 1;
                if words > cap {
                    return words;
                }
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    words.max(cjk / 2)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x9fff | 0xac00..=0xd7af)
}

impl Conditions {
    fn hold(&self, words: usize, n: Neighbours) -> bool {
        if words < self.min_words || words > self.max_words {
            return false;
        }
        if self.lead && !n.lead {
            return false;
        }
        if self.tail && !n.tail {
            return false;
        }
        if self.among_mixed_case {
            let mixed = |p: &str| p.chars().any(char::is_lowercase);
            return (n.prev.is_some() || n.next.is_some())
                && n.prev.is_none_or(mixed)
                && n.next.is_none_or(mixed);
        }
        true
    }

    fn parse(spec: &str) -> Result<Self, String> {
        let mut c = Conditions::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let number = |v: &str| {
                v.parse::<usize>()
                    .map_err(|_| format!("condition {{{part}}} needs a number"))
            };
            match part.split_once('=') {
                Some(("max-words", v)) => c.max_words = number(v)?,
                Some(("min-words", v)) => c.min_words = number(v)?,
                None if part == "among-mixed-case" => c.among_mixed_case = true,
                None if part == "lead" => c.lead = true,
                None if part == "tail" => c.tail = true,
                None if part == "block" => c.block = true,
                _ => return Err(format!("unknown condition {{{part}}}")),
            }
        }
        Ok(c)
    }
}

/// The boilerplate rules, compiled.
#[derive(Debug)]
pub struct BoilerplateRules {
    set: RegexSet,
    entries: Vec<Entry>,
    /// The largest `max-words` of any rule: longer paragraphs skip the regexes.
    max_words: usize,
}

/// The verdict on one paragraph: the reason and the rule that fired.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict<'a> {
    /// `promo`, `share`, …
    pub reason: &'a str,
    /// `boilerplate.txt:LINE`.
    pub rule: &'a Rule,
    /// The rule heads a block: the short title-like lines after it go too.
    pub block: bool,
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
            let mut when = Conditions::default();
            if let Some(rest) = pattern.trim_start().strip_prefix('{') {
                let (cond, after) = rest
                    .split_once('}')
                    .ok_or_else(|| bad("unclosed '{' condition".into()))?;
                when = Conditions::parse(cond).map_err(bad)?;
                pattern = after;
            }
            if !reason
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(bad(format!("reason must be one word, found {reason:?}")));
            }
            // Word boundaries are read as ASCII ones: the fast regex engines cannot
            // decide Unicode boundaries on non-ASCII text and would fall back to the
            // slowest one for every paragraph. The rules' words are English.
            let pattern = format!("(?i){}", pattern.trim().replace("\\b", "(?-u:\\b)"));
            Regex::new(&pattern).map_err(|e| bad(format!("bad pattern: {e}")))?;
            patterns.push(pattern);
            entries.push(Entry {
                reason: reason.to_string(),
                when,
                rule: Rule::new(file, i + 1),
            });
        }
        let set = RegexSetBuilder::new(&patterns)
            .size_limit(64 << 20)
            .dfa_size_limit(256 << 20)
            .build()
            .map_err(|e| BoilerplateError {
                file: file.to_string(),
                line: 0,
                message: format!("rules do not compile together: {e}"),
            })?;
        let max_words = entries.iter().map(|e| e.when.max_words).max().unwrap_or(0);
        Ok(BoilerplateRules {
            set,
            entries,
            max_words,
        })
    }

    /// The first rule (in file order) that says `paragraph` is furniture, given its
    /// neighbours. `paragraph` should be trimmed with single spaces, as cleaning makes it.
    pub fn judge(&self, paragraph: &str, around: Neighbours) -> Option<Verdict<'_>> {
        // Long paragraphs are article text; no rule is meant for them (the largest
        // word limit a rule may set is well under this), and skipping them keeps
        // cleaning linear in practice.
        if paragraph.len() > 2000 {
            return None;
        }
        let words = word_count_capped(paragraph, self.max_words);
        // Most paragraphs match nothing: a yes/no pass runs on the fast DFA engines,
        // and only a hit pays for finding which rules matched.
        if words > self.max_words || !self.set.is_match(paragraph) {
            return None;
        }
        let e = self
            .set
            .matches(paragraph)
            .into_iter()
            .map(|i| &self.entries[i])
            .find(|e| e.when.hold(words, around))?;
        Some(Verdict {
            reason: &e.reason,
            rule: &e.rule,
            block: e.when.block,
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
        lead: false,
        tail: false,
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
            ..Neighbours::default()
        };
        assert!(r.judge(line, caps).is_none());
        assert!(r.judge(line, Neighbours::default()).is_none());
        assert!(r.judge(line, PROSE).is_some());
    }

    #[test]
    fn lead_and_tail_rules_fire_only_in_place() {
        let r = BoilerplateRules::builtin();
        let byline = "By Jane Doe and Ann Roe";
        assert!(r.judge(byline, PROSE).is_none());
        let lead = Neighbours {
            lead: true,
            ..PROSE
        };
        assert_eq!(r.judge(byline, lead).unwrap().reason, "byline");
        assert_eq!(
            r.judge("10:32 am, Dec. 3, 2026", lead).unwrap().reason,
            "timestamp"
        );
        let contact = "Jane Doe may be reached at the newsroom desk.";
        assert!(r.judge(contact, PROSE).is_none());
        let tail = Neighbours {
            tail: true,
            ..PROSE
        };
        assert_eq!(r.judge(contact, tail).unwrap().reason, "tail");
    }

    #[test]
    fn word_counts_treat_cjk_pairs_as_words() {
        assert_eq!(word_count("Putin's visit, 2022"), 4);
        assert_eq!(word_count("関連記事一覧"), 3);
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
            ("[button link=\"/tips\" type=\"big\"] Send us your tips[/button]", "markup"),
            ("Get the weekly edition at home. Click here for more information.", "promo"),
            ("Leave a Reply Cancel reply", "comments"),
            ("Story continues below advertisement", "advertisement"),
            ("Scott Roe via Getty Images.", "credit"),
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
