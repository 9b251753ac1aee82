//! Place resolution: each toponym (and each demonym, which names its country)
//! becomes a gazetteer row, chosen in context.
//!
//! A country name or demonym resolves to the country itself — never to a town or
//! a building of the same name. Other names score their candidates by population
//! (a prior: big places are written about more), administrative rank (capital,
//! admin-1 seat), and evidence from the document: a candidate in a country the
//! document names or whose actors belong to, or in a region another resolved place
//! lies in, wins over a bigger namesake elsewhere ("Paris" in a story about Texas).

use crate::mentions::Mention;
use annals_doc::{Document, EntityType, Place};
use annals_kb::{ActorBase, EntryKind, PlaceRow, PlaceTable};
use std::collections::HashSet;

fn place(m: Option<usize>, row: &PlaceRow, span: annals_doc::Span, why: String) -> Place {
    Place {
        span,
        name: Some(row.name.clone()),
        geonames_id: Some(row.id),
        country: row.country.clone(),
        lat: row.lat,
        lon: row.lon,
        feature: Some(row.code.clone()),
        entity: m,
        why,
    }
}

/// Common nouns that refer back to a place named earlier ("the capital"), and
/// which rows they can refer to.
/// Which gazetteer rows a place noun can refer to.
type Fits = fn(&PlaceRow) -> bool;

const PLACE_NOUNS: [(&str, Fits); 9] = [
    ("country", PlaceRow::is_country),
    ("city", |r| r.class == 'P'),
    ("capital", |r| r.class == 'P'),
    ("town", |r| r.class == 'P'),
    ("village", |r| r.class == 'P'),
    ("region", PlaceRow::is_admin1),
    ("province", PlaceRow::is_admin1),
    ("state", PlaceRow::is_admin1),
    ("island", |r| {
        r.class == 'P' || r.is_admin1() || r.is_country()
    }),
];

/// Words that may follow a place noun that ends its phrase ("the city on Monday").
const PHRASE_ENDERS: [&str; 34] = [
    "on", "in", "at", "of", "and", "or", "but", "was", "is", "are", "were", "has", "had", "have",
    "said", "says", "to", "for", "with", "by", "from", "where", "which", "that", "who", "as",
    "after", "before", "since", "last", "this", "will", "would", "could",
];

/// How far back (in sentences) "the city" looks for the city it means.
const LOOKBACK: usize = 5;

fn rank_bonus(r: &PlaceRow) -> f64 {
    match r.code.as_str() {
        "PPLC" => 4.0,
        "PPLA" | "PPLG" => 2.5,
        "PPLA2" => 1.0,
        "ADM1" => 2.0,
        c if c.starts_with("PCL") => 6.0,
        "CONT" => 6.0,
        _ => 0.0,
    }
}

fn population_prior(r: &PlaceRow) -> f64 {
    // Admin-1 populations in the table are sums over their towns: discount them so a
    // region does not beat its own capital city on size alone.
    let p = if r.is_admin1() {
        r.population / 20
    } else {
        r.population
    };
    ((p + 1) as f64).ln()
}

