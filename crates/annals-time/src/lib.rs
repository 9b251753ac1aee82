//! The time stage: time expressions normalised to TIMEX3, and a reference time for
//! every sentence.
//!
//! Reads the sentence layer and the document date; writes `timexes` and
//! `sentence_times`. Patterns are data (`data/time/grammar.txt`, [`grammar`]); the
//! normalisers ([`resolve`]) are the mechanism: each resolves relative expressions
//! against the document date in the direction of its sentence ("visited … on
//! Monday" looks back, "will meet on Monday" and "could come as early as January"
//! look forward), and year-less dates take the year that puts them nearest the
//! document date in that direction. Without a document date nothing is guessed.
//!
//! The document date itself is `--date` > the input's metadata > a dateline
//! carrying a full date ("LONDON 1996-08-30") > none.

pub mod grammar;
pub mod resolve;

use annals_doc::{DateSource, Document, SentenceKind, Span, Timex, TimexType};
use chrono::NaiveDate;
use grammar::Grammar;
use regex::Regex;
use resolve::{normalise, Context};

/// The time stage, built once per run.
pub struct TimeStage {
    grammar: &'static Grammar,
    not_after_year: Vec<String>,
    direction: Direction,
    /// The grammar's `SENTENCE_FUTURE`: the sentence looks forward.
    sentence_future: Regex,
    /// Its `SENTENCE_FUTURE_PLAIN`: it says so plainly.
    sentence_future_plain: Regex,
}

/// A rule's match that survived the text-only checks, with its groups.
struct Found<'t> {
    start: usize,
    end: usize,
    rule: usize,
    caps: regex::Captures<'t>,
}

/// A `define NAME = a|b|c` of the grammar as a word list (lower case).
fn word_list(grammar: &Grammar, name: &str) -> Result<Vec<String>, String> {
    let d = grammar
        .defines
        .get(name)
        .ok_or_else(|| format!("time grammar: define {name} is missing"))?;
    Ok(d.split('|')
        .map(|w| w.trim().to_ascii_lowercase())
        .collect())
}

/// A `define NAME = a|b|c` of the grammar as a regex finding any of its phrases as whole
/// words, case ignored. Word boundaries are ASCII ones (`-u`): the phrases are ASCII, and
/// so the fast regex engine runs on any text.
fn phrase_regex(grammar: &Grammar, name: &str) -> Result<Regex, String> {
    let d = grammar
        .defines
        .get(name)
        .ok_or_else(|| format!("time grammar: define {name} is missing"))?;
    let alternatives: Vec<String> = d
        .split('|')
        .map(|p| {
            let p = p.trim();
            // "'ll" follows a word: no boundary before it.
            if p.starts_with(|c: char| c.is_alphanumeric()) {
                format!(r"\b{p}\b")
            } else {
                format!(r"{p}\b")
            }
        })
        .collect();
    Regex::new(&format!("(?i-u){}", alternatives.join("|")))
        .map_err(|e| format!("time grammar: define {name}: {e}"))
}

impl TimeStage {
    /// The stage over the shipped grammar.
    pub fn new() -> Result<TimeStage, String> {
        let grammar = Grammar::builtin()?;
        Ok(TimeStage {
            grammar,
            not_after_year: word_list(grammar, "NOT_AFTER_YEAR")?,
            direction: Direction {
                forward: word_list(grammar, "LOOKS_FORWARD")?,
                intends_to: word_list(grammar, "INTENDS_TO")?,
                back: word_list(grammar, "LOOKS_BACK")?,
                past_forms: word_list(grammar, "PAST_FORMS")?,
            },
            sentence_future: phrase_regex(grammar, "SENTENCE_FUTURE")?,
            sentence_future_plain: phrase_regex(grammar, "SENTENCE_FUTURE_PLAIN")?,
        })
    }

