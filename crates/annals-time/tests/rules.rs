//! One test per rule family of `data/time/grammar.txt`, on sentences written for
//! the tests, with a fixed document date (Monday 2031-03-17 unless stated).

use annals_doc::{Document, Meta};
use annals_text::{segment, RuleSentenceSplitter, RuleTokenizer};
use annals_time::TimeStage;

fn annotate(text: &str, date: Option<&str>) -> Document {
    let mut doc = Document::new("t", text.to_string());
    doc.meta = Meta {
        date: date.map(str::to_string),
        ..Meta::default()
    };
    segment(
        &mut doc,
        &RuleSentenceSplitter::default(),
        &RuleTokenizer::default(),
    );
    TimeStage::new().unwrap().annotate(&mut doc);
    doc
}

/// (text, type, value, mod) of every timex.
fn timexes(
    text: &str,
    date: Option<&str>,
) -> Vec<(String, String, Option<String>, Option<String>)> {
    let doc = annotate(text, date);
    doc.timexes
        .unwrap()
        .into_iter()
        .map(|t| {
            (
                t.span.slice(&doc.text).to_string(),
                t.kind.as_str().to_string(),
                t.value,
                t.modifier,
            )
        })
        .collect()
}

fn values(text: &str, date: Option<&str>) -> Vec<(String, Option<String>)> {
    timexes(text, date)
        .into_iter()
        .map(|(t, _, v, _)| (t, v))
        .collect()
}

fn v(pairs: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    pairs
        .iter()
        .map(|(t, v)| (t.to_string(), Some(v.to_string())))
        .collect()
}

const DCT: Option<&str> = Some("2031-03-17");

#[test]
fn calendar_dates_with_and_without_years() {
    assert_eq!(
        values(
            "The accord was signed on March 3, 2029 and ratified on 2030-01-05.",
            DCT
        ),
        v(&[
            ("March 3, 2029", "2029-03-03"),
            ("2030-01-05", "2030-01-05")
        ])
    );
    // Year-less: the nearest such day to the document date.
    assert_eq!(
        values("The envoy arrived on Feb. 26.", DCT),
        v(&[("Feb. 26", "2031-02-26")])
    );
    assert_eq!(
        values("Talks resume on Saturday, March 22.", DCT),
        v(&[("Saturday, March 22", "2031-03-22")])
    );
    assert_eq!(
        values("The ceasefire held through 2030.", DCT),
        v(&[("2030", "2030")])
    );
    assert_eq!(
        values("Trade grew in the 1990s.", DCT),
        v(&[("the 1990s", "199")])
    );
}

#[test]
fn months_and_seasons_follow_the_direction_of_their_sentence() {
    assert_eq!(
        values("The port closed in January.", DCT),
        v(&[("January", "2031-01")])
    );
    assert_eq!(
        values("The port could reopen as early as May.", DCT),
        v(&[("May", "2031-05")])
    );
    assert_eq!(
        values("The army withdrew in November.", DCT),
        v(&[("November", "2030-11")])
    );
    assert_eq!(
        values("An offensive could come in spring.", Some("2030-12-19")),
        v(&[("in spring", "2031-SP")])
    );
    assert_eq!(
        values("Exports rose last summer.", DCT),
        v(&[("last summer", "2030-SU")])
    );
    let t = timexes("Fighting resumed in late November.", DCT);
    assert_eq!(t[0].2.as_deref(), Some("2030-11"));
    assert_eq!(t[0].3.as_deref(), Some("END"));
}

#[test]
fn weekdays_look_back_unless_the_clause_looks_forward() {
    // 2031-03-17 is a Monday.
    assert_eq!(
        values("The minister visited the port on Monday.", DCT),
        v(&[("Monday", "2031-03-17")])
    );
    assert_eq!(
        values("Troops were seen on Friday.", DCT),
        v(&[("Friday", "2031-03-14")])
    );
    assert_eq!(
        values("The delegations will meet on Thursday.", DCT),
        v(&[("Thursday", "2031-03-20")])
    );
    assert_eq!(
        values("The vote is set for next Tuesday.", DCT),
        v(&[("next Tuesday", "2031-03-18")])
    );
    assert_eq!(
        values("Envoys met last Friday.", DCT),
        v(&[("last Friday", "2031-03-14")])
    );
    // A capitalised word ending in -ed is a name, not a past verb.
    assert_eq!(
        values(
            "Her envoy would be flying to the United States Thursday.",
            DCT
        ),
        v(&[("Thursday", "2031-03-20")])
    );
    // "plan to" looks forward, like "plans to".
    assert_eq!(
        values("They did not plan to leave on Thursday.", DCT),
        v(&[("Thursday", "2031-03-20")])
    );
    // An expression opening its sentence takes the verb after it.
    assert_eq!(
        values("In September, it announced plans to acquire a rival.", DCT),
        v(&[("September", "2030-09")])
    );
    assert_eq!(
        values("In May, the firm brought in a chief who will retire.", DCT),
        v(&[("May", "2030-05")])
    );
    assert_eq!(
        values("The summit will be held in April.", DCT),
        v(&[("April", "2031-04")])
    );
    // With nothing before it, a weekday takes its sentence's plain future.
    assert_eq!(
        values(
            "On Thursday, the league plans to hold a news conference.",
            DCT
        ),
        v(&[("Thursday", "2031-03-20")])
    );
    assert_eq!(
        values("On Thursday, the league held a news conference.", DCT),
        v(&[("Thursday", "2031-03-13")])
    );
}

