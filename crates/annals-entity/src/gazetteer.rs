//! The tagger's phrase lists, drawn from the knowledge base and the place table.
//! Training (`annals train-ner`) and tagging must use the same lists.

use annals_kb::{ActorBase, EntryKind, PlaceTable};
use annals_ner::Gazetteer;

/// Build the tagger's gazetteer: categories `country`, `demonym`, `capital`,
/// `person`, `surname`, `org`, `bigcity` (≥ 100,000 people), `city`, `region`,
/// `continent`.
pub fn build(actors: &ActorBase, places: &PlaceTable) -> Gazetteer {
    // Categories are fixed up front, so the order phrases arrive in does not matter:
    // the result is the same set of (phrase, categories) on every run.
    let mut g = Gazetteer::with_categories(&[
        "country",
        "demonym",
        "capital",
        "person",
        "surname",
        "org",
        "bigcity",
        "city",
        "region",
        "continent",
    ]);
    for e in actors.entries() {
        let cat = match e.kind {
            EntryKind::Country => "country",
            EntryKind::Demonym => "demonym",
            EntryKind::Capital => "capital",
            EntryKind::Person => "person",
            EntryKind::Organisation => "org",
            EntryKind::Role => continue,
        };
        g.add(cat, &e.phrase);
        if e.kind == EntryKind::Person {
            if let Some(last) = e.canonical.rsplit(' ').next() {
                g.add("surname", last);
            }
        }
    }
    for (name, rows) in places.names() {
        for r in rows {
            let cat = if r.is_country() {
                "country"
            } else if r.is_admin1() {
                "region"
            } else if r.class == 'L' && r.code == "CONT" {
                "continent"
            } else if r.class == 'P' && r.population >= 100_000 {
                "bigcity"
            } else if r.class == 'P' {
                "city"
            } else {
                continue;
            };
            g.add(cat, name);
        }
    }
    g
}
