//! The event stage's constructions on hand-made documents: the entity layer's
//! output is written by hand (so each rule is tested alone), the dictionary is a
//! small one written for the tests, the codebook is the shipped one.

use annals_cameo::Codebook;
use annals_doc::{
    Actor, Document, Entity, EntityType, Quote, QuoteKind, Rule, Span, Speaker, Timex, TimexType,
};
use annals_event::grammar::Grammar;
use annals_event::verbs::Verbs;
use annals_event::EventStage;
use annals_text::{segment, RuleSentenceSplitter, RuleTokenizer};

const VERBS: &str = "\
042  visited
042  visit
043  met
043  meet
057  signed ... agreement
062  set up ... joint
112  accused ... of
150  held ... exercises
154  deployed
163  imposed ... sanctions
190  attacked
190  attack
030  agreed to cooperate
";

fn stage() -> EventStage {
    let verbs: &'static Verbs = Box::leak(Box::new(Verbs::parse("verbs.txt", VERBS).unwrap()));
    EventStage::with_dictionary(
        verbs,
        Codebook::builtin().unwrap(),
        Grammar::builtin().unwrap(),
    )
}

/// A segmented document whose entities are the listed (phrase, type, code) triples,
/// each at its first occurrence.
fn doc(text: &str, names: &[(&str, EntityType, &str)], date: &str) -> Document {
    let mut d = Document::new("t", text.to_string());
    d.meta.date = Some(date.to_string());
    segment(
        &mut d,
        &RuleSentenceSplitter::default(),
        &RuleTokenizer::default(),
    );
    let mut ents = Vec::new();
    let mut from = 0;
    for (phrase, kind, code) in names {
        let at = text[from..].find(phrase).unwrap() + from;
        ents.push(Entity {
            span: Span::new(at, at + phrase.len()),
            kind: *kind,
            actor: Some(Actor {
                code: code.to_string(),
                country: Some(code[..3].to_string()),
                sector: code.get(3..).filter(|s| !s.is_empty()).map(str::to_string),
                rules: vec![],
            }),
            refers_to: None,
            found_by: "test".into(),
        });
        from = at + phrase.len();
    }
    d.entities = Some(ents);
    d
}

fn coded(d: &Document) -> Vec<(String, Option<String>, Option<String>)> {
    d.events
        .as_ref()
        .unwrap()
        .iter()
        .map(|e| {
            let code = |a: &Option<annals_doc::EventActor>| {
                a.as_ref()
                    .and_then(|a| a.actor.as_ref().map(|x| x.code.clone()))
            };
            (e.cameo.clone(), code(&e.source), code(&e.target))
        })
        .collect()
}