#[test]
fn scheduled_planned_and_intended_acts_look_forward() {
    // 2031-03-17 is a Monday: what is scheduled, planned or intended lies ahead even
    // though the verb before it ends in -ed or a reporting verb came first.
    assert_eq!(
        values("The sale is scheduled to close Thursday.", DCT),
        v(&[("Thursday", "2031-03-20")])
    );
    assert_eq!(
        values("The team planned to leave the capital on Friday.", DCT),
        v(&[("Friday", "2031-03-21")])
    );
    assert_eq!(
        values(
            "The company said it expects to release results in November.",
            DCT
        ),
        v(&[("November", "2031-11")])
    );
    assert_eq!(
        values(
            "Final rules to be published in November will set the fees.",
            DCT
        ),
        v(&[("November", "2031-11")])
    );
    // A plain past participle still looks back.
    assert_eq!(
        values("The rules were published in November.", DCT),
        v(&[("November", "2030-11")])
    );
}

#[test]
fn days_weeks_months_years_and_quarters_relative_to_the_document_date() {
    assert_eq!(
        values(
            "Shelling stopped yesterday, resumed today and may end tomorrow.",
            DCT
        ),
        v(&[
            ("yesterday", "2031-03-16"),
            ("today", "2031-03-17"),
            ("tomorrow", "2031-03-18")
        ])
    );
    assert_eq!(
        values(
            "Prices rose last week, fell last month and will rise next year.",
            DCT
        ),
        v(&[
            ("last week", "2031-W11"),
            ("last month", "2031-02"),
            ("next year", "2032")
        ])
    );
    assert_eq!(
        values("Output fell in the fourth quarter.", DCT),
        v(&[("the fourth quarter", "2030-Q4")])
    );
    let t = timexes("Sales rose earlier this year.", DCT);
    assert_eq!(
        (t[0].2.as_deref(), t[0].3.as_deref()),
        (Some("2031"), Some("START"))
    );
}

#[test]
fn ago_and_later_anchoring() {
    assert_eq!(
        values("The treaty lapsed three years ago.", DCT),
        v(&[("three years ago", "2028")])
    );
    assert_eq!(
        values("The rebels left two weeks ago.", DCT),
        v(&[("two weeks ago", "2031-W10")])
    );
    assert_eq!(
        values("Talks failed several years ago.", DCT),
        v(&[("several years ago", "PAST_REF")])
    );
    // A year ago, after a quarter was named: that quarter a year before.
    assert_eq!(
        values(
            "Output fell in the fourth quarter. It had risen a year ago.",
            DCT
        ),
        v(&[("the fourth quarter", "2030-Q4"), ("a year ago", "2029-Q4")])
    );
}

#[test]
fn a_later_bare_date_anchors_on_an_earlier_explicit_one() {
    assert_eq!(
        values(
            "The siege began on March 3, 2029. On March 5 the walls fell.",
            DCT
        ),
        v(&[("March 3, 2029", "2029-03-03"), ("March 5", "2029-03-05")])
    );
    // A month and year naming a past event does not set the story's time.
    assert_eq!(
        values(
            "Talks collapsed after the February 2027 ceasefire. Fighting resumed on March 2.",
            DCT
        ),
        v(&[("February 2027", "2027-02"), ("March 2", "2031-03-02")])
    );
}

#[test]
fn times_of_day() {
    assert_eq!(
        values("The blast came at 5 p.m. local time.", DCT),
        v(&[("5 p.m. local time", "2031-03-17T17:00")])
    );
    assert_eq!(
        values("Sirens sounded this morning.", DCT),
        v(&[("this morning", "2031-03-17TMO")])
    );
    assert_eq!(
        values("The strike came Wednesday night.", DCT),
        v(&[("Wednesday night", "2031-03-12TNI")])
    );
}

