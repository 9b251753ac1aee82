//! The boilerplate rules must not fire on real body text. The benchmark corpus
//! (`../shared/data/corpus/news_text.jsonl`: Reuters-21578, BBC 2004–05, PolNeAR 2016) is
//! article bodies without page furniture, so every paragraph a rule removes there is
//! counted, printed by rule, and held under a small ceiling. Skips when the corpus is absent.

use annals_ingest::clean::{clean, LineBreaks};
use annals_ingest::BoilerplateRules;
use std::collections::BTreeMap;
use std::io::BufRead;

#[test]
fn boilerplate_rules_leave_corpus_body_text_alone() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/corpus/news_text.jsonl");
    let Ok(file) = std::fs::File::open(&path) else {
        eprintln!(
            "skipping: {} not found (shared corpus absent)",
            path.display()
        );
        return;
    };
    let rules = BoilerplateRules::builtin();
    let mut docs = 0usize;
    let mut paragraphs = 0usize;
    let mut by_rule: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for line in std::io::BufReader::new(file).lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let text = v["text"].as_str().unwrap_or("");
        // No title is passed: headline removal is not a boilerplate rule.
        let c = clean(text, LineBreaks::Detect, rules, None);
        docs += 1;
        paragraphs += c.paragraphs.len() + c.removed.len();
        for r in c.removed {
            let e = by_rule
                .entry(format!("{} {}", r.rule, r.reason))
                .or_default();
            e.0 += 1;
            if e.1.len() < 3 {
                e.1.push(r.text.chars().take(80).collect());
            }
        }
    }
    let fired: usize = by_rule.values().map(|e| e.0).sum();
    eprintln!("corpus: {docs} documents, {paragraphs} paragraphs, rules removed {fired}");
    for (rule, (n, examples)) in &by_rule {
        eprintln!("  {rule}: {n}  e.g. {examples:?}");
    }
    // Ceiling: one paragraph in 1,000. Most hits are furniture the corpus kept ("Follow …
    // on Twitter", "… via Getty Images", Reuters' "More" continuation marks); see the
    // printed examples.
    assert!(
        fired * 1000 <= paragraphs,
        "rules removed {fired} of {paragraphs} corpus paragraphs"
    );
}
