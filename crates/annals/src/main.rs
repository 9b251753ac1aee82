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
// (measured with `annals bench`, see benchsuite/).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the same index in its v2 and v3 `mimalloc.h`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keep freed memory instead of returning it to the OS shortly after. The batches
/// bound how much memory a run holds, and what one batch frees the next reuses;
/// returned pages come back as fresh ones, and with transparent huge pages each
/// comes back as a 2 MiB page the kernel zeroes first. In one profile of a
/// single-threaded `annals analyze` that was 5.5% of the time (`clear_page_erms`
/// under `mi_page_free_list_extend`, after ~200 purges); with this, mimalloc reports
/// no purge and the kernel zeroes only pages touched for the first time.
fn keep_freed_pages() {
    // SAFETY: sets an allocator option (an integer in mimalloc's option table); any
    // value is valid for this option and it is read only when memory is purged.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    keep_freed_pages();
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
