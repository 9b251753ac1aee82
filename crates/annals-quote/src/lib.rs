//! The quote stage: who said what.
//!
//! Reads the sentence, token and (when present) entity layers; writes `quotes`.
//! Knowledge is the cue list (`data/quotes/cues.txt`, [`cues`]) and the word classes
//! around a cue (`data/quotes/words.txt`, [`words`]: when a cue word is a noun, what
//! frames an attribution or opens an adjunct, what cannot open a speaker); this crate
//! holds the constructions:
//!
//! * quotation marks, straight or curly, nested, running over sentences and over
//!   paragraphs (a paragraph opening with a quote mark while the last one is open
//!   continues it);
//! * `SPEAKER CUE (that) CONTENT` — "Peskov told Russian news agencies that …";
//! * `CONTENT, SPEAKER CUE.` and `CONTENT, CUE SPEAKER.` — "…," Lukashenko said.;
//! * `according to SPEAKER, CONTENT` and `CONTENT, according to SPEAKER`;
//! * `X quoted SPEAKER as saying CONTENT` — the speaker is the one quoted;
//! * `"…," said Rep. X (D-Wis.)`, `"…" ― Name`, transcript lines `WALLACE: …`;
//! * relative pronouns speak for their antecedent ("an architect who said"), and a
//!   cue with no phrase before it (a participle, a coordinated verb) for the
//!   sentence's subject;
//! * a quotation with no cue of its own is its sentence's subject's words, else
//!   continues the speaker of the quote before it (in its paragraph, else the
//!   previous one); “A,” she said, “B.” is one quote interrupted by its cue.
//!
//! A speaker span is linked to the entity it names (the first mention of its chain,
//! through the entity layer's coreference: "he said" → Lukashenko) and its code.
//! Without the entity layer the spans alone are written.

pub mod cues;
pub mod words;

use annals_doc::{Document, EntityType, Quote, QuoteKind, Rule, Span, Speaker};
use cues::{Cue, Cues};
use words::Words;

/// The quote stage.
pub struct QuoteStage {
    cues: &'static Cues,
    words: &'static Words,
}

/// Title words that extend a named speaker to the left ("Kremlin spokesman Dmitry Peskov").
const TITLE_WORDS: [&str; 24] = [
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "president",
    "official",
    "officials",
    "commander",
    "general",
    "leader",
    "chief",
    "secretary",
    "ambassador",
    "envoy",
    "adviser",
    "advisor",
    "aide",
    "director",
    "analyst",
    "senator",
    "governor",
    "mayor",
    "chairman",
    "'s",
];

/// Words that end a speaker phrase going left.
const STOP: [&str; 16] = [
    "that", "which", "who", "and", "but", "or", "because", "while", "when", "if", "as", "than",
    "so", "to", "of", "in",
];

/// A negation: words.txt `negation`, or a contracted "n't" ("didn't").
fn is_negation(words: &Words, w: &str) -> bool {
    words.is("negation", w) || w.ends_with("n't") || w.ends_with("n\u{2019}t")
}

fn is_quote_open(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}

fn is_quote_close(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Quotation-mark spans of one paragraph (`[start, end)` with the marks), and
/// whether a quote is still open at its end.
fn quote_segments(text: &str, para: Span, carried: bool) -> (Vec<Span>, bool) {
    let s = para.slice(text);
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut depth_curly = 0usize;
    let first = s.chars().next();
    // A paragraph that opens with a quote mark while the last one was open continues it.
    if carried && !first.is_some_and(|c| c == '"' || is_quote_open(c)) {
        open = Some(para.start);
    }
    // Marks as (offset, mark, bytes); typewriter forms read as what they stand for:
    // `` opens like “, and '' is a straight double quote.
    let mut chars: Vec<(usize, char, usize)> = Vec::with_capacity(s.len());
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|&(_, n)| n);
        match (c, next) {
            ('`', Some('`')) => {
                it.next();
                chars.push((i, '“', 2));
            }
            ('\'', Some('\'')) => {
                it.next();
                chars.push((i, '"', 2));
            }
            _ => chars.push((i, c, c.len_utf8())),
        }
    }
    for (k, &(i, c, width)) in chars.iter().enumerate() {
        let at = para.start + i;
        let prev = k.checked_sub(1).map(|j| chars[j].1);
        let next = chars.get(k + 1).map(|n| n.1);
        // An opening mark where a quote can only close (after a word, before a
        // space or the paragraph's end, with a quote open): a typo for ”.
        let closes_as_typo = is_quote_open(c)
            && open.is_some()
            && depth_curly == 0
            && prev.is_some_and(|p| !p.is_whitespace())
            && next.is_none_or(|n| n.is_whitespace() || matches!(n, ',' | ';' | ':'));
        if closes_as_typo {
            if let Some(o) = open.take() {
                out.push(Span::new(o, at + width));
            }
        } else if is_quote_open(c) {
            if open.is_none() {
                open = Some(at);
            } else {
                depth_curly += 1; // nested
            }
        } else if is_quote_close(c)
            && open.is_none()
            && k.checked_sub(1).is_none_or(|j| chars[j].1.is_whitespace())
        {
            // A closing mark where a quote can only open: a typo for “.
            open = Some(at);
        } else if is_quote_close(c) {
            if depth_curly > 0 {
                depth_curly -= 1;
            } else if let Some(o) = open.take() {
                out.push(Span::new(o, at + width));
            }
        } else if c == '"' {
            let opening = prev.is_none_or(|p| {
                p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | '-' | ':')
            });
            match open {
                Some(o) if !opening || depth_curly == 0 && at > o => {
                    if !opening {
                        out.push(Span::new(o, at + width));
                        open = None;
                    } else {
                        // A straight quote opening inside an open one: nested.
                        depth_curly += 1;
                    }
                }
                Some(_) => {}
                None => open = Some(at),
            }
        }
    }
    match open {
        Some(o) => {
            out.push(Span::new(o, para.end));
            (out, true)
        }
        None => (out, false),
    }
}

