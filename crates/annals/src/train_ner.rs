//! `annals train-ner`: rebuild `data/ner/model.bin` from CoNLL-format data.
//!
//! Each CoNLL document is laid out as text exactly as `evaluate.py ner` lays it out
//! (words joined by spaces, a line per sentence), then run through the same ingest
//! and segmentation stages as `annals analyze --raw`, so the tagger trains on the
//! tokens and sentences it will see at run time. Gold labels move onto those tokens
//! by offsets. The capitalisation lexicon is counted from a JSONL corpus.

use crate::pipeline::Pipeline;
use annals_doc::Document;
use annals_ingest::{Body, RawInput};
use annals_ner::train::{bio, train, TrainDoc, TrainOptions};
use annals_ner::{CapsLexicon, NerClass, NerModel, WordClusters};
use anyhow::{bail, Context};
use clap::Args;
use std::io::BufRead;
use std::process::ExitCode;

/// `annals train-ner` options.
#[derive(Args, Debug)]
pub struct TrainNerArgs {
    /// CoNLL-2003-format training file (word … tag per line, blank line between sentences).
    #[arg(long)]
    pub train: String,
    /// JSONL corpus ({"text": …} per line) to count word capitalisation in.
    #[arg(long)]
    pub corpus: String,
    /// Where to write the model.
    #[arg(long, default_value = "data/ner/model.bin")]
    pub out: String,
    /// Training passes.
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Weights smaller than this are dropped from the file.
    #[arg(long, default_value_t = 0.05)]
    pub prune: f32,
    /// Train only stage 1 (faster tagging; no document-wide second pass).
    #[arg(long)]
    pub one_stage: bool,
    /// A CoNLL-format file to report mention F1 on after training.
    #[arg(long)]
    pub dev: Option<String>,
}

/// A CoNLL document: sentences of (word, IOB tag).
type ConllDoc = Vec<Vec<(String, String)>>;

/// Gold mentions as byte spans: `(start, end, class)`.
type GoldSpans = Vec<(usize, usize, NerClass)>;

fn read_conll(path: &str) -> anyhow::Result<Vec<ConllDoc>> {
    let f = std::fs::File::open(path).with_context(|| format!("{path}: cannot open"))?;
    let (mut docs, mut sents, mut cur): (Vec<ConllDoc>, ConllDoc, Vec<(String, String)>) =
        Default::default();
    for line in std::io::BufReader::new(f).lines() {
        let line = line.with_context(|| format!("{path}: cannot read"))?;
        if line.starts_with("-DOCSTART-") {
            if !cur.is_empty() {
                sents.push(std::mem::take(&mut cur));
            }
            if !sents.is_empty() {
                docs.push(std::mem::take(&mut sents));
            }
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.is_empty() {
            if !cur.is_empty() {
                sents.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let tag = parts[parts.len() - 1];
        cur.push((parts[0].to_string(), tag.to_string()));
    }
    if !cur.is_empty() {
        sents.push(cur);
    }
    if !sents.is_empty() {
        docs.push(sents);
    }
    Ok(docs)
}

/// Gold mentions of a sentence's IOB tags as `[start, end)` word ranges
/// (the same chunking rule as `evaluate.py`).
fn chunks(tags: &[&str]) -> Vec<(usize, usize, NerClass)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().copied().chain(std::iter::once("O")).enumerate() {
        let typ = t.get(2..).unwrap_or("");
        let begins =
            t.starts_with("B-") || (t.starts_with("I-") && open.is_none_or(|(_, o)| o != typ));
        if let Some((s, o)) = open {
            if t == "O" || begins {
                if let Some(c) = NerClass::parse(o) {
                    out.push((s, i, c));
                }
                open = None;
            }
        }
        if t != "O" && (begins || open.is_none()) {
            open = Some((i, typ));
        }
    }
    out
}

/// Lay a CoNLL document out as text, analyse it, and return the Document with gold
/// mentions as byte spans.
fn analysed(
    pipeline: &Pipeline,
    n: usize,
    doc: &ConllDoc,
) -> anyhow::Result<(Document, GoldSpans)> {
    let mut text = String::new();
    let mut gold = Vec::new();
    for s in doc {
        let mut pos = Vec::with_capacity(s.len());
        for (j, (w, _)) in s.iter().enumerate() {
            if j > 0 {
                text.push(' ');
            }
            pos.push((text.len(), text.len() + w.len()));
            text.push_str(w);
        }
        text.push('\n');
        let tags: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
        for (a, b, c) in chunks(&tags) {
            gold.push((pos[a].0, pos[b - 1].1, c));
        }
    }
    let input = RawInput {
        id: format!("conll{n}"),
        origin: format!("conll{n}"),
        body: Body::Text(text),
        date: None,
        title: None,
        url: None,
    };
    let d = pipeline.run(input).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((d, gold))
}

/// Words per sentence and gold BILOU labels, over the Document's own tokens.
fn train_doc(doc: &Document, gold: &[(usize, usize, NerClass)]) -> TrainDoc {
    let (Some(sentences), Some(tokens)) = (&doc.sentences, &doc.tokens) else {
        return TrainDoc::default();
    };
    let mut out = TrainDoc::default();
    let mut t = 0;
    for s in sentences {
        while t < tokens.len() && tokens[t].span.start < s.span.start {
            t += 1;
        }
        let first = t;
        while t < tokens.len() && tokens[t].span.end <= s.span.end {
            t += 1;
        }
        let toks = &tokens[first..t];
        let words: Vec<String> = toks
            .iter()
            .map(|k| k.span.slice(&doc.text).to_string())
            .collect();
        let mut ms = Vec::new();
        for &(a, b, c) in gold {
            let start = toks.iter().position(|k| k.span.start == a);
            let end = toks.iter().position(|k| k.span.end == b);
            if let (Some(x), Some(y)) = (start, end) {
                if x <= y {
                    ms.push((x, y + 1, c));
                }
            }
        }
        out.gold.push(bio(words.len(), &ms));
        out.sentences.push(words);
    }
    out
}

fn corpus_texts(path: &str) -> anyhow::Result<Vec<String>> {
    let f = std::fs::File::open(path).with_context(|| format!("{path}: cannot open"))?;
    let mut texts = Vec::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("{path}: cannot read"))?;
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{path}:{}: not JSON", n + 1))?;
        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
            texts.push(t.to_string());
        }
    }
    Ok(texts)
}

