//! Feature extraction for the entity tagger: per-token hashed descriptors
//! (word, lower-cased word, shape, affixes, gazetteer matches, the run of
//! capitalised words a token is in, and the document's casing of the same
//! word) computed once per document, combined into hashed feature ids for
//! each position. No string is allocated per feature: every value is mixed
//! into a `u64`.

use super::clusters::{self, WordClusters};
use super::gazetteer::{Gazetteer, FIRST};
pub use super::hash::{finish, lower_hash, mix, IdMap};
use super::hash::{fold_char, SEED};
use crate::text::{TextLayer, Token, TokenKind};

/// Token flags.
pub const F_INIT_CAP: u8 = 1;
pub const F_ALL_CAPS: u8 = 2;
pub const F_HAS_DIGIT: u8 = 4;
pub const F_WORD: u8 = 8;
pub const F_HAS_LOWER: u8 = 16;
pub const F_PUNCT: u8 = 32;

/// Per-token descriptors, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokInfo {
    pub exact: u64,
    pub lower: u64,
    pub shape: u64,
    pub pre: [u64; 4],
    pub suf: [u64; 4],
    pub flags: u8,
    /// Character count, capped at 15.
    pub len: u8,
    /// Gazetteer categories: bits 0..8 begin a match, bits 8..16 continue one.
    pub gaz: u16,
    /// Letters only, all lower-case (not a feature: lets the decoder skip
    /// words that cannot start a name, see `tagger::trivially_outside`).
    pub lower_only: bool,
    /// Document casing evidence for this word (`D_*` bits), set by
    /// [`document_infos`] on capitalised tokens.
    pub doc: u8,
    /// Place in a run of capitalised words (`R_*`), see [`mark_runs`].
    pub run_pos: u8,
    /// Lower-cased hash of the last word of the capitalised run this token
    /// is in (0 outside a run).
    pub run_end: u64,
    /// Lower-cased hash of the first word of that run (0 outside a run).
    pub run_start: u64,
    /// Designator class of the run's last word (`ORG_HEAD`, `LOC_HEAD`, 0).
    pub run_class: u8,
    /// The word's clusters and frequency band ([`clusters::Packed`], 0
    /// unknown), set by [`document_infos`].
    pub cl: clusters::Packed,
}

/// The word is written in lower case somewhere in the document.
pub const D_LOWER: u8 = 1;
/// The word is capitalised somewhere in the document other than at the
/// start of a sentence or in an all-caps headline.
pub const D_CAP_MID: u8 = 2;
/// The word follows a capitalised first name somewhere in the document
/// ("Tom Hale" ... "Hale said"): a lone capitalised word never introduced
/// that way is less likely a person's surname (a one-word company, a club).
pub const D_AFTER_FIRST: u8 = 4;

/// Position of a token in a run of capitalised words.
pub const R_NONE: u8 = 0;
pub const R_SINGLE: u8 = 1;
pub const R_FIRST: u8 = 2;
pub const R_INSIDE: u8 = 3;
pub const R_LAST: u8 = 4;

