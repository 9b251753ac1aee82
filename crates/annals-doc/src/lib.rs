//! The Annals `Document`: one clean text and the layers annotated over it.
//!
//! This crate owns the data model every other crate shares and nothing else: no I/O,
//! no knowledge, no dependency on another Annals crate.
//!
//! * [`Document`] owns the clean text. Every annotation is a [`Span`] — a half-open
//!   **byte** range on char boundaries of that text — plus attributes and, where a rule
//!   or dictionary line produced it, a [`Rule`] naming `file:line`.
//! * Layers are `Option`s: `None` means the stage that writes the layer did not run,
//!   `Some(vec![])` means it ran and found nothing. A stage writes its own layer once and
//!   never edits another stage's.
//! * [`record`] serialises a Document into the JSON record of `record-format.md`. It is the
//!   only place where byte offsets become Unicode code-point offsets ([`CodePoints`]).

#![deny(missing_docs)]

pub mod offsets;
pub mod record;

pub use offsets::CodePoints;

use serde::Serialize;

/// A half-open byte range `[start, end)` on char boundaries of [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers in `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// This span without the whitespace at either end of what it covers in `text`.
    pub fn trim(self, text: &str) -> Span {
        let piece = self.slice(text);
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if lead == piece.len() {
            return Span::new(self.start, self.start);
        }
        Span::new(self.start + lead, self.end - trail)
    }
}

/// Provenance: the data file and line (or the model) that produced an annotation,
/// written as `file:line` in records, e.g. `boilerplate.txt:42`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    /// Data file name as shown to users (no directory), or a model name.
    pub file: String,
    /// 1-based line in that file; 0 for rules that are not a file line.
    pub line: usize,
}

impl Rule {
    /// A rule at `file:line`.
    pub fn new(file: impl Into<String>, line: usize) -> Self {
        Rule {
            file: file.into(),
            line,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// Where the document date came from (record field `date_source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateSource {
    /// `--date` on the command line, or a JSONL line's `date`.
    Given,
    /// The input's own metadata (HTML meta tags, JSON-LD, `<time>`, URL).
    Metadata,
    /// A dateline in the text ("WASHINGTON, Dec 19 (Reuters) -").
    Dateline,
    /// No date is known.
    #[default]
    None,
}

impl DateSource {
    /// The record spelling: `given`, `metadata`, `dateline` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Given => "given",
            DateSource::Metadata => "metadata",
            DateSource::Dateline => "dateline",
            DateSource::None => "none",
        }
    }
}

/// What the input said about itself, beside its body text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Headline. Never part of [`Document::text`].
    pub title: Option<String>,
    /// Document date, `YYYY-MM-DD`, used to resolve relative dates.
    pub date: Option<String>,
    /// Where `date` came from.
    pub date_source: DateSource,
    /// Byline author(s).
    pub author: Option<String>,
    /// Publisher or site name.
    pub site_name: Option<String>,
    /// The URL the input was given with.
    pub url: Option<String>,
    /// The page's canonical URL (`<link rel=canonical>`, `og:url`).
    pub canonical_url: Option<String>,
    /// Language code declared by the page (`<html lang>`, meta tags).
    pub language: Option<String>,
    /// The input format after detection: `text`, `html`.
    pub format: &'static str,
}

/// A piece of the input that cleaning dropped, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed {
    /// The dropped text, trimmed.
    pub text: String,
    /// Short reason: `promo`, `newsletter`, `related`, `share`, `advertisement`, `credit` …
    pub reason: String,
    /// The rule that fired.
    pub rule: Rule,
    /// Byte offset in the clean text where the piece used to be.
    pub at: usize,
}

/// What kind of block a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphKind {
    /// Running body text.
    Body,
    /// A section subhead ("Sanctions"): short, unpunctuated, its own unit.
    Heading,
    /// An item of a bulleted or numbered list.
    ListItem,
}

impl ParagraphKind {
    /// The record spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ParagraphKind::Body => "body",
            ParagraphKind::Heading => "heading",
            ParagraphKind::ListItem => "list_item",
        }
    }
}

/// A paragraph (block) of the clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    /// Its bytes in the clean text (no surrounding blank lines).
    pub span: Span,
    /// Body, heading or list item.
    pub kind: ParagraphKind,
}

/// What kind of unit a sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentenceKind {
    /// An ordinary sentence.
    Sentence,
    /// A dateline opening a story ("NAIROBI (Reuters) -"), split off as its own unit.
    Dateline,
    /// A heading or list item kept whole.
    Block,
}

