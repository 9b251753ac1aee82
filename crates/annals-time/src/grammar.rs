//! The time grammar (`data/time/grammar.txt`): named pattern pieces and rules,
//! each rule a TIMEX3 type, a normaliser name and a regular expression.

use annals_doc::{Rule, TimexType};
use regex::Regex;
use std::collections::HashMap;
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

/// One rule.
#[derive(Debug)]
pub struct TimeRule {
    /// TIMEX3 type of what it finds.
    pub kind: TimexType,
    /// The normaliser (`month-day`, `relative`, `ref` …).
    pub resolver: String,
    /// Its argument (`ref:PAST_REF` → `PAST_REF`), if any.
    pub arg: Option<String>,
    /// The compiled pattern (case-insensitive).
    pub regex: Regex,
    /// Where it was read.
    pub rule: Rule,
}

/// The whole grammar.
#[derive(Debug)]
pub struct Grammar {
    /// Rules in file order (earlier wins ties).
    pub rules: Vec<TimeRule>,
    /// Named pieces, as written (for checks done in code, such as NOT_AFTER_YEAR).
    pub defines: HashMap<String, String>,
    /// All rule patterns at once: which rules match a text at all, in one pass.
    pub set: regex::RegexSet,
}

/// The normalisers the code knows; a rule naming another is an error.
const RESOLVERS: [&str; 22] = [
    "ymd",
    "month-day",
    "month",
    "year",
    "decade",
    "weekday",
    "day-offset",
    "part-of-day",
    "clock",
    "ref",
    "relative",
    "season",
    "quarter",
    "half-year",
    "ago",
    "ago-x",
    "year-ago",
    "weekend",
    "duration",
    "duration-x",
    "set",
    "set-weekday",
];

static BUILTIN: OnceLock<Result<Grammar, String>> = OnceLock::new();

impl Grammar {
    /// The shipped grammar, parsed once.
    pub fn builtin() -> Result<&'static Grammar, String> {
        BUILTIN
            .get_or_init(|| {
                Grammar::parse(
                    "grammar.txt",
                    include_str!("../../../data/time/grammar.txt"),
                )
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse a grammar file.
    pub fn parse(file: &str, text: &str) -> Result<Grammar, GrammarError> {
        let mut defines: HashMap<String, String> = HashMap::new();
        let mut rules = Vec::new();
        let mut patterns = Vec::new();
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
            if let Some(rest) = line.strip_prefix("define ") {
                let (name, value) = rest
                    .split_once('=')
                    .ok_or_else(|| err("expected `define NAME = PATTERN`".into()))?;
                defines.insert(name.trim().to_string(), value.trim().to_string());
                continue;
            }
            let field = |s: &'_ str| -> Option<(String, String)> {
                let s = s.trim_start();
                let i = s.find(char::is_whitespace)?;
                Some((s[..i].to_string(), s[i..].trim().to_string()))
            };
            let Some((kind, rest)) = field(line) else {
                return Err(err("expected TYPE RESOLVER PATTERN".into()));
            };
            let Some((resolver, pattern)) = field(&rest) else {
                return Err(err("expected TYPE RESOLVER PATTERN".into()));
            };
            let (kind, resolver, pattern) = (kind.as_str(), resolver.as_str(), pattern.as_str());
            let kind = match kind {
                "DATE" => TimexType::Date,
                "TIME" => TimexType::Time,
                "DURATION" => TimexType::Duration,
                "SET" => TimexType::Set,
                other => return Err(err(format!("unknown TIMEX3 type {other:?}"))),
            };
            let (name, arg) = match resolver.split_once(':') {
                Some((a, b)) => (a, Some(b.to_string())),
                None => (resolver, None),
            };
            if !RESOLVERS.contains(&name) {
                return Err(err(format!("unknown normaliser {name:?}")));
            }
            if pattern.is_empty() {
                return Err(err("missing pattern".into()));
            }
            let expanded = expand(pattern, &defines).map_err(&err)?;
            let regex = regex::RegexBuilder::new(&expanded)
                .case_insensitive(true)
                .unicode(false)
                .build()
                .map_err(|e| err(format!("bad pattern: {e}")))?;
            patterns.push(expanded);
            rules.push(TimeRule {
                kind,
                resolver: name.to_string(),
                arg,
                regex,
                rule: Rule::new(file, n + 1),
            });
        }
        let set = regex::RegexSetBuilder::new(&patterns)
            .case_insensitive(true)
            .unicode(false)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| GrammarError {
                file: file.to_string(),
                line: 0,
                msg: format!("rules do not combine: {e}"),
            })?;
        Ok(Grammar {
            rules,
            defines,
            set,
        })
    }
}

/// Replace `{NAME}` with `(?:definition)`.
fn expand(pattern: &str, defines: &HashMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() * 4);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("unclosed {")?;
        let name = &after[..close];
        // Repetition counts such as {1,2} are regex syntax, not names.
        if name.chars().all(|c| c.is_ascii_digit() || c == ',') {
            out.push('{');
            out.push_str(name);
            out.push('}');
        } else {
            let def = defines
                .get(name)
                .ok_or_else(|| format!("undefined name {{{name}}}"))?;
            out.push_str("(?:");
            out.push_str(def);
            out.push(')');
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_grammar_parses() {
        let g = Grammar::builtin().unwrap();
        assert!(g.rules.len() > 30);
    }

    #[test]
    fn errors_name_the_line() {
        let e = Grammar::parse("g.txt", "define A = x\nDATE nosuch \\bx\\b\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Grammar::parse("g.txt", "DATE year {UNDEFINED}\n").unwrap_err();
        assert!(e.msg.contains("UNDEFINED"), "{e}");
    }
}