/// Mention precision, recall and F1 of `model` on CoNLL documents.
fn evaluate(
    pipeline: &Pipeline,
    model: &NerModel,
    gazetteer: &annals_ner::Gazetteer,
    docs: &[ConllDoc],
) -> anyhow::Result<(f64, f64, f64)> {
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    for (n, d) in docs.iter().enumerate() {
        let (doc, gold) = analysed(pipeline, n, d)?;
        let found: Vec<(usize, usize, NerClass)> = model
            .tag_document(&doc, gazetteer)
            .into_iter()
            .map(|m| (m.span.start, m.span.end, m.class))
            .collect();
        np += found.len();
        ng += gold.len();
        tp += found.iter().filter(|m| gold.contains(m)).count();
    }
    let p = tp as f64 / np.max(1) as f64;
    let r = tp as f64 / ng.max(1) as f64;
    Ok((
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    ))
}

/// Run `annals train-ner`.
pub fn run(args: TrainNerArgs) -> anyhow::Result<ExitCode> {
    let pipeline = Pipeline::new(true, None);
    let conll = read_conll(&args.train)?;
    if conll.is_empty() {
        bail!("{}: no CoNLL documents", args.train);
    }
    let mut docs = Vec::with_capacity(conll.len());
    let (mut kept, mut total) = (0usize, 0usize);
    for (n, d) in conll.iter().enumerate() {
        let (doc, gold) = analysed(&pipeline, n, d)?;
        let td = train_doc(&doc, &gold);
        total += gold.len();
        kept += td
            .gold
            .iter()
            .flatten()
            .filter(|&&l| annals_ner::model::Label::all()[l].tag == annals_ner::model::Tag::B)
            .count();
        docs.push(td);
    }
    eprintln!("annals train-ner: {kept} of {total} gold mentions align with Annals tokens");
    let mut texts = corpus_texts(&args.corpus)?;
    let lexicon = CapsLexicon::from_texts(texts.iter().map(String::as_str));
    // Clusters also learn from the training text itself (its words, not its labels).
    texts.extend(conll.iter().map(|d| {
        d.iter()
            .map(|s| {
                s.iter()
                    .map(|(w, _)| w.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }));
    let clusters = WordClusters::from_texts(texts.iter().map(String::as_str));
    let actors = annals_kb::ActorBase::from_builtin_files().map_err(|e| anyhow::anyhow!("{e}"))?;
    let places = annals_kb::PlaceTable::builtin().map_err(|e| anyhow::anyhow!("{e}"))?;
    let gazetteer = annals_entity::gazetteer::build(&actors, places);
    eprintln!(
        "annals train-ner: {} documents, {} sentences; lexicon of {} words, {} clustered",
        docs.len(),
        docs.iter().map(|d| d.sentences.len()).sum::<usize>(),
        lexicon.len(),
        clusters.len()
    );
    let model = train(
        &docs,
        lexicon,
        clusters,
        &gazetteer,
        TrainOptions {
            epochs: args.epochs,
            prune: args.prune,
            two_stages: !args.one_stage,
        },
        |stage, e, acc| {
            eprintln!("  {stage}, epoch {e}: token accuracy {acc:.4}");
        },
    );
    let bytes = model.to_bytes();
    // Read back what was written: the evaluation below measures the shipped weights.
    let model = NerModel::from_bytes(&bytes).context("re-reading the written model")?;
    std::fs::write(&args.out, &bytes).with_context(|| format!("{}: cannot write", args.out))?;
    eprintln!(
        "annals train-ner: wrote {} ({} bytes, {} features)",
        args.out,
        bytes.len(),
        model.feature_count()
    );
    if let Some(dev) = &args.dev {
        let (p, r, f) = evaluate(&pipeline, &model, &gazetteer, &read_conll(dev)?)?;
        eprintln!("annals train-ner: {dev}: P={p:.4} R={r:.4} F1={f:.4}");
    }
    Ok(ExitCode::SUCCESS)
}
