//! The tagger's weights, their compact file format, and greedy BIO decoding.
//!
//! Tagging runs two stages. Stage 1 tags each sentence from its own words (and
//! what earlier sentences said of them). Stage 2 tags again, also seeing what
//! stage 1 said of the same word *anywhere* in the document — "Duran" is PER
//! after "Roberto Duran" was, even in a sentence that does not say so.
//!
//! File format (`data/ner/model.bin`, little-endian, version 1):
//! `ANNALSNER` · u32 version · u32 label count · labels (u8 length + bytes) ·
//! u32 lexicon length + lexicon text ([`CapsLexicon::to_text`]) · u32 length + word
//! clusters ([`WordClusters::to_text`]) · u32 stage count · per stage: f32 scale ·
//! u32 feature count · per feature, sorted by id: u32 id, u8 n, n × (u8 label, i16 weight).
//! A weight is `i16 × scale`. Loaded, the stages are laid out side by side in one
//! table (`JointWeights`), which tagging reads.

use crate::clusters::WordClusters;
use crate::features::{
    aggregate_token, history, Aggregate, DocContext, DocHistory, Extractor, Feature,
    SentenceFeatures,
};
use crate::gazetteer::Gazetteer;
use crate::lexicon::CapsLexicon;
use crate::{Mention, NerClass};
use annals_doc::{Document, Span};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const MAGIC: &[u8] = b"ANNALSNER";
const VERSION: u32 = 1;

/// What went wrong reading a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not an Annals NER model, or a damaged one.
    #[error("not an Annals NER model (or a damaged one): {0}")]
    Format(&'static str),
    /// Written by a different version of this crate.
    #[error("model format version {0}, this build reads version {VERSION}: rebuild it with `annals train-ner`")]
    Version(u32),
}

/// Feature ids are already hashes; hashing them again is wasted time.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type FeatureIndex = HashMap<Feature, u32, BuildHasherDefault<IdHasher>>;

/// The position of a token in a mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// Outside any mention.
    O,
    /// First token of a mention.
    B,
    /// A later token of a mention.
    I,
}

/// A BIO label: a tag and, unless it is O, a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// Position in the mention.
    pub tag: Tag,
    /// The class (None for O).
    pub class: Option<NerClass>,
}

impl Label {
    /// All 9 labels: O, then B and I for each class.
    pub fn all() -> Vec<Label> {
        let mut v = vec![Label {
            tag: Tag::O,
            class: None,
        }];
        for c in NerClass::ALL {
            for tag in [Tag::B, Tag::I] {
                v.push(Label {
                    tag,
                    class: Some(c),
                });
            }
        }
        v
    }

    /// "O", "B-PER", …
    pub fn name(self) -> String {
        match self.class {
            None => "O".into(),
            Some(c) => {
                let t = if self.tag == Tag::I { "I" } else { "B" };
                format!("{t}-{}", c.as_str())
            }
        }
    }

    /// Whether `self` may follow `prev` (None = sentence start).
    pub fn may_follow(self, prev: Option<Label>) -> bool {
        match self.tag {
            Tag::I => {
                prev.is_some_and(|p| matches!(p.tag, Tag::B | Tag::I) && p.class == self.class)
            }
            _ => true,
        }
    }
}

/// Number of labels (O, then B- and I- for four classes).
pub(crate) const LABELS: usize = 9;

/// One stage's weights, as trained and as stored: quantised to `i16` (one scale per
/// stage), rows sorted by feature id. Scores are summed as integers; their order is
/// the order of the real scores. Tagging reads them through [`JointWeights`].
pub(crate) struct Weights {
    /// `(feature, row)`, sorted by feature, no row all zero.
    rows: Vec<(Feature, [i16; LABELS])>,
    /// A stored weight is `i16 × scale`.
    scale: f32,
}

impl Weights {
    /// Quantise trained weights (`weights[index[f] * LABELS + label]`), dropping
    /// those smaller than `prune` and rows left all zero.
    pub(crate) fn quantise(index: &FeatureIndex, weights: &[f32], prune: f32) -> Weights {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut rows = Vec::with_capacity(index.len());
        let mut ids: Vec<(Feature, u32)> = index.iter().map(|(&f, &i)| (f, i)).collect();
        ids.sort_unstable();
        for (f, ix) in ids {
            let w = &weights[ix as usize * LABELS..ix as usize * LABELS + LABELS];
            let mut row = [0i16; LABELS];
            for (q, &x) in row.iter_mut().zip(w) {
                if x.abs() >= prune {
                    *q = (x / scale).round() as i16;
                }
            }
            if row.iter().any(|&q| q != 0) {
                rows.push((f, row));
            }
        }
        Weights { rows, scale }
    }
}

