//! The ledger end to end: `annals ingest` into a store, then `query`, `show` and
//! `export` — idempotence, crash safety under `kill -9`, story clustering, event
//! merging, GDELT rows, and skipped inputs counted.

mod util;

use annals_store::Store;
use serde_json::Value;
use std::path::Path;
use util::{records, run, Scratch, BIN};

/// Three articles written for these tests: one wire story, a lightly edited copy of it
/// on another site, and an unrelated story.
const STORIES: &str = r#"{"id": "wire-a", "url": "https://alpha.example/news/1", "date": "2024-03-06", "title": "Chile's president visits Peru", "text": "SANTIAGO (Annals Wire) - Chilean President Maria Solano visited Peru on Tuesday for talks on a border water dispute, her first trip abroad since taking office.\n\nSolano met Peruvian Prime Minister Jorge Arana, and the two governments signed an agreement to share data from river gauges along the frontier.\n\nPeru's foreign ministry said the talks would resume in May. Opposition lawmakers criticised the deal, saying it gave too much away.\n\nChile and Peru went to the International Court of Justice over their maritime boundary in 2008."}
{"id": "wire-b", "url": "https://www.beta.example/world/chile-peru", "date": "2024-03-06", "title": "Solano in Peru", "text": "SANTIAGO (Annals Wire) - Chilean President Maria Solano visited Peru on Tuesday for talks on a border water dispute, her first trip abroad since taking office.\n\nSUBSCRIBE TO OUR NEWSLETTER\n\nSolano met Peruvian Prime Minister Jorge Arana, and the two governments signed an agreement to share data from river gauges along the frontier.\n\nPeru's foreign ministry said the talks would resume in May. Opposition lawmakers criticised the deal, saying it gave too much away.\n\nChile and Peru went to the International Court of Justice over their maritime boundary in 2008. Reporting by the Annals Wire desk."}
{"id": "other", "url": "https://gamma.example/kenya", "date": "2024-03-05", "title": "Tear gas in Nairobi", "text": "NAIROBI (Annals Wire) - Kenyan police fired tear gas at protesters on Monday as thousands marched against a proposed fuel tax. The interior ministry said 40 people were arrested."}
"#;

fn counts(db: &str) -> annals_store::Counts {
    Store::open_read_only(Path::new(db))
        .unwrap()
        .counts()
        .unwrap()
}

fn consistent(db: &str) {
    let problems = Store::open_read_only(Path::new(db))
        .unwrap()
        .consistency()
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

fn query(db: &str, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["query", "--db", db, "--output", "jsonl"];
    a.extend_from_slice(args);
    let out = run(&a);
    assert_eq!(out.code, 0, "{}", out.stderr);
    records(&out.stdout)
}

#[test]
fn reingest_adds_nothing_and_copies_share_events() {
    let s = Scratch::new("ledger-idem");
    let input = s.write("stories.jsonl", STORIES.as_bytes());
    let db = s.path("a.db");
    let out = run(&["ingest", "--db", &db, &input]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("3 documents added"),
        "summary: {}",
        out.stderr
    );
    let first = counts(&db);
    assert_eq!(first.documents, 3);
    assert_eq!(first.stories, 2, "the edited copy joins the wire story");
    consistent(&db);

    let again = run(&["ingest", "--db", &db, &input]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("0 documents added"),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("3 already stored"),
        "{}",
        again.stderr
    );
    assert_eq!(counts(&db), first, "a rerun adds no row to any table");

    // Each act the wire story tells is one row with both copies as sources.
    let visits = query(&db, &["--cameo", "042", "--actor", "CHL"]);
    assert_eq!(visits.len(), 1, "{visits:?}");
    let v = &visits[0];
    assert_eq!(v["date"], "2024-03-05");
    assert_eq!(v["source"]["name"], "Maria Solano");
    assert_eq!(v["num_articles"], 2);
    assert_eq!(
        v["num_sources"], 2,
        "two publishers: alpha.example and beta.example"
    );
    let urls: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "https://alpha.example/news/1",
            "https://www.beta.example/world/chile-peru"
        ]
    );
    // No event of the wire story is told by one copy only.
    for e in query(&db, &["--actor", "CHL"]) {
        assert_eq!(e["num_articles"], 2, "{e}");
    }
}

