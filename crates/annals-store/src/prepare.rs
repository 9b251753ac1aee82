//! From one analysed record to the rows the store writes — the part of ingest that
//! runs in parallel, before the single writer.
//!
//! The input is the record exactly as `annals analyze` prints it (the output contract,
//! code-point offsets), so what the store keeps is what a user of `analyze` sees.
//! Names are resolved here: an actor written "he" or "Putin" is stored under the name
//! its coreference chain starts with ("Vladimir Putin"), which is what a query for a
//! name should find.

use crate::minhash::{self, Signature};
use serde::Deserialize;

/// A participant in an event or the speaker of a quote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Party {
    /// As written in the sentence ("he", "Moscow").
    pub text: String,
    /// The name its coreference chain starts with ("Alexander Lukashenko").
    pub name: String,
    /// CAMEO actor code, when coded.
    pub code: Option<String>,
    /// ISO-3 country or IGO.
    pub country: Option<String>,
    /// CAMEO sector.
    pub sector: Option<String>,
}

/// What kind of act an event is: its CAMEO code and label, PLOVER type and mode,
/// Goldstein value and QuadClass (the codebook's answer, as the record gives it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventCode {
    /// CAMEO code.
    pub cameo: String,
    /// CAMEO root.
    pub root: String,
    /// CAMEO label.
    pub label: String,
    /// PLOVER type.
    pub plover_type: Option<String>,
    /// PLOVER mode.
    pub plover_mode: Option<String>,
    /// Goldstein value.
    pub goldstein: Option<f64>,
    /// QuadClass.
    pub quad_class: i64,
}

/// A resolved place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceRow {
    /// Gazetteer name.
    pub name: Option<String>,
    /// ISO-3 country.
    pub country: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// GeoNames id.
    pub geonames_id: Option<i64>,
    /// GeoNames feature code (PCLI, PPLC …).
    pub feature: Option<String>,
}

/// One event as one document tells it: becomes a mention, and an event row unless it
/// merges with one already stored.
#[derive(Debug, Clone, Default)]
pub struct PreparedEvent {
    /// The record's event id ("e3").
    pub doc_event: String,
    /// Sentence index in the document.
    pub sentence: i64,
    /// Sentence span (code points).
    pub start: i64,
    /// Sentence span end.
    pub end: i64,
    /// The sentence's text.
    pub excerpt: String,
    /// The predicate as written.
    pub predicate: String,
    /// What kind of act, in CAMEO and PLOVER.
    pub code: EventCode,
    /// Who acted.
    pub source: Option<Party>,
    /// On whom.
    pub target: Option<Party>,
    /// TIMEX3 value of the event's date.
    pub date: Option<String>,
    /// Where.
    pub place: Option<PlaceRow>,
    /// Whose speech reports it (a name).
    pub reported_by: Option<String>,
    /// Provenance (dictionary lines).
    pub rule: String,
}

/// One quote or reported statement.
#[derive(Debug, Clone, Default)]
pub struct PreparedQuote {
    /// Span start (code points).
    pub start: i64,
    /// Span end.
    pub end: i64,
    /// The quoted or reported content.
    pub text: String,
    /// direct, indirect or mixed.
    pub kind: String,
    /// The cue verb.
    pub cue: Option<String>,
    /// The cue's class (say, deny, warn …).
    pub cue_class: Option<String>,
    /// Who said it.
    pub speaker: Option<Party>,
}

/// Everything the writer needs for one document.
#[derive(Debug, Clone)]
pub struct PreparedDoc {
    /// Identity of the input: a hash of its id and its bytes (see [`doc_key`]).
    pub key: [u8; 16],
    /// The input's id (path, JSONL id).
    pub input_id: String,
    /// URL, when known.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Document date.
    pub date: Option<String>,
    /// The publisher: site name, else the URL's host, else none.
    pub site: Option<String>,
    /// Clean text.
    pub text: String,
    /// The record, verbatim, LZ4-compressed (with its size prepended).
    pub record: Vec<u8>,
    /// Hash of the clean text: exact copies under other ids.
    pub text_hash: i64,
    /// MinHash signature of the text's shingles.
    pub signature: Signature,
    /// Events.
    pub events: Vec<PreparedEvent>,
    /// Quotes.
    pub quotes: Vec<PreparedQuote>,
}