    /// Every rule's matches inside `span` (a sentence) of `text`, with their groups. A
    /// set of all patterns first says which rules match in the sentence at all; only
    /// those are searched, and only there — a rule reads the sentences it matches in,
    /// not the whole document. (The text before `span` is still seen, so a word
    /// boundary at its start means what it means in the document; a sentence ends
    /// where a space or the text does, so the end of the haystack reads the same.)
    fn matches<'t>(&self, text: &'t str, span: Span) -> Vec<Found<'t>> {
        let haystack = &text[..span.end];
        let mut found = Vec::new();
        let rules = self.grammar.set.matches_at(haystack, span.start);
        if !rules.matched_any() {
            return found;
        }
        for ri in rules.iter() {
            let rule = &self.grammar.rules[ri];
            let mut at = span.start;
            while let Some(caps) = rule.regex.captures_at(haystack, at) {
                let Some(m) = caps.get(0) else {
                    break;
                };
                if m.is_empty() {
                    // Step over an empty match (the grammar has none, but a user's may).
                    at = m.end() + haystack[m.end()..].chars().next().map_or(1, char::len_utf8);
                    if at > haystack.len() {
                        break;
                    }
                    continue;
                }
                at = m.end();
                // Rejection depends only on the text: test it without context.
                let after = &text[m.end()..];
                let ok = normalise(
                    &rule.resolver,
                    rule.arg.as_deref(),
                    &caps,
                    after,
                    &self.not_after_year,
                    &Context::default(),
                )
                .is_some();
                if ok {
                    found.push(Found {
                        start: m.start(),
                        end: m.end(),
                        rule: ri,
                        caps,
                    });
                }
            }
        }
        found
    }

    /// A sentence's matches (from [`TimeStage::matches`]) selected — longest first, then
    /// rule order, none overlapping — in text order.
    fn candidates<'a, 't>(found: &'a [Found<'t>]) -> Vec<&'a Found<'t>> {
        let mut found: Vec<&Found> = found.iter().collect();
        found.sort_by_key(|c| (std::cmp::Reverse(c.end - c.start), c.rule, c.start));
        let mut chosen: Vec<&Found> = Vec::new();
        for c in found {
            if chosen.iter().all(|k| c.end <= k.start || c.start >= k.end) {
                chosen.push(c);
            }
        }
        chosen.sort_by_key(|c| c.start);
        chosen
    }

    /// Annotate `doc` (which must be segmented): timexes and sentence times; and the
    /// document date from a dateline when nothing else gave one.
    pub fn annotate(&self, doc: &mut Document) {
        let Some(sentences) = doc.sentences.clone() else {
            return;
        };
        if doc.meta.date.is_none() {
            if let Some(first) = sentences.iter().find(|s| s.kind == SentenceKind::Dateline) {
                if let Some(d) = self.dateline_date(&doc.text, first.span) {
                    doc.meta.date = Some(d);
                    doc.meta.date_source = DateSource::Dateline;
                }
            }
        }
        let dct = doc
            .meta
            .date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let mut ctx = Context {
            dct,
            ..Context::default()
        };
        let mut timexes = Vec::new();
        let mut sentence_times = Vec::with_capacity(sentences.len());
        for s in &sentences {
            let found = self.matches(&doc.text, s.span);
            let candidates = TimeStage::candidates(&found);
            if !candidates.is_empty() {
                // Only a sentence with an expression needs its direction.
                let stext = s.span.slice(&doc.text);
                ctx.future = self.sentence_future.is_match(stext);
                ctx.strong_future = self.sentence_future_plain.is_match(stext);
            }
            let mut governing: Option<String> = None;
            for c in candidates {
                let rule = &self.grammar.rules[c.rule];
                let caps = &c.caps;
                let after = &doc.text[c.end..s.span.end];
                let before = &doc.text[s.span.start..c.start];
                ctx.local = self.direction.local(before).or_else(|| {
                    // An expression that opens its sentence ("In January, …") is
                    // governed by the verb after it.
                    (before.split_whitespace().count() <= 1)
                        .then(|| self.direction.following(after))
                        .flatten()
                });
                let Some((value, modifier)) = normalise(
                    &rule.resolver,
                    rule.arg.as_deref(),
                    caps,
                    after,
                    &self.not_after_year,
                    &ctx,
                ) else {
                    continue;
                };
                if let Some(v) = &value {
                    remember(
                        &mut ctx,
                        v,
                        caps.name("year").is_some(),
                        rule.resolver == "quarter",
                    );
                    if governing.is_none()
                        && rule.kind == TimexType::Date
                        && v.starts_with(|ch: char| ch.is_ascii_digit())
                    {
                        governing = Some(v.clone());
                    }
                }
                timexes.push(Timex {
                    span: Span::new(c.start, c.end),
                    kind: rule.kind,
                    value,
                    modifier,
                    rule: rule.rule.clone(),
                });
            }
            sentence_times.push(governing.or_else(|| doc.meta.date.clone()));
        }
        doc.timexes = Some(timexes);
        doc.sentence_times = Some(sentence_times);
    }

    /// A full date inside a dateline unit.
    fn dateline_date(&self, text: &str, span: Span) -> Option<String> {
        let found = self.matches(text, span);
        for c in TimeStage::candidates(&found) {
            let rule = &self.grammar.rules[c.rule];
            if let Some((Some(v), _)) = normalise(
                &rule.resolver,
                rule.arg.as_deref(),
                &c.caps,
                "",
                &self.not_after_year,
                &Context::default(),
            ) {
                if NaiveDate::parse_from_str(&v, "%Y-%m-%d").is_ok() {
                    return Some(v);
                }
            }
        }
        None
    }
}

