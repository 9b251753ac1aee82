//! The entity stage's mechanisms on a small hand-written knowledge base and place
//! table, with the tagger's output given by hand — so each rule is tested alone,
//! independent of the statistical model.

use annals_doc::{Document, EntityType, Span};
use annals_entity::{coding, coref, mentions, places};
use annals_kb::{ActorBase, Day, PlaceTable};
use annals_ner::{Mention as Found, NerClass};
use annals_text::{segment, RuleSentenceSplitter, RuleTokenizer};

const COUNTRIES: &str = "\
XAR  name     Arland
XAR  adj      Arlandish
XAR  capital  Porto Vel
XBE  name     Bessia
XBE  adj      Bessian
XBE  capital  Kordu
";
const ROLES: &str = "\
GOV  president
GOV  foreign minister
GOV  spokesman
MIL  commander
MIL  forces
MIL  general
MED  news agency
";
const PEOPLE: &str = "\
XARGOV  2010-01-01..            Ivo Tamsen   # President of Arland
XBEGOV  2015-03-01..2021-06-30  Lena Vorst   # Foreign Minister of Bessia
";
const ORGS: &str = "XARGOV  Palace of Lights\nXBEMED  BesNews\n";
const PLACES: &str = "\
1\tArland\tXAR\tA.PCLI\t40\t10\t5000000\t\tArland Republic
2\tPorto Vel\tXAR\tP.PPLC\t41\t11\t900000\tXA.01\t
3\tPorto Vel\tXBE\tP.PPL\t-20\t50\t20000\tXB.02\t
4\tKordu\tXBE\tP.PPLC\t-21\t51\t700000\tXB.01\t
5\tBessia\tXBE\tA.PCLI\t-22\t52\t3000000\t\t
6\tMarrow\tXBE\tP.PPL\t-21.5\t51.5\t30000\tXB.01\t
7\tMarrow\tXAR\tP.PPL\t42\t12\t60000\tXA.02\t
";

fn kb() -> ActorBase {
    let mut kb = ActorBase::default();
    kb.add_text("countries.txt", COUNTRIES).unwrap();
    kb.add_text("roles.txt", ROLES).unwrap();
    kb.add_text("people.txt", PEOPLE).unwrap();
    kb.add_text("organisations.txt", ORGS).unwrap();
    kb
}

/// A segmented document and the tagger mentions of the listed (phrase, class) pairs,
/// each at its first unclaimed occurrence.
fn doc_with(text: &str, names: &[(&str, NerClass)]) -> (Document, Vec<Found>) {
    let mut doc = Document::new("t", text.to_string());
    segment(
        &mut doc,
        &RuleSentenceSplitter::default(),
        &RuleTokenizer::default(),
    );
    let tokens = doc.tokens.clone().unwrap();
    let mut found = Vec::new();
    let mut from = 0;
    for (phrase, class) in names {
        let at = text[from..]
            .find(phrase)
            .map(|i| i + from)
            .expect("phrase in text");
        let end = at + phrase.len();
        let first = tokens
            .iter()
            .position(|t| t.span.start == at)
            .expect("token start");
        let last = tokens
            .iter()
            .position(|t| t.span.end == end)
            .expect("token end");
        found.push(Found {
            span: Span::new(at, end),
            first_token: first,
            end_token: last + 1,
            class: *class,
        });
        from = end;
    }
    (doc, found)
}

fn text_of<'a>(doc: &'a Document, m: &mentions::Mention) -> &'a str {
    m.entity.span.slice(&doc.text)
}

fn run(text: &str, names: &[(&str, NerClass)], date: &str) -> (Document, Vec<mentions::Mention>) {
    let kb = kb();
    let table = PlaceTable::parse("g.tsv", PLACES).unwrap();
    let (doc, found) = doc_with(text, names);
    let mut ms = mentions::build(&doc, &found, &kb, &table);
    coding::code(&doc, &mut ms, &kb, Day::parse(date, false));
    coref::resolve(&doc, &mut ms);
    (doc, ms)
}

fn code_of(doc: &Document, ms: &[mentions::Mention], text: &str) -> Option<String> {
    ms.iter()
        .find(|m| text_of(doc, m) == text)
        .and_then(|m| m.entity.actor.as_ref().map(|a| a.code.clone()))
}

#[test]
fn known_people_code_by_their_role_on_the_day() {
    let text = "Ivo Tamsen met Lena Vorst in Kordu.";
    let names = [
        ("Ivo Tamsen", NerClass::Per),
        ("Lena Vorst", NerClass::Per),
        ("Kordu", NerClass::Loc),
    ];
    let (doc, ms) = run(text, &names, "2020-05-01");
    assert_eq!(code_of(&doc, &ms, "Ivo Tamsen").as_deref(), Some("XARGOV"));
    assert_eq!(code_of(&doc, &ms, "Lena Vorst").as_deref(), Some("XBEGOV"));
    let rule = ms[0].entity.actor.as_ref().unwrap().rules[0].to_string();
    assert_eq!(rule, "people.txt:1");
    // After her role ended she is no longer coded by it (and no title says otherwise).
    let (doc, ms) = run(text, &names, "2022-12-19");
    assert_eq!(code_of(&doc, &ms, "Lena Vorst"), None);
}

