//! Command-line definitions (each option once, with its help) and the `analyze` driver.

use crate::pipeline::Pipeline;
use annals_doc::record::{write_record, RecordOptions};
use annals_ingest::{read_inputs, Format, IngestError, RawInput, ReadOptions};
use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;

/// Annals: news in, a coded, dated, sourced ledger of political events out.
#[derive(Parser, Debug)]
#[command(name = "annals", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Analyse articles: one JSON record per input document on stdout (JSON Lines).
    Analyze(AnalyzeArgs),
    /// Analyse inputs into the ledger (an SQLite store): stories, events, mentions, quotes.
    Ingest(crate::ledger::IngestArgs),
    /// List events (or quotes) from the ledger: a table on a terminal, JSON Lines when piped.
    Query(crate::ledger::QueryArgs),
    /// Print one stored article with its dates, events and quotes inline.
    Show(crate::ledger::ShowArgs),
    /// Export ledger events as GDELT 2.0 TSV, PLOVER JSON, CSV or JSON Lines.
    Export(crate::ledger::ExportArgs),
    /// Time the analyze pipeline on inputs (nothing is written but the report).
    Bench(crate::bench::BenchArgs),
    /// Rebuild the named-entity tagger's weights (data/ner/model.bin) from CoNLL data.
    TrainNer(crate::train_ner::TrainNerArgs),
}

/// Input format (`--format`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    /// By extension (.jsonl/.ndjson JSONL, .html/.htm HTML, .txt text, .rss/.atom feed,
    /// .warc/.warc.gz WARC), else by content.
    Auto,
    /// Plain text.
    Text,
    /// HTML page.
    Html,
    /// One article per line: {"id"?, "text"? | "html"?, "date"?, "title"?, "url"?}.
    Jsonl,
    /// RSS or Atom feed (.rss, .atom; sniffed too): one article per entry.
    Feed,
    /// WARC archive, plain or gzip'd (.warc, .warc.gz): one article per HTML response.
    Warc,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Auto => Format::Auto,
            FormatArg::Text => Format::Text,
            FormatArg::Html => Format::Html,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Feed => Format::Feed,
            FormatArg::Warc => Format::Warc,
        }
    }
}

/// Options shared by `analyze` and `bench`: what to read and how.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Files, directories (read recursively) or "-" for standard input (the default).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Input format.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,
    /// Take plain text verbatim: no boilerplate removal, so offsets index the input exactly.
    /// (HTML is always extracted.)
    #[arg(long)]
    pub raw: bool,
    /// Document date used to resolve relative dates (YYYY-MM-DD); overrides any date
    /// found in the document itself.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Largest document accepted, in bytes; larger inputs (or JSONL lines) are skipped
    /// with an error.
    #[arg(long, value_name = "BYTES", default_value_t = 16 << 20)]
    pub max_bytes: u64,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Skip the entity stage (entities, actor codes, coreference, places).
    #[arg(long)]
    pub no_entities: bool,
    /// Skip the time stage (timexes, sentence times, dateline dates).
    #[arg(long)]
    pub no_time: bool,
    /// Skip the quote stage.
    #[arg(long)]
    pub no_quotes: bool,
    /// Skip the event stage.
    #[arg(long)]
    pub no_events: bool,
    /// Say, per sentence, why no event was coded (record field `explain`).
    #[arg(long)]
    pub explain: bool,
    /// An extra actor dictionary: the project's format (data/actors/) or a
    /// PETRARCH/Phoenix `.actors.txt` file. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub actors: Vec<std::path::PathBuf>,
}

/// `annals analyze` options.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Include the token layer in each record.
    #[arg(long)]
    pub tokens: bool,
}

