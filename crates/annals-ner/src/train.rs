//! Training: an averaged perceptron over greedy BIO decoding.
//!
//! Each epoch walks the documents in a fixed pseudo-random order and decodes every
//! sentence exactly as the tagger will at run time (history features from its own
//! previous predictions); on each wrong label the weights move toward the gold
//! label. The result is the average of the weights over all steps, which
//! generalises far better than the last ones.

use crate::clusters::WordClusters;
use crate::features::{
    sentence_features, with_aggregate, Aggregate, DocContext, DocHistory, Feature, SentenceFeatures,
};
use crate::gazetteer::Gazetteer;
use crate::lexicon::CapsLexicon;
use crate::model::{best_valid, greedy, FeatureIndex, Label, NerModel, Tag, Weights};
use crate::NerClass;

/// One training document: sentences of words with their gold labels.
#[derive(Debug, Clone, Default)]
pub struct TrainDoc {
    /// Sentences, each a list of words.
    pub sentences: Vec<Vec<String>>,
    /// Per sentence, per word: an index into [`Label::all`].
    pub gold: Vec<Vec<usize>>,
}

/// BIO label indices for `n` tokens holding `mentions` (`[start, end)` token
/// ranges, non-overlapping).
pub fn bio(n: usize, mentions: &[(usize, usize, NerClass)]) -> Vec<usize> {
    let all = Label::all();
    let find = |tag: Tag, class: NerClass| {
        all.iter()
            .position(|l| l.tag == tag && l.class == Some(class))
            .expect("every tag/class pair is a label")
    };
    let mut out = vec![0; n];
    for &(a, b, c) in mentions {
        if a >= b || b > n {
            continue;
        }
        out[a] = find(Tag::B, c);
        for o in &mut out[a + 1..b] {
            *o = find(Tag::I, c);
        }
    }
    out
}

struct Averaged {
    n: usize,
    index: FeatureIndex,
    w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
    step: u32,
}

impl Averaged {
    fn score(&self, feats: &[Feature], scores: &mut [f32]) {
        for f in feats {
            if let Some(&ix) = self.index.get(f) {
                let base = ix as usize * self.n;
                for (s, w) in scores.iter_mut().zip(&self.w[base..base + self.n]) {
                    *s += w;
                }
            }
        }
    }

    fn update(&mut self, feats: &[Feature], label: usize, delta: f32) {
        for &f in feats {
            let next = self.index.len() as u32;
            let ix = *self.index.entry(f).or_insert(next);
            if ix == next {
                self.w.extend(std::iter::repeat_n(0.0, self.n));
                self.total.extend(std::iter::repeat_n(0.0, self.n));
                self.stamp.extend(std::iter::repeat_n(0, self.n));
            }
            let k = ix as usize * self.n + label;
            self.total[k] += f64::from(self.step - self.stamp[k]) * f64::from(self.w[k]);
            self.stamp[k] = self.step;
            self.w[k] += delta;
        }
    }

    fn averaged(&self) -> Vec<f32> {
        let step = f64::from(self.step.max(1));
        self.w
            .iter()
            .zip(&self.total)
            .zip(&self.stamp)
            .map(|((&w, &t), &s)| ((t + f64::from(self.step - s) * f64::from(w)) / step) as f32)
            .collect()
    }
}

/// Train one stage on precomputed features: `feats[doc][sentence]`, gold labels
/// `gold[doc][sentence][token]`. Deterministic.
fn train_stage(
    feats: &[&[SentenceFeatures]],
    gold: &[&[Vec<usize>]],
    epochs: usize,
    prune: f32,
    progress: &mut dyn FnMut(usize, f64),
) -> Weights {
    let labels = Label::all();
    let label_names: Vec<String> = labels.iter().map(|l| l.name()).collect();
    let n = labels.len();
    let mut p = Averaged {
        n,
        index: FeatureIndex::default(),
        w: Vec::new(),
        total: Vec::new(),
        stamp: Vec::new(),
        step: 0,
    };
    let mut order: Vec<usize> = (0..feats.len()).collect();
    let mut rng: u64 = 0x2545_F491_4F6C_DD1D;
    let mut scores = vec![0f32; n];
    for epoch in 0..epochs {
        // Fisher–Yates with a fixed xorshift: deterministic training.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let (mut right, mut seen) = (0usize, 0usize);
        for &d in &order {
            let mut running = DocHistory::default();
            for (sf, g) in feats[d].iter().zip(gold[d]) {
                greedy(
                    &labels,
                    &label_names,
                    sf,
                    None,
                    &mut running,
                    false,
                    |i, hist, prev| {
                        p.step += 1;
                        scores.iter_mut().for_each(|s| *s = 0.0);
                        p.score(sf.of(i), &mut scores);
                        p.score(hist, &mut scores);
                        let guess = best_valid(&labels, &scores, prev);
                        seen += 1;
                        if guess == g[i] {
                            right += 1;
                        } else {
                            p.update(sf.of(i), g[i], 1.0);
                            p.update(hist, g[i], 1.0);
                            p.update(sf.of(i), guess, -1.0);
                            p.update(hist, guess, -1.0);
                        }
                        guess
                    },
                );
            }
        }
        progress(epoch + 1, right as f64 / seen.max(1) as f64);
    }
    Weights::quantise(&p.index, &p.averaged(), prune)
}

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// Passes over the data, per stage.
    pub epochs: usize,
    /// Weights smaller than this are dropped.
    pub prune: f32,
    /// Train stage 2 (document-wide consistency) as well.
    pub two_stages: bool,
}

