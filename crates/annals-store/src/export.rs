//! Exports in the formats users already load: GDELT 2.0 event TSV, PLOVER JSON Lines,
//! CSV, and the ledger's own JSON Lines. Every export takes the same [`EventFilter`] as
//! `annals query` and writes events in date order.
//!
//! GDELT 2.0 columns are GDELT's 61, in its order. Where Annals knows less or
//! differently, the field says so rather than pretending:
//! - `SQLDATE` is the event's own date when it is day-precise, else the first
//!   reporting article's date (GDELT's only behaviour);
//! - `AvgTone` is empty (Annals measures no tone);
//! - actor geography is empty (type 0): Annals places events, not actors;
//! - `ActionGeo_CountryCode` is ISO 3166 alpha-3, as everywhere in Annals (GDELT uses
//!   FIPS 10-4); `ActionGeo_FeatureID` is the GeoNames id;
//! - `IsRootEvent` is 1 when the first telling is the article's lead sentence;
//! - `DATEADDED` is the first reporting article's date (at 000000): deterministic,
//!   unlike an ingest clock.

use crate::query::{EventFilter, EventRow, QueryError, SourceRow};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use serde_json::json;
use std::io::Write;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// GDELT 2.0 event table, tab-separated, no header.
    Gdelt,
    /// PLOVER / POLECAT-style JSON, one event per line.
    Plover,
    /// CSV with a header.
    Csv,
    /// The ledger's own JSON Lines (the `annals query` rows, with sources).
    Jsonl,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportStats {
    /// Rows written.
    pub rows: u64,
    /// Events left out (PLOVER: codes with no PLOVER type).
    pub left_out: u64,
}

/// Number of GDELT 2.0 event columns.
pub const GDELT_COLUMNS: usize = 61;

/// CSV columns.
pub const CSV_HEADER: &[&str] = &[
    "event_id",
    "date",
    "cameo",
    "root",
    "label",
    "plover_type",
    "plover_mode",
    "goldstein",
    "quad_class",
    "source_name",
    "source_code",
    "source_country",
    "source_sector",
    "target_name",
    "target_code",
    "target_country",
    "target_sector",
    "place_name",
    "place_country",
    "lat",
    "lon",
    "geonames_id",
    "num_mentions",
    "num_articles",
    "num_sources",
    "first_url",
    "first_sentence",
    "rule",
];

/// Write the events the filter selects.
pub fn export(
    store: &Store,
    filter: &EventFilter,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<std::io::Result<ExportStats>, QueryError> {
    let mut stats = ExportStats::default();
    if format == ExportFormat::Csv {
        if let Err(e) = csv_line(out, CSV_HEADER.iter().map(|s| s.to_string())) {
            return Ok(Err(e));
        }
    }
    let io = store.for_each_event_with_sources(filter, &mut |ev, sources| {
        match format {
            ExportFormat::Gdelt => {
                let row = gdelt_row(&ev, &sources);
                out.write_all(row.join("\t").as_bytes())?;
                out.write_all(b"\n")?;
            }
            ExportFormat::Plover => {
                let Some(v) = plover_json(&ev, &sources) else {
                    stats.left_out += 1;
                    return Ok(());
                };
                serde_json::to_writer(&mut *out, &v)?;
                out.write_all(b"\n")?;
            }
            ExportFormat::Csv => csv_line(out, csv_fields(&ev, &sources).into_iter())?,
            ExportFormat::Jsonl => {
                serde_json::to_writer(&mut *out, &ev.to_json(&sources))?;
                out.write_all(b"\n")?;
            }
        }
        stats.rows += 1;
        Ok(())
    })?;
    Ok(io.map(|()| stats))
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x}")).unwrap_or_default()
}

fn day_of(value: Option<&str>) -> Option<NaiveDate> {
    let v = value?;
    NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok()
}