impl InputArgs {
    /// Validate the options and build the pipeline and read options they describe.
    pub fn resolve(&self) -> anyhow::Result<(Pipeline, ReadOptions)> {
        let date = match &self.date {
            Some(d) => Some(annals_ingest::parse_date(d).with_context(|| "--date")?),
            None => None,
        };
        if self.max_bytes == 0 {
            anyhow::bail!("--max-bytes must be positive");
        }
        let mut pool = rayon::ThreadPoolBuilder::new().stack_size(64 << 20);
        if let Some(n) = self.threads {
            pool = pool.num_threads(n.max(1));
        }
        // Only the first resolve in a process sets the global pool; later calls keep it.
        let _ = pool.build_global();
        let mut pipeline = Pipeline::new(self.raw, date);
        if self.no_time {
            pipeline = pipeline.without_time();
        }
        if self.no_quotes {
            pipeline = pipeline.without_quotes();
        }
        if self.no_events {
            pipeline = pipeline.without_events();
        }
        pipeline.explain = self.explain;
        if !self.no_entities {
            let entities = annals_entity::EntityStage::new(&self.actors)
                .map_err(|e| anyhow::anyhow!("entity stage: {e}"))?;
            pipeline = pipeline.with_entities(entities);
        }
        Ok((
            pipeline,
            ReadOptions {
                format: self.format.into(),
                max_bytes: self.max_bytes,
            },
        ))
    }
}

/// Inputs are processed in batches: read a batch, annotate it in parallel, write it in
/// input order. Batches bound memory for any number of inputs.
const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 64 << 20;

/// Run `annals analyze`.
pub fn run_analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let (pipeline, read_opts) = args.input.resolve()?;
    let rec_opts = RecordOptions {
        tokens: args.tokens,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut batch: Vec<Result<RawInput, IngestError>> = Vec::new();
    let mut batch_bytes = 0usize;
    let mut stats = Stats::default();

    let mut flush = |batch: &mut Vec<Result<RawInput, IngestError>>,
                     stats: &mut Stats|
     -> ControlFlow<()> {
        let results: Vec<Result<Vec<u8>, IngestError>> = std::mem::take(batch)
            .into_par_iter()
            .map(|item| {
                let doc = pipeline.run(item?)?;
                let mut line = Vec::with_capacity(doc.text.len() * 2 + 256);
                write_record(&doc, rec_opts, &mut line).expect("serialising to memory cannot fail");
                line.push(b'\n');
                Ok(line)
            })
            .collect();
        for r in results {
            match r {
                Ok(line) => {
                    stats.ok += 1;
                    if let Err(e) = out.write_all(&line) {
                        stats.write_error |= report_write_error(e);
                        return ControlFlow::Break(());
                    }
                }
                Err(e) => {
                    stats.failed += 1;
                    eprintln!("annals: {e}");
                }
            }
        }
        ControlFlow::Continue(())
    };

    let walk = read_inputs(&args.input.inputs, read_opts, &mut |item| {
        batch_bytes += item.as_ref().map(RawInput::byte_len).unwrap_or(0);
        batch.push(item);
        if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
            batch_bytes = 0;
            return flush(&mut batch, &mut stats);
        }
        ControlFlow::Continue(())
    });
    let stopped = walk.is_break() || flush(&mut batch, &mut stats).is_break();
    if !stopped {
        if let Err(e) = out.flush() {
            stats.write_error |= report_write_error(e);
        }
    }
    if stats.write_error {
        return Ok(ExitCode::from(2));
    }
    if stats.failed > 0 {
        eprintln!(
            "annals: {} of {} inputs skipped; {} records written",
            stats.failed,
            stats.ok + stats.failed,
            stats.ok
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Default)]
struct Stats {
    ok: usize,
    failed: usize,
    /// Output failed for a reason other than a closed pipe.
    write_error: bool,
}

/// A closed pipe ends the run quietly (`annals analyze … | head`); any other write
/// error is reported. Returns true for a real error.
fn report_write_error(e: std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return false;
    }
    eprintln!("annals: cannot write output: {e}");
    true
}
