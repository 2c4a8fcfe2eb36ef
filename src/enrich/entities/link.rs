//! The document-level pass over the tagger's labels: spans from IOB2 labels,
//! possessives and punctuation trimmed, titles and honorifics stripped from
//! person names, sentence-initial common words dropped, one type per name
//! across the article (majority vote), demonyms to NORP, and linking of
//! mentions to canonical names (surnames to full names, acronyms to their
//! expansions, country short forms to their full names).

use std::collections::{HashMap, HashSet};

use super::features::lower_hash;
use super::gazetteer::{self, Gazetteer};
use super::repair;
use super::tagger::{is_begin, label_type};
use crate::output::{Entity, EntityType, Field, Mention};
use crate::text::{TextLayer, Token, TokenKind};

/// A candidate span over tokens `[start, end)` with type 1 PER, 2 ORG, 3 LOC, 4 MISC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokSpan {
    pub start: usize,
    pub end: usize,
    pub kind: u8,
}

/// Spans from IOB2 labels (an I- without a matching B- starts a span).
pub fn spans_from_labels(labels: &[u8]) -> Vec<TokSpan> {
    let mut out: Vec<TokSpan> = Vec::new();
    let mut cur: Option<TokSpan> = None;
    for (i, &l) in labels.iter().enumerate() {
        let t = label_type(l);
        let cont = matches!(cur, Some(c) if t != 0 && !is_begin(l) && c.kind == t);
        if cont {
            if let Some(c) = cur.as_mut() {
                c.end = i + 1;
            }
            continue;
        }
        if let Some(c) = cur.take() {
            out.push(c);
        }
        if t != 0 {
            cur = Some(TokSpan {
                start: i,
                end: i + 1,
                kind: t,
            });
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
    out
}

/// Titles and honorifics stripped from the front of person names.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "general",
    "gen",
    "col",
    "colonel",
    "capt",
    "captain",
    "lt",
    "sgt",
    "judge",
    "justice",
    "secretary",
    "ambassador",
    "chairman",
    "chairwoman",
    "mayor",
    "professor",
    "prof",
    "rev",
    "reverend",
    "sheikh",
    "ayatollah",
    "premier",
    "deputy",
    "foreign",
    "defence",
    "defense",
    "high",
    "economy",
    "finance",
    "chief",
    "coach",
    "officer",
];

/// Common words that start sentences and are never entities on their own.
const SENTENCE_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "but",
    "and",
    "or",
    "however",
    "in",
    "on",
    "at",
    "it",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "its",
    "there",
    "here",
    "after",
    "before",
    "during",
    "while",
    "when",
    "if",
    "as",
    "for",
    "with",
    "meanwhile",
    "moreover",
    "nonetheless",
    "nevertheless",
    "amid",
    "among",
    "yet",
    "so",
    "then",
    "also",
    "still",
    "some",
    "many",
    "most",
    "all",
    "both",
    "each",
    "every",
    "no",
    "not",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "asked",
    "said",
    "earlier",
    "later",
    "today",
    "yesterday",
    "tomorrow",
    "now",
    "despite",
    "although",
    "though",
    "since",
    "until",
    "under",
    "over",
    "from",
    "by",
    "to",
    "of",
    "tensions",
    "historical",
    "during",
];

/// Country short forms and their canonical names.
const COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("us", "United States"),
    ("u.s.", "United States"),
    ("u.s", "United States"),
    ("usa", "United States"),
    ("u.s.a.", "United States"),
    ("america", "United States"),
    ("united states of america", "United States"),
    ("the united states", "United States"),
    ("united states", "United States"),
    ("uk", "United Kingdom"),
    ("u.k.", "United Kingdom"),
    ("u.k", "United Kingdom"),
    ("britain", "United Kingdom"),
    ("great britain", "United Kingdom"),
    ("united kingdom", "United Kingdom"),
    ("uae", "United Arab Emirates"),
    ("u.a.e.", "United Arab Emirates"),
    ("russian federation", "Russia"),
    ("holland", "Netherlands"),
    ("the netherlands", "Netherlands"),
    ("south korea", "South Korea"),
    ("republic of korea", "South Korea"),
    ("north korea", "North Korea"),
    ("czechia", "Czech Republic"),
];

fn country_alias(key: &str) -> Option<&'static str> {
    COUNTRY_ALIASES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
}

/// How many times the other votes the winning type needs to relabel a name.
const MAJORITY_FACTOR: u32 = 3;

/// Connector words allowed inside an expansion when matching initials.
const CONNECTORS: &[&str] = &["of", "the", "and", "for", "on", "in", "de", "&"];

