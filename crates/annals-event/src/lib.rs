//! The event stage: who did what to whom, when and where, in CAMEO and PLOVER.
//!
//! Reads the token, sentence, entity, place, time and quote layers; writes `events`
//! (and, with `--explain`, why a sentence gave none). Knowledge is data: the verb
//! dictionary (`data/events/verbs.txt`, [`verbs`]), the words around a verb that change
//! its meaning (`data/events/grammar.txt`, [`grammar`]) and the codebook
//! (`data/events/cameo.txt`, `annals-cameo`). No parser: a shallow analysis over
//! tokens and entity mentions, per sentence:
//!
//! 1. **predicates**: the longest dictionary phrase at each word (gaps allowed, never
//!    across punctuation, never inside a name);
//! 2. **meaning around the verb**: a negation before it ("did not see") codes nothing,
//!    with the future a refusal (12x: "will not accept"); intent or a promise ("will
//!    meet", "pledged to provide aid") turns a cooperative act into CAMEO's intent code
//!    (03x) and a hostile one into a threat (13x), as does a threat word; "unless"
//!    makes an ultimatum; "any", "if", "could" a supposition (nothing); after a request,
//!    promise, refusal or accusation, the acts that follow are what was asked for or
//!    alleged (nothing); a verbal act said to recur ("has repeatedly said") is a
//!    standing position, not an event of one day (nothing);
//! 3. **clauses**: the source is sought between the word that opens the predicate's
//!    clause ("that", "who", "after", "said" …) or the previous predicate and the
//!    predicate itself; a verb joined by "and" to the previous one shares its source
//!    ("set up a unit and held exercises"); a relative clause with no subject of its
//!    own takes the word before it ("Okafor, who leads the delegation");
//! 4. **actors**: the head of the clause's first noun phrase ("Kenyan President
//!    Anna Berg" → Berg), each member of a coordination ("Moscow and Minsk")
//!    giving its own event (a joint act, or a show of force at no one, each member
//!    acting with the others; an intent told by one of them, the speaker's only);
//!    the target is the first noun phrase after the predicate; in the passive
//!    ("were attacked by Russia") the agent follows "by" and the subject is the
//!    target; a noun predicate takes a "by" agent ("a trip to Nairobi by the envoy");
//! 5. **date**: the dated time expression nearest the predicate, a clause boundary
//!    counting as distance; else the sentence's reference time; else the document
//!    date. **Place**: a place after the predicate in a locative phrase ("in Minsk");
//! 6. **statements**: a quote whose cue is not itself a dictionary predicate becomes
//!    an event by the cue's class (deny 016, accuse 112, warn 130, urge 020); a plain
//!    "said" is an event only through its content: a coded event inside it (kept, marked
//!    with the speaker in `reported_by`), a refutation (a denial, 016), "must" (a
//!    demand, 100), or a negation (a 010 statement about the other actor it names);
//! 7. **one row per act**: the same code, actors and date told again later in the
//!    document adds nothing.
//!
//! No event is emitted without a dictionary match and a coded actor on one side (or a
//! named person, or named parties on both sides).

pub mod grammar;
pub mod verbs;

use annals_cameo::Codebook;
use annals_doc::{
    Actor, Document, Entity, EntityType, Event, EventActor, Rule, Span, TimexType, Token,
};
use grammar::Grammar;
use verbs::Verbs;

/// How far (in tokens) after a predicate its target may start.
const TARGET_REACH: usize = 12;
/// How far after a predicate a "by" agent may be.
const AGENT_REACH: usize = 8;

/// The event stage.
pub struct EventStage {
    verbs: &'static Verbs,
    codes: &'static Codebook,
    grammar: &'static Grammar,
}

/// One sentence's view of the document, shared by the steps below.
struct Sentence<'a> {
    index: usize,
    first: usize,
    end: usize,
    text: &'a str,
    tokens: &'a [Token],
    lower: &'a [&'a str],
    entities: &'a [Entity],
    /// Participant mentions of the sentence (see [`is_participant`]), in text order,
    /// as (entity, first token, end token).
    actors: Vec<(usize, usize, usize)>,
}

/// A predicate that survived negation and intent, before its actors are chosen.
struct Predicate {
    v0: usize,
    v1: usize,
    /// Token positions of the phrase's words (a gap's words are not among them).
    words: Vec<usize>,
    /// The root of the dictionary code, before intent or refusal changed it.
    act_root: String,
    code: String,
    rules: Vec<Rule>,
}

impl EventStage {
    /// The stage over the shipped dictionary, grammar and codebook.
    pub fn new() -> Result<EventStage, String> {
        Ok(EventStage {
            verbs: Verbs::builtin()?,
            codes: Codebook::builtin()?,
            grammar: Grammar::builtin()?,
        })
    }

    /// The stage over a given dictionary, codebook and grammar (tests, user files).
    pub fn with_dictionary(
        verbs: &'static Verbs,
        codes: &'static Codebook,
        grammar: &'static Grammar,
    ) -> EventStage {
        EventStage {
            verbs,
            codes,
            grammar,
        }
    }