#[test]
fn present_past_and_future_references() {
    assert_eq!(
        values(
            "The border is now closed. It was recently reopened. The future is unclear.",
            DCT
        ),
        v(&[
            ("now", "PRESENT_REF"),
            ("recently", "PAST_REF"),
            ("The future", "FUTURE_REF")
        ])
    );
}

#[test]
fn durations_and_sets() {
    let t = timexes(
        "The siege lasted three years. Patrols run daily. The talks took months.",
        DCT,
    );
    let got: Vec<(&str, &str, Option<&str>)> = t
        .iter()
        .map(|(a, b, c, _)| (a.as_str(), b.as_str(), c.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("three years", "DURATION", Some("P3Y")),
            ("daily", "SET", Some("P1D")),
            ("months", "DURATION", Some("PXM")),
        ]
    );
    assert_eq!(
        values("A 24-hour truce began.", DCT),
        v(&[("24-hour", "PT24H")])
    );
    assert_eq!(
        values("Two decades of war ended.", DCT),
        v(&[("Two decades", "P20Y")])
    );
    // "a couple of" is two; a half is written in the next unit down.
    assert_eq!(
        values("The camps stood for a couple of years.", DCT),
        v(&[("a couple of years", "P2Y")])
    );
    assert_eq!(
        values("Aid will flow over the next couple of years.", DCT),
        v(&[("the next couple of years", "P2Y")])
    );
    // A word between the number and the unit keeps the number.
    assert_eq!(
        values(
            "The strike may last two more weeks after eight trading days.",
            DCT
        ),
        v(&[("two more weeks", "P2W"), ("eight trading days", "P8D")])
    );
    assert_eq!(
        values("Refugees lived there for 2 1/2 years.", DCT),
        v(&[("2 1/2 years", "P2Y6M")])
    );
    assert_eq!(
        values("The vote took an hour and a half.", DCT),
        v(&[("an hour and a half", "PT1H30M")])
    );
}

#[test]
fn quarters_and_halves_of_a_named_year() {
    assert_eq!(
        values("It booked a charge in the 2029 second quarter.", DCT),
        v(&[("the 2029 second quarter", "2029-Q2")])
    );
    assert_eq!(
        values("Sales will slow in the last half of 2031.", DCT),
        v(&[("the last half of 2031", "2031-H2")])
    );
    assert_eq!(
        values("Output rose through the first two quarters of 2030.", DCT),
        v(&[("the first two quarters of 2030", "2030-H1")])
    );
}

#[test]
fn words_that_only_look_like_times_are_not_timexes() {
    assert!(values("Officials may march on the capital.", DCT).is_empty());
    assert!(values("The mine produced 1990 tons of ore.", DCT).is_empty());
    assert!(values("A 6-year-old girl was among 12 Americans rescued.", DCT).is_empty());
    assert!(values("Prices fall when supply grows.", DCT).is_empty());
}

#[test]
fn without_a_document_date_nothing_is_invented() {
    assert_eq!(
        values(
            "Talks ended on Dec. 13. Envoys met on Monday. Prices fell last month.",
            None
        ),
        vec![
            ("Dec. 13".to_string(), Some("XXXX-12-13".to_string())),
            ("Monday".to_string(), Some("XXXX-WXX-1".to_string())),
            ("last month".to_string(), None),
        ]
    );
}

#[test]
fn dateline_gives_the_document_date_and_sentences_get_reference_times() {
    let doc = annotate(
        "VALLETTA 2031-04-02 - Talks resumed on Monday. Delegates left.",
        None,
    );
    assert_eq!(doc.meta.date.as_deref(), Some("2031-04-02"));
    let times = doc.sentence_times.unwrap();
    assert!(times.contains(&Some("2031-03-31".to_string())), "{times:?}");
    assert_eq!(times.last().unwrap().as_deref(), Some("2031-04-02"));
}

#[test]
fn the_weekend_is_the_one_past_or_the_one_coming_by_the_day_and_the_sentence() {
    // Monday 2031-03-17 is in ISO week 12; the weekend before it closes week 11.
    assert_eq!(
        values(
            "The minister said over the weekend that talks would resume.",
            DCT
        ),
        v(&[("the weekend", "2031-W11-WE")])
    );
    assert_eq!(
        values("The union will decide over the weekend.", DCT),
        v(&[("the weekend", "2031-W12-WE")])
    );
    // Written on Friday 2031-03-21 with nothing looking back: the coming weekend.
    assert_eq!(
        values("Talks continue over the weekend.", Some("2031-03-21")),
        v(&[("the weekend", "2031-W12-WE")])
    );
    // Written on Sunday 2031-03-23: this weekend.
    assert_eq!(
        values(
            "Crowds gathered in the square over the weekend.",
            Some("2031-03-23")
        ),
        v(&[("the weekend", "2031-W12-WE")])
    );
}