fn tok_text<'a>(text: &'a str, toks: &[Token], i: usize) -> &'a str {
    toks.get(i).map(|t| t.text(text)).unwrap_or("")
}

fn is_trim_token(t: &Token, s: &str) -> bool {
    match t.kind {
        TokenKind::Clitic | TokenKind::Quote => true,
        TokenKind::Punct => !matches!(s, "&"),
        _ => false,
    }
}

/// A span after clean-up, with its normalised key and surface text.
#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    kind: u8,
    /// Lower-cased tokens joined by single spaces.
    key: String,
    /// Surface tokens joined by single spaces.
    surface: String,
    /// Number of word tokens.
    words: usize,
    /// Index of the segment (body, title) the token indices point into.
    seg: usize,
    /// A lower-case role noun follows ("Tory leader", "Acme spokesman").
    before_role: bool,
}

fn join_tokens(text: &str, toks: &[Token], start: usize, end: usize, lower: bool) -> String {
    let mut s = String::new();
    for i in start..end {
        let t = tok_text(text, toks, i);
        if i > start && toks.get(i).is_some_and(|x| x.space_before) {
            s.push(' ');
        }
        if lower {
            for c in t.chars() {
                let c = match c {
                    '\u{2019}' | '\u{2018}' => '\'',
                    c => c,
                };
                s.extend(c.to_lowercase());
            }
        } else {
            s.push_str(t);
        }
    }
    s
}

fn is_title(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    TITLES.contains(&w.as_str())
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(|c| c.is_uppercase()) && !s.chars().any(|c| c.is_lowercase())
}

/// Clean-up of one segment's spans into candidates, appended to `cands`.
fn candidates(
    segs: &[Segment],
    si: usize,
    gaz: &Gazetteer,
    lower_words: &mut Option<HashSet<u64>>,
    cands: &mut Vec<Cand>,
) {
    let Some(sg) = segs.get(si) else { return };
    let (text, layer, labels) = (sg.text, sg.layer, sg.labels);
    let toks = &layer.tokens;
    let mut raw = spans_from_labels(labels);
    add_country_short_forms(text, toks, labels, &mut raw);
    repair::repair(text, toks, labels, gaz, &mut raw);
    if raw.is_empty() {
        return;
    }
    // Sentence start word index for each token position that begins a sentence.
    let mut sentence_first = vec![false; toks.len()];
    for r in &layer.sentence_tokens {
        let first = (r.start..r.end).find(|&i| {
            toks.get(i)
                .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        });
        if let Some(slot) = first.and_then(|f| sentence_first.get_mut(f)) {
            *slot = true;
        }
    }

    for sp in raw {
        let (mut s, mut e) = (sp.start, sp.end.min(toks.len()));
        while s < e && toks.get(s).is_some_and(|t| is_trim_token(t, t.text(text))) {
            s += 1;
        }
        // Trailing punctuation and possessive clitics ("Trump's").
        while e > s
            && toks
                .get(e - 1)
                .is_some_and(|t| is_trim_token(t, t.text(text)))
        {
            e -= 1;
        }
        // A person span of two or more words that are all titles ("High
        // Representative", "Prime Minister") names an office, not a person.
        let office_only =
            sp.kind == 1 && e >= s + 2 && (s..e).all(|i| is_title(tok_text(text, toks, i)));
        // Trailing title words: "UK Prime" (from "UK Prime Minister").
        while e > s + 1 && is_title(tok_text(text, toks, e - 1)) {
            e -= 1;
        }
        // A split possessive "' s" at the end.
        if e > s + 1
            && tok_text(text, toks, e - 1) == "s"
            && toks
                .get(e - 2)
                .is_some_and(|t| t.kind == TokenKind::Quote && !toks[e - 1].space_before)
        {
            e -= 2;
        }
        if sp.kind == 1 {
            // Titles: "Sir Keir Starmer", "US President Donald Trump".
            loop {
                if e <= s + 1 {
                    break;
                }
                let w = tok_text(text, toks, s);
                if is_title(w) {
                    s += 1;
                    if tok_text(text, toks, s) == "." {
                        s += 1;
                    }
                    continue;
                }
                let g = gaz.lookup_text(w);
                let next_title = is_title(tok_text(text, toks, s + 1));
                if next_title
                    && (g & (gazetteer::NORP | gazetteer::COUNTRY) != 0
                        || country_alias(&w.to_lowercase()).is_some())
                {
                    s += 1;
                    continue;
                }
                break;
            }
        }
        // A person "name" made only of title words ("Representative") is not
        // a name, unless those words are also surnames ("King").
        let only_titles = sp.kind == 1
            && (s..e).all(|i| {
                let w = tok_text(text, toks, i);
                is_title(w) && gaz.lookup_text(w) & (gazetteer::FIRST | gazetteer::LAST) == 0
            });
        if e <= s || only_titles || office_only {
            continue;
        }
        let words = (s..e)
            .filter(|&i| {
                toks.get(i)
                    .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            })
            .count();
        if words == 0 {
            continue;
        }
        let key = join_tokens(text, toks, s, e, true);
        // Sentence-initial capitalised common words.
        if e == s + 1 && sentence_first.get(s).copied().unwrap_or(false) {
            let surface = tok_text(text, toks, s);
            if SENTENCE_WORDS.contains(&key.as_str()) {
                continue;
            }
            if !is_all_caps(surface) && gaz.lookup_text(surface) == 0 {
                let lw = lower_words.get_or_insert_with(|| lower_word_set(segs));
                if lw.contains(&lower_hash(surface)) {
                    continue;
                }
            }
        }
        let surface = join_tokens(text, toks, s, e, false);
        cands.push(Cand {
            start: s,
            end: e,
            kind: sp.kind,
            key,
            surface,
            words,
            seg: si,
            before_role: is_role_after(text, toks, e),
        });
    }
}