/// Descriptors of one token.
pub fn tok_info(text: &str, tok: &Token) -> TokInfo {
    let s = tok.text(text);
    let mut exact = SEED;
    let mut lower = SEED;
    let mut shape = SEED;
    let mut last_shape = '\0';
    let mut pre = [0u64; 4];
    let mut ring = ['\0'; 4];
    let mut n = 0usize;
    let mut upper = 0usize;
    let mut lowers = 0usize;
    let mut digits = 0usize;
    let mut first_upper = false;
    for c in s.chars() {
        exact = mix(exact, c as u64);
        let f = fold_char(c);
        lower = mix(lower, f as u64);
        let sc = if c.is_uppercase() {
            upper += 1;
            'X'
        } else if c.is_lowercase() {
            lowers += 1;
            'x'
        } else if c.is_numeric() {
            digits += 1;
            'd'
        } else {
            f
        };
        if n == 0 {
            first_upper = c.is_uppercase();
        }
        if sc != last_shape {
            shape = mix(shape, sc as u64);
            last_shape = sc;
        }
        if n < 4 {
            pre[n] = lower;
        }
        ring[n % 4] = f;
        n += 1;
    }
    // Normalise possessive forms: a clitic "'s" and a split "' s" look alike.
    if tok.kind == TokenKind::Clitic {
        lower = mix(lower, 0x5c);
    }
    let mut suf = [0u64; 4];
    for (k, slot) in suf.iter_mut().enumerate() {
        if k < n {
            let mut h = SEED ^ 0x55;
            for j in (0..=k).rev() {
                let idx = (n - 1 - j) % 4;
                h = mix(h, ring[idx] as u64);
            }
            *slot = h;
        }
    }
    for (k, slot) in pre.iter_mut().enumerate() {
        if k >= n {
            *slot = 0;
        }
    }
    let mut flags = 0u8;
    if first_upper {
        flags |= F_INIT_CAP;
    }
    if upper > 0 && lowers == 0 {
        flags |= F_ALL_CAPS;
    }
    if digits > 0 {
        flags |= F_HAS_DIGIT;
    }
    if lowers > 0 {
        flags |= F_HAS_LOWER;
    }
    match tok.kind {
        TokenKind::Word | TokenKind::Number => flags |= F_WORD,
        TokenKind::Punct | TokenKind::Quote => flags |= F_PUNCT,
        TokenKind::Clitic => {}
    }
    TokInfo {
        exact,
        lower,
        shape,
        pre,
        suf,
        flags,
        len: n.min(15) as u8,
        gaz: 0,
        lower_only: upper == 0 && digits == 0 && lowers == n && n > 0,
        doc: 0,
        run_pos: R_NONE,
        run_end: 0,
        run_start: 0,
        run_class: 0,
        cl: 0,
    }
}

/// Fill `infos` with one entry per token of `layer`: each sentence's
/// descriptors, gazetteer matches and capitalised runs, then the document
/// casing evidence of every capitalised word (non-local features in the
/// manner of Ratinov & Roth 2009: a sentence-initial or headline word that
/// the article also writes in lower case is likely a common word, one it
/// also capitalises mid-sentence likely a name). `casing` is scratch space.
pub fn document_infos(
    text: &str,
    layer: &TextLayer,
    gaz: &Gazetteer,
    infos: &mut Vec<TokInfo>,
    casing: &mut IdMap<u8>,
) {
    infos.clear();
    infos.extend(layer.tokens.iter().map(|t| tok_info(text, t)));
    let table = WordClusters::embedded();
    for t in infos.iter_mut() {
        if t.flags & F_WORD != 0 {
            t.cl = table.get(t.lower);
        }
    }
    casing.clear();
    // Capitalised words first (few), noting those seen mid-sentence...
    for range in &layer.sentence_tokens {
        let Some(sent) = infos.get_mut(range.clone()) else {
            continue;
        };
        mark_gazetteer(gaz, sent);
        mark_runs(sent);
        let sc = sent_ctx(sent);
        for (i, t) in sent.iter().enumerate() {
            if t.flags & F_INIT_CAP == 0 {
                continue;
            }
            let mid = t.flags & F_HAS_LOWER != 0 && i != sc.first_word && !sc.all_caps;
            let after_first = i > 0
                && sent
                    .get(i - 1)
                    .is_some_and(|p| p.flags & F_INIT_CAP != 0 && p.gaz & FIRST as u16 != 0);
            *casing.entry(t.lower).or_insert(0) |=
                if mid { D_CAP_MID } else { 0 } | if after_first { D_AFTER_FIRST } else { 0 };
        }
    }
    // ...then lower-case words only update those entries (no insertion).
    for t in infos.iter() {
        if t.lower_only {
            if let Some(c) = casing.get_mut(&t.lower) {
                *c |= D_LOWER;
            }
        }
    }
    for t in infos.iter_mut() {
        if t.flags & F_INIT_CAP != 0 {
            t.doc = casing.get(&t.lower).copied().unwrap_or(0);
        }
    }
}

/// Mark the gazetteer matches of one sentence on its tokens (`gaz`: bits
/// 0..8 on a match's first token, 8..16 on the tokens that continue it; a
/// multi-word match's first token also keeps its own single-word categories).
pub fn mark_gazetteer(gaz: &Gazetteer, infos: &mut [TokInfo]) {
    let n = infos.len();
    let mut found: Vec<(usize, usize, u8, u8)> = Vec::new();
    gaz.find_matches(
        n,
        |i| infos.get(i).map(|t| (t.lower, t.flags & F_INIT_CAP != 0)),
        |s, l, c, first| found.push((s, l, c, first)),
    );
    for (s, l, c, first) in found {
        for (k, t) in infos.iter_mut().skip(s).take(l).enumerate() {
            t.gaz |= if k == 0 {
                c as u16 | first as u16
            } else {
                (c as u16) << 8
            };
        }
    }
}

