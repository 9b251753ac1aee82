//! From one analysed document to the rows the store writes — the part of ingest that
//! runs in parallel, before the single writer.
//!
//! What the store keeps is what a user of `annals analyze` sees: [`prepare`] defines
//! the rows by reading the record exactly as `analyze` prints it (the output contract,
//! code-point offsets). Ingest uses [`prepare_document`], which builds the same rows
//! from the pipeline's [`Document`] and the record's bytes without parsing the record
//! back — parsing it was about a fifth of the instructions ingest adds to the
//! analysis; a test holds the two equal field by field.
//!
//! Names are resolved here: an actor written "he" or "Putin" is stored under the name
//! its coreference chain starts with ("Vladimir Putin"), which is what a query for a
//! name should find.

use crate::minhash::{self, Signature};
use annals_doc::record::provenance;
use annals_doc::{CodePoints, Document, Span};
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
#[derive(Debug, Clone, Default, PartialEq)]
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
#[derive(Debug, Clone, Default, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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
    let (signature, text_hash) = fingerprints(&text);
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

/// The MinHash signature and the exact hash of a clean text.
fn fingerprints(text: &str) -> (Signature, i64) {
    let signature = minhash::signature(text);
    (
        signature,
        xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as i64,
    )
}

/// A record's `goldstein`: an `f32` written as JSON and read back as `f64` (3.4, not
/// 3.4000000953674316).
fn goldstein(g: f32) -> f64 {
    g.to_string().parse().unwrap_or(f64::from(g))
}

