//! Reading the ledger: event and quote filters, rows, and their sources.
//!
//! Filters combine with AND. An actor given in capitals ("RUS", "RUSMIL", "IGONAT")
//! is a CAMEO code prefix on either side; anything else ("Putin", "lukashenko") is a
//! case-insensitive part of a name, matched against the name an actor's coreference
//! chain starts with — so "he" in a story is found under the person's name.

use crate::prepare::{EventCode, PlaceRow};
use crate::timespan;
use crate::{Result, Store};
use rusqlite::types::Value as Sql;
use serde_json::{json, Value};

/// Which events to list or export.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Either side: code prefix (capitals) or part of a name.
    pub actor: Option<String>,
    /// The acting side only.
    pub source: Option<String>,
    /// The side acted upon only.
    pub target: Option<String>,
    /// ISO-3 country of either actor or of the place.
    pub country: Option<String>,
    /// CAMEO root ("04").
    pub root: Option<String>,
    /// CAMEO code prefix ("042", "04").
    pub cameo: Option<String>,
    /// PLOVER type (case-insensitive).
    pub plover: Option<String>,
    /// First day (YYYY-MM-DD, or any TIMEX date: "2022-12" starts on the 1st).
    pub from: Option<String>,
    /// Last day (inclusive; "2022-12" ends on the 31st).
    pub to: Option<String>,
    /// Part of the place's name, or its ISO-3 country.
    pub place: Option<String>,
    /// FTS5 query over the texts and titles of the events' source articles.
    pub text: Option<String>,
    /// Most rows returned (0: all).
    pub limit: usize,
}

/// A filter value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{option}: {msg}")]
pub struct FilterError {
    /// The option.
    pub option: &'static str,
    /// Why.
    pub msg: String,
}

/// One side of an event as stored: the name its coreference chain starts with, and
/// its CAMEO code, country and sector.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActorRow {
    /// Name.
    pub name: Option<String>,
    /// CAMEO actor code.
    pub code: Option<String>,
    /// ISO-3 country or IGO.
    pub country: Option<String>,
    /// CAMEO sector.
    pub sector: Option<String>,
}

impl ActorRow {
    /// The side from four columns of a row, name first (`EVENT_COLUMNS` order).
    fn read(r: &rusqlite::Row, first: usize) -> rusqlite::Result<ActorRow> {
        Ok(ActorRow {
            name: r.get(first)?,
            code: r.get(first + 1)?,
            country: r.get(first + 2)?,
            sector: r.get(first + 3)?,
        })
    }

    /// The side as JSON, or null when nothing is known of it.
    pub fn to_json(&self) -> Value {
        if *self == ActorRow::default() {
            Value::Null
        } else {
            json!({"name": self.name, "code": self.code, "country": self.country,
                   "sector": self.sector})
        }
    }
}

/// One event row with its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// Ledger id.
    pub event_id: i64,
    /// TIMEX3 date value.
    pub date: Option<String>,
    /// What kind of act.
    pub code: EventCode,
    /// Who acted.
    pub source: ActorRow,
    /// On whom.
    pub target: ActorRow,
    /// Where (all fields empty when no place was coded).
    pub place: PlaceRow,
    /// The document that first told it.
    pub first_doc: i64,
    /// Its sentence there.
    pub first_sentence: i64,
    /// Mentions.
    pub num_mentions: i64,
    /// Distinct articles.
    pub num_articles: i64,
    /// Distinct publishers.
    pub num_sources: i64,
    /// Story cluster of the first telling.
    pub story_id: i64,
    /// Provenance of the first telling.
    pub rule: String,
}

/// A telling of an event: the document and sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    /// Ledger document id.
    pub doc_id: i64,
    /// The input's id.
    pub input_id: String,
    /// URL.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Publisher.
    pub site: Option<String>,
    /// Document date.
    pub doc_date: Option<String>,
    /// The sentence.
    pub excerpt: String,
    /// Sentence index.
    pub sentence: i64,
    /// Whose speech reported it.
    pub reported_by: Option<String>,
    /// Provenance.
    pub rule: String,
}

