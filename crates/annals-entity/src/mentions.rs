//! Mentions: the tagger's names typed with the knowledge base, knowledge-base
//! names the tagger missed, pronouns, and titles standing alone.

use annals_doc::{Document, Entity, EntityType, Span};
use annals_kb::{ActorBase, Entry, EntryKind, PlaceTable};
use annals_ner::{Mention as Found, NerClass};

/// A mention under construction, with what later steps need to know about it.
#[derive(Debug, Clone)]
pub struct Mention {
    /// The entity as it will be written.
    pub entity: Entity,
    /// Its first token.
    pub first_token: usize,
    /// One past its last token.
    pub end_token: usize,
    /// Its sentence.
    pub sentence: usize,
    /// Knowledge-base entries for its text.
    pub kb: Vec<Entry>,
    /// Followed by a possessive "'s" ("Putin's visit").
    pub possessive: bool,
    /// For a pronoun or title: the number it agrees with (false = plural).
    pub singular: bool,
}

/// Per-token sentence index.
pub fn token_sentences(doc: &Document) -> Vec<usize> {
    let (Some(tokens), Some(sentences)) = (&doc.tokens, &doc.sentences) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(tokens.len());
    let mut s = 0;
    for t in tokens {
        while s + 1 < sentences.len() && t.span.start >= sentences[s].span.end {
            s += 1;
        }
        out.push(s);
    }
    out
}

fn strip_article(text: &str) -> &str {
    text.strip_prefix("the ")
        .or_else(|| text.strip_prefix("The "))
        .or_else(|| text.strip_prefix("THE "))
        .unwrap_or(text)
}

/// The type of a tagger mention, refined by what its text names.
fn refine(class: NerClass, kb: &[Entry], text: &str, places: &PlaceTable) -> EntityType {
    let has = |k: EntryKind| kb.iter().any(|e| e.kind == k);
    // A seat of power or news agency the tagger took for a place or a thing
    // ("the Kremlin", "BelTA") is an organisation.
    if matches!(class, NerClass::Loc | NerClass::Misc)
        && has(EntryKind::Organisation)
        && !has(EntryKind::Country)
        && !has(EntryKind::Capital)
        && !has(EntryKind::Demonym)
    {
        return EntityType::Org;
    }
    match class {
        NerClass::Per => EntityType::Person,
        NerClass::Org => EntityType::Org,
        NerClass::Loc => {
            if has(EntryKind::Country)
                || has(EntryKind::Capital)
                || places
                    .lookup(text)
                    .iter()
                    .any(|r| r.class == 'P' || r.class == 'A')
            {
                EntityType::Gpe
            } else {
                EntityType::Loc
            }
        }
        NerClass::Misc => {
            if has(EntryKind::Demonym) || places.demonym(text).is_some() {
                EntityType::Norp
            } else {
                EntityType::Misc
            }
        }
    }
}

const PRONOUNS: [(&str, bool); 9] = [
    ("he", true),
    ("him", true),
    ("his", true),
    ("she", true),
    ("her", true),
    ("hers", true),
    ("they", false),
    ("them", false),
    ("their", false),
];