/// The grammar's direction words (`LOOKS_FORWARD`, `INTENDS_TO`, `LOOKS_BACK`,
/// `PAST_FORMS`).
struct Direction {
    forward: Vec<String>,
    intends_to: Vec<String>,
    back: Vec<String>,
    /// Irregular past forms, read like a word ending in -ed.
    past_forms: Vec<String>,
}

impl Direction {
    /// The direction shown by the words just before an expression ("will meet on",
    /// "was seen on"): the nearest marker among the last eight words wins.
    fn local(&self, before: &str) -> Option<bool> {
        let mut words = marker_words(before.split_whitespace().rev().take(8));
        words.reverse();
        self.nearest(&words, (0..words.len()).rev())
    }

    /// With no marker before it, the words right after an expression that opens its
    /// clause ("In January, the company announced …", "On Tuesday, the league plans
    /// to …"): the nearest marker among the next eight words.
    fn following(&self, after: &str) -> Option<bool> {
        let words = marker_words(after.split_whitespace().take(8));
        self.nearest(&words, 0..words.len())
    }

    /// The first marker met visiting `words` (in text order) in `order`.
    fn nearest(
        &self,
        words: &[(String, bool)],
        order: impl Iterator<Item = usize>,
    ) -> Option<bool> {
        let has = |list: &[String], w: &str| list.iter().any(|x| x == w);
        for k in order {
            let (w, lower_case) = (&words[k].0, words[k].1);
            let next = words.get(k + 1).map(|x| x.0.as_str());
            let prev = k.checked_sub(1).map(|j| words[j].0.as_str());
            if has(&self.forward, w) || w.ends_with("'ll") {
                return Some(true);
            }
            if next == Some("to") && has(&self.intends_to, w) {
                return Some(true);
            }
            if has(&self.back, w) {
                return Some(false);
            }
            let past_form = (w.len() > 4 && w.ends_with("ed")) || has(&self.past_forms, w);
            if past_form && lower_case && prev != Some("be") {
                return Some(false);
            }
        }
        None
    }
}

/// Words as the direction markers read them: lower-cased, trimmed of punctuation,
/// with whether each was written in lower case (only such a word ending in -ed is a
/// verb: "the United States" is not).
fn marker_words<'a>(words: impl Iterator<Item = &'a str>) -> Vec<(String, bool)> {
    words
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
            (w.to_ascii_lowercase(), !w.chars().any(|c| c.is_uppercase()))
        })
        .collect()
}

/// Let later expressions anchor on this one: a quarter it names, its explicit year.
fn remember(ctx: &mut Context, value: &str, explicit_year: bool, names_quarter: bool) {
    let year: Option<i32> = value.get(..4).and_then(|y| y.parse().ok());
    let quarter = value.get(4..).and_then(|r| r.strip_prefix("-Q"));
    if let (true, Some(y), Some(q)) = (names_quarter, year, quarter) {
        if let Ok(q) = q.parse::<u32>() {
            ctx.last_quarter = Some((y, q));
        }
    }
    // An explicit full date ("March 3, 2029", "2029-03-03"): the story is narrating
    // that time. A month and year alone ("the August 1988 ceasefire") names a past
    // event more often than it sets the story's time, so it anchors nothing.
    let month: Option<u32> = value.get(5..7).and_then(|m| m.parse().ok());
    let has_day = value
        .get(8..10)
        .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()));
    if let (true, Some(y), Some(m), true) = (explicit_year, year, month, has_day) {
        ctx.last_month = Some((y, m));
    }
}