/// Resolve the toponyms among `ms`.
pub fn resolve(
    doc: &Document,
    ms: &[Mention],
    _actors: &ActorBase,
    table: &PlaceTable,
) -> Vec<Place> {
    // Evidence: countries the document names, and its actors' countries.
    let mut countries: HashSet<String> = HashSet::new();
    for m in ms {
        for e in &m.kb {
            if matches!(
                e.kind,
                EntryKind::Country | EntryKind::Demonym | EntryKind::Capital
            ) {
                countries.insert(e.code.clone());
            }
        }
        if let Some(c) = m.entity.actor.as_ref().and_then(|a| a.country.clone()) {
            countries.insert(c);
        }
    }
    let mut regions: HashSet<String> = HashSet::new();
    let mut out: Vec<Option<Place>> = vec![None; ms.len()];
    // Pass 1: countries and demonyms (certain); pass 2: the rest, with that evidence.
    for (k, m) in ms.iter().enumerate() {
        if !matches!(
            m.entity.kind,
            EntityType::Gpe | EntityType::Norp | EntityType::Loc
        ) {
            continue;
        }
        let Some(e) =
            m.kb.iter()
                .find(|e| matches!(e.kind, EntryKind::Country | EntryKind::Demonym))
        else {
            continue;
        };
        if let Some(row) = table.country(&e.code) {
            let why = if e.kind == EntryKind::Country {
                format!("country name ({})", e.rule)
            } else {
                format!("demonym of the country ({})", e.rule)
            };
            out[k] = Some(place(Some(k), row, m.entity.span, why));
        }
    }
    for (k, m) in ms.iter().enumerate() {
        if out[k].is_some() || m.entity.kind != EntityType::Norp {
            continue;
        }
        if let Some((row, line)) = table.demonym(m.entity.span.slice(&doc.text)) {
            out[k] = Some(place(
                Some(k),
                row,
                m.entity.span,
                format!("demonym (demonyms.txt:{line})"),
            ));
        }
    }
    for (k, m) in ms.iter().enumerate() {
        let is_org = m.kb.iter().any(|e| e.kind == EntryKind::Organisation);
        let text = m.entity.span.slice(&doc.text);
        let text = text.strip_prefix("the ").unwrap_or(text);
        // An organisation named exactly like a place ("Liverpool", "Washington said")
        // is the place's team, council or government: the place is still named.
        let org_as_place = m.entity.kind == EntityType::Org
            && !is_org
            && table
                .lookup(text)
                .iter()
                .any(|r| r.name == text && (r.class == 'A' || r.population >= 15_000));
        if out[k].is_some()
            || is_org
            || !(org_as_place
                || matches!(
                    m.entity.kind,
                    EntityType::Gpe | EntityType::Loc | EntityType::Fac
                ))
        {
            continue;
        }
        let cands = table.lookup(text);
        let capital = m.kb.iter().find(|e| e.kind == EntryKind::Capital);
        let mut best: Option<(f64, &PlaceRow, String)> = None;
        for r in cands {
            let mut score = population_prior(r) + rank_bonus(r);
            let mut why = vec![format!("{} of {} people", r.code, r.population)];
            if r.name != text {
                // Matched on an alternate name only: some are translations that are
                // ordinary English ("White House" for Casablanca).
                score -= 4.0;
                why.push("alternate name".into());
            }
            if let Some(c) = &r.country {
                if countries.contains(c) {
                    score += 6.0;
                    why.push(format!("in {c}, which the document names"));
                }
                if let Some(cap) = capital {
                    if &cap.code == c && r.is_capital() {
                        score += 10.0;
                        why.push(format!("capital of {c} ({})", cap.rule));
                    }
                }
            }
            if !r.admin1.is_empty() && regions.contains(&r.admin1) {
                score += 3.0;
                why.push(format!("in region {} of another place here", r.admin1));
            }
            // Far from the story: when the document names its countries, a small place
            // elsewhere needs more than its name ("the Gulf" is not Gulf Province,
            // Papua New Guinea, in a story about Malta).
            let elsewhere = !countries.is_empty()
                && r.country.as_ref().is_some_and(|c| !countries.contains(c))
                && !r.is_country()
                && !r.is_capital()
                && r.population < 1_000_000;
            if elsewhere {
                // Not chosen on a name alone: it stays unresolved unless a candidate
                // inside the story's countries exists.
                continue;
            }
            let better = match &best {
                None => true,
                Some((s, b, _)) => score > *s || (score == *s && r.id < b.id),
            };
            if better {
                best = Some((score, r, why.join("; ")));
            }
        }
        if let Some((_, row, why)) = best {
            if !row.admin1.is_empty() {
                regions.insert(row.admin1.clone());
            }
            if let Some(c) = &row.country {
                countries.insert(c.clone());
            }
            out[k] = Some(place(
                Some(k),
                row,
                m.entity.span,
                format!("{why} ({}:{})", table.file, row.line),
            ));
        } else {
            out[k] = Some(Place::unresolved(
                m.entity.span,
                Some(k),
                "a place name the gazetteer does not hold",
            ));
        }
    }
    let mut places: Vec<Place> = out.into_iter().flatten().collect();
    places.extend(embedded(doc, ms, table));
    places.extend(nominal(doc, ms, &places, table));
    places.sort_by_key(|p| (p.span.start, p.span.end));
    places
}

