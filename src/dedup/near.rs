//! Near-duplicate fingerprints: MinHash over word shingles, LSH banding, and
//! exact Jaccard confirmation. (Placeholder until the dedup issue lands: the
//! fingerprint is empty and nothing is ever a near-duplicate.)

/// Parameters of the near-duplicate detector.
#[derive(Debug, Clone, PartialEq)]
pub struct NearConfig {
    /// Minimum shingle Jaccard similarity for a confirmed near-duplicate.
    pub threshold: f64,
}

impl Default for NearConfig {
    fn default() -> Self {
        NearConfig { threshold: 0.5 }
    }
}

/// What is remembered of an article for near-duplicate search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fingerprint {
    pub minhash: Vec<u64>,
}

/// Fingerprint of an article's normalised text.
pub fn fingerprint(_title: &str, _body: &str, _cfg: &NearConfig) -> Fingerprint {
    Fingerprint::default()
}
