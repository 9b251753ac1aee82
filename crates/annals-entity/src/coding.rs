//! Actor coding: a CAMEO code `{code, country, sector}` for each mention.
//!
//! In order: a known person's role on the document's date (`people.txt`); a
//! title or role phrase around the name ("Ukraine's top general, Valery
//! Zaluzhniy", "Ukrainian joint forces commander Serhiy Nayev"); an organisation
//! or seat of power; a capital (standing for its government) or a country name or
//! demonym, with the sector of a role word right after it ("Russian forces").
//! Unknown people with no role stay uncoded. Pronouns and later mentions get their
//! code from coreference.

use crate::mentions::Mention;
use annals_doc::{Actor, Document, EntityType, Rule};
use annals_kb::{ActorBase, Day, Entry, EntryKind};

/// Words that may sit between a role and a name without breaking the title
/// ("former" is kept in the title so that it can veto it).
const TITLE_FILLERS: [&str; 13] = [
    "top", "chief", "deputy", "senior", "joint", "acting", "new", "first", "'s", "’s", "of", "the",
    "former",
];

fn actor(country: Option<&str>, sector: Option<&str>, rules: Vec<Rule>) -> Option<Actor> {
    let country = country?;
    let code = format!("{country}{}", sector.unwrap_or(""));
    Some(Actor {
        code,
        country: Some(country.to_string()),
        sector: sector.map(str::to_string),
        rules,
    })
}

fn entry_actor(e: &Entry) -> Option<Actor> {
    if e.country() == Some("IGO") {
        return Some(Actor {
            code: e.code.clone(),
            country: Some("IGO".into()),
            sector: Some("IGO".into()),
            rules: vec![e.rule.clone()],
        });
    }
    actor(e.country(), e.sector(), vec![e.rule.clone()])
}

/// The country a mention stands for, with the line that says so.
fn country_of(m: &Mention) -> Option<(String, Rule)> {
    m.kb.iter()
        .find(|e| {
            matches!(
                e.kind,
                EntryKind::Country
                    | EntryKind::Demonym
                    | EntryKind::Capital
                    | EntryKind::Organisation
            )
        })
        .and_then(|e| Some((e.country()?.to_string(), e.rule.clone())))
}

/// A role phrase ending at token `end` (exclusive), longest first: (start, entry).
fn role_ending_at(
    doc: &Document,
    actors: &ActorBase,
    from: usize,
    end: usize,
) -> Option<(usize, Entry)> {
    let tokens = doc.tokens.as_ref()?;
    for len in (1..=3.min(end - from)).rev() {
        let a = end - len;
        let text = &doc.text[tokens[a].span.start..tokens[end - 1].span.end];
        if let Some(e) = actors.role(text).into_iter().next() {
            return Some((a, e.clone()));
        }
    }
    None
}

