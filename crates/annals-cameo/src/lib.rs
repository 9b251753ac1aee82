//! The event codebook: every CAMEO code with its label, Goldstein value, QuadClass and
//! PLOVER type and mode, read from `data/events/cameo.txt` (written by
//! `scripts/build-cameo-table.py` from the public CAMEO, GDELT and PLOVER tables).
//!
//! The event coder (next) looks codes up here so that every event carries its label,
//! its scale values and its PLOVER equivalent, and cites the table line.

use annals_doc::Rule;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// A malformed codebook line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {msg}")]
pub struct CodebookError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub msg: String,
}

/// One CAMEO code.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// The code: 2 digits for a root ("04"), 3 or 4 for the others ("042", "0311").
    pub code: String,
    /// Its root ("04").
    pub root: String,
    /// CAMEO's label ("Make a visit").
    pub label: String,
    /// Goldstein value (−10 … +10), if the table gives one.
    pub goldstein: Option<f32>,
    /// GDELT QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal
    /// conflict, 4 material conflict.
    pub quad_class: u8,
    /// PLOVER event type ("CONSULT"), if PLOVER maps the code.
    pub plover_type: Option<String>,
    /// PLOVER mode ("visit"), if any.
    pub plover_mode: Option<String>,
    /// Where it was read.
    pub rule: Rule,
}

/// All codes, by code.
#[derive(Debug, Default)]
pub struct Codebook {
    codes: HashMap<String, Code>,
}

static BUILTIN: OnceLock<Result<Codebook, String>> = OnceLock::new();

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

impl Codebook {
    /// The shipped table, parsed once.
    pub fn builtin() -> Result<&'static Codebook, String> {
        BUILTIN
            .get_or_init(|| {
                Codebook::parse("cameo.txt", include_str!("../../../data/events/cameo.txt"))
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse `CODE | GOLDSTEIN | QUAD | PLOVER_TYPE | PLOVER_MODE | LABEL` lines.
    pub fn parse(file: &str, text: &str) -> Result<Codebook, CodebookError> {
        let mut codes = HashMap::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |msg: &str| CodebookError {
                file: file.to_string(),
                line: n + 1,
                msg: msg.to_string(),
            };
            let f: Vec<&str> = line.splitn(6, '|').map(str::trim).collect();
            if f.len() != 6 {
                return Err(err(
                    "expected CODE | GOLDSTEIN | QUAD | PLOVER_TYPE | PLOVER_MODE | LABEL",
                ));
            }
            let code = f[0];
            if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("a code is 2 to 4 digits"));
            }
            let root_number: u8 = code[..2].parse().map_err(|_| err("bad root"))?;
            if !(1..=20).contains(&root_number) {
                return Err(err("CAMEO roots run from 01 to 20"));
            }
            let goldstein = match optional(f[1]) {
                Some(g) => Some(g.parse::<f32>().map_err(|_| err("bad Goldstein value"))?),
                None => None,
            };
            let quad_class: u8 = f[2].parse().map_err(|_| err("bad QuadClass"))?;
            let expected = match root_number {
                1..=5 => 1,
                6..=9 => 2,
                10..=14 => 3,
                _ => 4,
            };
            if quad_class != expected {
                return Err(err("QuadClass does not match the root"));
            }
            let entry = Code {
                code: code.to_string(),
                root: code[..2].to_string(),
                label: f[5].to_string(),
                goldstein,
                quad_class,
                plover_type: optional(f[3]),
                plover_mode: optional(f[4]),
                rule: Rule::new(file, n + 1),
            };
            if codes.insert(code.to_string(), entry).is_some() {
                return Err(err("code listed twice"));
            }
        }
        Ok(Codebook { codes })
    }

    /// The code `code`, if listed.
    pub fn get(&self, code: &str) -> Option<&Code> {
        self.codes.get(code)
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_has_every_root_and_the_values() {
        let book = Codebook::builtin().unwrap();
        for root in 1..=20 {
            let r = format!("{root:02}");
            assert!(book.get(&r).is_some(), "root {r} missing");
        }
        let visit = book.get("042").unwrap();
        assert_eq!(visit.label, "Make a visit");
        assert_eq!(visit.goldstein, Some(1.9));
        assert_eq!(visit.quad_class, 1);
        assert_eq!(visit.plover_type.as_deref(), Some("CONSULT"));
        assert_eq!(visit.plover_mode.as_deref(), Some("visit"));
        assert!(visit.rule.to_string().starts_with("cameo.txt:"));
        let force = book.get("190").unwrap();
        assert_eq!((force.quad_class, force.goldstein), (4, Some(-10.0)));
        assert!(book.len() > 250);
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let e = Codebook::parse(
            "c.txt",
            "# x\n042 | 1.9 | 3 | CONSULT | visit | Make a visit\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.msg.contains("QuadClass"));
        assert!(Codebook::parse("c.txt", "42x | 1 | 1 | - | - | x\n").is_err());
        assert!(Codebook::parse("c.txt", "042 | 1.9 | 1\n").is_err());
    }
}