/// A sentence: a span inside one paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Its bytes in the clean text.
    pub span: Span,
    /// Index of the paragraph that contains it.
    pub paragraph: usize,
    /// Ordinary sentence, dateline or whole block.
    pub kind: SentenceKind,
}

/// Coarse class of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with inner apostrophes, hyphens or abbreviation dots.
    Word,
    /// Digits, possibly with separators and a decimal point.
    Number,
    /// Punctuation.
    Punct,
    /// Anything else (symbols, emoji, currency signs).
    Symbol,
}

impl TokenKind {
    /// The record spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Punct => "punct",
            TokenKind::Symbol => "symbol",
        }
    }
}

/// A token: a span inside one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Its bytes in the clean text.
    pub span: Span,
    /// Word, number, punctuation or symbol.
    pub kind: TokenKind,
}

/// Every token's text lower-cased, in one buffer: what most stages compare words
/// by (spaCy's `lower_`), computed once per document rather than once per stage,
/// and without an allocation per token. Written by segmentation with the token
/// layer; [`Document::lowered`] builds it for a document tokenised elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LowerTokens {
    buf: String,
    /// Token i is `buf[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
}

impl LowerTokens {
    /// The lower-cased forms of `tokens` over `text`.
    pub fn new(text: &str, tokens: &[Token]) -> LowerTokens {
        let mut buf = String::with_capacity(tokens.iter().map(|t| t.span.len()).sum());
        let mut ends = Vec::with_capacity(tokens.len());
        for t in tokens {
            let word = t.span.slice(text);
            if word.is_ascii() {
                let start = buf.len();
                buf.push_str(word);
                buf[start..].make_ascii_lowercase();
            } else {
                buf.push_str(&word.to_lowercase());
            }
            ends.push(buf.len());
        }
        LowerTokens { buf, ends }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Token `i` lower-cased.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    /// All of them, in token order.
    pub fn words(&self) -> Vec<&str> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }
}

/// The kind of thing a mention names (the record's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityType {
    /// A person, or a pronoun standing for one.
    Person,
    /// An organisation: a government body, an armed group, a company, a newspaper.
    Org,
    /// A geopolitical entity: a country, a city, a region with a government.
    Gpe,
    /// Another location: a sea, a river, a mountain range, a continent.
    Loc,
    /// A nationality or group ("Belarusian", "Russians").
    Norp,
    /// A building or facility ("the Kremlin" as a place, an airport).
    Fac,
    /// Another named thing: an event, a law, a product.
    Misc,
    /// A pronoun ("he", "his", "they"); what it names is the entity its `ref` points at.
    Pronoun,
    /// A title or role alone ("the president", "the ministry"); resolved like a pronoun.
    Nominal,
}

impl EntityType {
    /// The record spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
            EntityType::Norp => "NORP",
            EntityType::Fac => "FAC",
            EntityType::Misc => "MISC",
            EntityType::Pronoun => "PRON",
            EntityType::Nominal => "NOM",
        }
    }
}

/// A CAMEO actor code: a country (ISO 3166-1 alpha-3, or `IGO`) and a sector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The full code: `RUSGOV`, `UKRMIL`, `BLR`, `IGOUNO`.
    pub code: String,
    /// Country part (`RUS`, `IGO`), if any.
    pub country: Option<String>,
    /// Sector part (`GOV`, `MIL`), if any.
    pub sector: Option<String>,
    /// The knowledge-base lines that produced it, most decisive first.
    pub rules: Vec<Rule>,
}

/// One entity mention: a span, what it names, its actor code and what it refers back to.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Its bytes in the clean text.
    pub span: Span,
    /// What it names.
    pub kind: EntityType,
    /// Its actor code, if it has one (own or inherited through `refers_to`).
    pub actor: Option<Actor>,
    /// Index of the earlier mention this one refers back to ("Putin" → "Vladimir Putin").
    pub refers_to: Option<usize>,
    /// What found the mention: `model` (the tagger) or a knowledge-base line.
    pub found_by: String,
}

/// A toponym: a span naming a place, and the gazetteer entry it resolves to (all
/// `None` when the name is a place the gazetteer does not hold, such as a street).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its bytes in the clean text.
    pub span: Span,
    /// The gazetteer's name for it.
    pub name: Option<String>,
    /// GeoNames id.
    pub geonames_id: Option<u64>,
    /// ISO 3166-1 alpha-3 country, if it lies in one.
    pub country: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// GeoNames feature code (`PPLC`, `PCLI`, `ADM1` …).
    pub feature: Option<String>,
    /// Index of the entity mention it comes from, if one.
    pub entity: Option<usize>,
    /// Why this entry won (or why there is none), with the lines that decided it.
    pub why: String,
}

