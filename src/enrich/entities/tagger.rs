//! The statistical sequence tagger: a greedy averaged perceptron over hashed
//! features (see [`super::features`]), IOB2 labels for PER/ORG/LOC/MISC.
//! Owns the weight table, its compact binary format (`LEDENER1`, i16
//! weights), decoding with IOB2 constraints and a document-level history,
//! and deterministic training.

use super::features::{
    dynamic_features, sent_ctx, sentence_infos, static_features, TokInfo, F_INIT_CAP, N_DYNAMIC,
    N_STATIC,
};
use super::gazetteer::{Gazetteer, IdMap};
use crate::text::TextLayer;

/// Labels: O, then B-/I- for each type.
pub const N_LABELS: usize = 9;
pub const LABEL_NAMES: [&str; N_LABELS] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// Entity type of a label: 0 none, 1 PER, 2 ORG, 3 LOC, 4 MISC.
#[inline]
pub fn label_type(l: u8) -> u8 {
    l.div_ceil(2)
}

#[inline]
pub fn is_begin(l: u8) -> bool {
    l % 2 == 1
}

/// Label index of a CoNLL tag ("B-PER", "I-LOC", "O").
pub fn label_of(tag: &str) -> u8 {
    LABEL_NAMES
        .iter()
        .position(|n| *n == tag)
        .map(|p| p as u8)
        .unwrap_or(0)
}

/// IOB2: an I- label may only follow a label of the same type.
#[inline]
fn allowed(prev: u8, l: u8) -> bool {
    l == 0 || is_begin(l) || label_type(prev) == label_type(l)
}

const MAGIC: &[u8; 8] = b"LEDENER1";

/// Weight storage used while decoding.
pub trait Scorer {
    fn add_scores(&self, feats: &[u64], scores: &mut [i64; N_LABELS]);
}

/// The quantised weight table shipped in the binary.
#[derive(Debug, Clone)]
pub struct Weights {
    bits: u32,
    w: Vec<i16>,
}

#[inline]
fn bucket(feat: u64, bits: u32) -> usize {
    (feat >> (64 - bits)) as usize
}

impl Scorer for Weights {
    #[inline]
    fn add_scores(&self, feats: &[u64], scores: &mut [i64; N_LABELS]) {
        for &ft in feats {
            let b = bucket(ft, self.bits) * N_LABELS;
            if let Some(row) = self.w.get(b..b + N_LABELS) {
                for (s, w) in scores.iter_mut().zip(row) {
                    *s += *w as i64;
                }
            }
        }
    }
}

impl Weights {
    /// Read the `LEDENER1` format: magic, u32 LE bits, u32 LE labels, then
    /// `2^bits * labels` i16 LE weights.
    pub fn from_bytes(b: &[u8]) -> anyhow::Result<Weights> {
        let head = b
            .get(..16)
            .ok_or_else(|| anyhow::anyhow!("entity model too short"))?;
        if &head[..8] != MAGIC {
            anyhow::bail!("entity model: bad magic");
        }
        let bits = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
        let labels = u32::from_le_bytes([head[12], head[13], head[14], head[15]]) as usize;
        if !(8..=28).contains(&bits) || labels != N_LABELS {
            anyhow::bail!("entity model: unsupported shape ({bits} bits, {labels} labels)");
        }
        let n = (1usize << bits) * N_LABELS;
        let body = b
            .get(16..16 + 2 * n)
            .ok_or_else(|| anyhow::anyhow!("entity model truncated"))?;
        let w = body
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        Ok(Weights { bits, w })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.w.len() * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(N_LABELS as u32).to_le_bytes());
        for w in &self.w {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }
}

/// Reusable buffers for tagging.
#[derive(Default)]
pub struct Scratch {
    infos: Vec<TokInfo>,
    hist: IdMap<u8>,
}

/// Tag every token of `layer` (labels per token, IOB2). `text` is the
/// string the layer was built over.
pub fn tag_document<S: Scorer>(
    w: &S,
    gaz: &Gazetteer,
    text: &str,
    layer: &TextLayer,
    scratch: &mut Scratch,
) -> Vec<u8> {
    let mut labels = vec![0u8; layer.tokens.len()];
    scratch.hist.clear();
    for range in &layer.sentence_tokens {
        let Some(toks) = layer.tokens.get(range.clone()) else {
            continue;
        };
        sentence_infos(text, toks, gaz, &mut scratch.infos);
        let Some(out) = labels.get_mut(range.clone()) else {
            continue;
        };
        tag_sentence(w, &scratch.infos, &mut scratch.hist, out, |_, _, _| None);
    }
    labels
}