impl QuoteStage {
    /// The stage over the shipped cue list.
    pub fn new() -> Result<QuoteStage, String> {
        Ok(QuoteStage {
            cues: Cues::builtin()?,
            words: Words::builtin()?,
        })
    }

    /// Annotate `doc` (which must be segmented): the quote layer.
    pub fn annotate(&self, doc: &mut Document) {
        let (Some(paragraphs), Some(sentences), Some(tokens)) =
            (&doc.paragraphs, &doc.sentences, &doc.tokens)
        else {
            return;
        };
        let text = &doc.text;
        let lowered = doc.lowered();
        let lower: Vec<&str> = lowered.words();
        let ctx = Ctx {
            doc,
            lower: &lower,
            words: self.words,
        };
        let mut quotes: Vec<Quote> = Vec::new();
        let mut carried = false;
        let mut last_speaker: Option<Speaker> = None;
        let mut t = 0;
        for (pi, p) in paragraphs.iter().enumerate() {
            let (segments, still_open) = quote_segments(text, p.span, carried);
            carried = still_open;
            let mut para_quotes: Vec<Quote> = Vec::new();
            let mut pending: Option<Speaker> = None;
            // Sentences that named a speaker and a cue but no words: (start, speaker).
            let mut speaker_only: Vec<(usize, Speaker)> = Vec::new();
            if let Some(q) = self.transcript_line(&ctx, p.span) {
                last_speaker = q.speaker.clone();
                quotes.push(q);
                continue;
            }
            for s in sentences.iter().filter(|s| s.paragraph == pi) {
                while t < tokens.len() && tokens[t].span.start < s.span.start {
                    t += 1;
                }
                let first = t;
                let mut end = t;
                while end < tokens.len() && tokens[end].span.end <= s.span.end {
                    end += 1;
                }
                // One attribution per clause. Speech reported inside reported speech
                // ("X said that Y claimed …") measured as more noise than signal on
                // PolNeAR (content F1 0.689 → 0.665), so it is not split out; a
                // coordinated clause with its own named speaker ("…, but Y said …") is.
                match self.attribution(&ctx, first, end, &segments) {
                    Some(Found::Quote(mut q)) => {
                        if let Some(k) = ctx.coordinated_speaker(first, end, q.cue) {
                            if let Some(Found::Quote(second)) =
                                self.attribution(&ctx, k, end, &segments)
                            {
                                if second.cue != q.cue
                                    && second
                                        .speaker
                                        .as_ref()
                                        .is_some_and(|sp| ctx.names_someone(sp.span))
                                {
                                    // The first quote ends before the coordinator.
                                    let cut = ctx.tokens()[k - 1].span.start;
                                    if q.span.start < cut && cut < q.span.end {
                                        let head = ctx.doc.text[q.span.start..cut]
                                            .trim_end()
                                            .trim_end_matches([',', ';'])
                                            .trim_end();
                                        q.span.end = q.span.start + head.len();
                                    }
                                    para_quotes.push(q);
                                    para_quotes.push(second);
                                    continue;
                                }
                            }
                        }
                        para_quotes.push(q);
                    }
                    Some(Found::Speaker(sp)) => {
                        speaker_only.push((s.span.start, sp.clone()));
                        pending = Some(sp);
                    }
                    None => {}
                }
            }
            // Quotation marks no attribution covered: direct quotes, said by the
            // speaker of the quote that ends in the same sentence, else by the one
            // before (continuation).
            for seg in &segments {
                if para_quotes
                    .iter()
                    .any(|q| q.span.start < seg.end && seg.start < q.span.end)
                {
                    continue;
                }
                // Even a single quoted word ("called it “unhinged”") is someone's
                // word; only empty marks are skipped. (Requiring three words lost
                // 5 points of direct-quote recall on PolNeAR for 2 of precision.)
                if seg.slice(text).split_whitespace().next().is_none() {
                    continue;
                }
                // “A,” the president said, “B.” — one quote interrupted by its cue.
                let sentence_of = |at: usize| {
                    sentences
                        .iter()
                        .position(|s| s.span.start <= at && at < s.span.end)
                };
                if let Some(q) = para_quotes
                    .iter_mut()
                    .rev()
                    .find(|q| q.span.end <= seg.start)
                {
                    let gap = &text[q.span.end..seg.start];
                    // A comma inside the closing mark ("“A,” he said. “B.”") says the
                    // speech goes on past the cue.
                    let comma_close = q
                        .span
                        .slice(text)
                        .trim_end_matches(['"', '”', '\''])
                        .ends_with(',');
                    let interrupted = q.kind == QuoteKind::Direct
                        && q.cue
                            .is_some_and(|c| c.start >= q.span.end && c.end <= seg.start)
                        && (sentence_of(q.span.start) == sentence_of(seg.start) || comma_close)
                        && gap.split_whitespace().count() <= 8;
                    if interrupted {
                        q.span.end = seg.end;
                        continue;
                    }
                }
                let dashed = dash_speaker(&ctx, *seg);
                // "“…?” Quill said, looking out …": the sentence right after the
                // quotation names its speaker.
                let after = speaker_only
                    .iter()
                    .find(|(start, _)| *start >= seg.end && text[seg.end..*start].trim().is_empty())
                    .map(|(_, sp)| sp.clone());
                let subject = subject_before(&ctx, *seg, &segments);
                let speaker = dashed
                    .or(after)
                    .or(subject)
                    .or_else(|| pending.clone())
                    .or_else(|| {
                        para_quotes
                            .iter()
                            .rev()
                            .find(|q| q.span.end <= seg.start)
                            .and_then(|q| q.speaker.clone())
                    })
                    .or_else(|| last_speaker.clone());
                para_quotes.push(Quote {
                    span: *seg,
                    kind: QuoteKind::Direct,
                    cue: None,
                    cue_class: None,
                    speaker,
                    rule: Rule::new("continuation", 0),
                });
            }
            para_quotes.sort_by_key(|q| q.span.start);
            if let Some(sp) = para_quotes.iter().rev().find_map(|q| q.speaker.clone()) {
                last_speaker = Some(sp);
            }
            // "He said:" closing a paragraph introduces the next one.
            if let Some(sp) = pending {
                last_speaker = Some(sp);
            }
            quotes.extend(para_quotes);
        }
        doc.quotes = Some(quotes);
    }

