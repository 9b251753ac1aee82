//! The days a TIMEX3 value covers, so that "2022-12", "2022-W50" and "2022-12-13" can
//! be compared with a date range, and only day-precise events merge across stories.

use chrono::{Datelike, NaiveDate, Weekday};

/// First and last day (days since 0001-01-01, chrono's CE count) of a TIMEX3 date
/// value: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YYYY-Www`, `YYYY-Qn`, `YYYY-SP|SU|FA|WI`.
/// None for anything else (durations, references, unanchored `XXXX-…`).
pub fn days(value: &str) -> Option<(i64, i64)> {
    let v = value.split('T').next()?;
    let parts: Vec<&str> = v.split('-').collect();
    let year: i32 = parts
        .first()?
        .parse()
        .ok()
        .filter(|_| parts[0].len() == 4)?;
    let ce = |d: NaiveDate| d.num_days_from_ce() as i64;
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let month_end = |y: i32, m: u32| {
        let next = if m == 12 {
            ymd(y + 1, 1, 1)
        } else {
            ymd(y, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt())
    };
    match parts.as_slice() {
        [_] => Some((ce(ymd(year, 1, 1)?), ce(ymd(year, 12, 31)?))),
        [_, m, d] if m.len() == 2 && d.len() == 2 => {
            let day = ymd(year, m.parse().ok()?, d.parse().ok()?)?;
            Some((ce(day), ce(day)))
        }
        [_, p] => {
            if let Some(w) = p
                .strip_prefix('W')
                .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            {
                let mon = NaiveDate::from_isoywd_opt(year, w.parse().ok()?, Weekday::Mon)?;
                return Some((ce(mon), ce(mon) + 6));
            }
            if let Some(q) = p.strip_prefix('Q') {
                let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                let first = ymd(year, 3 * q - 2, 1)?;
                return Some((ce(first), ce(month_end(year, 3 * q)?)));
            }
            // Seasons, northern hemisphere, by months (as TimeML annotators read them).
            let (m0, m1, y1) = match *p {
                "SP" => (3, 5, year),
                "SU" => (6, 8, year),
                "FA" => (9, 11, year),
                "WI" => (12, 2, year + 1),
                _ => {
                    let m: u32 = p.parse().ok().filter(|_| p.len() == 2)?;
                    (m, m, year)
                }
            };
            Some((ce(ymd(year, m0, 1)?), ce(month_end(y1, m1)?)))
        }
        _ => None,
    }
}

/// A CE day number as `YYYY-MM-DD`.
pub fn day_to_iso(day: i64) -> Option<String> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).ok()?)
        .map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(v: &str) -> Option<(String, String)> {
        days(v).map(|(a, b)| (day_to_iso(a).unwrap(), day_to_iso(b).unwrap()))
    }

    #[test]
    fn timex_values_cover_their_days() {
        let p = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(iso("2022-12-13"), p("2022-12-13", "2022-12-13"));
        assert_eq!(iso("2022-12-19TEV"), p("2022-12-19", "2022-12-19"));
        assert_eq!(iso("2022-02"), p("2022-02-01", "2022-02-28"));
        assert_eq!(iso("2022-W50"), p("2022-12-12", "2022-12-18"));
        assert_eq!(iso("2023-SP"), p("2023-03-01", "2023-05-31"));
        assert_eq!(iso("2022-WI"), p("2022-12-01", "2023-02-28"));
        assert_eq!(iso("2022-Q4"), p("2022-10-01", "2022-12-31"));
        assert_eq!(iso("2022"), p("2022-01-01", "2022-12-31"));
        for v in [
            "PRESENT_REF",
            "P3D",
            "XXXX-12-13",
            "2022-13",
            "2022-02-30",
            "",
        ] {
            assert_eq!(days(v), None, "{v}");
        }
    }
}