/// Train a two-stage tagger for `epochs` passes per stage.
/// `progress(stage, epoch, token_accuracy)` is called after each pass.
///
/// Stage 2 learns from stage-1 labels the way it will see them at run time:
/// labels on documents stage 1 did not train on. So stage 1 is also trained
/// twice on half the documents (jackknifing), each half labelling the other.
pub fn train(
    docs: &[TrainDoc],
    lexicon: CapsLexicon,
    clusters: WordClusters,
    gazetteer: &Gazetteer,
    opts: TrainOptions,
    mut progress: impl FnMut(&str, usize, f64),
) -> NerModel {
    let labels = Label::all();
    let label_names: Vec<String> = labels.iter().map(|l| l.name()).collect();
    // Static features never change: extract them once.
    let feats: Vec<Vec<SentenceFeatures>> = docs
        .iter()
        .map(|d| {
            let words: Vec<Vec<&str>> = d
                .sentences
                .iter()
                .map(|s| s.iter().map(String::as_str).collect())
                .collect();
            let ctx = DocContext::new(&lexicon, &clusters, gazetteer, &words);
            words.iter().map(|w| sentence_features(w, &ctx)).collect()
        })
        .collect();
    let all_feats: Vec<&[SentenceFeatures]> = feats.iter().map(Vec::as_slice).collect();
    let all_gold: Vec<&[Vec<usize>]> = docs.iter().map(|d| d.gold.as_slice()).collect();
    let stage1 = train_stage(
        &all_feats,
        &all_gold,
        opts.epochs,
        opts.prune,
        &mut |e, a| progress("stage 1", e, a),
    );
    if !opts.two_stages {
        return NerModel::new(labels, label_names, vec![stage1], lexicon, clusters);
    }
    // Jackknifed stage-1 labels for every training document.
    let mut first: Vec<Vec<Vec<usize>>> = vec![Vec::new(); docs.len()];
    for fold in 0..2 {
        let train_ix: Vec<usize> = (0..docs.len()).filter(|d| d % 2 != fold).collect();
        let f: Vec<&[SentenceFeatures]> = train_ix.iter().map(|&d| all_feats[d]).collect();
        let g: Vec<&[Vec<usize>]> = train_ix.iter().map(|&d| all_gold[d]).collect();
        let half = train_stage(&f, &g, opts.epochs, opts.prune, &mut |e, a| {
            progress(&format!("fold {}", fold + 1), e, a)
        });
        let model = NerModel::new(
            labels.clone(),
            label_names.clone(),
            vec![half],
            CapsLexicon::default(),
            WordClusters::default(),
        );
        for d in (0..docs.len()).filter(|d| d % 2 == fold) {
            let mut running = DocHistory::default();
            first[d] = feats[d]
                .iter()
                .map(|sf| model.decode_stage(0, sf, &mut running))
                .collect();
        }
    }
    let feats2: Vec<Vec<SentenceFeatures>> = feats
        .iter()
        .zip(&first)
        .map(|(fs, ls)| {
            let agg = Aggregate::new(fs, ls, &labels);
            fs.iter()
                .enumerate()
                .map(|(si, sf)| with_aggregate(sf, &agg, si))
                .collect()
        })
        .collect();
    let all_feats2: Vec<&[SentenceFeatures]> = feats2.iter().map(Vec::as_slice).collect();
    let stage2 = train_stage(
        &all_feats2,
        &all_gold,
        opts.epochs,
        opts.prune,
        &mut |e, a| progress("stage 2", e, a),
    );
    NerModel::new(labels, label_names, vec![stage1, stage2], lexicon, clusters)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(words: &[&str], mentions: &[(usize, usize, NerClass)]) -> TrainDoc {
        TrainDoc {
            sentences: vec![words.iter().map(|w| w.to_string()).collect()],
            gold: vec![bio(words.len(), mentions)],
        }
    }

    #[test]
    fn bio_marks_single_and_multi_token_mentions() {
        let l = Label::all();
        let got: Vec<String> = bio(5, &[(0, 2, NerClass::Per), (3, 4, NerClass::Loc)])
            .into_iter()
            .map(|i| l[i].name())
            .collect();
        assert_eq!(got, ["B-PER", "I-PER", "O", "B-LOC", "O"]);
    }

    #[test]
    fn learns_a_toy_pattern_and_survives_a_round_trip() {
        let train_docs = vec![
            doc(
                &["Anna", "Berg", "visited", "Tarsk", "."],
                &[(0, 2, NerClass::Per), (3, 4, NerClass::Loc)],
            ),
            doc(
                &["Tarsk", "welcomed", "Anna", "Berg", "."],
                &[(0, 1, NerClass::Loc), (2, 4, NerClass::Per)],
            ),
            doc(
                &["Omar", "Lind", "left", "Velm", "."],
                &[(0, 2, NerClass::Per), (3, 4, NerClass::Loc)],
            ),
        ];
        let opts = TrainOptions {
            epochs: 10,
            prune: 0.0,
            two_stages: true,
        };
        let model = train(
            &train_docs,
            CapsLexicon::default(),
            WordClusters::default(),
            &Gazetteer::new(),
            opts,
            |_, _, _| {},
        );
        let got = model.tag_words(
            &[vec!["Anna", "Berg", "visited", "Tarsk", "."]],
            &Gazetteer::new(),
        );
        assert_eq!(got[0], ["B-PER", "I-PER", "O", "B-LOC", "O"]);
        let back = NerModel::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(
            back.tag_words(
                &[vec!["Anna", "Berg", "visited", "Tarsk", "."]],
                &Gazetteer::new()
            ),
            got
        );
        assert!(NerModel::from_bytes(b"ANNALSNER\x01").is_err());
        assert!(NerModel::from_bytes(b"nonsense").is_err());
    }
}
