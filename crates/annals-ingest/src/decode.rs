//! Bytes to text: binary detection, byte-order marks, declared HTML charsets.
//!
//! Text inputs must be UTF-8 (or UTF-16/UTF-8 with a BOM): a wrong guess at a legacy
//! encoding would silently corrupt names, so invalid UTF-8 is an error that says where.
//! HTML follows the web's rules instead: BOM, then `<meta charset>` or
//! `http-equiv=Content-Type` in the first 4 KiB, then UTF-8 if the bytes are valid,
//! then windows-1252 (the HTML standard's fallback for undeclared legacy pages).

use crate::error::ErrorKind;
use encoding_rs::Encoding;

/// Refuse binary data: known signatures, or NUL bytes in the first 8 KiB.
pub fn check_not_binary(bytes: &[u8]) -> Result<(), ErrorKind> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x1f\x8b", "gzip"),
        (b"PK\x03\x04", "zip"),
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF8", "GIF"),
        (b"\x7fELF", "ELF executable"),
        (b"BZh", "bzip2"),
        (b"\xfd7zXZ", "xz"),
        (b"\x28\xb5\x2f\xfd", "zstd"),
        (b"SQLite format 3", "SQLite"),
    ];
    for (sig, name) in SIGNATURES {
        if bytes.starts_with(sig) {
            return Err(ErrorKind::Binary(name));
        }
    }
    let has_utf16_bom = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    let head = &bytes[..bytes.len().min(8192)];
    if !has_utf16_bom && head.contains(&0) {
        return Err(ErrorKind::Binary("NUL bytes"));
    }
    Ok(())
}

/// Decode a plain-text input: BOM-declared UTF-16/UTF-8, otherwise strict UTF-8.
pub fn decode_text(bytes: &[u8]) -> Result<String, ErrorKind> {
    check_not_binary(bytes)?;
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(ErrorKind::InvalidUtf8(bom_len));
        }
        return Ok(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(ErrorKind::InvalidUtf8(e.valid_up_to())),
    }
}

/// Decode an HTML input by the web's rules (see the module doc); never fails on bytes.
pub fn decode_html(bytes: &[u8]) -> Result<String, ErrorKind> {
    check_not_binary(bytes)?;
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned());
    }
    let enc = declared_charset(&bytes[..bytes.len().min(4096)]).or_else(|| {
        if std::str::from_utf8(bytes).is_ok() {
            Some(encoding_rs::UTF_8)
        } else {
            None
        }
    });
    let enc = enc.unwrap_or(encoding_rs::WINDOWS_1252);
    // A page that declares UTF-16 in ASCII bytes cannot be UTF-16: HTML says use UTF-8.
    let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        enc
    };
    Ok(enc.decode_without_bom_handling(bytes).0.into_owned())
}

/// The charset named by `<meta charset=…>` or `<meta http-equiv=Content-Type content="…charset=…">`.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map(|e| start + e)
            .unwrap_or(lower.len());
        let tag = &lower[start..end];
        if let Some(cs) = find(tag, b"charset") {
            let mut rest = &tag[cs + 7..];
            rest = trim_left(rest);
            if let Some(r) = rest.strip_prefix(b"=") {
                let r = trim_left(r);
                let r = r
                    .strip_prefix(b"\"")
                    .or_else(|| r.strip_prefix(b"'"))
                    .unwrap_or(r);
                let label_end = r
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(r.len());
                if let Some(enc) = Encoding::for_label(&r[..label_end]) {
                    return Some(enc);
                }
            }
        }
        from = end;
    }
    None
}

fn trim_left(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_decoding_rejects_invalid_utf8_with_its_offset() {
        assert!(matches!(
            decode_text(b"ok \xff bad"),
            Err(ErrorKind::InvalidUtf8(3))
        ));
    }

    #[test]
    fn text_decoding_honours_boms() {
        assert_eq!(decode_text(b"\xef\xbb\xbfhi").unwrap(), "hi");
        assert_eq!(decode_text(b"\xff\xfeh\x00i\x00").unwrap(), "hi");
    }

    #[test]
    fn binary_input_is_refused_by_signature_or_nul() {
        assert!(matches!(
            decode_text(b"\x1f\x8b\x08\x00"),
            Err(ErrorKind::Binary("gzip"))
        ));
        assert!(matches!(
            decode_text(b"abc\x00def"),
            Err(ErrorKind::Binary(_))
        ));
    }

    #[test]
    fn html_decoding_follows_meta_charset() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xe9</body></html>";
        assert!(decode_html(page).unwrap().contains("Café"));
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">\xcc\xe8\xed\xf1\xea";
        assert!(decode_html(page).unwrap().ends_with("Минск"));
    }

    #[test]
    fn undeclared_html_falls_back_to_utf8_then_windows_1252() {
        assert!(decode_html("<p>Zürich</p>".as_bytes())
            .unwrap()
            .contains("Zürich"));
        assert!(decode_html(b"<p>Z\xfcrich</p>").unwrap().contains("Zürich"));
    }
}
