//! The single writer: batches of prepared documents in, several batches to a transaction.
//!
//! For each document, in input order (so ids and merges are deterministic):
//!
//! 1. **identity**: a document whose key (hash of id and bytes) is stored is a
//!    duplicate and adds nothing — this makes re-ingesting idempotent;
//! 2. **story**: an exact copy of a stored text, or a document whose MinHash signature
//!    is close enough to a candidate found through the LSH bands, joins that story;
//!    otherwise it starts one;
//! 3. **events**: each event the document tells becomes a mention; it joins an event
//!    row already told by the same story with the same code and actors and an agreeing date
//!    (`--dedup story`), or, across stories, one with the same code, coded source and
//!    target and place within a window of days (`--dedup event`); else it is a new row.
//!
//! Several batches share a transaction (see [`Writer::write_batch`]); a transaction
//! commits whole or not at all, so a killed ingest leaves no partial document and a
//! rerun completes it.

use crate::minhash::{self, SAME_STORY};
use crate::prepare::{Party, PreparedDoc, PreparedEvent};
use crate::{timespan, Result, Store, StoreError};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeSet;

/// How events are merged (`--dedup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dedup {
    /// Every telling is its own event row (stories are still clustered).
    None,
    /// The copies of one story share event rows.
    Story,
    /// As `Story`, and different stories' tellings of the same act (code, coded source
    /// and target, place) within the window share a row.
    Event,
}

impl Dedup {
    /// The name stored in the ledger and used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Dedup::None => "none",
            Dedup::Story => "story",
            Dedup::Event => "event",
        }
    }
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Documents added.
    pub documents: u64,
    /// Documents already stored (same id and bytes).
    pub duplicates: u64,
    /// Added documents that joined an existing story (near-duplicate copies).
    pub joined_story: u64,
    /// New event rows.
    pub events: u64,
    /// Mentions added.
    pub mentions: u64,
    /// Mentions that joined an existing event row.
    pub merged_mentions: u64,
    /// Quotes added.
    pub quotes: u64,
}

impl std::ops::AddAssign for BatchStats {
    fn add_assign(&mut self, o: BatchStats) {
        self.documents += o.documents;
        self.duplicates += o.duplicates;
        self.joined_story += o.joined_story;
        self.events += o.events;
        self.mentions += o.mentions;
        self.merged_mentions += o.merged_mentions;
        self.quotes += o.quotes;
    }
}

/// A copy at least this similar to its story adds no LSH bands: the story's earlier
/// copies already find the next one, and the band table stays proportional to the
/// number of distinct texts, not copies.
const NEW_VARIANT_BELOW: f64 = 0.9;
/// Candidates confirmed per document (the most a band lookup returns).
const MAX_CANDIDATES: usize = 64;

/// Batches per transaction at most (see [`Writer::write_batch`]).
const BATCHES_PER_COMMIT: u32 = 8;
/// Seconds a transaction stays open at most.
const SECONDS_PER_COMMIT: u64 = 10;

/// Bytes of new full-text terms kept in memory before they are written out as an index
/// segment (see [`Writer::new`]).
const FTS_PENDING_BYTES: i64 = 4 << 20;

/// Index segments of one size that FTS5 merges into one (see [`Writer::new`]).
const FTS_MERGE_AT: i64 = 16;

/// Bits in the band filter (8 MiB, whatever the store's size).
const BAND_FILTER_BITS: usize = 1 << 26;

/// The LSH band keys that find a document's story: those stored (`story_bands`) and
/// those of the open transaction, with a filter in front of both.
///
/// - **The filter**: a fixed-size bit set, one bit per key's hash (a Bloom filter with
///   one hash). Most documents start a story of their own, and for them the band lookup
///   — sixteen index seeks — finds nothing; a document none of whose bands has its bit
///   set skips it. A set bit only means "look": a stale or colliding bit costs a
///   lookup, never a missed story. Memory stays fixed as the store grows; false
///   positives grow with it (≈ 1 % of keys at 600,000 stored bands).
/// - **The pending rows**: a transaction's new band rows are kept in key order and
///   written when it commits. A new story adds sixteen rows at random places in the
///   band index; written one by one, each seeks its own page, while written in key
///   order the rows of a transaction share their pages. Lookups read both.
struct StoryBands {
    bits: Vec<u64>,
    pending: BTreeSet<(i64, i64)>,
}