#[test]
fn source_verb_target() {
    let mut d = doc(
        "Arland's president visited Bessia on Monday.",
        &[
            ("Arland", EntityType::Gpe, "XARGOV"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    assert_eq!(
        coded(&d),
        [("042".into(), Some("XARGOV".into()), Some("XBE".into()))]
    );
    let e = &d.events.as_ref().unwrap()[0];
    assert_eq!(e.plover.as_ref().map(|p| p.0.as_str()), Some("CONSULT"));
    assert_eq!(e.rules[0].to_string(), "verbs.txt:1");
}

#[test]
fn coordinated_sources_give_one_event_each() {
    let mut d = doc(
        "Arland and Bessia set up a joint military unit.",
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    let got = coded(&d);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].1.as_deref(), Some("XAR"));
    assert_eq!(got[1].1.as_deref(), Some("XBE"));
}

#[test]
fn what_two_parties_agree_to_do_is_each_ones_intent_towards_the_other() {
    let mut d = doc(
        "Arland and Bessia agreed to cooperate on fishing patrols.",
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    let got = coded(&d);
    assert_eq!(
        got,
        [
            (
                "030".to_string(),
                Some("XAR".to_string()),
                Some("XBE".to_string())
            ),
            (
                "030".to_string(),
                Some("XBE".to_string()),
                Some("XAR".to_string())
            ),
        ]
    );
}

#[test]
fn negation_codes_nothing_and_explains_why() {
    let mut d = doc(
        "Arland did not attack Bessia.",
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, true);
    assert!(coded(&d).is_empty());
    let why = d.explanations.unwrap()[0].clone().unwrap();
    assert!(why.starts_with("negated"), "{why}");
}

#[test]
fn intent_and_threats_change_the_code() {
    let mut d = doc(
        "Arland will meet Bessia. Arland threatened to attack Bessia.",
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    let codes: Vec<String> = coded(&d).into_iter().map(|c| c.0).collect();
    assert_eq!(codes, ["036", "138"]);
}

#[test]
fn passive_agent_follows_by() {
    let mut d = doc(
        "Bessia was attacked by Arland.",
        &[
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Arland", EntityType::Gpe, "XAR"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    assert_eq!(
        coded(&d),
        [("190".into(), Some("XAR".into()), Some("XBE".into()))]
    );
}

#[test]
fn no_event_without_a_match_or_an_actor() {
    let mut d = doc(
        "The weather was fine. Somebody attacked.",
        &[],
        "2031-03-17",
    );
    stage().annotate(&mut d, true);
    assert!(coded(&d).is_empty());
    let why = d.explanations.unwrap();
    assert_eq!(why[0].as_deref(), Some("no predicate matched"));
    assert!(why[1].as_deref().unwrap().starts_with("no coded actor"));
}

/// Add a quote over `content` (the first occurrence), cued by `cue` of class `class`,
/// spoken by entity `speaker`.
fn quote(d: &mut Document, content: &str, cue: &str, class: &str, speaker: usize) {
    let at = d.text.find(content).unwrap();
    let c = d.text.find(cue).unwrap();
    let sp = d.entities.as_ref().unwrap()[speaker].span;
    d.quotes.get_or_insert_with(Vec::new).push(Quote {
        span: Span::new(at, at + content.len()),
        kind: QuoteKind::Indirect,
        cue: Some(Span::new(c, c + cue.len())),
        cue_class: Some(class.to_string()),
        speaker: Some(Speaker {
            span: sp,
            entity: Some(speaker),
            actor: None,
        }),
        rule: Rule::new("cues.txt", 1),
    });
}

/// Add a quote over `content` cued by the "said" right before it (a later sentence's
/// own cue, where [`quote`] would find the first "said" of the text).
fn quote_said_before(d: &mut Document, content: &str, speaker: usize) {
    let at = d.text.find(content).unwrap();
    quote(d, content, "said", "say", speaker);
    let q = d.quotes.as_mut().unwrap().last_mut().unwrap();
    q.cue = Some(Span::new(at - "said ".len(), at - 1));
}

/// Add a dated time expression over `words` (first occurrence).
fn timex(d: &mut Document, words: &str, value: &str) {
    let at = d.text.find(words).unwrap();
    d.timexes.get_or_insert_with(Vec::new).push(Timex {
        span: Span::new(at, at + words.len()),
        kind: TimexType::Date,
        value: Some(value.to_string()),
        modifier: None,
        rule: Rule::new("grammar.txt", 1),
    });
}

fn explanation(d: &Document, sentence: usize) -> String {
    d.explanations.as_ref().unwrap()[sentence]
        .clone()
        .unwrap_or_default()
}

/// Where the expected words stand in an explanation.
enum Says {
    Has,
    Begins,
}

/// Assert that sentence `sentence`'s explanation says `words` (showing it if not).
fn assert_explains(d: &Document, sentence: usize, how: Says, words: &str) {
    let why = explanation(d, sentence);
    let ok = match how {
        Says::Has => why.contains(words),
        Says::Begins => why.starts_with(words),
    };
    assert!(ok, "sentence {sentence}: {why:?} does not say {words:?}");
}

#[test]
fn a_verb_joined_by_and_shares_the_first_verbs_subject() {
    let mut d = doc(
        "Arland and Bessia set up a joint unit in Cordia and held exercises.",
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Cordia", EntityType::Gpe, "XCO"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    // A joint act with no target: each member with the other; "in Cordia" is where,
    // not whom; "held exercises" is Arland's and Bessia's, not Cordia's — held
    // together, their military cooperation (062), the same act, actors and date as
    // the joint unit, so one row each way.
    assert_eq!(
        coded(&d),
        [
            ("062".into(), Some("XAR".into()), Some("XBE".into())),
            ("062".into(), Some("XBE".into()), Some("XAR".into())),
        ]
    );
}

#[test]
fn the_head_of_a_titled_name_is_the_actor_and_targets_may_sit_in_a_gap() {
    let mut d = doc(
        "Arlandian Foreign Minister Tomas Vell accused Bessia of espionage.",
        &[
            ("Arlandian", EntityType::Norp, "XAR"),
            ("Tomas Vell", EntityType::Person, "XARGOV"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    assert_eq!(
        coded(&d),
        [("112".into(), Some("XARGOV".into()), Some("XBE".into()))]
    );
}

#[test]
fn a_relative_clause_takes_its_antecedent_and_a_noun_its_by_agent() {
    let mut d = doc(
        "Cordia condemned Arland, which attacked Bessia. The talks followed a visit to Cordia by Bessia.",
        &[
            ("Cordia", EntityType::Gpe, "XCO"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Cordia", EntityType::Gpe, "XCO"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    assert_eq!(
        coded(&d),
        [
            ("190".into(), Some("XAR".into()), Some("XBE".into())),
            ("042".into(), Some("XBE".into()), Some("XCO".into())),
        ]
    );
}

#[test]
fn the_date_is_the_time_expression_nearest_the_predicate() {
    let mut d = doc(
        "Arland said on Friday that it attacked Bessia on Monday.",
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("it", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    timex(&mut d, "Friday", "2031-03-14");
    timex(&mut d, "Monday", "2031-03-10");
    stage().annotate(&mut d, false);
    let e = &d.events.as_ref().unwrap()[0];
    assert_eq!(
        (e.cameo.as_str(), e.date.as_deref()),
        ("190", Some("2031-03-10"))
    );
}

#[test]
fn refusals_announced_attacks_and_named_events_code_as_such() {
    let mut d = doc(
        "Arland will not meet Bessia. Arland plans to attack Bessia. Arland's visit was announced.",
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Arland", EntityType::Gpe, "XAR"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, true);
    // "will not meet": a refusal to meet (125); "plans to attack" is announced, not
    // done, and announcing an attack threatens it (138); "Arland's visit was
    // announced" names a visit reported elsewhere.
    assert_eq!(
        coded(&d),
        [
            ("125".into(), Some("XAR".into()), Some("XBE".into())),
            ("138".into(), Some("XAR".into()), Some("XBE".into())),
        ]
    );
    assert_explains(&d, 2, Says::Has, "named as a subject");
}

#[test]
fn statements_code_by_what_they_say() {
    let text = "Arland said it did not see any activity by Bessia. \
                Cordia said the weather in Bessia was fine. \
                Bessia told reporters that claims it attacked Arland were fabrications. \
                Cordia said Arland must sign an agreement.";
    let mut d = doc(
        text,
        &[
            ("Arland", EntityType::Gpe, "XARMIL"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Cordia", EntityType::Gpe, "XCO"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Cordia", EntityType::Gpe, "XCO"),
            ("Arland", EntityType::Gpe, "XAR"),
        ],
        "2031-03-17",
    );
    quote(
        &mut d,
        "it did not see any activity by Bessia",
        "said",
        "say",
        0,
    );
    quote(
        &mut d,
        "the weather in Bessia was fine",
        "said the weather",
        "say",
        2,
    );
    quote(
        &mut d,
        "claims it attacked Arland were fabrications",
        "told",
        "say",
        4,
    );
    quote(
        &mut d,
        "Arland must sign an agreement",
        "said Arland",
        "say",
        6,
    );
    stage().annotate(&mut d, true);
    // A negative observation is a statement (010) about Bessia; small talk is nothing;
    // a refutation is a denial (016) and what it denies is not coded; "must" makes a
    // demand (100) on Arland, and the signing it asks for is not reported as done.
    let got = coded(&d);
    assert_eq!(
        got[0],
        ("010".into(), Some("XARMIL".into()), Some("XBE".into()))
    );
    assert_explains(&d, 1, Says::Begins, "commentary");
    assert_eq!(
        got[1],
        ("016".into(), Some("XBE".into()), Some("XAR".into()))
    );
    assert_eq!(
        got[2],
        ("100".into(), Some("XCO".into()), Some("XAR".into()))
    );
}

#[test]
fn a_deployed_force_is_its_countrys_not_a_target() {
    let mut d = doc(
        "Arlandian troops were deployed to Bessia.",
        &[
            ("Arlandian", EntityType::Norp, "XARMIL"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    assert_eq!(
        coded(&d),
        [("154".into(), Some("XARMIL".into()), Some("XBE".into()))]
    );
}

#[test]
fn an_apposition_is_one_actor_and_the_name_wins_over_a_possessive() {
    let mut d = doc(
        "Her deputy, Anna Berg, met Bessia.",
        &[
            ("Her", EntityType::Pronoun, "XCOGOV"),
            ("Anna Berg", EntityType::Person, "XARGOV"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    assert_eq!(
        coded(&d),
        [("043".into(), Some("XARGOV".into()), Some("XBE".into()))]
    );
}

#[test]
fn an_intent_in_someones_words_is_the_speakers_own() {
    let text = "Dara Voss said she and Bessia would meet in May. \
                Dara Voss said Arland and Bessia would meet in June.";
    let mut d = doc(
        text,
        &[
            ("Dara Voss", EntityType::Person, "XARGOV"),
            ("she", EntityType::Person, "XARGOV"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Dara Voss", EntityType::Person, "XARGOV"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    d.entities.as_mut().unwrap()[1].refers_to = Some(0);
    quote(&mut d, "she and Bessia would meet in May", "said", "say", 0);
    quote_said_before(&mut d, "Arland and Bessia would meet in June", 3);
    stage().annotate(&mut d, false);
    let got = coded(&d);
    // Voss stated her own intent to meet Bessia; Bessia stated nothing. Of two
    // others, the speaker reports both sides' plan: one event each way.
    assert_eq!(
        got,
        [
            ("036".into(), Some("XARGOV".into()), Some("XBE".into())),
            ("036".into(), Some("XAR".into()), Some("XBE".into())),
            ("036".into(), Some("XBE".into()), Some("XAR".into())),
        ]
    );
}

#[test]
fn a_verbal_act_said_to_recur_is_a_standing_position_not_an_event() {
    let text = "Arland has repeatedly said it did not see any activity by Bessia. \
                Arland said it did not see any activity by Cordia. \
                Arland routinely attacked Bessia.";
    let mut d = doc(
        text,
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Cordia", EntityType::Gpe, "XCO"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
        ],
        "2031-03-17",
    );
    quote(
        &mut d,
        "it did not see any activity by Bessia",
        "said",
        "say",
        0,
    );
    quote_said_before(&mut d, "it did not see any activity by Cordia", 2);
    stage().annotate(&mut d, true);
    // The position restated "repeatedly" is no event of the article's day; the same
    // statement made once is; a material act done routinely is still reported as done.
    assert_eq!(
        coded(&d),
        [
            ("010".into(), Some("XAR".into()), Some("XCO".into())),
            ("190".into(), Some("XAR".into()), Some("XBE".into())),
        ]
    );
    assert_explains(&d, 0, Says::Has, "standing position");
}

#[test]
fn a_dictionary_accusation_said_to_recur_is_not_an_event_either() {
    let mut d = doc(
        "Bessia has frequently accused Arland of spying. Bessia accused Cordia of spying. \
         As always, Bessia accused Dorn of spying.",
        &[
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Cordia", EntityType::Gpe, "XCO"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Dorn", EntityType::Gpe, "XDO"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, true);
    // "As always" compares the act with earlier ones: it is still one act.
    assert_eq!(
        coded(&d),
        [
            ("112".into(), Some("XBE".into()), Some("XCO".into())),
            ("112".into(), Some("XBE".into()), Some("XDO".into())),
        ]
    );
    assert_explains(
        &d,
        0,
        Says::Has,
        "standing position, not one event: \"frequently … accused\"",
    );
}

#[test]
fn a_show_of_force_by_coordinated_actors_at_no_one_is_their_military_cooperation() {
    let mut d = doc(
        "Arland and Bessia held exercises. Cordia held exercises. Arland held exercises near Cordia.",
        &[
            ("Arland", EntityType::Gpe, "XAR"),
            ("Bessia", EntityType::Gpe, "XBE"),
            ("Cordia", EntityType::Gpe, "XCO"),
            ("Arland", EntityType::Gpe, "XAR"),
            ("Cordia", EntityType::Gpe, "XCO"),
        ],
        "2031-03-17",
    );
    stage().annotate(&mut d, false);
    let got = coded(&d);
    let code = |c: &str, s: &str, t: Option<&str>| {
        (c.to_string(), Some(s.to_string()), t.map(str::to_string))
    };
    assert_eq!(
        got,
        [
            code("062", "XAR", Some("XBE")),
            code("062", "XBE", Some("XAR")),
            code("150", "XCO", None),
            code("150", "XAR", Some("XCO")),
        ]
    );
    let joint = &d.events.as_ref().unwrap()[0];
    assert!(
        joint
            .rules
            .iter()
            .any(|r| r.to_string().starts_with("grammar.txt:")),
        "{:?}",
        joint.rules
    );
}