impl EventRow {
    /// The row as JSON, with its sources.
    pub fn to_json(&self, sources: &[SourceRow]) -> Value {
        let place = if self.place.name.is_some() || self.place.country.is_some() {
            json!({"name": self.place.name, "country": self.place.country, "lat": self.place.lat,
                   "lon": self.place.lon, "geonames_id": self.place.geonames_id, "feature": self.place.feature})
        } else {
            Value::Null
        };
        json!({
            "event_id": self.event_id, "date": self.date, "cameo": self.code.cameo, "root": self.code.root,
            "label": self.code.label,
            "plover": self.code.plover_type.as_ref().map(|t| json!({"type": t, "mode": self.code.plover_mode})),
            "goldstein": self.code.goldstein, "quad_class": self.code.quad_class,
            "source": self.source.to_json(), "target": self.target.to_json(), "place": place,
            "num_mentions": self.num_mentions, "num_articles": self.num_articles,
            "num_sources": self.num_sources, "story_id": self.story_id, "rule": self.rule,
            "sources": sources.iter().map(|s| json!({
                "doc_id": s.doc_id, "id": s.input_id, "url": s.url, "title": s.title,
                "site": s.site, "date": s.doc_date, "sentence": s.sentence, "text": s.excerpt,
                "reported_by": s.reported_by, "rule": s.rule,
            })).collect::<Vec<_>>(),
        })
    }
}

const EVENT_COLUMNS: &str = "e.event_id, e.date, e.cameo, e.root, e.label, e.plover_type,
    e.plover_mode, e.goldstein, e.quad_class, e.source_name, e.source_code, e.source_country,
    e.source_sector, e.target_name, e.target_code, e.target_country, e.target_sector,
    e.place_name, e.place_country, e.place_lat, e.place_lon, e.place_geonames_id,
    e.place_feature, e.first_doc, e.first_sentence, e.num_mentions, e.num_articles,
    e.num_sources, e.story_id, e.rule";

fn event_row(r: &rusqlite::Row) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        event_id: r.get(0)?,
        date: r.get(1)?,
        code: EventCode {
            cameo: r.get(2)?,
            root: r.get(3)?,
            label: r.get(4)?,
            plover_type: r.get(5)?,
            plover_mode: r.get(6)?,
            goldstein: r.get(7)?,
            quad_class: r.get(8)?,
        },
        source: ActorRow::read(r, 9)?,
        target: ActorRow::read(r, 13)?,
        place: PlaceRow {
            name: r.get(17)?,
            country: r.get(18)?,
            lat: r.get(19)?,
            lon: r.get(20)?,
            geonames_id: r.get(21)?,
            feature: r.get(22)?,
        },
        first_doc: r.get(23)?,
        first_sentence: r.get(24)?,
        num_mentions: r.get(25)?,
        num_articles: r.get(26)?,
        num_sources: r.get(27)?,
        story_id: r.get(28)?,
        rule: r.get(29)?,
    })
}