    /// The attribution of sentence tokens `[first, end)`, if it has a cue.
    fn attribution(&self, ctx: &Ctx, first: usize, end: usize, segments: &[Span]) -> Option<Found> {
        let tokens = ctx.doc.tokens.as_ref()?;
        let inside_quote = |i: usize| {
            segments
                .iter()
                .any(|s| tokens[i].span.start >= s.start && tokens[i].span.end <= s.end)
        };
        // The first cue outside quotation marks that reports speech: not a passive
        // ("the visit was announced"), not a participle opening the sentence
        // ("Adding to the mood, …").
        let candidates: Vec<(usize, &Cue)> = (first..end)
            .filter(|&i| !inside_quote(i))
            .filter_map(|i| self.cues.at(&ctx.lower[..end], i).map(|c| (i, c)))
            .filter(|&(i, c)| {
                // A form of "be" among the words before the cue ("was first
                // reported", "has been widely criticized"); "is saying" is active.
                // The auxiliaries and adverbs right before the cue start at `b0`.
                let b0 = ctx.between_start(first, i);
                let passive = c.words.len() == 1
                    && !c.words[0].ends_with("ing")
                    && (b0..i).any(|j| ctx.words.is("passive-be", ctx.lower[j]));
                // A noun, not a verb: "her plans", "its reports" (words.txt noun-after);
                // a plural after a number, a quantifier or a modifier: "member states",
                // "18 states", "late-night calls" (plural-noun-after).
                let prev = (i > first).then(|| ctx.lower[i - 1]);
                // Through adverbs too: "a hastily called meeting".
                let before_adverbs = (b0 > first && b0 < i).then(|| ctx.lower[b0 - 1]);
                let single = c.words.len() == 1;
                let noun = single
                    && prev
                        .into_iter()
                        .chain(before_adverbs)
                        .any(|p| ctx.words.is("noun-after", p));
                // A plural after a verb is its object ("dropped charges",
                // "reviewed reports"); after a nationality, a noun it modifies
                // ("Belgian claims").
                let after_verb = prev.is_some_and(|p| p.ends_with("ed") || p.ends_with("ing"));
                let after_nationality = i > first
                    && matches!(
                        ctx.entity_kind_at(i - 1),
                        Some(EntityType::Norp | EntityType::Misc)
                    );
                let plural_noun = single
                    && c.words[0].ends_with('s')
                    && !c.words[0].ends_with("ss")
                    && (after_verb
                        || after_nationality
                        || prev.is_some_and(|p| {
                            p.chars().any(|ch| ch.is_ascii_digit())
                                || p.contains('-')
                                || ctx.words.is("plural-noun-after", p)
                        }));
                // "Adding to the mood, …", "Asked about the vote, Marr said …": a
                // participle opening the sentence frames the attribution that follows.
                let opening_participle = i == first
                    && single
                    && (c.words[0].ends_with("ing") || ctx.words.is("framing", &c.words[0]));
                // "the United States": a capitalised word inside a sentence is a name.
                let capitalised = i > first
                    && tokens[i]
                        .span
                        .slice(&ctx.doc.text)
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase);
                !passive && !opening_participle && !capitalised && !noun && !plural_noun
            })
            .collect();
        let word = |i: usize| ctx.lower[i];
        let is_punct = |i: usize| ctx.lower[i].chars().all(|c| !c.is_alphanumeric());
        // The sentence's last content token (before the final punctuation).
        let mut last = end;
        while last > first && is_punct(last - 1) && !is_close_mark(word(last - 1)) {
            last -= 1;
        }
        // A cue closing the sentence ("…, the source added.") governs it, even when
        // an earlier cue sits inside the content; otherwise the first cue does.
        let closing = candidates.iter().copied().rev().find(|&(i, c)| {
            let c1 = i + c.words.len();
            let after_speaker = ctx.left_np(first, i).is_some_and(|(ls, _)| {
                ls > first && (word(ls - 1) == "," || is_close_mark(word(ls - 1)))
            });
            after_speaker && ctx.tail_is_adjunct(c1, last)
        });
        let (c0, cue) = closing.or(candidates.first().copied())?;
        let c1 = c0 + cue.words.len();
        let cue_span = Span::new(tokens[c0].span.start, tokens[c1 - 1].span.end);
        let (speaker, content) = if cue.words == ["according", "to"] {
            let sp_end = (c1..last).find(|&i| word(i) == ",").unwrap_or(last);
            let speaker = ctx.span(c1, sp_end);
            let content = if c0 <= first + 1 {
                ctx.span(sp_end + 1, last)
            } else {
                let mut e = c0;
                while e > first && word(e - 1) == "," {
                    e -= 1;
                }
                ctx.span(first, e)
            };
            (speaker, content)
        } else if word(c0) == "quoted" && (c1..(c1 + 6).min(last)).any(|i| word(i) == "as") {
            // "agencies quoted Peskov as saying …": the one quoted speaks.
            let as_at = (c1..last).find(|&i| word(i) == "as")?;
            let mut content_start = as_at + 1;
            if content_start < last
                && matches!(word(content_start), "saying" | "telling" | "stating")
            {
                content_start += 1;
            }
            (ctx.span(c1, as_at), ctx.span(content_start, last))
        } else if let Some(found) = quote_first(ctx, tokens, segments, first, c0, c1, last) {
            found
        } else {
            // Cue-final: "…," Lukashenko said.  /  "…," said Lukashenko.
            let left = ctx.left_np(first, c0);
            let right_np_end = ctx.right_np(c1, last);
            let comma_before =
                |i: usize| i > first && (word(i - 1) == "," || is_close_mark(word(i - 1)));
            // Right after a closing quotation mark the quote is the content,
            // whatever follows the cue ("…," Warren told Stumpf, after …).
            let after_quote = |i: usize| {
                (i > first && is_close_mark(word(i - 1)))
                    || (i > first + 1 && word(i - 1) == "," && is_close_mark(word(i - 2)))
            };
            // After a quotation the speaker and cue end the attribution when the
            // quotation opens the sentence ("“…,” Reyes said Friday as …") or
            // nothing but circumstance follows the cue ("Vey “took the deal,” Quill
            // said, and …"); not in "In an interview on BBC's “Newsnight,” Reyes
            // said the cuts …", where the speech follows the cue.
            let quote_opens = |ls: usize| {
                let opening = tokens[first].span.start + 1;
                let before_speaker = tokens[ls - 1].span.start;
                segments
                    .iter()
                    .any(|s| s.start <= opening && s.end > before_speaker)
            };
            let circumstance_follows = ctx.circumstance_at(c1, last);
            if let Some((ls, _)) = left.filter(|&(ls, _)| {
                comma_before(ls)
                    && (ctx.tail_is_adjunct(c1, last)
                        || (after_quote(ls) && (quote_opens(ls) || circumstance_follows)))
            }) {
                let mut e = ls;
                while e > first && word(e - 1) == "," {
                    e -= 1;
                }
                (left.and_then(|(a, b)| ctx.span(a, b)), ctx.span(first, e))
            } else if right_np_end.is_some()
                // Not when the subject before the cue is a speaker with an
                // apposition ("Kiprono, a retired officer who …, said the protest …").
                && left.is_none_or(|(_, b)| b + 1 >= c0)
                && (after_quote(c0)
                    || (comma_before(c0)
                        && right_np_end.is_some_and(|e| e == last || matches!(word(e), "," | "("))))
            {
                let right_end = right_np_end.unwrap_or(last);
                let mut e = c0;
                while e > first && word(e - 1) == "," {
                    e -= 1;
                }
                (ctx.span(c1, right_end), ctx.span(first, e))
            } else {
                // Forward: SPEAKER CUE (recipient) (that) CONTENT.
                let mut cs = c1;
                if matches!(word(c0), "told" | "tells" | "tell") {
                    // Skip the recipient: up to "that", else one name or noun phrase.
                    if let Some(th) = (cs..(cs + 8).min(last)).find(|&i| word(i) == "that") {
                        cs = th;
                    } else if let Some(e) = ctx.right_np(cs, last) {
                        cs = e.min(last);
                    }
                }
                // "said on Monday that …": the content starts after "that".
                if let Some(th) = (cs..(cs + 7).min(last))
                    .take_while(|&i| word(i) != "," || i == cs)
                    .find(|&i| word(i) == "that")
                {
                    cs = th;
                }
                if cs < last && word(cs) == "that" {
                    cs += 1;
                }
                // "Quill said, looking out on the crowd." — a participle clause after
                // the cue is not what was said: the words are the quotation before.
                if cs + 1 < last && word(cs) == "," && word(cs + 1).ends_with("ing") {
                    cs = last;
                }
                if cs < last && matches!(word(cs), ":" | ",") {
                    cs += 1;
                }
                // No phrase right before the cue ("… outlined his plan and vowed …"),
                // or a participle after a common noun ("Quill posted a series of
                // messages saying …"): the sentence's subject speaks.
                let participle = word(c0).ends_with("ing");
                let left_span = left.and_then(|(a, b)| ctx.span(a, b));
                let named = left_span.is_some_and(|sp| ctx.names_someone(sp));
                let speaker = if participle && !named {
                    ctx.subject(first, c0).or(left_span)
                } else {
                    left_span.or_else(|| ctx.subject(first, c0))
                };
                (speaker, ctx.span(cs, last))
            }
        };
        let content = content.filter(|c| c.slice(&ctx.doc.text).split_whitespace().count() >= 2);
        let Some(content) = content else {
            return speaker.map(|s| Found::Speaker(ctx.speaker(s)));
        };
        let quoted: Vec<&Span> = segments
            .iter()
            .filter(|s| s.start < content.end && content.start < s.end)
            .collect();
        let kind = match quoted.as_slice() {
            [] => QuoteKind::Indirect,
            [s] if s.start <= content.start + 1 && s.end + 1 >= content.end => QuoteKind::Direct,
            _ => QuoteKind::Mixed,
        };
        // Reported speech needs someone to speak it: a cue whose subject is no phrase
        // at all ("late-night calls", "18 states", "a group called …") was a noun or a
        // participle, not speech. Quoted words are kept whatever their speaker.
        if kind == QuoteKind::Indirect && speaker.is_some_and(|sp| !ctx.could_speak(sp)) {
            return None;
        }
        // A direct quote is the quoted words with their marks.
        let span = match (kind, quoted.as_slice()) {
            (QuoteKind::Direct, [s]) => **s,
            _ => content,
        };
        let quote = Quote {
            span,
            kind,
            cue: Some(cue_span),
            cue_class: Some(cue.class.clone()),
            speaker: speaker.map(|s| ctx.speaker(s)),
            rule: cue_rule(cue),
        };
        Some(Found::Quote(quote))
    }

    /// A transcript line: "WALLACE: …" or "Mr. Ortiz: …" opening a paragraph.
    fn transcript_line(&self, ctx: &Ctx, para: Span) -> Option<Quote> {
        // A transcript quoted whole opens each line with a quotation mark.
        let lead = para.slice(&ctx.doc.text).len()
            - para
                .slice(&ctx.doc.text)
                .trim_start_matches(['"', '“'])
                .len();
        let para = Span::new(para.start + lead, para.end);
        let text = para.slice(&ctx.doc.text);
        let colon = text.find(':')?;
        let label = &text[..colon];
        let words: Vec<&str> = label.split_whitespace().collect();
        let named = !words.is_empty()
            && words.len() <= 4
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        let shouting =
            label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase);
        let rest = text[colon + 1..].trim_start();
        // "The Latest: …" is a header, not a speaker: a label is a name in
        // capitals, or two or more capitalised words without an article.
        let article = words
            .first()
            .is_some_and(|w| matches!(w.to_ascii_lowercase().as_str(), "the" | "a" | "an"));
        if !named
            || !(shouting || (words.len() >= 2 && !article))
            || rest.split_whitespace().count() < 3
        {
            return None;
        }
        let speaker = Span::new(para.start, para.start + label.trim_end().len());
        let start = para.end - rest.len();
        Some(Quote {
            span: Span::new(start, para.end),
            kind: QuoteKind::Direct,
            cue: Some(Span::new(para.start + colon, para.start + colon + 1)),
            cue_class: Some("say".into()),
            speaker: Some(ctx.speaker(speaker)),
            rule: Rule::new("transcript", 0),
        })
    }
}

