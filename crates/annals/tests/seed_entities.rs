//! Entity acceptance on the founding article (`../shared/seed`), analysed with
//! `--date 2022-12-19`: the people, organisations and places the issue lists get
//! the right codes and GeoNames entries, and every later surname and singular
//! pronoun refers back to one of those people with the same code. Skips when the
//! shared seed is absent.

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

fn code(e: &Value) -> Option<&str> {
    e["actor"]["code"].as_str()
}

/// Entities whose text ends with `surname` and is longer than it (the full name).
fn full_names<'a>(ents: &'a [Value], surname: &str) -> Vec<&'a Value> {
    ents.iter()
        .filter(|e| {
            let t = e["text"].as_str().unwrap_or("");
            t.ends_with(surname) && t.len() > surname.len() && e["type"] == "PERSON"
        })
        .collect()
}

#[test]
fn seed_people_and_organisations_are_coded() {
    let Some(rec) = seed() else { return };
    let ents = rec["entities"].as_array().unwrap();
    let expect = [
        ("Putin", &["RUSGOV"][..]),
        ("Lukashenko", &["BLRGOV"]),
        ("Peskov", &["RUSGOV"]),
        ("Lavrov", &["RUSGOV"]),
        ("Makei", &["BLRGOV"]),
        ("Aleinik", &["BLRGOV"]),
        ("Nayev", &["UKRMIL"]),
        ("Zaluzhniy", &["UKRMIL"]),
        ("Shoigu", &["RUSMIL", "RUSGOV"]),
    ];
    for (surname, codes) in expect {
        let full = full_names(ents, surname);
        assert!(!full.is_empty(), "{surname}: no full-name PERSON mention");
        for e in full {
            assert!(
                code(e).is_some_and(|c| codes.contains(&c)),
                "{}: {:?}, want one of {codes:?} ({})",
                e["text"],
                code(e),
                e["actor"]
            );
        }
    }
    for (name, country, sector) in [("Kremlin", "RUS", Some("GOV")), ("Pentagon", "USA", None)] {
        let hits: Vec<&Value> = ents.iter().filter(|e| e["text"] == name).collect();
        assert!(!hits.is_empty(), "{name} not found");
        for e in hits {
            assert_eq!(e["actor"]["country"], country, "{name}: {}", e["actor"]);
            if let Some(s) = sector {
                assert_eq!(e["actor"]["sector"], s, "{name}: {}", e["actor"]);
            }
        }
    }
}

#[test]
fn seed_surnames_and_pronouns_refer_back_with_the_same_code() {
    let Some(rec) = seed() else { return };
    let ents = rec["entities"].as_array().unwrap();
    let people = [
        "Putin",
        "Lukashenko",
        "Peskov",
        "Lavrov",
        "Makei",
        "Aleinik",
        "Nayev",
        "Zaluzhniy",
        "Shoigu",
    ];
    let mut checked = 0;
    for e in ents {
        let t = e["text"].as_str().unwrap();
        let surname = people.contains(&t);
        let pronoun = matches!(t.to_lowercase().as_str(), "he" | "his");
        if !surname && !pronoun {
            continue;
        }
        let r = e["ref"]
            .as_u64()
            .unwrap_or_else(|| panic!("{t} at {} has no ref", e["start"]));
        let head = &ents[r as usize];
        let head_text = head["text"].as_str().unwrap();
        assert!(
            people.iter().any(|p| head_text.ends_with(p)) && head_text.contains(' '),
            "{t} at {} refers to {head_text:?}",
            e["start"]
        );
        if surname {
            assert!(head_text.ends_with(t), "{t} refers to {head_text}");
        }
        assert!(code(head).is_some(), "{head_text} is coded");
        assert_eq!(
            code(e),
            code(head),
            "{t} at {} inherits {head_text}'s code",
            e["start"]
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} later mentions checked");
}

#[test]
fn seed_places_resolve_to_the_right_geonames_entries() {
    let Some(rec) = seed() else { return };
    let places = rec["places"].as_array().unwrap();
    for (name, id) in [
        ("Minsk", 625144),
        ("Kyiv", 703448),
        ("Moscow", 524901),
        ("Belarus", 630336),
    ] {
        let hits: Vec<&Value> = places.iter().filter(|p| p["text"] == name).collect();
        assert!(!hits.is_empty(), "{name}: no place");
        for p in hits {
            assert_eq!(p["geonames_id"], id, "{name}: {p}");
        }
    }
}
