//! Sentence splitting over paragraphs, driven by [`SegmentationRules`].
//!
//! A boundary is a run of terminal punctuation (`.` `!` `?` `…` `...`), plus any closing
//! quotes or brackets glued to it, followed by whitespace and a plausible sentence
//! start. What is *not* a boundary is where the knowledge lives: titles ("Gen."),
//! initials ("F."), numbers after "No.", months before a day ("Dec. 13"), and
//! abbreviations or dotted acronyms ("U.S.") unless a usual sentence starter follows.
//! A lowercase next word ("\"Who will pay?\" she asked") never starts a sentence.

use crate::rules::SegmentationRules;
use annals_doc::{Document, ParagraphKind, Sentence, SentenceKind, Span};

/// Splits a document's paragraphs into sentences.
pub trait SentenceSplitter: Send + Sync {
    /// The sentence layer for `doc`, in text order; each sentence lies inside one
    /// paragraph of `doc.paragraphs` (which must be set).
    fn split(&self, doc: &Document) -> Vec<Sentence>;
}

/// The rule-based splitter.
#[derive(Debug, Clone, Copy)]
pub struct RuleSentenceSplitter {
    rules: &'static SegmentationRules,
}

impl Default for RuleSentenceSplitter {
    fn default() -> Self {
        RuleSentenceSplitter {
            rules: SegmentationRules::builtin(),
        }
    }
}

impl RuleSentenceSplitter {
    /// A splitter using `rules`.
    pub fn new(rules: &'static SegmentationRules) -> Self {
        RuleSentenceSplitter { rules }
    }
}

impl SentenceSplitter for RuleSentenceSplitter {
    fn split(&self, doc: &Document) -> Vec<Sentence> {
        let mut out = Vec::new();
        let Some(paragraphs) = doc.paragraphs.as_ref() else {
            return out;
        };
        let mut seen_body = false;
        for (pi, p) in paragraphs.iter().enumerate() {
            let text = p.span.slice(&doc.text);
            match p.kind {
                ParagraphKind::Heading => {
                    out.push(Sentence {
                        span: p.span,
                        paragraph: pi,
                        kind: SentenceKind::Block,
                    });
                    continue;
                }
                ParagraphKind::ListItem | ParagraphKind::Body => {}
            }
            let mut from = 0;
            // A dateline can only open the story: the first body paragraph.
            if !seen_body && p.kind == ParagraphKind::Body {
                if let Some((end, _line)) = self.rules.dateline(text) {
                    out.push(Sentence {
                        span: Span::new(p.span.start, p.span.start + end),
                        paragraph: pi,
                        kind: SentenceKind::Dateline,
                    });
                    from = end;
                }
            }
            if p.kind == ParagraphKind::Body {
                seen_body = true;
            }
            for (a, b) in line_runs(text, from) {
                split_run(self.rules, &text[..b], a, |s, e| {
                    out.push(Sentence {
                        span: Span::new(p.span.start + s, p.span.start + e),
                        paragraph: pi,
                        kind: SentenceKind::Sentence,
                    })
                });
            }
        }
        out
    }
}

/// Widest line (in characters) that still looks like hard wrapping; text with longer
/// lines is not wrapped, so each of its line breaks means something.
const MAX_WRAP_WIDTH: usize = 100;
/// Narrowest: shorter lines are lines, not a wrapped column.
const MIN_WRAP_WIDTH: usize = 40;

/// Split `text[from..]` at the line breaks that end a unit: a title line, a
/// byline, a line of a table. A break is only a wrap when the next line's first word
/// would not have fitted on the line before it (judged against the widest line).
/// Cleaned text has no line breaks inside paragraphs; `--raw` text keeps them.
fn line_runs(text: &str, from: usize) -> Vec<(usize, usize)> {
    let lines: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut at = from;
        for l in text[from..].split('\n') {
            v.push((at, l));
            at += l.len() + 1;
        }
        v
    };
    if lines.len() < 2 {
        return vec![(from, text.len())];
    }
    let width = |s: &str| s.trim_end().chars().count();
    let wrap = lines.iter().map(|(_, l)| width(l)).max().unwrap_or(0);
    let mut runs = Vec::new();
    let mut start = from;
    for k in 0..lines.len() - 1 {
        let (at, line) = lines[k];
        let next = lines[k + 1].1.trim_start();
        let next_word = next
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        let wrapped =
            (MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&wrap) && width(line) + 1 + next_word > wrap;
        if !wrapped && !line.trim().is_empty() && !next.is_empty() {
            let end = at + line.len();
            runs.push((start, end));
            start = end + 1;
        }
    }
    runs.push((start, text.len()));
    runs
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '›' | '}')
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '‹' | '¿' | '¡'
    )
}