/// A quotation inside a sentence with no cue ("Quill is promising lower fares and
/// “trains, trains, trains”") is its subject's words: the first person, organisation,
/// title or subject pronoun of the sentence before it (after an opening adjunct),
/// outside quotation marks.
fn subject_before(ctx: &Ctx, seg: Span, segments: &[Span]) -> Option<Speaker> {
    let sentences = ctx.doc.sentences.as_ref()?;
    let s = sentences
        .iter()
        .find(|s| s.span.start <= seg.start && seg.start < s.span.end)?;
    let before = ctx.doc.text[s.span.start..seg.start].trim();
    // A quotation opening its sentence continues the speaker before it.
    if before.split_whitespace().count() < 2 {
        return None;
    }
    // A sentence opening with an adjunct has its subject after the adjunct's comma.
    let (t0, t1) = (ctx.token_of(s.span.start), ctx.token_of(seg.start));
    let from = ctx
        .clause_start(t0, t1, segments)
        .and_then(|k| ctx.tokens().get(k))
        .map_or(s.span.start, |t| t.span.start);
    let es = ctx.doc.entities.as_ref()?;
    let e = es.iter().find(|e| {
        e.span.start >= from
            && e.span.end <= seg.start
            && ctx.could_be_subject(e)
            && !segments
                .iter()
                .any(|q| q.start <= e.span.start && e.span.end <= q.end)
    })?;
    Some(ctx.speaker(e.span))
}

