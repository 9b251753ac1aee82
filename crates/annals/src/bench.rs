//! `annals bench`: time the analyze pipeline on a fixed set of inputs.
//!
//! Inputs are read into memory first, so the figure is the pipeline (ingest, segment,
//! serialise) and not the disk. One warm-up round, then `--rounds` timed rounds; the
//! report gives documents/s and MB/s of input as median with min–max, and the record
//! count, so a fast-but-wrong change shows up as a changed count.

use crate::cli::InputArgs;
use annals_doc::record::{write_record, RecordOptions};
use annals_ingest::{read_inputs, RawInput};
use clap::Args;
use rayon::prelude::*;
use std::ops::ControlFlow;
use std::process::ExitCode;
use std::time::Instant;

/// `annals bench` options.
#[derive(Args, Debug)]
pub struct BenchArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Timed rounds after one warm-up round.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Run `annals bench`.
pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let (pipeline, read_opts) = args.input.resolve()?;
    let mut inputs: Vec<RawInput> = Vec::new();
    let mut unreadable = 0usize;
    let _ = read_inputs(&args.input.inputs, read_opts, &mut |r| {
        match r {
            Ok(x) => inputs.push(x),
            Err(e) => {
                unreadable += 1;
                eprintln!("annals: {e}");
            }
        }
        ControlFlow::Continue(())
    });
    let bytes: usize = inputs.iter().map(RawInput::byte_len).sum();
    let round = || -> (usize, usize, usize, f64) {
        let t = Instant::now();
        let (ok, sentences, out_bytes) = inputs
            .par_iter()
            .map(|r| match pipeline.run(r.clone()) {
                Ok(doc) => {
                    let mut line = Vec::new();
                    write_record(&doc, RecordOptions::default(), &mut line)
                        .expect("in-memory write");
                    (1, doc.sentences.as_ref().map_or(0, Vec::len), line.len())
                }
                Err(_) => (0, 0, 0),
            })
            .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
        (ok, sentences, out_bytes, t.elapsed().as_secs_f64())
    };
    let (ok, sentences, out_bytes, _) = round();
    let mut secs: Vec<f64> = (0..args.rounds.max(1)).map(|_| round().3).collect();
    secs.sort_by(|a, b| a.total_cmp(b));
    let median = secs[secs.len() / 2];
    let docs_s = |s: f64| inputs.len() as f64 / s;
    let mb_s = |s: f64| bytes as f64 / 1e6 / s;
    let threads = rayon::current_num_threads();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "docs": inputs.len(), "records": ok, "sentences": sentences, "unreadable": unreadable,
                "input_bytes": bytes, "output_bytes": out_bytes, "threads": threads,
                "rounds": secs.len(), "seconds_median": median,
                "docs_per_s": docs_s(median), "docs_per_s_min": docs_s(secs[secs.len() - 1]),
                "docs_per_s_max": docs_s(secs[0]), "mb_per_s": mb_s(median),
            })
        );
    } else {
        println!(
            "{} docs ({} records, {} sentences, {:.1} MB in) on {} threads: {:.1} docs/s ({:.1}–{:.1}), {:.2} MB/s, median of {} rounds {:.3} s",
            inputs.len(),
            ok,
            sentences,
            bytes as f64 / 1e6,
            threads,
            docs_s(median),
            docs_s(secs[secs.len() - 1]),
            docs_s(secs[0]),
            mb_s(median),
            secs.len(),
            median
        );
    }
    Ok(ExitCode::SUCCESS)
}