/// Classes of the last word of a capitalised run.
pub const ORG_HEAD: u8 = 1;
pub const LOC_HEAD: u8 = 2;

/// Words that end organisation names: legal forms and kinds of body.
const ORG_HEADS: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "plc",
    "llc",
    "llp",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "bv",
    "spa",
    "ab",
    "asa",
    "oyj",
    "group",
    "holdings",
    "holding",
    "bank",
    "party",
    "council",
    "ministry",
    "department",
    "university",
    "college",
    "institute",
    "school",
    "academy",
    "association",
    "federation",
    "union",
    "league",
    "committee",
    "commission",
    "agency",
    "authority",
    "board",
    "bureau",
    "court",
    "parliament",
    "assembly",
    "congress",
    "senate",
    "army",
    "navy",
    "police",
    "fc",
    "club",
    "foundation",
    "fund",
    "trust",
    "organisation",
    "organization",
    "society",
    "church",
    "exchange",
    "airlines",
    "airways",
    "motors",
    "industries",
    "systems",
    "technologies",
    "partners",
    "services",
    "network",
    "press",
    "times",
    "post",
    "journal",
    "news",
    "office",
    "forces",
    "front",
    "movement",
    "alliance",
    "coalition",
    "administration",
    "government",
    "cabinet",
];

/// Words that end place names.
const LOC_HEADS: &[&str] = &[
    "river",
    "lake",
    "mountains",
    "mountain",
    "mount",
    "island",
    "islands",
    "sea",
    "ocean",
    "bay",
    "gulf",
    "valley",
    "peninsula",
    "strait",
    "desert",
    "coast",
    "street",
    "avenue",
    "road",
    "square",
    "bridge",
    "airport",
    "province",
    "region",
    "district",
    "republic",
    "kingdom",
    "canal",
    "park",
    "hills",
    "heights",
    "falls",
    // Venues and facilities (places under the labelling conventions).
    "centre",
    "center",
    "stadium",
    "arena",
    "hall",
    "hospital",
    "prison",
    "station",
    "terminal",
    "theatre",
    "theater",
    "museum",
    "cathedral",
    "palace",
    "castle",
    "gardens",
    "ground",
    "racecourse",
    "circuit",
    "harbour",
    "port",
    "mall",
    "plaza",
];

/// Designator class of a lower-cased word hash (see [`ORG_HEADS`], [`LOC_HEADS`]).
fn designator_class(lower: u64) -> u8 {
    static TABLE: std::sync::OnceLock<IdMap<u8>> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut m = IdMap::default();
        for w in ORG_HEADS {
            m.insert(lower_hash(w), ORG_HEAD);
        }
        for w in LOC_HEADS {
            m.insert(lower_hash(w), LOC_HEAD);
        }
        m
    });
    t.get(&lower).copied().unwrap_or(0)
}

/// Lower-case words that may join capitalised words into one run
/// ("Bank of England", "Procter and Gamble", "Ministry for Europe").
fn is_connector(t: &TokInfo) -> bool {
    static HASHES: std::sync::OnceLock<[u64; 5]> = std::sync::OnceLock::new();
    let hashes = HASHES.get_or_init(|| ["of", "and", "for", "de", "&"].map(lower_hash));
    (1..=3).contains(&t.len)
        && (t.lower_only || t.flags & F_PUNCT != 0)
        && hashes.contains(&t.lower)
}

/// Mark runs of capitalised words in one sentence: maximal sequences of
/// capitalised tokens, joined by connector words between two capitalised
/// tokens. Each member learns its position and the run's last word
/// (organisation names end in "Inc", "Party", "Council", "Ministry").
pub fn mark_runs(infos: &mut [TokInfo]) {
    let cap = |t: &TokInfo| t.flags & F_INIT_CAP != 0;
    let n = infos.len();
    let mut i = 0;
    while i < n {
        if !infos.get(i).is_some_and(cap) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        loop {
            if infos.get(end).is_some_and(cap) {
                end += 1;
            } else if infos.get(end).is_some_and(is_connector)
                && infos.get(end + 1).is_some_and(cap)
            {
                end += 2;
            } else {
                break;
            }
        }
        let last = infos.get(end - 1).map_or(0, |t| t.lower);
        let first = infos.get(i).map_or(0, |t| t.lower);
        let class = designator_class(last);
        for (k, t) in infos.iter_mut().enumerate().take(end).skip(i) {
            t.run_pos = if end - i == 1 {
                R_SINGLE
            } else if k == i {
                R_FIRST
            } else if k + 1 == end {
                R_LAST
            } else {
                R_INSIDE
            };
            t.run_end = last;
            t.run_start = first;
            t.run_class = class;
        }
        i = end;
    }
}

