//! One test per construction the quote stage knows, on sentences written for the
//! tests. These run without the entity layer: speakers are spans alone.

use annals_doc::{Document, QuoteKind};
use annals_quote::QuoteStage;
use annals_text::{segment, RuleSentenceSplitter, RuleTokenizer};

/// (content, kind, cue, speaker) of every quote of `text`.
fn quotes(text: &str) -> Vec<(String, QuoteKind, Option<String>, Option<String>)> {
    let mut doc = Document::new("t", text.to_string());
    segment(
        &mut doc,
        &RuleSentenceSplitter::default(),
        &RuleTokenizer::default(),
    );
    QuoteStage::new().unwrap().annotate(&mut doc);
    doc.quotes
        .unwrap()
        .into_iter()
        .map(|q| {
            (
                q.span.slice(&doc.text).to_string(),
                q.kind,
                q.cue.map(|c| c.slice(&doc.text).to_string()),
                q.speaker.map(|s| s.span.slice(&doc.text).to_string()),
            )
        })
        .collect()
}

fn speaker_of(q: &[(String, QuoteKind, Option<String>, Option<String>)], i: usize) -> Option<&str> {
    q[i].3.as_deref()
}

#[test]
fn reported_speech_with_and_without_that() {
    let q = quotes("The harbour master said that the port would reopen on Monday.");
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].0, "the port would reopen on Monday");
    assert_eq!(q[0].1, QuoteKind::Indirect);
    assert_eq!(q[0].2.as_deref(), Some("said"));
    assert_eq!(speaker_of(&q, 0), Some("The harbour master"));
    let q = quotes("Officials told reporters on Tuesday that talks had stalled.");
    assert_eq!(q[0].0, "talks had stalled");
    assert_eq!(speaker_of(&q, 0), Some("Officials"));
}

#[test]
fn cue_after_the_content() {
    let q = quotes("\"We will not leave the island,\" the mayor said.");
    assert_eq!(q[0].0, "\"We will not leave the island,\"");
    assert_eq!(q[0].1, QuoteKind::Direct);
    assert_eq!(speaker_of(&q, 0), Some("the mayor"));
    let q = quotes("The ferry will run again soon, said a spokeswoman for the company.");
    assert_eq!(q[0].0, "The ferry will run again soon");
    assert_eq!(speaker_of(&q, 0), Some("a spokeswoman for the company"));
}

#[test]
fn a_speaker_with_an_apposition_speaks_forward() {
    let q =
        quotes("Mara Lind, who heads security for the port, said the protest had been peaceful.");
    assert_eq!(q[0].0, "the protest had been peaceful");
    let sp = speaker_of(&q, 0).unwrap();
    assert!(sp.contains("Mara") || sp.contains("port"), "{sp}");
}

#[test]
fn according_to_before_and_after() {
    let q = quotes("According to port officials, three ships were turned away.");
    assert_eq!(q[0].0, "three ships were turned away");
    assert_eq!(speaker_of(&q, 0), Some("port officials"));
    let q = quotes("Three ships were turned away, according to port officials.");
    assert_eq!(q[0].0, "Three ships were turned away");
    assert_eq!(speaker_of(&q, 0), Some("port officials"));
}

#[test]
fn quoted_as_saying_gives_the_one_quoted() {
    let q = quotes("Local radio quoted the governor as saying the bridge was safe.");
    assert_eq!(q[0].0, "the bridge was safe");
    assert_eq!(speaker_of(&q, 0), Some("the governor"));
}

#[test]
fn partial_quotes_make_mixed_speech() {
    let q = quotes(
        "The envoy said the island was the region's \"safest harbour\" but that risks remained.",
    );
    assert_eq!(q[0].1, QuoteKind::Mixed);
    assert_eq!(speaker_of(&q, 0), Some("The envoy"));
}

#[test]
fn denials_warnings_and_accusations_carry_their_class() {
    let doc_text = "The ministry denied that troops had crossed the border. \
                    The union warned that the strike could spread. \
                    The mayor accused the council of wasting funds on the port.";
    let mut doc = Document::new("t", doc_text.to_string());
    segment(
        &mut doc,
        &RuleSentenceSplitter::default(),
        &RuleTokenizer::default(),
    );
    QuoteStage::new().unwrap().annotate(&mut doc);
    let classes: Vec<String> = doc
        .quotes
        .unwrap()
        .iter()
        .filter_map(|q| q.cue_class.clone())
        .collect();
    assert_eq!(classes, ["deny", "warn", "accuse"]);
}

#[test]
fn quotes_running_over_sentences_and_paragraphs_continue_their_speaker() {
    let text = "\"The sea is calm. The boats can sail,\" the captain said.\n\n\
                \"We leave at dawn.\"";
    let q = quotes(text);
    assert_eq!(q.len(), 2, "{q:?}");
    assert_eq!(q[0].0, "\"The sea is calm. The boats can sail,\"");
    assert_eq!(speaker_of(&q, 1), Some("the captain"), "continuation");
    let text = "The captain said:\n\n\"We leave at dawn and return at dusk.\"";
    let q = quotes(text);
    assert_eq!(speaker_of(&q, q.len() - 1), Some("The captain"));
}

#[test]
fn a_quote_interrupted_by_its_cue_is_one_quote() {
    let q = quotes("\"The sea is calm,\" the captain said, \"and the boats can sail.\"");
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(
        q[0].0,
        "\"The sea is calm,\" the captain said, \"and the boats can sail.\""
    );
    assert_eq!(speaker_of(&q, 0), Some("the captain"));
}

#[test]
fn transcript_lines_name_their_speaker() {
    let q = quotes(
        "HOST: What happens to the ferries now?\n\nMAYOR: They will run on Monday as planned.",
    );
    assert_eq!(q.len(), 2);
    assert_eq!(speaker_of(&q, 1), Some("MAYOR"));
    assert_eq!(q[1].0, "They will run on Monday as planned.");
}

#[test]
fn passives_and_nouns_are_not_cues() {
    assert!(quotes("The visit was announced on Friday after a long delay.").is_empty());
    assert!(quotes("Adding to the gloom, the harbour closed early.").is_empty());
}
