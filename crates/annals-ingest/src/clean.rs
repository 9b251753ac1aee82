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

use crate::boilerplate::{word_count, BoilerplateRules, Neighbours};
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
/// `title`, when given, drops one of the first three paragraphs that repeats it (the
/// headline is the record's `title`, never part of `text`).
pub fn clean(
    body: &str,
    breaks: LineBreaks,
    rules: &BoilerplateRules,
    title: Option<&str>,
) -> Cleaned {
    let mut pieces = paragraph_pieces(body, breaks);
    let mut fate: Vec<Option<(String, Rule)>> = vec![None; pieces.len()];
    let mut removed_text: Vec<Option<String>> = vec![None; pieces.len()];

    // An extractor's fallback path can return one unsegmented blob that repeats itself;
    // only then are long repeated runs cut (ordinary text may legitimately repeat).
    if pieces.iter().any(|p| p.len() > 2000) {
        for (i, cut) in dedupe_long_runs(&mut pieces) {
            removed_text[i] = Some(match removed_text[i].take() {
                Some(t) => t + " … " + &cut,
                None => cut,
            });
        }
    }
    if let Some(t) = title {
        if let Some(i) = repeated_headline(&pieces, t) {
            fate[i] = Some(("headline".into(), Rule::new("ingest:headline", 0)));
        }
    }
    // Forward pass: every rule but the {tail} ones.
    let mut lead = true;
    let mut i = 0;
    while i < pieces.len() {
        if fate[i].is_some() {
            i += 1;
            continue;
        }
        let around = Neighbours {
            prev: i.checked_sub(1).map(|k| pieces[k].as_str()),
            next: pieces.get(i + 1).map(String::as_str),
            lead,
            tail: false,
        };
        if let Some(v) = rules.judge(&pieces[i], around) {
            fate[i] = Some((v.reason.to_string(), v.rule.clone()));
            if v.block {
                let mut k = i + 1;
                while k < pieces.len() && fate[k].is_none() && is_title_like(&pieces[k]) {
                    fate[k] = Some((v.reason.to_string(), v.rule.clone()));
                    k += 1;
                }
                i = k;
                continue;
            }
        } else if lead && is_real_paragraph(&pieces[i]) {
            lead = false;
        }
        i += 1;
    }
    // Backward pass: trailing furniture, from the end while rules keep firing.
    for i in (0..pieces.len()).rev() {
        if fate[i].is_some() {
            continue;
        }
        let around = Neighbours {
            prev: i.checked_sub(1).map(|k| pieces[k].as_str()),
            next: None,
            lead: false,
            tail: true,
        };
        match rules.judge(&pieces[i], around) {
            Some(v) => fate[i] = Some((v.reason.to_string(), v.rule.clone())),
            None => break,
        }
    }

    let mut out = Cleaned::default();
    for (i, piece) in pieces.into_iter().enumerate() {
        if let Some(cut) = removed_text[i].take() {
            out.removed.push(Removed {
                text: cut,
                reason: "duplicate".into(),
                rule: Rule::new("ingest:dedupe", 0),
                at: out.text.len(),
            });
        }
        if piece.is_empty() {
            continue;
        }
        if let Some((reason, rule)) = fate[i].take() {
            out.removed.push(Removed {
                text: piece,
                reason,
                rule,
                at: out.text.len(),
            });
            continue;
        }
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
        }
        let start = out.text.len();
        out.text.push_str(&piece);
        out.paragraphs.push(Paragraph {
            span: Span::new(start, out.text.len()),
            kind: ParagraphKind::Body,
        });
    }
    assign_kinds(&out.text, &mut out.paragraphs);
    out
}

/// A paragraph of story text: 8+ words, or 6+ ending like a sentence.
fn is_real_paragraph(p: &str) -> bool {
    let w = word_count(p);
    w >= 8 || (w >= 6 && ends_like_sentence(p))
}

fn ends_like_sentence(p: &str) -> bool {
    p.trim_end()
        .ends_with(['.', '!', '?', '…', ':', ';', '"', '”', '’', ')', ']'])
}

/// A line in a list of story links: 20 words or fewer, not ending in . ! ? or :.
fn is_title_like(p: &str) -> bool {
    let w = word_count(p);
    let t = p.trim_end().trim_end_matches(['"', '”', '’']);
    (1..=20).contains(&w) && !t.ends_with(['.', '!', '?', ':'])
}

