//! The statistical sequence tagger: a greedy averaged perceptron over hashed
//! features (see [`super::features`]), IOB2 labels for PER/ORG/LOC/MISC.
//! Owns the weight table, its compact binary format (`LEDENER3`, i16
//! weights relative to O, 16-byte rows in 64-byte aligned lines), decoding with IOB2 constraints and a document-level history,
//! and deterministic training.

use super::features::{
    document_infos, dynamic_features, sent_ctx, static_features, TokInfo, F_INIT_CAP, F_PUNCT,
    N_DYNAMIC, N_STATIC,
};
use super::gazetteer::Gazetteer;
use super::hash::IdMap;
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

const MAGIC: &[u8; 8] = b"LEDENER3";

/// Weights stored per row: the O label's weight is folded into the others
/// (subtracting it from every label of a row leaves each argmax unchanged),
/// so a row is 8 x i16 = 16 bytes, four rows to a cache line.
const STORED: usize = N_LABELS - 1;

/// Weight storage used while decoding.
pub trait Scorer {
    fn add_scores(&self, feats: &[u64], scores: &mut [i64; N_LABELS]);
}

/// One cache line of four weight rows.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Line([i16; 4 * STORED]);

/// The quantised weight table shipped in the binary.
#[derive(Debug, Clone)]
pub struct Weights {
    bits: u32,
    lines: Vec<Line>,
    /// One bit per row: set when the row has a non-zero weight. Features
    /// never seen in training mostly land on zero rows; this small bitmap
    /// (64 KB for 2^19 rows) stays in cache and saves their table loads.
    nonzero: Vec<u64>,
}

#[inline]
fn bucket(feat: u64, bits: u32) -> usize {
    (feat & ((1u64 << bits) - 1)) as usize
}

impl Scorer for Weights {
    #[inline]
    fn add_scores(&self, feats: &[u64], scores: &mut [i64; N_LABELS]) {
        // i32 lanes: at most ~50 features of |w| <= 32767 per position.
        let mut acc = [0i32; STORED];
        for &ft in feats {
            let b = bucket(ft, self.bits);
            let live = self
                .nonzero
                .get(b / 64)
                .is_some_and(|m| (m >> (b % 64)) & 1 != 0);
            if !live {
                continue;
            }
            let off = (b % 4) * STORED;
            if let Some(row) = self
                .lines
                .get(b / 4)
                .and_then(|l| l.0.get(off..off + STORED))
            {
                for (s, w) in acc.iter_mut().zip(row) {
                    *s = s.wrapping_add(*w as i32);
                }
            }
        }
        for (s, a) in scores.iter_mut().skip(1).zip(acc) {
            *s += a as i64;
        }
    }
}

impl Weights {
    /// Read the `LEDENER3` format: magic, u32 LE bits, u32 LE stored labels
    /// (8: B-/I- of PER, ORG, LOC, MISC, relative to O), then
    /// `2^bits * 8` i16 LE weights.
    pub fn from_bytes(b: &[u8]) -> anyhow::Result<Weights> {
        let head = b
            .get(..16)
            .ok_or_else(|| anyhow::anyhow!("entity model too short"))?;
        if &head[..8] != MAGIC {
            anyhow::bail!("entity model: bad magic");
        }
        let bits = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
        let labels = u32::from_le_bytes([head[12], head[13], head[14], head[15]]) as usize;
        if !(8..=28).contains(&bits) || labels != STORED {
            anyhow::bail!("entity model: unsupported shape ({bits} bits, {labels} labels)");
        }
        let n = (1usize << bits) * STORED;
        let body = b
            .get(16..16 + 2 * n)
            .ok_or_else(|| anyhow::anyhow!("entity model truncated"))?;
        let mut lines = vec![Line([0; 4 * STORED]); (1usize << bits) / 4];
        for (line, chunk) in lines.iter_mut().zip(body.chunks_exact(8 * STORED)) {
            for (w, c) in line.0.iter_mut().zip(chunk.chunks_exact(2)) {
                *w = i16::from_le_bytes([c[0], c[1]]);
            }
        }
        Ok(Weights::with_bitmap(bits, lines))
    }

