//! Acceptance on the founding article (`../shared/seed`): promos removed, the subhead its
//! own paragraph, sentences inside paragraphs, quotation marks closing in order, and the
//! same body from the article's HTML page. Skips when the shared seed is absent.

mod util;

use std::collections::HashMap;
use util::{cp_slice, paragraphs_of_kind, records, run, spans};

const SEED_TXT: &str = "../../../shared/seed/000_8ab0496816fbf274.txt";
const SEED_HTML: &str = "../../../shared/seed/seed-page.html";

fn seed_path(rel: &str) -> Option<String> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if p.exists() {
        Some(p.display().to_string())
    } else {
        eprintln!(
            "skipping: {} not found (the shared seed is not on this machine)",
            p.display()
        );
        None
    }
}

fn analyze(path: &str) -> serde_json::Value {
    let out = run(&["analyze", path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    records(&out.stdout).remove(0)
}

/// Lines of the input that are written entirely in capitals (the seed's promos) or are
/// an app banner: found from the input itself, not written into the test.
fn promo_lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| {
            l.split_whitespace().count() >= 5
                && !l.chars().any(|c| c.is_lowercase())
                && l.chars().any(|c| c.is_uppercase())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn seed_promos_are_removed_and_listed() {
    let Some(path) = seed_path(SEED_TXT) else {
        return;
    };
    let raw = std::fs::read_to_string(&path).unwrap();
    let promos = promo_lines(&raw);
    assert_eq!(
        promos.len(),
        3,
        "the seed has three all-capital promo lines: {promos:?}"
    );
    let rec = analyze(&path);
    let text = rec["text"].as_str().unwrap();
    let removed: Vec<&str> = rec["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    for p in &promos {
        assert!(
            removed.contains(&p.as_str()),
            "{p:?} not in removed {removed:?}"
        );
        assert!(!text.contains(p.as_str()), "{p:?} still in text");
    }
    for r in rec["removed"].as_array().unwrap() {
        assert!(r["rule"].as_str().unwrap().starts_with("boilerplate.txt:"));
    }
}

#[test]
fn seed_subhead_is_its_own_paragraph_and_sentences_stay_inside_paragraphs() {
    let Some(path) = seed_path(SEED_TXT) else {
        return;
    };
    let rec = analyze(&path);
    let text = rec["text"].as_str().unwrap();
    let paras = spans(&rec, "paragraphs");
    let headings = paragraphs_of_kind(&rec, "heading");
    // The one short, unpunctuated line of the seed is its subhead.
    let raw = std::fs::read_to_string(&path).unwrap();
    let subheads: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && l.split_whitespace().count() == 1 && l.chars().all(char::is_alphabetic)
        })
        .collect();
    assert_eq!(subheads.len(), 1);
    assert_eq!(headings, vec![subheads[0].to_string()]);
    for (s, e) in spans(&rec, "sentences") {
        assert!(
            paras.iter().any(|&(ps, pe)| ps <= s && e <= pe),
            "sentence {:?} crosses a paragraph",
            cp_slice(text, s, e)
        );
    }
}

/// Every quotation mark closes in the sentence that opened it or a later one of the same
/// paragraph: no sentence starts with a closing mark, no paragraph ends inside a quote.
fn check_quotes(rec: &serde_json::Value) {
    let text = rec["text"].as_str().unwrap();
    let sents = spans(rec, "sentences");
    for (ps, pe) in spans(rec, "paragraphs") {
        let mut open = false;
        for &(s, e) in sents.iter().filter(|&&(s, e)| ps <= s && e <= pe) {
            let sent = cp_slice(text, s, e);
            for (i, c) in sent.chars().enumerate() {
                let closing = match c {
                    '"' => open,
                    '”' => true,
                    '“' => false,
                    _ => continue,
                };
                assert!(
                    !(closing && i == 0),
                    "sentence starts with a closing quote: {sent:?}"
                );
                open = !closing;
            }
        }
        assert!(
            !open,
            "paragraph ends inside a quote: {:?}",
            cp_slice(text, ps, pe)
        );
    }
}

#[test]
fn seed_quotation_marks_close_within_their_paragraph() {
    let Some(path) = seed_path(SEED_TXT) else {
        return;
    };
    check_quotes(&analyze(&path));
}

fn shingles(t: &str) -> HashMap<Vec<String>, usize> {
    let words: Vec<String> = t
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut m = HashMap::new();
    for w in words.windows(4) {
        *m.entry(w.to_vec()).or_insert(0) += 1;
    }
    m
}

fn shingle_f1(gold: &str, got: &str) -> f64 {
    let (a, b) = (shingles(gold), shingles(got));
    let tp: usize = a
        .iter()
        .map(|(k, n)| (*n).min(*b.get(k).unwrap_or(&0)))
        .sum();
    let (na, nb): (usize, usize) = (a.values().sum(), b.values().sum());
    let (p, r) = (tp as f64 / nb.max(1) as f64, tp as f64 / na.max(1) as f64);
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn meta_content(html: &str, key: &str) -> Option<String> {
    let at = html.find(&format!("\"{key}\""))?;
    let rest = &html[at..];
    let c = rest.find("content=\"")? + 9;
    let end = rest[c..].find('"')?;
    Some(rest[c..c + end].to_string())
}

#[test]
fn seed_page_gives_the_same_body_title_and_date() {
    let (Some(txt), Some(html_path)) = (seed_path(SEED_TXT), seed_path(SEED_HTML)) else {
        return;
    };
    let body = analyze(&txt)["text"].as_str().unwrap().to_string();
    let rec = analyze(&html_path);
    let f1 = shingle_f1(&body, rec["text"].as_str().unwrap());
    assert!(f1 >= 0.98, "4-gram shingle F1 {f1:.3} < 0.98");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert_eq!(
        rec["title"].as_str(),
        meta_content(&html, "og:title").as_deref()
    );
    let published = meta_content(&html, "article:published_time").unwrap();
    assert_eq!(rec["date"].as_str(), Some(&published[..10]));
    assert_eq!(rec["date_source"], "metadata");
    check_quotes(&rec);
    eprintln!("seed-page body shingle F1 = {f1:.4}");
}