/// The identity of an input: its id and its exact bytes. The same bytes under the same
/// id are the same document (re-ingesting adds nothing); the same bytes under another id
/// (another URL, another file) are another copy of the story, kept as a source.
pub fn doc_key(id: &str, body: &[u8]) -> [u8; 16] {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&(id.len() as u64).to_le_bytes());
    h.update(id.as_bytes());
    h.update(body);
    h.digest128().to_le_bytes()
}

// The record as this module reads it: only the fields the store keeps are
// materialised; serde skips the rest (sentences, tokens, timexes …) without building
// them, which makes this several times cheaper than a generic JSON value.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Rec {
    id: String,
    title: Option<String>,
    date: Option<String>,
    text: String,
    meta: MetaR,
    entities: Vec<EntR>,
    events: Vec<EvR>,
    quotes: Vec<QuoteR>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MetaR {
    url: Option<String>,
    canonical_url: Option<String>,
    site_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EntR {
    text: String,
    #[serde(rename = "ref")]
    refers_to: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActorR {
    code: Option<String>,
    country: Option<String>,
    sector: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PartyR {
    text: String,
    entity: Option<usize>,
    actor: Option<ActorR>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PloverR {
    #[serde(rename = "type")]
    kind: Option<String>,
    mode: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PlaceR {
    name: Option<String>,
    text: Option<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    geonames_id: Option<i64>,
    feature: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EvR {
    id: String,
    sentence: i64,
    start: i64,
    end: i64,
    predicate: String,
    cameo: String,
    root: String,
    label: String,
    plover: Option<PloverR>,
    goldstein: Option<f64>,
    quad_class: i64,
    source: Option<PartyR>,
    target: Option<PartyR>,
    date: Option<String>,
    place: Option<PlaceR>,
    reported_by: Option<usize>,
    rule: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct QuoteR {
    start: i64,
    end: i64,
    text: String,
    kind: String,
    cue: Option<String>,
    cue_class: Option<String>,
    speaker: Option<PartyR>,
}

/// The name an entity's coreference chain starts with.
fn chain_name(entities: &[EntR], mut id: usize) -> Option<&str> {
    // Chains point backwards, so this ends; the bound guards against a malformed record.
    for _ in 0..entities.len() {
        let e = entities.get(id)?;
        match e.refers_to {
            Some(r) if r != id => id = r,
            _ => return Some(&e.text),
        }
    }
    None
}

fn party(p: PartyR, entities: &[EntR]) -> Party {
    let name = p
        .entity
        .and_then(|e| chain_name(entities, e))
        .map(str::to_string)
        .unwrap_or_else(|| p.text.clone());
    let actor = p.actor.unwrap_or_default();
    Party {
        text: p.text,
        name,
        code: actor.code,
        country: actor.country,
        sector: actor.sector,
    }
}

/// The host of a URL ("https://www.example.com/a" → "example.com").
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// Slice a string by code points.
pub fn cp_slice(text: &str, start: usize, end: usize) -> &str {
    let mut it = text.char_indices().map(|(b, _)| b).chain([text.len()]);
    let b0 = it.nth(start).unwrap_or(text.len());
    let b1 = if end > start {
        it.nth(end - start - 1).unwrap_or(text.len())
    } else {
        b0
    };
    &text[b0..b1.max(b0)]
}

/// Turn a record (as `annals analyze` writes it) into rows. `key` is the input's
/// identity ([`doc_key`]). Fails only on a record that is not a JSON object.
pub fn prepare(key: [u8; 16], record: &[u8]) -> Result<PreparedDoc, serde_json::Error> {
    let rec: Rec = serde_json::from_slice(record)?;
    let compressed = lz4_flex::compress_prepend_size(record);
    let Rec {
        id,
        title,
        date,
        text,
        meta,
        entities,
        events: rec_events,
        quotes: rec_quotes,
    } = rec;
    let url = meta.canonical_url.or(meta.url);
    let site = meta.site_name.or_else(|| url.as_deref().and_then(url_host));

    let mut events = Vec::with_capacity(rec_events.len());
    for e in rec_events {
        let plover = e.plover.unwrap_or_default();
        events.push(PreparedEvent {
            excerpt: cp_slice(&text, e.start.max(0) as usize, e.end.max(0) as usize).to_string(),
            doc_event: e.id,
            sentence: e.sentence,
            start: e.start,
            end: e.end,
            predicate: e.predicate,
            code: EventCode {
                cameo: e.cameo,
                root: e.root,
                label: e.label,
                plover_type: plover.kind,
                plover_mode: plover.mode,
                goldstein: e.goldstein,
                quad_class: e.quad_class,
            },
            source: e.source.map(|p| party(p, &entities)),
            target: e.target.map(|p| party(p, &entities)),
            date: e.date,
            place: e.place.map(|p| PlaceRow {
                name: p.name.or(p.text),
                country: p.country,
                lat: p.lat,
                lon: p.lon,
                geonames_id: p.geonames_id,
                feature: p.feature,
            }),
            reported_by: e
                .reported_by
                .and_then(|id| chain_name(&entities, id))
                .map(str::to_string),
            rule: e.rule,
        });
    }
    let quotes = rec_quotes
        .into_iter()
        .map(|q| PreparedQuote {
            start: q.start,
            end: q.end,
            text: q.text,
            kind: q.kind,
            cue: q.cue,
            cue_class: q.cue_class,
            speaker: q.speaker.map(|p| party(p, &entities)),
        })
        .collect();
    let signature = minhash::signature(&text);
    let text_hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as i64;
    Ok(PreparedDoc {
        key,
        input_id: id,
        url,
        title,
        date,
        site,
        record: compressed,
        text,
        text_hash,
        signature,
        events,
        quotes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_code_point_slices() {
        assert_eq!(
            url_host("https://www.Example.com:8080/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(url_host("not a url"), None);
        assert_eq!(cp_slice("Ærø is an island", 0, 3), "Ærø");
        assert_eq!(cp_slice("Ærø is an island", 4, 6), "is");
        assert_eq!(cp_slice("short", 3, 99), "rt");
    }

    #[test]
    fn names_follow_coreference_to_the_first_mention() {
        let rec = serde_json::json!({
            "id": "a", "text": "Anna Marr met Bessia. She left.",
            "entities": [
                {"id": 0, "text": "Anna Marr", "ref": null},
                {"id": 1, "text": "Bessia", "ref": null},
                {"id": 2, "text": "She", "ref": 0}
            ],
            "events": [{"id": "e1", "sentence": 0, "start": 0, "end": 21, "cameo": "040",
                        "root": "04", "quad_class": 1,
                        "source": {"text": "She", "entity": 2, "actor": {"code": "ARLGOV"}},
                        "target": {"text": "Bessia", "entity": 1, "actor": null}}]
        });
        let d = prepare([0; 16], rec.to_string().as_bytes()).unwrap();
        let e = &d.events[0];
        assert_eq!(e.source.as_ref().unwrap().name, "Anna Marr");
        assert_eq!(e.source.as_ref().unwrap().code.as_deref(), Some("ARLGOV"));
        assert_eq!(e.target.as_ref().unwrap().code, None);
        assert_eq!(e.excerpt, "Anna Marr met Bessia.");
        assert_eq!(d.text, "Anna Marr met Bessia. She left.");
    }
}
