//! The example articles the project ships (`examples/articles`): cleaning, paragraphs,
//! sentences and offsets, end to end through the binary.

mod util;

use util::{cp_slice, paragraphs_of_kind, records, run, run_with_stdin, spans, texts};

fn example(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/articles")
        .join(name)
        .display()
        .to_string()
}

fn analyze(args: &[&str]) -> Vec<serde_json::Value> {
    let out = run(args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    records(&out.stdout)
}

fn removed(rec: &serde_json::Value) -> Vec<(String, String)> {
    rec["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["reason"].as_str().unwrap().to_string(),
                r["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Offsets hold: every span slices the text in code points, sentences are trimmed,
/// ordered, inside paragraphs, and what lies between them is whitespace.
fn check_offsets(rec: &serde_json::Value) {
    let text = rec["text"].as_str().unwrap();
    let n = text.chars().count();
    let paras = spans(rec, "paragraphs");
    let mut last = 0;
    for (a, b) in spans(rec, "sentences") {
        assert!(a < b && b <= n);
        assert!(
            cp_slice(text, last, a).trim().is_empty(),
            "non-space gap before sentence at {a}"
        );
        let sent = cp_slice(text, a, b);
        assert_eq!(sent.trim(), sent);
        assert!(paras.iter().any(|&(ps, pe)| ps <= a && b <= pe));
        last = b;
    }
    assert!(cp_slice(text, last, n).trim().is_empty());
    // Every annotation of every layer slices the text to its own `text`.
    for layer in ["entities", "timexes", "places", "quotes"] {
        for x in rec[layer].as_array().into_iter().flatten() {
            let (a, b) = (
                x["start"].as_u64().unwrap() as usize,
                x["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                cp_slice(text, a, b),
                x["text"].as_str().unwrap(),
                "{layer}: {x}"
            );
            if let Some(sp) = x.get("speaker").filter(|s| !s.is_null()) {
                let (a, b) = (
                    sp["start"].as_u64().unwrap() as usize,
                    sp["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(
                    cp_slice(text, a, b),
                    sp["text"].as_str().unwrap(),
                    "speaker: {sp}"
                );
            }
        }
    }
    // An event's predicate and actors slice the text to their own words, inside the
    // event's sentence.
    let at = |x: &serde_json::Value, a: &str, b: &str| {
        (
            x[a].as_u64().unwrap() as usize,
            x[b].as_u64().unwrap() as usize,
        )
    };
    for e in rec["events"].as_array().into_iter().flatten() {
        let (s, t) = at(e, "start", "end");
        let (a, b) = at(e, "predicate_start", "predicate_end");
        assert!(s <= a && b <= t, "{e}");
        assert_eq!(
            cp_slice(text, a, b),
            e["predicate"].as_str().unwrap(),
            "{e}"
        );
        for side in ["source", "target"] {
            if let Some(x) = e.get(side).filter(|x| !x.is_null()) {
                let (a, b) = at(x, "start", "end");
                assert_eq!(cp_slice(text, a, b), x["text"].as_str().unwrap(), "{e}");
            }
        }
    }
}

#[test]
fn example_text_removes_furniture_and_keeps_subhead() {
    let rec = &analyze(&["analyze", &example("summit-in-valletta.txt")])[0];
    let reasons: Vec<String> = removed(rec).into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        reasons,
        vec![
            "credit",
            "promo",
            "promo",
            "advertisement",
            "related",
            "newsletter"
        ]
    );
    assert_eq!(paragraphs_of_kind(rec, "heading"), vec!["Ceasefire terms"]);
    let text = rec["text"].as_str().unwrap();
    for (_, t) in removed(rec) {
        assert!(!text.contains(&t));
    }
    check_offsets(rec);
}

#[test]
fn example_sentences_respect_abbreviations_quotes_and_datelines() {
    let rec = &analyze(&["analyze", &example("summit-in-valletta.txt")])[0];
    let sents = texts(rec, "sentences");
    assert_eq!(sents[0], "VALLETTA, Malta (Annals Wire) -");
    for s in &sents {
        for bad_end in ["Gen.", "Sen.", "Mr.", "No.", "Dec.", "J."] {
            assert!(
                !s.ends_with(bad_end),
                "sentence ends at an abbreviation: {s:?}"
            );
        }
        assert!(!s.starts_with('\u{201d}') && !s.starts_with(", "), "{s:?}");
    }
    assert!(sents
        .iter()
        .any(|s| s.starts_with("U.S. Sen. Robert Haldane")));
}

#[test]
fn example_html_gives_the_text_version_body_and_metadata() {
    let txt = &analyze(&["analyze", &example("summit-in-valletta.txt")])[0];
    let html = &analyze(&["analyze", &example("summit-in-valletta.html")])[0];
    assert_eq!(
        html["title"],
        "Ministers agree on monitoring plan for Kestria truce at Valletta summit"
    );
    assert_eq!(html["date"], "2026-03-10");
    assert_eq!(html["date_source"], "metadata");
    assert_eq!(
        html["meta"]["canonical_url"],
        "https://news.example.org/world/2026/03/10/valletta-summit"
    );
    assert_eq!(html["meta"]["author"], "Daniel Grech");
    assert_eq!(html["meta"]["language"], "en");
    let words = |v: &serde_json::Value| -> Vec<String> {
        v["text"]
            .as_str()
            .unwrap()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(words(html), words(txt));
    assert_eq!(paragraphs_of_kind(html, "heading"), vec!["Ceasefire terms"]);
    check_offsets(html);
}

#[test]
fn example_list_items_and_removals_in_second_story() {
    let rec = &analyze(&["analyze", &example("harbour-strike.txt")])[0];
    assert_eq!(paragraphs_of_kind(rec, "list_item").len(), 4);
    let reasons: Vec<String> = removed(rec).into_iter().map(|(r, _)| r).collect();
    assert_eq!(reasons, vec!["related", "share"]);
    check_offsets(rec);
}

#[test]
fn jsonl_batch_keeps_order_ids_dates_and_reads_html_lines() {
    let recs = analyze(&["analyze", &example("batch.jsonl")]);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        vec!["annals-2026-0001", "annals-2026-0002", "annals-2026-0003"]
    );
    for r in &recs {
        assert_eq!(r["date_source"], "given");
        check_offsets(r);
    }
    assert_eq!(recs[2]["meta"]["format"], "html");
    // The extractor or the rules drop the READ MORE line; either way it is not text.
    assert!(!recs[2]["text"].as_str().unwrap().contains("READ MORE"));
}

#[test]
fn directories_are_read_recursively_in_name_order() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let out = run(&["analyze", "--format", "text", &dir.display().to_string()]);
    // batch.jsonl is read as one text too when --format text is forced.
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 4, "{}", out.stderr);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

#[test]
fn stdin_and_raw_keep_offsets_on_the_input() {
    let input =
        "CLICK HERE TO GET THE ANNALS WIRE APP\n\nÉlysée officials met on Dec. 13. They agreed.\n";
    let out = run_with_stdin(
        &["analyze", "--raw", "--date", "2026-01-05", "-"],
        input.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rec = &records(&out.stdout)[0];
    assert_eq!(rec["text"], input);
    assert_eq!(rec["id"], "<stdin>");
    assert_eq!(rec["date"], "2026-01-05");
    assert_eq!(
        texts(rec, "sentences")[1],
        "Élysée officials met on Dec. 13."
    );
    check_offsets(rec);
}

#[test]
fn tokens_are_written_on_request_with_code_point_offsets() {
    let out = run_with_stdin(
        &["analyze", "--tokens"],
        "Zaluzhniy’s 200,000 troops.".as_bytes(),
    );
    let rec = &records(&out.stdout)[0];
    let toks = texts(rec, "tokens");
    assert_eq!(toks, vec!["Zaluzhniy", "’s", "200,000", "troops", "."]);
}

#[test]
fn output_is_deterministic_across_thread_counts() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let d = dir.display().to_string();
    let one = run(&["analyze", "-j", "1", &d]);
    let two = run(&["analyze", "-j", "2", &d]);
    assert_eq!(one.stdout, two.stdout);
}
