//! Inputs: files, directories (recursively, in name order), standard input, JSONL
//! files holding one article per line, and feeds and WARC archives ([`crate::containers`]). Every input becomes a [`RawInput`] or an
//! [`IngestError`] naming it; reading never stops at a bad input.
//!
//! Memory stays bounded: a file over the size limit is refused from its metadata, and a
//! JSONL line over the limit is skipped without being held in memory.

use crate::error::{ErrorKind, IngestError};
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;

/// How to read an input's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// By extension (`.html`/`.htm` HTML, `.jsonl`/`.ndjson` JSONL, `.txt` text), else by content.
    Auto,
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// One JSON object per line: `{"id"?, "text"? | "html"?, "date"?, "title"?, "url"?}`.
    Jsonl,
    /// An RSS or Atom feed: one article per entry.
    Feed,
    /// A WARC archive (plain or gzip'd): one article per HTML response.
    Warc,
}

/// The body of one input, before decoding.
#[derive(Debug, Clone)]
pub enum Body {
    /// Plain-text bytes (from a file or stdin).
    TextBytes(Vec<u8>),
    /// HTML bytes.
    HtmlBytes(Vec<u8>),
    /// Plain text already decoded (a JSONL `text`).
    Text(String),
    /// HTML already decoded (a JSONL `html`).
    Html(String),
}

/// One article as read, with what its container said about it.
#[derive(Debug, Clone)]
pub struct RawInput {
    /// Path, `path:line` for JSONL without an id, the JSONL `id`, or `<stdin>`.
    pub id: String,
    /// Where the input was read: a path, `path:line` for JSONL, or `<stdin>`.
    pub origin: String,
    /// Its body.
    pub body: Body,
    /// A JSONL `date`.
    pub date: Option<String>,
    /// A JSONL `title`.
    pub title: Option<String>,
    /// A JSONL `url`.
    pub url: Option<String>,
}

impl RawInput {
    /// The body's bytes as read (what identifies the input in the store).
    pub fn body_bytes(&self) -> &[u8] {
        match &self.body {
            Body::TextBytes(b) | Body::HtmlBytes(b) => b,
            Body::Text(s) | Body::Html(s) => s.as_bytes(),
        }
    }

    /// Size of the body in bytes, as read.
    pub fn byte_len(&self) -> usize {
        match &self.body {
            Body::TextBytes(b) | Body::HtmlBytes(b) => b.len(),
            Body::Text(s) | Body::Html(s) => s.len(),
        }
    }
}

/// Options for reading inputs.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Format for all inputs, or `Auto`.
    pub format: Format,
    /// Largest document accepted, in bytes (a file, or a JSONL line).
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            max_bytes: 16 << 20,
        }
    }
}

/// The name used for standard input.
pub const STDIN: &str = "<stdin>";