impl Place {
    /// A place name with no gazetteer entry: every field of the entry empty.
    pub fn unresolved(span: Span, entity: Option<usize>, why: impl Into<String>) -> Place {
        Place {
            span,
            name: None,
            geonames_id: None,
            country: None,
            lat: None,
            lon: None,
            feature: None,
            entity,
            why: why.into(),
        }
    }
}

/// TIMEX3 type of a time expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimexType {
    /// A calendar date or period ("Dec. 13", "last week", "2022").
    Date,
    /// A time of day ("5 p.m.", "this morning").
    Time,
    /// A length of time ("three years").
    Duration,
    /// A recurrence ("daily").
    Set,
}

impl TimexType {
    /// The record spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A time expression normalised to TIMEX3.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    /// Its bytes in the clean text.
    pub span: Span,
    /// TIMEX3 type.
    pub kind: TimexType,
    /// ISO-TimeML value (`2022-12-19`, `2022-W50`, `P3D`, `PAST_REF`, `XXXX-12-13`),
    /// `None` when it cannot be resolved without a document date.
    pub value: Option<String>,
    /// TIMEX3 `mod` (START, END, MID, APPROX, …).
    pub modifier: Option<String>,
    /// The grammar rule that found it.
    pub rule: Rule,
}

/// How a quote renders what was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    /// In quotation marks, word for word.
    Direct,
    /// Reported speech ("X said that …").
    Indirect,
    /// Reported speech with a quoted fragment ("… was Russia's "number one ally"").
    Mixed,
}

impl QuoteKind {
    /// The record spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }
}

/// Who said a quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// Its bytes in the clean text ("Kremlin spokesman Dmitry Peskov", "he", "officials").
    pub span: Span,
    /// The entity it names (the first mention of its chain), if the entity layer ran.
    pub entity: Option<usize>,
    /// That entity's actor code.
    pub actor: Option<Actor>,
}

/// Something someone said, and who said it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The content: its bytes in the clean text (quotation marks included).
    pub span: Span,
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// The cue ("said", "according to"), if one is in the sentence.
    pub cue: Option<Span>,
    /// The cue's class from the cue list (say, deny, warn, accuse …).
    pub cue_class: Option<String>,
    /// The speaker, if found.
    pub speaker: Option<Speaker>,
    /// The cue line (or the construction) that produced it.
    pub rule: Rule,
}

/// An actor taking part in an event: the words, the entity and the code.
#[derive(Debug, Clone, PartialEq)]
pub struct EventActor {
    /// Its bytes in the clean text.
    pub span: Span,
    /// The entity (first mention of its chain), if any.
    pub entity: Option<usize>,
    /// Its actor code.
    pub actor: Option<Actor>,
}

/// One coded event: who did what to whom, when, where, and the line that said so.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Index of its sentence.
    pub sentence: usize,
    /// The words of the predicate ("visited", "signed … agreement").
    pub predicate: Span,
    /// CAMEO code ("042").
    pub cameo: String,
    /// CAMEO root ("04").
    pub root: String,
    /// CAMEO label.
    pub label: String,
    /// PLOVER type and mode, if PLOVER maps the code.
    pub plover: Option<(String, Option<String>)>,
    /// Goldstein value.
    pub goldstein: Option<f32>,
    /// GDELT QuadClass.
    pub quad_class: u8,
    /// Who acted.
    pub source: Option<EventActor>,
    /// On whom.
    pub target: Option<EventActor>,
    /// When: the value of its own time expression, else its sentence's reference time.
    pub date: Option<String>,
    /// Where: the place of a locative phrase in its sentence.
    pub place: Option<usize>,
    /// The speaker, when the event is reported inside someone's quote.
    pub reported_by: Option<usize>,
    /// The dictionary line that matched (and the codebook line of its code).
    pub rules: Vec<Rule>,
}

