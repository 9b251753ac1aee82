//! The ledger commands: `ingest` (analyse inputs into the store), `query`, `show` and
//! `export`. The store itself (schema, merging, exports) is `annals-store`; this module
//! wires inputs, threads, the progress bar and the summary.
//!
//! Ingest runs as a three-stage pipeline, so no stage waits for another on a
//! two-core machine: a reader thread reads inputs into batches and drops those the
//! store already holds; the main thread analyses each batch on all cores (each
//! document becomes its record and its rows, in parallel); a writer thread
//! writes the previous batch meanwhile, several batches to a transaction.

use crate::cli::InputArgs;
use annals_doc::record::{write_record, RecordOptions};
use annals_ingest::{read_inputs, IngestError, RawInput};
use annals_store::export::{export, ExportFormat};
use annals_store::query::{EventFilter, EventRow, QuoteFilter};
use annals_store::{doc_key, prepare_document, BatchStats, Dedup, PreparedDoc, Store, Writer};
use anyhow::Context;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// `--dedup`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DedupArg {
    /// One event row per telling (stories are still clustered).
    None,
    /// Copies of one story share event rows.
    Story,
    /// Also merge different stories' reports of one act (same code, coded actors,
    /// place) within --window-days.
    Event,
}

/// `annals ingest` options.
#[derive(Args, Debug)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The store (created if missing).
    #[arg(long, default_value = "annals.db")]
    pub db: PathBuf,
    /// How events told by several documents are merged.
    #[arg(long, value_enum, default_value_t = DedupArg::Event)]
    pub dedup: DedupArg,
    /// Days apart two reports of one act may be dated and still merge (--dedup event).
    /// Like --dedup, fixed by a store's first ingest.
    #[arg(long, default_value_t = 1)]
    pub window_days: i64,
    /// Documents per batch (the unit analysed and handed to the writer). Up to eight
    /// batches, or ten seconds of them, share a transaction (once the inputs are read
    /// to their end, each of the last batches commits on its own): a killed ingest
    /// loses at most that much work, and never part of a document.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch: u64,
    /// No progress bar (it is only drawn on a terminal anyway).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Analysed batches that may wait for the writer.
const WRITER_QUEUE: usize = 4;

/// Input bytes per batch at most, whatever --batch says: bounds memory.
const BATCH_BYTES: usize = 64 << 20;

/// Inputs read and not yet analysed, with the inputs that could not be read.
#[derive(Default)]
struct InputBatch {
    todo: Vec<([u8; 16], RawInput)>,
    errors: Vec<IngestError>,
}

