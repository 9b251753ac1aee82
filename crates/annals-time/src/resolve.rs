//! Normalisers: a rule's match and its context → a TIMEX3 value and `mod`.
//!
//! Context is the document date (DCT), the direction of the sentence (past, or
//! future when it speaks of what will, would or could happen), and what earlier
//! expressions of the document fixed (the last explicit year, the last quarter).
//! Without a document date, values relative to it stay unresolved: a year-less
//! date keeps `XXXX` (`XXXX-12-13`), and "last month" has no value.

use chrono::{Datelike, Duration, Months, NaiveDate};
use regex::Captures;

/// What a normaliser may use besides the match.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The document date.
    pub dct: Option<NaiveDate>,
    /// The sentence looks forward (will, would, could, plans to …).
    pub future: bool,
    /// It says so plainly (will, shall, is to, plans to — not would, could, may).
    pub strong_future: bool,
    /// The direction of the words right before the expression, if they show one:
    /// `Some(true)` after "will", `Some(false)` after "was" or a past participle.
    pub local: Option<bool>,
    /// The last quarter an expression of this document named (year, quarter).
    pub last_quarter: Option<(i32, u32)>,
    /// The last explicit year and month an expression of this document named
    /// ("March 3, 2029"): a later "March 5" anchors on it.
    pub last_month: Option<(i32, u32)>,
}

impl Context {
    /// Whether the expression speaks of the future: its own clause says so, else
    /// its sentence does.
    pub fn looks_forward(&self) -> bool {
        self.local.unwrap_or(self.future || self.strong_future)
    }
}

/// A normalised expression: value (None = unresolvable) and mod.
pub type Normalised = (Option<String>, Option<String>);

fn month_number(s: &str) -> Option<u32> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    let m = match l.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday_number(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    let d = match l.get(..3)? {
        "mon" => 1,
        "tue" => 2,
        "wed" => 3,
        "thu" => 4,
        "fri" => 5,
        "sat" => 6,
        "sun" => 7,
        _ => return None,
    };
    Some(d)
}

fn number(s: &str) -> Option<f64> {
    let l = s.to_ascii_lowercase().replace('-', " ");
    if let Ok(n) = l.parse::<f64>() {
        return Some(n);
    }
    if let Some(whole) = l.strip_suffix(" 1/2") {
        return whole.parse::<f64>().ok().map(|n| n + 0.5);
    }
    let n = match l.as_str() {
        "a" | "an" | "one" => 1,
        "two" | "a couple of" | "couple of" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "twenty four" => 24,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" | "a hundred" => 100,
        "a thousand" => 1000,
        "two thousand" => 2000,
        _ => return None,
    };
    Some(f64::from(n))
}

/// TIMEX3 `mod` for a modifier word.
fn modifier(s: Option<&str>) -> Option<String> {
    let l = s?.to_ascii_lowercase();
    let m = match l.as_str() {
        "early" | "earlier" | "the beginning of" | "the start of" | "the first half of" => "START",
        "late" | "later" | "the end of" | "the second half of" => "END",
        "mid" | "the middle of" => "MID",
        "about" | "around" | "some" => "APPROX",
        "nearly" | "almost" | "less than" => "LESS_THAN",
        "more than" | "over" => "MORE_THAN",
        "at least" => "EQUAL_OR_MORE",
        "up to" | "no more than" => "EQUAL_OR_LESS",
        "after" | "shortly after" => "AFTER",
        "before" | "shortly before" => "BEFORE",
        _ => return None,
    };
    Some(m.to_string())
}

fn g<'t>(c: &'t Captures, name: &str) -> Option<&'t str> {
    c.name(name).map(|m| m.as_str())
}

fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