    fn with_bitmap(bits: u32, lines: Vec<Line>) -> Weights {
        let rows = 1usize << bits;
        let mut nonzero = vec![0u64; rows.div_ceil(64)];
        for r in 0..rows {
            let off = (r % 4) * STORED;
            let live = lines
                .get(r / 4)
                .and_then(|l| l.0.get(off..off + STORED))
                .is_some_and(|row| row.iter().any(|w| *w != 0));
            if let (true, Some(m)) = (live, nonzero.get_mut(r / 64)) {
                *m |= 1 << (r % 64);
            }
        }
        Weights {
            bits,
            lines,
            nonzero,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.lines.len() * 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(STORED as u32).to_le_bytes());
        for l in &self.lines {
            for w in &l.0 {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }
}

/// Reusable buffers for tagging.
#[derive(Default)]
pub struct Scratch {
    infos: Vec<TokInfo>,
    casing: IdMap<u8>,
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
    document_infos(text, layer, gaz, &mut scratch.infos, &mut scratch.casing);
    for range in &layer.sentence_tokens {
        let (Some(infos), Some(out)) = (
            scratch.infos.get(range.clone()),
            labels.get_mut(range.clone()),
        ) else {
            continue;
        };
        tag_sentence(w, infos, &mut scratch.hist, out, true, |_, _, _| None);
    }
    labels
}

/// A token the decoder labels O without scoring it: outside a name (the
/// previous label is O), a lower-case word that no gazetteer entry starts
/// or continues, or punctuation. A name cannot begin there in the IOB2
/// scheme lede tags (PER/ORG/LOC never start lower-case or with a mark);
/// skipping them roughly halves the scored positions of news text, and
/// `lede eval conll` scores the same with and without it.
#[inline]
fn trivially_outside(info: &TokInfo, prev: u8) -> bool {
    prev == 0 && info.gaz == 0 && (info.lower_only || info.flags & F_PUNCT != 0)
}

/// Greedy left-to-right decoding of one sentence into `out`. `skip_trivial`
/// labels [`trivially_outside`] tokens O unscored (inference; training
/// scores every position). `on_step` sees each scored position's features
/// and prediction (used by training).
fn tag_sentence<S: Scorer>(
    w: &S,
    infos: &[TokInfo],
    hist: &mut IdMap<u8>,
    out: &mut [u8],
    skip_trivial: bool,
    mut on_step: impl FnMut(usize, &[u64], u8) -> Option<u8>,
) {
    let sc = sent_ctx(infos);
    let mut feats = [0u64; N_STATIC + N_DYNAMIC];
    let (mut p1, mut p2) = (0u8, 0u8);
    for (i, info) in infos.iter().enumerate() {
        if skip_trivial && trivially_outside(info, p1) {
            if let Some(o) = out.get_mut(i) {
                *o = 0;
            }
            p2 = p1;
            p1 = 0;
            continue;
        }
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
        let mut casing = IdMap::default();
        let mut hist = IdMap::default();
        let mut updates: Vec<(Vec<u64>, u8, u8)> = Vec::new();
        for &d in &order {
            let doc = &docs[d];
            hist.clear();
            document_infos(&doc.text, &doc.layer, gaz, &mut infos, &mut casing);
            for range in &doc.layer.sentence_tokens {
                let (Some(sent), Some(gold)) =
                    (infos.get(range.clone()), doc.gold.get(range.clone()))
                else {
                    continue;
                };
                let mut out = vec![0u8; sent.len()];
                // Decode with the current weights one position at a time,
                // updating right after each mistake.
                updates.clear();
                {
                    let this: &Trainer = self;
                    tag_sentence(this, sent, &mut hist, &mut out, false, |i, feats, pred| {
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
        Weights::quantise(self.bits, &self.averaged())
    }

    /// The averaged weights.
    pub fn averaged(&self) -> Vec<f32> {
        self.w
            .iter()
            .zip(&self.total)
            .zip(&self.stamp)
            .map(|((w, t), s)| {
                let tot = t + (self.now - s) as f64 * *w as f64;
                (tot / self.now.max(1) as f64) as f32
            })
            .collect()
    }
}

impl Weights {
    /// Quantise float weights (`2^bits * N_LABELS` of them) to i16, scaled
    /// so that the largest magnitude maps to 32000.
    pub fn quantise(bits: u32, avg: &[f32]) -> Weights {
        let rows = 1usize << bits;
        // Relative to the O label of the same row.
        let rel = |r: usize, l: usize| -> f32 {
            let o = avg.get(r * N_LABELS).copied().unwrap_or(0.0);
            avg.get(r * N_LABELS + l).copied().unwrap_or(0.0) - o
        };
        let mut cap = 1e-6f32;
        for r in 0..rows {
            for l in 1..N_LABELS {
                cap = cap.max(rel(r, l).abs());
            }
        }
        let scale = 32000.0 / cap;
        let mut lines = vec![Line([0; 4 * STORED]); rows / 4];
        for r in 0..rows {
            if let Some(line) = lines.get_mut(r / 4) {
                for l in 1..N_LABELS {
                    if let Some(w) = line.0.get_mut((r % 4) * STORED + l - 1) {
                        *w = (rel(r, l) * scale).round().clamp(-32767.0, 32767.0) as i16;
                    }
                }
            }
        }
        Weights::with_bitmap(bits, lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_round_trip_and_keep_argmax() {
        let bits = 8;
        let rows = 1usize << bits;
        let mut avg = vec![0f32; rows * N_LABELS];
        // Row 3: O strongest; row 7: B-LOC strongest, with a non-zero O weight.
        avg[3 * N_LABELS] = 2.0;
        avg[3 * N_LABELS + 1] = 1.0;
        avg[7 * N_LABELS] = 0.5;
        avg[7 * N_LABELS + 5] = 1.5;
        let w = Weights::quantise(bits, &avg);
        let back = Weights::from_bytes(&w.to_bytes()).unwrap();
        for (row, want) in [(3u64, 0usize), (7, 5)] {
            let mut s = [0i64; N_LABELS];
            back.add_scores(&[row], &mut s);
            let best = (0..N_LABELS).max_by_key(|&l| s[l]).unwrap();
            assert_eq!(best, want, "row {row}: {s:?}");
        }
        // An all-zero row contributes nothing.
        let mut s = [0i64; N_LABELS];
        back.add_scores(&[11], &mut s);
        assert_eq!(s, [0; N_LABELS]);
    }

    #[test]
    fn only_lower_case_words_and_marks_outside_a_name_are_skipped() {
        use crate::text::TextLayer;
        let text = "the talks in van Dijk , Paris";
        let layer = TextLayer::build(text);
        let gaz = Gazetteer::default();
        let mut infos = Vec::new();
        document_infos(text, &layer, &gaz, &mut infos, &mut IdMap::default());
        let word = |w: &str| {
            let i = layer.tokens.iter().position(|t| t.text(text) == w).unwrap();
            infos[i]
        };
        // Outside a name: lower-case words and punctuation are O.
        assert!(trivially_outside(&word("the"), 0));
        assert!(trivially_outside(&word(","), 0));
        // Inside a name (previous label B-PER), "van" must be scored.
        assert!(!trivially_outside(&word("van"), 1));
        // Capitalised words are always scored.
        assert!(!trivially_outside(&word("Dijk"), 0));
        assert!(!trivially_outside(&word("Paris"), 0));
        // A gazetteer match is scored even when lower-case.
        let mut g = word("talks");
        g.gaz = 1;
        assert!(!trivially_outside(&g, 0));
    }

    #[test]
    fn bad_models_are_errors() {
        assert!(Weights::from_bytes(b"short").is_err());
        assert!(Weights::from_bytes(b"NOTMAGIC\x08\0\0\0\x08\0\0\0").is_err());
        let mut head = MAGIC.to_vec();
        head.extend_from_slice(&8u32.to_le_bytes());
        head.extend_from_slice(&(STORED as u32).to_le_bytes());
        assert!(Weights::from_bytes(&head).is_err(), "truncated body");
    }

    #[test]
    fn labels() {
        assert_eq!(label_of("B-LOC"), 5);
        assert_eq!(label_of("I-MISC"), 8);
        assert_eq!(label_of("O"), 0);
        assert_eq!(label_of("weird"), 0);
        assert_eq!(label_type(label_of("I-ORG")), 2);
        assert!(allowed(1, 2) && !allowed(0, 2) && !allowed(3, 2) && allowed(3, 5));
    }
}
