//! The store's tables. The schema is versioned (`PRAGMA user_version`): a store made by
//! another version is refused with a message rather than misread.
//!
//! - `documents`: one row per input document (its identity key, metadata, the record
//!   exactly as `annals analyze` wrote it — LZ4-compressed, a fifth of the bytes to
//!   write — its story, its MinHash signature);
//! - `stories`: clusters of near-duplicate documents (one wire story on many sites);
//! - `events`: one row per real-world event, GDELT's Events table;
//! - `mentions`: one row per (document, event) telling, GDELT's Mentions table;
//! - `quotes`: who said what, per document;
//! - `story_bands`: MinHash LSH band keys that find a new document's story;
//! - `documents_fts`: FTS5 index over titles and texts (external content: the text is
//!   stored once, in the record: the index is contentless, it answers which
//!   documents match, and the record gives the text).

/// The schema version this code reads and writes. 2: MinHash signatures are
/// one-permutation (see `minhash`); a version-1 store's signatures would never match a
/// new document's, so its stories could not grow.
pub const VERSION: i64 = 2;

/// DDL for a new store.
pub const CREATE: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE stories (
    story_id  INTEGER PRIMARY KEY,
    first_doc INTEGER NOT NULL,
    n_docs    INTEGER NOT NULL
);
CREATE TABLE documents (
    doc_id     INTEGER PRIMARY KEY,
    doc_key    BLOB NOT NULL UNIQUE,
    input_id   TEXT NOT NULL,
    url        TEXT,
    title      TEXT,
    date       TEXT,
    site       TEXT,
    story_id   INTEGER NOT NULL,
    similarity REAL NOT NULL,
    text_hash  INTEGER NOT NULL,
    minhash    BLOB NOT NULL,
    n_events   INTEGER NOT NULL,
    n_quotes   INTEGER NOT NULL,
    record     BLOB NOT NULL
);
CREATE INDEX documents_text_hash ON documents(text_hash);
CREATE INDEX documents_story ON documents(story_id);
CREATE INDEX documents_input ON documents(input_id);
CREATE TABLE story_bands (
    band   INTEGER NOT NULL,
    doc_id INTEGER NOT NULL,
    PRIMARY KEY (band, doc_id)
) WITHOUT ROWID;
CREATE TABLE events (
    event_id          INTEGER PRIMARY KEY,
    story_id          INTEGER NOT NULL,
    merge_key         TEXT NOT NULL,
    date              TEXT,
    day_start         INTEGER,
    day_end           INTEGER,
    cameo             TEXT NOT NULL,
    root              TEXT NOT NULL,
    label             TEXT NOT NULL,
    plover_type       TEXT,
    plover_mode       TEXT,
    goldstein         REAL,
    quad_class        INTEGER NOT NULL,
    source_name       TEXT,
    source_code       TEXT,
    source_country    TEXT,
    source_sector     TEXT,
    target_name       TEXT,
    target_code       TEXT,
    target_country    TEXT,
    target_sector     TEXT,
    place_name        TEXT,
    place_country     TEXT,
    place_lat         REAL,
    place_lon         REAL,
    place_geonames_id INTEGER,
    place_feature     TEXT,
    first_doc         INTEGER NOT NULL,
    first_sentence    INTEGER NOT NULL,
    num_mentions      INTEGER NOT NULL DEFAULT 0,
    num_articles      INTEGER NOT NULL DEFAULT 0,
    num_sources       INTEGER NOT NULL DEFAULT 0,
    rule              TEXT NOT NULL
);
CREATE INDEX events_merge ON events(story_id, merge_key);
CREATE INDEX events_window ON events(cameo, source_code, target_code, day_start);
CREATE INDEX events_day ON events(day_start);
CREATE INDEX events_root ON events(root);
CREATE TABLE mentions (
    doc_id      INTEGER NOT NULL,
    doc_event   TEXT NOT NULL,
    event_id    INTEGER NOT NULL,
    sentence    INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    excerpt     TEXT NOT NULL,
    predicate   TEXT NOT NULL,
    date        TEXT,
    source_text TEXT,
    target_text TEXT,
    reported_by TEXT,
    rule        TEXT NOT NULL,
    PRIMARY KEY (doc_id, doc_event)
) WITHOUT ROWID;
CREATE INDEX mentions_event ON mentions(event_id);
CREATE TABLE quotes (
    quote_id        INTEGER PRIMARY KEY,
    doc_id          INTEGER NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    text            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    cue             TEXT,
    cue_class       TEXT,
    speaker_text    TEXT,
    speaker_name    TEXT,
    speaker_code    TEXT,
    speaker_country TEXT
);
CREATE INDEX quotes_doc ON quotes(doc_id);
CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='');
"#;