/// Read every input in order, calling `sink` with each article or error.
/// `sink` may stop the walk by returning `ControlFlow::Break`.
pub fn read_inputs(
    inputs: &[String],
    opts: ReadOptions,
    sink: &mut dyn FnMut(Result<RawInput, IngestError>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    if inputs.is_empty() {
        return read_stdin(opts, sink);
    }
    for input in inputs {
        if input == "-" {
            read_stdin(opts, sink)?;
        } else {
            read_path(Path::new(input), opts, sink)?;
        }
    }
    ControlFlow::Continue(())
}

fn read_stdin(
    opts: ReadOptions,
    sink: &mut dyn FnMut(Result<RawInput, IngestError>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    let format = if opts.format == Format::Auto {
        // Sniff without consuming: JSONL starts with '{'.
        match lock.fill_buf() {
            Ok(buf) => sniff(buf),
            Err(e) => return sink(Err(IngestError::new(STDIN, ErrorKind::Io(e)))),
        }
    } else {
        opts.format
    };
    if format == Format::Jsonl {
        return read_jsonl(STDIN, &mut lock, opts, sink);
    }
    if format == Format::Warc {
        return crate::containers::read_warc(STDIN, Box::new(lock), opts.max_bytes, sink);
    }
    match read_bounded(&mut lock, opts.max_bytes) {
        Ok(bytes) if format == Format::Feed => crate::containers::read_feed(STDIN, &bytes, sink),
        Ok(bytes) => sink(Ok(raw_from_bytes(STDIN.to_string(), bytes, format))),
        Err(kind) => sink(Err(IngestError::new(STDIN, kind))),
    }
}

fn read_path(
    path: &Path,
    opts: ReadOptions,
    sink: &mut dyn FnMut(Result<RawInput, IngestError>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return sink(Err(IngestError::new(name, ErrorKind::Io(e)))),
    };
    if meta.is_dir() {
        let mut entries: Vec<_> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return sink(Err(IngestError::new(name, ErrorKind::Io(e)))),
        };
        entries.sort();
        for p in entries {
            // Hidden files (".git", editor swap files) are not articles.
            if p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
            {
                continue;
            }
            read_path(&p, opts, sink)?;
        }
        return ControlFlow::Continue(());
    }
    let by_ext = if opts.format == Format::Auto {
        format_from_extension(path)
    } else {
        opts.format
    };
    let warc_by_content = by_ext == Format::Auto && {
        let mut head = [0u8; 8];
        std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head).map(|n| head[..n].to_vec()))
            .is_ok_and(|h| crate::containers::looks_like_warc(&h))
    };
    if by_ext == Format::Warc || warc_by_content {
        // Archives are streamed record by record: no whole-file size limit.
        return match std::fs::File::open(path) {
            Ok(f) => crate::containers::read_warc(&name, Box::new(f), opts.max_bytes, sink),
            Err(e) => sink(Err(IngestError::new(name, ErrorKind::Io(e)))),
        };
    }
    if by_ext == Format::Jsonl {
        return match std::fs::File::open(path) {
            Ok(f) => read_jsonl(&name, &mut BufReader::new(f), opts, sink),
            Err(e) => sink(Err(IngestError::new(name, ErrorKind::Io(e)))),
        };
    }
    if meta.len() > opts.max_bytes {
        return sink(Err(IngestError::new(
            name,
            ErrorKind::TooLarge {
                size: meta.len(),
                limit: opts.max_bytes,
            },
        )));
    }
    let bytes = match std::fs::File::open(path)
        .map_err(ErrorKind::Io)
        .and_then(|mut f| read_bounded(&mut f, opts.max_bytes))
    {
        Ok(b) => b,
        Err(kind) => return sink(Err(IngestError::new(name, kind))),
    };
    let format = if by_ext == Format::Auto {
        sniff(&bytes)
    } else {
        by_ext
    };
    if format == Format::Jsonl {
        return read_jsonl(&name, &mut &bytes[..], opts, sink);
    }
    if format == Format::Feed {
        return crate::containers::read_feed(&name, &bytes, sink);
    }
    sink(Ok(raw_from_bytes(name, bytes, format)))
}

fn raw_from_bytes(id: String, bytes: Vec<u8>, format: Format) -> RawInput {
    let body = if format == Format::Html {
        Body::HtmlBytes(bytes)
    } else {
        Body::TextBytes(bytes)
    };
    RawInput {
        origin: id.clone(),
        id,
        body,
        date: None,
        title: None,
        url: None,
    }
}

fn read_bounded(r: &mut dyn Read, max: u64) -> Result<Vec<u8>, ErrorKind> {
    let mut buf = Vec::new();
    r.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(ErrorKind::TooLarge {
            size: buf.len() as u64,
            limit: max,
        });
    }
    Ok(buf)
}

/// The format an extension names, or `Auto` to sniff the content.
pub fn format_from_extension(path: &Path) -> Format {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm" | "xhtml" | "shtml") => Format::Html,
        Some("jsonl" | "ndjson") => Format::Jsonl,
        Some("txt" | "text") => Format::Text,
        Some("rss" | "atom") => Format::Feed,
        Some("warc") => Format::Warc,
        Some("gz")
            if path
                .to_string_lossy()
                .to_ascii_lowercase()
                .ends_with(".warc.gz") =>
        {
            Format::Warc
        }
        _ => Format::Auto,
    }
}

/// Guess a format from the first bytes: `{` → JSONL, a tag → HTML, else text.
pub fn sniff(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.starts_with(b"{") {
        return Format::Jsonl;
    }
    if crate::containers::looks_like_feed(head) {
        return Format::Feed;
    }
    let lower: Vec<u8> = head
        .iter()
        .take(256)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || lower.starts_with(b"<head")
        || lower.starts_with(b"<body")
        || (lower.starts_with(b"<")
            && lower
                .windows(5)
                .any(|w| w == b"<body" || w == b"<div " || w == b"<meta"))
    {
        return Format::Html;
    }
    Format::Text
}

/// A line read with a size cap.
enum Line {
    Ok(Vec<u8>),
    TooLong(u64),
    Eof,
}