/// Run `annals ingest`.
pub fn run_ingest(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let (pipeline, read_opts) = args.input.resolve()?;
    let dedup = match args.dedup {
        DedupArg::None => Dedup::None,
        DedupArg::Story => Dedup::Story,
        DedupArg::Event => Dedup::Event,
    };
    if args.window_days < 0 {
        anyhow::bail!("--window-days must not be negative");
    }
    let store = Store::open(&args.db)?;
    let mut writer = Writer::new(store, dedup, args.window_days)?;
    // A second connection answers "is this input stored?" before analysis, so a rerun
    // costs a hash per input, not an analysis.
    let reader = Store::open_read_only(&args.db)?;
    let started = Instant::now();
    let progress = progress_bar(&args);

    // Up to four analysed batches wait for the writer: a commit or a checkpoint stalls
    // it for a while (each writes out a transaction's pages), and with room for one
    // batch only the analysis stopped too, leaving the cores idle (measured: 0.2–0.4 s
    // of the corpus's ingest). A batch is a few MiB, so memory stays flat.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<PreparedDoc>>(WRITER_QUEUE);
    // Set by the reader when the inputs are read to their end: one or two batches are
    // still being analysed then. From there the writer commits after every batch, while
    // the analysis runs, so that the last commit — which nothing overlaps — holds only
    // the last batch instead of up to a full transaction (on the corpus it held eight,
    // and the writer ended 0.17–0.18 s after the analysis; now 0.09–0.10 s).
    let input_read = Arc::new(AtomicBool::new(false));
    let writer_sees_end = Arc::clone(&input_read);
    let writer_thread = std::thread::Builder::new()
        .name("annals-writer".into())
        .spawn(move || -> anyhow::Result<BatchStats> {
            let mut total = BatchStats::default();
            for batch in rx {
                total += writer.write_batch(batch)?;
                if writer_sees_end.load(Ordering::Acquire) {
                    writer.commit_now()?;
                }
            }
            writer.finish()?;
            Ok(total)
        })
        .context("cannot start the store writer thread")?;

    // Stage 1, its own thread: read inputs into batches and drop those already stored,
    // so reading overlaps the analysis of the previous batch.
    let (batch_tx, batch_rx) = std::sync::mpsc::sync_channel::<InputBatch>(1);
    let inputs = args.input.inputs.clone();
    let batch_docs = args.batch;
    let reader_progress = progress.clone();
    let reader_thread = std::thread::Builder::new()
        .name("annals-reader".into())
        .spawn(move || -> u64 {
            let mut already = 0u64;
            let mut batch = InputBatch::default();
            let mut batch_bytes = 0usize;
            let send = |batch: &mut InputBatch| -> ControlFlow<()> {
                match batch_tx.send(std::mem::take(batch)) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()), // analysis stopped
                }
            };
            let walk = read_inputs(&inputs, read_opts, &mut |item| {
                match item {
                    Ok(input) => {
                        let key = doc_key(&input.id, input.body_bytes());
                        if let Some(p) = &reader_progress {
                            p.inc(input.byte_len() as u64);
                        }
                        match reader.has_doc(&key) {
                            Ok(true) => already += 1,
                            // On a store error analyse anyway: the writer reports it.
                            Ok(false) | Err(_) => {
                                batch_bytes += input.byte_len();
                                batch.todo.push((key, input));
                            }
                        }
                    }
                    Err(e) => batch.errors.push(e),
                }
                if batch.todo.len() as u64 >= batch_docs || batch_bytes >= BATCH_BYTES {
                    batch_bytes = 0;
                    return send(&mut batch);
                }
                ControlFlow::Continue(())
            });
            input_read.store(true, Ordering::Release);
            if walk.is_continue() && (!batch.todo.is_empty() || !batch.errors.is_empty()) {
                let _ = send(&mut batch);
            }
            already
        })
        .context("cannot start the input reader thread")?;

    // Stage 2, here: analyse each batch on all cores, then hand it to the writer.
    let mut skipped: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut writer_gone = false;
    for batch in batch_rx {
        for e in &batch.errors {
            skip(&mut skipped, &progress, e);
        }
        let results: Vec<Result<PreparedDoc, IngestError>> = batch
            .todo
            .into_par_iter()
            .map(|(key, input)| {
                let doc = pipeline.run(input)?;
                let mut line = Vec::with_capacity(doc.text.len() * 2 + 256);
                write_record(&doc, RecordOptions::default(), &mut line)
                    .expect("serialising to memory cannot fail");
                Ok(prepare_document(key, &doc, &line))
            })
            .collect();
        let mut ready = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(d) => ready.push(d),
                Err(e) => skip(&mut skipped, &progress, &e),
            }
        }
        // Stage 3, the writer thread (several batches to a transaction).
        if tx.send(ready).is_err() {
            // The writer stopped on a store error; it is reported below.
            writer_gone = true;
            break;
        }
    }
    let already = reader_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the input reader failed (internal error)"))?;
    drop(tx);
    let total = match writer_thread.join() {
        Ok(r) => r.context("ingest stopped; the batches committed before the error are kept")?,
        Err(_) => anyhow::bail!("the store writer failed (internal error)"),
    };
    if writer_gone {
        anyhow::bail!("the store writer stopped early");
    }
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    let n_skipped: u64 = skipped.values().sum();
    let reasons: Vec<String> = skipped.iter().map(|(r, n)| format!("{n} {r}")).collect();
    eprintln!(
        "annals: {} documents added to {} in {:.1} s ({:.0} docs/s): {} new events, {} mentions ({} of them joining an event already stored), {} quotes; {} joined a story already stored (near-duplicate copies); {} already stored{}",
        total.documents,
        args.db.display(),
        secs,
        total.documents as f64 / secs.max(1e-9),
        total.events,
        total.mentions,
        total.merged_mentions,
        total.quotes,
        total.joined_story,
        already + total.duplicates,
        if n_skipped > 0 {
            format!("; {n_skipped} inputs skipped ({})", reasons.join(", "))
        } else {
            String::new()
        }
    );
    Ok(if n_skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn progress_bar(args: &IngestArgs) -> Option<indicatif::ProgressBar> {
    if args.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let total = input_bytes(&args.input.inputs);
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// Total size of the input files (the progress bar's 100 %); stdin counts 0.
fn input_bytes(inputs: &[String]) -> u64 {
    fn walk(p: &std::path::Path) -> u64 {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => std::fs::read_dir(p)
                .map(|rd| rd.filter_map(|e| e.ok()).map(|e| walk(&e.path())).sum())
                .unwrap_or(0),
            Ok(m) => m.len(),
            Err(_) => 0,
        }
    }
    inputs
        .iter()
        .filter(|i| i.as_str() != "-")
        .map(|i| walk(std::path::Path::new(i)))
        .sum()
}

fn skip(
    skipped: &mut BTreeMap<&'static str, u64>,
    progress: &Option<indicatif::ProgressBar>,
    e: &IngestError,
) {
    let line = format!("annals: {e}");
    match progress {
        Some(p) => p.println(line),
        None => eprintln!("{line}"),
    }
    *skipped.entry(e.kind.reason()).or_default() += 1;
}

/// Output shape of `query`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputArg {
    /// A table on a terminal, JSON Lines otherwise.
    Auto,
    /// A readable table.
    Table,
    /// JSON Lines, one event (with its sources) or quote per line.
    Jsonl,
}