#[test]
fn dedup_none_keeps_a_row_per_telling_and_the_policy_is_fixed_per_store() {
    let s = Scratch::new("ledger-dedup");
    let input = s.write("stories.jsonl", STORIES.as_bytes());
    let merged = s.path("merged.db");
    let apart = s.path("apart.db");
    assert_eq!(run(&["ingest", "-q", "--db", &merged, &input]).code, 0);
    assert_eq!(
        run(&["ingest", "-q", "--db", &apart, "--dedup", "none", &input]).code,
        0
    );
    let (m, a) = (counts(&merged), counts(&apart));
    assert_eq!(m.mentions, a.mentions, "the same tellings either way");
    assert_eq!(a.events, a.mentions, "--dedup none: one row per telling");
    assert!(
        m.events < a.events,
        "merged {} vs apart {}",
        m.events,
        a.events
    );
    let refused = run(&["ingest", "--db", &apart, "--dedup", "story", &input]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("--dedup none"),
        "{}",
        refused.stderr
    );
}

#[test]
fn gdelt_export_has_a_61_field_row_per_event_and_other_formats_agree() {
    let s = Scratch::new("ledger-export");
    let input = s.write("stories.jsonl", STORIES.as_bytes());
    let db = s.path("a.db");
    assert_eq!(run(&["ingest", "-q", "--db", &db, &input]).code, 0);
    let events = counts(&db).events as usize;
    assert!(events > 0);
    let gdelt = run(&["export", "--db", &db, "--format", "gdelt"]);
    assert_eq!(gdelt.code, 0, "{}", gdelt.stderr);
    let rows: Vec<&str> = gdelt.stdout.lines().collect();
    assert_eq!(rows.len(), events);
    for r in &rows {
        assert_eq!(r.split('\t').count(), 61, "{r}");
    }
    let jsonl = run(&["export", "--db", &db, "--format", "jsonl"]);
    assert_eq!(records(&jsonl.stdout).len(), events);
    let csv = run(&["export", "--db", &db, "--format", "csv"]);
    assert_eq!(csv.stdout.lines().count(), events + 1, "header and rows");
    let plover = run(&["export", "--db", &db, "--format", "plover"]);
    for p in records(&plover.stdout) {
        assert!(p["event_type"].is_string(), "{p}");
    }
    // Filters apply to exports as to queries.
    let kenya = run(&[
        "export",
        "--db",
        &db,
        "--format",
        "gdelt",
        "--country",
        "KEN",
    ]);
    assert!(kenya.stdout.lines().count() < events);
}