/// A code is written in capitals (and digits): "RUS", "USAMIL", "IGOUNO".
fn is_code(s: &str) -> bool {
    s.len() >= 3
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn side_clause(side: &str, value: &str, args: &mut Vec<Sql>) -> String {
    if is_code(value) {
        args.push(Sql::Text(format!("{value}%")));
        format!("e.{side}_code LIKE ?{}", args.len())
    } else {
        args.push(Sql::Text(format!("%{}%", value.to_lowercase())));
        format!("lower(e.{side}_name) LIKE ?{}", args.len())
    }
}

fn day_bound(option: &'static str, v: &str, end: bool) -> std::result::Result<i64, FilterError> {
    timespan::days(v)
        .map(|(a, b)| if end { b } else { a })
        .ok_or_else(|| FilterError {
            option,
            msg: format!("{v:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        })
}

impl EventFilter {
    fn sql(&self) -> std::result::Result<(String, Vec<Sql>), FilterError> {
        let mut w = Vec::new();
        let mut args: Vec<Sql> = Vec::new();
        if let Some(a) = &self.actor {
            let s = side_clause("source", a, &mut args);
            let t = side_clause("target", a, &mut args);
            w.push(format!("({s} OR {t})"));
        }
        if let Some(a) = &self.source {
            w.push(side_clause("source", a, &mut args));
        }
        if let Some(a) = &self.target {
            w.push(side_clause("target", a, &mut args));
        }
        if let Some(c) = &self.country {
            args.push(Sql::Text(c.to_uppercase()));
            let n = args.len();
            w.push(format!(
                "(e.source_country = ?{n} OR e.target_country = ?{n} OR e.place_country = ?{n})"
            ));
        }
        if let Some(r) = &self.root {
            args.push(Sql::Text(format!("{r:0>2}")));
            w.push(format!("e.root = ?{}", args.len()));
        }
        if let Some(c) = &self.cameo {
            args.push(Sql::Text(format!("{c}%")));
            w.push(format!("e.cameo LIKE ?{}", args.len()));
        }
        if let Some(p) = &self.plover {
            args.push(Sql::Text(p.to_uppercase()));
            w.push(format!("upper(e.plover_type) = ?{}", args.len()));
        }
        // A date range keeps events whose own span overlaps it.
        if let Some(f) = &self.from {
            args.push(Sql::Integer(day_bound("--from", f, false)?));
            w.push(format!("e.day_end >= ?{}", args.len()));
        }
        if let Some(t) = &self.to {
            args.push(Sql::Integer(day_bound("--to", t, true)?));
            w.push(format!("e.day_start <= ?{}", args.len()));
        }
        if let Some(p) = &self.place {
            if is_code(p) {
                args.push(Sql::Text(p.clone()));
                w.push(format!("e.place_country = ?{}", args.len()));
            } else {
                args.push(Sql::Text(format!("%{}%", p.to_lowercase())));
                w.push(format!("lower(e.place_name) LIKE ?{}", args.len()));
            }
        }
        if let Some(q) = &self.text {
            args.push(Sql::Text(q.clone()));
            w.push(format!(
                "e.event_id IN (SELECT m.event_id FROM mentions m WHERE m.doc_id IN
                   (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?{}))",
                args.len()
            ));
        }
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events e");
        if !w.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&w.join(" AND "));
        }
        sql.push_str(" ORDER BY e.day_start IS NULL, e.day_start, e.event_id");
        if self.limit > 0 {
            sql.push_str(&format!(" LIMIT {}", self.limit));
        }
        Ok((sql, args))
    }
}

/// A query failure: a bad filter or the store.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// A filter value.
    #[error(transparent)]
    Filter(#[from] FilterError),
    /// The store.
    #[error(transparent)]
    Store(#[from] crate::StoreError),
}

impl Store {
    /// Call `f` with each event the filter selects, in date order.
    pub fn for_each_event(
        &self,
        filter: &EventFilter,
        f: &mut dyn FnMut(EventRow) -> std::io::Result<()>,
    ) -> std::result::Result<std::io::Result<()>, QueryError> {
        let (sql, args) = filter.sql()?;
        let mut st = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = st
            .query(rusqlite::params_from_iter(args))
            .map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let row = event_row(r).map_err(|e| self.err(e))?;
            if let Err(e) = f(row) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    /// Call `f` with each event the filter selects and its tellings, in date order:
    /// what queries and exports iterate. A store error while fetching the tellings ends
    /// the walk and is returned as the query's error; `f`'s own write errors are
    /// returned inside.
    pub fn for_each_event_with_sources(
        &self,
        filter: &EventFilter,
        f: &mut dyn FnMut(EventRow, Vec<SourceRow>) -> std::io::Result<()>,
    ) -> std::result::Result<std::io::Result<()>, QueryError> {
        let mut failed = None;
        let io = self.for_each_event(filter, &mut |ev| match self.sources(ev.event_id) {
            Ok(sources) => f(ev, sources),
            Err(e) => {
                failed = Some(e);
                Err(std::io::Error::other("store error"))
            }
        })?;
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(io),
        }
    }

    /// The tellings of an event, oldest document first.
    pub fn sources(&self, event_id: i64) -> Result<Vec<SourceRow>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT d.doc_id, d.input_id, d.url, d.title, d.site, d.date, m.excerpt,
                        m.sentence, m.reported_by, m.rule
                 FROM mentions m JOIN documents d ON d.doc_id = m.doc_id
                 WHERE m.event_id = ?1 ORDER BY d.doc_id, m.sentence",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([event_id], |r| {
                Ok(SourceRow {
                    doc_id: r.get(0)?,
                    input_id: r.get(1)?,
                    url: r.get(2)?,
                    title: r.get(3)?,
                    site: r.get(4)?,
                    doc_date: r.get(5)?,
                    excerpt: r.get(6)?,
                    sentence: r.get(7)?,
                    reported_by: r.get(8)?,
                    rule: r.get(9)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }
}

/// Which quotes to list.
#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Speaker: code prefix (capitals) or part of the name (as written or resolved).
    pub speaker: Option<String>,
    /// Part of the quoted text (case-insensitive).
    pub contains: Option<String>,
    /// Cue class (say, deny, warn, accuse …).
    pub cue_class: Option<String>,
    /// First document date.
    pub from: Option<String>,
    /// Last document date.
    pub to: Option<String>,
    /// Most rows (0: all).
    pub limit: usize,
}

impl Store {
    /// Quotes the filter selects, as JSON objects, by document and position.
    pub fn quotes(&self, f: &QuoteFilter) -> std::result::Result<Vec<Value>, QueryError> {
        let mut w = Vec::new();
        let mut args: Vec<Sql> = Vec::new();
        if let Some(s) = &f.speaker {
            if is_code(s) {
                args.push(Sql::Text(format!("{s}%")));
                w.push(format!("q.speaker_code LIKE ?{}", args.len()));
            } else {
                args.push(Sql::Text(format!("%{}%", s.to_lowercase())));
                let n = args.len();
                w.push(format!(
                    "(lower(q.speaker_name) LIKE ?{n} OR lower(q.speaker_text) LIKE ?{n})"
                ));
            }
        }
        if let Some(c) = &f.contains {
            args.push(Sql::Text(format!("%{}%", c.to_lowercase())));
            w.push(format!("lower(q.text) LIKE ?{}", args.len()));
        }
        if let Some(c) = &f.cue_class {
            args.push(Sql::Text(c.to_lowercase()));
            w.push(format!("q.cue_class = ?{}", args.len()));
        }
        for (opt, v, end) in [("--from", &f.from, false), ("--to", &f.to, true)] {
            if let Some(v) = v {
                let day = day_bound(opt, v, end)?;
                args.push(Sql::Text(timespan::day_to_iso(day).unwrap_or_default()));
                w.push(format!(
                    "d.date {} ?{}",
                    if end { "<=" } else { ">=" },
                    args.len()
                ));
            }
        }
        let mut sql = "SELECT q.doc_id, d.input_id, d.url, d.date, q.start, q.end, q.text, q.kind,
                q.cue, q.cue_class, q.speaker_text, q.speaker_name, q.speaker_code
             FROM quotes q JOIN documents d ON d.doc_id = q.doc_id"
            .to_string();
        if !w.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&w.join(" AND "));
        }
        sql.push_str(" ORDER BY q.doc_id, q.start");
        if f.limit > 0 {
            sql.push_str(&format!(" LIMIT {}", f.limit));
        }
        let mut st = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok(json!({
                    "doc_id": r.get::<_, i64>(0)?, "id": r.get::<_, String>(1)?,
                    "url": r.get::<_, Option<String>>(2)?, "date": r.get::<_, Option<String>>(3)?,
                    "start": r.get::<_, i64>(4)?, "end": r.get::<_, i64>(5)?,
                    "text": r.get::<_, String>(6)?, "kind": r.get::<_, String>(7)?,
                    "cue": r.get::<_, Option<String>>(8)?, "cue_class": r.get::<_, Option<String>>(9)?,
                    "speaker": {"text": r.get::<_, Option<String>>(10)?,
                                "name": r.get::<_, Option<String>>(11)?,
                                "code": r.get::<_, Option<String>>(12)?},
                }))
            })
            .map_err(|e| self.err(e))?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?)
    }
}
