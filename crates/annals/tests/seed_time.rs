//! Time acceptance on the founding article (`../shared/seed`): with `--date
//! 2022-12-19` each relative expression the issue lists gets its value; without a
//! date, nothing is invented. Skips when the shared seed is absent.

mod util;

use serde_json::Value;
use util::{records, run};

const SEED_TXT: &str = "../../../shared/seed/000_8ab0496816fbf274.txt";

fn seed(args: &[&str]) -> Option<Value> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED_TXT);
    if !p.exists() {
        eprintln!(
            "skipping: {} not found (the shared seed is not on this machine)",
            p.display()
        );
        return None;
    }
    let path = p.display().to_string();
    let mut all = vec!["analyze"];
    all.extend_from_slice(args);
    all.push(&path);
    let out = run(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    Some(records(&out.stdout).remove(0))
}

/// Values of the timexes whose text contains `needle`.
fn values_of(rec: &Value, needle: &str) -> Vec<Option<String>> {
    rec["timexes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["text"].as_str().unwrap().contains(needle))
        .map(|t| t["value"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn seed_relative_dates_resolve_against_the_given_date() {
    let Some(rec) = seed(&["--date", "2022-12-19"]) else {
        return;
    };
    for (needle, want) in [
        ("Monday", "2022-12-19"),
        ("February", "2022-02"),
        ("Friday", "2022-12-16"),
        ("last week", "2022-W50"),
        ("January", "2023-01"),
        ("spring", "2023-SP"),
        ("Dec. 13", "2022-12-13"),
        ("Dec. 3", "2022-12-03"),
        ("last month", "2022-11"),
    ] {
        let got = values_of(&rec, needle);
        assert!(!got.is_empty(), "{needle}: no timex");
        for v in got {
            assert_eq!(v.as_deref(), Some(want), "{needle}");
        }
    }
    // Every sentence has a reference time.
    let times = rec["sentence_times"].as_array().unwrap();
    assert_eq!(times.len(), rec["sentences"].as_array().unwrap().len());
    assert!(times.iter().all(|t| t.is_string()));
}

#[test]
fn seed_without_a_date_invents_no_value() {
    let Some(rec) = seed(&[]) else { return };
    assert!(rec["date"].is_null(), "the plain-text seed carries no date");
    for t in rec["timexes"].as_array().unwrap() {
        let text = t["text"].as_str().unwrap();
        let Some(v) = t["value"].as_str() else {
            continue;
        };
        // Only what the text itself states may be concrete: explicit years.
        if v.starts_with(|c: char| c.is_ascii_digit()) {
            assert!(text.contains(v), "{text:?} got invented value {v}");
        }
    }
    assert_eq!(
        values_of(&rec, "Dec. 13"),
        vec![Some("XXXX-12-13".to_string())]
    );
    assert!(values_of(&rec, "last month").iter().all(Option::is_none));
}