/// Number of static (tag-independent) features per position.
pub const N_STATIC: usize = 52;
/// Number of dynamic (tag-dependent) features per position.
pub const N_DYNAMIC: usize = 7;

const PAD: TokInfo = TokInfo {
    exact: 1,
    lower: 1,
    shape: 1,
    pre: [0; 4],
    suf: [0; 4],
    flags: 0,
    len: 0,
    gaz: 0,
    lower_only: false,
    doc: 0,
    run_pos: R_NONE,
    run_end: 0,
    run_start: 0,
    run_class: 0,
    cl: 0,
};

#[inline]
fn f(template: u64, v: u64) -> u64 {
    finish(mix(template.wrapping_mul(0x2545_f491_4f6c_dd1d), v))
}

/// A feature in a block of 8 neighbouring weight rows keyed by `key`, at
/// `slot` (0..8). Features of the same word at different window positions
/// share one block, so a word's rows are fetched into the cache once while
/// the window slides over it. (The tagger takes a feature's bucket from its
/// low bits.)
#[inline]
fn fb(group: u64, key: u64, slot: u64) -> u64 {
    (f(group, key) & !7) | (slot & 7)
}

/// Sentence-level context of a position.
#[derive(Debug, Clone, Copy, Default)]
pub struct SentCtx {
    /// Most word tokens of the sentence are in capitals (a headline).
    pub all_caps: bool,
    /// Index of the first word token of the sentence.
    pub first_word: usize,
}

pub fn sent_ctx(infos: &[TokInfo]) -> SentCtx {
    let mut words = 0;
    let mut caps = 0;
    let mut first_word = usize::MAX;
    for (i, t) in infos.iter().enumerate() {
        if t.flags & F_WORD != 0 && t.flags & F_HAS_DIGIT == 0 {
            words += 1;
            if t.flags & F_ALL_CAPS != 0 {
                caps += 1;
            }
            if first_word == usize::MAX {
                first_word = i;
            }
        }
    }
    SentCtx {
        all_caps: words >= 2 && caps * 10 >= words * 7,
        first_word,
    }
}

