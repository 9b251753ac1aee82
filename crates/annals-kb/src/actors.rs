//! Actor knowledge: countries, organisations, role words and people, by phrase.

use crate::date::Day;
use annals_doc::Rule;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// What a phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A country or territory's name ("Belarus", "U.S.").
    Country,
    /// A nationality adjective or demonym ("Belarusian", "Russians").
    Demonym,
    /// A capital city, standing for its government ("Moscow and Minsk").
    Capital,
    /// An organisation, seat of power, news agency or international body.
    Organisation,
    /// A person with a role (dated).
    Person,
    /// A role word or phrase ("spokesman", "troops"); its code is a sector.
    Role,
}

/// One fact: a phrase, what it names and the code it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the phrase names.
    pub kind: EntryKind,
    /// ISO3 for countries, demonyms and capitals; a full actor code (`RUSGOV`,
    /// `IGOUNO`) for organisations and people; a sector (`GOV`) for roles.
    pub code: String,
    /// First day the entry holds (people's roles).
    pub from: Option<Day>,
    /// Last day it holds.
    pub to: Option<Day>,
    /// The canonical phrase: a person's full name, a country's first name.
    pub canonical: String,
    /// The phrase this entry was listed under (normalised).
    pub phrase: String,
    /// The line's comment, if any (a person's role: "President of Russia").
    pub note: String,
    /// Matched ignoring case (dictionaries written in capitals, like PETRARCH's).
    pub any_case: bool,
    /// Where it was read.
    pub rule: Rule,
}

impl Entry {
    /// Whether the entry holds on `day` (always, without a day to judge by).
    pub fn holds_on(&self, day: Option<Day>) -> bool {
        let Some(d) = day else { return true };
        self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|t| d <= t)
    }

    /// Country part of the code: the code itself for country kinds, its first three
    /// letters for organisations and people (`IGO` for international bodies).
    pub fn country(&self) -> Option<&str> {
        match self.kind {
            EntryKind::Role => None,
            _ => self.code.get(..3),
        }
    }

    /// Sector part of the code (`GOV` of `RUSGOV`), if any.
    pub fn sector(&self) -> Option<&str> {
        match self.kind {
            EntryKind::Role => Some(&self.code),
            EntryKind::Organisation | EntryKind::Person => self.code.get(3..6),
            _ => None,
        }
    }
}

/// A malformed knowledge-base line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {msg}")]
pub struct KbError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub msg: String,
}

/// Phrase lookup over everything the actor files say.
#[derive(Debug, Default)]
pub struct ActorBase {
    entries: Vec<Entry>,
    /// Phrase as written (whitespace collapsed, curly apostrophes straightened).
    exact: HashMap<String, Vec<u32>>,
    /// Upper-cased phrase: for all-caps text and for case-insensitive dictionaries.
    folded: HashMap<String, Vec<u32>>,
    /// Lower-cased role phrase.
    roles: HashMap<String, Vec<u32>>,
    /// A person's last name → their entries ("Putin" → Vladimir Putin's roles).
    surnames: HashMap<String, Vec<u32>>,
    /// First words of name phrases, as written: a quick "cannot start a name" test.
    first_words: rustc_hash::FxHashSet<String>,
    /// Country names by ISO3 (the first `name` line).
    country_names: HashMap<String, String>,
    max_tokens: usize,
}

/// Whitespace collapsed to single spaces, curly apostrophes straightened.
pub fn normalise(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    for w in phrase.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().map(|c| if c == '’' { '\'' } else { c }));
    }
    out
}

fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(i) => &line[..i],
        None => line,
    }
    .trim()
}

/// `(first field, rest)`, split at the first whitespace.
fn field(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    let i = s.find(char::is_whitespace)?;
    Some((&s[..i], s[i..].trim()))
}

