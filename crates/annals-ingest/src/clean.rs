//! From body text to clean text: paragraphs found, boilerplate dropped, kinds assigned.
//!
//! Two inputs reach here: plain text (where single newlines may be hard wraps, as in
//! wire copy wrapped at 70 columns, or paragraph breaks, as in scraped text with one
//! paragraph per line) and the line-per-block text the HTML extractor returns. The
//! output is the Document's text — paragraphs with single spaces, separated by one blank
//! line — its paragraph layer, and the `removed` list.
//!
//! `--raw` text skips all of this: [`raw_paragraphs`] finds paragraphs over the verbatim
//! input so offsets index the input exactly.

use crate::boilerplate::{BoilerplateRules, Neighbours};
use annals_doc::{Paragraph, ParagraphKind, Removed, Rule, Span};

/// The result of cleaning: text, paragraphs, what was removed.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// Clean text: paragraphs separated by `\n\n`.
    pub text: String,
    /// One entry per paragraph of `text`.
    pub paragraphs: Vec<Paragraph>,
    /// What the boilerplate rules (and the headline check) removed.
    pub removed: Vec<Removed>,
}

/// How line breaks inside a block of the body are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineBreaks {
    /// Plain text: decide per block whether lines are hard wraps or paragraphs.
    Detect,
    /// Every line is its own paragraph (extracted HTML).
    Paragraphs,
}

/// Clean `body`: paragraphs, boilerplate removal, headline removal.
///
/// `title`, when given, drops a leading paragraph equal to it (the headline is the
/// record's `title`, never part of `text`).
pub fn clean(
    body: &str,
    breaks: LineBreaks,
    rules: &BoilerplateRules,
    title: Option<&str>,
) -> Cleaned {
    let pieces = paragraph_pieces(body, breaks);
    let mut out = Cleaned::default();
    let title_norm = title.map(normalise_for_compare);
    for (idx, piece) in pieces.iter().enumerate() {
        if idx == 0 || out.paragraphs.is_empty() {
            if let Some(t) = &title_norm {
                if !t.is_empty() && normalise_for_compare(piece) == *t {
                    out.removed.push(Removed {
                        text: piece.clone(),
                        reason: "headline".into(),
                        rule: Rule::new("ingest:headline", 0),
                        at: out.text.len(),
                    });
                    continue;
                }
            }
        }
        let around = Neighbours {
            prev: idx.checked_sub(1).map(|i| pieces[i].as_str()),
            next: pieces.get(idx + 1).map(String::as_str),
        };
        if let Some(v) = rules.judge(piece, around) {
            out.removed.push(Removed {
                text: piece.clone(),
                reason: v.reason.to_string(),
                rule: v.rule.clone(),
                at: out.text.len(),
            });
            continue;
        }
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
        }
        let start = out.text.len();
        out.text.push_str(piece);
        out.paragraphs.push(Paragraph {
            span: Span::new(start, out.text.len()),
            kind: ParagraphKind::Body,
        });
    }
    assign_kinds(&out.text, &mut out.paragraphs);
    out
}

/// Paragraphs of verbatim text (for `--raw`): blank-line blocks, split further at
/// indented lines and list items; spans index `text` exactly.
pub fn raw_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for block in annals_doc::blocks(text) {
        let b = block.span.slice(text);
        let mut start = 0;
        let mut pos = 0;
        for (n, line) in b.split_inclusive('\n').enumerate() {
            let content = line.trim_end();
            if n > 0 && (is_list_item(content.trim_start()) || is_indented(content)) {
                push_trimmed(
                    &mut out,
                    text,
                    block.span.start + start,
                    block.span.start + pos,
                );
                start = pos;
            }
            pos += line.len();
        }
        push_trimmed(&mut out, text, block.span.start + start, block.span.end);
    }
    assign_kinds(text, &mut out);
    out
}

fn push_trimmed(out: &mut Vec<Paragraph>, text: &str, start: usize, end: usize) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if start + lead < end - trail {
        out.push(Paragraph {
            span: Span::new(start + lead, end - trail),
            kind: ParagraphKind::Body,
        });
    }
}

/// Split `body` into paragraph strings with single spaces.
fn paragraph_pieces(body: &str, breaks: LineBreaks) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let flush = |block: &mut Vec<&str>, pieces: &mut Vec<String>| {
        if block.is_empty() {
            return;
        }
        split_block(block, breaks, pieces);
        block.clear();
    };
    for line in body.lines() {
        if line.trim().is_empty() {
            flush(&mut block, &mut pieces);
        } else {
            block.push(line);
        }
    }
    flush(&mut block, &mut pieces);
    pieces
}