/// The stages' weights side by side in one open-addressing table keyed by feature id,
/// each slot holding its key and both rows — one memory access per feature, which is
/// what tagging speed comes down to. A token's own features (some forty per token) are
/// the same in both stages, so one lookup gives both stages' rows and stage 2 reuses
/// the token's sum from stage 1: half the memory accesses of a table per stage. A
/// one-stage model's second rows are zero. Linear probing; a power of two long, at
/// most half full.
pub(crate) struct JointWeights {
    slots: Vec<Slot>,
    mask: usize,
    /// Each stage's scale (and so the number of stages).
    scales: Vec<f32>,
}

/// One table slot: a feature id (`EMPTY` if unused) and its row in each stage.
#[derive(Clone, Copy)]
#[repr(C)]
struct Slot {
    key: Feature,
    rows: [[i16; LABELS]; 2],
}

/// A slot's `key` of 0 marks it empty; feature ids are never 0 ([`crate::features`]).
const EMPTY: Feature = 0;

impl JointWeights {
    /// The table of one or two stages.
    fn new(stages: &[Weights]) -> JointWeights {
        let stages = &stages[..stages.len().min(2)];
        let mut keys: Vec<Feature> = stages
            .iter()
            .flat_map(|s| s.rows.iter().map(|&(f, _)| f))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let size = (keys.len() * 2).next_power_of_two().max(16);
        let mut t = JointWeights {
            slots: vec![
                Slot {
                    key: EMPTY,
                    rows: [[0; LABELS]; 2]
                };
                size
            ],
            mask: size - 1,
            scales: stages.iter().map(|s| s.scale).collect(),
        };
        // Stage by stage, in feature order: the table is the same every run.
        for (k, stage) in stages.iter().enumerate() {
            for &(f, row) in &stage.rows {
                let i = t.probe(f);
                t.slots[i].key = f;
                t.slots[i].rows[k] = row;
            }
        }
        t
    }