fn unit_code(unit: &str) -> Option<(&'static str, bool)> {
    // (ISO 8601 designator, whether it is a time unit written after T)
    let u = unit.to_ascii_lowercase();
    let u = u.trim_end_matches('s');
    Some(match u {
        "second" => ("S", true),
        "minute" => ("M", true),
        "hour" => ("H", true),
        "day" => ("D", false),
        "week" => ("W", false),
        "weekend" => ("WE", false),
        "month" => ("M", false),
        "quarter" => ("Q", false),
        "year" => ("Y", false),
        "decade" => ("DE", false),
        "century" | "centurie" => ("CE", false),
        _ => return None,
    })
}

/// The date `n` units before (negative: after) `d`, at that unit's granularity.
fn shifted(d: NaiveDate, unit: &str, n: i64) -> Option<String> {
    let (code, _) = unit_code(unit)?;
    Some(match code {
        "D" => ymd(d - Duration::days(n)),
        "W" | "WE" => iso_week(d - Duration::weeks(n)),
        "M" => {
            let m = if n >= 0 {
                d.checked_sub_months(Months::new(n as u32))?
            } else {
                d.checked_add_months(Months::new((-n) as u32))?
            };
            format!("{:04}-{:02}", m.year(), m.month())
        }
        "Q" => {
            let total = i64::from(d.year()) * 4 + i64::from(quarter_of(d) - 1) - n;
            format!("{:04}-Q{}", total.div_euclid(4), total.rem_euclid(4) + 1)
        }
        "Y" => format!("{:04}", i64::from(d.year()) - n),
        "DE" => format!("{:03}", (i64::from(d.year()) - 10 * n) / 10),
        "CE" => format!("{:02}", (i64::from(d.year()) - 100 * n) / 100),
        _ => return None,
    })
}

/// The year of month `m` (and day `day`) nearest the document date in the
/// sentence's direction: the same month counts as now.
fn year_for(dct: NaiveDate, m: u32, day: Option<u32>, future: bool) -> i32 {
    let here = (dct.month(), dct.day());
    let there = (m, day.unwrap_or(if future { 31 } else { 1 }));
    let y = dct.year();
    if day.is_none() && m == dct.month() {
        return y;
    }
    if future {
        if there >= here {
            y
        } else {
            y + 1
        }
    } else if there <= here {
        y
    } else {
        y - 1
    }
}

/// The year that puts month `m`, day `day` nearest to `dct`.
fn nearest_year(dct: NaiveDate, m: u32, day: u32) -> i32 {
    let y = dct.year();
    let distance = |year: i32| {
        NaiveDate::from_ymd_opt(year, m, day.min(28))
            .map_or(i64::MAX, |x| (x - dct).num_days().abs())
    };
    [y - 1, y, y + 1]
        .into_iter()
        .min_by_key(|&year| (distance(year), -year))
        .unwrap_or(y)
}

fn season_code(s: &str) -> &'static str {
    match s.to_ascii_lowercase().as_str() {
        "spring" => "SP",
        "summer" => "SU",
        "autumn" | "fall" => "FA",
        _ => "WI",
    }
}

fn season_rank(code: &str) -> u32 {
    match code {
        "SP" => 1,
        "SU" => 2,
        "FA" => 3,
        _ => 4,
    }
}

fn dct_season(d: NaiveDate) -> u32 {
    match d.month() {
        3..=5 => 1,
        6..=8 => 2,
        9..=11 => 3,
        _ => 4,
    }
}

fn part_code(p: &str) -> &'static str {
    match p.to_ascii_lowercase().as_str() {
        "morning" => "MO",
        "afternoon" | "noon" => "AF",
        "evening" => "EV",
        _ => "NI",
    }
}

