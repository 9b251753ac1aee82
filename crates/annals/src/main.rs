//! The `annals` command line: argument parsing, wiring, exit codes — nothing else.
//!
//! `annals analyze` reads inputs, runs the pipeline ([`pipeline`]) and writes one JSON
//! record per input document, in input order. `annals ingest`, `query`, `show` and
//! `export` keep and read the ledger ([`ledger`], crate `annals-store`). `annals bench`
//! times the pipeline.
//! Exit status: 0 when every input became a record, 1 when some were skipped (each
//! reported on stderr in one line), 2 for usage errors. A closed stdout (`| head`)
//! ends the run quietly with status 0.

mod bench;
mod cli;
mod ledger;
mod pipeline;
mod train_ner;

use clap::Parser;
use std::process::ExitCode;

// The pipeline allocates many small, short-lived strings and vectors per document;
// mimalloc makes those about a tenth of the whole run cheaper than the system allocator
// (measured with `annals bench`, see benchsuite/). Built without transparent huge pages
// (Cargo.toml): see there.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Panics inside a document's stages are caught and reported as that input's error;
    // the default hook's multi-line message would only duplicate it. Any other panic
    // (a shipped data file that does not parse, say) is said in one line.
    std::panic::set_hook(Box::new(|info| {
        if !pipeline::in_document() {
            eprintln!("annals: internal error (please report): {info}");
        }
    }));
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Analyze(a) => cli::run_analyze(a),
        cli::Command::Ingest(a) => ledger::run_ingest(a),
        cli::Command::Query(a) => ledger::run_query(a),
        cli::Command::Show(a) => ledger::run_show(a),
        cli::Command::Export(a) => ledger::run_export(a),
        cli::Command::Bench(b) => bench::run(b),
        cli::Command::TrainNer(t) => train_ner::run(t),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("annals: {e:#}");
            ExitCode::from(2)
        }
    }
}