impl StoryBands {
    /// No key set, no rows pending.
    fn empty() -> StoryBands {
        StoryBands {
            bits: vec![0; BAND_FILTER_BITS / 64],
            pending: BTreeSet::new(),
        }
    }

    /// The filter of every band key stored, no rows pending: one scan of the band
    /// table when a writer opens (under 0.1 s for the corpus's 347,000 keys; it grows
    /// with the number of distinct stories, not of copies).
    fn load(conn: &Connection) -> rusqlite::Result<StoryBands> {
        let mut f = StoryBands::empty();
        let mut st = conn.prepare("SELECT band FROM story_bands")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            f.set(r.get(0)?);
        }
        Ok(f)
    }

    fn slot(key: i64) -> (usize, u64) {
        // Band keys are hashes already: their top bits are as good as any.
        let bit = (key as u64 >> (64 - BAND_FILTER_BITS.trailing_zeros())) as usize;
        (bit / 64, 1 << (bit % 64))
    }

    fn set(&mut self, key: i64) {
        let (word, mask) = Self::slot(key);
        self.bits[word] |= mask;
    }

    fn may_contain(&self, key: i64) -> bool {
        let (word, mask) = Self::slot(key);
        self.bits[word] & mask != 0
    }

    /// Add a document's band; written by [`StoryBands::write_pending`].
    fn add(&mut self, band: i64, doc_id: i64) {
        self.set(band);
        self.pending.insert((band, doc_id));
    }

    /// The documents sharing a band with `bands`, stored or pending, in ascending id
    /// order, at most `limit`.
    fn candidates(
        &self,
        tx: &Connection,
        bands: &[i64],
        limit: usize,
    ) -> rusqlite::Result<Vec<i64>> {
        if !bands.iter().any(|&b| self.may_contain(b)) {
            return Ok(Vec::new());
        }
        // One lookup for all bands; the band index makes each IN term a seek.
        let sql = format!(
            "SELECT DISTINCT doc_id FROM story_bands WHERE band IN ({}) ORDER BY doc_id LIMIT {limit}",
            vec!["?"; bands.len()].join(",")
        );
        let mut found: Vec<i64> = tx
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(bands), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // Pending rows belong to documents newer than every stored one: they sort after.
        let mut newer: Vec<i64> = bands
            .iter()
            .flat_map(|&b| self.pending.range((b, i64::MIN)..=(b, i64::MAX)))
            .map(|&(_, doc)| doc)
            .collect();
        newer.sort_unstable();
        newer.dedup();
        found.extend(newer);
        found.truncate(limit);
        Ok(found)
    }

    /// Write the pending rows, in key order (before the transaction commits).
    fn write_pending(&mut self, tx: &Connection) -> rusqlite::Result<()> {
        let mut st = tx.prepare_cached("INSERT INTO story_bands(band, doc_id) VALUES (?1, ?2)")?;
        for (band, doc) in std::mem::take(&mut self.pending) {
            st.execute(params![band, doc])?;
        }
        Ok(())
    }
}

/// Writes batches into a [`Store`].
pub struct Writer {
    store: Store,
    dedup: Dedup,
    window_days: i64,
    bands: StoryBands,
    /// Batches written in the open transaction, and when it began (none open: 0).
    open_batches: u32,
    opened: std::time::Instant,
}