/// Places named inside an organisation's or event's name ("Air Zimbabwe",
/// "Pakistan Army", "the New York Times"): countries and their demonyms and capitals,
/// and cities of 100,000 people or more.
fn embedded(doc: &Document, ms: &[Mention], table: &PlaceTable) -> Vec<Place> {
    let Some(tokens) = &doc.tokens else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, m) in ms.iter().enumerate() {
        if !matches!(m.entity.kind, EntityType::Org | EntityType::Misc)
            || m.end_token - m.first_token < 2
        {
            continue;
        }
        let mut i = m.first_token;
        while i < m.end_token {
            let mut found = None;
            for end in (i + 1..=m.end_token.min(i + 3)).rev() {
                let span = annals_doc::Span::new(tokens[i].span.start, tokens[end - 1].span.end);
                let text = span.slice(&doc.text);
                if !text.chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                let rows = table.lookup(text);
                let row = rows.iter().find(|r| r.is_country()).or_else(|| {
                    rows.iter()
                        .filter(|r| r.class == 'P' && r.population >= 100_000)
                        .max_by_key(|r| r.population)
                });
                if let Some(row) = row {
                    found = Some((end, span, *row));
                    break;
                }
            }
            match found {
                Some((end, span, row)) => {
                    let why = format!(
                        "named inside {:?} ({}:{})",
                        m.entity.span.slice(&doc.text),
                        table.file,
                        row.line
                    );
                    out.push(place(Some(k), row, span, why));
                    i = end;
                }
                None => i += 1,
            }
        }
    }
    out
}

/// "the capital", "the country": the nearest earlier resolved place of that kind.
fn nominal(doc: &Document, ms: &[Mention], places: &[Place], table: &PlaceTable) -> Vec<Place> {
    let Some(tokens) = &doc.tokens else {
        return Vec::new();
    };
    let sent_of = crate::mentions::token_sentences(doc);
    let place_sentence = |p: &Place| -> usize {
        tokens
            .iter()
            .position(|t| t.span.start >= p.span.start)
            .map_or(0, |i| sent_of[i])
    };
    let mut resolved: Vec<(usize, &Place, &PlaceRow)> = places
        .iter()
        .filter_map(|p| Some((place_sentence(p), p, table.by_id(p.geonames_id?)?)))
        .collect();
    resolved.sort_by_key(|(_, p, _)| p.span.start);
    let _ = ms;
    let mut out = Vec::new();
    for i in 1..tokens.len() {
        if !tokens[i - 1]
            .span
            .slice(&doc.text)
            .eq_ignore_ascii_case("the")
        {
            continue;
        }
        let noun = tokens[i].span.slice(&doc.text);
        let Some((_, fits)) = PLACE_NOUNS.iter().find(|(n, _)| *n == noun) else {
            continue;
        };
        // Not "the city council" or "the state media": the noun must end its phrase
        // (a following word is a preposition, verb or the like, not a noun).
        if let Some(next) = tokens.get(i + 1).map(|t| t.span.slice(&doc.text)) {
            let starts_word = next.chars().next().is_some_and(char::is_alphabetic);
            if starts_word && !PHRASE_ENDERS.contains(&next.to_lowercase().as_str()) {
                continue;
            }
        }
        let s = sent_of[i];
        let antecedent = resolved
            .iter()
            .rev()
            .filter(|(ps, p, _)| p.span.end <= tokens[i].span.start && *ps + LOOKBACK >= s)
            .find(|(_, _, r)| fits(r));
        if let Some((_, p, row)) = antecedent {
            let why = format!(
                "\"the {noun}\" refers back to {:?}",
                p.span.slice(&doc.text)
            );
            let mut np = place(None, row, tokens[i].span, why);
            np.entity = None;
            out.push(np);
        }
    }
    out
}
