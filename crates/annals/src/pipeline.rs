//! The pipeline: one input in, one annotated Document (or one error) out.
//!
//! Stages run in order, each writing its own layer:
//!
//! | stage    | crate           | reads                       | writes                                   |
//! |----------|-----------------|-----------------------------|------------------------------------------|
//! | ingest   | `annals-ingest` | input bytes                 | text, meta, removed, paragraphs          |
//! | segment  | `annals-text`   | text, paragraphs            | sentences, tokens                        |
//! | time     | `annals-time`   | sentences, date             | timexes, sentence_times, date (dateline) |
//! | entities | `annals-entity` | tokens, sentences, date     | entities, places                         |
//! | quotes   | `annals-quote`  | tokens, sentences, entities | quotes                                   |
//! | events   | `annals-event`  | all of the above            | events (and, with --explain, reasons)    |
//!
//! Time runs before entities because a dateline can give the document date that
//! dates people's roles; quotes run last because speakers link to entities.

use annals_doc::Document;
use annals_ingest::{BoilerplateRules, IngestError, IngestOptions, RawInput};
use annals_text::{RuleSentenceSplitter, RuleTokenizer};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// Set while this thread runs a document's stages, whose panics are reported as
    /// that input's error (see [`Pipeline::run`]).
    static IN_DOCUMENT: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is running a document's stages: a panic here is reported as
/// the input's error, so the panic hook need not print it.
pub fn in_document() -> bool {
    IN_DOCUMENT.with(Cell::get)
}

/// Everything needed to turn inputs into Documents, resolved once per run.
pub struct Pipeline {
    /// `--raw`.
    pub raw: bool,
    /// `--date`, validated.
    pub date: Option<String>,
    rules: &'static BoilerplateRules,
    splitter: RuleSentenceSplitter,
    tokenizer: RuleTokenizer,
    entities: Option<annals_entity::EntityStage>,
    time: Option<annals_time::TimeStage>,
    quotes: Option<annals_quote::QuoteStage>,
    events: Option<annals_event::EventStage>,
    /// `--explain`: say why a sentence gave no event.
    pub explain: bool,
}

impl Pipeline {
    /// A pipeline with the built-in rules: ingest and segmentation only.
    pub fn new(raw: bool, date: Option<String>) -> Self {
        Pipeline {
            raw,
            date,
            rules: BoilerplateRules::builtin(),
            splitter: RuleSentenceSplitter::default(),
            tokenizer: RuleTokenizer::default(),
            entities: None,
            time: Some(
                annals_time::TimeStage::new().expect("the shipped time grammar parses (tested)"),
            ),
            quotes: Some(
                annals_quote::QuoteStage::new().expect("the shipped cue list parses (tested)"),
            ),
            events: Some(
                annals_event::EventStage::new()
                    .expect("the shipped verb dictionary and codebook parse (tested)"),
            ),
            explain: false,
        }
    }

    /// Drop the time stage.
    pub fn without_time(mut self) -> Self {
        self.time = None;
        self
    }

    /// Drop the event stage.
    pub fn without_events(mut self) -> Self {
        self.events = None;
        self
    }

    /// Drop the quote stage.
    pub fn without_quotes(mut self) -> Self {
        self.quotes = None;
        self
    }

    /// Add the entity stage (entities, actor codes, coreference, places).
    pub fn with_entities(mut self, stage: annals_entity::EntityStage) -> Self {
        self.entities = Some(stage);
        self
    }

    /// Run every stage on one input. A panic inside a stage (a bug) becomes this
    /// input's error instead of ending the batch.
    pub fn run(&self, input: RawInput) -> Result<Document, IngestError> {
        let id = input.origin.clone();
        IN_DOCUMENT.with(|f| f.set(true));
        let result = catch_unwind(AssertUnwindSafe(|| self.run_stages(input)));
        IN_DOCUMENT.with(|f| f.set(false));
        result.unwrap_or_else(|payload| {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(IngestError::new(
                id,
                annals_ingest::ErrorKind::Extraction(format!(
                    "internal error (please report): {msg}"
                )),
            ))
        })
    }

    fn run_stages(&self, input: RawInput) -> Result<Document, IngestError> {
        let opts = IngestOptions {
            raw: self.raw,
            date: self.date.as_deref(),
            rules: self.rules,
        };
        let mut doc = annals_ingest::to_document(input, &opts)?;
        annals_text::segment(&mut doc, &self.splitter, &self.tokenizer);
        if let Some(time) = &self.time {
            time.annotate(&mut doc);
        }
        if let Some(entities) = &self.entities {
            entities.annotate(&mut doc);
        }
        if let Some(quotes) = &self.quotes {
            quotes.annotate(&mut doc);
        }
        if let Some(events) = &self.events {
            events.annotate(&mut doc, self.explain);
        }
        Ok(doc)
    }
}