/// One text the entities are read from: the body, or the title.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    pub text: &'a str,
    pub layer: &'a TextLayer,
    /// The tagger's IOB2 labels, one per token of `layer`.
    pub labels: &'a [u8],
    /// Where the mentions point: `None` the body, `Some(Title)` the title.
    pub field: Option<Field>,
}

/// Build the output entities of one text from per-token labels.
pub fn build_entities(
    text: &str,
    layer: &TextLayer,
    labels: &[u8],
    gaz: &Gazetteer,
) -> Vec<Entity> {
    let seg = Segment {
        text,
        layer,
        labels,
        field: None,
    };
    build_entities_in(&[seg], gaz)
}

/// Lower-cased hashes of the words written in lower case anywhere in `segs`.
fn lower_word_set(segs: &[Segment]) -> HashSet<u64> {
    segs.iter()
        .flat_map(|sg| {
            sg.layer.tokens.iter().filter_map(move |t| {
                let w = t.text(sg.text);
                (t.kind == TokenKind::Word && w.chars().next().is_some_and(|c| c.is_lowercase()))
                    .then(|| lower_hash(w))
            })
        })
        .collect()
}

/// A headline in title case or capitals ("Merkel Meets Macron"): its
/// capitals say nothing about names.
fn is_headline_case(text: &str, toks: &[Token]) -> bool {
    let words: Vec<&str> = toks
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text(text))
        .filter(|w| w.chars().count() > 3)
        .collect();
    let caps = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    words.len() >= 2 && caps * 4 > words.len() * 3
}