    /// Annotate `doc`: events, and with `explain` the reason each sentence without
    /// one has none.
    pub fn annotate(&self, doc: &mut Document, explain: bool) {
        let (Some(sentences), Some(tokens)) = (&doc.sentences, &doc.tokens) else {
            return;
        };
        let lowered = doc.lowered();
        let lower: Vec<&str> = lowered.words();
        let placed = with_place_countries(doc);
        let entities: &[Entity] = match &placed {
            Some(v) => v,
            None => doc.entities.as_deref().unwrap_or(&[]),
        };
        let token_of = |byte: usize| tokens.partition_point(|t| t.span.start < byte);
        let mut events = Vec::new();
        let mut reasons = Vec::with_capacity(sentences.len());
        for (si, s) in sentences.iter().enumerate() {
            let first = token_of(s.span.start);
            let end = tokens.partition_point(|t| t.span.end <= s.span.end);
            let actors = entities
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.span.start >= s.span.start && e.span.end <= s.span.end && is_participant(e)
                })
                .map(|(k, e)| (k, token_of(e.span.start), token_of(e.span.end)))
                .collect();
            let sent = Sentence {
                index: si,
                first,
                end,
                text: &doc.text,
                tokens,
                lower: &lower,
                entities,
                actors,
            };
            let before = events.len();
            let mut why = self.sentence(doc, &sent, &mut events);
            // One real event, one row: a later sentence retelling the same act (same
            // code, actors and date) adds nothing the first did not say.
            let coded = events.len();
            let mut k = before;
            while k < events.len() {
                if events[..k].iter().any(|e| same_event(e, &events[k])) {
                    events.remove(k);
                } else {
                    k += 1;
                }
            }
            if events.len() == before && coded > before {
                why = vec!["repeats an event coded earlier in the document".into()];
            }
            reasons.push((events.len() == before).then(|| {
                if why.is_empty() {
                    "no predicate matched".to_string()
                } else {
                    why.join("; ")
                }
            }));
        }
        events.sort_by_key(|e: &Event| (e.sentence, e.predicate.start, e.predicate.end));
        doc.events = Some(events);
        if explain {
            doc.explanations = Some(reasons);
        }
    }

    /// Code one sentence into `events`; returns why each predicate or statement that
    /// coded nothing did not.
    fn sentence(&self, doc: &Document, s: &Sentence, events: &mut Vec<Event>) -> Vec<String> {
        let mut reason = Vec::new();
        let mut matched: Vec<Span> = Vec::new();
        let mut last_pred_end = s.first;
        let mut last_sources: Vec<Option<usize>> = Vec::new();
        // Where the scope of the last request, promise, refusal or accusation began.
        let mut irrealis: Option<(usize, Span)> = None;
        let mut i = s.first;
        while i < s.end {
            let Some(m) = self.verbs.at(s.lower, i, s.end) else {
                i += 1;
                continue;
            };
            let v0 = m.tokens[0];
            let v1 = m.tokens.last().map_or(v0 + 1, |&t| t + 1);
            // Inside a name ("the Freedom Party") a dictionary word is not a predicate.
            if s.actors.iter().any(|&(_, a, b)| a <= v0 && v0 < b) {
                i += 1;
                continue;
            }
            // A bare intent verb ("agreed", "pledged") gives way to the act it
            // introduces ("agreed to share information"), which it then marks as intent.
            let bare_intent = m.tokens.len() == 1 && self.grammar.is("intent", s.lower[v0]);
            if bare_intent
                && (v1..(v1 + 4).min(s.end)).any(|j| self.verbs.at(s.lower, j, s.end).is_some())
            {
                i += 1;
                continue;
            }
            i = v1;
            let predicate = Span::new(s.tokens[v0].span.start, s.tokens[v1 - 1].span.end);
            matched.push(predicate);
            let open = self.clause_open(s, v0, last_pred_end);
            let mut p = match self.meaning(s, v0, v1, open, &m) {
                Ok(p) => p,
                Err(why) => {
                    reason.push(why);
                    last_pred_end = v1;
                    continue;
                }
            };
            // "demanded that the council reject the plan", "blamed the rebels for
            // the bombing": what is asked for, promised, refused or alleged has not
            // (by this sentence) happened.
            if let Some((_, governor)) = irrealis
                .filter(|&(from, _)| !(from..v0).any(|j| self.grammar.is("scope-end", s.lower[j])))
            {
                reason.push(format!(
                    "\"{}\" is asked for, promised, refused or alleged by \"{}\", not reported as done",
                    predicate.slice(s.text),
                    governor.slice(s.text)
                ));
                last_pred_end = v1;
                continue;
            }
            if self.grammar.is("irrealis-root", &p.code[..2]) {
                irrealis = Some((v1, predicate));
            }
            let coordinated_verb = self.joined_to_previous(s, v0) && !last_sources.is_empty();
            let reported_by = doc.quotes.as_ref().and_then(|qs| {
                qs.iter()
                    .find(|q| q.span.start <= predicate.start && predicate.end <= q.span.end)
                    .and_then(|q| q.speaker.as_ref().and_then(|sp| sp.entity))
            });
            let (sources, mut targets) =
                self.actors(s, &p, open, coordinated_verb, &last_sources, reported_by);
            // "Arland and Bessia held exercises": a show of force by coordinated actors
            // at no one is done together, their military cooperation (grammar.txt
            // `joint-code`), each acting with the others as in a reciprocal act. Decided
            // after the target search, not with the reciprocal acts in `actors`: one
            // held near a coded place ("… near Cordia") stays a show of force at it.
            if targets == [None] && sources.iter().flatten().count() > 1 {
                if let Some((c, rule)) = self.grammar.code("joint-code", &p.code) {
                    p.code = c.to_string();
                    p.rules.push(rule.clone());
                    targets = sources.clone();
                }
            }
            last_pred_end = v1;
            // An uncoded name may fill a slot, but one side must be a coded actor, or
            // both sides named.
            let coded = |k: &Option<usize>| {
                k.is_some_and(|k| {
                    s.entities[k].actor.is_some() || s.entities[k].kind == EntityType::Person
                })
            };
            let dyad = sources.iter().any(Option::is_some) && targets.iter().any(Option::is_some);
            if !sources.iter().any(coded) && !targets.iter().any(coded) && !dyad {
                reason.push(format!(
                    "no coded actor for \"{}\"",
                    predicate.slice(s.text)
                ));
                continue;
            }
            last_sources = sources.clone();
            self.emit(
                doc,
                s,
                predicate,
                &p,
                &sources,
                &targets,
                reported_by,
                events,
            );
        }
        self.statements(doc, s, &matched, events, &mut reason);
        reason
    }

    /// Negation, intent and threat around a match: the code it carries, or why it
    /// carries none.
    fn meaning(
        &self,
        s: &Sentence,
        v0: usize,
        v1: usize,
        open: usize,
        m: &verbs::Match,
    ) -> Result<Predicate, String> {
        let g = self.grammar;
        let window = v0.saturating_sub(3).max(open)..v0;
        let word = |j: usize| s.tokens[j].span.slice(s.text);
        let root = m.phrase.code[..2].to_string();
        if let Some(j) = window.clone().find(|&j| g.is("negation", s.lower[j])) {
            // "will not accept", "would not meet": a refusal (12x), which is an event;
            // "did not see" is nothing.
            let future = window.clone().find_map(|k| g.rule("intent", s.lower[k]));
            if let (Some(intent_rule), Some((c, map_rule))) =
                (future, g.code("refusal-code", &root))
            {
                let mut rules = vec![m.phrase.rule.clone(), intent_rule.clone()];
                rules.extend(g.rule("negation", s.lower[j]).cloned());
                rules.push(map_rule.clone());
                return Ok(Predicate {
                    v0,
                    v1,
                    words: m.tokens.clone(),
                    act_root: root.clone(),
                    code: c.to_string(),
                    rules,
                });
            }
            return Err(format!("negated: \"{} … {}\"", word(j), word(v0)));
        }
        if let Some(j) = window.clone().find(|&j| g.is("hypothetical", s.lower[j])) {
            return Err(format!("hypothetical: \"{} … {}\"", word(j), word(v0)));
        }
        let possessed =
            (v0.saturating_sub(2).max(s.first)..v0).any(|j| g.is("possessive", s.lower[j]));
        if possessed && v1 < s.end && g.is("auxiliary", s.lower[v1]) {
            return Err(format!(
                "an event named as a subject (\"{} {}\"), reported elsewhere",
                word(v0),
                word(v1)
            ));
        }
        let mut code = m.phrase.code.clone();
        let mut rules = vec![m.phrase.rule.clone()];
        let threat = window.clone().find_map(|j| g.rule("threat", s.lower[j]));
        let intent = window.clone().find_map(|j| g.rule("intent", s.lower[j]));
        if let (Some(word_rule), Some((c, map_rule))) = (threat, g.code("threat-code", &root)) {
            code = c.to_string();
            rules.extend([word_rule.clone(), map_rule.clone()]);
        } else if let Some(word_rule) = intent {
            if let Some((c, map_rule)) = g.code("intent-code", &root) {
                code = c.to_string();
                rules.extend([word_rule.clone(), map_rule.clone()]);
            } else if let Some((c, map_rule)) = g.code("threat-code", &root) {
                // "said they would blockade the port": announcing a hostile act is a threat.
                code = c.to_string();
                rules.extend([word_rule.clone(), map_rule.clone()]);
            } else if root.as_str() >= "09" {
                // "would criticise", "plans to investigate": announced, not done.
                return Err(format!(
                    "intended, not done: \"{} … {}\"",
                    word(
                        window
                            .clone()
                            .find(|&j| g.is("intent", s.lower[j]))
                            .unwrap_or(v0)
                    ),
                    word(v1 - 1)
                ));
            }
        }
        // "will withdraw its troops unless …": an act announced on a condition the other
        // side must meet is an ultimatum.
        if intent.is_some() || threat.is_some() {
            if let Some(j) = (v1..s.end).find(|&j| g.is("ultimatum", s.lower[j])) {
                if let Some((c, map_rule)) = g.code("ultimatum-code", "ultimatum") {
                    code = c.to_string();
                    rules.extend(g.rule("ultimatum", s.lower[j]).cloned());
                    rules.push(map_rule.clone());
                }
            }
        }
        if let Some(why) = self.standing_position(s, window.clone(), &code, word(v0)) {
            return Err(why);
        }
        if self.codes.get(&code).is_none() {
            return Err(format!(
                "code {code} of {} is not in the codebook",
                m.phrase.rule
            ));
        }
        Ok(Predicate {
            v0,
            v1,
            words: m.tokens.clone(),
            act_root: root,
            code,
            rules,
        })
    }

    /// The first token of the predicate's clause: after the last clause-opening word
    /// before it, and never before the end of the previous predicate.
    fn clause_open(&self, s: &Sentence, v0: usize, last_pred_end: usize) -> usize {
        (last_pred_end..v0)
            .rev()
            .find(|&j| self.grammar.is("clause", s.lower[j]))
            .map_or(last_pred_end, |j| j + 1)
    }

    /// Whether the predicate is a verb coordinated with the previous one ("set up a
    /// unit and held exercises"): "and" (or "and then", an adverb) right before it.
    fn joined_to_previous(&self, s: &Sentence, v0: usize) -> bool {
        let mut j = v0;
        while j > s.first
            && (s.lower[j - 1].ends_with("ly")
                || s.lower[j - 1] == "then"
                || s.lower[j - 1] == "also")
        {
            j -= 1;
        }
        j > s.first && s.lower[j - 1] == "and"
    }

    /// The heads of the noun phrases of the first coordination among `mentions`
    /// (indices into `s.actors`, in text order): "Kenyan President Anna Berg"
    /// → Berg; "Moscow and Minsk" → both.
    fn heads(&self, s: &Sentence, mentions: &[usize]) -> Vec<usize> {
        let g = self.grammar;
        let mut out = Vec::new();
        let Some(&start) = mentions.first() else {
            return out;
        };
        let mut head = start;
        let mut joined_by_comma = Vec::new();
        for &next in &mentions[1..] {
            let gap = s.actors[head].2..s.actors[next].1;
            let same_np = gap.len() <= 4
                && gap.clone().all(|j| {
                    g.is("title", s.lower[j])
                        || s.tokens[j]
                            .span
                            .slice(s.text)
                            .starts_with(|c: char| c.is_uppercase())
                });
            // "Her deputy, Anna Berg, met …": the possessive only says whose deputy;
            // the name after the comma is the actor.
            let possessive = s.entities[s.actors[head].0].kind == EntityType::Pronoun
                && g.is("possessive", s.lower[s.actors[head].1]);
            if possessive && gap.len() <= 4 && gap.end > gap.start && s.lower[gap.end - 1] == "," {
                head = next;
                continue;
            }
            // "the World Health Organization (WHO)": one actor named twice.
            if gap.len() == 1 && s.lower[gap.start] == "(" {
                if s.entities[s.actors[head].0].actor.is_none() {
                    head = next;
                }
                continue;
            }
            let coordinated = !gap.is_empty()
                && gap.len() <= 2
                && gap.clone().all(|j| g.is("coordination", s.lower[j]));
            if same_np {
                head = next;
            } else if coordinated {
                out.push(head);
                joined_by_comma.push(gap.clone().all(|j| s.lower[j] == ","));
                head = next;
            } else {
                break;
            }
        }
        out.push(head);
        // Commas with no "and" closing the run are an apposition, one actor named
        // twice ("Her deputy, Anna Berg,"): keep the coded name, a name before a
        // pronoun (there "Her" is a possessive, not the actor).
        if joined_by_comma.last() == Some(&true) {
            let coded = |a: &usize| s.entities[s.actors[*a].0].actor.is_some();
            let named = |a: &usize| s.entities[s.actors[*a].0].kind != EntityType::Pronoun;
            let pick = out.iter().copied().find(|a| coded(a) && named(a));
            return vec![pick
                .or_else(|| out.iter().copied().find(coded))
                .unwrap_or(out[0])];
        }
        out
    }

    /// Sources and targets of a predicate (entity indices; `None` for "none coded").
    fn actors(
        &self,
        s: &Sentence,
        p: &Predicate,
        open: usize,
        coordinated_verb: bool,
        last_sources: &[Option<usize>],
        speaker: Option<usize>,
    ) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
        let g = self.grammar;
        let (v0, v1) = (p.v0, p.v1);
        // Mentions in the window that take part: not those naming where ("in Belarus").
        let in_window = |from: usize, to: usize| -> Vec<usize> {
            (0..s.actors.len())
                .filter(|&a| {
                    s.actors[a].1 >= from
                        && s.actors[a].2 <= to
                        && !self.is_locative(s, s.actors[a].1)
                })
                .collect()
        };
        // The clause ends at the next clause-opening word after the predicate.
        // ("demanded on Monday that the army withdraw …": the that-clause's subject is the target.)
        let takes_clause = g.is("irrealis-root", &p.act_root) || p.act_root == "01";
        let that = (v1..(v1 + 3).min(s.end))
            .find(|&j| s.lower[j] == "that")
            .filter(|_| takes_clause);
        let clause_end = (that.map_or(v1, |t| t + 1)..s.end)
            .find(|&j| g.is("clause", s.lower[j]))
            .unwrap_or(s.end);
        // Targets may sit inside the phrase's gaps ("accused Russia of …").
        let after: Vec<usize> = in_window(v0 + 1, clause_end.max(v1).min(v1 + TARGET_REACH + 4))
            .into_iter()
            .filter(|&a| {
                s.actors[a].1 < v1 + TARGET_REACH
                    && !(s.actors[a].1..s.actors[a].2).any(|t| p.words.contains(&t))
            })
            .collect();
        let by = (v1..(v1 + AGENT_REACH).min(clause_end)).find(|&j| s.lower[j] == "by");
        let agent: Vec<usize> = by
            .map(|b| {
                let near: Vec<usize> = after
                    .iter()
                    .copied()
                    .filter(|&a| s.actors[a].1 > b && s.actors[a].1 <= b + 4)
                    .collect();
                self.heads(s, &near)
            })
            .unwrap_or_default();
        let before = in_window(open, v0);
        let passive = self.is_passive(s, v0);
        let ent = |a: usize| Some(s.actors[a].0);
        let targets_after = |skip: &[usize]| -> Vec<Option<usize>> {
            let rest: Vec<usize> = after
                .iter()
                .copied()
                .filter(|a| !skip.contains(a) && by.is_none_or(|b| s.actors[*a].1 < b))
                .collect();
            let t: Vec<Option<usize>> = self.heads(s, &rest).into_iter().map(ent).collect();
            if t.is_empty() {
                vec![None]
            } else {
                t
            }
        };
        if passive && agent.is_empty() && g.is("own-forces", &p.act_root) {
            // "Kenyan troops were deployed to Somalia": what is deployed or mobilised
            // is the actor's own force; the target follows the predicate.
            let sources: Vec<Option<usize>> = self.heads(s, &before).into_iter().map(ent).collect();
            if !sources.is_empty() {
                return (sources, targets_after(&agent));
            }
        }
        if passive {
            let sources: Vec<Option<usize>> = if agent.is_empty() {
                vec![None]
            } else {
                agent.iter().map(|&a| ent(a)).collect()
            };
            let targets: Vec<Option<usize>> = self.heads(s, &before).into_iter().map(ent).collect();
            return (
                sources,
                if targets.is_empty() {
                    vec![None]
                } else {
                    targets
                },
            );
        }
        let mut sources: Vec<Option<usize>> = if coordinated_verb {
            // "set up a joint unit and held exercises": the first verb's subject.
            last_sources.to_vec()
        } else {
            self.heads(s, &before).into_iter().map(ent).collect()
        };
        if sources.is_empty() {
            if !agent.is_empty() {
                // A noun predicate with its agent: "a trip to Nairobi by the envoy".
                sources = agent.iter().map(|&a| ent(a)).collect();
            } else if open > s.first && g.is("relative", s.lower[open - 1]) {
                // "Okafor, who leads the delegation": the antecedent right before.
                let mut j = open - 1;
                while j > s.first && s.lower[j - 1] == "," {
                    j -= 1;
                }
                if let Some(a) = (0..s.actors.len()).rev().find(|&a| s.actors[a].2 == j) {
                    sources = vec![ent(a)];
                }
            }
        }
        if sources.is_empty() && (open..v0).any(|j| g.is("pronoun", s.lower[j])) {
            // "the ministry says it will not accept the offer": a pronoun the entity layer left
            // unresolved, inside someone's statement, is most often the speaker.
            if let Some(k) = speaker.filter(|&k| s.entities[k].actor.is_some()) {
                sources = vec![Some(k)];
            }
        }
        if sources.is_empty() {
            // "Farmers in Kenya are demanding": with no other subject, the
            // place stands for the actor, as CAMEO coders read it.
            let placed: Vec<usize> = (0..s.actors.len())
                .filter(|&a| s.actors[a].1 >= open && s.actors[a].2 <= v0)
                .collect();
            sources = self.heads(s, &placed).into_iter().map(ent).collect();
        }
        if sources.is_empty() {
            sources.push(None);
        }
        let targets = targets_after(&agent);
        // The act's own root: "would discuss" (036) is a meeting (04) that takes two.
        let reciprocal = g.is("reciprocal", &p.act_root);
        if targets == [None] && sources.len() > 1 && reciprocal {
            // "Arland and Bessia set up a joint unit": a joint act of the members,
            // coded as each acting with the others (one event per ordered pair), for
            // the kinds of act that take two (grammar.txt `reciprocal`).
            return (sources.clone(), sources);
        }
        if targets == [None] {
            // "imposed a curfew in Mombasa": with no other target, CAMEO coders take the
            // place the act fell on.
            let placed: Vec<usize> = (0..s.actors.len())
                .filter(|&a| {
                    let (start, end) = (s.actors[a].1, s.actors[a].2);
                    start > v0
                        && end <= clause_end
                        && start < v1 + TARGET_REACH
                        && !(start..end).any(|t| p.words.contains(&t))
                        && s.entities[s.actors[a].0].actor.is_some()
                        && !sources.contains(&Some(s.actors[a].0))
                })
                .collect();
            if let Some(&a) = self.heads(s, &placed).first() {
                return (sources, vec![ent(a)]);
            }
        }
        (sources, targets)
    }

    /// Whether the mention starting at token `t` follows a place-only preposition
    /// ("in Belarus", "in the capital").
    fn is_locative(&self, s: &Sentence, t: usize) -> bool {
        let mut j = t;
        while j > s.first && matches!(s.lower[j - 1], "the" | "a" | "an") {
            j -= 1;
        }
        j > s.first && self.grammar.is("place-only", s.lower[j - 1])
    }

    /// "were deployed", "was reportedly arrested": a passive auxiliary before a
    /// past participle.
    fn is_passive(&self, s: &Sentence, v0: usize) -> bool {
        let w = &s.lower[v0];
        let participle = w.ends_with("ed") || w.ends_with("en") || self.grammar.is("participle", w);
        if !participle {
            return false;
        }
        let mut j = v0;
        while j > s.first && s.lower[j - 1].ends_with("ly") {
            j -= 1;
        }
        j > s.first && self.grammar.is("passive", s.lower[j - 1])
    }

    /// The dated time expression nearest `at` in the sentence (a clause boundary in
    /// between counts as six words), else the sentence's reference time, else the
    /// document date.
    fn date(&self, doc: &Document, s: &Sentence, at: (usize, usize)) -> Option<String> {
        let token_of = |byte: usize| s.tokens.partition_point(|t| t.span.start < byte);
        let s_start = s.tokens.get(s.first).map_or(0, |t| t.span.start);
        let s_end = s
            .tokens
            .get(s.end.saturating_sub(1))
            .map_or(0, |t| t.span.end);
        let own = doc.timexes.as_ref().and_then(|ts| {
            ts.iter()
                .filter(|t| {
                    t.span.start >= s_start && t.span.end <= s_end && t.kind == TimexType::Date
                })
                .filter_map(|t| {
                    let v = t
                        .value
                        .as_ref()
                        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))?;
                    let (a, b) = (token_of(t.span.start), token_of(t.span.end));
                    let between = if b <= at.0 {
                        b..at.0
                    } else {
                        at.1..a.max(at.1)
                    };
                    let boundaries = between
                        .clone()
                        .filter(|&j| self.grammar.is("clause", s.lower[j]))
                        .count();
                    Some((between.len() + 6 * boundaries, v.clone()))
                })
                .min_by_key(|(d, _)| *d)
                .map(|(_, v)| v)
        });
        own.or_else(|| {
            doc.sentence_times
                .as_ref()
                .and_then(|st| st.get(s.index).cloned().flatten())
        })
        .or_else(|| doc.meta.date.clone())
    }

    /// Push one event per (source, target) pair.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        doc: &Document,
        s: &Sentence,
        predicate: Span,
        p: &Predicate,
        sources: &[Option<usize>],
        targets: &[Option<usize>],
        reported_by: Option<usize>,
        events: &mut Vec<Event>,
    ) {
        let Some(entry) = self.codes.get(&p.code) else {
            return;
        };
        let date = self.date(doc, s, (p.v0, p.v1));
        let place = self.place(doc, s, p.v1);
        let actor = |k: usize| EventActor {
            span: s.entities[k].span,
            entity: Some(s.entities[k].refers_to.unwrap_or(k)),
            actor: s.entities[k].actor.clone(),
        };
        let code_of =
            |k: Option<usize>| k.and_then(|k| s.entities[k].actor.as_ref().map(|a| a.code.clone()));
        let sources = speakers_intent(s.entities, &entry.root, sources, reported_by);
        for &src in sources.iter() {
            for &tgt in targets {
                if src.is_some() && src == tgt {
                    continue;
                }
                // An actor does not act on itself ("Russia and Belarus held talks").
                let same = |a: usize, b: usize| {
                    a == b || (code_of(Some(a)).is_some() && code_of(Some(a)) == code_of(Some(b)))
                };
                let tgt = tgt.filter(|&t| src.is_none_or(|s| !same(s, t)));
                let person =
                    |k: Option<usize>| k.is_some_and(|k| s.entities[k].kind == EntityType::Person);
                if code_of(src).is_none()
                    && code_of(tgt).is_none()
                    && (src.is_none() || tgt.is_none())
                    && !person(src)
                    && !person(tgt)
                {
                    continue;
                }
                let mut rules = p.rules.clone();
                rules.push(entry.rule.clone());
                events.push(Event {
                    sentence: s.index,
                    predicate,
                    cameo: entry.code.clone(),
                    root: entry.root.clone(),
                    label: entry.label.clone(),
                    plover: entry
                        .plover_type
                        .clone()
                        .map(|t| (t, entry.plover_mode.clone())),
                    goldstein: entry.goldstein,
                    quad_class: entry.quad_class,
                    source: src.map(actor),
                    target: tgt.map(actor),
                    date: date.clone(),
                    place,
                    reported_by,
                    rules,
                });
            }
        }
    }

    /// A resolved place after the predicate, introduced by a locative word.
    fn place(&self, doc: &Document, s: &Sentence, v1: usize) -> Option<usize> {
        let token_of = |byte: usize| s.tokens.partition_point(|t| t.span.start < byte);
        doc.places.as_ref()?.iter().position(|pl| {
            let t = token_of(pl.span.start);
            t >= v1
                && t < s.end
                && t < v1 + TARGET_REACH
                && pl.geonames_id.is_some()
                && t > s.first
                && self.grammar.is("locative", s.lower[t - 1])
        })
    }

    /// Why a verbal act of `code` (its verb written `verb`) is a standing position ("has
    /// repeatedly said"), not an event of one day: a habitual word in `window`, the
    /// words before the verb. Not after a word of `habitual-compared` ("As always, they
    /// accused him …" compares this act with earlier ones; it is still one act).
    fn standing_position(
        &self,
        s: &Sentence,
        mut window: std::ops::Range<usize>,
        code: &str,
        verb: &str,
    ) -> Option<String> {
        let g = self.grammar;
        if !code.get(..2).is_some_and(|root| g.is("verbal-root", root)) {
            return None;
        }
        let j = window.find(|&j| {
            g.is("habitual", s.lower[j])
                && !(j > s.first && g.is("habitual-compared", s.lower[j - 1]))
        })?;
        Some(format!(
            "a standing position, not one event: \"{} … {verb}\"",
            s.tokens[j].span.slice(s.text)
        ))
    }

    /// Statements of the quote layer whose cue lies in this sentence.
    fn statements(
        &self,
        doc: &Document,
        s: &Sentence,
        matched: &[Span],
        events: &mut Vec<Event>,
        reason: &mut Vec<String>,
    ) {
        let Some(quotes) = &doc.quotes else {
            return;
        };
        let s_start = s.tokens.get(s.first).map_or(0, |t| t.span.start);
        let s_end = s
            .tokens
            .get(s.end.saturating_sub(1))
            .map_or(0, |t| t.span.end);
        let token_of = |byte: usize| s.tokens.partition_point(|t| t.span.start < byte);
        for q in quotes {
            let Some(cue) = q.cue.filter(|c| c.start >= s_start && c.end <= s_end) else {
                continue;
            };
            // The dictionary already decided about this cue ("accused", "warned").
            if matched
                .iter()
                .any(|m| m.start < cue.end && cue.start < m.end)
            {
                continue;
            }
            let Some(class) = q.cue_class.as_deref() else {
                continue;
            };
            let Some((mut code, map_rule)) = self.grammar.code("statement-code", class) else {
                continue;
            };
            // The speaker's entity, or the participant named inside the speaker's words
            // ("Chadian rebels" → "Chadian").
            let Some(speaker) = q
                .speaker
                .as_ref()
                .and_then(|sp| {
                    sp.entity.or_else(|| {
                        s.actors.iter().rev().map(|x| x.0).find(|&k| {
                            sp.span.start <= s.entities[k].span.start
                                && s.entities[k].span.end <= sp.span.end
                        })
                    })
                })
                .filter(|&k| is_participant(&s.entities[k]))
            else {
                reason.push(format!(
                    "statement by no named speaker: \"{}\"",
                    cue.slice(s.text)
                ));
                continue;
            };
            let at = (token_of(cue.start), token_of(cue.end));
            let before_cue = at.0.saturating_sub(3).max(s.first)..at.0;
            if let Some(why) = self.standing_position(s, before_cue, code, cue.slice(s.text)) {
                reason.push(why);
                continue;
            }
            let mut rules = vec![q.rule.clone(), map_rule.clone()];
            // CAMEO statements are dyadic: what the content says about another actor
            // (a ministry on its neighbour) is the target.
            let (a, b) = (token_of(q.span.start), token_of(q.span.end));
            let own = s.entities[speaker]
                .actor
                .as_ref()
                .and_then(|x| x.country.clone());
            let mut target = s
                .actors
                .iter()
                .filter(|x| x.1 >= a && x.2 <= b)
                .map(|x| x.0)
                .find(|&k| s.entities[k].actor.as_ref().and_then(|x| x.country.clone()) != own);
            if code == "010" {
                let inside = |e: &Event| {
                    e.sentence == s.index
                        && q.span.start <= e.predicate.start
                        && e.predicate.end <= q.span.end
                };
                let find = |class: &str| (a..b).find(|&j| self.grammar.is(class, s.lower[j]));
                let word_rule =
                    |class: &str, j: usize| self.grammar.rule(class, s.lower[j]).cloned();
                if let Some(j) = find("refutation") {
                    // "reports that the army shelled the town were lies": a
                    // denial, and what it denies did not happen.
                    events.retain(|e| !inside(e));
                    if let Some((c, r)) = self.grammar.code("statement-code", "deny") {
                        code = c;
                        rules = vec![q.rule.clone(), r.clone()];
                        rules.extend(word_rule("refutation", j));
                    }
                } else if let Some(j) = find("obligation") {
                    // "said Chile must return the vessel": a demand on Chile; what the
                    // content reports stays coded, marked with the speaker.
                    if let Some((c, r)) = self.grammar.code("obligation-code", "obligation") {
                        code = c;
                        rules.extend(word_rule("obligation", j));
                        rules.push(r.clone());
                        let obliged: Vec<usize> = (0..s.actors.len())
                            .filter(|&x| s.actors[x].1 >= a && s.actors[x].2 <= j)
                            .collect();
                        target = self
                            .heads(s, &obliged)
                            .first()
                            .map(|&x| s.actors[x].0)
                            .or(target);
                    }
                } else if events.iter().any(inside) {
                    // What it reports is coded, marked with the speaker.
                    continue;
                } else if let Some(j) = find("negation") {
                    // "did not see any activity": the statement is the only event there is.
                    rules.extend(word_rule("negation", j));
                } else {
                    reason.push(format!(
                        "commentary: no coded act in what was \"{}\"",
                        cue.slice(s.text)
                    ));
                    continue;
                }
                if code == "010" && target.is_none() {
                    reason.push(format!(
                        "statement about no other actor: \"{}\"",
                        cue.slice(s.text)
                    ));
                    continue;
                }
            }
            let Some(entry) = self.codes.get(code) else {
                continue;
            };
            rules.push(entry.rule.clone());
            let actor = |k: usize| EventActor {
                span: s.entities[k].span,
                entity: Some(s.entities[k].refers_to.unwrap_or(k)),
                actor: s.entities[k].actor.clone(),
            };
            events.push(Event {
                sentence: s.index,
                predicate: cue,
                cameo: entry.code.clone(),
                root: entry.root.clone(),
                label: entry.label.clone(),
                plover: entry
                    .plover_type
                    .clone()
                    .map(|t| (t, entry.plover_mode.clone())),
                goldstein: entry.goldstein,
                quad_class: entry.quad_class,
                source: Some(actor(speaker)),
                target: target.map(actor),
                date: self.date(doc, s, at),
                place: None,
                reported_by: None,
                rules,
            });
        }
    }
}