/// The static features of position `i` of a sentence.
pub fn static_features(infos: &[TokInfo], sc: &SentCtx, i: usize, out: &mut [u64; N_STATIC]) {
    let at = |k: isize| -> &TokInfo {
        let j = i as isize + k;
        if j < 0 {
            &PAD
        } else {
            infos.get(j as usize).unwrap_or(&PAD)
        }
    };
    let w0 = at(0);
    let (wm1, wm2, wp1, wp2) = (at(-1), at(-2), at(1), at(2));
    let caps = sc.all_caps as u64;
    let init = (i == sc.first_word) as u64;
    let mut k = 0;
    let mut put = |v: u64| {
        if let Some(slot) = out.get_mut(k) {
            *slot = v;
        }
        k += 1;
    };
    put(f(1, 0));
    // Word block: the lower-cased word at each window position.
    put(fb(2, w0.lower, 0));
    put(fb(2, wm1.lower, 1));
    put(fb(2, wp1.lower, 2));
    put(fb(2, wm2.lower, 3));
    put(fb(2, wp2.lower, 4));
    put(if caps != 0 {
        fb(2, w0.lower, 5)
    } else {
        f(0, 0)
    });
    put(if init != 0 {
        fb(2, w0.lower, 6)
    } else {
        f(0, 0)
    });
    // Bigram block.
    let b_m1_0 = mix(wm1.lower, w0.lower);
    put(fb(3, b_m1_0, 0));
    put(fb(3, mix(w0.lower, wp1.lower), 1));
    put(fb(3, mix(wp1.lower, wp2.lower), 2));
    put(fb(3, mix(wm2.lower, wm1.lower), 3));
    put(if caps != 0 { fb(3, b_m1_0, 4) } else { f(0, 0) });
    put(f(4, w0.exact));
    put(f(5, w0.shape));
    for j in 0..4 {
        put(f(6 + j as u64, w0.pre[j]));
        put(f(10 + j as u64, w0.suf[j]));
    }
    put(f(17, wm1.shape));
    put(f(18, wp1.shape));
    put(f(19, mix(wm1.shape, w0.shape)));
    put(f(20, mix(w0.shape, wp1.shape)));
    put(f(23, mix(init, w0.shape)));
    put(f(24, mix(caps, w0.shape)));
    put(f(27, w0.gaz as u64));
    put(f(28, wm1.gaz as u64));
    put(f(29, wp1.gaz as u64));
    put(f(30, mix(w0.gaz as u64, w0.shape)));
    put(f(31, mix(w0.len as u64, w0.flags as u64)));
    put(f(32, mix(wm1.lower, wp1.shape)));
    put(f(33, mix(wm2.shape, wm1.shape)));
    put(f(34, mix(wp1.shape, wp2.shape)));
    put(f(
        36,
        mix(w0.gaz as u64, mix(wm1.gaz as u64, wp1.gaz as u64)),
    ));
    put(f(39, mix(init, mix(w0.shape, wp1.lower))));
    // Document casing evidence, by position in the sentence.
    put(f(40, mix(w0.doc as u64, mix(init, caps))));
    put(f(41, mix(w0.doc as u64, w0.shape)));
    // The capitalised run: its last and first words, by position in the
    // run, and the designator class of its last word with the gazetteer
    // matches of this token ("Paris Saint-Germain FC", "Bank of England").
    let rp = w0.run_pos as u64;
    put(f(42, mix(rp, w0.run_end)));
    put(f(43, mix(rp, w0.run_start)));
    put(f(44, mix(rp, mix(w0.run_class as u64, w0.gaz as u64))));
    // Word clusters (GloVe k-means) of the word at three granularities and
    // of its neighbours, and how common the word is by its casing and place:
    // names never labelled in training share weights with their cluster.
    put(f(45, clusters::fine(w0.cl)));
    put(f(46, clusters::middle(w0.cl)));
    put(f(47, clusters::coarse(w0.cl)));
    put(f(48, mix(clusters::middle(w0.cl), w0.shape)));
    put(f(
        49,
        mix(clusters::middle(wm1.cl), clusters::coarse(w0.cl)),
    ));
    put(f(
        50,
        mix(clusters::coarse(w0.cl), clusters::middle(wp1.cl)),
    ));
    put(f(
        51,
        mix(clusters::freq_band(w0.cl), mix(w0.shape, mix(init, caps))),
    ));
    put(f(52, mix(rp, clusters::middle(w0.cl))));
    debug_assert_eq!(k, N_STATIC, "static feature count");
}

