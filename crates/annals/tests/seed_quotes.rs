//! Quote acceptance on the founding article (`../shared/seed`): the continuation
//! paragraph is Lukashenko's, "quoted … as saying" is Peskov's (not the agencies'),
//! "He said" resolves to Lukashenko, and every quote with a named speaker names one
//! of the article's speakers. Skips when the shared seed is absent.

mod util;

use serde_json::Value;
use util::{records, run};

const SEED_TXT: &str = "../../../shared/seed/000_8ab0496816fbf274.txt";

fn seed() -> Option<Value> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED_TXT);
    if !p.exists() {
        eprintln!(
            "skipping: {} not found (the shared seed is not on this machine)",
            p.display()
        );
        return None;
    }
    let out = run(&["analyze", "--date", "2022-12-19", &p.display().to_string()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    Some(records(&out.stdout).remove(0))
}

/// The text of the entity a quote's speaker resolves to.
fn speaker_entity<'a>(rec: &'a Value, q: &Value) -> Option<&'a str> {
    let id = q["speaker"]["entity"].as_u64()? as usize;
    rec["entities"][id]["text"].as_str()
}

#[test]
fn seed_speakers_are_resolved() {
    let Some(rec) = seed() else { return };
    let quotes = rec["quotes"].as_array().unwrap();
    assert!(quotes.len() >= 10, "{} quotes", quotes.len());
    // The paragraph in quotation marks with no cue continues Lukashenko.
    let cont: Vec<&Value> = quotes.iter().filter(|q| q["cue"].is_null()).collect();
    assert!(!cont.is_empty());
    for q in cont {
        assert_eq!(speaker_entity(&rec, q), Some("Alexander Lukashenko"), "{q}");
    }
    // "… quoted Peskov as saying …": Peskov, not the agencies.
    let quoted: Vec<&Value> = quotes.iter().filter(|q| q["cue"] == "quoted").collect();
    assert_eq!(quoted.len(), 1);
    assert_eq!(speaker_entity(&rec, quoted[0]), Some("Dmitry Peskov"));
    assert_eq!(quoted[0]["speaker"]["actor"]["code"], "RUSGOV");
    // "He said he would discuss …": Lukashenko, through coreference.
    let he: Vec<&Value> = quotes
        .iter()
        .filter(|q| q["speaker"]["text"] == "He")
        .collect();
    assert!(!he.is_empty());
    for q in he {
        assert_eq!(speaker_entity(&rec, q), Some("Alexander Lukashenko"));
    }
    // Every named speaker is one of the article's.
    let known = [
        "Dmitry Peskov",
        "Serhiy Nayev",
        "Valery Zaluzhniy",
        "Alexander Lukashenko",
        "Pentagon",
        "BelTA",
    ];
    for q in quotes {
        if let Some(e) = speaker_entity(&rec, q) {
            assert!(known.contains(&e), "unexpected speaker {e}: {q}");
        }
    }
}