/// The entity layer with a country code for each town or region it left uncoded that
/// the places layer resolved inside a country ("Kirkuk" → IRQ), as CAMEO codes a city
/// by its country; `None` when there is none to add.
fn with_place_countries(doc: &Document) -> Option<Vec<Entity>> {
    let (entities, places) = (doc.entities.as_ref()?, doc.places.as_ref()?);
    let country_of = |e: &Entity| {
        places.iter().find_map(|p| {
            (p.span == e.span && p.geonames_id.is_some())
                .then(|| p.country.clone())
                .flatten()
                .map(|c| (c, p.geonames_id.unwrap_or_default()))
        })
    };
    let needs = |e: &Entity| e.actor.is_none() && e.kind == EntityType::Gpe;
    if !entities.iter().any(|e| needs(e) && country_of(e).is_some()) {
        return None;
    }
    Some(
        entities
            .iter()
            .map(|e| {
                let mut e = e.clone();
                if needs(&e) {
                    if let Some((country, id)) = country_of(&e) {
                        e.actor = Some(Actor {
                            code: country.clone(),
                            country: Some(country),
                            sector: None,
                            rules: vec![Rule::new(format!("geonames:{id}"), 0)],
                        });
                    }
                }
                e
            })
            .collect(),
    )
}

/// Whether a mention can take part in an event: a coded actor, or a named person,
/// organisation, country or group the knowledge base does not hold (its code is then
/// left empty rather than the event lost). Places, things and unresolved pronouns
/// cannot.
fn is_participant(e: &Entity) -> bool {
    e.actor.is_some()
        || matches!(
            e.kind,
            EntityType::Person | EntityType::Org | EntityType::Gpe | EntityType::Norp
        )
}