/// Split `text[from..]` into trimmed sentences, calling `emit(start, end)` (bytes into `text`).
fn split_run(
    rules: &SegmentationRules,
    text: &str,
    from: usize,
    mut emit: impl FnMut(usize, usize),
) {
    let mut start = skip_ws(text, from);
    let mut i = start;
    while i < text.len() {
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        if !matches!(c, '.' | '!' | '?' | '…') {
            i += c.len_utf8();
            continue;
        }
        // The run of terminal punctuation and the closers glued to it.
        let punct_start = i;
        let mut j = i;
        while j < text.len() {
            let d = text[j..].chars().next().unwrap_or(' ');
            if matches!(d, '.' | '!' | '?' | '…') {
                j += d.len_utf8();
            } else {
                break;
            }
        }
        let punct = &text[punct_start..j];
        while j < text.len() {
            let d = text[j..].chars().next().unwrap_or(' ');
            if is_closer(d) {
                j += d.len_utf8();
            } else {
                break;
            }
        }
        // A boundary needs whitespace (or the end) after it.
        if j >= text.len() {
            break;
        }
        let after = text[j..].chars().next().unwrap_or(' ');
        if !after.is_whitespace() {
            i = j.max(i + 1);
            continue;
        }
        let next_start = skip_ws(text, j);
        if next_start >= text.len() {
            break;
        }
        if is_boundary(rules, text, start, punct_start, punct, next_start) {
            emit(start, trim_end(text, start, j));
            start = next_start;
        }
        i = next_start.max(j);
    }
    if start < text.len() {
        let end = trim_end(text, start, text.len());
        if end > start {
            emit(start, end);
        }
    }
}

fn skip_ws(text: &str, mut i: usize) -> usize {
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or('x');
        if !c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}

fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

/// The word ending just before byte `at` (letters, digits, dots, hyphens, apostrophes).
fn word_before(text: &str, sent_start: usize, at: usize) -> &str {
    let head = &text[sent_start..at];
    let begin = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || matches!(c, '.' | '-' | '\'' | '’'))
        .last()
        .map(|(k, _)| k)
        .unwrap_or(head.len());
    // Leading punctuation such as an opening quote is not part of the word.
    head[begin..].trim_start_matches(['.', '-', '\'', '’'])
}

/// The word starting at byte `at`, without opening quotes or brackets.
fn word_after(text: &str, at: usize) -> &str {
    let rest = text[at..].trim_start_matches(is_opener);
    let end = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|(k, _)| k)
        .unwrap_or(rest.len());
    &rest[..end]
}