/// Greedy left-to-right decoding of one sentence into `out`. `on_step` sees
/// each position's features and prediction (used by training).
fn tag_sentence<S: Scorer>(
    w: &S,
    infos: &[TokInfo],
    hist: &mut IdMap<u8>,
    out: &mut [u8],
    mut on_step: impl FnMut(usize, &[u64], u8) -> Option<u8>,
) {
    let sc = sent_ctx(infos);
    let mut feats = [0u64; N_STATIC + N_DYNAMIC];
    let (mut p1, mut p2) = (0u8, 0u8);
    for (i, info) in infos.iter().enumerate() {
        let mut st = [0u64; N_STATIC];
        static_features(infos, &sc, i, &mut st);
        let h = if info.flags & F_INIT_CAP != 0 {
            hist.get(&info.lower).copied().unwrap_or(0)
        } else {
            0
        };
        let mut dy = [0u64; N_DYNAMIC];
        dynamic_features(infos, i, p1, p2, h, &mut dy);
        feats[..N_STATIC].copy_from_slice(&st);
        feats[N_STATIC..].copy_from_slice(&dy);
        let mut scores = [0i64; N_LABELS];
        w.add_scores(&feats, &mut scores);
        let mut best = 0u8;
        let mut best_s = i64::MIN;
        for (l, s) in scores.iter().enumerate() {
            let l = l as u8;
            if allowed(p1, l) && *s > best_s {
                best_s = *s;
                best = l;
            }
        }
        // Training may override the label carried forward (never does: greedy
        // training uses its own prediction), so `on_step` only observes.
        let label = on_step(i, &feats, best).unwrap_or(best);
        if let Some(o) = out.get_mut(i) {
            *o = label;
        }
        let t = label_type(label);
        if t != 0 && info.flags & F_INIT_CAP != 0 {
            hist.insert(info.lower, t);
        }
        p2 = p1;
        p1 = label;
    }
}

/// One training document: its text, layer and gold label per layer token.
pub struct TrainDoc {
    pub text: String,
    pub layer: TextLayer,
    pub gold: Vec<u8>,
}

/// Averaged-perceptron weights while training (f32 with lazy averaging).
pub struct Trainer {
    bits: u32,
    w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
    now: u32,
}

impl Scorer for Trainer {
    fn add_scores(&self, feats: &[u64], scores: &mut [i64; N_LABELS]) {
        let mut acc = [0f32; N_LABELS];
        for &ft in feats {
            let b = bucket(ft, self.bits) * N_LABELS;
            if let Some(row) = self.w.get(b..b + N_LABELS) {
                for (s, w) in acc.iter_mut().zip(row) {
                    *s += *w;
                }
            }
        }
        for (s, a) in scores.iter_mut().zip(acc) {
            *s += (a * 1024.0) as i64;
        }
    }
}

/// Small deterministic PRNG (xorshift64*) for shuffling.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

impl Trainer {
    pub fn new(bits: u32) -> Trainer {
        let n = (1usize << bits) * N_LABELS;
        Trainer {
            bits,
            w: vec![0.0; n],
            total: vec![0.0; n],
            stamp: vec![0; n],
            now: 0,
        }
    }

    fn update(&mut self, feats: &[u64], label: u8, delta: f32) {
        for &ft in feats {
            let j = bucket(ft, self.bits) * N_LABELS + label as usize;
            if let (Some(w), Some(t), Some(s)) = (
                self.w.get_mut(j),
                self.total.get_mut(j),
                self.stamp.get_mut(j),
            ) {
                *t += (self.now - *s) as f64 * *w as f64;
                *s = self.now;
                *w += delta;
            }
        }
    }

    /// One pass over `docs` in an order shuffled with `seed`; returns the
    /// token error count.
    pub fn epoch(&mut self, docs: &[TrainDoc], gaz: &Gazetteer, seed: u64) -> usize {
        let mut order: Vec<usize> = (0..docs.len()).collect();
        let mut rng = Rng(seed | 1);
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut errors = 0;
        let mut infos = Vec::new();
        let mut hist = IdMap::default();
        let mut updates: Vec<(Vec<u64>, u8, u8)> = Vec::new();
        for &d in &order {
            let doc = &docs[d];
            hist.clear();
            for range in &doc.layer.sentence_tokens {
                let (Some(toks), Some(gold)) = (
                    doc.layer.tokens.get(range.clone()),
                    doc.gold.get(range.clone()),
                ) else {
                    continue;
                };
                sentence_infos(&doc.text, toks, gaz, &mut infos);
                let mut out = vec![0u8; toks.len()];
                // Decode with the current weights one position at a time,
                // updating right after each mistake.
                updates.clear();
                {
                    let this: &Trainer = self;
                    tag_sentence(this, &infos, &mut hist, &mut out, |i, feats, pred| {
                        let g = gold.get(i).copied().unwrap_or(0);
                        if g != pred {
                            updates.push((feats.to_vec(), g, pred));
                        }
                        None
                    });
                }
                // Apply the sentence's updates (per-sentence batch keeps the
                // borrow simple; the prediction history used the old weights).
                for (feats, g, p) in updates.drain(..) {
                    self.now += 1;
                    errors += 1;
                    self.update(&feats, g, 1.0);
                    self.update(&feats, p, -1.0);
                }
                self.now += 1;
            }
        }
        errors
    }

    /// The averaged weights, quantised to i16.
    pub fn finish(&self) -> Weights {
        let avg: Vec<f32> = self
            .w
            .iter()
            .zip(&self.total)
            .zip(&self.stamp)
            .map(|((w, t), s)| {
                let tot = t + (self.now - s) as f64 * *w as f64;
                (tot / self.now.max(1) as f64) as f32
            })
            .collect();
        let cap = avg.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
        let scale = 32000.0 / cap;
        let w = avg
            .iter()
            .map(|x| (x * scale).round().clamp(-32767.0, 32767.0) as i16)
            .collect();
        Weights { bits: self.bits, w }
    }
}
