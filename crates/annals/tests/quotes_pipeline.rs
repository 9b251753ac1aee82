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

/// The speaker text of each quote, in order.
fn speaker_texts(rec: &Value) -> Vec<(String, String)> {
    rec["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["text"].as_str().unwrap().to_string(),
                q["speaker"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn auxiliaries_and_negations_stand_between_speaker_and_cue() {
    let rec = analyse(
        "Governor Ada Quill is demanding that the port authority publish its accounts.\n\n\
         Senator Bo Marsh has long said he would oppose the levy.\n\n\
         Minister Lin Ferro did not say when the bridge would reopen.\n",
    );
    let got = speaker_texts(&rec);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].1.ends_with("Ada Quill"), "{got:?}");
    assert!(got[1].1.ends_with("Bo Marsh"), "{got:?}");
    assert!(got[2].1.ends_with("Lin Ferro"), "{got:?}");
}

#[test]
fn a_passive_cue_does_not_make_its_subject_a_speaker() {
    let rec = analyse(
        "The harbour plan was first reported by a local radio station.\n\n\
         Councillor Tom Vey has been widely criticized for the delays.\n",
    );
    let got = speaker_texts(&rec);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_quotation_inside_a_sentence_is_said_by_the_subject_after_an_opening_adjunct() {
    let rec = analyse(
        "The opposition staged a rally in the capital on Monday.\n\n\
         In his speech on Tuesday, Ken Okafor set out a goal of “Jobs for All.”\n\n\
         In an interview on Radio Aster's “Morning Hour,” Finance Minister Tom Reyes said \
         the cuts demand “more patience” from voters.\n",
    );
    let got = speaker_texts(&rec);
    let jobs = got.iter().find(|q| q.0.contains("Jobs for All")).unwrap();
    assert!(jobs.1.ends_with("Okafor"), "{got:?}");
    let cuts = got.iter().find(|q| q.0.contains("more patience")).unwrap();
    assert!(cuts.0.starts_with("the cuts demand"), "{got:?}");
    assert!(cuts.1.ends_with("Tom Reyes"), "{got:?}");
}

#[test]
fn a_quotation_after_a_subject_is_attributed_by_the_speaker_and_cue_after_it() {
    let rec = analyse(
        "The harbour board met on Monday.\n\n\
         Vey “took the deal,” Quill said, and still “kept his seat on the board.”\n\n\
         The port “has made changes for the better,” Ada Quill said in June 2030, citing \
         the new cranes.\n\n\
         “Is anyone hurt? Call the medics,” she yells while running along the quay.\n",
    );
    let got = speaker_texts(&rec);
    let deal = got.iter().find(|q| q.0.contains("took the deal")).unwrap();
    assert_eq!(deal.1, "Quill", "{got:?}");
    let port = got
        .iter()
        .find(|q| q.0.contains("changes for the better"))
        .unwrap();
    assert!(port.1.ends_with("Ada Quill"), "{got:?}");
    let fine = got
        .iter()
        .find(|q| q.0.contains("Call the medics"))
        .unwrap();
    assert_eq!(fine.1, "she", "{got:?}");
    assert!(fine.0.contains("Is anyone hurt?"), "one quotation: {got:?}");
}

#[test]
fn an_opening_mark_typed_for_a_closing_one_ends_the_quotation() {
    let rec = analyse(
        "The fact-checkers rated the claim “Largely Wrong.“\n\n\
         Harbour master Ada Quill said the figures were wrong.\n",
    );
    let got = speaker_texts(&rec);
    let last = got.last().unwrap();
    assert_eq!(last.0, "the figures were wrong", "{got:?}");
    assert!(last.1.ends_with("Ada Quill"), "{got:?}");
}

#[test]
fn a_cue_without_its_own_phrase_is_spoken_by_the_clauses_subject_not_a_possessive() {
    let rec = analyse(
        "The harbour board met on Monday.\n\n\
         The opposition leader presented his transport plan on Monday and vowed to close \
         “every loophole in the port levy.”\n",
    );
    let got = speaker_texts(&rec);
    let vow = got.iter().find(|q| q.0.contains("loophole")).unwrap();
    assert!(vow.1.starts_with("The opposition"), "{got:?}");
}

#[test]
fn a_plural_after_a_verb_or_a_nationality_is_a_noun_not_a_cue() {
    let rec = analyse(
        "The auditor reviewed reports from the port authority.\n\n\
         The monitors checked 30% of Belgian claims and found them “misleading” in March.\n\n\
         “The levy is unfair. It hurts the dockers,” said 2030 candidate Ada Quill.\n",
    );
    let got = speaker_texts(&rec);
    assert!(
        got.iter()
            .all(|q| !q.1.contains("reviewed") && q.1 != "Belgian"),
        "{got:?}"
    );
    let levy = got.iter().find(|q| q.0.contains("levy is unfair")).unwrap();
    assert!(
        levy.1.ends_with("Ada Quill"),
        "a name after modifiers: {got:?}"
    );
}
