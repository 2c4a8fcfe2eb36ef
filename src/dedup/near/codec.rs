//! The binary form of a [`Fingerprint`] for the KV bucket and the
//! registration log ([`encode`], [`decode`], both versions), and the b-bit
//! packing of sketches it shares with the in-memory core.

use super::{from_legacy, sketch_bits, Fingerprint, NearConfig};

/// First bytes of the binary form of a [`Fingerprint`] (version 2; the
/// first version, with a shingle sample, started with the shingle total).
pub(super) const FP_MAGIC: &[u8; 4] = b"LDF2";

/// Compact binary form (for the KV bucket and the registration log): magic,
/// `total` (u32), signature length (u32), sketch bits (u8), sketch length
/// (u32), the signature (little-endian u32s), then the sketch packed
/// `8 / bits` values per byte, lowest bits first. (A first-format encoding
/// whose shingle total happened to be the magic read as a number, 843
/// million, would be misread; no article has that many shingles.)
pub fn encode(fp: &Fingerprint) -> Vec<u8> {
    let bits = if fp.sketch.is_empty() {
        0
    } else {
        sketch_bits(fp.bits)
    };
    let mut out = Vec::with_capacity(17 + 4 * fp.minhash.len() + fp.sketch.len());
    out.extend_from_slice(FP_MAGIC);
    out.extend_from_slice(&fp.total.to_le_bytes());
    out.extend_from_slice(&(fp.minhash.len() as u32).to_le_bytes());
    out.push(bits);
    let count = if bits > 0 { fp.sketch.len() } else { 0 };
    out.extend_from_slice(&(count as u32).to_le_bytes());
    for v in &fp.minhash {
        out.extend_from_slice(&v.to_le_bytes());
    }
    if bits > 0 {
        let at = out.len();
        out.resize(at + packed_len(count, bits), 0);
        pack(&fp.sketch, bits, &mut out[at..]);
    }
    out
}

/// Bytes that `n` values of `bits` bits take packed.
pub(crate) fn packed_len(n: usize, bits: u8) -> usize {
    (n * usize::from(sketch_bits(bits))).div_ceil(8)
}

/// Pack b-bit values into `out` ([`packed_len`] bytes), `8 / bits` per
/// byte, lowest bits first; `bits` is rounded as [`sketch_bits`] does.
pub(crate) fn pack(values: &[u8], bits: u8, out: &mut [u8]) {
    let bits = sketch_bits(bits);
    let per = usize::from(8 / bits);
    let mask = ((1u32 << bits) - 1) as u8;
    out.fill(0);
    for (k, v) in values.iter().enumerate() {
        if let Some(b) = out.get_mut(k / per) {
            *b |= (v & mask) << ((k % per) * usize::from(bits));
        }
    }
}

/// Value `k` of b-bit values packed by [`pack`] (0 past the end).
pub(crate) fn packed_value(packed: &[u8], bits: u8, k: usize) -> u8 {
    let bits = sketch_bits(bits);
    let per = usize::from(8 / bits);
    let mask = ((1u32 << bits) - 1) as u8;
    packed
        .get(k / per)
        .map_or(0, |b| (b >> ((k % per) * usize::from(bits))) & mask)
}

/// Inverse of [`pack`] for `n` values.
pub(crate) fn unpack(packed: &[u8], bits: u8, n: usize) -> Vec<u8> {
    (0..n).map(|k| packed_value(packed, bits, k)).collect()
}

/// Inverse of [`encode`]; `None` for malformed bytes. The first format
/// (total, signature length, signature, shingle sample) is read too, its
/// sketch taken from the signature with `cfg.sketch_bits` bits (or from the
/// sample: [`from_legacy`]).
pub fn decode(bytes: &[u8], cfg: &NearConfig) -> Option<Fingerprint> {
    let Some(rest) = bytes.strip_prefix(FP_MAGIC) else {
        return decode_v1(bytes, cfg);
    };
    let (total, rest) = rest.split_first_chunk::<4>()?;
    let (n, rest) = rest.split_first_chunk::<4>()?;
    let (&bits, rest) = rest.split_first()?;
    let (count, rest) = rest.split_first_chunk::<4>()?;
    let n = u32::from_le_bytes(*n) as usize;
    let count = u32::from_le_bytes(*count) as usize;
    if !matches!(bits, 0 | 1 | 2 | 4 | 8) || rest.len() / 4 < n {
        return None;
    }
    let (sig, packed) = rest.split_at(4 * n);
    let minhash: Vec<u32> = sig
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut sketch = Vec::new();
    if bits > 0 {
        if packed.len() != packed_len(count, bits) {
            return None;
        }
        sketch = unpack(packed, bits, count);
    } else if !packed.is_empty() || count > 0 {
        return None;
    }
    Some(Fingerprint {
        minhash,
        sketch,
        bits,
        total: u32::from_le_bytes(*total),
    })
}

fn decode_v1(bytes: &[u8], cfg: &NearConfig) -> Option<Fingerprint> {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(4) {
        return None;
    }
    let words: Vec<u32> = bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let total = *words.first()?;
    let n = *words.get(1)? as usize;
    let minhash = words.get(2..2usize.checked_add(n)?)?.to_vec();
    let shingles = words.get(2 + n..)?;
    Some(from_legacy(minhash, shingles, total, cfg))
}