#[test]
fn titles_code_unknown_people_and_ended_roles() {
    let text = "Bessian Foreign Minister Lena Vorst spoke. Arland's top general, Piet Oster, \
                agreed with Arlandish forces commander Mara Lind. Someone Else stayed.";
    let names = [
        ("Bessian", NerClass::Misc),
        ("Lena Vorst", NerClass::Per),
        ("Arland", NerClass::Loc),
        ("Piet Oster", NerClass::Per),
        ("Arlandish", NerClass::Misc),
        ("Mara Lind", NerClass::Per),
        ("Someone Else", NerClass::Per),
    ];
    let (doc, ms) = run(text, &names, "2022-12-19");
    assert_eq!(code_of(&doc, &ms, "Lena Vorst").as_deref(), Some("XBEGOV"));
    assert_eq!(code_of(&doc, &ms, "Piet Oster").as_deref(), Some("XARMIL"));
    assert_eq!(code_of(&doc, &ms, "Mara Lind").as_deref(), Some("XARMIL"));
    assert_eq!(
        code_of(&doc, &ms, "Someone Else"),
        None,
        "no role: left uncoded"
    );
    let nat = ms.iter().find(|m| text_of(&doc, m) == "Bessian").unwrap();
    assert_eq!(nat.entity.kind, EntityType::Norp);
}

#[test]
fn organisations_capitals_and_group_nouns() {
    let text = "The Palace of Lights said Porto Vel and Kordu disagree. Bessian forces moved. BesNews reported.";
    let names = [
        ("Palace of Lights", NerClass::Org),
        ("Porto Vel", NerClass::Loc),
        ("Kordu", NerClass::Loc),
        ("Bessian", NerClass::Misc),
    ];
    let (doc, ms) = run(text, &names, "2022-12-19");
    assert_eq!(
        code_of(&doc, &ms, "Palace of Lights").as_deref(),
        Some("XARGOV")
    );
    assert_eq!(
        code_of(&doc, &ms, "Porto Vel").as_deref(),
        Some("XARGOV"),
        "a capital stands for its government"
    );
    assert_eq!(code_of(&doc, &ms, "Bessian").as_deref(), Some("XBEMIL"));
    // Missed by the tagger, found by the knowledge base.
    let news = ms
        .iter()
        .find(|m| text_of(&doc, m) == "BesNews")
        .expect("BesNews found");
    assert_eq!(news.entity.found_by, "organisations.txt:2");
    assert_eq!(news.entity.actor.as_ref().unwrap().code, "XBEMED");
}

#[test]
fn surnames_pronouns_and_titles_refer_back() {
    let text = "President Ivo Tamsen visited Kordu. Tamsen said he was pleased. \
                His trip ended with Lena Vorst, who thanked the president.";
    let names = [
        ("Ivo Tamsen", NerClass::Per),
        ("Kordu", NerClass::Loc),
        ("Tamsen", NerClass::Per),
        ("Lena Vorst", NerClass::Per),
    ];
    let (doc, ms) = run(text, &names, "2020-05-01");
    let first = ms
        .iter()
        .position(|m| text_of(&doc, m) == "Ivo Tamsen")
        .unwrap();
    let refs: Vec<(&str, Option<usize>)> = ms
        .iter()
        .map(|m| (text_of(&doc, m), m.entity.refers_to))
        .collect();
    for (t, r) in &refs {
        if matches!(*t, "Tamsen" | "he" | "His" | "the president") {
            assert_eq!(*r, Some(first), "{t} → Ivo Tamsen: {refs:?}");
        }
    }
    let he = ms.iter().find(|m| text_of(&doc, m) == "he").unwrap();
    assert_eq!(he.entity.kind, EntityType::Pronoun);
    assert_eq!(
        he.entity.actor.as_ref().unwrap().code,
        "XARGOV",
        "inherited"
    );
}

#[test]
fn pronoun_prefers_a_non_possessive_person_in_its_sentence() {
    let text = "Tamsen's visit followed a trip by Piet Oster, where he signed a deal.";
    let names = [("Tamsen", NerClass::Per), ("Piet Oster", NerClass::Per)];
    let (doc, ms) = run(text, &names, "2020-05-01");
    let oster = ms
        .iter()
        .position(|m| text_of(&doc, m) == "Piet Oster")
        .unwrap();
    let he = ms.iter().find(|m| text_of(&doc, m) == "he").unwrap();
    assert_eq!(he.entity.refers_to, Some(oster));
}

#[test]
fn places_resolve_in_context() {
    let kb = kb();
    let table = PlaceTable::parse("g.tsv", PLACES).unwrap();
    // Marrow: the bigger one is in Arland, but the story is about Bessia.
    let text = "Bessian officials in Marrow met. Bessia and the Arland Republic talked.";
    let names = [
        ("Bessian", NerClass::Misc),
        ("Marrow", NerClass::Loc),
        ("Bessia", NerClass::Loc),
        ("Arland Republic", NerClass::Loc),
    ];
    let (doc, found) = doc_with(text, &names);
    let ms = mentions::build(&doc, &found, &kb, &table);
    let ps = places::resolve(&doc, &ms, &kb, &table);
    let by_text = |t: &str| {
        ps.iter()
            .find(|p| p.span.slice(&doc.text) == t)
            .and_then(|p| p.geonames_id)
    };
    assert_eq!(by_text("Marrow"), Some(6), "{ps:?}");
    assert_eq!(by_text("Bessia"), Some(5), "a country name is the country");
    assert_eq!(by_text("Bessian"), Some(5), "a demonym names its country");
    assert_eq!(by_text("Arland Republic"), Some(1));
}