impl Writer {
    /// A writer with the given merge policy. The policy is fixed when a store receives
    /// its first documents; a different one later is refused, since rows merged one way
    /// cannot be unmerged.
    pub fn new(store: Store, dedup: Dedup, window_days: i64) -> Result<Writer> {
        let stored = store.meta("dedup")?;
        match stored.as_deref() {
            Some(d) if d != dedup.name() => {
                return Err(StoreError::Incompatible {
                    path: store.path.clone(),
                    msg: format!(
                        "this store merges events with --dedup {d}; cannot add documents with --dedup {} (use another --db)",
                        dedup.name()
                    ),
                })
            }
            Some(_) => {}
            None => {
                store
                    .conn
                    .execute(
                        "INSERT INTO meta(key, value) VALUES ('dedup', ?1), ('window_days', ?2)",
                        params![dedup.name(), window_days.to_string()],
                    )
                    .map_err(|e| store.err(e))?;
            }
        }
        // The full-text index keeps new terms in a hash table in memory up to this many
        // bytes before writing them out as a segment. Every word of every document is
        // a lookup in that table, so its size is a trade: small, more segments to write
        // and merge; large, lookups that miss the processor's caches — and evict the
        // analysis threads' tables from the shared cache. Sampled on the corpus, 4 MiB
        // against 32 MiB: writer thread −11 %, analysis threads −10 % (1 MiB: −7 %, −9 %).
        store
            .conn
            .execute(
                "INSERT INTO documents_fts(documents_fts, rank) VALUES ('hashsize', ?1)",
                [FTS_PENDING_BYTES],
            )
            .map_err(|e| store.err(e))?;
        // Segments of one size are merged into one of the next when this many have
        // gathered (FTS5's default is 4). Every merge rewrites its postings, so waiting
        // for more of them rewrites each posting fewer times over an ingest; a query
        // reads a few more segments, which on the corpus costs nothing measurable (a
        // phrase, a word in most documents and a prefix query each answer within 0.1 s
        // either way). Writer thread on the corpus, 6 runs each: −8 % samples.
        store
            .conn
            .execute(
                "INSERT INTO documents_fts(documents_fts, rank) VALUES ('automerge', ?1)",
                [FTS_MERGE_AT],
            )
            .map_err(|e| store.err(e))?;
        let window_days = match store.meta("window_days")? {
            Some(w) => w.parse().unwrap_or(window_days),
            None => window_days,
        };
        let bands = StoryBands::load(&store.conn).map_err(|e| store.err(e))?;
        Ok(Writer {
            store,
            dedup,
            window_days,
            bands,
            open_batches: 0,
            opened: std::time::Instant::now(),
        })
    }

    /// Commit what was written; call once after the last batch (dropping a writer
    /// without it rolls the open transaction back, as a kill would).
    pub fn finish(&mut self) -> Result<()> {
        self.commit_now()
    }

    /// Commit the open transaction now rather than when it is full; the next batch
    /// opens another. For the end of an input: the last commit of an ingest is work
    /// no analysis overlaps, so the fewer batches it holds the sooner the ingest ends.
    pub fn commit_now(&mut self) -> Result<()> {
        if self.open_batches > 0 {
            self.commit()?;
        }
        Ok(())
    }

    /// Write the transaction's pending band rows and commit it.
    fn commit(&mut self) -> Result<()> {
        self.open_batches = 0;
        let conn = &self.store.conn;
        self.bands
            .write_pending(conn)
            .and_then(|()| conn.execute_batch("COMMIT"))
            .map_err(|e| crate::sql_err(&self.store.path, e))
    }