fn split_block(lines: &[&str], breaks: LineBreaks, pieces: &mut Vec<String>) {
    let width = lines
        .iter()
        .map(|l| l.trim_end().chars().count())
        .max()
        .unwrap_or(0);
    // Hard-wrapped copy has several lines, none very long.
    let wrapped = breaks == LineBreaks::Detect && lines.len() > 1 && width <= 100;
    let mut cur = String::new();
    let mut prev_len = 0usize;
    let mut prev_ends_sentence = false;
    for (i, line) in lines.iter().enumerate() {
        let content = line.trim();
        let new_para = i == 0
            || !wrapped
            || is_list_item(content)
            || is_indented(line)
            || (prev_ends_sentence && prev_len * 10 < width * 7);
        if new_para && !cur.is_empty() {
            pieces.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        push_single_spaced(&mut cur, content);
        prev_len = content.chars().count();
        prev_ends_sentence = content.ends_with(['.', '!', '?', '"', '”', ':']);
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
}

fn push_single_spaced(out: &mut String, s: &str) {
    let mut first = true;
    for w in s.split_whitespace() {
        if !first {
            out.push(' ');
        }
        out.push_str(w);
        first = false;
    }
}

fn is_indented(line: &str) -> bool {
    line.starts_with("  ") || line.starts_with('\t')
}

/// "- item", "• item", "* item", "1. item", "2) item".
fn is_list_item(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some('-' | '•' | '*' | '–' | '·' | '▪' | '◦') => {
            chars.next().is_some_and(char::is_whitespace)
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = s.chars().take_while(char::is_ascii_digit).count();
            let rest = &s[digits..];
            digits <= 3
                && (rest.starts_with(". ") || rest.starts_with(") "))
                && rest[2..].starts_with(|c: char| c.is_uppercase())
        }
        _ => false,
    }
}

/// A section subhead: short, unpunctuated at the end, capitalised, followed by more text.
fn is_heading(p: &str, is_last: bool) -> bool {
    if is_last || p.len() > 80 {
        return false;
    }
    let words = p.split_whitespace().count();
    let first = p.chars().next().unwrap_or(' ');
    (1..=8).contains(&words)
        && (first.is_uppercase() || first.is_ascii_digit())
        && !p.ends_with([
            '.', ',', ';', ':', '!', '?', '"', '”', '’', '\'', ')', '…', '-', '—',
        ])
        && !p.contains(['"', '“', '”'])
}

fn assign_kinds(text: &str, paragraphs: &mut [Paragraph]) {
    let n = paragraphs.len();
    for (i, p) in paragraphs.iter_mut().enumerate() {
        let s = p.span.slice(text);
        p.kind = if is_list_item(s) {
            ParagraphKind::ListItem
        } else if is_heading(s, i + 1 == n) {
            ParagraphKind::Heading
        } else {
            ParagraphKind::Body
        };
    }
}

fn normalise_for_compare(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(c: &Cleaned) -> Vec<&str> {
        c.paragraphs.iter().map(|p| p.span.slice(&c.text)).collect()
    }

    fn rules() -> &'static BoilerplateRules {
        BoilerplateRules::builtin()
    }

    #[test]
    fn clean_joins_hard_wrapped_lines_and_splits_indented_paragraphs() {
        let body = "MONTREAL, March 2 - The exchange said it named\nJane Roe, head of the fund,\nas its new president.\n    Roe replaces the former head,\nwho resigned in January.\n";
        let c = clean(body, LineBreaks::Detect, rules(), None);
        assert_eq!(
            paras(&c),
            vec![
                "MONTREAL, March 2 - The exchange said it named Jane Roe, head of the fund, as its new president.",
                "Roe replaces the former head, who resigned in January."
            ]
        );
    }

    #[test]
    fn clean_keeps_long_lines_as_paragraphs() {
        let long = "a".repeat(120);
        let body = format!("{long} one.\n{long} two.");
        let c = clean(&body, LineBreaks::Detect, rules(), None);
        assert_eq!(c.paragraphs.len(), 2);
    }

    #[test]
    fn clean_removes_promos_and_keeps_subhead_as_heading() {
        let body = "The talks opened on Monday.\n\nGRAIN TALKS STALL AS INSURERS PULL BACK\n\nSanctions\n\nThe ban holds.\n\nCLICK HERE TO GET THE ANNALS WIRE APP\n\nIt ended.";
        let c = clean(body, LineBreaks::Detect, rules(), None);
        assert_eq!(
            paras(&c),
            vec![
                "The talks opened on Monday.",
                "Sanctions",
                "The ban holds.",
                "It ended."
            ]
        );
        assert_eq!(c.paragraphs[1].kind, ParagraphKind::Heading);
        assert_eq!(c.paragraphs[0].kind, ParagraphKind::Body);
        let reasons: Vec<&str> = c.removed.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(reasons, vec!["promo", "promo"]);
        assert!(c.removed[0]
            .rule
            .to_string()
            .starts_with("boilerplate.txt:"));
        assert!(!c.text.contains("CLICK"));
    }

    #[test]
    fn clean_drops_headline_repeated_at_top() {
        let c = clean(
            "Ministers Meet\nThe ministers met.",
            LineBreaks::Paragraphs,
            rules(),
            Some("Ministers meet"),
        );
        assert_eq!(paras(&c), vec!["The ministers met."]);
        assert_eq!(c.removed[0].reason, "headline");
    }

    #[test]
    fn clean_makes_list_items_their_own_paragraphs() {
        let body = "The union demands:\n- a 5 percent raise\n- safer cranes\n";
        let c = clean(body, LineBreaks::Detect, rules(), None);
        let kinds: Vec<ParagraphKind> = c.paragraphs.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ParagraphKind::Body,
                ParagraphKind::ListItem,
                ParagraphKind::ListItem
            ]
        );
    }

    #[test]
    fn raw_paragraphs_index_the_input_exactly() {
        let t = "  First para\nwraps here.\n\n\nSecond.\n  Indented third.\n";
        let ps = raw_paragraphs(t);
        let got: Vec<&str> = ps.iter().map(|p| p.span.slice(t)).collect();
        assert_eq!(
            got,
            vec!["First para\nwraps here.", "Second.", "Indented third."]
        );
    }
}
