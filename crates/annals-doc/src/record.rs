//! The JSON record (`record-format.md`): a [`Document`] serialised, offsets in code points.
//!
//! Fields follow the contract: `id`, `title`, `date`, `date_source`, `text`, `removed`,
//! `sentences` as `[start, end]` pairs; layers that did not run are left out. Annals adds
//! `record_version`, `meta`, `paragraphs` and (on request) `tokens`.

use crate::{CodePoints, Document};
use serde::Serialize;

/// Version of the record layout; bump when a field changes meaning or shape.
pub const RECORD_VERSION: u32 = 1;

/// What to include beyond the contract's fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordOptions {
    /// Include the token layer (`tokens`), which is large.
    pub tokens: bool,
}

#[derive(Serialize)]
struct Record<'a> {
    record_version: u32,
    id: &'a str,
    title: Option<&'a str>,
    date: Option<&'a str>,
    date_source: &'static str,
    meta: MetaRecord<'a>,
    text: &'a str,
    removed: Vec<RemovedRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraphs: Option<Vec<ParagraphRecord>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentences: Option<Vec<[usize; 2]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<Vec<TokenRecord>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entities: Option<Vec<EntityRecord<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    places: Option<Vec<PlaceRecord<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timexes: Option<Vec<TimexRecord<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quotes: Option<Vec<QuoteRecord<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<Vec<EventRecord<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<&'a [Option<String>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentence_times: Option<&'a [Option<String>]>,
}

#[derive(Serialize)]
struct SpeakerRecord<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    entity: Option<usize>,
    actor: Option<ActorRecord<'a>>,
}

#[derive(Serialize)]
struct QuoteRecord<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    kind: &'static str,
    cue: Option<&'a str>,
    cue_class: Option<&'a str>,
    speaker: Option<SpeakerRecord<'a>>,
    rule: String,
}

/// Several rules as a record's `rule` field writes them: `file:line` joined by " + "
/// (the dictionary line, then the codebook line of its code).
pub fn provenance(rules: &[crate::Rule]) -> String {
    rules
        .iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}

fn actor_record(a: &crate::Actor) -> ActorRecord<'_> {
    ActorRecord {
        code: &a.code,
        country: a.country.as_deref(),
        sector: a.sector.as_deref(),
        rule: provenance(&a.rules),
    }
}

#[derive(Serialize)]
struct EventActorRecord<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    entity: Option<usize>,
    actor: Option<ActorRecord<'a>>,
}

#[derive(Serialize)]
struct PloverRecord<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    mode: Option<&'a str>,
}

#[derive(Serialize)]
struct EventRecord<'a> {
    id: String,
    sentence: usize,
    start: usize,
    end: usize,
    predicate: &'a str,
    predicate_start: usize,
    predicate_end: usize,
    cameo: &'a str,
    root: &'a str,
    label: &'a str,
    plover: Option<PloverRecord<'a>>,
    goldstein: Option<f32>,
    quad_class: u8,
    source: Option<EventActorRecord<'a>>,
    target: Option<EventActorRecord<'a>>,
    date: Option<&'a str>,
    place: Option<PlaceRecord<'a>>,
    reported_by: Option<usize>,
    rule: String,
}

#[derive(Serialize)]
struct TimexRecord<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: Option<&'a str>,
    #[serde(rename = "mod")]
    modifier: Option<&'a str>,
    rule: String,
}

#[derive(Serialize)]
struct ActorRecord<'a> {
    code: &'a str,
    country: Option<&'a str>,
    sector: Option<&'a str>,
    rule: String,
}

#[derive(Serialize)]
struct EntityRecord<'a> {
    id: usize,
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    actor: Option<ActorRecord<'a>>,
    #[serde(rename = "ref")]
    refers_to: Option<usize>,
    found_by: &'a str,
}

#[derive(Serialize)]
struct PlaceRecord<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    name: Option<&'a str>,
    geonames_id: Option<u64>,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    feature: Option<&'a str>,
    entity: Option<usize>,
    why: &'a str,
}

