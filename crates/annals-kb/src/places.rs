//! The place gazetteer: GeoNames rows (countries, admin-1 regions, cities of
//! 15,000 people or more, continents) by name and alternate name, read from
//! `data/places/gazetteer.tsv` (written by `scripts/build-gazetteer.sh`).

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// One gazetteer row.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    /// GeoNames id.
    pub id: u64,
    /// GeoNames main name.
    pub name: String,
    /// ISO 3166-1 alpha-3 country (None for continents).
    pub country: Option<String>,
    /// Feature class (`P` populated place, `A` administrative, `L` area, `H` water).
    pub class: char,
    /// Feature code (`PPLC`, `PCLI`, `ADM1` …).
    pub code: String,
    /// Latitude (None when GeoNames gives none).
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Population (0 when unknown).
    pub population: u64,
    /// GeoNames admin-1 code (`US.CA`), or empty.
    pub admin1: String,
    /// 1-based line in the table.
    pub line: usize,
    country_row: bool,
    admin1_row: bool,
}

impl PlaceRow {
    /// A country (or dependency).
    pub fn is_country(&self) -> bool {
        self.country_row
    }

    /// A first-order administrative region.
    pub fn is_admin1(&self) -> bool {
        self.admin1_row
    }

    /// A capital city.
    pub fn is_capital(&self) -> bool {
        self.code == "PPLC"
    }
}

/// Rows by name.
#[derive(Debug, Default)]
pub struct PlaceTable {
    rows: Vec<PlaceRow>,
    by_name: HashMap<String, Vec<u32>>,
    by_lower: HashMap<String, Vec<u32>>,
    by_id: HashMap<u64, u32>,
    by_country: HashMap<String, u32>,
    /// Demonyms of non-country places ("European" → Europe), with their line.
    demonyms: HashMap<String, (u32, usize)>,
    /// Table file name, for provenance.
    pub file: String,
}

static BUILTIN: OnceLock<Result<PlaceTable, String>> = OnceLock::new();