/// One GDELT 2.0 event row (61 fields).
pub fn gdelt_row(ev: &EventRow, sources: &[SourceRow]) -> Vec<String> {
    let first = sources.first();
    let doc_day = day_of(first.and_then(|s| s.doc_date.as_deref()));
    let day = day_of(ev.date.as_deref())
        .filter(|_| {
            ev.date
                .as_deref()
                .is_some_and(|d| d.len() == 10 || d.as_bytes().get(10) == Some(&b'T'))
        })
        .or(doc_day);
    let mut r: Vec<String> = Vec::with_capacity(GDELT_COLUMNS);
    r.push(ev.event_id.to_string());
    match day {
        Some(d) => {
            r.push(d.format("%Y%m%d").to_string());
            r.push(d.format("%Y%m").to_string());
            r.push(d.year().to_string());
            let frac = d.year() as f64 + (d.ordinal() as f64 - 1.0) / 365.0;
            r.push(format!("{frac:.4}"));
        }
        None => r.extend(std::iter::repeat_n(String::new(), 4)),
    }
    for a in [&ev.source, &ev.target] {
        let code = opt(&a.code);
        let known_group = code
            .strip_prefix("IGO")
            .map(|g| g.chars().take(3).collect())
            .unwrap_or_default();
        r.push(code);
        r.push(a.name.as_deref().map(str::to_uppercase).unwrap_or_default());
        r.push(opt(&a.country));
        r.push(known_group);
        r.push(String::new()); // EthnicCode
        r.push(String::new()); // Religion1Code
        r.push(String::new()); // Religion2Code
        r.push(opt(&a.sector)); // Type1Code
        r.push(String::new()); // Type2Code
        r.push(String::new()); // Type3Code
    }
    r.push(u8::from(first.is_some_and(|s| s.sentence == 0)).to_string());
    r.push(ev.code.cameo.clone());
    r.push(ev.code.cameo.chars().take(3).collect());
    r.push(ev.code.root.clone());
    r.push(ev.code.quad_class.to_string());
    r.push(num(ev.code.goldstein));
    r.push(ev.num_mentions.to_string());
    r.push(ev.num_sources.to_string());
    r.push(ev.num_articles.to_string());
    r.push(String::new()); // AvgTone
    for _ in 0..2 {
        // Actor1Geo_*, Actor2Geo_*: Type, FullName, CountryCode, ADM1, ADM2, Lat, Long, FeatureID.
        r.push("0".into());
        r.extend(std::iter::repeat_n(String::new(), 7));
    }
    if ev.place.name.is_some() || ev.place.country.is_some() {
        let geo_type = match ev.place.feature.as_deref() {
            Some(f) if f.starts_with("PCL") => "1",
            Some("ADM1") => "5",
            _ => "4",
        };
        r.push(geo_type.into());
        r.push(opt(&ev.place.name));
        r.push(opt(&ev.place.country));
        r.push(String::new());
        r.push(String::new());
        r.push(num(ev.place.lat));
        r.push(num(ev.place.lon));
        r.push(
            ev.place
                .geonames_id
                .map(|g| g.to_string())
                .unwrap_or_default(),
        );
    } else {
        r.push("0".into());
        r.extend(std::iter::repeat_n(String::new(), 7));
    }
    r.push(
        doc_day
            .or(day)
            .map(|d| format!("{}000000", d.format("%Y%m%d")))
            .unwrap_or_default(),
    );
    r.push(
        first
            .map(|s| s.url.clone().unwrap_or_else(|| s.input_id.clone()))
            .unwrap_or_default(),
    );
    // Tabs and newlines inside a field would break the row.
    for f in &mut r {
        if f.contains(['\t', '\n', '\r']) {
            *f = f.replace(['\t', '\n', '\r'], " ");
        }
    }
    debug_assert_eq!(r.len(), GDELT_COLUMNS);
    r
}

/// A PLOVER/POLECAT-style event, or None when the CAMEO code has no PLOVER type.
pub fn plover_json(ev: &EventRow, sources: &[SourceRow]) -> Option<serde_json::Value> {
    let event_type = ev.code.plover_type.as_ref()?;
    let first = sources.first();
    Some(json!({
        "id": ev.event_id.to_string(),
        "event_date": ev.date,
        "event_type": event_type,
        "event_mode": ev.code.plover_mode,
        "actor": ev.source.name, "actor_code": ev.source.code,
        "actor_country": ev.source.country, "actor_sector": ev.source.sector,
        "recipient": ev.target.name, "recipient_code": ev.target.code,
        "recipient_country": ev.target.country, "recipient_sector": ev.target.sector,
        "location": if ev.place.name.is_some() || ev.place.country.is_some() {
            json!({"name": ev.place.name, "country": ev.place.country, "lat": ev.place.lat,
                   "lon": ev.place.lon, "geonames_id": ev.place.geonames_id})
        } else { serde_json::Value::Null },
        "cameo": ev.code.cameo,
        "num_sources": ev.num_sources,
        "text": first.map(|s| s.excerpt.clone()),
        "urls": sources.iter().map(|s| s.url.clone().unwrap_or_else(|| s.input_id.clone())).collect::<Vec<_>>(),
    }))
}