    /// Write one batch. Batches are committed together, several to a transaction
    /// (up to [`BATCHES_PER_COMMIT`], or [`SECONDS_PER_COMMIT`]): a commit writes every
    /// page the transaction changed, and the index pages (story bands, events, quotes,
    /// the full-text segments) are changed by nearly every batch, so committing each
    /// batch wrote most of them again and again. A killed ingest loses the open
    /// transaction whole, never part of a document; a rerun adds what it lost.
    pub fn write_batch(&mut self, docs: Vec<PreparedDoc>) -> Result<BatchStats> {
        let path = self.store.path.clone();
        let err = |e| crate::sql_err(&path, e);
        if self.open_batches == 0 {
            // Rows left pending by a transaction that failed were never written.
            self.bands.pending.clear();
            self.store.conn.execute_batch("BEGIN").map_err(err)?;
            self.opened = std::time::Instant::now();
        }
        let tx = &self.store.conn;
        let mut stats = BatchStats::default();
        let mut touched = BTreeSet::new();
        let mut next_doc: i64 = tx
            .query_row(
                "SELECT coalesce(max(doc_id), 0) + 1 FROM documents",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        for doc in docs {
            let known = tx
                .prepare_cached("SELECT 1 FROM documents WHERE doc_key = ?1")
                .and_then(|mut st| st.exists([&doc.key[..]]))
                .map_err(err)?;
            if known {
                stats.duplicates += 1;
                continue;
            }
            let doc_id = next_doc;
            next_doc += 1;
            write_doc(
                tx,
                doc_id,
                &doc,
                &mut self.bands,
                (self.dedup, self.window_days),
                &mut stats,
                &mut touched,
            )
            .map_err(err)?;
        }
        // Counts are recomputed once per event given another mention, not per mention
        // (a new event is stored with its first mention counted).
        for event_id in touched {
            tx.prepare_cached(
                "UPDATE events SET
                   num_mentions = (SELECT count(*) FROM mentions WHERE event_id = ?1),
                   num_articles = (SELECT count(DISTINCT doc_id) FROM mentions WHERE event_id = ?1),
                   num_sources = (SELECT count(DISTINCT coalesce(d.site, 'doc ' || d.doc_id))
                                  FROM mentions m JOIN documents d ON d.doc_id = m.doc_id
                                  WHERE m.event_id = ?1)
                 WHERE event_id = ?1",
            )
            .and_then(|mut st| st.execute([event_id]))
            .map_err(err)?;
        }
        self.open_batches += 1;
        if self.open_batches >= BATCHES_PER_COMMIT
            || self.opened.elapsed().as_secs() >= SECONDS_PER_COMMIT
        {
            self.commit()?;
        }
        Ok(stats)
    }
}

fn write_doc(
    tx: &Connection,
    doc_id: i64,
    doc: &PreparedDoc,
    bands: &mut StoryBands,
    (dedup, window_days): (Dedup, i64),
    stats: &mut BatchStats,
    touched: &mut BTreeSet<i64>,
) -> rusqlite::Result<()> {
    let (story, similarity) = find_story(tx, doc, bands)?;
    // A new story, or a copy different enough to find copies its story's others miss.
    let add_bands = story.is_none() || similarity < NEW_VARIANT_BELOW;
    let story_id = match story {
        Some(s) => {
            stats.joined_story += 1;
            tx.prepare_cached("UPDATE stories SET n_docs = n_docs + 1 WHERE story_id = ?1")?
                .execute([s])?;
            s
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO stories(story_id, first_doc, n_docs) VALUES (?1, ?1, 1)",
            )?
            .execute([doc_id])?;
            doc_id
        }
    };
    tx.prepare_cached(
        "INSERT INTO documents(doc_id, doc_key, input_id, url, title, date, site, story_id,
           similarity, text_hash, minhash, n_events, n_quotes, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        doc_id,
        &doc.key[..],
        doc.input_id,
        doc.url,
        doc.title,
        doc.date,
        doc.site,
        story_id,
        similarity,
        doc.text_hash,
        minhash::to_blob(&doc.signature),
        doc.events.len() as i64,
        doc.quotes.len() as i64,
        doc.record,
    ])?;
    tx.prepare_cached("INSERT INTO documents_fts(rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![doc_id, doc.title, doc.text])?;
    if add_bands {
        for band in minhash::band_keys(&doc.signature) {
            bands.add(band, doc_id);
        }
    }
    stats.documents += 1;

    for ev in &doc.events {
        let key = merge_key(ev);
        let span = ev.date.as_deref().and_then(timespan::days);
        let existing = match dedup {
            Dedup::None => None,
            Dedup::Story => same_story_event(tx, story_id, &key, ev.date.as_deref())?,
            Dedup::Event => match same_story_event(tx, story_id, &key, ev.date.as_deref())? {
                Some(e) => Some(e),
                None => same_act_event(tx, ev, span, window_days)?,
            },
        };
        let (event_id, is_new) = match existing {
            Some(e) => {
                stats.merged_mentions += 1;
                (e, false)
            }
            None => {
                stats.events += 1;
                (insert_event(tx, story_id, &key, ev, span, doc_id)?, true)
            }
        };
        let text = |p: &Option<Party>| p.as_ref().map(|p| p.text.clone());
        // A record's event ids are unique, so every telling is added; a record repeating
        // an id would leave its document short of mentions, which `consistency` reports.
        let added = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO mentions(doc_id, doc_event, event_id, sentence, start, end,
                   excerpt, predicate, date, source_text, target_text, reported_by, rule)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                doc_id,
                ev.doc_event,
                event_id,
                ev.sentence,
                ev.start,
                ev.end,
                ev.excerpt,
                ev.predicate,
                ev.date,
                text(&ev.source),
                text(&ev.target),
                ev.reported_by,
                ev.rule,
            ])?;
        stats.mentions += added as u64;
        // A new event row is stored counting this mention (one mention, article and
        // source); one given another mention, or whose mention was not added, is counted
        // again at the end of the batch.
        if !is_new || added == 0 {
            touched.insert(event_id);
        }
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO quotes(doc_id, start, end, text, kind, cue, cue_class, speaker_text,
           speaker_name, speaker_code, speaker_country)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for q in &doc.quotes {
        let sp = q.speaker.as_ref();
        st.execute(params![
            doc_id,
            q.start,
            q.end,
            q.text,
            q.kind,
            q.cue,
            q.cue_class,
            sp.map(|p| &p.text),
            sp.map(|p| &p.name),
            sp.and_then(|p| p.code.as_ref()),
            sp.and_then(|p| p.country.as_ref()),
        ])?;
        stats.quotes += 1;
    }
    Ok(())
}