/// One news article: its clean text, what the input said about it, and the layers
/// the pipeline stages wrote over the text.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Input id: a path, `path:line` for JSONL, or the id the input gave.
    pub id: String,
    /// The clean body text; paragraphs separated by a blank line.
    pub text: String,
    /// Title, date, author and other metadata.
    pub meta: Meta,
    /// What cleaning dropped, in text order.
    pub removed: Vec<Removed>,
    /// Paragraph layer (written by ingestion).
    pub paragraphs: Option<Vec<Paragraph>>,
    /// Sentence layer (written by segmentation).
    pub sentences: Option<Vec<Sentence>>,
    /// Token layer (written by segmentation).
    pub tokens: Option<Vec<Token>>,
    /// The tokens lower-cased (written by segmentation with the token layer).
    pub lower_tokens: Option<LowerTokens>,
    /// Entity layer (written by the entity stage).
    pub entities: Option<Vec<Entity>>,
    /// Place layer (written by the place stage).
    pub places: Option<Vec<Place>>,
    /// Quote layer (written by the quote stage).
    pub quotes: Option<Vec<Quote>>,
    /// Event layer (written by the event stage).
    pub events: Option<Vec<Event>>,
    /// Per sentence, why no event was coded (with `--explain`).
    pub explanations: Option<Vec<Option<String>>>,
    /// Time-expression layer (written by the time stage).
    pub timexes: Option<Vec<Timex>>,
    /// Per sentence, its reference time: the value of its governing time expression,
    /// else the document date (written by the time stage).
    pub sentence_times: Option<Vec<Option<String>>>,
}

impl Document {
    /// A document owning `text`, with no layers yet.
    pub fn new(id: impl Into<String>, text: String) -> Self {
        Document {
            id: id.into(),
            text,
            ..Document::default()
        }
    }

    /// The tokens lower-cased: the layer segmentation wrote, or built now for a
    /// document whose tokens were set some other way (empty without tokens).
    pub fn lowered(&self) -> std::borrow::Cow<'_, LowerTokens> {
        match (&self.lower_tokens, &self.tokens) {
            (Some(l), Some(t)) if l.len() == t.len() => std::borrow::Cow::Borrowed(l),
            (_, Some(t)) => std::borrow::Cow::Owned(LowerTokens::new(&self.text, t)),
            (_, None) => std::borrow::Cow::Owned(LowerTokens::default()),
        }
    }

    /// The text covered by `span`.
    pub fn slice(&self, span: Span) -> &str {
        span.slice(&self.text)
    }
}

/// Paragraphs of `text` as its blank-line-separated blocks, trimmed of surrounding
/// whitespace; every block is [`ParagraphKind::Body`]. The fallback paragraph layer for
/// text that no reader has segmented.
pub fn blocks(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(trimmed(text, s, last_end));
            }
        } else {
            if start.is_none() {
                start = Some(pos);
            }
            last_end = pos + body.len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(trimmed(text, s, last_end));
    }
    out
}

fn trimmed(text: &str, start: usize, end: usize) -> Paragraph {
    Paragraph {
        span: Span::new(start, end).trim(text),
        kind: ParagraphKind::Body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_on_blank_lines_and_trim() {
        let t = "  One line.\nsame para\n\n\n Two.  \n\r\n";
        let ps = blocks(t);
        let got: Vec<&str> = ps.iter().map(|p| p.span.slice(t)).collect();
        assert_eq!(got, vec!["One line.\nsame para", "Two."]);
    }

    #[test]
    fn span_trim_drops_surrounding_whitespace_only() {
        let t = "  a b \n";
        assert_eq!(Span::new(0, t.len()).trim(t).slice(t), "a b");
        assert!(Span::new(0, 2).trim(t).is_empty());
    }

    #[test]
    fn lower_tokens_are_written_once_and_built_when_missing() {
        let text = "Minsk ÉTAIT Quiet";
        let tokens: Vec<Token> = [(0, 5), (6, 12), (13, 18)]
            .into_iter()
            .map(|(a, b)| Token {
                span: Span::new(a, b),
                kind: TokenKind::Word,
            })
            .collect();
        let lower = LowerTokens::new(text, &tokens);
        assert_eq!(lower.words(), vec!["minsk", "était", "quiet"]);
        let mut doc = Document::new("d", text.to_string());
        assert!(doc.lowered().is_empty(), "no tokens, no words");
        doc.tokens = Some(tokens);
        // A document tokenised without segmentation gets the layer built on demand.
        assert_eq!(doc.lowered().get(1), "était");
        doc.lower_tokens = Some(lower);
        assert!(matches!(doc.lowered(), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn blocks_of_empty_text_are_empty() {
        assert!(blocks("").is_empty());
        assert!(blocks("\n \n").is_empty());
    }
}