/// Build the mention list of `doc` from the tagger's mentions, in text order.
pub fn build(
    doc: &Document,
    found: &[Found],
    actors: &ActorBase,
    places: &PlaceTable,
) -> Vec<Mention> {
    let Some(tokens) = &doc.tokens else {
        return Vec::new();
    };
    let sent_of = token_sentences(doc);
    let word = |i: usize| tokens[i].span.slice(&doc.text);
    let possessive =
        |end: usize| end < tokens.len() && matches!(word(end), "'s" | "’s" | "'" | "’");
    let mut taken = vec![false; tokens.len()];
    let mut out = Vec::new();
    let abbreviations = annals_text::SegmentationRules::builtin();
    for f in found {
        let text = strip_article(f.span.slice(&doc.text));
        // "Dec." before a day, "No." before a number: abbreviations the
        // segmentation rules list as month or number words are never names.
        if f.end_token - f.first_token == 1
            && abbreviations
                .abbreviation(text)
                .is_some_and(|c| c.month || c.number)
        {
            continue;
        }
        let kb: Vec<Entry> = actors.lookup(text).into_iter().cloned().collect();
        let kind = refine(f.class, &kb, text, places);
        taken[f.first_token..f.end_token]
            .iter_mut()
            .for_each(|t| *t = true);
        out.push(Mention {
            entity: Entity {
                span: f.span,
                kind,
                actor: None,
                refers_to: None,
                found_by: "model".into(),
            },
            first_token: f.first_token,
            end_token: f.end_token,
            sentence: sent_of.get(f.first_token).copied().unwrap_or(0),
            kb,
            possessive: possessive(f.end_token),
            singular: true,
        });
    }
    // Knowledge-base names the tagger missed: capitalised runs, longest first,
    // inside one sentence.
    let longest = actors.max_tokens().min(6);
    let mut i = 0;
    while i < tokens.len() {
        let w = word(i);
        if taken[i] || !w.chars().next().is_some_and(char::is_uppercase) || !actors.starts_name(w) {
            i += 1;
            continue;
        }
        let mut hit = None;
        for len in (1..=longest.min(tokens.len() - i)).rev() {
            let last = i + len - 1;
            if taken[i..=last].iter().any(|&t| t) || sent_of[last] != sent_of[i] {
                continue;
            }
            let span = Span::new(tokens[i].span.start, tokens[last].span.end);
            let kb: Vec<Entry> = actors
                .lookup_exact(span.slice(&doc.text))
                .into_iter()
                .filter(|e| e.kind != EntryKind::Role)
                .cloned()
                .collect();
            if !kb.is_empty() {
                hit = Some((len, span, kb));
                break;
            }
        }
        let Some((len, span, kb)) = hit else {
            i += 1;
            continue;
        };
        let kind = match kb[0].kind {
            EntryKind::Country | EntryKind::Capital => EntityType::Gpe,
            EntryKind::Demonym => EntityType::Norp,
            EntryKind::Person => EntityType::Person,
            _ => EntityType::Org,
        };
        out.push(Mention {
            entity: Entity {
                span,
                kind,
                actor: None,
                refers_to: None,
                found_by: kb[0].rule.to_string(),
            },
            first_token: i,
            end_token: i + len,
            sentence: sent_of[i],
            possessive: possessive(i + len),
            kb,
            singular: true,
        });
        taken[i..i + len].iter_mut().for_each(|t| *t = true);
        i += len;
    }
    // Pronouns and titles standing alone ("the president").
    let lowered = doc.lowered();
    for i in 0..tokens.len() {
        if taken[i] {
            continue;
        }
        let lower = lowered.get(i);
        if let Some(&(_, singular)) = PRONOUNS.iter().find(|(p, _)| *p == lower) {
            out.push(Mention {
                entity: Entity {
                    span: tokens[i].span,
                    kind: EntityType::Pronoun,
                    actor: None,
                    refers_to: None,
                    found_by: "pronoun".into(),
                },
                first_token: i,
                end_token: i + 1,
                sentence: sent_of[i],
                kb: Vec::new(),
                possessive: false,
                singular,
            });
        } else if lower == "the" && i + 1 < tokens.len() && !taken[i + 1] {
            let role_word = word(i + 1);
            let roles = actors.role(role_word);
            if roles.is_empty() || role_word.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            out.push(Mention {
                entity: Entity {
                    span: Span::new(tokens[i].span.start, tokens[i + 1].span.end),
                    kind: EntityType::Nominal,
                    actor: None,
                    refers_to: None,
                    found_by: roles[0].rule.to_string(),
                },
                first_token: i,
                end_token: i + 2,
                sentence: sent_of[i],
                kb: roles.into_iter().cloned().collect(),
                possessive: false,
                singular: !role_word.ends_with('s'),
            });
        }
    }
    out.sort_by_key(|m| (m.entity.span.start, m.entity.span.end));
    out
}
