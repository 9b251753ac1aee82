//! Mention finding: which token runs name a person, an organisation, a location or
//! another named thing (CoNLL's PER, ORG, LOC, MISC).
//!
//! The tagger is a greedy left-to-right averaged perceptron over BIO labels
//! ([`model`]), with word, shape, affix and context features plus two kinds of
//! knowledge no single sentence holds ([`features`]): how often the word is
//! capitalised in a large news corpus, and how the same word is written elsewhere in
//! the document. [`train`] learns the weights from CoNLL-format data; the compact
//! result ships as `data/ner/model.bin` and is rebuilt with `annals train-ner`.
//!
//! This crate owns only the statistical layer. Turning a LOC into a GPE, a MISC
//! into a NORP, and a mention into a coded actor is the knowledge base's job
//! (`annals-actors`).

pub mod clusters;
pub mod features;
pub mod gazetteer;
pub mod lexicon;
pub mod model;
pub mod train;

pub use clusters::WordClusters;
pub use gazetteer::Gazetteer;
pub use lexicon::CapsLexicon;
pub use model::{ModelError, NerModel};

use annals_doc::Span;

/// CoNLL's four entity classes, as the tagger sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NerClass {
    /// A person.
    Per,
    /// An organisation.
    Org,
    /// A location (country, city, region, physical feature, facility).
    Loc,
    /// Another named thing: nationalities, events, works, products.
    Misc,
}

impl NerClass {
    /// All classes, in label order.
    pub const ALL: [NerClass; 4] = [NerClass::Per, NerClass::Org, NerClass::Loc, NerClass::Misc];

    /// The CoNLL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NerClass::Per => "PER",
            NerClass::Org => "ORG",
            NerClass::Loc => "LOC",
            NerClass::Misc => "MISC",
        }
    }

    /// Parse the CoNLL spelling.
    pub fn parse(s: &str) -> Option<NerClass> {
        NerClass::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One mention found by the tagger: a run of whole tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Bytes in the document text.
    pub span: Span,
    /// Index of its first token in the document's token layer.
    pub first_token: usize,
    /// One past its last token.
    pub end_token: usize,
    /// Its class.
    pub class: NerClass,
}