fn lower_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Index of a paragraph among the first three that repeats the headline: 85% of its
/// words are headline words and it covers 60% of the headline's words.
fn repeated_headline(pieces: &[String], title: &str) -> Option<usize> {
    let tw: std::collections::HashSet<String> = lower_words(title).into_iter().collect();
    if tw.is_empty() {
        return None;
    }
    pieces.iter().take(3).position(|p| {
        let pw = lower_words(p);
        if pw.is_empty() || pw.len() > 30 {
            return false;
        }
        let inside = pw.iter().filter(|w| tw.contains(*w)).count() as f64 / pw.len() as f64;
        let distinct: std::collections::HashSet<&String> = pw.iter().collect();
        let covered = distinct.iter().filter(|w| tw.contains(**w)).count() as f64 / tw.len() as f64;
        inside >= 0.85 && covered >= 0.6
    })
}

/// Cut runs of 40+ words whose every 10-word window already appeared earlier.
/// Returns (piece index, text cut) for each cut; pieces are edited in place.
fn dedupe_long_runs(pieces: &mut [String]) -> Vec<(usize, String)> {
    const N: usize = 10;
    const MIN_RUN: usize = 40;
    // Words with (piece, byte start, byte end).
    let mut words: Vec<(usize, usize, usize, String)> = Vec::new();
    for (pi, p) in pieces.iter().enumerate() {
        let mut start = None;
        for (b, c) in p.char_indices().chain(std::iter::once((p.len(), ' '))) {
            if c.is_alphanumeric() || c == '_' {
                start.get_or_insert(b);
            } else if let Some(s) = start.take() {
                words.push((pi, s, b, p[s..b].to_lowercase()));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut repeated = vec![false; words.len()];
    for i in 0..words.len().saturating_sub(N - 1) {
        let key: Vec<&str> = words[i..i + N].iter().map(|w| w.3.as_str()).collect();
        if !seen.insert(key) {
            repeated[i..i + N].iter_mut().for_each(|r| *r = true);
        }
    }
    // Collect cuts per piece as byte ranges (a run may span pieces: cut each part).
    let mut cuts: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !repeated[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < words.len() && repeated[j] {
            j += 1;
        }
        if j - i >= MIN_RUN {
            let mut k = i;
            while k < j {
                let pi = words[k].0;
                let mut e = k;
                while e + 1 < j && words[e + 1].0 == pi {
                    e += 1;
                }
                cuts.push((pi, words[k].1, words[e].2));
                k = e + 1;
            }
        }
        i = j;
    }
    let mut out = Vec::new();
    for &(pi, s, e) in cuts.iter().rev() {
        let cut = pieces[pi][s..e].to_string();
        let mut rest = pieces[pi][..s].trim_end().to_string();
        let tail = pieces[pi][e..].trim_start();
        if !rest.is_empty() && !tail.is_empty() {
            rest.push(' ');
        }
        rest.push_str(tail);
        pieces[pi] = rest;
        out.push((pi, cut));
    }
    out.reverse();
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
    let span = Span::new(start, end).trim(text);
    if !span.is_empty() {
        out.push(Paragraph {
            span,
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
    fn clean_removes_a_related_block_and_trailing_contact_line() {
        let body = "The ministers met on Tuesday and agreed on a monitoring plan for the truce.\nRelated\nTruce holds in the north\nAid convoys reach the port\nThe plan takes effect next week, officials said.\nJane Doe may be reached at the desk.";
        let c = clean(body, LineBreaks::Paragraphs, rules(), None);
        assert_eq!(
            paras(&c),
            vec![
                "The ministers met on Tuesday and agreed on a monitoring plan for the truce.",
                "The plan takes effect next week, officials said."
            ]
        );
        let reasons: Vec<&str> = c.removed.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(reasons, vec!["related", "related", "related", "tail"]);
    }

    #[test]
    fn clean_cuts_long_repeats_only_inside_a_blob() {
        let sentence = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty. ";
        let blob = format!("{}{}", sentence.repeat(3), "x ".repeat(1200));
        let c = clean(&blob, LineBreaks::Paragraphs, rules(), None);
        assert_eq!(c.text.matches("seventeen").count(), 1);
        assert_eq!(c.removed[0].reason, "duplicate");
        // Without a blob, repeated text stays.
        let short = sentence.repeat(3);
        let c = clean(&short, LineBreaks::Paragraphs, rules(), None);
        assert_eq!(c.text.matches("seventeen").count(), 3);
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