fn place_record<'d>(doc: &'d Document, cp: &CodePoints, p: &'d crate::Place) -> PlaceRecord<'d> {
    PlaceRecord {
        start: cp.of(p.span.start),
        end: cp.of(p.span.end),
        text: p.span.slice(&doc.text),
        name: p.name.as_deref(),
        geonames_id: p.geonames_id,
        country: p.country.as_deref(),
        lat: p.lat,
        lon: p.lon,
        feature: p.feature.as_deref(),
        entity: p.entity,
        why: &p.why,
    }
}

#[derive(Serialize)]
struct MetaRecord<'a> {
    format: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    canonical_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

#[derive(Serialize)]
struct RemovedRecord<'a> {
    text: &'a str,
    reason: &'a str,
    rule: String,
    at: usize,
}

#[derive(Serialize)]
struct ParagraphRecord {
    start: usize,
    end: usize,
    kind: &'static str,
}

#[derive(Serialize)]
struct TokenRecord {
    start: usize,
    end: usize,
    kind: &'static str,
}

/// Serialise `doc` as one JSON line (no trailing newline) into `out`.
pub fn write_record(
    doc: &Document,
    opts: RecordOptions,
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    let cp = CodePoints::new(&doc.text);
    let m = &doc.meta;
    let rec = Record {
        record_version: RECORD_VERSION,
        id: &doc.id,
        title: m.title.as_deref(),
        date: m.date.as_deref(),
        date_source: m.date_source.as_str(),
        meta: MetaRecord {
            format: m.format,
            author: m.author.as_deref(),
            site_name: m.site_name.as_deref(),
            url: m.url.as_deref(),
            canonical_url: m.canonical_url.as_deref(),
            language: m.language.as_deref(),
        },
        text: &doc.text,
        removed: doc
            .removed
            .iter()
            .map(|r| RemovedRecord {
                text: &r.text,
                reason: &r.reason,
                rule: r.rule.to_string(),
                at: cp.of(r.at),
            })
            .collect(),
        paragraphs: doc.paragraphs.as_ref().map(|ps| {
            ps.iter()
                .map(|p| ParagraphRecord {
                    start: cp.of(p.span.start),
                    end: cp.of(p.span.end),
                    kind: p.kind.as_str(),
                })
                .collect()
        }),
        sentences: doc.sentences.as_ref().map(|ss| {
            ss.iter()
                .map(|s| [cp.of(s.span.start), cp.of(s.span.end)])
                .collect()
        }),
        tokens: if opts.tokens {
            doc.tokens.as_ref().map(|ts| {
                ts.iter()
                    .map(|t| TokenRecord {
                        start: cp.of(t.span.start),
                        end: cp.of(t.span.end),
                        kind: t.kind.as_str(),
                    })
                    .collect()
            })
        } else {
            None
        },
        entities: doc.entities.as_ref().map(|es| {
            es.iter()
                .enumerate()
                .map(|(id, e)| EntityRecord {
                    id,
                    start: cp.of(e.span.start),
                    end: cp.of(e.span.end),
                    text: e.span.slice(&doc.text),
                    kind: e.kind.as_str(),
                    actor: e.actor.as_ref().map(actor_record),
                    refers_to: e.refers_to,
                    found_by: &e.found_by,
                })
                .collect()
        }),
        places: doc
            .places
            .as_ref()
            .map(|ps| ps.iter().map(|p| place_record(doc, &cp, p)).collect()),
        timexes: doc.timexes.as_ref().map(|ts| {
            ts.iter()
                .map(|t| TimexRecord {
                    start: cp.of(t.span.start),
                    end: cp.of(t.span.end),
                    text: t.span.slice(&doc.text),
                    kind: t.kind.as_str(),
                    value: t.value.as_deref(),
                    modifier: t.modifier.as_deref(),
                    rule: t.rule.to_string(),
                })
                .collect()
        }),
        sentence_times: doc.sentence_times.as_deref(),
        events: doc.events.as_ref().map(|es| {
            fn actor<'d>(
                text: &'d str,
                cp: &CodePoints,
                a: &'d Option<crate::EventActor>,
            ) -> Option<EventActorRecord<'d>> {
                a.as_ref().map(|a| EventActorRecord {
                    start: cp.of(a.span.start),
                    end: cp.of(a.span.end),
                    text: a.span.slice(text),
                    entity: a.entity,
                    actor: a.actor.as_ref().map(actor_record),
                })
            }
            es.iter()
                .enumerate()
                .map(|(k, e)| {
                    let s = doc
                        .sentences
                        .as_ref()
                        .and_then(|ss| ss.get(e.sentence))
                        .map(|s| s.span);
                    let s = s.unwrap_or(e.predicate);
                    EventRecord {
                        id: format!("e{}", k + 1),
                        sentence: e.sentence,
                        start: cp.of(s.start),
                        end: cp.of(s.end),
                        predicate: e.predicate.slice(&doc.text),
                        predicate_start: cp.of(e.predicate.start),
                        predicate_end: cp.of(e.predicate.end),
                        cameo: &e.cameo,
                        root: &e.root,
                        label: &e.label,
                        plover: e.plover.as_ref().map(|(t, m)| PloverRecord {
                            kind: t,
                            mode: m.as_deref(),
                        }),
                        goldstein: e.goldstein,
                        quad_class: e.quad_class,
                        source: actor(&doc.text, &cp, &e.source),
                        target: actor(&doc.text, &cp, &e.target),
                        date: e.date.as_deref(),
                        place: e
                            .place
                            .and_then(|k| doc.places.as_ref().and_then(|ps| ps.get(k)))
                            .map(|p| place_record(doc, &cp, p)),
                        reported_by: e.reported_by,
                        rule: provenance(&e.rules),
                    }
                })
                .collect()
        }),
        explain: doc.explanations.as_deref(),
        quotes: doc.quotes.as_ref().map(|qs| {
            qs.iter()
                .map(|q| QuoteRecord {
                    start: cp.of(q.span.start),
                    end: cp.of(q.span.end),
                    text: q.span.slice(&doc.text),
                    kind: q.kind.as_str(),
                    cue: q.cue.map(|c| c.slice(&doc.text)),
                    cue_class: q.cue_class.as_deref(),
                    speaker: q.speaker.as_ref().map(|s| SpeakerRecord {
                        start: cp.of(s.span.start),
                        end: cp.of(s.span.end),
                        text: s.span.slice(&doc.text),
                        entity: s.entity,
                        actor: s.actor.as_ref().map(actor_record),
                    }),
                    rule: q.rule.to_string(),
                })
                .collect()
        }),
    };
    serde_json::to_writer(out, &rec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Paragraph, ParagraphKind, Sentence, SentenceKind, Span};

    fn slice_cp(text: &str, s: usize, e: usize) -> String {
        text.chars().skip(s).take(e - s).collect()
    }

    #[test]
    fn record_offsets_slice_the_text_in_code_points() {
        let text = "Łukasz said “no”.\n\nÉlysée replied.".to_string();
        let mut doc = Document::new("t", text.clone());
        let p1 = Span::new(0, text.find("\n\n").unwrap());
        let p2 = Span::new(text.find("Élysée").unwrap(), text.len());
        doc.paragraphs = Some(vec![
            Paragraph {
                span: p1,
                kind: ParagraphKind::Body,
            },
            Paragraph {
                span: p2,
                kind: ParagraphKind::Body,
            },
        ]);
        doc.sentences = Some(vec![
            Sentence {
                span: p1,
                paragraph: 0,
                kind: SentenceKind::Sentence,
            },
            Sentence {
                span: p2,
                paragraph: 1,
                kind: SentenceKind::Sentence,
            },
        ]);
        let mut out = Vec::new();
        write_record(&doc, RecordOptions::default(), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let t = v["text"].as_str().unwrap();
        let sents = v["sentences"].as_array().unwrap();
        let want = [p1.slice(&text), p2.slice(&text)];
        for (s, w) in sents.iter().zip(want) {
            let (a, b) = (
                s[0].as_u64().unwrap() as usize,
                s[1].as_u64().unwrap() as usize,
            );
            assert_eq!(slice_cp(t, a, b), w);
        }
        assert_eq!(v["record_version"], RECORD_VERSION);
    }

    #[test]
    fn record_leaves_out_layers_that_did_not_run() {
        let doc = Document::new("t", "Text.".into());
        let mut out = Vec::new();
        write_record(&doc, RecordOptions::default(), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(v.get("sentences").is_none());
        assert!(v.get("paragraphs").is_none());
        assert!(v.get("tokens").is_none());
        assert_eq!(v["removed"], serde_json::json!([]));
        assert_eq!(v["date_source"], "none");
    }
}