/// Tag-dependent features of position `i`: previous tags and the
/// document history `hist` (entity type last predicted for this word, 0 = none).
pub fn dynamic_features(
    infos: &[TokInfo],
    i: usize,
    prev1: u8,
    prev2: u8,
    hist: u8,
    out: &mut [u64; N_DYNAMIC],
) {
    let w0 = infos.get(i).unwrap_or(&PAD);
    let wp1 = infos.get(i + 1).unwrap_or(&PAD);
    out[0] = f(101, prev1 as u64);
    out[1] = f(102, mix(prev2 as u64, prev1 as u64));
    out[2] = f(103, mix(prev1 as u64, w0.lower));
    out[3] = f(104, mix(prev1 as u64, w0.shape));
    out[4] = f(105, mix(hist as u64, mix(w0.shape, wp1.shape)));
    out[6] = f(107, mix(hist as u64, w0.shape));
    out[5] = f(106, mix(prev1 as u64, mix(w0.shape, wp1.shape)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infos_of(text: &str) -> (TextLayer, Vec<TokInfo>) {
        let layer = TextLayer::build(text);
        let mut infos = Vec::new();
        let mut casing = IdMap::default();
        document_infos(text, &layer, &Gazetteer::default(), &mut infos, &mut casing);
        (layer, infos)
    }

    fn info<'a>(
        text: &str,
        layer: &TextLayer,
        infos: &'a [TokInfo],
        w: &str,
        nth: usize,
    ) -> &'a TokInfo {
        let i = layer
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.text(text) == w)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap();
        &infos[i]
    }

    #[test]
    fn capitalised_runs_join_connectors_and_know_their_last_word() {
        let text = "Shares of the Bank of Upper Westland Ltd rose, said Anna Berg on Monday.";
        let (layer, infos) = infos_of(text);
        let bank = info(text, &layer, &infos, "Bank", 0);
        let upper = info(text, &layer, &infos, "Upper", 0);
        let ltd = info(text, &layer, &infos, "Ltd", 0);
        assert_eq!(bank.run_pos, R_FIRST);
        assert_eq!(upper.run_pos, R_INSIDE);
        assert_eq!(ltd.run_pos, R_LAST);
        assert_eq!(bank.run_end, lower_hash("ltd"));
        assert_eq!(upper.run_start, lower_hash("bank"));
        assert_eq!(bank.run_class, ORG_HEAD);
        // The connector itself belongs to the run; words outside do not.
        assert_eq!(
            info(text, &layer, &infos, "of", 1).run_end,
            lower_hash("ltd")
        );
        assert_eq!(info(text, &layer, &infos, "of", 0).run_pos, R_NONE);
        assert_eq!(info(text, &layer, &infos, "rose", 0).run_pos, R_NONE);
        // A name after lower-case words is a run of its own.
        let anna = info(text, &layer, &infos, "Anna", 0);
        assert_eq!(anna.run_end, lower_hash("berg"));
        assert_eq!(anna.run_class, 0);
        assert_eq!(info(text, &layer, &infos, "Monday", 0).run_pos, R_SINGLE);
        // A connector at the end of a run does not join it to nothing.
        let (l2, i2) = infos_of("It went to Paris and then home.");
        assert_eq!(
            info("It went to Paris and then home.", &l2, &i2, "Paris", 0).run_pos,
            R_SINGLE
        );
    }

    #[test]
    fn document_casing_evidence() {
        let text = "Brown said the plan works. The brown dog barked. \
                    Officials met Green in Leeds. Green agreed.";
        let (layer, infos) = infos_of(text);
        // "Brown" starts a sentence and is written in lower case elsewhere.
        assert_eq!(info(text, &layer, &infos, "Brown", 0).doc, D_LOWER);
        // "Green" starts a sentence and is capitalised mid-sentence elsewhere.
        assert_eq!(info(text, &layer, &infos, "Green", 1).doc, D_CAP_MID);
        // Lower-case tokens carry no evidence themselves.
        assert_eq!(info(text, &layer, &infos, "brown", 0).doc, 0);
        // Headline capitals are not mid-sentence evidence.
        let h = "LEEDS WIN AGAIN\nThey won in Leeds.";
        let (l2, i2) = infos_of(h);
        assert_eq!(info(h, &l2, &i2, "LEEDS", 0).doc, D_CAP_MID);
        assert_eq!(info(h, &l2, &i2, "WIN", 0).doc, 0);
    }

    #[test]
    fn a_surname_introduced_with_a_first_name() {
        let text = "Tom Hale met Nordvik staff. Hale said Nordvik would grow.";
        let layer = TextLayer::build(text);
        let gaz = Gazetteer::parse("Tom\tFIRST\n");
        let mut infos = Vec::new();
        document_infos(text, &layer, &gaz, &mut infos, &mut IdMap::default());
        // Both mentions of "Hale" know the name was introduced as "Tom Hale".
        for nth in 0..2 {
            assert_ne!(
                info(text, &layer, &infos, "Hale", nth).doc & D_AFTER_FIRST,
                0
            );
        }
        assert_eq!(
            info(text, &layer, &infos, "Nordvik", 1).doc & D_AFTER_FIRST,
            0
        );
        assert_eq!(info(text, &layer, &infos, "Tom", 0).doc & D_AFTER_FIRST, 0);
    }

    #[test]
    fn every_static_feature_slot_is_filled() {
        let text = "Officials of the Bank of Upper Westland Ltd met Anna Berg.";
        let (layer, infos) = infos_of(text);
        let range = layer.sentence_tokens[0].clone();
        let sent = &infos[range];
        let sc = sent_ctx(sent);
        for i in 0..sent.len() {
            let mut out = [u64::MAX; N_STATIC];
            static_features(sent, &sc, i, &mut out);
            assert!(out.iter().all(|&v| v != u64::MAX), "position {i}");
        }
    }

    #[test]
    fn connectors_are_recognised_by_hash() {
        let (layer, infos) = infos_of("of and for de & or");
        let text = "of and for de & or";
        for (t, inf) in layer.tokens.iter().zip(&infos) {
            assert_eq!(is_connector(inf), t.text(text) != "or", "{}", t.text(text));
        }
    }
}