/// The story a document belongs to, and its similarity to the closest copy found
/// (1.0 for a new story: it is its own reference).
fn find_story(
    tx: &Connection,
    doc: &PreparedDoc,
    bands: &StoryBands,
) -> rusqlite::Result<(Option<i64>, f64)> {
    let exact: Option<i64> = tx
        .prepare_cached(
            "SELECT story_id FROM documents WHERE text_hash = ?1 ORDER BY doc_id LIMIT 1",
        )?
        .query_row([doc.text_hash], |r| r.get(0))
        .optional()?;
    if let Some(s) = exact {
        return Ok((Some(s), 1.0));
    }
    let candidates = bands.candidates(tx, &minhash::band_keys(&doc.signature), MAX_CANDIDATES)?;
    let mut best: Option<(f64, i64)> = None;
    let mut st = tx.prepare_cached("SELECT story_id, minhash FROM documents WHERE doc_id = ?1")?;
    // Ascending ids: on a tie the oldest story wins, deterministically.
    for id in candidates {
        let (story, blob): (i64, Vec<u8>) = st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let sim = minhash::similarity(&doc.signature, &minhash::from_blob(&blob));
        if sim >= SAME_STORY && best.is_none_or(|(b, _)| sim > b) {
            best = Some((sim, story));
        }
    }
    Ok(match best {
        Some((sim, story)) => (Some(story), sim),
        None => (None, 1.0),
    })
}

/// Within a story, an act is the same when its code and actors are and its dates
/// agree (see [`same_story_event`]).
fn merge_key(ev: &PreparedEvent) -> String {
    let side = |p: &Option<Party>| match p {
        Some(Party { code: Some(c), .. }) => c.clone(),
        Some(p) => format!("~{}", p.name.to_lowercase()),
        None => String::new(),
    };
    format!(
        "{}|{}|{}",
        ev.code.cameo,
        side(&ev.source),
        side(&ev.target)
    )
}