/// Build the output entities from several texts (body and title): one
/// linking over all of them, each mention marked with its text's field.
pub fn build_entities_in(segs: &[Segment], gaz: &Gazetteer) -> Vec<Entity> {
    let mut lower_words: Option<HashSet<u64>> = None;
    let mut cands: Vec<Cand> = Vec::new();
    for (si, sg) in segs.iter().enumerate() {
        let before = cands.len();
        candidates(segs, si, gaz, &mut lower_words, &mut cands);
        // A title-case headline keeps only names the body confirms.
        if sg.field.is_some() && is_headline_case(sg.text, &sg.layer.tokens) {
            let body_keys: HashSet<String> = cands[..before]
                .iter()
                .filter(|c| segs.get(c.seg).is_some_and(|x| x.field.is_none()))
                .flat_map(|c| {
                    let words: Vec<&str> = c.key.split(' ').collect();
                    let n = words.len();
                    (0..n)
                        .flat_map(move |i| (i + 1..=n).map(move |j| (i, j)))
                        .filter(move |&(i, j)| i == 0 || j == n)
                        .map(|(i, j)| words[i..j].join(" "))
                        .collect::<Vec<_>>()
                })
                .collect();
            cands.retain(|c| c.seg != si || body_keys.contains(&c.key));
        }
    }
    if cands.is_empty() {
        return Vec::new();
    }
    let text_of = |c: &Cand| segs.get(c.seg).map(|x| x.text).unwrap_or("");
    let toks_of = |c: &Cand| {
        segs.get(c.seg)
            .map(|x| x.layer.tokens.as_slice())
            .unwrap_or(&[])
    };

    // One type per name: majority vote (ties: the first seen).
    let mut votes: HashMap<&str, [u32; 5]> = HashMap::new();
    for c in &cands {
        if let Some(v) = votes
            .entry(c.surface.as_str())
            .or_insert([0; 5])
            .get_mut(c.kind as usize)
        {
            *v += 1;
        }
    }
    let mut majority: HashMap<String, u8> = HashMap::with_capacity(votes.len());
    for (k, v) in &votes {
        let best = (1..5u8)
            .max_by_key(|&t| (v.get(t as usize).copied().unwrap_or(0), 5 - t))
            .unwrap_or(1);
        let top = v.get(best as usize).copied().unwrap_or(0);
        let rest: u32 = v.iter().sum::<u32>() - top;
        // Only a clear majority overrides the tagger: names that really are
        // used in two senses (a city and its team) keep their labels.
        if rest > 0 && top >= MAJORITY_FACTOR * rest {
            majority.insert((*k).to_string(), best);
        }
    }
    for c in &mut cands {
        if let Some(&m) = majority.get(&c.surface) {
            c.kind = m;
        }
    }

    // Acronyms defined in the text: "European Union (EU)" or "EU (European Union)".
    let mut acronyms: HashMap<String, (String, u8)> = HashMap::new();
    for c in &cands {
        let (text, toks) = (text_of(c), toks_of(c));
        let open = tok_text(text, toks, c.end);
        let close = tok_text(text, toks, c.end + 2);
        if open == "(" && close == ")" && c.words >= 2 {
            let acr = tok_text(text, toks, c.end + 1);
            if is_all_caps(acr) && acr.chars().count() >= 2 {
                acronyms.insert(acr.to_lowercase(), (c.surface.clone(), c.kind));
            }
        }
    }

    // Person names with two or more words, for surname linking.
    let full_names: Vec<(&str, &str, usize)> = cands
        .iter()
        .filter(|c| c.kind == 1 && c.words >= 2)
        .map(|c| (c.key.as_str(), c.surface.as_str(), c.start))
        .collect();
    let multi_word: Vec<(&str, &str, u8)> = cands
        .iter()
        .filter(|c| c.words >= 2 && matches!(c.kind, 2 | 3))
        .map(|c| (c.key.as_str(), c.surface.as_str(), c.kind))
        .collect();

    // Best display form per key: prefer a mixed-case spelling over all caps.
    let mut display: HashMap<&str, &str> = HashMap::new();
    for c in &cands {
        let e = display.entry(c.key.as_str()).or_insert(c.surface.as_str());
        if is_all_caps(e) && !is_all_caps(&c.surface) {
            *e = c.surface.as_str();
        }
    }

    // Resolve each candidate to (type, canonical).
    let mut resolved: Vec<(EntityType, String, &Cand)> = Vec::with_capacity(cands.len());
    for c in &cands {
        let mut kind = c.kind;
        let in_title = segs.get(c.seg).is_some_and(|x| x.field.is_some());
        if kind != 1 && c.words == 1 && country_alias(&c.key).is_none() {
            // A lone surname typed from its full-name mention ("Tom Hale" ...
            // "Hale"), when that name starts with a known first name or the
            // surname stands in the headline.
            let of_person = full_names.iter().any(|(k, _, _)| {
                k.rsplit(' ').next() == Some(c.key.as_str())
                    && (in_title
                        || k.split(' ')
                            .next()
                            .is_some_and(|f| gaz.lookup_text(f) & gazetteer::FIRST != 0))
            });
            if of_person {
                kind = 1;
            }
        }
        if kind == 1
            && c.words == 1
            && c.before_role
            && !full_names
                .iter()
                .any(|(k, _, _)| k.split(' ').any(|w| w == c.key))
        {
            // A one-word "person" before a role, never part of a person's
            // name in the article, is the organisation ("Tory leader").
            kind = 2;
        }
        let surface = display.get(c.key.as_str()).copied().unwrap_or(&c.surface);
        let mut canonical: Option<String> = None;
        if let Some(country) = country_alias(&c.key) {
            if kind != 1 {
                kind = 3;
                canonical = Some(country.to_string());
            }
        }
        if canonical.is_none() {
            if let Some((exp, k)) = acronyms.get(&c.key) {
                kind = *k;
                canonical = Some(exp.clone());
            }
        }
        if canonical.is_none() && kind == 2 && c.words == 1 && is_all_caps(&c.surface) {
            if let Some((_, exp, k)) = multi_word
                .iter()
                .find(|(key, _, _)| initials_match(key, &c.key))
            {
                kind = *k;
                canonical = Some((*exp).to_string());
            }
        }
        if canonical.is_none() && kind == 2 && c.words == 1 && !is_all_caps(&c.surface) {
            // A short organisation name to its fullest form ("Amnesty" ->
            // "Amnesty International").
            let longest = multi_word
                .iter()
                .filter(|(k, _, t)| *t == 2 && k.split(' ').next() == Some(c.key.as_str()))
                .max_by_key(|(k, _, _)| k.len());
            if let Some((k, surf, _)) = longest {
                canonical = Some(display.get(k).copied().unwrap_or(surf).to_string());
            }
        }
        if canonical.is_none() && kind == 1 && c.words < 3 {
            // Surname (or first name) to the full name seen in the article.
            let parts: Vec<&str> = c.key.split(' ').collect();
            let mut best: Option<(&str, usize)> = None;
            for (k, surf, _) in &full_names {
                if *k == c.key.as_str() || k.split(' ').count() <= parts.len() {
                    continue;
                }
                let kp: Vec<&str> = k.split(' ').collect();
                let tail = kp.len() >= parts.len() && kp[kp.len() - parts.len()..] == parts[..];
                let head = parts.len() == 1 && kp.first() == parts.first();
                if tail || head {
                    let score = kp.len() * 2 + tail as usize;
                    if best.is_none_or(|(_, b)| score > b) {
                        best = Some((surf, score));
                    }
                }
            }
            if let Some((surf, _)) = best {
                let disp = full_names
                    .iter()
                    .find(|(_, s, _)| *s == surf)
                    .and_then(|(k, _, _)| display.get(k).copied())
                    .unwrap_or(surf);
                canonical = Some(disp.to_string());
            }
        }
        if kind == 4 {
            // Demonyms and group names: NORP, canonical in the singular.
            let g = gaz.lookup_text(&c.key);
            if g & gazetteer::NORP != 0 || (c.words == 1 && looks_demonym(&c.key)) {
                kind = 5;
                let sing = c.key.strip_suffix('s').unwrap_or(&c.key);
                if sing != c.key && gaz.lookup_text(sing) & gazetteer::NORP != 0 {
                    canonical = Some(
                        surface
                            .get(..surface.len().saturating_sub(1))
                            .unwrap_or(surface)
                            .to_string(),
                    );
                }
            }
        }
        let canonical = canonical.unwrap_or_else(|| surface.to_string());
        let et = match kind {
            1 => EntityType::Person,
            2 => EntityType::Org,
            3 => EntityType::Loc,
            5 => EntityType::Norp,
            _ => EntityType::Misc,
        };
        resolved.push((et, canonical, c));
    }

    // Group mentions by (type, canonical), in order of first mention.
    let mut index: HashMap<(EntityType, String), usize> = HashMap::new();
    let mut out: Vec<Entity> = Vec::new();
    for (et, canonical, c) in resolved {
        let (text, toks) = (text_of(c), toks_of(c));
        let field = segs.get(c.seg).and_then(|x| x.field);
        let (Some(ts), Some(te)) = (toks.get(c.start), toks.get(c.end.saturating_sub(1))) else {
            continue;
        };
        let (bs, be) = (ts.start, te.end);
        let Some(mtext) = text.get(bs..be) else {
            continue;
        };
        let mention = Mention {
            text: mtext.to_string(),
            start: bs,
            end: be,
            field,
        };
        let slot = *index.entry((et, canonical.clone())).or_insert_with(|| {
            out.push(Entity {
                id: String::new(),
                kind: et,
                canonical,
                mentions: Vec::new(),
                count: 0,
                first_offset: 0,
            });
            out.len() - 1
        });
        if let Some(ent) = out.get_mut(slot) {
            ent.mentions.push(mention);
            ent.count += 1;
        }
    }
    // Mentions in reading order: the title first, then the body.
    let order = |m: &Mention| (m.field.is_none(), m.start);
    for e in out.iter_mut() {
        e.mentions.sort_by_key(order);
        // The first body mention; the first title mention for a name only
        // in the title.
        e.first_offset = e
            .mentions
            .iter()
            .find(|m| m.field.is_none())
            .or(e.mentions.first())
            .map(|m| m.start)
            .unwrap_or(0);
    }
    out.sort_by_key(|e| e.mentions.first().map(order));
    for (i, e) in out.iter_mut().enumerate() {
        e.id = format!("e{i}");
    }
    out
}

