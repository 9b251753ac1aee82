//! In-document coreference: later mentions point at the first mention of the same
//! thing and inherit its actor code.
//!
//! * Names: the same name again, a surname after a full name ("Vladimir Putin" …
//!   "Putin"), or another name the knowledge base gives the same canonical form.
//! * Singular pronouns (he, his, she, her): in their own sentence, the first
//!   person mentioned before them that is not a possessive modifier ("Putin's
//!   visit … by Sergei Shoigu, where he" → Shoigu); otherwise the first such person
//!   of the nearest earlier sentence that has one (the subject, usually).
//!   Plural pronouns are left unresolved rather than guessed.
//! * Titles alone ("the president", "the ministry"): the nearest earlier mention
//!   of a person or organisation whose actor has the title's sector.

use crate::mentions::Mention;
use annals_doc::{Document, EntityType};
use annals_kb::EntryKind;

/// How far back (in sentences) a pronoun or title looks for its antecedent.
const LOOKBACK: usize = 5;

fn is_name(kind: EntityType) -> bool {
    !matches!(kind, EntityType::Pronoun | EntityType::Nominal)
}

/// What a name is compared by: its words, and its knowledge-base identity (canonical
/// name and code) when it has one. Taken once per mention, not once per pair.
struct NameKey<'a> {
    words: Vec<&'a str>,
    canon: Option<String>,
}

impl<'a> NameKey<'a> {
    fn of(doc: &'a Document, m: &Mention) -> NameKey<'a> {
        let canon =
            m.kb.iter()
                .find(|e| {
                    matches!(
                        e.kind,
                        EntryKind::Person | EntryKind::Organisation | EntryKind::Country
                    )
                })
                .map(|e| format!("{}|{}", e.canonical, e.code));
        NameKey {
            words: m.entity.span.slice(&doc.text).split_whitespace().collect(),
            canon,
        }
    }
}

/// Whether later name `b` can be a repeat of earlier name `a` (`ka`, `kb` their keys).
fn same_name(a: &Mention, b: &Mention, ka: &NameKey, kb: &NameKey) -> bool {
    if a.entity.kind != b.entity.kind {
        return false;
    }
    let (wa, wb) = (&ka.words, &kb.words);
    if wa == wb {
        return true;
    }
    if a.entity.kind == EntityType::Person && wb.len() < wa.len() && wa.ends_with(wb) {
        return true;
    }
    matches!((&ka.canon, &kb.canon), (Some(x), Some(y)) if x == y)
}

/// Resolve references in `ms` (text order) and propagate actor codes.
pub fn resolve(doc: &Document, ms: &mut [Mention]) {
    // Spans and knowledge-base entries do not change below; only links and codes do.
    let keys: Vec<NameKey> = ms.iter().map(|m| NameKey::of(doc, m)).collect();
    for k in 0..ms.len() {
        let kind = ms[k].entity.kind;
        let target = if is_name(kind) {
            (0..k).find(|&j| {
                is_name(ms[j].entity.kind) && same_name(&ms[j], &ms[k], &keys[j], &keys[k])
            })
        } else if kind == EntityType::Pronoun {
            if ms[k].singular {
                pronoun_antecedent(ms, k)
            } else {
                None
            }
        } else {
            nominal_antecedent(doc, ms, k)
        };
        let Some(j) = target else { continue };
        // Point at the first mention of the chain.
        let head = ms[j].entity.refers_to.unwrap_or(j);
        ms[k].entity.refers_to = Some(head);
        // A mention coded by its own context keeps that code ("Belarusian armed
        // forces" after "Belarusian President"); one without inherits the chain's.
        if ms[k].entity.actor.is_none() {
            ms[k].entity.actor = ms[head].entity.actor.clone();
        } else if ms[head].entity.actor.is_none() && is_name(kind) {
            // A later, better-described mention codes the whole chain.
            let a = ms[k].entity.actor.clone();
            ms[head].entity.actor = a;
        }
    }
}

/// Whether mention `m` can be a person antecedent for a pronoun.
fn person_like(ms: &[Mention], m: &Mention) -> bool {
    match m.entity.kind {
        EntityType::Person => true,
        EntityType::Pronoun => {
            m.singular
                && m.entity
                    .refers_to
                    .is_some_and(|h| ms[h].entity.kind == EntityType::Person)
        }
        _ => false,
    }
}

fn pronoun_antecedent(ms: &[Mention], k: usize) -> Option<usize> {
    let s = ms[k].sentence;
    let before: Vec<usize> = (0..k)
        .filter(|&j| ms[j].sentence == s && person_like(ms, &ms[j]))
        .collect();
    if let Some(&j) = before.iter().find(|&&j| !ms[j].possessive) {
        return Some(j);
    }
    if let Some(&j) = before.first() {
        return Some(j);
    }
    let earliest = s.saturating_sub(LOOKBACK);
    for prev in (earliest..s).rev() {
        let cands: Vec<usize> = (0..k)
            .filter(|&j| ms[j].sentence == prev && person_like(ms, &ms[j]))
            .collect();
        if let Some(&j) = cands.iter().find(|&&j| !ms[j].possessive).or(cands.first()) {
            return Some(j);
        }
    }
    None
}

/// Whether the chain head `h` was introduced with `role` ("President Ivo
/// Tamsen", "the Bessian president, Ivo Tamsen") or is listed with it.
fn introduced_as(doc: &Document, ms: &[Mention], h: usize, role: &str) -> bool {
    let m = &ms[h];
    if m.kb.iter().any(|e| e.note.to_lowercase().contains(role)) {
        return true;
    }
    let Some(tokens) = &doc.tokens else {
        return false;
    };
    let word = |i: usize| tokens[i].span.slice(&doc.text).to_lowercase();
    let from = m.first_token.saturating_sub(4);
    // An apposition ", the Bessian president," — not a relative clause ", who …".
    let apposition = m.end_token + 1 < tokens.len()
        && word(m.end_token) == ","
        && !matches!(
            word(m.end_token + 1).as_str(),
            "who" | "which" | "that" | "where" | "whose"
        );
    let after_end = if apposition {
        (m.end_token + 6).min(tokens.len())
    } else {
        m.end_token
    };
    let after =
        (m.end_token + 1..after_end).take_while(|&i| !matches!(word(i).as_str(), "," | "."));
    (from..m.first_token).chain(after).any(|i| word(i) == role)
}

fn nominal_antecedent(doc: &Document, ms: &[Mention], k: usize) -> Option<usize> {
    let role = ms[k].kb.first()?;
    let sector = role.code.clone();
    let word = role.phrase.to_lowercase();
    let earliest = ms[k].sentence.saturating_sub(LOOKBACK);
    let cands: Vec<usize> = (0..k)
        .rev()
        .filter(|&j| {
            ms[j].sentence >= earliest
                && matches!(ms[j].entity.kind, EntityType::Person | EntityType::Org)
                && ms[j]
                    .entity
                    .actor
                    .as_ref()
                    .is_some_and(|a| a.sector.as_deref() == Some(sector.as_str()))
        })
        .collect();
    // The nearest one introduced with this very title, else the nearest of the sector.
    cands
        .iter()
        .copied()
        .find(|&j| introduced_as(doc, ms, ms[j].entity.refers_to.unwrap_or(j), &word))
        .or(cands.first().copied())
}
