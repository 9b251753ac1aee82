//! `annals show`: one stored article for a reader — its metadata and story, then its
//! text sentence by sentence with time values inline (`Monday ⟨2022-12-19⟩`) and,
//! under each sentence, the events it tells (with their ledger ids and how many
//! articles tell them) and the quotes it holds with their speakers.

use crate::prepare::cp_slice;
use crate::{Result, Store, StoreError};
use rusqlite::OptionalExtension;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

impl Store {
    /// The ledger id of a document given by ledger id or by input id.
    pub fn find_doc(&self, which: &str) -> Result<Option<i64>> {
        let by_input = self
            .conn
            .query_row(
                "SELECT doc_id FROM documents WHERE input_id = ?1 ORDER BY doc_id LIMIT 1",
                [which],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if by_input.is_some() {
            return Ok(by_input);
        }
        let Ok(id) = which.trim_start_matches('#').parse::<i64>() else {
            return Ok(None);
        };
        self.conn
            .query_row(
                "SELECT doc_id FROM documents WHERE doc_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The stored record of a document, as `annals analyze` wrote it.
    pub fn record(&self, doc_id: i64) -> Result<Value> {
        let packed: Vec<u8> = self
            .conn
            .query_row(
                "SELECT record FROM documents WHERE doc_id = ?1",
                [doc_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        let bytes = lz4_flex::decompress_size_prepended(&packed).map_err(|e| {
            StoreError::BadRecord(
                format!("document {doc_id}"),
                serde::de::Error::custom(format!("stored record does not decompress: {e}")),
            )
        })?;
        serde_json::from_slice(&bytes)
            .map_err(|e| StoreError::BadRecord(format!("document {doc_id}"), e))
    }

    /// The article rendered for reading.
    pub fn show(&self, doc_id: i64) -> Result<String> {
        let rec = self.record(doc_id)?;
        let (input_id, url, site, story, sim): (String, Option<String>, Option<String>, i64, f64) =
            self.conn
                .query_row(
                    "SELECT input_id, url, site, story_id, similarity FROM documents WHERE doc_id = ?1",
                    [doc_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .map_err(|e| self.err(e))?;
        let copies: Vec<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT doc_id FROM documents WHERE story_id = ?1 AND doc_id != ?2 ORDER BY doc_id LIMIT 20")
                .map_err(|e| self.err(e))?;
            let rows = st
                .query_map([story, doc_id], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| self.err(e))?
        };
        let mut ledger: HashMap<String, (i64, i64)> = HashMap::new();
        {
            let mut st = self
                .conn
                .prepare(
                    "SELECT m.doc_event, e.event_id, e.num_articles FROM mentions m
                     JOIN events e ON e.event_id = m.event_id WHERE m.doc_id = ?1",
                )
                .map_err(|e| self.err(e))?;
            let rows = st
                .query_map([doc_id], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
                .map_err(|e| self.err(e))?;
            for r in rows {
                let (k, v) = r.map_err(|e| self.err(e))?;
                ledger.insert(k, v);
            }
        }
        Ok(render(
            &rec, doc_id, &input_id, url, site, story, sim, &copies, &ledger,
        ))
    }
}

fn st<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn n(v: &Value, k: &str) -> usize {
    v.get(k).and_then(Value::as_u64).unwrap_or(0) as usize
}

fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn actor(v: &Value) -> String {
    if v.is_null() {
        return "—".into();
    }
    match v.pointer("/actor/code").and_then(Value::as_str) {
        Some(c) => format!("{} ({c})", st(v, "text")),
        None => st(v, "text").to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    rec: &Value,
    doc_id: i64,
    input_id: &str,
    url: Option<String>,
    site: Option<String>,
    story: i64,
    sim: f64,
    copies: &[i64],
    ledger: &HashMap<String, (i64, i64)>,
) -> String {
    let text = st(rec, "text");
    let mut o = String::new();
    let title = rec
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("(no title)");
    let _ = writeln!(o, "#{doc_id}  {title}");
    let _ = writeln!(o, "input: {input_id}");
    if let Some(u) = url {
        let _ = writeln!(o, "url:   {u}");
    }
    if let Some(s) = site {
        let _ = writeln!(o, "site:  {s}");
    }
    let _ = writeln!(
        o,
        "date:  {} ({})",
        rec.get("date").and_then(Value::as_str).unwrap_or("unknown"),
        st(rec, "date_source")
    );
    if copies.is_empty() {
        let _ = writeln!(o, "story: {story} (no other copy stored)");
    } else {
        let list: Vec<String> = copies.iter().map(|c| format!("#{c}")).collect();
        let _ = writeln!(
            o,
            "story: {story}, also told by {} (similarity of this copy {:.2})",
            list.join(", "),
            sim
        );
    }
    o.push('\n');

    let timexes = arr(rec, "timexes");
    let events = arr(rec, "events");
    let quotes = arr(rec, "quotes");
    let mut prev_end = 0usize;
    for (i, s) in arr(rec, "sentences").iter().enumerate() {
        let (a, b) = match s.as_array().map(Vec::as_slice) {
            Some([a, b]) => (
                a.as_u64().unwrap_or(0) as usize,
                b.as_u64().unwrap_or(0) as usize,
            ),
            _ => continue,
        };
        if i > 0 && cp_slice(text, prev_end, a).contains("\n\n") {
            o.push('\n');
        }
        prev_end = b;
        // The sentence with each time expression's value after it.
        let mut pos = a;
        for t in timexes
            .iter()
            .filter(|t| n(t, "start") >= a && n(t, "end") <= b)
        {
            o.push_str(cp_slice(text, pos, n(t, "start")));
            o.push_str(st(t, "text"));
            if let Some(v) = t.get("value").and_then(Value::as_str) {
                let _ = write!(o, " ⟨{v}⟩");
            }
            pos = n(t, "end");
        }
        o.push_str(cp_slice(text, pos, b));
        o.push('\n');
        for e in events.iter().filter(|e| n(e, "sentence") == i) {
            let (id, articles) = ledger.get(st(e, "id")).copied().unwrap_or((0, 0));
            let _ = writeln!(
                o,
                "    ▸ event {id} [{} {}] {} → {}{}{}  ({articles} article{})",
                st(e, "cameo"),
                st(e, "label"),
                actor(e.get("source").unwrap_or(&Value::Null)),
                actor(e.get("target").unwrap_or(&Value::Null)),
                e.get("date")
                    .and_then(Value::as_str)
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default(),
                e.pointer("/place/name")
                    .and_then(Value::as_str)
                    .map(|p| format!(", in {p}"))
                    .unwrap_or_default(),
                if articles == 1 { "" } else { "s" },
            );
        }
        for q in quotes.iter().filter(|q| {
            let e = n(q, "end");
            e > a && e <= b
        }) {
            let speaker = q.get("speaker").map(actor).unwrap_or_else(|| "—".into());
            let _ = writeln!(
                o,
                "    ❝ {} ({}, {}): {}",
                speaker,
                st(q, "kind"),
                q.get("cue").and_then(Value::as_str).unwrap_or("no cue"),
                st(q, "text")
            );
        }
    }
    o
}
