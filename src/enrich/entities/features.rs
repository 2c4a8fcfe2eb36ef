//! Feature extraction for the entity tagger: per-token hashed descriptors
//! (word, lower-cased word, shape, affixes, gazetteer matches) computed once
//! per sentence, combined into hashed feature ids for each position. No
//! string is allocated per feature: every value is mixed into a `u64`.

use super::gazetteer::Gazetteer;
use crate::text::{Token, TokenKind};

/// Mix two 64-bit values (FxHash-style multiply-rotate).
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(5) ^ b).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Final avalanche so that low and high bits are both usable.
#[inline]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// Hash of a token's lower-cased form with digits folded to `0`, the key
/// the gazetteer and the document history use.
pub fn lower_hash(s: &str) -> u64 {
    let mut h = SEED;
    for c in s.chars() {
        h = push_lower(h, c);
    }
    h
}

#[inline]
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        if c.is_ascii_digit() {
            '0'
        } else {
            c.to_ascii_lowercase()
        }
    } else if c.is_numeric() {
        '0'
    } else {
        match c {
            '\u{2019}' | '\u{2018}' => '\'',
            _ => c.to_lowercase().next().unwrap_or(c),
        }
    }
}

#[inline]
fn push_lower(h: u64, c: char) -> u64 {
    mix(h, fold_char(c) as u64)
}

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
}

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
    }
}

/// Fill `infos` for the tokens `toks` of one sentence, with gazetteer matches.
pub fn sentence_infos(text: &str, toks: &[Token], gaz: &Gazetteer, infos: &mut Vec<TokInfo>) {
    infos.clear();
    infos.extend(toks.iter().map(|t| tok_info(text, t)));
    gaz.mark(infos);
}

/// Number of static (tag-independent) features per position.
pub const N_STATIC: usize = 39;
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