/// "“…” ― Jorge Falcon": a name after a dash right after a quotation.
fn dash_speaker(ctx: &Ctx, seg: Span) -> Option<Speaker> {
    let text = &ctx.doc.text;
    let after = &text[seg.end..];
    let trimmed = after.trim_start_matches([' ', '\u{a0}']);
    let rest = trimmed.strip_prefix(['―', '—', '–'])?;
    let name = rest.trim_start_matches([' ', '\u{a0}']);
    let start = text.len() - name.len();
    let len = name
        .find(['.', ',', '“', '"', '\n', '(', ';'])
        .unwrap_or(name.len());
    let words: Vec<&str> = name[..len].split_whitespace().collect();
    if words.is_empty()
        || words.len() > 6
        || !words[0].chars().next().is_some_and(char::is_uppercase)
    {
        return None;
    }
    let span = Span::new(start, start + name[..len].trim_end().len());
    Some(ctx.speaker(span))
}

fn cue_rule(c: &Cue) -> Rule {
    c.rule.clone()
}

fn is_close_mark(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| matches!(c, '"' | '”' | '’' | '»' | '\''))
}

/// A sentence that opens with a quotation and ends with its attribution, however long
/// the speaker's name and titles ("…," panel Chairman Rep. Jo Marr (R-Utah) said at a
/// hearing; "…," the senator's former campaign strategist said in an interview): the
/// speaker is everything between the closing mark and the cue, the content is the
/// quotation, and what follows the cue is an adjunct (a preposition or a time word),
/// never speech. Returns (speaker, content) spans.
#[allow(clippy::too_many_arguments)]
fn quote_first(
    ctx: &Ctx,
    tokens: &[annals_doc::Token],
    segments: &[Span],
    first: usize,
    c0: usize,
    c1: usize,
    last: usize,
) -> Option<(Option<Span>, Option<Span>)> {
    let word = |i: usize| ctx.lower[i];
    let seg = segments
        .iter()
        .find(|s| s.start <= tokens[first].span.start + 1 && s.end <= tokens[c0].span.start)?;
    // Nothing quoted after the cue: the sentence has one quotation, before it.
    // (`last` is at least the cue's end, so the tail is never empty.)
    let tail = tokens[c0].span.start..tokens[last.max(c1) - 1].span.end;
    if segments.iter().any(|s| tail.contains(&s.start)) {
        return None;
    }
    // After a quotation the speaker is known, so wider adjuncts than a bare cue allows.
    if !ctx.circumstance_at(c1, last) || (c1..last).any(|i| word(i) == "that") {
        return None;
    }
    let q_end = (first..c0).rev().find(|&i| tokens[i].span.end <= seg.end)?;
    let mut a = q_end + 1;
    while a < c0 && word(a) == "," {
        a += 1;
    }
    let mut b = c0;
    while b > a && word(b - 1) == "," {
        b -= 1;
    }
    if a >= b || b - a > 30 {
        return None;
    }
    Some((ctx.span(a, b), ctx.span(first, q_end + 1)))
}

