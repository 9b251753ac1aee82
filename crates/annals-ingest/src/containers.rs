//! Inputs that hold many articles: RSS/Atom feeds and WARC archives (Common Crawl's
//! CC-NEWS style, plain or gzip'd member by member).
//!
//! Each article becomes a [`RawInput`] named `FILE#N` (its position) with the
//! article's own URL as its id, so the same page crawled into two archives is one
//! document to the store. A bad entry or record is reported alone; the rest go on.
//!
//! Feeds are parsed by `feed-rs` (RSS 0.9–2.0, Atom, JSON Feed). WARC is read here: the
//! format is a header block, a `Content-Length` body and a blank line, and reading it
//! ourselves keeps memory bounded per record (a record over `--max-bytes` is skipped
//! without being held) and lets gzip go through `flate2`'s multi-member decoder, the
//! fast path.

use crate::error::{ErrorKind, IngestError};
use crate::source::{Body, RawInput};
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;

type Sink<'a> = &'a mut dyn FnMut(Result<RawInput, IngestError>) -> ControlFlow<()>;

/// Whether the first bytes are an RSS, RDF or Atom document.
pub fn looks_like_feed(head: &[u8]) -> bool {
    let head = &head[..head.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let has = |pat: &[u8]| lower.windows(pat.len()).any(|w| w == pat);
    has(b"<rss") || has(b"<rdf:rdf") || (has(b"<feed") && has(b"http://www.w3.org/2005/atom"))
}

/// Whether the bytes start an uncompressed WARC file (a gzip'd one is known by its
/// `.warc.gz` name: a gzip header alone could be anything).
pub fn looks_like_warc(head: &[u8]) -> bool {
    head.starts_with(b"WARC/")
}

/// Every entry of a feed, as HTML (or text) articles with title, URL and date.
pub fn read_feed(name: &str, bytes: &[u8], sink: Sink) -> ControlFlow<()> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return sink(Err(IngestError::new(
                name,
                ErrorKind::BadFeed(e.to_string()),
            )))
        }
    };
    for (n, entry) in feed.entries.into_iter().enumerate() {
        let origin = format!("{name}#{}", n + 1);
        let url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .map(|l| l.href.clone());
        let title = entry.title.map(|t| t.content);
        // Full content when the feed carries it, else the summary.
        let body = entry
            .content
            .and_then(|c| c.body)
            .or(entry.summary.map(|s| s.content))
            .unwrap_or_default();
        let date = entry
            .published
            .or(entry.updated)
            .map(|d| d.format("%Y-%m-%d").to_string());
        let body = if body.contains('<') {
            // A fragment, wrapped so the extractor sees a page with the entry's title.
            Body::Html(format!(
                "<html><head><title>{}</title></head><body><article>{body}</article></body></html>",
                title.as_deref().map(escape).unwrap_or_default()
            ))
        } else {
            Body::Text(body)
        };
        let id = url
            .clone()
            .or_else(|| (!entry.id.is_empty()).then(|| entry.id.clone()))
            .unwrap_or_else(|| origin.clone());
        sink(Ok(RawInput {
            id,
            origin,
            body,
            date,
            title,
            url,
        }))?;
    }
    ControlFlow::Continue(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every HTML response in a WARC file. Other records (requests, metadata, non-HTML
/// responses) are passed over silently: they are not articles.
pub fn read_warc(name: &str, reader: Box<dyn Read>, max_bytes: u64, sink: Sink) -> ControlFlow<()> {
    let mut r = BufReader::with_capacity(1 << 16, reader);
    let gz = match r.fill_buf() {
        Ok(b) => b.starts_with(&[0x1f, 0x8b]),
        Err(e) => return sink(Err(IngestError::new(name, ErrorKind::Io(e)))),
    };
    let mut r: Box<dyn BufRead> = if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(r),
        ))
    } else {
        Box::new(r)
    };
    let mut n = 0usize;
    loop {
        n += 1;
        let origin = format!("{name}#{n}");
        let fail = |kind| IngestError::new(origin.clone(), kind);
        let headers = match read_header_block(&mut r) {
            Ok(Some(h)) => h,
            Ok(None) => return ControlFlow::Continue(()),
            Err(kind) => return sink(Err(fail(kind))),
        };
        if !headers.first().is_some_and(|l| l.starts_with("WARC/")) {
            return sink(Err(fail(ErrorKind::BadWarc(
                "record does not start with a WARC/ version line".into(),
            ))));
        }
        let field = |k: &str| header(&headers[1..], k);
        let Some(len) = field("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            return sink(Err(fail(ErrorKind::BadWarc("no Content-Length".into()))));
        };
        let is_response = field("warc-type") == Some("response")
            && field("content-type").is_some_and(|t| t.contains("msgtype=response"));
        let uri = field("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string());
        if !is_response || len > max_bytes {
            match std::io::copy(&mut (&mut r).take(len), &mut std::io::sink()) {
                Ok(got) if got == len => {}
                Ok(_) => return sink(Err(fail(ErrorKind::BadWarc("truncated record".into())))),
                Err(e) => return sink(Err(fail(ErrorKind::Io(e)))),
            }
            if is_response {
                let name = match &uri {
                    Some(u) => format!("{origin} ({u})"),
                    None => origin.clone(),
                };
                sink(Err(IngestError::new(
                    name,
                    ErrorKind::TooLarge {
                        size: len,
                        limit: max_bytes,
                    },
                )))?;
            }
            continue;
        }
        let mut block = Vec::with_capacity(len as usize);
        match (&mut r).take(len).read_to_end(&mut block) {
            Ok(got) if got as u64 == len => {}
            Ok(_) => return sink(Err(fail(ErrorKind::BadWarc("truncated record".into())))),
            Err(e) => return sink(Err(fail(ErrorKind::Io(e)))),
        }
        if let Some((content_type, body)) = split_http(&block) {
            if content_type.contains("html") {
                sink(Ok(RawInput {
                    id: uri.clone().unwrap_or_else(|| origin.clone()),
                    origin: origin.clone(),
                    body: Body::HtmlBytes(body.to_vec()),
                    // WARC-Date is when the page was crawled, not published: the page's
                    // own metadata dates it.
                    date: None,
                    title: None,
                    url: uri,
                }))?;
            }
        }
    }
}