fn read_line_capped(r: &mut dyn BufRead, max: u64) -> std::io::Result<Line> {
    let mut buf = Vec::new();
    let mut seen: u64 = 0;
    let mut too_long = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(p) => (p + 1, true),
            None => (chunk.len(), false),
        };
        seen += take as u64;
        if !too_long {
            if seen > max {
                too_long = true;
                buf = Vec::new();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take);
        if done {
            break;
        }
    }
    if seen == 0 {
        return Ok(Line::Eof);
    }
    if too_long {
        return Ok(Line::TooLong(seen));
    }
    Ok(Line::Ok(buf))
}

#[derive(serde::Deserialize)]
struct JsonlDoc {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    date: Option<String>,
    title: Option<String>,
    url: Option<String>,
}

fn read_jsonl(
    name: &str,
    r: &mut dyn BufRead,
    opts: ReadOptions,
    sink: &mut dyn FnMut(Result<RawInput, IngestError>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut n = 0usize;
    loop {
        n += 1;
        let where_ = format!("{name}:{n}");
        let line = match read_line_capped(r, opts.max_bytes) {
            Ok(Line::Eof) => return ControlFlow::Continue(()),
            Ok(Line::TooLong(size)) => {
                sink(Err(IngestError::new(
                    where_,
                    ErrorKind::TooLarge {
                        size,
                        limit: opts.max_bytes,
                    },
                )))?;
                continue;
            }
            Ok(Line::Ok(l)) => l,
            Err(e) => return sink(Err(IngestError::new(where_, ErrorKind::Io(e)))),
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        sink(parse_jsonl_line(&where_, &line))?;
    }
}

fn parse_jsonl_line(where_: &str, line: &[u8]) -> Result<RawInput, IngestError> {
    let err = |kind| IngestError::new(where_, kind);
    let doc: JsonlDoc =
        serde_json::from_slice(line).map_err(|e| err(ErrorKind::BadJson(e.to_string())))?;
    let id = match doc.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        None | Some(serde_json::Value::Null) => where_.to_string(),
        Some(other) => {
            return Err(err(ErrorKind::BadJson(format!(
                "\"id\" must be a string or number, found {other}"
            ))))
        }
    };
    let body = match (doc.text, doc.html) {
        (_, Some(h)) => Body::Html(h),
        (Some(t), None) => Body::Text(t),
        (None, None) => {
            return Err(IngestError::new(
                where_,
                ErrorKind::BadJson("no \"text\" or \"html\" field".into()),
            ))
        }
    };
    Ok(RawInput {
        id,
        origin: where_.to_string(),
        body,
        date: doc.date.filter(|d| !d.is_empty()),
        title: doc.title,
        url: doc.url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_tells_jsonl_html_and_text_apart() {
        assert_eq!(sniff(b"  {\"text\": \"x\"}"), Format::Jsonl);
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff(b"\xef\xbb\xbf<html lang=en>"), Format::Html);
        assert_eq!(sniff(b"NAIROBI (Reuters) - Police"), Format::Text);
        assert_eq!(sniff(b"<3 is a heart"), Format::Text);
    }

    #[test]
    fn capped_line_reader_skips_long_lines_without_keeping_them() {
        let data = format!("{}\n{{\"text\":\"ok\"}}\n", "x".repeat(1000));
        let mut r = BufReader::with_capacity(64, data.as_bytes());
        assert!(matches!(
            read_line_capped(&mut r, 100).unwrap(),
            Line::TooLong(1001)
        ));
        assert!(matches!(
            read_line_capped(&mut r, 100).unwrap(),
            Line::Ok(_)
        ));
        assert!(matches!(read_line_capped(&mut r, 100).unwrap(), Line::Eof));
    }

    #[test]
    fn jsonl_lines_name_their_line_in_errors() {
        let data = b"{\"id\":\"a\",\"text\":\"one\"}\nnot json\n\n{\"title\":\"no body\"}\n{\"text\":\"t\",\"date\":\"2022-12-19\"}\n";
        let mut got = Vec::new();
        let _ = read_jsonl(
            "f.jsonl",
            &mut &data[..],
            ReadOptions::default(),
            &mut |r| {
                got.push(r.map(|x| x.id).map_err(|e| e.to_string()));
                ControlFlow::Continue(())
            },
        );
        assert_eq!(got[0].as_deref(), Ok("a"));
        assert!(got[1]
            .as_ref()
            .unwrap_err()
            .starts_with("f.jsonl:2: bad JSONL line"));
        assert!(got[2]
            .as_ref()
            .unwrap_err()
            .starts_with("f.jsonl:4: bad JSONL line: no \"text\""));
        assert_eq!(got[3].as_deref(), Ok("f.jsonl:5"));
        assert_eq!(got.len(), 4);
    }
}