/// A lower-case role noun (or "MP") at token `i`.
fn is_role_after(text: &str, toks: &[Token], i: usize) -> bool {
    let w = tok_text(text, toks, i);
    crate::text::lexicon::is_role_noun(w)
        && (w.chars().next().is_some_and(char::is_lowercase) || matches!(w, "MP" | "MEP"))
}

/// Written short forms of countries that the tagger may leave untagged
/// ("US President"): added as LOC unless a neighbouring word is in capitals
/// too (a headline, where "US" may be the pronoun).
const SHORT_FORMS: &[&str] = &["US", "U.S.", "UK", "U.K.", "USA", "U.S.A."];

fn add_country_short_forms(text: &str, toks: &[Token], labels: &[u8], raw: &mut Vec<TokSpan>) {
    let caps_word = |i: Option<usize>| {
        i.and_then(|i| toks.get(i)).is_some_and(|t| {
            let w = t.text(text);
            t.kind == TokenKind::Word && w.chars().count() > 1 && is_all_caps(w)
        })
    };
    let mut added = false;
    for (i, t) in toks.iter().enumerate() {
        if labels.get(i).copied().unwrap_or(0) != 0 || !SHORT_FORMS.contains(&t.text(text)) {
            continue;
        }
        if caps_word(i.checked_sub(1)) || caps_word(Some(i + 1)) {
            continue;
        }
        raw.push(TokSpan {
            start: i,
            end: i + 1,
            kind: 3,
        });
        added = true;
    }
    if added {
        raw.sort_by_key(|s| s.start);
    }
}