fn is_code(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

static BUILTIN: OnceLock<Result<ActorBase, String>> = OnceLock::new();

const BUILTIN_FILES: [(&str, &str); 4] = [
    (
        "countries.txt",
        include_str!("../../../data/actors/countries.txt"),
    ),
    (
        "organisations.txt",
        include_str!("../../../data/actors/organisations.txt"),
    ),
    ("roles.txt", include_str!("../../../data/actors/roles.txt")),
    (
        "people.txt",
        include_str!("../../../data/actors/people.txt"),
    ),
];

impl ActorBase {
    /// The shipped files under `data/actors/`, parsed once.
    pub fn builtin() -> Result<&'static ActorBase, String> {
        BUILTIN
            .get_or_init(|| ActorBase::from_builtin_files().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// A fresh copy of the shipped knowledge (to add a user's files to).
    pub fn from_builtin_files() -> Result<ActorBase, KbError> {
        let mut kb = ActorBase::default();
        for (name, text) in BUILTIN_FILES {
            kb.add_text(name, text)?;
        }
        Ok(kb)
    }

    /// Every entry, in reading order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Longest phrase, in words.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// The name of a country (its first `name` line), by ISO3.
    pub fn country_name(&self, iso3: &str) -> Option<&str> {
        self.country_names.get(iso3).map(String::as_str)
    }

    fn push(&mut self, mut e: Entry, phrase: &str) {
        let key = normalise(phrase);
        if key.is_empty() {
            return;
        }
        e.phrase = key.clone();
        let ix = self.entries.len() as u32;
        self.max_tokens = self.max_tokens.max(key.split(' ').count());
        if e.kind == EntryKind::Role {
            self.roles.entry(key.to_lowercase()).or_default().push(ix);
        } else {
            if e.kind == EntryKind::Country && !self.country_names.contains_key(&e.code) {
                self.country_names.insert(e.code.clone(), key.clone());
            }
            if e.kind == EntryKind::Person {
                if let Some(last) = key.rsplit(' ').next().filter(|_| key.contains(' ')) {
                    self.surnames.entry(last.to_string()).or_default().push(ix);
                }
            }
            if let Some(first) = key.split(' ').next() {
                self.first_words.insert(first.to_string());
            }
            self.folded.entry(key.to_uppercase()).or_default().push(ix);
            self.exact.entry(key).or_default().push(ix);
        }
        self.entries.push(e);
    }

    /// Read a file in the project's formats (chosen by its name: `countries`,
    /// `roles`, `people`, else organisation lines `CODE PHRASE` or people lines
    /// `CODE FROM..TO NAMES`), or a PETRARCH/Phoenix actor dictionary (detected by
    /// its content).
    pub fn add_file(&mut self, path: &std::path::Path) -> Result<(), KbError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| KbError {
            file: name.clone(),
            line: 0,
            msg: format!("cannot read: {e}"),
        })?;
        if crate::phoenix::looks_like_phoenix(&text) {
            crate::phoenix::read(self, &name, &text);
            return Ok(());
        }
        self.add_text(&name, &text)
    }

    pub(crate) fn push_phrase(&mut self, e: Entry, phrase: &str) {
        self.push(e, phrase);
    }

    /// Read `text` as the project-format file `file`.
    pub fn add_text(&mut self, file: &str, text: &str) -> Result<(), KbError> {
        let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
        for (n, raw) in text.lines().enumerate() {
            let line = strip_comment(raw);
            if line.is_empty() {
                continue;
            }
            let note = raw[line.len()..].trim().trim_start_matches('#').trim();
            let rule = Rule::new(base, n + 1);
            let err = |msg: &str| KbError {
                file: file.to_string(),
                line: n + 1,
                msg: format!("{msg}: {raw:?}"),
            };
            let (code, rest) = field(line).ok_or_else(|| err("expected CODE and a phrase"))?;
            let entry = |kind, code: &str, from, to, canonical: &str| Entry {
                kind,
                code: code.to_string(),
                from,
                to,
                canonical: normalise(canonical),
                phrase: String::new(),
                note: note.to_string(),
                any_case: false,
                rule: rule.clone(),
            };
            if base.starts_with("countries") {
                if !is_code(code, 3..=3) {
                    return Err(err("expected an ISO 3166-1 alpha-3 code"));
                }
                let (kind, phrase) = field(rest).ok_or_else(|| err("expected KIND PHRASE"))?;
                let kind = match kind {
                    "name" => EntryKind::Country,
                    "adj" => EntryKind::Demonym,
                    "capital" => EntryKind::Capital,
                    _ => return Err(err("KIND must be name, adj or capital")),
                };
                let canonical = self
                    .country_names
                    .get(code)
                    .cloned()
                    .unwrap_or_else(|| phrase.to_string());
                self.push(entry(kind, code, None, None, &canonical), phrase);
            } else if base.starts_with("roles") {
                if !is_code(code, 3..=3) {
                    return Err(err("expected a three-letter sector code"));
                }
                self.push(entry(EntryKind::Role, code, None, None, rest), rest);
            } else if let Some((range, names)) = field(rest).filter(|(r, _)| r.contains("..")) {
                if !is_code(code, 3..=9) {
                    return Err(err("expected an actor code such as RUSGOV"));
                }
                let (from, to) = range.split_once("..").unwrap_or((range, ""));
                let from_day = if from.is_empty() {
                    None
                } else {
                    Some(Day::parse(from, false).ok_or_else(|| err("bad FROM date"))?)
                };
                let to_day = if to.is_empty() {
                    None
                } else {
                    Some(Day::parse(to, true).ok_or_else(|| err("bad TO date"))?)
                };
                if let (Some(f), Some(t)) = (from_day, to_day) {
                    if f > t {
                        return Err(err("FROM is after TO"));
                    }
                }
                let names: Vec<&str> = names
                    .split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                let Some(first) = names.first() else {
                    return Err(err("expected at least one name"));
                };
                for n in &names {
                    self.push(entry(EntryKind::Person, code, from_day, to_day, first), n);
                }
            } else {
                if !is_code(code, 3..=9) {
                    return Err(err("expected an actor code such as RUSGOV or IGOUNO"));
                }
                self.push(entry(EntryKind::Organisation, code, None, None, rest), rest);
            }
        }
        Ok(())
    }

    fn get(&self, ixs: Option<&Vec<u32>>) -> Vec<&Entry> {
        ixs.map(|v| v.iter().map(|&i| &self.entries[i as usize]).collect())
            .unwrap_or_default()
    }

    /// Entries for a name phrase: as written, else ignoring case — but only for a
    /// phrase written all in capitals (a headline) or entries from a dictionary
    /// written in capitals, so "us" never finds "US".
    pub fn lookup(&self, phrase: &str) -> Vec<&Entry> {
        let key = normalise(phrase);
        let exact = self.get(self.exact.get(&key));
        if !exact.is_empty() {
            return exact;
        }
        let shouting = !key.chars().any(char::is_lowercase);
        let mut folded = self.get(self.folded.get(&key.to_uppercase()));
        folded.retain(|e| shouting || e.any_case);
        folded
    }

    /// Whether some name phrase starts with `word` exactly as written.
    pub fn starts_name(&self, word: &str) -> bool {
        self.first_words.contains(word)
    }

    /// Entries for a name phrase exactly as written (no case folding).
    pub fn lookup_exact(&self, phrase: &str) -> Vec<&Entry> {
        self.get(self.exact.get(&normalise(phrase)))
    }

    /// Role entries for a phrase, any case.
    pub fn role(&self, phrase: &str) -> Vec<&Entry> {
        self.get(self.roles.get(&normalise(phrase).to_lowercase()))
    }

    /// People whose full name ends with `word` ("Putin").
    pub fn by_surname(&self, word: &str) -> Vec<&Entry> {
        self.get(self.surnames.get(&normalise(word)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_format_and_dates_roles() {
        let mut kb = ActorBase::default();
        kb.add_text(
            "countries.txt",
            "# c\nBLR  name  Belarus\nBLR  adj   Belarusian\nBLR  capital  Minsk\n",
        )
        .unwrap();
        kb.add_text("roles.txt", "GOV  foreign minister\nMIL  troops\n")
            .unwrap();
        kb.add_text(
            "people.txt",
            "BLRGOV  2012-08-20..2022-11-26  Anton Verk | Anton Werk   # minister\n",
        )
        .unwrap();
        kb.add_text("organisations.txt", "IGOUNO  United Nations\n")
            .unwrap();
        let minsk = kb.lookup("Minsk");
        assert_eq!(minsk[0].kind, EntryKind::Capital);
        assert_eq!(minsk[0].rule.to_string(), "countries.txt:4");
        assert_eq!(kb.lookup("BELARUSIAN")[0].kind, EntryKind::Demonym);
        assert_eq!(kb.role("Foreign  Minister")[0].code, "GOV");
        let p = &kb.by_surname("Verk")[0];
        assert!(p.holds_on(Day::parse("2022-11-01", false)));
        assert!(!p.holds_on(Day::parse("2022-12-19", false)));
        assert_eq!(kb.lookup("Anton Werk")[0].canonical, "Anton Verk");
        assert_eq!(kb.lookup("United  Nations")[0].country(), Some("IGO"));
        assert_eq!(kb.country_name("BLR"), Some("Belarus"));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let mut kb = ActorBase::default();
        let e = kb
            .add_text("countries.txt", "\nBLR  nom  Belarus\n")
            .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("countries.txt", 2));
        let e = kb
            .add_text("people.txt", "RUSGOV  2024..2012  Someone Else\n")
            .unwrap_err();
        assert!(e.to_string().contains("FROM is after TO"), "{e}");
    }

    #[test]
    fn builtin_files_parse() {
        let kb = ActorBase::builtin().unwrap();
        assert!(kb.entries().len() > 1000);
    }
}
