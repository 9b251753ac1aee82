//! Segmentation: the sentence and token layers of a [`Document`].
//!
//! Reads the paragraph layer (written by `annals-ingest`) and the text; writes the
//! sentence and token layers. Knowledge — abbreviations, sentence starters, dateline
//! shapes — comes from `data/segmentation.txt` ([`SegmentationRules`]); this crate holds
//! the mechanisms:
//!
//! * [`SentenceSplitter`] / [`RuleSentenceSplitter`]: sentences never cross a paragraph;
//!   closing quotes and brackets stay with their sentence; headings are one unit;
//!   a dateline opening a paragraph is its own unit.
//! * [`Tokenizer`] / [`RuleTokenizer`]: words, numbers, punctuation, with byte offsets.
//!
//! It must not import a later stage (time, entities, events) nor do I/O beyond
//! reading a user-given rules file.

#![deny(missing_docs)]

mod rules;
mod sentences;
mod tokens;

pub use rules::{AbbrevClass, RulesError, SegmentationRules};
pub use sentences::{RuleSentenceSplitter, SentenceSplitter};
pub use tokens::{RuleTokenizer, Tokenizer};

use annals_doc::Document;

/// Run sentence splitting and tokenisation over `doc`, writing both layers (and the
/// tokens lower-cased).
///
/// Needs the paragraph layer; a document without one is treated as one paragraph
/// per blank-line block of its text.
pub fn segment(doc: &mut Document, splitter: &dyn SentenceSplitter, tokenizer: &dyn Tokenizer) {
    if doc.paragraphs.is_none() {
        doc.paragraphs = Some(annals_doc::blocks(&doc.text));
    }
    let sentences = splitter.split(doc);
    let mut tokens = Vec::new();
    for s in &sentences {
        tokenizer.tokenize(&doc.text, s.span, &mut tokens);
    }
    doc.sentences = Some(sentences);
    doc.lower_tokens = Some(annals_doc::LowerTokens::new(&doc.text, &tokens));
    doc.tokens = Some(tokens);
}