    /// The slot holding `f`, or the empty slot where it would go.
    #[inline]
    fn probe(&self, f: Feature) -> usize {
        let mut i = slot(f, self.mask);
        loop {
            let k = self.slots[i].key;
            if k == f || k == EMPTY {
                return i;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Number of stages.
    fn stages(&self) -> usize {
        self.scales.len()
    }

    /// Number of features with weights in stage `k` (the rows [`Self::stage`] gives,
    /// counted without building them).
    fn rows_in(&self, k: usize) -> usize {
        self.slots
            .iter()
            .filter(|s| s.key != EMPTY && s.rows[k] != [0; LABELS])
            .count()
    }

    /// Stage `k` as stored in the model file.
    fn stage(&self, k: usize) -> Weights {
        let mut rows: Vec<(Feature, [i16; LABELS])> = self
            .slots
            .iter()
            .filter(|s| s.key != EMPTY && s.rows[k] != [0; LABELS])
            .map(|s| (s.key, s.rows[k]))
            .collect();
        rows.sort_unstable_by_key(|&(f, _)| f);
        Weights {
            rows,
            scale: self.scales[k],
        }
    }

    /// Call `add` with both rows of each of `feats` that has them.
    #[inline]
    fn for_each_row(&self, feats: &[Feature], mut add: impl FnMut(&[[i16; LABELS]; 2])) {
        // The table is larger than the cache, so each lookup waits on memory. Touch
        // every feature's home slot first: independent loads the processor keeps in
        // flight together, instead of one probe waiting on the one before.
        const AHEAD: usize = 32;
        for chunk in feats.chunks(AHEAD) {
            let mut touched = 0;
            for &f in chunk {
                touched ^= self.slots[slot(f, self.mask)].key;
            }
            std::hint::black_box(touched);
            for &f in chunk {
                let s = &self.slots[self.probe(f)];
                if s.key == f {
                    add(&s.rows);
                }
            }
        }
    }

    /// Add stage `k`'s weights of `feats` to `scores`.
    #[inline]
    fn score(&self, k: usize, feats: &[Feature], scores: &mut [i32; LABELS]) {
        self.for_each_row(feats, |rows| add_row(scores, &rows[k]));
    }

    /// Both stages' sums of the weights of `feats`.
    #[inline]
    fn score_both(&self, feats: &[Feature]) -> [[i32; LABELS]; 2] {
        let mut sums = [[0i32; LABELS]; 2];
        self.for_each_row(feats, |rows| {
            add_row(&mut sums[0], &rows[0]);
            add_row(&mut sums[1], &rows[1]);
        });
        sums
    }
}

#[inline]
fn add_row(scores: &mut [i32; LABELS], row: &[i16; LABELS]) {
    for (s, &w) in scores.iter_mut().zip(row) {
        *s += i32::from(w);
    }
}

#[inline]
fn slot(f: Feature, mask: usize) -> usize {
    (f.wrapping_mul(0x9E37_79B9) as usize) & mask
}

/// Each token's sums of its own (static) features' weights for both stages, computed
/// when a stage first scores the token and reused by the next (extraction hashes
/// some forty strings per token; most tokens are scored by both stages or by
/// neither).
struct StaticScores {
    at: Vec<Option<[[i32; LABELS]; 2]>>,
}

impl StaticScores {
    fn new(tokens: usize) -> StaticScores {
        StaticScores {
            at: vec![None; tokens],
        }
    }

    /// Token `i`'s static sums (extracting its features into `buf` the first time).
    fn token(
        &mut self,
        ex: &Extractor,
        joint: &JointWeights,
        i: usize,
        buf: &mut Vec<Feature>,
    ) -> [[i32; LABELS]; 2] {
        if let Some(sums) = self.at[i] {
            return sums;
        }
        buf.clear();
        ex.token(i, buf);
        let sums = joint.score_both(buf);
        self.at[i] = Some(sums);
        sums
    }
}

/// A trained tagger.
pub struct NerModel {
    pub(crate) labels: Vec<Label>,
    pub(crate) label_names: Vec<String>,
    /// Stage 1's and (if trained) stage 2's weights.
    joint: JointWeights,
    pub(crate) lexicon: CapsLexicon,
    pub(crate) clusters: WordClusters,
}

/// Greedy left-to-right decoding of one sentence (an I- only continues its class;
/// label 0 is O).
/// `choose(i, history_features, previous_label)` returns the label of
/// token `i`; `known` is what the document says about its words (`None`: what
/// `running` has counted so far); each chosen label is counted into `running`.
pub(crate) fn greedy(
    labels: &[Label],
    label_names: &[String],
    sf: &SentenceFeatures,
    known: Option<&DocHistory>,
    running: &mut DocHistory,
    gate: bool,
    mut choose: impl FnMut(usize, &[Feature], Option<Label>) -> usize,
) -> Vec<usize> {
    let n = sf.lower.len();
    let mut out: Vec<usize> = Vec::with_capacity(n);
    let mut hist = Vec::with_capacity(8);
    for i in 0..n {
        let prev = if i > 0 { Some(out[i - 1]) } else { None };
        // A word without a capital after no mention is outside one: not scored
        // (most words; training skips them the same way).
        let open = prev.is_some_and(|p| labels[p].class.is_some());
        if gate && !open && !sf.capitalised[i] {
            out.push(0);
            continue;
        }
        let prev2 = if i > 1 { Some(out[i - 2]) } else { None };
        let pname = prev.map_or("<s>", |p| label_names[p].as_str());
        let p2name = prev2.map_or("<s>", |p| label_names[p].as_str());
        history(sf, i, pname, p2name, known.unwrap_or(running), &mut hist);
        let l = choose(i, &hist, prev.map(|p| labels[p]));
        remember(running, &sf.lower[i], labels[l]);
        out.push(l);
    }
    out
}

static BUILTIN: OnceLock<Result<NerModel, String>> = OnceLock::new();

impl NerModel {
    /// The model shipped in `data/ner/model.bin`, parsed once.
    pub fn builtin() -> Result<&'static NerModel, String> {
        BUILTIN
            .get_or_init(|| {
                NerModel::from_bytes(include_bytes!("../../../data/ner/model.bin"))
                    .map_err(|e| format!("data/ner/model.bin: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// A model of one or two stages.
    pub(crate) fn new(
        labels: Vec<Label>,
        label_names: Vec<String>,
        stages: Vec<Weights>,
        lexicon: CapsLexicon,
        clusters: WordClusters,
    ) -> NerModel {
        NerModel {
            labels,
            label_names,
            joint: JointWeights::new(&stages),
            lexicon,
            clusters,
        }
    }

    /// Number of features with weights, over all stages.
    pub fn feature_count(&self) -> usize {
        (0..self.joint.stages())
            .map(|k| self.joint.rows_in(k))
            .sum()
    }

    /// Its corpus capitalisation lexicon.
    pub fn lexicon(&self) -> &CapsLexicon {
        &self.lexicon
    }

    /// Decode one sentence with stage number `k`, its features extracted up front (as
    /// training does).
    pub(crate) fn decode_stage(
        &self,
        k: usize,
        sf: &SentenceFeatures,
        running: &mut DocHistory,
    ) -> Vec<usize> {
        greedy(
            &self.labels,
            &self.label_names,
            sf,
            None,
            running,
            true,
            |i, hist, prev| {
                let mut scores = [0i32; LABELS];
                self.joint.score(k, sf.of(i), &mut scores);
                self.joint.score(k, hist, &mut scores);
                best_valid(&self.labels, &scores, prev)
            },
        )
    }

    /// Tag sentences given as words; returns label names per word.
    pub fn tag_words(&self, sentences: &[Vec<&str>], gazetteer: &Gazetteer) -> Vec<Vec<String>> {
        self.decode_document(sentences, gazetteer)
            .into_iter()
            .map(|labels| {
                labels
                    .into_iter()
                    .map(|l| self.label_names[l].clone())
                    .collect()
            })
            .collect()
    }

    /// Decode every sentence in order, each seeing what was said of its words in
    /// the sentences before it; then, with a second stage, again with what stage 1
    /// said of them anywhere in the document. Features are extracted only for the
    /// tokens the decoder scores.
    fn decode_document(&self, sentences: &[Vec<&str>], gazetteer: &Gazetteer) -> Vec<Vec<usize>> {
        let ctx = DocContext::new(&self.lexicon, &self.clusters, gazetteer, sentences);
        let exs: Vec<Extractor> = sentences.iter().map(|s| Extractor::new(s, &ctx)).collect();
        let sfs: Vec<SentenceFeatures> = exs.iter().map(Extractor::sentence).collect();
        let mut statics: Vec<StaticScores> = sfs
            .iter()
            .map(|sf| StaticScores::new(sf.lower.len()))
            .collect();
        let mut running = DocHistory::default();
        let first: Vec<Vec<usize>> = exs
            .iter()
            .zip(&sfs)
            .zip(&mut statics)
            .map(|((ex, sf), st)| self.decode_lazy(0, ex, sf, None, &mut running, st))
            .collect();
        if self.joint.stages() < 2 {
            return first;
        }
        let agg = Aggregate::new(&sfs, &first, &self.labels);
        let mut running = DocHistory::default();
        exs.iter()
            .zip(&sfs)
            .zip(&mut statics)
            .enumerate()
            .map(|(si, ((ex, sf), st))| {
                self.decode_lazy(1, ex, sf, Some((&agg, si)), &mut running, st)
            })
            .collect()
    }

    /// [`NerModel::decode`] with stage `k` of the joint table and features extracted
    /// on demand (plus stage-2 features of sentence `si` when `agg` is given); a
    /// token's static features are extracted and summed once, for both stages, by
    /// whichever stage scores it first, and kept in `statics`.
    fn decode_lazy(
        &self,
        k: usize,
        ex: &Extractor,
        sf: &SentenceFeatures,
        agg: Option<(&Aggregate, usize)>,
        running: &mut DocHistory,
        statics: &mut StaticScores,
    ) -> Vec<usize> {
        let mut buf = Vec::with_capacity(64);
        greedy(
            &self.labels,
            &self.label_names,
            sf,
            None,
            running,
            true,
            |i, hist, prev| {
                let mut scores = statics.token(ex, &self.joint, i, &mut buf)[k];
                if let Some((agg, si)) = agg {
                    buf.clear();
                    aggregate_token(sf, agg, si, i, &mut buf);
                    self.joint.score(k, &buf, &mut scores);
                }
                self.joint.score(k, hist, &mut scores);
                best_valid(&self.labels, &scores, prev)
            },
        )
    }

    /// Find the mentions of a segmented document (needs its sentence and token
    /// layers; without them there is nothing to tag).
    /// `gazetteer` must list the same categories the model was trained with.
    pub fn tag_document(&self, doc: &Document, gazetteer: &Gazetteer) -> Vec<Mention> {
        let (Some(sentences), Some(tokens)) = (&doc.sentences, &doc.tokens) else {
            return Vec::new();
        };
        // Token index ranges per sentence (both layers are in text order).
        let mut ranges = Vec::with_capacity(sentences.len());
        let mut t = 0;
        for s in sentences {
            while t < tokens.len() && tokens[t].span.start < s.span.start {
                t += 1;
            }
            let first = t;
            while t < tokens.len() && tokens[t].span.end <= s.span.end {
                t += 1;
            }
            ranges.push((first, t));
        }
        let words: Vec<Vec<&str>> = ranges
            .iter()
            .map(|&(a, b)| {
                tokens[a..b]
                    .iter()
                    .map(|t| t.span.slice(&doc.text))
                    .collect()
            })
            .collect();
        let all_labels = self.decode_document(&words, gazetteer);
        let mut mentions = Vec::new();
        for (&(first, _), labels) in ranges.iter().zip(&all_labels) {
            // Runs of B-X I-X … as mentions.
            let mut runs: Vec<(usize, usize, NerClass)> = Vec::new();
            for (k, &l) in labels.iter().enumerate() {
                let label = self.labels[l];
                match (label.tag, label.class) {
                    (Tag::I, Some(c)) if runs.last().is_some_and(|r| r.1 == k && r.2 == c) => {
                        if let Some(r) = runs.last_mut() {
                            r.1 = k + 1;
                        }
                    }
                    (Tag::O, _) | (_, None) => {}
                    (_, Some(c)) => runs.push((k, k + 1, c)),
                }
            }
            for (start, end, class) in runs {
                let (Some(a), Some(z)) = (tokens.get(first + start), tokens.get(first + end - 1))
                else {
                    continue;
                };
                mentions.push(Mention {
                    span: Span::new(a.span.start, z.span.end),
                    first_token: first + start,
                    end_token: first + end,
                    class,
                });
            }
        }
        mentions
    }

    /// Serialise (see the module doc for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.labels.len();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        for name in &self.label_names {
            out.push(name.len() as u8);
            out.extend_from_slice(name.as_bytes());
        }
        let lex = self.lexicon.to_text();
        out.extend_from_slice(&(lex.len() as u32).to_le_bytes());
        out.extend_from_slice(lex.as_bytes());
        let clusters = self.clusters.to_text();
        out.extend_from_slice(&(clusters.len() as u32).to_le_bytes());
        out.extend_from_slice(clusters.as_bytes());
        out.extend_from_slice(&(self.joint.stages() as u32).to_le_bytes());
        for k in 0..self.joint.stages() {
            write_stage(&mut out, &self.joint.stage(k));
        }
        out
    }

    /// Parse what [`NerModel::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<NerModel, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ModelError::Format("bad magic"));
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(ModelError::Version(version));
        }
        let n = r.u32()? as usize;
        if n != LABELS {
            return Err(ModelError::Format("unexpected label count"));
        }
        let all = Label::all();
        let mut labels = Vec::with_capacity(n);
        let mut label_names = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.take(1)?[0] as usize;
            let name = std::str::from_utf8(r.take(len)?)
                .map_err(|_| ModelError::Format("label is not UTF-8"))?;
            let label = all
                .iter()
                .copied()
                .find(|l| l.name() == name)
                .ok_or(ModelError::Format("unknown label"))?;
            labels.push(label);
            label_names.push(name.to_string());
        }
        let lex_len = r.u32()? as usize;
        let lex = std::str::from_utf8(r.take(lex_len)?)
            .map_err(|_| ModelError::Format("lexicon is not UTF-8"))?;
        let lexicon = CapsLexicon::from_text(lex).ok_or(ModelError::Format("bad lexicon line"))?;
        let cl_len = r.u32()? as usize;
        let cl = std::str::from_utf8(r.take(cl_len)?)
            .map_err(|_| ModelError::Format("clusters are not UTF-8"))?;
        let clusters = WordClusters::from_text(cl).ok_or(ModelError::Format("bad cluster line"))?;
        let count = r.u32()? as usize;
        if !(1..=2).contains(&count) {
            return Err(ModelError::Format("expected one or two stages"));
        }
        let mut stages = Vec::with_capacity(count);
        for _ in 0..count {
            stages.push(read_stage(&mut r)?);
        }
        Ok(NerModel::new(
            labels,
            label_names,
            stages,
            lexicon,
            clusters,
        ))
    }
}

fn write_stage(out: &mut Vec<u8>, stage: &Weights) {
    out.extend_from_slice(&stage.scale.to_le_bytes());
    out.extend_from_slice(&(stage.rows.len() as u32).to_le_bytes());
    for &(f, row) in &stage.rows {
        out.extend_from_slice(&f.to_le_bytes());
        let kept: Vec<(u8, i16)> = row
            .iter()
            .enumerate()
            .filter(|(_, &q)| q != 0)
            .map(|(l, &q)| (l as u8, q))
            .collect();
        out.push(kept.len() as u8);
        for (l, q) in kept {
            out.push(l);
            out.extend_from_slice(&q.to_le_bytes());
        }
    }
}

fn read_stage(r: &mut Reader) -> Result<Weights, ModelError> {
    let scale = f32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
    let count = r.u32()? as usize;
    let mut rows = Vec::with_capacity(count.min(1 << 24));
    for _ in 0..count {
        let f = r.u32()?;
        if f == EMPTY {
            return Err(ModelError::Format("feature id 0"));
        }
        let k = r.take(1)?[0] as usize;
        let mut row = [0i16; LABELS];
        for _ in 0..k {
            let l = r.take(1)?[0] as usize;
            let q = i16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
            *row.get_mut(l)
                .ok_or(ModelError::Format("label index out of range"))? = q;
        }
        rows.push((f, row));
    }
    // Sorted as written; a hand-made file might not be.
    rows.sort_by_key(|&(f, _)| f);
    Ok(Weights { rows, scale })
}

/// Count a chosen label in the document history.
pub(crate) fn remember(doc: &mut DocHistory, lower: &str, label: Label) {
    if let Some(c) = label.class {
        let k = NerClass::ALL.iter().position(|&x| x == c).unwrap_or(0);
        match doc.get_mut(lower) {
            Some(counts) => counts[k] = counts[k].saturating_add(1),
            None => {
                let mut counts = [0u16; 4];
                counts[k] = 1;
                doc.insert(lower.to_string(), counts);
            }
        }
    }
}

/// The best-scoring label that may follow `prev` (the first of equals).
pub(crate) fn best_valid<T: PartialOrd + Copy>(
    labels: &[Label],
    scores: &[T],
    prev: Option<Label>,
) -> usize {
    let mut best: Option<(usize, T)> = None;
    for (i, (l, &s)) in labels.iter().zip(scores).enumerate() {
        if !l.may_follow(prev) {
            continue;
        }
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map_or(0, |(i, _)| i)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(ModelError::Format("truncated"))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{sentence_features, with_aggregate};

    /// The reference decoding, as training does it: each stage with its own table,
    /// over every token's features extracted up front.
    fn stage_by_stage(model: &NerModel, sentences: &[Vec<&str>]) -> Vec<Vec<usize>> {
        let gazetteer = Gazetteer::new();
        let ctx = DocContext::new(&model.lexicon, &model.clusters, &gazetteer, sentences);
        let sfs: Vec<SentenceFeatures> = sentences
            .iter()
            .map(|s| sentence_features(s, &ctx))
            .collect();
        let mut running = DocHistory::default();
        let first: Vec<Vec<usize>> = sfs
            .iter()
            .map(|sf| model.decode_stage(0, sf, &mut running))
            .collect();
        let agg = Aggregate::new(&sfs, &first, &model.labels);
        let mut running = DocHistory::default();
        sfs.iter()
            .enumerate()
            .map(|(si, sf)| model.decode_stage(1, &with_aggregate(sf, &agg, si), &mut running))
            .collect()
    }

    #[test]
    fn tagging_with_the_joint_table_equals_decoding_stage_by_stage() {
        let model = NerModel::builtin().unwrap();
        assert_eq!(model.joint.stages(), 2, "the shipped model has two stages");
        let text = [
            "Foreign Minister Tova Ranne of Arland met President Ilk Saro in Vell on Monday .",
            "Ranne told reporters in Port Vela that the Bessian Defence Ministry had lied .",
            "SARO SAID NOTHING , and the United Nations Security Council did not meet .",
            "Later , Saro and Ranne flew to Orsk , where the Vell Times reported protests .",
            "Washington said Jordan and Georgia would send troops in May , Reuters reported .",
            "Jordan Ranne , a Vell Times reporter , said Georgia Saro had left Washington .",
            "Analysts at Kessler Partners said the Orsk Accord was dead .",
            "Kessler said Accord talks with the Arland Foreign Ministry would resume .",
        ];
        let sentences: Vec<Vec<&str>> = text.iter().map(|s| s.split(' ').collect()).collect();
        let got = model.decode_document(&sentences, &Gazetteer::new());
        assert_eq!(got, stage_by_stage(model, &sentences));
        // Not a vacuous agreement: the sentences do hold mentions.
        assert!(got.iter().flatten().filter(|&&l| l != 0).count() >= 8);
        // And the table gives each stage its own weights: those of the model file
        // (which `to_bytes` writes back byte for byte from the table).
        assert!(
            model.to_bytes() == include_bytes!("../../../data/ner/model.bin"),
            "the shipped model does not round-trip through its table"
        );
        let stage = |k: usize| -> HashMap<Feature, [i16; LABELS]> {
            model.joint.stage(k).rows.into_iter().collect()
        };
        let (one, two) = (stage(0), stage(1));
        assert_eq!(model.feature_count(), one.len() + two.len());
        let naive = |table: &HashMap<Feature, [i16; LABELS]>, feats: &[Feature]| {
            let mut sums = [0i32; LABELS];
            feats
                .iter()
                .filter_map(|f| table.get(f))
                .for_each(|row| add_row(&mut sums, row));
            sums
        };
        let gazetteer = Gazetteer::new();
        let ctx = DocContext::new(&model.lexicon, &model.clusters, &gazetteer, &sentences);
        let mut differ = 0;
        for words in &sentences {
            let sf = sentence_features(words, &ctx);
            for i in 0..words.len() {
                let (first, second) = (naive(&one, sf.of(i)), naive(&two, sf.of(i)));
                assert_eq!(model.joint.score_both(sf.of(i)), [first, second]);
                let mut again = [0i32; LABELS];
                model.joint.score(1, sf.of(i), &mut again);
                assert_eq!(again, second);
                differ += usize::from(first != second);
            }
        }
        assert!(differ > 0);
    }

    #[test]
    fn the_joint_table_holds_features_of_either_stage() {
        let row = |x: i16| {
            let mut r = [0i16; LABELS];
            r[1] = x;
            r
        };
        let one = Weights {
            rows: vec![(3, row(10)), (5, row(20))],
            scale: 0.5,
        };
        let two = Weights {
            rows: vec![(5, row(-1)), (9, row(7))],
            scale: 0.25,
        };
        let joint = JointWeights::new(&[one, two]);
        assert_eq!(
            joint.score_both(&[3, 5, 9, 11]),
            [row(30).map(i32::from), row(6).map(i32::from)]
        );
        assert_eq!(joint.stage(1).rows, vec![(5, row(-1)), (9, row(7))]);
        assert_eq!((joint.rows_in(0), joint.rows_in(1)), (2, 2));
        assert_eq!(joint.stage(0).scale, 0.5);
        let alone = JointWeights::new(&[Weights {
            rows: vec![(3, row(10))],
            scale: 1.0,
        }]);
        assert_eq!(alone.stages(), 1);
        assert_eq!(
            alone.score_both(&[3]),
            [row(10).map(i32::from), [0; LABELS]]
        );
    }

    /// The same on real news (the benchmark corpus's first 200 KB, cut into runs of
    /// words: the two decoders only need the same words).
    #[test]
    fn joint_tagging_equals_stage_by_stage_on_the_corpus() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/corpus/news_text.jsonl"
        );
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("skipped: {path} is absent (the shared data sets are not on this machine)");
            return;
        };
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200_000)]).into_owned();
        let words: Vec<&str> = text.split_whitespace().collect();
        let model = NerModel::builtin().unwrap();
        let mut tagged = 0;
        for doc in words.chunks(400) {
            let sentences: Vec<Vec<&str>> = doc.chunks(25).map(<[&str]>::to_vec).collect();
            let got = model.decode_document(&sentences, &Gazetteer::new());
            assert_eq!(got, stage_by_stage(model, &sentences));
            tagged += got.iter().flatten().filter(|&&l| l != 0).count();
        }
        assert!(tagged > 1000, "{tagged} tokens in mentions");
    }
}