fn is_boundary(
    rules: &SegmentationRules,
    text: &str,
    sent_start: usize,
    punct_start: usize,
    punct: &str,
    next: usize,
) -> bool {
    let next_word = word_after(text, next);
    let first = text[next..].chars().next().unwrap_or(' ');
    let next_first = next_word.chars().next();
    // A lowercase word after the punctuation continues the sentence
    // ("'Who will pay?' she asked", "the U.S. military").
    if let Some(f) = next_first {
        if f.is_lowercase() {
            return false;
        }
    } else if !(is_opener(first) || first == '—' || first == '-') {
        // Next thing is punctuation or a symbol we do not understand as a start.
        return !first.is_lowercase() && punct != ".";
    }
    if punct != "." {
        // '!', '?', ellipses and mixed runs: break before anything not lowercase.
        return true;
    }
    // A single period: is the word before it an abbreviation?
    let word = word_before(text, sent_start, punct_start);
    let with_dot = &text[punct_start - word.len()..punct_start + 1];
    let next_is_number = next_first.is_some_and(|c| c.is_ascii_digit());
    let next_is_starter = rules.is_starter(next_word);
    if let Some(class) = rules.abbreviation(with_dot) {
        if class.title {
            return false;
        }
        if (class.number || class.month) && next_is_number {
            return false;
        }
        if class.month || class.common {
            return next_is_starter;
        }
        if class.number {
            return true;
        }
    }
    let is_initial = word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase());
    if is_initial {
        // "John F. Kerrigan": an initial before a capitalised word is not an end,
        // unless a typical starter follows ("... Plan B. The ...").
        return next_is_starter;
    }
    // Dotted acronyms not in the list ("U.A.E."), which may end a sentence.
    if word.contains('.') {
        return next_is_starter;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_doc::{Paragraph, ParagraphKind};

    fn split(text: &str) -> Vec<String> {
        let mut doc = Document::new("t", text.to_string());
        doc.paragraphs = Some(annals_doc::blocks(text));
        RuleSentenceSplitter::default()
            .split(&doc)
            .iter()
            .map(|s| s.span.slice(text).to_string())
            .collect()
    }

    #[test]
    fn meaningful_line_breaks_end_units_but_wraps_do_not() {
        // Unwrapped lines (a title, a dateline line, a table row): each is a unit.
        assert_eq!(
            split("HARBOUR TALKS RESUME\nVALLETTA 2031-04-02\nTalks resumed on Monday ."),
            vec![
                "HARBOUR TALKS RESUME",
                "VALLETTA 2031-04-02",
                "Talks resumed on Monday ."
            ]
        );
        // Hard-wrapped prose: the breaks are only wraps.
        let wrapped = "The delegates met in the old harbour hall on Monday\n\
                       morning and agreed to resume the talks that had\n\
                       stalled in March.";
        assert_eq!(split(wrapped).len(), 1);
    }

    #[test]
    fn sentence_split_keeps_title_abbreviation_with_name() {
        assert_eq!(
            split("Gen. Mark Stone met Sen. Ada Fox. They talked."),
            vec!["Gen. Mark Stone met Sen. Ada Fox.", "They talked."]
        );
    }

    #[test]
    fn sentence_split_keeps_month_and_number_abbreviations() {
        assert_eq!(
            split("The talks began on Dec. 13 in Rome. He ranked No. 1 in Sept. 2021 polls."),
            vec![
                "The talks began on Dec. 13 in Rome.",
                "He ranked No. 1 in Sept. 2021 polls."
            ]
        );
    }

    #[test]
    fn sentence_split_handles_acronyms_initials_and_decimals() {
        assert_eq!(
            split("The U.S. envoy John F. Kerrigan pledged 2.5 billion dollars to the U.N. The U.S. agreed."),
            vec![
                "The U.S. envoy John F. Kerrigan pledged 2.5 billion dollars to the U.N.",
                "The U.S. agreed."
            ]
        );
    }

    #[test]
    fn sentence_split_keeps_closing_quotes_and_brackets() {
        assert_eq!(
            split("He called them \"stupid fabrications.\" Talks resumed (in Geneva.) Then they ended."),
            vec![
                "He called them \"stupid fabrications.\"",
                "Talks resumed (in Geneva.)",
                "Then they ended."
            ]
        );
    }

    #[test]
    fn sentence_split_continues_after_question_in_quote_before_lowercase() {
        assert_eq!(
            split("\"Who will pay?\" she asked. Nobody answered."),
            vec!["\"Who will pay?\" she asked.", "Nobody answered."]
        );
    }

    #[test]
    fn sentence_split_lets_a_quote_span_sentences() {
        let t = "\u{201c}We will stay. Nobody leaves,\u{201d} she said. It rained.";
        assert_eq!(
            split(t),
            vec![
                "\u{201c}We will stay.",
                "Nobody leaves,\u{201d} she said.",
                "It rained."
            ]
        );
    }

    #[test]
    fn sentence_split_handles_ellipses() {
        assert_eq!(
            split("We waited... and waited. Then… Nothing."),
            vec!["We waited... and waited.", "Then…", "Nothing."]
        );
    }

    #[test]
    fn sentence_split_never_crosses_paragraphs() {
        assert_eq!(
            split("Sanctions\n\nThe ban holds"),
            vec!["Sanctions", "The ban holds"]
        );
    }

    #[test]
    fn sentence_split_makes_dateline_its_own_unit() {
        assert_eq!(
            split("NAIROBI (Reuters) - Police fired tear gas. Crowds fled."),
            vec![
                "NAIROBI (Reuters) -",
                "Police fired tear gas.",
                "Crowds fled."
            ]
        );
    }

    #[test]
    fn heading_paragraph_is_one_block() {
        let text = "Ceasefire terms. Draft\n\nBody.";
        let mut doc = Document::new("t", text.to_string());
        doc.paragraphs = Some(vec![
            Paragraph {
                span: Span::new(0, 22),
                kind: ParagraphKind::Heading,
            },
            Paragraph {
                span: Span::new(24, 29),
                kind: ParagraphKind::Body,
            },
        ]);
        let s = RuleSentenceSplitter::default().split(&doc);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].kind, SentenceKind::Block);
    }

    #[test]
    fn sentence_split_survives_odd_input() {
        for t in [
            "", ".", "...", "?!", "\"", "a. b. c.", "Mr.", "U.S.", "é. É.", ". . .",
        ] {
            let got = split(t);
            for s in &got {
                assert!(!s.is_empty());
            }
        }
    }
}