pub(super) fn looks_demonym(key: &str) -> bool {
    [
        "ian", "ians", "ese", "ish", "ean", "eans", "an", "ans", "i", "is",
    ]
    .iter()
    .any(|s| key.ends_with(s))
        && key.chars().count() > 4
}

/// True when `acr` (lower case) is the initials of the capitalised words of `key`.
fn initials_match(key: &str, acr: &str) -> bool {
    let initials: String = key
        .split(' ')
        .filter(|w| !CONNECTORS.contains(w))
        .filter_map(|w| w.chars().next())
        .collect();
    initials.chars().count() >= 2 && initials == acr
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels for `text` with each `(phrase, type)` tagged at every occurrence
    /// (type 1 PER, 2 ORG, 3 LOC, 4 MISC), like a perfect tagger would.
    fn labels_for(text: &str, layer: &TextLayer, tagged: &[(&str, u8)]) -> Vec<u8> {
        let mut labels = vec![0u8; layer.tokens.len()];
        let mut tagged = tagged.to_vec();
        tagged.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        for (phrase, kind) in tagged {
            for (at, _) in text.match_indices(phrase) {
                let end = at + phrase.len();
                let idx: Vec<usize> = (0..layer.tokens.len())
                    .filter(|&i| layer.tokens[i].start >= at && layer.tokens[i].end <= end)
                    .collect();
                if idx.iter().any(|&i| labels[i] != 0) {
                    continue;
                }
                for (k, &i) in idx.iter().enumerate() {
                    labels[i] = if k == 0 { kind * 2 - 1 } else { kind * 2 };
                }
            }
        }
        labels
    }

    fn run(text: &str, tagged: &[(&str, u8)]) -> Vec<Entity> {
        let gaz = Gazetteer::parse("Ukrainian\tNORP\nEuropean\tNORP\nUkraine\tCOUNTRY\n");
        let layer = TextLayer::build(text);
        let labels = labels_for(text, &layer, tagged);
        build_entities(text, &layer, &labels, &gaz)
    }

    fn find<'a>(ents: &'a [Entity], canonical: &str) -> &'a Entity {
        ents.iter()
            .find(|e| e.canonical == canonical)
            .unwrap_or_else(|| panic!("no entity {canonical} in {ents:?}"))
    }

    #[test]
    fn surnames_link_to_full_names() {
        let t = "Zelensky arrived. Ukrainian President Volodymyr Zelensky met Trump. \
                 US President Donald Trump said Zelensky's plan was fine.";
        let ents = run(
            t,
            &[
                ("Zelensky", 1),
                ("Volodymyr Zelensky", 1),
                ("Trump", 1),
                ("Donald Trump", 1),
                ("Ukrainian", 4),
                ("US", 3),
            ],
        );
        let z = find(&ents, "Volodymyr Zelensky");
        assert_eq!(z.kind, EntityType::Person);
        assert_eq!(z.count, 3);
        // The possessive is not part of the mention.
        assert!(z.mentions.iter().all(|m| m.text.ends_with("Zelensky")));
        assert_eq!(z.first_offset, 0);
        assert_eq!(find(&ents, "Donald Trump").count, 2);
        assert_eq!(find(&ents, "United States").kind, EntityType::Loc);
        assert_eq!(find(&ents, "Ukrainian").kind, EntityType::Norp);
        // Ids in order of first mention.
        assert_eq!(ents[0].id, "e0");
        assert_eq!(ents[0].canonical, "Volodymyr Zelensky");
        for e in &ents {
            for m in &e.mentions {
                assert_eq!(&t[m.start..m.end], m.text);
            }
        }
    }

    #[test]
    fn titles_are_stripped() {
        let t = "UK Prime Minister Sir Keir Starmer spoke. Starmer left. \
                 Mr. John Smith and Dr Jane Doe came.";
        let ents = run(
            t,
            &[
                ("Sir Keir Starmer", 1),
                ("Starmer", 1),
                ("UK", 3),
                ("Mr. John Smith", 1),
                ("Dr Jane Doe", 1),
            ],
        );
        let k = find(&ents, "Keir Starmer");
        assert_eq!(k.count, 2);
        assert_eq!(k.mentions[0].text, "Keir Starmer");
        assert_eq!(find(&ents, "John Smith").mentions[0].text, "John Smith");
        find(&ents, "Jane Doe");
        assert_eq!(find(&ents, "United Kingdom").kind, EntityType::Loc);
        // A span that is only a title is dropped.
        let only = run("The Representative spoke.", &[("Representative", 1)]);
        assert!(only.is_empty(), "{only:?}");
        // Several title words and nothing else name an office, even when the
        // first is also a surname ("High").
        let office = run(
            "Leaders met the High Representative for Trade, Maria Lopez.",
            &[("High Representative", 1), ("Maria Lopez", 1)],
        );
        assert_eq!(office.len(), 1, "{office:?}");
        find(&office, "Maria Lopez");
    }

    #[test]
    fn acronyms_and_country_short_forms() {
        let t = "The European Union (EU) met. EU ministers and the U.S. agreed. \
                 Britain and America too.";
        let ents = run(
            t,
            &[
                ("European Union", 2),
                ("EU", 2),
                ("U.S.", 3),
                ("Britain", 3),
                ("America", 3),
            ],
        );
        let eu = find(&ents, "European Union");
        assert_eq!(eu.kind, EntityType::Org);
        assert_eq!(eu.count, 3);
        assert_eq!(find(&ents, "United States").count, 2);
        assert_eq!(find(&ents, "United Kingdom").count, 1);
        // Initials link an acronym without the parenthesis too.
        let n = run(
            "North Atlantic Treaty Organization members met. NATO said no.",
            &[("North Atlantic Treaty Organization", 2), ("NATO", 2)],
        );
        assert_eq!(find(&n, "North Atlantic Treaty Organization").count, 2);
    }

    #[test]
    fn one_type_per_name_and_norp() {
        let t = "Paris rose. Paris fell. Paris won. Paris lost. Europeans and Ukrainians cheered.";
        let tagged = [("Paris", 3), ("Europeans", 4), ("Ukrainians", 4)];
        let layer = TextLayer::build(t);
        let gaz = Gazetteer::parse("European\tNORP\nUkrainian\tNORP\n");
        let mut labels = labels_for(t, &layer, &tagged);
        // One PER vote against three LOC votes: a clear majority relabels it.
        let second = layer.tokens.iter().position(|x| x.start == 12).unwrap();
        labels[second] = 1;
        let voted = build_entities(t, &layer, &labels, &gaz);
        let paris = find(&voted, "Paris");
        assert_eq!(paris.kind, EntityType::Loc);
        assert_eq!(paris.count, 4);
        assert_eq!(voted.len(), 3);
        assert_eq!(find(&voted, "European").kind, EntityType::Norp);
        assert_eq!(find(&voted, "Ukrainian").kind, EntityType::Norp);
        // Two against two: a name used in two senses keeps both labels.
        let third = layer.tokens.iter().position(|x| x.start == 24).unwrap();
        labels[third] = 3;
        let split = build_entities(t, &layer, &labels, &gaz);
        assert_eq!(split.iter().filter(|e| e.canonical == "Paris").count(), 3);
    }

    #[test]
    fn sentence_initial_common_words_are_dropped() {
        let t = "However, the talks went on. Tensions rose. The tensions eased. Reuters reported.";
        let ents = run(t, &[("However", 2), ("Tensions", 2), ("Reuters", 2)]);
        let names: Vec<&str> = ents.iter().map(|e| e.canonical.as_str()).collect();
        // "However" is a stop word; "Tensions" occurs in lower case elsewhere.
        assert_eq!(names, vec!["Reuters"]);
    }

    #[test]
    fn lone_surnames_honorifics_and_acronyms_link() {
        let t = "Tom Hale, a farmer, spoke. Mr Hale said no. Later Hale left. \
                 The Confederation of British Industry agreed. The CBI said so.";
        let gaz = Gazetteer::parse("Tom\tFIRST\n");
        let layer = TextLayer::build(t);
        // The tagger typed the lone surname as an organisation once.
        let mut labels = labels_for(
            t,
            &layer,
            &[
                ("Tom Hale", 1),
                ("Mr Hale", 1),
                ("Confederation of British Industry", 2),
                ("CBI", 2),
            ],
        );
        let lone = layer
            .tokens
            .iter()
            .position(|x| &t[x.start..x.end] == "Hale" && x.start > 40);
        labels[lone.unwrap()] = 3;
        let ents = build_entities(t, &layer, &labels, &gaz);
        let hale = find(&ents, "Tom Hale");
        assert_eq!(hale.kind, EntityType::Person);
        assert_eq!(hale.count, 3, "{ents:?}");
        assert_eq!(hale.mentions[1].text, "Hale");
        let cbi = find(&ents, "Confederation of British Industry");
        assert_eq!(cbi.kind, EntityType::Org);
        assert_eq!(cbi.count, 2);
        assert_eq!(ents.len(), 2, "{ents:?}");
    }

    #[test]
    fn one_word_person_before_a_role_is_the_organisation() {
        let ents = run(
            "The Whig spokesman said no. Whig leader Ann Vale agreed.",
            &[("Whig", 1), ("Ann Vale", 1)],
        );
        assert_eq!(find(&ents, "Whig").kind, EntityType::Org);
        // Part of a person's name in the article: still that person.
        let p = run(
            "Paul Blane spoke. A Blane aide said no.",
            &[("Paul Blane", 1), ("Blane", 1)],
        );
        assert_eq!(find(&p, "Paul Blane").count, 2);
    }

    #[test]
    fn title_mentions_are_marked_and_link_to_the_body() {
        let body = "Ann Vale of Acme Corp spoke in Leeds.";
        let title = "Vale quits Acme Corp as Nordvik Bank looms";
        let (bl, tl) = (TextLayer::build(body), TextLayer::build(title));
        let b_labels = labels_for(
            body,
            &bl,
            &[("Ann Vale", 1), ("Acme Corp", 2), ("Leeds", 3)],
        );
        let t_labels = labels_for(
            title,
            &tl,
            &[("Vale", 3), ("Acme Corp", 2), ("Nordvik Bank", 2)],
        );
        let segs = [
            Segment {
                text: body,
                layer: &bl,
                labels: &b_labels,
                field: None,
            },
            Segment {
                text: title,
                layer: &tl,
                labels: &t_labels,
                field: Some(Field::Title),
            },
        ];
        let ents = build_entities_in(&segs, &Gazetteer::parse(""));
        let vale = find(&ents, "Ann Vale");
        assert_eq!(vale.kind, EntityType::Person);
        assert_eq!(vale.count, 2);
        // Title first in reading order; first_offset stays a body offset.
        assert_eq!(vale.mentions[0].field, Some(Field::Title));
        assert_eq!(&title[vale.mentions[0].start..vale.mentions[0].end], "Vale");
        assert_eq!(vale.first_offset, 0);
        assert_eq!(vale.mentions[1].field, None);
        // A name only in the headline is found, pointing into the title.
        let bank = find(&ents, "Nordvik Bank");
        assert_eq!(bank.mentions.len(), 1);
        assert_eq!(bank.mentions[0].field, Some(Field::Title));
        assert_eq!(bank.first_offset, title.find("Nordvik").unwrap());
        assert_eq!(find(&ents, "Acme Corp").count, 2);
        // A title-case headline keeps only names the body confirms.
        let caps = "Vale Quits Acme Corp As Nordvik Bank Looms";
        let cl = TextLayer::build(caps);
        let c_labels = labels_for(caps, &cl, &[("Acme Corp", 2), ("Nordvik Bank", 2)]);
        let segs = [
            segs[0],
            Segment {
                text: caps,
                layer: &cl,
                labels: &c_labels,
                field: Some(Field::Title),
            },
        ];
        let ents = build_entities_in(&segs, &Gazetteer::parse(""));
        assert!(
            !ents.iter().any(|e| e.canonical == "Nordvik Bank"),
            "{ents:?}"
        );
        assert_eq!(find(&ents, "Acme Corp").count, 2);
    }

    #[test]
    fn iob_spans() {
        // O B-PER I-PER I-LOC B-ORG B-ORG O I-MISC
        let l = [0, 1, 2, 6, 3, 3, 0, 8];
        let s = spans_from_labels(&l);
        assert_eq!(
            s,
            vec![
                TokSpan {
                    start: 1,
                    end: 3,
                    kind: 1
                },
                TokSpan {
                    start: 3,
                    end: 4,
                    kind: 3
                },
                TokSpan {
                    start: 4,
                    end: 5,
                    kind: 2
                },
                TokSpan {
                    start: 5,
                    end: 6,
                    kind: 2
                },
                TokSpan {
                    start: 7,
                    end: 8,
                    kind: 4
                },
            ]
        );
    }

    #[test]
    fn initials() {
        assert!(initials_match("european union", "eu"));
        assert!(initials_match("north atlantic treaty organization", "nato"));
        assert!(!initials_match("european union", "un"));
        assert!(!initials_match("europe", "e"));
    }
}