/// Event filters shared by `query` and `export`.
#[derive(Args, Debug, Clone)]
pub struct FilterArgs {
    /// The store.
    #[arg(long, default_value = "annals.db")]
    pub db: PathBuf,
    /// Either actor: a CAMEO code prefix in capitals (RUS, USAMIL) or part of a name.
    #[arg(long)]
    pub actor: Option<String>,
    /// The acting side only (same forms as --actor).
    #[arg(long)]
    pub source: Option<String>,
    /// The side acted upon only (same forms as --actor).
    #[arg(long)]
    pub target: Option<String>,
    /// ISO-3 country of either actor or of the place.
    #[arg(long)]
    pub country: Option<String>,
    /// CAMEO root code (01–20).
    #[arg(long)]
    pub root: Option<String>,
    /// CAMEO code or prefix (042, 1411).
    #[arg(long)]
    pub cameo: Option<String>,
    /// PLOVER event type (CONSULT, ASSAULT …).
    #[arg(long)]
    pub plover: Option<String>,
    /// Events on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long)]
    pub from: Option<String>,
    /// Events on or before this date.
    #[arg(long)]
    pub to: Option<String>,
    /// Place name (part of it) or ISO-3 country of the place.
    #[arg(long)]
    pub place: Option<String>,
    /// Full-text query (SQLite FTS5 syntax) over the source articles.
    #[arg(long)]
    pub text: Option<String>,
    /// Most rows (default: all).
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
}

impl FilterArgs {
    fn filter(&self) -> EventFilter {
        EventFilter {
            actor: self.actor.clone(),
            source: self.source.clone(),
            target: self.target.clone(),
            country: self.country.clone(),
            root: self.root.clone(),
            cameo: self.cameo.clone(),
            plover: self.plover.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            place: self.place.clone(),
            text: self.text.clone(),
            limit: self.limit,
        }
    }
}

/// `annals query` options.
#[derive(Args, Debug)]
pub struct QueryArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// List quotes instead of events.
    #[arg(long)]
    pub quotes: bool,
    /// Quotes by this speaker: a code prefix or part of the name (implies --quotes).
    #[arg(long)]
    pub speaker: Option<String>,
    /// Quotes whose text contains this (implies --quotes).
    #[arg(long)]
    pub says: Option<String>,
    /// Quotes whose cue is of this class: say, deny, warn, accuse, urge, promise …
    /// (implies --quotes).
    #[arg(long)]
    pub cue_class: Option<String>,
    /// Output shape.
    #[arg(long, value_enum, default_value_t = OutputArg::Auto)]
    pub output: OutputArg,
}

/// Run `annals query`.
pub fn run_query(args: QueryArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.filter.db)?;
    let table = match args.output {
        OutputArg::Auto => std::io::stdout().is_terminal(),
        OutputArg::Table => true,
        OutputArg::Jsonl => false,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io =
        if args.quotes || args.speaker.is_some() || args.says.is_some() || args.cue_class.is_some()
        {
            let f = &args.filter;
            let quotes = store.quotes(&QuoteFilter {
                speaker: args.speaker.clone(),
                contains: args.says.clone(),
                cue_class: args.cue_class.clone(),
                from: f.from.clone(),
                to: f.to.clone(),
                limit: f.limit,
            })?;
            write_quotes(&mut out, &quotes, table)
        } else {
            let mut n = 0usize;
            if table {
                let _ = writeln!(
                    out,
                    "{:>6}  {:<10}  {:<4}  {:<26}  {:<24}  {:<24}  {:<14}  {:>4}  FIRST SOURCE",
                    "EVENT", "DATE", "CODE", "WHAT", "WHO", "TO WHOM", "WHERE", "ARTS"
                );
            }
            let io =
                store.for_each_event_with_sources(&args.filter.filter(), &mut |ev, sources| {
                    n += 1;
                    if table {
                        table_row(&mut out, &ev, sources.first())
                    } else {
                        serde_json::to_writer(&mut out, &ev.to_json(&sources))?;
                        out.write_all(b"\n")
                    }
                })?;
            if table && io.is_ok() {
                let _ = writeln!(out, "{n} event{}", if n == 1 { "" } else { "s" });
            }
            io
        };
    finish_output(io.and_then(|()| out.flush()))
}

