//! Reader for PETRARCH/TABARI/Phoenix actor dictionaries (`--actors FILE`).
//!
//! A block starts with a phrase line (`VLADIMIR_PUTIN_` or `UN_ [IGOUNO]`), continues
//! with synonym lines (`+PUTIN_`) and date-bounded code lines
//! (`\t[RUSGOV 991231-080507]`, `[USAGOV >010120]`, `[X <990101]`). Words are joined
//! by underscores and written in capitals, so phrases match ignoring case. Agent
//! dictionaries (`FARMER [~AGR]`) become role words. `!MACRO!` lines are skipped.

use crate::actors::{ActorBase, Entry, EntryKind};
use crate::date::Day;
use annals_doc::Rule;

/// Whether `text` looks like a TABARI-format dictionary rather than the project's format.
pub fn looks_like_phoenix(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(200)
        .any(|l| {
            l.starts_with('+') || l.contains("_ [") || (l.starts_with('[') && l.ends_with(']'))
        })
}

fn yymmdd(s: &str, end: bool) -> Option<Day> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: u32 = s[..2].parse().ok()?;
    let year = if yy < 50 { 2000 + yy } else { 1900 + yy };
    Day::parse(&format!("{year}-{}-{}", &s[2..4], &s[4..6]), end)
}

/// `[CODE]`, `[CODE a-b]`, `[CODE >a]`, `[CODE <b]` → (code, from, to).
fn code_spec(s: &str) -> Option<(String, Option<Day>, Option<Day>)> {
    let inner = s.trim().strip_prefix('[')?.split(']').next()?.trim();
    let mut parts = inner.split_whitespace();
    let code = parts.next()?.to_string();
    let (mut from, mut to) = (None, None);
    if let Some(range) = parts.next() {
        if let Some(a) = range.strip_prefix('>') {
            from = yymmdd(a, false);
        } else if let Some(b) = range.strip_prefix('<') {
            to = yymmdd(b, true);
        } else if let Some((a, b)) = range.split_once('-') {
            from = yymmdd(a, false);
            to = yymmdd(b, true);
        }
    }
    Some((code, from, to))
}

fn phrase(s: &str) -> String {
    s.split('[')
        .next()
        .unwrap_or("")
        .trim()
        .replace('_', " ")
        .trim()
        .to_string()
}

struct Block {
    phrases: Vec<(String, usize)>,
    codes: Vec<(String, Option<Day>, Option<Day>, usize)>,
}

fn flush(kb: &mut ActorBase, file: &str, b: &mut Block) {
    let Some((canonical, _)) = b.phrases.first().cloned() else {
        b.codes.clear();
        return;
    };
    // A block with dated codes is a person; its undated code is the fallback for
    // days outside every dated role (PETRARCH's convention), so it comes last.
    let dated = b.codes.iter().any(|c| c.1.is_some() || c.2.is_some());
    b.codes.sort_by_key(|c| c.1.is_none() && c.2.is_none());
    for (code, from, to, line) in &b.codes {
        let (kind, code) = if let Some(sector) = code.strip_prefix('~') {
            (EntryKind::Role, sector.to_string())
        } else if dated {
            (EntryKind::Person, code.clone())
        } else if code.len() == 3 {
            (EntryKind::Country, code.clone())
        } else {
            (EntryKind::Organisation, code.clone())
        };
        if code.is_empty() || !code.bytes().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        for (p, _) in &b.phrases {
            kb.push_phrase(
                Entry {
                    kind,
                    code: code.clone(),
                    from: *from,
                    to: *to,
                    canonical: canonical.clone(),
                    phrase: String::new(),
                    note: String::new(),
                    any_case: true,
                    rule: Rule::new(file, *line),
                },
                p,
            );
        }
    }
    b.phrases.clear();
    b.codes.clear();
}

/// Add every entry of a TABARI-format dictionary to `kb`.
pub fn read(kb: &mut ActorBase, file: &str, text: &str) {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file).to_string();
    let mut b = Block {
        phrases: Vec::new(),
        codes: Vec::new(),
    };
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        let t = line.trim();
        if t.is_empty() || t.contains('!') {
            continue;
        }
        if t.starts_with('[') {
            if let Some((c, f, to)) = code_spec(t) {
                b.codes.push((c, f, to, n + 1));
            }
            continue;
        }
        if let Some(syn) = t.strip_prefix('+') {
            let p = phrase(syn);
            if !p.is_empty() {
                b.phrases.push((p, n + 1));
            }
            continue;
        }
        // A new head phrase: the previous block is complete.
        flush(kb, &base, &mut b);
        let p = phrase(t);
        if p.is_empty() {
            continue;
        }
        b.phrases.push((p, n + 1));
        if let Some(i) = t.find('[') {
            if let Some((c, f, to)) = code_spec(&t[i..]) {
                b.codes.push((c, f, to, n + 1));
            }
        }
    }
    flush(kb, &base, &mut b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_synonyms_and_dated_codes() {
        let text =
            "# header\nANTON_VERK_  # note\n+VERK_\n\t[XYZGOV 991231-080507]\n\t[XYZELI <991230]\n\
                    U.N._ [IGOUNO]\n!PERSON! = MAN, MEN\nFARMER [~AGR]\n";
        assert!(looks_like_phoenix(text));
        let mut kb = ActorBase::default();
        read(&mut kb, "x.actors.txt", text);
        let e = kb.lookup("Anton Verk");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].code, "XYZGOV");
        assert_eq!(e[0].kind, EntryKind::Person);
        assert!(e[0].holds_on(Day::parse("2005-01-01", false)));
        assert!(!e[0].holds_on(Day::parse("2010-01-01", false)));
        assert_eq!(e[0].rule.to_string(), "x.actors.txt:4");
        assert_eq!(kb.lookup("Verk")[0].canonical, "ANTON VERK");
        assert_eq!(kb.lookup("U.N.")[0].code, "IGOUNO");
        assert_eq!(kb.role("farmer")[0].code, "AGR");
    }
}