/// Whether two events are the same act: code, actors' codes and date.
fn same_event(a: &Event, b: &Event) -> bool {
    let code = |x: &Option<EventActor>| {
        x.as_ref().map(|x| {
            x.actor
                .as_ref()
                .map_or_else(|| format!("#{:?}", x.entity), |a| a.code.clone())
        })
    };
    a.cameo == b.cameo
        && code(&a.source) == code(&b.source)
        && code(&a.target) == code(&b.target)
        && a.date == b.date
}

/// An intent told in someone's words is the speaker's own: "Ada Quill said she and
/// Bo Renn would discuss the border" is Quill's intent to meet Renn (036), not Renn's to
/// meet Quill — Renn expressed nothing. So when the sources of an intent code (root
/// 03) include the speaker, the other sources are dropped; without the speaker among
/// them the sources stay as they are (the speaker reports others' stated plans).
fn speakers_intent<'a>(
    entities: &[Entity],
    root: &str,
    sources: &'a [Option<usize>],
    speaker: Option<usize>,
) -> std::borrow::Cow<'a, [Option<usize>]> {
    let chain = |k: usize| entities.get(k).and_then(|e| e.refers_to).unwrap_or(k);
    let (Some(speaker), true) = (speaker, root == "03" && sources.len() > 1) else {
        return sources.into();
    };
    let theirs: Vec<Option<usize>> = sources
        .iter()
        .copied()
        .filter(|k| k.is_some_and(|k| chain(k) == chain(speaker)))
        .collect();
    if theirs.is_empty() {
        sources.into()
    } else {
        theirs.into()
    }
}
