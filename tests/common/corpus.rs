//! Generated test articles (no shared eval data): readable news-like text
//! from a seeded RNG, and a mixed corpus of unique articles, same-id copies,
//! exact content duplicates (new id, same text) and near duplicates (new id,
//! one word changed), each with its expected outcome. Also used by
//! examples/loadgen.rs (included by path).
#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const SYL: &[&str] = &[
    "ka", "lo", "mer", "tan", "vi", "sol", "dra", "pen", "qui", "ros", "bel", "gar", "nu", "fen",
    "tor", "lis", "mon", "ze", "har", "cul", "ob", "rin", "sta", "vel", "dun", "pra", "ith", "mo",
    "gle", "ser",
];
const VERBS: &[&str] = &[
    "approved",
    "rejected",
    "announced",
    "delayed",
    "expanded",
    "cut",
    "raised",
    "reviewed",
    "signed",
    "criticised",
    "defended",
    "postponed",
    "unveiled",
    "suspended",
    "funded",
];
const NOUNS: &[&str] = &[
    "budget",
    "plan",
    "contract",
    "project",
    "deal",
    "proposal",
    "programme",
    "tariff",
    "bridge",
    "pipeline",
    "hospital",
    "port",
    "strike",
    "merger",
    "railway",
    "school",
    "reform",
    "loan",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const CUES: &[&str] = &["said", "told reporters", "added", "warned", "argued"];

fn word(rng: &mut StdRng) -> String {
    let n = rng.gen_range(2..=3);
    (0..n).map(|_| *SYL.choose(rng).unwrap_or(&"ka")).collect()
}

fn name(rng: &mut StdRng) -> String {
    let mut w = word(rng);
    if let Some(f) = w.get_mut(0..1) {
        f.make_ascii_uppercase();
    }
    w
}

fn sentence(rng: &mut StdRng) -> String {
    let pick = |rng: &mut StdRng, xs: &[&str]| xs.choose(rng).copied().unwrap_or("x").to_string();
    match rng.gen_range(0..5) {
        0 => format!(
            "The {} council of {} {} the {} {} {} on {}.",
            word(rng),
            name(rng),
            pick(rng, VERBS),
            word(rng),
            word(rng),
            pick(rng, NOUNS),
            pick(rng, DAYS)
        ),
        1 => format!(
            "\u{201C}We will {} the {} {} before {},\u{201D} {} {} {}.",
            word(rng),
            word(rng),
            pick(rng, NOUNS),
            pick(rng, MONTHS),
            name(rng),
            name(rng),
            pick(rng, CUES)
        ),
        2 => format!(
            "The {} {} costs ${}.{} million, up {}% from {} {}.",
            word(rng),
            pick(rng, NOUNS),
            rng.gen_range(1..900),
            rng.gen_range(0..10),
            rng.gen_range(1..60),
            pick(rng, MONTHS),
            rng.gen_range(2001..2026)
        ),
        3 => format!(
            "About {} {} {} in {} after the {} {} {} {}.",
            rng.gen_range(20..90_000),
            word(rng),
            word(rng),
            name(rng),
            word(rng),
            pick(rng, NOUNS),
            word(rng),
            pick(rng, VERBS)
        ),
        _ => format!(
            "{} {}, who leads the {} {} group, {} that {} {} {} would {} {} {}.",
            name(rng),
            name(rng),
            name(rng),
            word(rng),
            pick(rng, CUES),
            word(rng),
            word(rng),
            pick(rng, NOUNS),
            word(rng),
            word(rng),
            word(rng)
        ),
    }
}

/// A title and a body of about `target_bytes` (paragraphs of 2-4 sentences).
pub fn article_text(rng: &mut StdRng, target_bytes: usize) -> (String, String) {
    let title = format!(
        "{} {} {} {} {}",
        name(rng),
        VERBS.choose(rng).copied().unwrap_or("x"),
        word(rng),
        NOUNS.choose(rng).copied().unwrap_or("x"),
        name(rng)
    );
    let mut body = String::with_capacity(target_bytes + 200);
    while body.len() < target_bytes {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        let n = rng.gen_range(2..=4);
        let para: Vec<String> = (0..n).map(|_| sentence(rng)).collect();
        body.push_str(&para.join(" "));
    }
    (title, body)
}

/// An article as the raw JSON payload.
pub fn article_json(
    id: &str,
    title: &str,
    body: &str,
    extra: Option<(&str, serde_json::Value)>,
) -> Vec<u8> {
    let mut v = serde_json::json!({
        "id": id,
        "title": title,
        "body": body,
        "source": "generated",
        "published_at": "2026-11-02T09:30:00Z",
    });
    if let (Some((k, x)), Some(obj)) = (extra, v.as_object_mut()) {
        obj.insert(k.to_string(), x);
    }
    serde_json::to_vec(&v).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// First of its group.
    Original,
    /// The same bytes again (same id): a republish.
    SameIdCopy,
    /// New id, same title and body: an exact content duplicate.
    ContentDup,
    /// New id, one word of the body changed: a near duplicate.
    NearDup,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    /// Index of the original this item belongs to.
    pub group: usize,
    pub kind: Kind,
    pub payload: Vec<u8>,
}

/// Expected outcome: in every group exactly one id is enriched, every other
/// message of the group is recorded on the duplicates subject with
/// `duplicate_of` = that id. Which member wins can depend on delivery order
/// after a crash (a redelivered original can arrive after its duplicate), so
/// the tests check per group, not "the original always wins".
pub struct Corpus {
    /// In publish order: a duplicate comes 300-2,000 items after its original.
    pub items: Vec<Item>,
    pub originals: usize,
}

impl Corpus {
    /// `total` raw messages: 70% originals, and 10% each of same-id copies,
    /// content duplicates and near duplicates (each of a distinct original).
    /// With `near = false` the near-duplicate share becomes originals.
    pub fn mixed(total: usize, seed: u64, body_bytes: usize, near: bool) -> Corpus {
        let mut rng = StdRng::seed_from_u64(seed);
        let per_kind = total / 10;
        let kinds = if near { 3 } else { 2 };
        let originals = total - per_kind * kinds;
        let mut texts = Vec::with_capacity(originals);
        let mut keyed: Vec<(f64, Item)> = Vec::with_capacity(total);
        for i in 0..originals {
            let (title, body) = article_text(&mut rng, body_bytes);
            let id = format!("g{seed}-{i}");
            keyed.push((
                i as f64,
                Item {
                    id: id.clone(),
                    group: i,
                    kind: Kind::Original,
                    payload: article_json(&id, &title, &body, None),
                },
            ));
            texts.push((title, body));
        }
        let mut order: Vec<usize> = (0..originals).collect();
        order.shuffle(&mut rng);
        let mut next = order.into_iter();
        let mut add = |rng: &mut StdRng, kind: Kind| {
            let Some(g) = next.next() else { return };
            let (title, body) = &texts[g];
            let base = format!("g{seed}-{g}");
            let (id, payload) = match kind {
                Kind::SameIdCopy => (base.clone(), article_json(&base, title, body, None)),
                Kind::ContentDup => {
                    let id = format!("{base}-c");
                    let p = article_json(&id, title, body, None);
                    (id, p)
                }
                _ => {
                    let id = format!("{base}-n");
                    // Replace one word in the middle of the body.
                    let words: Vec<&str> = body.split(' ').collect();
                    let k = words.len() / 2;
                    let mut w2: Vec<String> = words.iter().map(|s| s.to_string()).collect();
                    if let Some(w) = w2.get_mut(k) {
                        *w = "altered".into();
                    }
                    let p = article_json(&id, title, &w2.join(" "), None);
                    (id, p)
                }
            };
            let key = g as f64 + rng.gen_range(300.0..2000.0);
            keyed.push((
                key,
                Item {
                    id,
                    group: g,
                    kind,
                    payload,
                },
            ));
        };
        for _ in 0..per_kind {
            add(&mut rng, Kind::SameIdCopy);
            add(&mut rng, Kind::ContentDup);
            if near {
                add(&mut rng, Kind::NearDup);
            }
        }
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        Corpus {
            items: keyed.into_iter().map(|(_, it)| it).collect(),
            originals,
        }
    }

    /// Only originals (every article unique).
    pub fn unique(total: usize, seed: u64, body_bytes: usize) -> Corpus {
        let mut rng = StdRng::seed_from_u64(seed);
        let items = (0..total)
            .map(|i| {
                let (title, body) = article_text(&mut rng, body_bytes);
                let id = format!("u{seed}-{i}");
                Item {
                    payload: article_json(&id, &title, &body, None),
                    id,
                    group: i,
                    kind: Kind::Original,
                }
            })
            .collect();
        Corpus {
            items,
            originals: total,
        }
    }

    /// (payload, raw-side Nats-Msg-Id) pairs for [`super::publish_many`]:
    /// every raw message gets its own msg id (position), so a publisher
    /// retry cannot store it twice while a same-id copy still reaches the worker.
    pub fn publishable(&self, tag: &str) -> Vec<(Vec<u8>, Option<String>)> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.payload.clone(), Some(format!("raw-{tag}-{i}"))))
            .collect()
    }
}