fn csv_fields(ev: &EventRow, sources: &[SourceRow]) -> Vec<String> {
    let first = sources.first();
    let mut f = vec![
        ev.event_id.to_string(),
        opt(&ev.date),
        ev.code.cameo.clone(),
        ev.code.root.clone(),
        ev.code.label.clone(),
        opt(&ev.code.plover_type),
        opt(&ev.code.plover_mode),
        num(ev.code.goldstein),
        ev.code.quad_class.to_string(),
    ];
    for a in [&ev.source, &ev.target] {
        f.extend([&a.name, &a.code, &a.country, &a.sector].map(opt));
    }
    f.extend([
        opt(&ev.place.name),
        opt(&ev.place.country),
        num(ev.place.lat),
        num(ev.place.lon),
        ev.place
            .geonames_id
            .map(|g| g.to_string())
            .unwrap_or_default(),
        ev.num_mentions.to_string(),
        ev.num_articles.to_string(),
        ev.num_sources.to_string(),
        first
            .map(|s| s.url.clone().unwrap_or_else(|| s.input_id.clone()))
            .unwrap_or_default(),
        first.map(|s| s.excerpt.clone()).unwrap_or_default(),
        ev.rule.clone(),
    ]);
    f
}

/// One CSV line (RFC 4180 quoting).
fn csv_line(out: &mut dyn Write, fields: impl Iterator<Item = String>) -> std::io::Result<()> {
    let mut line = String::new();
    for (i, f) in fields.enumerate() {
        if i > 0 {
            line.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&f.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&f);
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::{EventCode, PlaceRow};
    use crate::query::ActorRow;

    fn row() -> EventRow {
        EventRow {
            event_id: 7,
            date: Some("2024-03-05".into()),
            code: EventCode {
                cameo: "042".into(),
                root: "04".into(),
                label: "Make a visit".into(),
                plover_type: Some("CONSULT".into()),
                plover_mode: Some("visit".into()),
                goldstein: Some(1.9),
                quad_class: 1,
            },
            source: ActorRow {
                name: Some("Anna Marr".into()),
                code: Some("ARLGOV".into()),
                country: Some("ARL".into()),
                sector: Some("GOV".into()),
            },
            target: ActorRow {
                name: Some("Bessia".into()),
                code: Some("BES".into()),
                country: Some("BES".into()),
                sector: None,
            },
            place: PlaceRow {
                name: Some("Vell".into()),
                country: Some("BES".into()),
                lat: Some(1.5),
                lon: Some(2.5),
                geonames_id: Some(42),
                feature: Some("PPLC".into()),
            },
            first_doc: 1,
            first_sentence: 0,
            num_mentions: 2,
            num_articles: 2,
            num_sources: 1,
            story_id: 1,
            rule: "verbs.txt:1".into(),
        }
    }

    fn src() -> SourceRow {
        SourceRow {
            doc_id: 1,
            input_id: "a.txt".into(),
            url: None,
            title: None,
            site: None,
            doc_date: Some("2024-03-06".into()),
            excerpt: "Anna Marr visited Bessia,\tthe \"island\".".into(),
            sentence: 0,
            reported_by: None,
            rule: "verbs.txt:1".into(),
        }
    }

    #[test]
    fn gdelt_rows_have_61_fields_in_gdelt_order() {
        let r = gdelt_row(&row(), &[src()]);
        assert_eq!(r.len(), GDELT_COLUMNS);
        assert_eq!(r[1], "20240305");
        assert_eq!(r[5], "ARLGOV");
        assert_eq!(r[6], "ANNA MARR");
        assert_eq!(r[12], "GOV");
        assert_eq!(r[25], "1", "IsRootEvent: told in the lead sentence");
        assert_eq!(
            (r[26].as_str(), r[27].as_str(), r[28].as_str()),
            ("042", "042", "04")
        );
        assert_eq!(r[51], "4");
        assert_eq!(r[52], "Vell");
        assert_eq!(r[58], "42");
        assert_eq!(r[59], "20240306000000");
        assert_eq!(r[60], "a.txt");
        // A month-precise event takes the article's day, as GDELT does.
        let mut month = row();
        month.date = Some("2024-02".into());
        assert_eq!(gdelt_row(&month, &[src()])[1], "20240306");
    }

    #[test]
    fn csv_quotes_fields_and_plover_needs_a_type() {
        let mut out = Vec::new();
        csv_line(&mut out, csv_fields(&row(), &[src()]).into_iter()).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(line.contains("\"Anna Marr visited Bessia,\tthe \"\"island\"\".\""));
        assert_eq!(csv_fields(&row(), &[src()]).len(), CSV_HEADER.len());
        assert!(plover_json(&row(), &[src()]).is_some());
        let mut none = row();
        none.code.plover_type = None;
        assert!(plover_json(&none, &[src()]).is_none());
    }
}