#[test]
fn query_show_and_quotes_read_the_ledger() {
    let s = Scratch::new("ledger-read");
    let input = s.write("stories.jsonl", STORIES.as_bytes());
    let db = s.path("a.db");
    assert_eq!(run(&["ingest", "-q", "--db", &db, &input]).code, 0);
    // Names find what codes find; dates are ranges; full text reaches the articles.
    let by_name = query(&db, &["--actor", "solano"]);
    assert!(!by_name.is_empty());
    assert_eq!(query(&db, &["--actor", "CHLGOV"]).len(), by_name.len());
    assert!(query(&db, &["--from", "2024-04"]).is_empty());
    assert_eq!(
        query(&db, &["--from", "2024-03", "--to", "2024-03"]).len(),
        counts(&db).events as usize
    );
    assert!(query(&db, &["--text", "gauges"])
        .iter()
        .all(|e| e["source"]["country"] != "KEN"));
    let table = run(&["query", "--db", &db, "--output", "table", "--root", "04"]);
    assert!(table.stdout.starts_with(" EVENT  DATE"), "{}", table.stdout);
    let bad = run(&["query", "--db", &db, "--from", "March"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--from"), "{}", bad.stderr);

    let shown = run(&["show", "--db", &db, "wire-a"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("on Tuesday ⟨2024-03-05⟩"),
        "{}",
        shown.stdout
    );
    assert!(shown.stdout.contains("also told by #2"), "{}", shown.stdout);
    assert!(shown.stdout.contains("▸ event 1 [042"), "{}", shown.stdout);
    let json = run(&["show", "--db", &db, "--json", "1"]);
    let rec: Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(rec["text"]
        .as_str()
        .unwrap()
        .starts_with("SANTIAGO (Annals Wire)"));
    let missing = run(&["show", "--db", &db, "nope"]);
    assert_eq!(missing.code, 2);

    let quotes = query(&db, &["--speaker", "ministry"]);
    assert!(!quotes.is_empty());
    assert!(quotes.iter().all(|q| q["text"].is_string()));
    let said = query(&db, &["--cue-class", "say"]);
    assert!(!said.is_empty());
    assert!(said.iter().all(|q| q["cue_class"] == "say"), "{said:?}");
}

#[test]
fn skipped_inputs_are_counted_and_the_rest_is_stored() {
    let s = Scratch::new("ledger-skip");
    s.write("in/empty.txt", b"  \n");
    s.write(
        "in/lines.jsonl",
        b"{\"id\": \"ok\", \"text\": \"Kenyan police arrested 40 protesters on Monday.\"}\nnot json\n",
    );
    let db = s.path("a.db");
    let out = run(&["ingest", "--db", &db, &s.path("in")]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("2 inputs skipped (1 bad JSONL line, 1 empty)"),
        "{}",
        out.stderr
    );
    assert_eq!(counts(&db).documents, 1);
    let not_store = s.write("plain.db", b"SQLite format 3\0 but not really");
    let bad = run(&["query", "--db", &not_store]);
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stderr.lines().count(), 1, "{}", bad.stderr);
}

/// `kill -9` in the middle of an ingest, then a rerun: every document exactly once,
/// none partial.
#[test]
fn kill_9_mid_ingest_then_rerun_stores_every_document_once() {
    let s = Scratch::new("ledger-kill");
    let mut lines = String::new();
    let n = 600;
    for i in 0..n {
        // Distinct articles, so each is its own document and most are their own story.
        lines.push_str(
            &serde_json::to_string(&serde_json::json!({
                "id": format!("doc-{i}"),
                "date": "2024-05-02",
                "text": format!(
                    "Police in Nairobi arrested {i} protesters on Tuesday after a march by {} \
                     traders against market fee number {i}. Kenyan officials said {} people \
                     were later released. The ministry of trade promised to review fee {i}.",
                    i * 7 + 3,
                    i % 13
                ),
            }))
            .unwrap(),
        );
        lines.push('\n');
    }
    let input = s.write("many.jsonl", lines.as_bytes());
    let db = s.path("a.db");
    let mut child = std::process::Command::new(BIN)
        .args([
            "ingest", "-q", "--batch", "8", "-j", "1", "--db", &db, &input,
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first committed batches, then kill without warning.
    let start = std::time::Instant::now();
    let mut stored_at_kill = 0;
    while start.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        if let Ok(store) = Store::open_read_only(Path::new(&db)) {
            if let Ok(c) = store.counts() {
                if c.documents >= 16 {
                    child.kill().unwrap(); // SIGKILL on Unix
                    stored_at_kill = c.documents;
                    break;
                }
            }
        }
    }
    let status = child.wait().unwrap();
    assert!(!status.success(), "the ingest was killed, not finished");
    assert!(
        stored_at_kill > 0 && stored_at_kill < n,
        "killed mid-run ({stored_at_kill})"
    );
    consistent(&db);
    let after_kill = counts(&db).documents;
    assert_eq!(after_kill % 8, 0, "whole batches only: {after_kill}");

    let rerun = run(&["ingest", "--batch", "8", "--db", &db, &input]);
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    assert!(
        rerun
            .stderr
            .contains(&format!("{} already stored", after_kill)),
        "{}",
        rerun.stderr
    );
    let store = Store::open_read_only(Path::new(&db)).unwrap();
    assert_eq!(store.counts().unwrap().documents, n);
    for i in [0, n / 2, n - 1] {
        assert!(store.find_doc(&format!("doc-{i}")).unwrap().is_some());
    }
    consistent(&db);
}

/// The founding article as text and as a news page: one story, events not doubled,
/// and the visit found by actor and CAMEO root.
#[test]
fn seed_text_and_page_form_one_story() {
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seed/000_8ab0496816fbf274.txt"
    );
    let page = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seed/seed-page.html"
    );
    if !Path::new(seed).exists() || !Path::new(page).exists() {
        eprintln!("skipped: ../shared/seed is not on this machine");
        return;
    }
    let s = Scratch::new("ledger-seed");
    let alone = s.path("alone.db");
    let both = s.path("both.db");
    let args = ["ingest", "-q", "--date", "2022-12-19", "--db"];
    let mut a = args.to_vec();
    a.extend([alone.as_str(), seed]);
    assert_eq!(run(&a).code, 0);
    let mut b = args.to_vec();
    b.extend([both.as_str(), seed, page]);
    assert_eq!(run(&b).code, 0);
    let (one, two) = (counts(&alone), counts(&both));
    assert_eq!(two.documents, 2);
    assert_eq!(two.stories, 1, "text and page are one story");
    assert_eq!(two.events, one.events, "events are not doubled");
    assert_eq!(two.mentions, 2 * one.mentions, "each copy is a source");
    let visits = query(&both, &["--actor", "RUS", "--root", "04"]);
    let visit = visits
        .iter()
        .find(|e| e["cameo"] == "042" && e["date"] == "2022-12-19")
        .unwrap_or_else(|| panic!("{visits:?}"));
    assert_eq!(visit["source"]["code"], "RUSGOV");
    assert_eq!(visit["target"]["country"], "BLR");
    assert_eq!(visit["num_articles"], 2);
    assert!(visit["sources"][0]["id"]
        .as_str()
        .unwrap()
        .ends_with(".txt"));
}

/// Feeds and WARC archives go through the same analysis into the same store.
#[test]
fn feeds_and_warc_archives_are_ingested() {
    let s = Scratch::new("ledger-containers");
    s.write(
        "in/wire.rss",
        br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
  <item><title>Strike ends</title><link>https://news.example/strike</link>
    <pubDate>Fri, 03 May 2024 08:00:00 GMT</pubDate>
    <description>&lt;p&gt;Dock workers in Mombasa ended a three-day strike on Friday after Kenya's port authority agreed to review their pay, union officials said.&lt;/p&gt;</description></item>
  <item><title>Talks</title><link>https://news.example/talks</link>
    <description>Chilean President Maria Solano met Peruvian Prime Minister Jorge Arana in Lima on Thursday.</description></item>
</channel></rss>"#,
    );
    let page = "<html><head><title>Fishing deal</title><meta property=\"article:published_time\" content=\"2024-05-02\"></head><body><article><h1>Fishing deal</h1><p>Norway and Iceland signed an agreement on Thursday to share mackerel quotas in the North Atlantic, the two governments said in a joint statement.</p><p>The deal ends a dispute that began when both raised their catch limits.</p></article></body></html>";
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}");
    let warc = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/fish\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    );
    s.write("in/crawl.warc", warc.as_bytes());
    let db = s.path("a.db");
    let out = run(&["ingest", "--db", &db, &s.path("in")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(counts(&db).documents, 3, "{}", out.stderr);
    let store = Store::open_read_only(Path::new(&db)).unwrap();
    let fish = store
        .find_doc("https://news.example/fish")
        .unwrap()
        .unwrap();
    let rec = store.record(fish).unwrap();
    assert_eq!(
        rec["date"], "2024-05-02",
        "the page's own date, not the crawl's"
    );
    let strike = store
        .find_doc("https://news.example/strike")
        .unwrap()
        .unwrap();
    let rec = store.record(strike).unwrap();
    assert_eq!(rec["title"], "Strike ends");
    assert_eq!(rec["date"], "2024-05-03");
    assert!(rec["text"]
        .as_str()
        .unwrap()
        .starts_with("Dock workers in Mombasa"));
}

/// A copy without a publication date cannot resolve "on Tuesday"; its telling still
/// joins the dated copy's event instead of becoming a second, undated row.
#[test]
fn an_undated_copy_joins_the_dated_copys_events() {
    let s = Scratch::new("ledger-undated");
    let dated = STORIES.lines().next().unwrap();
    let undated = dated
        .replace("\"date\": \"2024-03-06\", ", "")
        .replace("\"id\": \"wire-a\"", "\"id\": \"wire-undated\"");
    let input = s.write("two.jsonl", format!("{dated}\n{undated}\n").as_bytes());
    let db = s.path("a.db");
    assert_eq!(run(&["ingest", "-q", "--db", &db, &input]).code, 0);
    let c = counts(&db);
    assert_eq!((c.documents, c.stories), (2, 1));
    assert_eq!(c.mentions, 2 * c.events, "every event told by both copies");
    for e in query(&db, &[]) {
        assert!(
            e["date"].is_string(),
            "the row keeps the dated copy's date: {e}"
        );
    }
}

/// Parquet export: one row per event, the CSV's columns, readable by a Parquet reader.
#[cfg(feature = "parquet")]
#[test]
fn parquet_export_reads_back() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;
    let s = Scratch::new("ledger-parquet");
    let input = s.write("stories.jsonl", STORIES.as_bytes());
    let db = s.path("a.db");
    assert_eq!(run(&["ingest", "-q", "--db", &db, &input]).code, 0);
    let out = s.path("events.parquet");
    let r = run(&["export", "--db", &db, "--format", "parquet", "-o", &out]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reader = SerializedFileReader::new(std::fs::File::open(&out).unwrap()).unwrap();
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows(), counts(&db).events);
    assert_eq!(meta.schema_descr().num_columns(), 28);
    let ids: Vec<i64> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| row.unwrap().get_long(0).unwrap())
        .collect();
    let jsonl: Vec<i64> = query(&db, &[])
        .iter()
        .map(|e| e["event_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, jsonl, "same events, same order as query");
    let no_file = run(&["export", "--db", &db, "--format", "parquet"]);
    assert_eq!(no_file.code, 2);
    assert!(no_file.stderr.contains("-o FILE"), "{}", no_file.stderr);
}
