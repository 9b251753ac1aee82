//! The Annals ledger: analysed documents in an embedded SQLite store, grouped into
//! stories, with one row per real-world event and one row per telling of it.
//!
//! This crate owns everything after analysis:
//!
//! - [`prepare`]: a record (the `annals analyze` output) → the rows of one document
//!   (runs in parallel, before the single writer);
//! - [`minhash`]: near-duplicate stories (MinHash over shingles, LSH bands);
//! - [`write`]: the writer — one transaction per batch, so a killed ingest leaves
//!   whole documents or none; documents identified by a hash of id and bytes, so a
//!   rerun adds nothing; story clustering and event merging (`--dedup`);
//! - [`query`]: event and quote filters; [`show`]: one document with its layers inline;
//! - [`export`]: GDELT 2.0 event TSV, PLOVER JSON, CSV, JSONL; `parquet_export`
//!   (cargo feature `parquet`, on by default): Parquet.
//!
//! It reads no internal type of the analysis crates: its input is the record format
//! (`../shared/docs/record-format.md`), so the store holds exactly what users see.

pub mod export;
pub mod minhash;
#[cfg(feature = "parquet")]
pub mod parquet_export;
pub mod prepare;
pub mod query;
pub mod schema;
pub mod show;
pub mod timespan;
pub mod write;

pub use prepare::{doc_key, prepare, prepare_document, PreparedDoc};
pub use write::{BatchStats, Dedup, Writer};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// A store error, naming the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed. (The cause is part of the message, not a separate source, so
    /// an error chain prints it once.)
    #[error("{path}: {error}")]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// The cause.
        error: rusqlite::Error,
    },
    /// The file is a store of another schema version, or not a store.
    #[error("{path}: {msg}")]
    Incompatible {
        /// The database.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// A record that is not JSON (a bug upstream).
    #[error("{0}: record is not JSON: {1}")]
    BadRecord(String, serde_json::Error),
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, StoreError>;

/// An open store.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
}

impl Store {
    /// Open (creating if needed) the store at `path` for writing.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| sql_err(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.init()?;
        Ok(store)
    }

    /// Open an existing store for reading only.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Incompatible {
                path: path.to_path_buf(),
                msg: "no such store (create it with `annals ingest`)".into(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_err(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.check_version()?;
        Ok(store)
    }

    fn init(&self) -> Result<()> {
        let c = &self.conn;
        // WAL: readers (query, the ingest's own duplicate pre-check) never block the
        // writer; with synchronous=NORMAL a committed batch survives the process being
        // killed (only an OS crash can lose the last commits, never half of one).
        // 8 KiB pages hold an article's record in fewer overflow pages (set before the
        // first table exists; ignored afterwards).
        c.pragma_update(None, "page_size", 8192)
            .map_err(|e| self.err(e))?;
        c.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| self.err(e))?;
        c.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| self.err(e))?;
        // A 64 MiB page cache keeps the indexes' hot pages in memory. The log is copied
        // into the database every 8 MiB (1,024 pages; SQLite's default is 4 MiB, and 64
        // MiB was tried): each checkpoint syncs the file, but ingest's writer queue
        // absorbs that wait, while a long log makes every page the writer reads a longer
        // search of the log's index and leaves more to copy when the store closes.
        // Measured on the corpus, 4 alternating pairs: ingest 11.55 s -> 10.36 s median.
        c.pragma_update(None, "cache_size", -65536)
            .map_err(|e| self.err(e))?;
        c.pragma_update(None, "wal_autocheckpoint", 1024)
            .map_err(|e| self.err(e))?;
        c.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(|e| self.err(e))?;
        let version: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if version == 0 {
            let tables: i64 = c
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            if tables > 0 {
                return Err(self.incompatible("an SQLite database that is not an Annals store"));
            }
            c.execute_batch(&format!(
                "BEGIN; {} PRAGMA user_version = {}; COMMIT;",
                schema::CREATE,
                schema::VERSION
            ))
            .map_err(|e| self.err(e))?;
        }
        self.check_version()
    }

    fn check_version(&self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if version != schema::VERSION {
            return Err(self.incompatible(&format!(
                "store schema version {version}, this annals reads version {}",
                schema::VERSION
            )));
        }
        Ok(())
    }

    /// A value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Whether a document with this identity is stored.
    pub fn has_doc(&self, key: &[u8; 16]) -> Result<bool> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE doc_key = ?1")
            .map_err(|e| self.err(e))?;
        st.exists([&key[..]]).map_err(|e| self.err(e))
    }

    /// Row counts: (documents, stories, events, mentions, quotes).
    pub fn counts(&self) -> Result<Counts> {
        let n = |t: &str| -> Result<i64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .map_err(|e| self.err(e))
        };
        Ok(Counts {
            documents: n("documents")?,
            stories: n("stories")?,
            events: n("events")?,
            mentions: n("mentions")?,
            quotes: n("quotes")?,
        })
    }

    /// Problems in the store's invariants (empty when sound): every document has all
    /// its mentions, quotes and its full-text row; every event has a mention and counts
    /// its mentions and articles right. A crash in the middle of a batch must leave
    /// none of these.
    pub fn consistency(&self) -> Result<Vec<String>> {
        let checks = [
            (
                "documents whose mentions are missing",
                "SELECT count(*) FROM documents d WHERE d.n_events !=
                   (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id)",
            ),
            (
                "documents whose quotes are missing",
                "SELECT count(*) FROM documents d WHERE d.n_quotes !=
                   (SELECT count(*) FROM quotes q WHERE q.doc_id = d.doc_id)",
            ),
            (
                "events without a mention",
                "SELECT count(*) FROM events e WHERE NOT EXISTS
                   (SELECT 1 FROM mentions m WHERE m.event_id = e.event_id)",
            ),
            (
                "events whose mention or article counts are wrong",
                "SELECT count(*) FROM events e WHERE
                   e.num_mentions != (SELECT count(*) FROM mentions m WHERE m.event_id = e.event_id)
                   OR e.num_articles !=
                     (SELECT count(DISTINCT doc_id) FROM mentions m WHERE m.event_id = e.event_id)",
            ),
            (
                "documents in a story that does not exist",
                "SELECT count(*) FROM documents d WHERE NOT EXISTS
                   (SELECT 1 FROM stories s WHERE s.story_id = d.story_id)",
            ),
            (
                "documents missing from the full-text index",
                "SELECT (SELECT count(*) FROM documents) -
                   (SELECT count(*) FROM documents_fts_docsize)",
            ),
        ];
        let mut problems = Vec::new();
        for (what, sql) in checks {
            let n: i64 = self
                .conn
                .query_row(sql, [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            if n != 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        Ok(problems)
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        sql_err(&self.path, e)
    }

    fn incompatible(&self, msg: &str) -> StoreError {
        StoreError::Incompatible {
            path: self.path.clone(),
            msg: msg.into(),
        }
    }
}

/// Row counts of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Documents.
    pub documents: i64,
    /// Story clusters.
    pub stories: i64,
    /// Event rows.
    pub events: i64,
    /// Mentions (tellings of events).
    pub mentions: i64,
    /// Quotes.
    pub quotes: i64,
}

fn sql_err(path: &Path, error: rusqlite::Error) -> StoreError {
    StoreError::Sqlite {
        path: path.to_path_buf(),
        error,
    }
}