/// The story's row for the same act: equal dates, or a date on one side only (a copy
/// without a publication date cannot resolve "on Tuesday", the dated copy can). A
/// dated row is preferred to an undated one, then the oldest.
///
/// The few candidate rows are read and the choice made here rather than by an `ORDER
/// BY … LIMIT 1`: SQLite sorts such a query through a temporary B-tree, opened and
/// closed for every event, which was four-fifths of the lookup (callgrind, 2,000
/// articles: 28,000 instructions per lookup against 5,100 without).
fn same_story_event(
    tx: &Connection,
    story: i64,
    key: &str,
    date: Option<&str>,
) -> rusqlite::Result<Option<i64>> {
    let mut st = tx.prepare_cached(
        "SELECT event_id, date IS NULL FROM events WHERE story_id = ?1 AND merge_key = ?2
           AND (date IS NULL OR ?3 IS NULL OR date = ?3)",
    )?;
    let rows = st
        .query_map(params![story, key, date], |r| {
            Ok((r.get::<_, bool>(1)?, r.get::<_, i64>(0)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().min().map(|(_, event_id)| event_id))
}

/// Across stories only a fully coded, day-dated act merges: both actors coded, the
/// same code, dates within the window, and no conflicting place country. The row
/// dated closest wins, then the oldest (chosen here, as in [`same_story_event`]).
fn same_act_event(
    tx: &Connection,
    ev: &PreparedEvent,
    span: Option<(i64, i64)>,
    window: i64,
) -> rusqlite::Result<Option<i64>> {
    let code = |p: &Option<Party>| p.as_ref().and_then(|p| p.code.clone());
    let (Some(src), Some(tgt), Some((day, day_end))) = (code(&ev.source), code(&ev.target), span)
    else {
        return Ok(None);
    };
    if day != day_end {
        return Ok(None);
    }
    let place_country = ev.place.as_ref().and_then(|p| p.country.clone());
    let mut st = tx.prepare_cached(
        "SELECT event_id, day_start FROM events
         WHERE cameo = ?1 AND source_code = ?2 AND target_code = ?3
           AND day_start BETWEEN ?4 - ?5 AND ?4 + ?5 AND day_start = day_end
           AND (place_country IS NULL OR ?6 IS NULL OR place_country = ?6)",
    )?;
    let rows = st
        .query_map(
            params![ev.code.cameo, src, tgt, day, window, place_country],
            |r| {
                let (event_id, start): (i64, i64) = (r.get(0)?, r.get(1)?);
                Ok(((start - day).abs(), event_id))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().min().map(|(_, event_id)| event_id))
}

fn insert_event(
    tx: &Connection,
    story: i64,
    key: &str,
    ev: &PreparedEvent,
    span: Option<(i64, i64)>,
    doc_id: i64,
) -> rusqlite::Result<i64> {
    let f = |p: &Option<Party>, field: fn(&Party) -> Option<String>| p.as_ref().and_then(field);
    let place = ev.place.clone().unwrap_or_default();
    tx.prepare_cached(
        "INSERT INTO events(story_id, merge_key, date, day_start, day_end, cameo, root, label,
           plover_type, plover_mode, goldstein, quad_class,
           source_name, source_code, source_country, source_sector,
           target_name, target_code, target_country, target_sector,
           place_name, place_country, place_lat, place_lon, place_geonames_id, place_feature,
           first_doc, first_sentence, rule, num_mentions, num_articles, num_sources)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
           ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, 1, 1, 1)",
    )?
    .execute(params![
        story,
        key,
        ev.date,
        span.map(|s| s.0),
        span.map(|s| s.1),
        ev.code.cameo,
        ev.code.root,
        ev.code.label,
        ev.code.plover_type,
        ev.code.plover_mode,
        ev.code.goldstein,
        ev.code.quad_class,
        f(&ev.source, |p| Some(p.name.clone())),
        f(&ev.source, |p| p.code.clone()),
        f(&ev.source, |p| p.country.clone()),
        f(&ev.source, |p| p.sector.clone()),
        f(&ev.target, |p| Some(p.name.clone())),
        f(&ev.target, |p| p.code.clone()),
        f(&ev.target, |p| p.country.clone()),
        f(&ev.target, |p| p.sector.clone()),
        place.name,
        place.country,
        place.lat,
        place.lon,
        place.geonames_id,
        place.feature,
        doc_id,
        ev.sentence,
        ev.rule,
    ])?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::{doc_key, prepare};

    /// A fresh directory for one test's store, and the store's path in it.
    fn scratch(test: &str) -> (std::path::PathBuf, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("annals-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        (dir, path)
    }

    fn doc(n: u8) -> PreparedDoc {
        let rec = serde_json::json!({"id": format!("d{n}"), "text": format!("Article number {n} about the harbour.")});
        prepare([n; 16], rec.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn batches_share_a_transaction_that_commits_whole_or_not_at_all_or_on_demand() {
        let (dir, path) = scratch("write");
        let stored = |p: &std::path::Path| Store::open(p).unwrap().counts().unwrap().documents;
        {
            // Dropped without `finish`, as a killed ingest would be: nothing was committed.
            let mut w = Writer::new(Store::open(&path).unwrap(), Dedup::Event, 1).unwrap();
            w.write_batch(vec![doc(1)]).unwrap();
            w.write_batch(vec![doc(2)]).unwrap();
        }
        assert_eq!(stored(&path), 0);
        let mut w = Writer::new(Store::open(&path).unwrap(), Dedup::Event, 1).unwrap();
        for n in 1..=(BATCHES_PER_COMMIT as u8 + 1) {
            w.write_batch(vec![doc(n)]).unwrap();
        }
        // The first BATCHES_PER_COMMIT batches committed together; the last is open.
        assert_eq!(stored(&path), i64::from(BATCHES_PER_COMMIT));
        w.finish().unwrap();
        assert_eq!(stored(&path), i64::from(BATCHES_PER_COMMIT) + 1);
        assert!(Store::open(&path)
            .unwrap()
            .consistency()
            .unwrap()
            .is_empty());
        // `commit_now` commits what is written (a second call has nothing to commit);
        // the next batch opens a transaction of its own, lost whole when dropped.
        w.write_batch(vec![doc(20)]).unwrap();
        w.commit_now().unwrap();
        w.commit_now().unwrap();
        assert_eq!(stored(&path), i64::from(BATCHES_PER_COMMIT) + 2);
        w.write_batch(vec![doc(21)]).unwrap();
        drop(w);
        assert_eq!(stored(&path), i64::from(BATCHES_PER_COMMIT) + 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The merge lookups choose as the old `ORDER BY … LIMIT 1` queries did: within a
    /// story a dated row before an undated one, then the oldest; across stories the row
    /// dated closest, then the oldest.
    #[test]
    fn merge_lookups_prefer_dated_then_closest_then_oldest_rows() {
        let (dir, path) = scratch("lookups");
        let w = Writer::new(Store::open(&path).unwrap(), Dedup::Event, 2).unwrap();
        let tx = &w.store.conn;
        // (story, key, date, day) for event ids 1, 2, 3, …
        let rows: [(i64, &str, Option<&str>, Option<i64>); 8] = [
            (7, "k", None, None),
            (7, "k", Some("2031-03-04"), None),
            (7, "k", Some("2031-03-04"), None),
            (7, "k", Some("2031-03-05"), None),
            (8, "a", Some("d"), Some(100)),
            (8, "a", Some("d"), Some(103)),
            (8, "a", Some("d"), Some(101)),
            (8, "a", Some("d"), Some(99)),
        ];
        for (story, key, date, day) in rows {
            tx.execute(
                "INSERT INTO events(story_id, merge_key, date, day_start, day_end, cameo, root,
                   label, quad_class, source_code, target_code, first_doc, first_sentence, rule)
                 VALUES (?1, ?2, ?3, ?4, ?4, '040', '04', 'Consult', 1, 'ARL', 'BES', 1, 0, 't')",
                params![story, key, date, day],
            )
            .unwrap();
        }
        let story = |date| same_story_event(tx, 7, "k", date).unwrap();
        assert_eq!(story(Some("2031-03-04")), Some(2));
        assert_eq!(story(None), Some(2));
        assert_eq!(story(Some("2031-03-06")), Some(1));
        assert_eq!(same_story_event(tx, 7, "other", None).unwrap(), None);

        let party = |code: &str| Party {
            code: Some(code.into()),
            ..Party::default()
        };
        let act = PreparedEvent {
            code: crate::prepare::EventCode {
                cameo: "040".into(),
                ..Default::default()
            },
            source: Some(party("ARL")),
            target: Some(party("BES")),
            ..PreparedEvent::default()
        };
        let near = |day: i64| same_act_event(tx, &act, Some((day, day)), 2).unwrap();
        assert_eq!(near(101), Some(7));
        // Days 103 and 101 are both one away from 102: the older row wins.
        assert_eq!(near(102), Some(6));
        assert_eq!(near(96), None);
        drop(w);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    const STORY: &str = "The foreign ministers of Arland and Bessia met in the port city of \
        Vell on Tuesday to discuss the fishing dispute that has strained relations since the \
        spring. Officials said the talks lasted four hours and would resume next month.";

    /// A record telling STORY's meeting (Arland meets Bessia), under its own id.
    fn copy_of_story(id: &str, extra: &str) -> PreparedDoc {
        let actor = |code: &str| serde_json::json!({"text": code, "actor": {"code": code}});
        let rec = serde_json::json!({
            "id": id,
            "text": format!("{extra}{STORY}"),
            "events": [{"id": "e0", "sentence": 0, "start": 0, "end": 10, "predicate": "met",
                        "cameo": "040", "root": "04", "label": "Consult", "quad_class": 1,
                        "source": actor("ARL"), "target": actor("BES"), "date": "2031-03-04",
                        "rule": "test"}],
        });
        let key = doc_key(id, rec.to_string().as_bytes());
        prepare(key, rec.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn a_reopened_store_finds_stories_through_its_stored_bands_and_counts_mentions() {
        let (dir, path) = scratch("bands");
        let mut w = Writer::new(Store::open(&path).unwrap(), Dedup::Story, 1).unwrap();
        let s = w.write_batch(vec![copy_of_story("site-a", "")]).unwrap();
        assert_eq!((s.documents, s.events, s.joined_story), (1, 1, 0));
        w.finish().unwrap();
        drop(w);
        // A new writer knows the stored bands only from the store, and the edited copy
        // shares no exact text with the first: it joins through the bands.
        let mut w = Writer::new(Store::open(&path).unwrap(), Dedup::Story, 1).unwrap();
        let s = w
            .write_batch(vec![copy_of_story("site-b", "EXCLUSIVE: ")])
            .unwrap();
        assert_eq!(
            (s.documents, s.events, s.joined_story, s.merged_mentions),
            (1, 0, 1, 1)
        );
        w.finish().unwrap();
        let store = Store::open(&path).unwrap();
        let counts: (i64, i64) = store
            .conn
            .query_row("SELECT num_mentions, num_articles FROM events", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(counts, (2, 2));
        assert!(store.consistency().unwrap().is_empty());
        drop((w, store));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn copies_in_one_transaction_find_each_other_before_their_bands_are_written() {
        let (dir, path) = scratch("pending");
        let mut w = Writer::new(Store::open(&path).unwrap(), Dedup::Story, 1).unwrap();
        let first = w.write_batch(vec![copy_of_story("site-a", "")]).unwrap();
        let copies = w
            .write_batch(vec![
                copy_of_story("site-b", "EXCLUSIVE: "),
                copy_of_story("site-c", "UPDATED "),
            ])
            .unwrap();
        assert_eq!((first.documents, copies.joined_story), (1, 2));
        assert!(!w.bands.pending.is_empty(), "nothing committed yet");
        w.finish().unwrap();
        assert!(w.bands.pending.is_empty());
        let store = Store::open(&path).unwrap();
        let rows: i64 = store
            .conn
            .query_row("SELECT count(*) FROM story_bands", [], |r| r.get(0))
            .unwrap();
        // The first copy's bands; the others are close enough to add none.
        assert_eq!(rows, minhash::BANDS as i64);
        drop((w, store));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_band_filter_has_no_false_negatives() {
        let mut f = StoryBands::empty();
        let keys: Vec<i64> = (0..1000u64)
            .map(|k| xxhash_rust::xxh3::xxh3_64(&k.to_le_bytes()) as i64)
            .collect();
        keys.iter().for_each(|&k| f.set(k));
        assert!(keys.iter().all(|&k| f.may_contain(k)));
        let others = (1000..11000u64)
            .map(|k| xxhash_rust::xxh3::xxh3_64(&k.to_le_bytes()) as i64)
            .filter(|&k| f.may_contain(k))
            .count();
        assert!(others < 5, "{others} of 10,000 absent keys pass");
    }
}
