//! Calendar days as comparable numbers, for date-bounded roles.

/// A day as `year * 10000 + month * 100 + day` (so plain comparison orders days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub u32);

impl Day {
    /// Parse `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. A partial date is the first day of
    /// its month or year when `end` is false, the last when it is true.
    pub fn parse(s: &str, end: bool) -> Option<Day> {
        let mut it = s.split('-');
        let y: u32 = it.next()?.parse().ok()?;
        let m: Option<u32> = it.next().map(|m| m.parse().ok()).unwrap_or(Some(0))?.into();
        let d: Option<u32> = it.next().map(|d| d.parse().ok()).unwrap_or(Some(0))?.into();
        if it.next().is_some() || !(1..=9999).contains(&y) {
            return None;
        }
        let (m, d) = (m.unwrap_or(0), d.unwrap_or(0));
        if m > 12 || d > 31 || (m == 0 && d != 0) {
            return None;
        }
        let (m, d) = match (m, d, end) {
            (0, _, false) => (1, 1),
            (0, _, true) => (12, 31),
            (m, 0, false) => (m, 1),
            (m, 0, true) => (m, 31),
            (m, d, _) => (m, d),
        };
        Some(Day(y * 10000 + m * 100 + d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_open_and_close_their_period() {
        assert_eq!(Day::parse("2022-12-19", false), Some(Day(20221219)));
        assert_eq!(Day::parse("2022-11", true), Some(Day(20221131)));
        assert_eq!(Day::parse("2012", false), Some(Day(20120101)));
        assert_eq!(Day::parse("2022-13-01", false), None);
        assert_eq!(Day::parse("soon", false), None);
    }
}