/// The header lines of a WARC record, after any blank lines between records; None at
/// the end of the file.
fn read_header_block(r: &mut dyn BufRead) -> Result<Option<Vec<String>>, ErrorKind> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        // Header lines are short; a bound keeps a corrupt file from filling memory.
        let got = r.take(64 << 10).read_until(b'\n', &mut line)?;
        if got == 0 {
            return if lines.is_empty() {
                Ok(None)
            } else {
                Err(ErrorKind::BadWarc("file ends inside a header".into()))
            };
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if lines.is_empty() {
                continue; // the blank lines that end the previous record
            }
            return Ok(Some(lines));
        }
        lines.push(text.to_string());
        if lines.len() > 1000 {
            return Err(ErrorKind::BadWarc("header block over 1000 lines".into()));
        }
    }
}

fn header<'a>(lines: &'a [String], key: &str) -> Option<&'a str> {
    lines.iter().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(key).then(|| v.trim())
    })
}

/// An HTTP response's content type (lower case) and body.
fn split_http(block: &[u8]) -> Option<(String, &[u8])> {
    let end = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| {
            block
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|p| (p, p + 2))
        })?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    if !lines.next()?.starts_with("HTTP/") {
        return None;
    }
    let rest: Vec<String> = lines.map(str::to_string).collect();
    let ct = header(&rest, "content-type")
        .unwrap_or("text/html")
        .to_ascii_lowercase();
    Some((ct, &block[end.1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const PAGE: &str = "<html><head><title>Port talks</title></head><body><article><h1>Port talks</h1><p>Dock workers in Mombasa ended a strike on Friday after the port authority agreed to review their pay, union officials said. The strike had halted cargo for three days and left dozens of ships waiting offshore.</p></article></body></html>";

    fn record(kind: &str, uri: &str, ctype: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-02T10:00:00Z\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn warc() -> Vec<Vec<u8>> {
        let http =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{PAGE}");
        vec![
            record(
                "warcinfo",
                "",
                "application/warc-fields",
                b"software: test\r\n",
            ),
            record(
                "request",
                "https://news.example/a",
                "application/http; msgtype=request",
                b"GET /a HTTP/1.1\r\n\r\n",
            ),
            record(
                "response",
                "https://news.example/a",
                "application/http; msgtype=response",
                http.as_bytes(),
            ),
            record(
                "response",
                "https://news.example/logo.png",
                "application/http; msgtype=response",
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
            ),
        ]
    }

    fn collect(f: impl FnOnce(Sink) -> ControlFlow<()>) -> (Vec<RawInput>, Vec<String>) {
        let (mut ok, mut err) = (Vec::new(), Vec::new());
        let _ = f(&mut |r| {
            match r {
                Ok(x) => ok.push(x),
                Err(e) => err.push(e.to_string()),
            }
            ControlFlow::Continue(())
        });
        (ok, err)
    }

    #[test]
    fn warc_html_responses_become_inputs_plain_and_gzipped_per_record() {
        let plain: Vec<u8> = warc().concat();
        let (ok, err) =
            collect(|s| read_warc("a.warc", Box::new(std::io::Cursor::new(plain)), 1 << 20, s));
        assert!(err.is_empty(), "{err:?}");
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].id, "https://news.example/a");
        assert_eq!(ok[0].origin, "a.warc#3");
        assert!(ok[0].body_bytes().starts_with(b"<html>"));
        // CC-NEWS: each record its own gzip member.
        let mut gz = Vec::new();
        for r in warc() {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(&r).unwrap();
            gz.extend(e.finish().unwrap());
        }
        let (ok, err) =
            collect(|s| read_warc("a.warc.gz", Box::new(std::io::Cursor::new(gz)), 1 << 20, s));
        assert!(err.is_empty(), "{err:?}");
        assert_eq!(ok.len(), 1);
        // Over the size limit: skipped with its URI named, the rest goes on.
        let (ok, err) = collect(|s| {
            read_warc(
                "a.warc",
                Box::new(std::io::Cursor::new(warc().concat())),
                100,
                s,
            )
        });
        assert!(ok.is_empty());
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(
            err[0].starts_with("a.warc#3 (https://news.example/a): input is"),
            "{err:?}"
        );
        let (_, err) = collect(|s| {
            read_warc(
                "b.warc",
                Box::new(std::io::Cursor::new(b"not a warc\r\n\r\n".to_vec())),
                100,
                s,
            )
        });
        assert_eq!(
            err,
            ["b.warc#1: bad WARC file: record does not start with a WARC/ version line"]
        );
        let truncated =
            b"WARC/1.0\r\nWARC-Type: request\r\nContent-Length: 99999\r\n\r\nshort".to_vec();
        let (_, err) =
            collect(|s| read_warc("t.warc", Box::new(std::io::Cursor::new(truncated)), 100, s));
        assert_eq!(err, ["t.warc#1: bad WARC file: truncated record"]);
    }

    #[test]
    fn rss_and_atom_entries_become_inputs() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
          <item><title>Port talks</title><link>https://news.example/a</link>
            <pubDate>Fri, 03 May 2024 08:00:00 GMT</pubDate>
            <description>&lt;p&gt;Dock workers in Mombasa ended a strike on Friday.&lt;/p&gt;</description></item>
          <item><title>Rain</title><link>https://news.example/b</link><description>Heavy rain fell.</description></item>
        </channel></rss>"#;
        assert!(looks_like_feed(rss.as_bytes()));
        let (ok, err) = collect(|s| read_feed("wire.rss", rss.as_bytes(), s));
        assert!(err.is_empty(), "{err:?}");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].id, "https://news.example/a");
        assert_eq!(ok[0].date.as_deref(), Some("2024-05-03"));
        assert_eq!(ok[0].title.as_deref(), Some("Port talks"));
        assert!(matches!(&ok[0].body, Body::Html(h) if h.contains("<p>Dock workers")));
        assert!(matches!(&ok[1].body, Body::Text(t) if t == "Heavy rain fell."));
        let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
          <title>Wire</title><id>urn:wire</id><updated>2024-05-03T08:00:00Z</updated>
          <entry><title>Port talks</title><id>urn:a</id><link href="https://news.example/a"/>
            <published>2024-05-03T08:00:00Z</published><updated>2024-05-04T08:00:00Z</updated>
            <content type="html">&lt;p&gt;Dock workers ended a strike.&lt;/p&gt;</content></entry></feed>"#;
        assert!(looks_like_feed(atom.as_bytes()));
        let (ok, _) = collect(|s| read_feed("wire.atom", atom.as_bytes(), s));
        assert_eq!(ok.len(), 1);
        assert_eq!(
            ok[0].date.as_deref(),
            Some("2024-05-03"),
            "published, not updated"
        );
        let (_, err) = collect(|s| read_feed("bad.rss", b"<rss><channel><item>", s));
        assert_eq!(err.len(), 1);
        assert!(err[0].starts_with("bad.rss: bad feed"), "{err:?}");
    }
}
