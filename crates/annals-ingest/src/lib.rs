//! Ingestion: from input bytes to a [`Document`] with clean text and paragraphs.
//!
//! This crate owns the first layer of every record: reading inputs ([`source`];
//! feeds and WARC archives in [`containers`]),
//! decoding bytes ([`decode`]), extracting an HTML page's article body and metadata
//! ([`html`]), and cleaning — paragraphs, headings, list items, and boilerplate
//! removal by the rules in `data/boilerplate.txt` ([`boilerplate`], [`clean`]).
//!
//! It writes `Document.text`, `meta`, `removed` and the paragraph layer. It reads no
//! other layer and must not import a later stage (segmentation, time, entities …).
//! Errors name the input and the cause ([`IngestError`]); one bad input never stops
//! the others.

#![deny(missing_docs)]

pub mod boilerplate;
pub mod clean;
pub mod containers;
pub mod decode;
mod error;
pub mod html;
pub mod source;

pub use boilerplate::BoilerplateRules;
pub use error::{ErrorKind, IngestError};
pub use source::{read_inputs, Body, Format, RawInput, ReadOptions};

use annals_doc::{DateSource, Document, Meta};
use clean::LineBreaks;

/// How to turn a [`RawInput`] into a [`Document`].
#[derive(Debug, Clone, Copy)]
pub struct IngestOptions<'a> {
    /// `--raw`: plain text is kept verbatim (no cleaning), so offsets index the input.
    pub raw: bool,
    /// `--date`: the document date, overriding any the input has (`YYYY-MM-DD`).
    pub date: Option<&'a str>,
    /// Boilerplate rules.
    pub rules: &'a BoilerplateRules,
}

/// Read a date given with an input (`--date`, a JSONL `date`) as `YYYY-MM-DD`.
///
/// Accepts ISO dates and date-times ("2022-12-19", "2022-12-19T10:30:00Z") and the other
/// shapes news archives use ("26-FEB-1987 15:01:01.79", "Mon, 19 Dec 2022 10:30:00 GMT",
/// "December 19, 2022", "19 December 2022", "2022/12/19"); anything after the date is ignored.
/// Ambiguous all-numeric forms such as "12/11/2022" are refused rather than guessed.
pub fn parse_date(s: &str) -> Result<String, ErrorKind> {
    const FORMATS: &[&str] = &[
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%d-%b-%Y",
        "%d %B %Y",
        "%d %b %Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%b. %d, %Y",
        "%B %d %Y",
        "%a, %d %b %Y",
        "%A, %d %B %Y",
        "%A, %B %d, %Y",
        "%Y%m%d",
    ];
    let t = s.trim();
    for f in FORMATS {
        if let Ok((d, rest)) = chrono::NaiveDate::parse_and_remainder(t, f) {
            // The date must end at a word boundary: "20221219" must not read as a prefix.
            let time_follows =
                rest.starts_with('T') && rest[1..].starts_with(|c: char| c.is_ascii_digit());
            if rest.is_empty()
                || time_follows
                || rest.starts_with(|c: char| !c.is_ascii_alphanumeric())
            {
                return Ok(d.format("%Y-%m-%d").to_string());
            }
        }
    }
    Err(ErrorKind::BadDate(s.to_string()))
}