/// What a sentence's cue gave.
enum Found {
    /// A quote with its content.
    Quote(Quote),
    /// A speaker and cue with the words still to come ("He said:"): the next
    /// quotation is theirs.
    Speaker(Speaker),
}

struct Ctx<'a> {
    doc: &'a Document,
    lower: &'a [&'a str],
    words: &'a Words,
}

impl Ctx<'_> {
    fn tokens(&self) -> &[annals_doc::Token] {
        self.doc.tokens.as_deref().unwrap_or(&[])
    }

    /// The text span of tokens `[a, b)`, if not empty.
    fn span(&self, a: usize, b: usize) -> Option<Span> {
        let t = self.tokens();
        (a < b && b <= t.len()).then(|| Span::new(t[a].span.start, t[b - 1].span.end))
    }

    /// The entity mention (index) whose span ends exactly at token `i`'s end.
    fn entity_ending_at(&self, i: usize) -> Option<usize> {
        let end = self.tokens()[i].span.end;
        self.doc
            .entities
            .as_ref()?
            .iter()
            .position(|e| e.span.end == end)
    }

    /// The kind of the entity covering token `i`, if one does.
    fn entity_kind_at(&self, i: usize) -> Option<EntityType> {
        let t = self.tokens()[i].span;
        self.doc
            .entities
            .as_ref()?
            .iter()
            .find(|e| e.span.start <= t.start && t.end <= e.span.end)
            .map(|e| e.kind)
    }

    /// The entity mention starting exactly at token `i`.
    fn entity_starting_at(&self, i: usize) -> Option<usize> {
        let start = self.tokens()[i].span.start;
        self.doc
            .entities
            .as_ref()?
            .iter()
            .position(|e| e.span.start == start)
    }

    /// Whether `w` stands between a speaker and its cue and belongs to neither: an
    /// auxiliary, an adverb or a negation ("has repeatedly said", "is demanding",
    /// "did not say"): words.txt `between` and `negation`, and -ly adverbs.
    fn is_between(&self, w: &str) -> bool {
        self.words.is("between", w)
            || is_negation(self.words, w)
            || (w.ends_with("ly") && w.len() > 4)
    }

    /// The first of the tokens standing between a speaker and the cue at `c0`
    /// (`c0` itself when there are none).
    fn between_start(&self, first: usize, c0: usize) -> usize {
        let mut a = c0;
        while a > first && self.is_between(self.lower[a - 1]) {
            a -= 1;
        }
        a
    }

    /// The first token starting at or after `byte` (0 when none does).
    fn token_of(&self, byte: usize) -> usize {
        let tokens = self.tokens();
        match tokens.partition_point(|t| t.span.start < byte) {
            k if k == tokens.len() => 0,
            k => k,
        }
    }

    /// The speaker phrase ending right before the cue at `c0`, as tokens `[a, b)`.
    fn left_np(&self, first: usize, c0: usize) -> Option<(usize, usize)> {
        let mut b = c0;
        loop {
            while b > first && self.is_between(self.lower[b - 1]) {
                b -= 1;
            }
            // A time adjunct between speaker and cue ("who in 2010 said", "Marr on
            // Monday said") is not the speaker.
            let when = |w: &str| {
                (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit())) || self.words.is("when", w)
            };
            if b >= first + 2 && matches!(self.lower[b - 2], "in" | "on") && when(self.lower[b - 1])
            {
                b -= 2;
                continue;
            }
            break;
        }
        // A relative pronoun is the speaker's mention ("an architect who said"); its
        // antecedent is found when the speaker is linked.
        if b > first && matches!(self.lower[b - 1], "who" | "which") {
            return Some((b - 1, b));
        }
        // A participle after a comma speaks for the clause's subject ("Vey mocked
        // the claim, saying …"): the first person or organisation of the sentence.
        if b == c0 && c0 > first && self.lower[c0 - 1] == "," && self.lower[c0].ends_with("ing") {
            if let Some(e) = self.subject(first, c0) {
                let a = self.token_of(e.start);
                let z = self.tokens().partition_point(|t| t.span.end <= e.end);
                return Some((a, z));
            }
        }
        // A parenthesis after a name: "Rep. Gwen Moore (D-Wis.) said".
        if b > first && self.lower[b - 1] == ")" {
            if let Some(open) = (first..b - 1)
                .rev()
                .take(12)
                .find(|&i| self.lower[i] == "(")
            {
                b = open;
            }
        }
        // An apposition: "Belarus's state news agency, BelTA, said",
        // "Lukashenko, a pariah in the West who …, has said", "Leonard Burman,
        // director of the … Center, said". The speaker is a name before a comma:
        // a person if there is one (the head before its description), else the
        // nearest name.
        if b > first + 1 && self.lower[b - 1] == "," {
            let is_person = |e: usize| {
                self.doc.entities.as_ref().is_some_and(|es| {
                    matches!(es[e].kind, EntityType::Person | EntityType::Pronoun)
                })
            };
            let capitalised = |i: usize| {
                self.tokens()[i]
                    .span
                    .slice(&self.doc.text)
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            };
            // Commas (the one before the cue first), each with the name before it.
            let commas: Vec<usize> = std::iter::once(b - 1)
                .chain(
                    (first + 1..b - 1)
                        .rev()
                        .take(40)
                        .filter(|&p| self.lower[p] == ","),
                )
                .collect();
            let named: Vec<(usize, Option<usize>)> = commas
                .iter()
                .filter(|&&p| p > first)
                .filter_map(|&p| match self.entity_ending_at(p - 1) {
                    Some(e) => Some((p, Some(e))),
                    // Without the entity layer a capitalised word marks a name.
                    None if self.doc.entities.is_none() && p != b - 1 && capitalised(p - 1) => {
                        Some((p, None))
                    }
                    None => None,
                })
                .collect();
            let pick = named
                .iter()
                .rev()
                .find(|(_, e)| e.is_some_and(is_person))
                .or(named.first());
            if let Some(&(p, _)) = pick {
                b = p;
            }
        }
        if b <= first {
            return None;
        }
        let mut a;
        if let Some(e) = self.entity_ending_at(b - 1) {
            let ent = &self.doc.entities.as_ref()?[e];
            a = self.token_of(ent.span.start).max(first);
            // Titles and their country before a name.
            while a > first {
                let w = self.lower[a - 1];
                let raw = self.tokens()[a - 1].span.slice(&self.doc.text);
                let titled = TITLE_WORDS.contains(&w)
                    || raw.chars().next().is_some_and(char::is_uppercase) && !STOP.contains(&w);
                if !titled {
                    break;
                }
                a -= 1;
            }
        } else {
            // A common-noun speaker: "a source", "Western military analysts", with a
            // prepositional phrase inside: "a reporter for USA Today".
            a = b;
            while a > first && b - a < 8 {
                let w = self.lower[a - 1];
                let preposition = matches!(w, "of" | "for" | "in" | "at" | "with" | "from");
                let wordlike = w.chars().any(char::is_alphanumeric);
                if !wordlike || (STOP.contains(&w) && !preposition) {
                    break;
                }
                // A preposition only inside the phrase, with more phrase before it.
                if preposition
                    && (a - 1 == first || !self.lower[a - 2].chars().any(char::is_alphabetic))
                {
                    break;
                }
                a -= 1;
            }
            // Not starting with a preposition, and a short phrase if no determiner
            // opens it (a long run without one is a clause, not a speaker).
            while a < b && matches!(self.lower[a], "of" | "for" | "in" | "at" | "with" | "from") {
                a += 1;
            }
            let determined = matches!(
                self.lower[a],
                "a" | "an"
                    | "the"
                    | "another"
                    | "one"
                    | "two"
                    | "three"
                    | "several"
                    | "many"
                    | "some"
            );
            if !determined && b - a > 4 {
                a = b - 4;
            }
        }
        (a < b).then_some((a, b))
    }

    /// The token after a coordinator (", but", ", while", "; ") that opens a second
    /// clause after the cue `cue`, if one does.
    fn coordinated_speaker(&self, first: usize, end: usize, cue: Option<Span>) -> Option<usize> {
        let cue = cue?;
        let t = self.tokens();
        (first + 1..end.saturating_sub(2))
            .find(|&i| {
                t[i].span.start > cue.end
                    && matches!(
                        self.lower[i],
                        "but" | "while" | "whereas" | "although" | ";"
                    )
                    && (self.lower[i] == ";" || self.lower[i - 1] == ",")
            })
            .map(|i| i + 1)
    }

    /// Whether a speaker span can name someone: not a prepositional phrase, a
    /// number, nor a lone participle, modifier or function word. (Phrases ending in a
    /// verb were measured too: they drop true quotes as often as false ones.)
    fn could_speak(&self, span: Span) -> bool {
        let words: Vec<String> = span
            .slice(&self.doc.text)
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let Some(first) = words.first() else {
            return false;
        };
        let has_entity = self.doc.entities.as_ref().is_some_and(|es| {
            es.iter()
                .any(|e| e.span.start < span.end && span.start < e.span.end)
        });
        if has_entity {
            return true;
        }
        let opens_badly = self.words.is("not-a-speaker-start", first);
        let number = words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()));
        let lone = words.len() == 1
            && (first.ends_with("ing") || first.ends_with("ed") || first.contains('-'));
        !(opens_badly || number || lone)
    }

    /// Whether `span` holds a person, organisation or pronoun mention.
    fn names_someone(&self, span: Span) -> bool {
        self.doc.entities.as_ref().is_some_and(|es| {
            es.iter().any(|e| {
                e.span.start >= span.start
                    && e.span.end <= span.end
                    && matches!(
                        e.kind,
                        EntityType::Person | EntityType::Org | EntityType::Pronoun
                    )
            })
        })
    }

    /// The first person, organisation or pronoun among tokens `[first, end)`: the
    /// subject of a sentence whose cue has no phrase of its own before it.
    fn subject(&self, first: usize, end: usize) -> Option<Span> {
        let es = self.doc.entities.as_ref()?;
        let s0 = self.tokens().get(first)?.span.start;
        let s1 = self.tokens().get(end)?.span.start;
        es.iter()
            .find(|e| e.span.start >= s0 && e.span.end <= s1 && self.could_be_subject(e))
            .map(|e| e.span)
            .or_else(|| self.opening_np(first, end))
    }

    /// The common-noun phrase opening tokens `[first, end)`, after an opening adjunct
    /// ("The opposition leader also presented …", "Two dockers urged …"): up
    /// to the first function word, auxiliary, adverb or past form.
    fn opening_np(&self, first: usize, end: usize) -> Option<Span> {
        let a = self.clause_start(first, end, &[])?;
        let mut b = a;
        while b < end
            && b - a < 6
            && self.lower[b].chars().all(char::is_alphabetic)
            && !STOP.contains(&self.lower[b])
            && !self.is_between(self.lower[b])
            && !(b > a && self.lower[b].ends_with("ed"))
        {
            b += 1;
        }
        // A phrase, not a lone function word ("For", "But").
        (b > a && !self.words.is("not-a-speaker-start", self.lower[a])).then(|| self.span(a, b))?
    }

    /// Whether a mention can be a clause's subject: a person, an organisation, a
    /// title ("the opposition leader"), or a subject pronoun ("he", not "his"
    /// or "him": words.txt `subject-pronoun`).
    fn could_be_subject(&self, e: &annals_doc::Entity) -> bool {
        match e.kind {
            EntityType::Person | EntityType::Org | EntityType::Nominal => true,
            EntityType::Pronoun => self.words.is(
                "subject-pronoun",
                &e.span.slice(&self.doc.text).to_lowercase(),
            ),
            _ => false,
        }
    }

    /// The end (exclusive) of a speaker phrase starting at `i`, if one does.
    fn right_np(&self, i: usize, last: usize) -> Option<usize> {
        if i >= last {
            return None;
        }
        if let Some(e) = self.entity_starting_at(i) {
            let end = self.doc.entities.as_ref()?[e].span.end;
            let mut j = i;
            while j < last && self.tokens()[j].span.end <= end {
                j += 1;
            }
            return Some(j);
        }
        // A name after a few modifiers: "said 2030 candidate Ada Quill".
        let modifier = |j: usize| {
            let w = self.lower[j];
            !STOP.contains(&w)
                && !matches!(w, "," | ";" | ":" | "(" | ")" | "—" | "–")
                && !is_close_mark(w)
        };
        if let Some(k) = (i + 1..last.min(i + 6))
            .take_while(|&k| modifier(k - 1))
            .find(|&k| self.entity_starting_at(k).is_some())
        {
            return self.right_np(k, last);
        }
        let mut j = i;
        while j < last
            && j - i < 5
            && self.lower[j].chars().any(char::is_alphabetic)
            && !STOP.contains(&self.lower[j])
        {
            j += 1;
        }
        (j > i).then_some(j)
    }

    /// Whether tokens `[i, last)` after a cue hold no speech of their own: nothing, or
    /// a short adjunct ("on Monday", "in a statement").
    fn tail_is_adjunct(&self, i: usize, last: usize) -> bool {
        last <= i || (last - i <= 5 && self.words.is("adjunct", self.lower[i]))
    }

    /// Whether what follows a quotation's speaker and cue from token `i` is only
    /// circumstance: nothing, or a phrase opening with an adjunct word ("on Monday",
    /// "before the vote", ", adding …": words.txt `adjunct`, `adjunct-after-quote`).
    fn circumstance_at(&self, i: usize, last: usize) -> bool {
        i >= last
            || self.words.is("adjunct", self.lower[i])
            || self.words.is("adjunct-after-quote", self.lower[i])
    }

    /// Where the clause of tokens `[first, end)` starts: after the comma closing an
    /// opening adjunct ("In his speech on Tuesday, Okafor set out …"; words.txt
    /// `fronted-adjunct`), commas inside `segments` (quotations) not counting; at
    /// `first` when it opens with none; `None` when the adjunct is not closed.
    fn clause_start(&self, first: usize, end: usize, segments: &[Span]) -> Option<usize> {
        let opening = (first..end).find(|&i| self.lower[i].chars().any(char::is_alphanumeric));
        if !opening.is_some_and(|i| self.words.is("fronted-adjunct", self.lower[i])) {
            return Some(first);
        }
        let quoted = |i: usize| {
            let t = self.tokens()[i].span;
            segments
                .iter()
                .any(|q| q.start <= t.start && t.end <= q.end)
        };
        (first..end)
            .find(|&i| self.lower[i] == "," && !quoted(i))
            .map(|i| i + 1)
    }

    /// A speaker for `span`, linked to the entity it names.
    fn speaker(&self, span: Span) -> Speaker {
        let Some(es) = self.doc.entities.as_ref() else {
            return Speaker {
                span,
                entity: None,
                actor: None,
            };
        };
        let inside: Vec<usize> = (0..es.len())
            .filter(|&k| es[k].span.start >= span.start && es[k].span.end <= span.end)
            .collect();
        // Prefer a person or organisation; a pronoun speaks for its referent.
        // Prefer a person or organisation, then a country or city speaking as its
        // government; a pronoun or title speaks for its referent. An adjective
        // ("Western military analysts") names no speaker.
        let pick = inside
            .iter()
            .copied()
            .rev()
            .find(|&k| matches!(es[k].kind, EntityType::Person | EntityType::Org))
            .or_else(|| {
                inside
                    .iter()
                    .copied()
                    .find(|&k| es[k].kind == EntityType::Gpe)
            })
            .or_else(|| {
                inside
                    .iter()
                    .copied()
                    .find(|&k| matches!(es[k].kind, EntityType::Pronoun | EntityType::Nominal))
            });
        // "an architect who said": the relative pronoun speaks for the mention
        // right before it.
        let relative = matches!(
            span.slice(&self.doc.text).to_ascii_lowercase().as_str(),
            "who" | "which"
        );
        let pick = pick.or_else(|| {
            if !relative {
                return None;
            }
            let before = self.doc.text[..span.start]
                .trim_end()
                .trim_end_matches(',')
                .trim_end();
            es.iter().rposition(|e| e.span.end == before.len())
        });
        let entity = pick.map(|k| es[k].refers_to.unwrap_or(k));
        let actor = pick.and_then(|k| es[k].actor.clone());
        Speaker {
            span,
            entity,
            actor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_pair_marks_and_carry_open_quotes() {
        let t = "He said “we will stay” and left. “It goes on";
        let (segs, open) = quote_segments(t, Span::new(0, t.len()), false);
        assert_eq!(segs[0].slice(t), "“we will stay”");
        assert!(open);
        let t2 = "\"Yes,\" she said, \"and no.\"";
        let (segs, open) = quote_segments(t2, Span::new(0, t2.len()), false);
        let got: Vec<&str> = segs.iter().map(|s| s.slice(t2)).collect();
        assert_eq!(got, ["\"Yes,\"", "\"and no.\""]);
        assert!(!open);
    }
}