fn cut(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn table_row(
    out: &mut dyn Write,
    ev: &EventRow,
    first: Option<&annals_store::query::SourceRow>,
) -> std::io::Result<()> {
    let side = |a: &annals_store::query::ActorRow| match (&a.name, &a.code) {
        (Some(n), Some(c)) => format!("{n} ({c})"),
        (Some(n), None) => n.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => "—".into(),
    };
    let source = first
        .map(|s| s.url.clone().unwrap_or_else(|| s.input_id.clone()))
        .unwrap_or_default();
    writeln!(
        out,
        "{:>6}  {:<10}  {:<4}  {:<26}  {:<24}  {:<24}  {:<14}  {:>4}  {}",
        ev.event_id,
        cut(ev.date.as_deref().unwrap_or("—"), 10),
        ev.code.cameo,
        cut(&ev.code.label, 26),
        cut(&side(&ev.source), 24),
        cut(&side(&ev.target), 24),
        cut(ev.place.name.as_deref().unwrap_or("—"), 14),
        ev.num_articles,
        source
    )
}

fn write_quotes(
    out: &mut dyn Write,
    quotes: &[serde_json::Value],
    table: bool,
) -> std::io::Result<()> {
    for q in quotes {
        if table {
            let sp = &q["speaker"];
            let who = sp["name"]
                .as_str()
                .or(sp["text"].as_str())
                .unwrap_or("(no speaker)");
            let code = sp["code"]
                .as_str()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            writeln!(
                out,
                "#{} {} {}{} [{}, {}]: {}",
                q["doc_id"],
                q["date"].as_str().unwrap_or("—"),
                who,
                code,
                q["kind"].as_str().unwrap_or(""),
                q["cue"].as_str().unwrap_or("no cue"),
                q["text"].as_str().unwrap_or("")
            )?;
        } else {
            serde_json::to_writer(&mut *out, q)?;
            out.write_all(b"\n")?;
        }
    }
    if table {
        writeln!(
            out,
            "{} quote{}",
            quotes.len(),
            if quotes.len() == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// A closed pipe ends quietly; another write error is a failure.
fn finish_output(io: std::io::Result<()>) -> anyhow::Result<ExitCode> {
    match io {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::anyhow!("cannot write output: {e}")),
    }
}

/// `annals show` options.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The document: its ledger id (as `query` prints it) or its input id.
    pub doc: String,
    /// The store.
    #[arg(long, default_value = "annals.db")]
    pub db: PathBuf,
    /// Print the stored record (as `annals analyze` wrote it) instead.
    #[arg(long)]
    pub json: bool,
}

/// Run `annals show`.
pub fn run_show(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let Some(id) = store.find_doc(&args.doc)? else {
        anyhow::bail!("{}: no document {:?}", args.db.display(), args.doc);
    };
    let text = if args.json {
        format!("{}\n", store.record(id)?)
    } else {
        store.show(id)?
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    finish_output(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// `--format` of `export`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportArg {
    /// GDELT 2.0 event table (61 tab-separated columns, no header).
    Gdelt,
    /// PLOVER/POLECAT-style JSON Lines.
    Plover,
    /// CSV with a header.
    Csv,
    /// The ledger's JSON Lines (events with their sources).
    Jsonl,
    /// Parquet: the CSV columns, typed, Snappy-compressed (needs -o FILE).
    #[cfg(feature = "parquet")]
    Parquet,
}

/// `annals export` options.
#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportArg,
    /// Write here instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// Run `annals export`.
pub fn run_export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.filter.db)?;
    let format = match args.format {
        ExportArg::Gdelt => ExportFormat::Gdelt,
        ExportArg::Plover => ExportFormat::Plover,
        ExportArg::Csv => ExportFormat::Csv,
        ExportArg::Jsonl => ExportFormat::Jsonl,
        #[cfg(feature = "parquet")]
        ExportArg::Parquet => return export_parquet_file(&store, &args),
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("{}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let stats = match export(&store, &args.filter.filter(), format, &mut out)? {
        Ok(stats) => stats,
        Err(e) => return finish_output(Err(e)),
    };
    let code = finish_output(out.flush())?;
    let left_out = if stats.left_out > 0 {
        format!(" ({} with no PLOVER type left out)", stats.left_out)
    } else {
        String::new()
    };
    eprintln!("annals: exported {} events{left_out}", stats.rows);
    Ok(code)
}

/// Parquet is a binary file with a footer, written to a named file only.
#[cfg(feature = "parquet")]
fn export_parquet_file(store: &Store, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let Some(path) = &args.output else {
        anyhow::bail!("--format parquet writes a binary file: give it with -o FILE");
    };
    let file = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
    let stats = annals_store::parquet_export::export_parquet(
        store,
        &args.filter.filter(),
        std::io::BufWriter::new(file),
    )?
    .with_context(|| format!("{}", path.display()))?;
    eprintln!(
        "annals: exported {} events to {}",
        stats.rows,
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
