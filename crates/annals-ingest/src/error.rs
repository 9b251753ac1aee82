//! Why an input could not become a Document.

/// An input that was skipped, with the input's name and the cause.
///
/// Displayed as one line: `INPUT: cause`.
#[derive(Debug, thiserror::Error)]
#[error("{input}: {kind}")]
pub struct IngestError {
    /// The input: a path, `path:line` for a JSONL line, or `<stdin>`.
    pub input: String,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl IngestError {
    /// An error about `input`.
    pub fn new(input: impl Into<String>, kind: ErrorKind) -> Self {
        IngestError {
            input: input.into(),
            kind,
        }
    }
}

/// The causes of a skipped input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The path could not be opened or read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// Nothing but whitespace.
    #[error("empty input")]
    Empty,
    /// Binary data (NUL bytes, or a known binary signature).
    #[error("binary content ({0}), not text or HTML")]
    Binary(&'static str),
    /// A text input that is not valid UTF-8 (or UTF-16 with a BOM).
    #[error("invalid UTF-8 at byte {0}")]
    InvalidUtf8(usize),
    /// Over the size limit.
    #[error("input is {size} bytes, over the limit of {limit} bytes (--max-bytes)")]
    TooLarge {
        /// Size seen (at least).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// HTML nested deeper than the extractor can safely walk.
    #[error("HTML nested more than {0} elements deep")]
    TooDeep(usize),
    /// A JSONL line that is not a JSON object of the expected shape.
    #[error("bad JSONL line: {0}")]
    BadJson(String),
    /// A date that is not `YYYY-MM-DD`.
    #[error("bad date {0:?}: expected YYYY-MM-DD or another unambiguous date")]
    BadDate(String),
    /// The HTML extractor found no article text.
    #[error("no article text found in the HTML")]
    NoContent,
    /// An RSS/Atom feed that does not parse.
    #[error("bad feed: {0}")]
    BadFeed(String),
    /// A WARC file that does not follow the format.
    #[error("bad WARC file: {0}")]
    BadWarc(String),
    /// The extractor failed (its message).
    #[error("extraction failed: {0}")]
    Extraction(String),
}

impl ErrorKind {
    /// A short name for the cause, for counting skipped inputs by reason.
    pub fn reason(&self) -> &'static str {
        match self {
            ErrorKind::Io(_) => "unreadable",
            ErrorKind::Empty => "empty",
            ErrorKind::Binary(_) => "binary",
            ErrorKind::InvalidUtf8(_) => "invalid UTF-8",
            ErrorKind::TooLarge { .. } => "too large",
            ErrorKind::TooDeep(_) => "HTML too deep",
            ErrorKind::BadJson(_) => "bad JSONL line",
            ErrorKind::BadDate(_) => "bad date",
            ErrorKind::NoContent => "no article text",
            ErrorKind::BadFeed(_) => "bad feed",
            ErrorKind::BadWarc(_) => "bad WARC record",
            ErrorKind::Extraction(_) => "extraction failed",
        }
    }
}
