//! Quotes with the entity layer on: speakers linked to entities, coordinated clauses
//! with their own speakers, pronoun speakers resolved. Fixtures written for the tests.

mod util;

use serde_json::Value;
use util::{records, run_with_stdin};

fn analyse(text: &str) -> Value {
    let out = run_with_stdin(&["analyze", "--date", "2031-03-17", "-"], text.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    records(&out.stdout).remove(0)
}

fn speakers(rec: &Value) -> Vec<(String, Option<String>)> {
    rec["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let entity = q["speaker"]["entity"].as_u64().and_then(|e| {
                rec["entities"][e as usize]["text"]
                    .as_str()
                    .map(str::to_string)
            });
            (q["text"].as_str().unwrap().to_string(), entity)
        })
        .collect()
}

#[test]
fn coordinated_clauses_keep_their_own_speakers() {
    let rec = analyse(
        "Mayor Ivo Tamsen said the port would reopen on Monday, but union leader Mara Lind \
         said the strike would go on.\n",
    );
    let got = speakers(&rec);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "the port would reopen on Monday");
    assert!(
        got[0]
            .1
            .as_deref()
            .is_some_and(|e| e.contains("Ivo Tamsen")),
        "{got:?}"
    );
    assert_eq!(got[1].0, "the strike would go on");
    assert!(
        got[1].1.as_deref().is_some_and(|e| e.contains("Mara Lind")),
        "{got:?}"
    );
}

#[test]
fn pronoun_speakers_resolve_to_their_entity() {
    let rec = analyse(
        "Union leader Mara Lind addressed the dockers on Monday.\n\n\
         She said the strike would go on until the port authority met their demands.\n",
    );
    let got = speakers(&rec);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].1.as_deref().is_some_and(|e| e.contains("Mara Lind")),
        "{got:?}"
    );
}

#[test]
fn a_long_speaker_after_a_quotation_and_an_adjunct_after_the_cue() {
    let rec = analyse(
        "\"The inspections are not optional,\" committee Chairman Sen. Ivo Tamsen (R-Utah) said \
         at a hearing on Tuesday.\n\n\"That was a mistake,\" the mayor's former campaign \
         manager said in an interview with a local radio station.\n",
    );
    let q = rec["quotes"].as_array().unwrap();
    assert_eq!(
        q.len(),
        2,
        "one quote per sentence, none made of the adjunct: {q:?}"
    );
    assert_eq!(q[0]["text"], "\"The inspections are not optional,\"");
    assert_eq!(q[0]["kind"], "direct");
    assert_eq!(
        q[0]["speaker"]["text"],
        "committee Chairman Sen. Ivo Tamsen (R-Utah)"
    );
    assert_eq!(
        q[1]["speaker"]["text"],
        "the mayor's former campaign manager"
    );
    assert_eq!(q[1]["cue"], "said");
}

#[test]
fn plural_nouns_are_not_speech_cues() {
    let rec = analyse(
        "The alliance will station troops in its eastern member states to deter an attack. \
         Late-night calls came in during the storm.\n",
    );
    let q = rec["quotes"].as_array().unwrap();
    assert!(q.is_empty(), "{q:?}");
}

#[test]
fn framing_participles_and_time_adjuncts_do_not_take_the_speaker() {
    let rec = analyse(
        "Asked about the vote, Mayor Ivo Tamsen said the council had acted within its powers.\n\n\
         The mayor will meet union leader Mara Lind, who in 2029 said the port was unsafe.\n",
    );
    let q = rec["quotes"].as_array().unwrap();
    assert_eq!(q.len(), 2, "{q:?}");
    assert_eq!(q[0]["cue"], "said");
    assert_eq!(q[0]["speaker"]["text"], "Mayor Ivo Tamsen");
    assert_eq!(q[0]["text"], "the council had acted within its powers");
    // The relative pronoun is the speaker's mention, not the year before the cue.
    assert_eq!(q[1]["speaker"]["text"], "who");
    assert_eq!(q[1]["text"], "the port was unsafe");
}

#[test]
fn reported_speech_needs_a_speaker_that_can_speak() {
    // "called" after a noun names something; nobody speaks here.
    let rec = analyse("Fighters of a border group called the Red Hand crossed the river.\n");
    let q = rec["quotes"].as_array().unwrap();
    assert!(q.is_empty(), "{q:?}");
}