/// The rows of one analysed document, built from its layers: the rows [`prepare`]
/// would read from `record`, which must be this document's record as `annals analyze`
/// writes it (it is stored, compressed, as it is).
pub fn prepare_document(key: [u8; 16], doc: &Document, record: &[u8]) -> PreparedDoc {
    let text = doc.text.as_str();
    let cp = CodePoints::new(text);
    let entities = doc.entities.as_deref().unwrap_or_default();
    // The text of the mention a coreference chain starts with (see `chain_name`).
    let chain_name = |mut id: usize| -> Option<&str> {
        for _ in 0..entities.len() {
            let e = entities.get(id)?;
            match e.refers_to {
                Some(r) if r != id => id = r,
                _ => return Some(e.span.slice(text)),
            }
        }
        None
    };
    let party = |span: Span, entity: Option<usize>, actor: Option<&annals_doc::Actor>| {
        let written = span.slice(text);
        Party {
            text: written.to_string(),
            name: entity.and_then(chain_name).unwrap_or(written).to_string(),
            code: actor.map(|a| a.code.clone()),
            country: actor.and_then(|a| a.country.clone()),
            sector: actor.and_then(|a| a.sector.clone()),
        }
    };
    let places = doc.places.as_deref().unwrap_or_default();
    let sentences = doc.sentences.as_deref().unwrap_or_default();
    let events = doc
        .events
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let s = sentences.get(e.sentence).map_or(e.predicate, |s| s.span);
            let (plover_type, plover_mode) = match &e.plover {
                Some((t, m)) => (Some(t.clone()), m.clone()),
                None => (None, None),
            };
            let actor = |a: &Option<annals_doc::EventActor>| {
                a.as_ref()
                    .map(|a| party(a.span, a.entity, a.actor.as_ref()))
            };
            PreparedEvent {
                doc_event: format!("e{}", k + 1),
                sentence: e.sentence as i64,
                start: cp.of(s.start) as i64,
                end: cp.of(s.end) as i64,
                excerpt: s.slice(text).to_string(),
                predicate: e.predicate.slice(text).to_string(),
                code: EventCode {
                    cameo: e.cameo.clone(),
                    root: e.root.clone(),
                    label: e.label.clone(),
                    plover_type,
                    plover_mode,
                    goldstein: e.goldstein.map(goldstein),
                    quad_class: i64::from(e.quad_class),
                },
                source: actor(&e.source),
                target: actor(&e.target),
                date: e.date.clone(),
                place: e.place.and_then(|k| places.get(k)).map(|p| PlaceRow {
                    name: Some(p.name.as_deref().unwrap_or(p.span.slice(text)).to_string()),
                    country: p.country.clone(),
                    lat: p.lat,
                    lon: p.lon,
                    geonames_id: p.geonames_id.map(|g| g as i64),
                    feature: p.feature.clone(),
                }),
                reported_by: e.reported_by.and_then(chain_name).map(str::to_string),
                rule: provenance(&e.rules),
            }
        })
        .collect();
    let quotes = doc
        .quotes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|q| PreparedQuote {
            start: cp.of(q.span.start) as i64,
            end: cp.of(q.span.end) as i64,
            text: q.span.slice(text).to_string(),
            kind: q.kind.as_str().to_string(),
            cue: q.cue.map(|c| c.slice(text).to_string()),
            cue_class: q.cue_class.clone(),
            speaker: q
                .speaker
                .as_ref()
                .map(|sp| party(sp.span, sp.entity, sp.actor.as_ref())),
        })
        .collect();
    let m = &doc.meta;
    let url = m.canonical_url.clone().or_else(|| m.url.clone());
    let site = m
        .site_name
        .clone()
        .or_else(|| url.as_deref().and_then(url_host));
    let (signature, text_hash) = fingerprints(text);
    PreparedDoc {
        key,
        input_id: doc.id.clone(),
        url,
        title: m.title.clone(),
        date: m.date.clone(),
        site,
        text: text.to_string(),
        record: lz4_flex::compress_prepend_size(record),
        text_hash,
        signature,
        events,
        quotes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_doc::record::{write_record, RecordOptions};
    use annals_doc::{
        Actor, Entity, EntityType, Event, EventActor, Place, Quote, QuoteKind, Rule, Sentence,
        SentenceKind, Speaker,
    };

    /// A document with every layer the store reads, non-ASCII text before the spans (so
    /// byte and code-point offsets differ), a coreference chain, an uncoded actor, a
    /// place with and without a gazetteer name, and a fractional Goldstein value.
    fn analysed() -> Document {
        let text = "Ærø — Anna Marr met Bessia’s envoy in Vell. She said “the talks will resume”.";
        let at = |w: &str| {
            let s = text.find(w).unwrap();
            Span::new(s, s + w.len())
        };
        let actor = |code: &str| Actor {
            code: code.into(),
            country: Some(code[..3].into()),
            sector: code.get(3..).filter(|s| !s.is_empty()).map(str::to_string),
            rules: vec![Rule::new("data/actors/test.txt", 4)],
        };
        let entity = |w: &str, kind, refers_to| Entity {
            span: at(w),
            kind,
            actor: None,
            refers_to,
            found_by: "test".into(),
        };
        let mut doc = Document {
            id: "fixture:1".into(),
            text: text.into(),
            ..Default::default()
        };
        doc.meta.title = Some("Talks in Vell".into());
        doc.meta.date = Some("2031-03-04".into());
        doc.meta.url = Some("https://www.example.org/a/1".into());
        let first_end = text.find('.').unwrap() + 1;
        doc.sentences = Some(vec![
            Sentence {
                span: Span::new(0, first_end),
                paragraph: 0,
                kind: SentenceKind::Sentence,
            },
            Sentence {
                span: Span::new(first_end + 1, text.len()),
                paragraph: 0,
                kind: SentenceKind::Sentence,
            },
        ]);
        doc.entities = Some(vec![
            entity("Anna Marr", EntityType::Person, None),
            entity("Bessia", EntityType::Gpe, None),
            entity("She", EntityType::Pronoun, Some(0)),
        ]);
        doc.places = Some(vec![
            Place {
                span: at("Vell"),
                name: Some("Vell Harbour".into()),
                geonames_id: Some(42),
                country: Some("BES".into()),
                lat: Some(1.5),
                lon: Some(-2.25),
                feature: Some("PPLA".into()),
                entity: None,
                why: "test".into(),
            },
            Place::unresolved(at("Ærø"), None, "test"),
        ]);
        let event = |sentence, place, reported_by, source: Option<EventActor>| Event {
            sentence,
            predicate: at("met"),
            cameo: "040".into(),
            root: "04".into(),
            label: "Consult".into(),
            plover: Some(("CONSULT".into(), Some("visit".into()))),
            goldstein: Some(3.4),
            quad_class: 1,
            source,
            target: Some(EventActor {
                span: at("Bessia"),
                entity: Some(1),
                actor: None,
            }),
            date: Some("2031-03-04".into()),
            place,
            reported_by,
            rules: vec![Rule::new("data/events/verbs.txt", 7), Rule::new("cameo", 0)],
        };
        let she = EventActor {
            span: at("She"),
            entity: Some(2),
            actor: Some(actor("ARLGOV")),
        };
        doc.events = Some(vec![
            event(0, Some(0), None, Some(she.clone())),
            event(1, Some(1), Some(2), None),
        ]);
        doc.quotes = Some(vec![Quote {
            span: at("the talks will resume"),
            kind: QuoteKind::Direct,
            cue: Some(at("said")),
            cue_class: Some("say".into()),
            speaker: Some(Speaker {
                span: she.span,
                entity: she.entity,
                actor: she.actor,
            }),
            rule: Rule::new("data/quotes/cues.txt", 3),
        }]);
        doc
    }

    #[test]
    fn rows_from_the_document_equal_rows_read_from_its_record() {
        let doc = analysed();
        let mut record = Vec::new();
        write_record(&doc, RecordOptions::default(), &mut record).unwrap();
        let from_record = prepare([7; 16], &record).unwrap();
        let from_document = prepare_document([7; 16], &doc, &record);
        assert_eq!(from_document, from_record);
        // And the fixture exercises what it means to: resolved names, offsets in code
        // points, a place named by its text, the Goldstein value as written.
        let e = &from_document.events;
        assert_eq!(e[0].source.as_ref().unwrap().name, "Anna Marr");
        assert_eq!(e[0].code.goldstein, Some(3.4));
        assert_eq!(e[1].place.as_ref().unwrap().name.as_deref(), Some("Ærø"));
        assert_eq!(e[1].reported_by.as_deref(), Some("Anna Marr"));
        assert_eq!(from_document.site.as_deref(), Some("example.org"));
        let q = &from_document.quotes[0];
        assert_eq!(
            cp_slice(&doc.text, q.start as usize, q.end as usize),
            q.text
        );
        assert_ne!(doc.text.find("the talks").unwrap() as i64, q.start);
    }

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