/// Normalise a match of rule `resolver` (with argument `arg`). `None` rejects
/// the match altogether (it is not a time expression here).
pub fn normalise(
    resolver: &str,
    arg: Option<&str>,
    c: &Captures,
    followed_by: &str,
    not_after_year: &[String],
    ctx: &Context,
) -> Option<Normalised> {
    let dct = ctx.dct;
    let md = modifier(g(c, "mod").or(g(c, "mod2")));
    let whole = c.get(0).map_or("", |m| m.as_str());
    Some(match resolver {
        "ymd" => {
            let d = NaiveDate::from_ymd_opt(
                g(c, "year")?.parse().ok()?,
                g(c, "month")?.parse().ok()?,
                g(c, "day")?.parse().ok()?,
            )?;
            (Some(ymd(d)), None)
        }
        "month-day" | "month" => {
            let mtext = g(c, "month")?;
            // "may" and "march" are verbs, "august" an adjective: a month only when
            // capitalised as a name.
            let lowered = matches!(mtext, "may" | "march" | "august" | "sat" | "sun");
            let m = month_number(mtext)?;
            let bare_abbreviation = mtext.len() <= 4
                && !mtext.ends_with('.')
                && !mtext.eq_ignore_ascii_case("may")
                && !mtext.eq_ignore_ascii_case("june")
                && !mtext.eq_ignore_ascii_case("july");
            if lowered || (resolver == "month" && bare_abbreviation && g(c, "year").is_none()) {
                return None;
            }
            if !mtext
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_uppercase())
            {
                return None;
            }
            let day: Option<u32> = match g(c, "day") {
                Some(d) => {
                    let d: u32 = d.parse().ok()?;
                    if !(1..=31).contains(&d) {
                        return None;
                    }
                    Some(d)
                }
                None => None,
            };
            let dir = g(c, "dir").map(str::to_ascii_lowercase);
            // A year-less day next to the month of the last explicit date belongs to
            // its year: the story is narrating that time.
            let anchored = match (ctx.last_month, day, dir.as_deref()) {
                (Some((ly, lm)), Some(_), None) if m.abs_diff(lm) <= 1 => Some(ly),
                _ => None,
            };
            let rel_year = g(c, "rel").and_then(|r| {
                let y = dct?.year();
                Some(match r.to_ascii_lowercase().as_str() {
                    "last" => y - 1,
                    "next" => y + 1,
                    _ => y,
                })
            });
            let year: Option<i32> = match g(c, "year") {
                Some(y) => Some(y.parse().ok()?),
                None if rel_year.is_some() => rel_year,
                None if anchored.is_some() => anchored,
                None => dct.map(|d| match (dir.as_deref(), day) {
                    (Some("last"), _) => year_for(d, m, None, false) - i32::from(m == d.month()),
                    (Some("next"), _) => year_for(d, m, None, true) + i32::from(m == d.month()),
                    (Some("this"), _) => d.year(),
                    // A day of a month: the nearest such day, unless the sentence
                    // looks forward.
                    (None, Some(day)) if ctx.local != Some(true) => nearest_year(d, m, day),
                    _ => year_for(d, m, day, ctx.looks_forward()),
                }),
            };
            let v = match (year, day) {
                (Some(y), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
                (Some(y), None) => format!("{y:04}-{m:02}"),
                (None, Some(d)) => format!("XXXX-{m:02}-{d:02}"),
                (None, None) => format!("XXXX-{m:02}"),
            };
            (Some(v), md)
        }
        "year" => {
            let after = followed_by.trim_start().to_ascii_lowercase();
            if not_after_year.iter().any(|w| after.starts_with(w.as_str())) {
                return None;
            }
            (Some(g(c, "year")?.to_string()), md)
        }
        "decade" => {
            let y = g(c, "year")?;
            (Some(y[..3].to_string()), modifier(g(c, "mod")))
        }
        "weekday" => {
            let wd = weekday_number(g(c, "weekday")?)?;
            let part = g(c, "part").map(part_code);
            let Some(d) = dct else {
                return Some((Some(format!("XXXX-WXX-{wd}")), None));
            };
            let today = d.weekday().number_from_monday();
            let dir = g(c, "dir").map(str::to_ascii_lowercase);
            let delta: i64 = match dir.as_deref() {
                Some("last") | Some("past") => {
                    // "last Friday": the one before this week's (or before today).
                    let back = (i64::from(today) - i64::from(wd)).rem_euclid(7);
                    -(if back == 0 { 7 } else { back })
                }
                Some("next") | Some("coming") => {
                    let fwd = (i64::from(wd) - i64::from(today)).rem_euclid(7);
                    if fwd == 0 {
                        7
                    } else {
                        fwd
                    }
                }
                Some("this") => i64::from(wd) - i64::from(today),
                _ if ctx.local.unwrap_or(ctx.strong_future) => {
                    (i64::from(wd) - i64::from(today)).rem_euclid(7)
                }
                _ => -(i64::from(today) - i64::from(wd)).rem_euclid(7),
            };
            let day = d + Duration::days(delta);
            let v = match part {
                Some(p) => format!("{}T{p}", ymd(day)),
                None => ymd(day),
            };
            (Some(v), None)
        }
        "day-offset" => {
            let n: i64 = arg?.parse().ok()?;
            (dct.map(|d| ymd(d + Duration::days(n))), None)
        }
        "part-of-day" => {
            let dir = g(c, "dir")?.to_ascii_lowercase();
            let (offset, part) = match dir.as_str() {
                "tonight" => (0, "NI"),
                "yesterday" => (-1, g(c, "part").map_or("NI", part_code)),
                "tomorrow" => (1, g(c, "part").map_or("NI", part_code)),
                "last" => (
                    if g(c, "part").is_some_and(|p| p.eq_ignore_ascii_case("night")) {
                        -1
                    } else {
                        0
                    },
                    g(c, "part").map_or("NI", part_code),
                ),
                _ => (0, g(c, "part").map_or("NI", part_code)),
            };
            (
                dct.map(|d| format!("{}T{part}", ymd(d + Duration::days(offset)))),
                None,
            )
        }
        "clock" => {
            let mut h: u32 = g(c, "hour")?.parse().ok()?;
            let mi: u32 = g(c, "minute").map_or(Some(0), |m| m.parse().ok())?;
            let ampm = g(c, "ampm")?;
            if ampm == "am" {
                return None; // "I am", not a time
            }
            let pm = ampm.to_ascii_lowercase().starts_with('p');
            if !(1..=12).contains(&h) {
                return None;
            }
            if pm && h < 12 {
                h += 12;
            } else if !pm && h == 12 {
                h = 0;
            }
            let date = match (dct, g(c, "weekday").and_then(weekday_number)) {
                (Some(d), Some(wd)) => {
                    let today = d.weekday().number_from_monday();
                    let back = (i64::from(today) - i64::from(wd)).rem_euclid(7);
                    let delta = if ctx.local == Some(true) {
                        (7 - back) % 7
                    } else {
                        -back
                    };
                    ymd(d + Duration::days(delta))
                }
                (Some(d), None) => ymd(d),
                (None, _) => "XXXX-XX-XX".to_string(),
            };
            (Some(format!("{date}T{h:02}:{mi:02}")), md)
        }
        "ref" => (Some(arg?.to_string()), None),
        "relative" => {
            let dir = g(c, "dir")?.to_ascii_lowercase();
            let unit = g(c, "unit")?;
            let n: i64 = match dir.trim_start_matches("the ") {
                "last" | "past" | "previous" => 1,
                "next" | "coming" => -1,
                _ => 0,
            };
            let v = dct.and_then(|d| {
                if unit.eq_ignore_ascii_case("weekend") {
                    Some(format!("{}-WE", iso_week(d - Duration::weeks(n))))
                } else {
                    shifted(d, unit, n)
                }
            });
            (v, md)
        }
        "season" => {
            let season = g(c, "season")?;
            // "prices fall": a verb unless something marks it as a season.
            let marked = g(c, "dir").is_some()
                || g(c, "year").is_some()
                || g(c, "mod").is_some()
                || whole.to_ascii_lowercase().starts_with("in ")
                || whole.to_ascii_lowercase().starts_with("by ");
            if season.eq_ignore_ascii_case("fall") && !marked {
                return None;
            }
            let code = season_code(season);
            if let Some(y) = g(c, "year") {
                return Some((Some(format!("{y}-{code}")), md));
            }
            let Some(d) = dct else {
                return Some((Some(format!("XXXX-{code}")), md));
            };
            let dir = g(c, "dir").map(|s| s.trim_start_matches("the ").to_ascii_lowercase());
            let (now, rank) = (dct_season(d), season_rank(code));
            // Winter belongs to the year it starts in.
            let y = if d.month() <= 2 {
                d.year() - 1
            } else {
                d.year()
            };
            let year = match dir.as_deref() {
                Some("last") | Some("past") => {
                    if rank < now {
                        y
                    } else {
                        y - 1
                    }
                }
                Some("next") | Some("coming") => {
                    if rank > now {
                        y
                    } else {
                        y + 1
                    }
                }
                Some("this") => y,
                _ if ctx.looks_forward() => {
                    if rank >= now {
                        y
                    } else {
                        y + 1
                    }
                }
                _ => {
                    if rank <= now {
                        y
                    } else {
                        y - 1
                    }
                }
            };
            (Some(format!("{year:04}-{code}")), md)
        }
        "quarter" => {
            // "a quarter of the vote": a quarter of a year only when something
            // makes it one (the, an ordinal, latest …, a year).
            let marked = g(c, "ord").is_some()
                || g(c, "dir").is_some()
                || g(c, "year").is_some()
                || whole.to_ascii_lowercase().starts_with("the ")
                || whole.to_ascii_lowercase().starts_with("this ");
            if !marked {
                return None;
            }
            let ord = g(c, "ord").map(|o| match o.to_ascii_lowercase().chars().next() {
                Some('f') if o.to_ascii_lowercase().starts_with("fi") => 1,
                Some('1') => 1,
                Some('s') | Some('2') => 2,
                Some('t') | Some('3') => 3,
                _ => 4,
            });
            let dir = g(c, "dir").map(str::to_ascii_lowercase);
            if let Some(y) = g(c, "year") {
                return Some((ord.map(|q| format!("{y}-Q{q}")), None));
            }
            let Some(d) = dct else {
                return Some((ord.map(|q| format!("XXXX-Q{q}")), None));
            };
            let now = quarter_of(d);
            // Unnamed: the last completed quarter (what financial news reports on).
            let (mut y, q) = match ord {
                Some(q) if q <= now || ctx.looks_forward() => (d.year(), q),
                Some(q) => (d.year() - 1, q),
                None if dir.as_deref() == Some("current") => (d.year(), now),
                None if now == 1 => (d.year() - 1, 4),
                None => (d.year(), now - 1),
            };
            if matches!(dir.as_deref(), Some("year-earlier") | Some("year-ago")) {
                y -= 1;
            }
            (Some(format!("{y:04}-Q{q}")), None)
        }
        "half-year" => {
            let h = if g(c, "ord")?.eq_ignore_ascii_case("first") {
                1
            } else {
                2
            };
            let y = g(c, "year")
                .map(str::to_string)
                .or(dct.map(|d| format!("{:04}", d.year())));
            (y.map(|y| format!("{y}-H{h}")), None)
        }
        "ago" => {
            let n: f64 = match arg {
                Some(a) => a.parse().ok()?,
                None => match number(g(c, "num")?) {
                    Some(n) => n,
                    // "several years ago": some time in the past.
                    None => return Some((Some("PAST_REF".into()), md)),
                },
            };
            let unit = g(c, "unit")?;
            if n.fract() != 0.0 {
                return Some((None, None));
            }
            let v = dct.and_then(|d| {
                // "a year ago" after a quarter was named: the same quarter a year before.
                if unit.to_ascii_lowercase().starts_with("year") {
                    if let Some((qy, q)) = ctx.last_quarter {
                        return Some(format!("{:04}-Q{q}", qy - n as i32));
                    }
                }
                shifted(d, unit, n as i64)
            });
            (v, md)
        }
        "ago-x" => (Some("PAST_REF".into()), md),
        "year-ago" => {
            let v = match (ctx.last_quarter, dct) {
                (Some((qy, q)), _) => Some(format!("{:04}-Q{q}", qy - 1)),
                (None, Some(d)) => Some(format!("{:04}", d.year() - 1)),
                _ => None,
            };
            (v, None)
        }
        "weekend" => {
            let l = whole.to_ascii_lowercase();
            // "the weekend" written on a weekday: the one just past when the words
            // before it look back ("said over the weekend"), or early in the week
            // unless the sentence looks forward; else the coming one. Written on a
            // Saturday or Sunday: that weekend.
            let day = dct.map_or(6, |d| d.weekday().number_from_monday());
            let past = ctx.local == Some(false) || (day <= 3 && !ctx.looks_forward());
            let n = if l.starts_with("last") {
                1
            } else if l.starts_with("next") {
                -1
            } else if day <= 5 && past {
                1
            } else {
                0
            };
            (
                dct.map(|d| format!("{}-WE", iso_week(d - Duration::weeks(n)))),
                None,
            )
        }
        "duration" => {
            let after = followed_by.to_ascii_lowercase();
            if after.starts_with("-old") || after.starts_with(" old") || after.starts_with("-olds")
            {
                return None; // an age, not a length of time
            }
            if g(c, "unit").is_some_and(|u| u.to_ascii_lowercase().starts_with("quarter"))
                && after.starts_with(" of")
            {
                return None; // "three-quarters of the vote"
            }
            let n = g(c, "num")?;
            let (code, time) = unit_code(g(c, "unit")?)?;
            // "a minute and a half": one and a half minutes.
            let and_a_half = if g(c, "half").is_some() { 0.5 } else { 0.0 };
            let amount = match number(n).map(|x| x + and_a_half) {
                Some(x) if x.fract() == 0.0 => format!("{}", x as i64),
                Some(x) => format!("{x}"),
                None => "X".to_string(),
            };
            // A half written out in the next unit down, as TimeML does ("2 1/2
            // years" is P2Y6M, "an hour and a half" PT1H30M).
            let half = |whole: &str, big: &str, small: &str| {
                whole.strip_suffix(".5").map(|w| format!("{w}{big}{small}"))
            };
            let halves = match (time, code) {
                (false, "Y") => half(&amount, "Y", "6M"),
                (true, "H") => half(&amount, "H", "30M"),
                (true, "M") => half(&amount, "M", "30S"),
                _ => None,
            };
            let v = if let Some(h) = halves {
                if time {
                    format!("PT{h}")
                } else {
                    format!("P{h}")
                }
            } else if time {
                format!("PT{amount}{code}")
            } else if code == "DE" {
                // Decades as years, as TimeML annotators write them ("P20Y").
                match amount.parse::<i64>() {
                    Ok(n) => format!("P{}Y", n * 10),
                    Err(_) => "PXDE".to_string(),
                }
            } else if code == "Q" {
                match amount.parse::<i64>() {
                    Ok(q) => format!("P{}M", q * 3),
                    Err(_) => "PXM".to_string(),
                }
            } else {
                format!("P{amount}{code}")
            };
            (Some(v), md)
        }
        "duration-x" => {
            let (code, time) = unit_code(g(c, "unit")?)?;
            (
                Some(if time {
                    format!("PTX{code}")
                } else {
                    format!("PX{code}")
                }),
                md,
            )
        }
        "set" => (Some(arg?.to_string()), None),
        "set-weekday" => (
            Some(format!("XXXX-WXX-{}", weekday_number(g(c, "weekday")?)?)),
            None,
        ),
        _ => return None,
    })
}