/// Build the Document for one input: decode, extract, clean, find paragraphs.
pub fn to_document(input: RawInput, opts: &IngestOptions) -> Result<Document, IngestError> {
    let RawInput {
        id,
        origin,
        body,
        date,
        title,
        url,
    } = input;
    // Errors name where the input was read, and its id when that differs.
    let name = if origin == id {
        origin
    } else {
        format!("{origin} (id {id})")
    };
    let fail = |kind| IngestError::new(name.clone(), kind);
    let given_date = match (opts.date, date.as_deref()) {
        (Some(d), _) | (None, Some(d)) => Some(parse_date(d).map_err(fail)?),
        (None, None) => None,
    };
    let mut meta = Meta {
        url: url.clone(),
        title: title.clone(),
        ..Meta::default()
    };
    let (html, text) = match body {
        Body::HtmlBytes(b) => (Some(decode::decode_html(&b).map_err(fail)?), None),
        Body::Html(h) => (Some(h), None),
        Body::TextBytes(b) => (None, Some(decode::decode_text(&b).map_err(fail)?)),
        Body::Text(t) => {
            decode::check_not_binary(t.as_bytes()).map_err(fail)?;
            (None, Some(t))
        }
    };
    let mut doc;
    if let Some(html) = html {
        meta.format = "html";
        if html.trim().is_empty() {
            return Err(fail(ErrorKind::Empty));
        }
        let ex = html::extract(&html, url.as_deref()).map_err(fail)?;
        if meta.title.is_none() {
            meta.title = ex.title.clone();
        }
        meta.author = ex.author;
        meta.site_name = ex.site_name;
        meta.canonical_url = ex.canonical_url;
        meta.language = ex.language;
        if let Some(d) = ex.date {
            meta.date = Some(d);
            meta.date_source = DateSource::Metadata;
        }
        let cleaned = clean::clean(
            &ex.body,
            LineBreaks::Paragraphs,
            opts.rules,
            meta.title.as_deref(),
        );
        if cleaned.text.trim().is_empty() {
            return Err(fail(ErrorKind::NoContent));
        }
        doc = Document::new(id.clone(), cleaned.text);
        doc.removed = cleaned.removed;
        doc.paragraphs = Some(cleaned.paragraphs);
    } else {
        let text = text.unwrap_or_default();
        meta.format = "text";
        if text.trim().is_empty() {
            return Err(fail(ErrorKind::Empty));
        }
        if opts.raw {
            let paragraphs = clean::raw_paragraphs(&text);
            doc = Document::new(id.clone(), text);
            doc.paragraphs = Some(paragraphs);
        } else {
            let cleaned =
                clean::clean(&text, LineBreaks::Detect, opts.rules, meta.title.as_deref());
            doc = Document::new(id.clone(), cleaned.text);
            doc.removed = cleaned.removed;
            doc.paragraphs = Some(cleaned.paragraphs);
        }
    }
    if let Some(d) = given_date {
        meta.date = Some(d);
        meta.date_source = DateSource::Given;
    }
    doc.meta = meta;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> IngestOptions<'static> {
        IngestOptions {
            raw: false,
            date: None,
            rules: BoilerplateRules::builtin(),
        }
    }

    fn text_input(t: &str) -> RawInput {
        RawInput {
            id: "t".into(),
            origin: "t".into(),
            body: Body::TextBytes(t.as_bytes().to_vec()),
            date: None,
            title: None,
            url: None,
        }
    }

    #[test]
    fn given_date_overrides_and_is_validated() {
        let mut o = opts();
        o.date = Some("2022-12-19");
        let d = to_document(text_input("Talks were held."), &o).unwrap();
        assert_eq!(d.meta.date.as_deref(), Some("2022-12-19"));
        assert_eq!(d.meta.date_source, DateSource::Given);
        o.date = Some("19/12/2022");
        assert_eq!(parse_date("26-FEB-1987 15:01:01.79").unwrap(), "1987-02-26");
        assert_eq!(
            parse_date("Mon, 19 Dec 2022 10:30:00 GMT").unwrap(),
            "2022-12-19"
        );
        assert_eq!(parse_date("December 19, 2022").unwrap(), "2022-12-19");
        assert_eq!(parse_date("2022-12-19T10:30:00Z").unwrap(), "2022-12-19");
        assert!(parse_date("2022-13-01").is_err());
        let e = to_document(text_input("Talks were held."), &o).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t: bad date \"19/12/2022\": expected YYYY-MM-DD or another unambiguous date"
        );
    }

    #[test]
    fn empty_and_whitespace_inputs_are_errors() {
        for t in ["", "  \n\t\n"] {
            let e = to_document(text_input(t), &opts()).unwrap_err();
            assert_eq!(e.to_string(), "t: empty input");
        }
    }

    #[test]
    fn raw_text_is_kept_verbatim() {
        let t = "CLICK HERE TO GET THE ANNALS WIRE APP\n\nBody  text.\n";
        let mut o = opts();
        o.raw = true;
        let d = to_document(text_input(t), &o).unwrap();
        assert_eq!(d.text, t);
        assert!(d.removed.is_empty());
    }
}