/// The role phrase next to mention `k`: before it ("Kremlin spokesman Dmitry
/// Peskov"), or in an apposition after it ("Sergei Aleinik, Belarus's foreign
/// minister"), with the country named in the same title.
fn title_around(doc: &Document, ms: &[Mention], k: usize, actors: &ActorBase) -> Option<Actor> {
    let tokens = doc.tokens.as_ref()?;
    let m = &ms[k];
    let word = |i: usize| tokens[i].span.slice(&doc.text);
    // Token range of the title: walk back from the name, or forward after a comma.
    let sentence_tokens = |i: usize| {
        let s = doc.sentences.as_ref().map(|ss| ss[m.sentence].span);
        s.is_some_and(|s| tokens[i].span.start >= s.start && tokens[i].span.end <= s.end)
    };
    let mut windows: Vec<(usize, usize)> = Vec::new();
    // Before: up to 8 tokens, skipping one comma right before the name.
    {
        let mut end = m.first_token;
        if end > 0 && word(end - 1) == "," {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && end - start < 8 && sentence_tokens(start - 1) {
            let w = word(start - 1);
            let lower = w.to_lowercase();
            let known = !actors.role(w).is_empty()
                || TITLE_FILLERS.contains(&lower.as_str())
                || w.chars().next().is_some_and(char::is_uppercase);
            if !known {
                break;
            }
            start -= 1;
        }
        windows.push((start, end));
    }
    // After: ", <title> ," apposition.
    if m.end_token < tokens.len() && word(m.end_token) == "," {
        let start = m.end_token + 1;
        let mut end = start;
        while end < tokens.len() && end - start < 8 && sentence_tokens(end) && word(end) != "," {
            end += 1;
        }
        windows.push((start, end));
    }
    for (w, (start, end)) in windows.into_iter().enumerate() {
        if start >= end {
            continue;
        }
        // A former office codes nothing about today.
        if (start..end).any(|i| word(i).eq_ignore_ascii_case("former")) {
            continue;
        }
        // The role nearest the name: the last one before it, the first after it.
        let before = w == 0;
        let ends: Vec<usize> = if before {
            (start + 1..=end).rev().collect()
        } else {
            (start + 1..=end).collect()
        };
        let role = ends
            .into_iter()
            .find_map(|e| role_ending_at(doc, actors, start, e));
        let Some((_, role)) = role else { continue };
        // The country: a mention inside the title that names one.
        let country = ms
            .iter()
            .filter(|o| o.first_token >= start && o.end_token <= end)
            .find_map(country_of);
        if let Some((c, crule)) = country {
            return actor(Some(&c), Some(&role.code), vec![role.rule.clone(), crule]);
        }
    }
    None
}

/// Code every mention of `ms` in place.
pub fn code(doc: &Document, ms: &mut [Mention], actors: &ActorBase, day: Option<Day>) {
    let tokens = doc.tokens.as_deref().unwrap_or(&[]);
    for k in 0..ms.len() {
        let m = &ms[k];
        let a = match m.entity.kind {
            EntityType::Person => {
                let mut people: Vec<&Entry> =
                    m.kb.iter()
                        .filter(|e| e.kind == EntryKind::Person)
                        .collect();
                if people.is_empty() && m.end_token - m.first_token == 1 {
                    // A bare surname of exactly one known person.
                    let text = m.entity.span.slice(&doc.text);
                    let by = actors.by_surname(text);
                    let mut names: Vec<&str> = by.iter().map(|e| e.canonical.as_str()).collect();
                    names.dedup();
                    if names.len() == 1 {
                        people = by;
                    }
                }
                people
                    .into_iter()
                    .find(|e| e.holds_on(day))
                    .and_then(entry_actor)
                    .or_else(|| title_around(doc, ms, k, actors))
            }
            EntityType::Org | EntityType::Fac => {
                m.kb.iter()
                    .find(|e| e.kind == EntryKind::Organisation)
                    .and_then(entry_actor)
                    .or_else(|| {
                        m.kb.iter()
                            .find(|e| e.kind == EntryKind::Country)
                            .and_then(|e| actor(e.country(), None, vec![e.rule.clone()]))
                    })
            }
            EntityType::Gpe | EntityType::Norp | EntityType::Loc => {
                let country = m.kb.iter().find(|e| {
                    matches!(
                        e.kind,
                        EntryKind::Country | EntryKind::Demonym | EntryKind::Capital
                    )
                });
                country.and_then(|e| {
                    // A role word right after the name gives the sector: "Russian forces".
                    let mut next = m.end_token;
                    if next < tokens.len()
                        && matches!(tokens[next].span.slice(&doc.text), "'s" | "’s")
                    {
                        next += 1;
                    }
                    let mut best = None;
                    for len in 1..=3 {
                        if next + len > tokens.len() {
                            break;
                        }
                        if let Some((_, r)) = role_ending_at(doc, actors, next, next + len) {
                            best = Some(r);
                        }
                    }
                    match best {
                        Some(r) => actor(
                            e.country(),
                            Some(&r.code),
                            vec![e.rule.clone(), r.rule.clone()],
                        ),
                        None if e.kind == EntryKind::Capital => {
                            actor(e.country(), Some("GOV"), vec![e.rule.clone()])
                        }
                        None => actor(e.country(), None, vec![e.rule.clone()]),
                    }
                })
            }
            _ => None,
        };
        ms[k].entity.actor = a;
    }
}