impl PlaceTable {
    /// The shipped table, parsed once.
    pub fn builtin() -> Result<&'static PlaceTable, String> {
        BUILTIN
            .get_or_init(|| {
                let mut t = PlaceTable::parse(
                    "gazetteer.tsv",
                    include_str!("../../../data/places/gazetteer.tsv"),
                )?;
                t.add_demonyms(
                    "demonyms.txt",
                    include_str!("../../../data/places/demonyms.txt"),
                )?;
                Ok(t)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse a table; an error names the line.
    pub fn parse(file: &str, text: &str) -> Result<PlaceTable, String> {
        let mut t = PlaceTable {
            file: file.to_string(),
            ..PlaceTable::default()
        };
        // Sized once: growing two maps of ~250,000 names step by step costs more
        // than filling them.
        let names_estimate = text.len() / 16;
        t.by_name.reserve(names_estimate);
        t.by_lower.reserve(names_estimate);
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let bad = |what: &str| format!("{file}:{}: {what}", n + 1);
            if f.len() < 8 {
                return Err(bad("expected at least 8 tab-separated columns"));
            }
            let (class, code) = f[3]
                .split_once('.')
                .ok_or_else(|| bad("feature must be CLASS.CODE"))?;
            let class = class.chars().next().unwrap_or('?');
            let row = PlaceRow {
                country_row: class == 'A' && code.starts_with("PCL"),
                admin1_row: class == 'A' && code == "ADM1",
                id: f[0].parse().map_err(|_| bad("bad geonameid"))?,
                name: f[1].to_string(),
                country: (!f[2].is_empty()).then(|| f[2].to_string()),
                class,
                code: code.to_string(),
                lat: f[4].parse().ok(),
                lon: f[5].parse().ok(),
                population: f[6].parse().unwrap_or(0),
                admin1: f[7].to_string(),
                line: n + 1,
            };
            let ix = t.rows.len() as u32;
            let mut names: Vec<&str> = vec![f[1]];
            if let Some(alt) = f.get(8) {
                names.extend(alt.split('|').filter(|s| !s.is_empty()));
            }
            for name in names {
                let v = t.by_name.entry(name.to_string()).or_default();
                if !v.contains(&ix) {
                    v.push(ix);
                }
                let lower = if name.chars().any(char::is_uppercase) {
                    name.to_lowercase()
                } else {
                    name.to_string()
                };
                let v = t.by_lower.entry(lower).or_default();
                if !v.contains(&ix) {
                    v.push(ix);
                }
            }
            t.by_id.insert(row.id, ix);
            if row.is_country() {
                if let Some(c) = &row.country {
                    t.by_country.entry(c.clone()).or_insert(ix);
                }
            }
            t.rows.push(row);
        }
        Ok(t)
    }

    /// Read `DEMONYM | PLACE NAME` lines; the place must be in the table.
    pub fn add_demonyms(&mut self, file: &str, text: &str) -> Result<(), String> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |what: &str| format!("{file}:{}: {what}", n + 1);
            let (demonym, place) = line
                .split_once('|')
                .ok_or_else(|| bad("expected DEMONYM | PLACE"))?;
            let place = place.trim();
            let ix = self
                .by_name
                .get(place)
                .and_then(|v| v.first().copied())
                .ok_or_else(|| bad(&format!("{place:?} is not in the gazetteer")))?;
            self.demonyms
                .insert(demonym.trim().to_string(), (ix, n + 1));
        }
        Ok(())
    }

    /// The place a (non-country) demonym names, with its line in the demonym file.
    pub fn demonym(&self, word: &str) -> Option<(&PlaceRow, usize)> {
        self.demonyms
            .get(word)
            .map(|&(i, line)| (&self.rows[i as usize], line))
    }

    /// Every row.
    pub fn rows(&self) -> &[PlaceRow] {
        &self.rows
    }

    /// Every name and alternate name with its rows.
    pub fn names(&self) -> impl Iterator<Item = (&str, impl Iterator<Item = &PlaceRow>)> {
        self.by_name
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(|&i| &self.rows[i as usize])))
    }

    /// Rows named `name` as written, else ignoring case.
    pub fn lookup(&self, name: &str) -> Vec<&PlaceRow> {
        let hit = self
            .by_name
            .get(name)
            .or_else(|| self.by_lower.get(&name.to_lowercase()));
        hit.map(|v| v.iter().map(|&i| &self.rows[i as usize]).collect())
            .unwrap_or_default()
    }

    /// The country row of ISO3 code `iso3`.
    pub fn country(&self, iso3: &str) -> Option<&PlaceRow> {
        self.by_country.get(iso3).map(|&i| &self.rows[i as usize])
    }

    /// The row with GeoNames id `id`.
    pub fn by_id(&self, id: u64) -> Option<&PlaceRow> {
        self.by_id.get(&id).map(|&i| &self.rows[i as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_finds_alternate_names() {
        let text = "# header\n1\tTarsk\tXYZ\tP.PPLC\t10.5\t20.25\t150000\tXY.01\tTarsko|Tarsc\n\
                    2\tTarsk\tXYZ\tA.ADM1\t10\t20\t300000\tXY.01\t\n";
        let t = PlaceTable::parse("g.tsv", text).unwrap();
        assert_eq!(t.lookup("Tarsk").len(), 2);
        assert_eq!(t.lookup("TARSKO")[0].id, 1);
        assert!(t.by_id(1).unwrap().is_capital());
        assert!(t.by_id(2).unwrap().is_admin1());
        assert!(PlaceTable::parse("g.tsv", "x\ty\n")
            .unwrap_err()
            .starts_with("g.tsv:1"));
    }

    #[test]
    fn builtin_table_parses() {
        let t = PlaceTable::builtin().unwrap();
        assert!(t.rows().len() > 30_000);
    }
}
