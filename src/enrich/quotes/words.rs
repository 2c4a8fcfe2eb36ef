//! Word lists of the quote extractor: speech cue verbs, pronouns, words that
//! may sit between a speaker and its cue, titles and roles stripped from
//! names, determiners. Lookups are case-insensitive over ASCII and go
//! through hash sets built once.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Verbs (and verbal forms) that introduce or attribute speech.
const CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "telling",
    "stated",
    "stating",
    "added",
    "adds",
    "adding",
    "remarked",
    "remarking",
    "countered",
    "counters",
    "countering",
    "warned",
    "warns",
    "warning",
    "asked",
    "asks",
    "asking",
    "explained",
    "explains",
    "explaining",
    "noted",
    "noting",
    "wrote",
    "writes",
    "writing",
    "argued",
    "argues",
    "arguing",
    "insisted",
    "insists",
    "insisting",
    "claimed",
    "claiming",
    "declared",
    "declares",
    "declaring",
    "announced",
    "announces",
    "announcing",
    "continued",
    "continues",
    "replied",
    "replies",
    "replying",
    "responded",
    "responds",
    "responding",
    "recalled",
    "recalls",
    "recalling",
    "acknowledged",
    "acknowledges",
    "acknowledging",
    "admitted",
    "admits",
    "admitting",
    "suggested",
    "suggests",
    "suggesting",
    "tweeted",
    "tweets",
    "tweeting",
    "posted",
    "called",
    "calling",
    "described",
    "describes",
    "describing",
    "dubbed",
    "dubbing",
    "labeled",
    "labelled",
    "labeling",
    "branded",
    "predicted",
    "predicts",
    "predicting",
    "promised",
    "promising",
    "vowed",
    "vowing",
    "joked",
    "jokes",
    "joking",
    "quipped",
    "quips",
    "urged",
    "urges",
    "urging",
    "charged",
    "contended",
    "contends",
    "conceded",
    "concedes",
    "complained",
    "complains",
    "complaining",
    "boasted",
    "boasts",
    "boasting",
    "bragged",
    "shouted",
    "shouting",
    "yelled",
    "yelling",
    "cried",
    "screamed",
    "chanted",
    "chanting",
    "mused",
    "lamented",
    "laments",
    "observed",
    "observes",
    "emphasized",
    "emphasised",
    "emphasizing",
    "stressed",
    "stresses",
    "stressing",
    "reiterated",
    "indicated",
    "indicating",
    "asserted",
    "asserts",
    "asserting",
    "maintained",
    "maintains",
    "alleged",
    "alleges",
    "testified",
    "proclaimed",
    "pledged",
    "thundered",
    "fumed",
    "scoffed",
    "sighed",
    "agreed",
    "commented",
    "commenting",
    "agrees",
    "disagreed",
    "wondered",
    "wonders",
    "concluded",
    "concludes",
    "cautioned",
    "cautions",
    "hinted",
    "touted",
    "touts",
    "touting",
    "characterized",
    "characterizing",
    "mocked",
    "mocking",
    "slammed",
    "blasted",
    "criticized",
    "praised",
    "accused",
    "demanded",
    "questioned",
    "retorted",
    "interjected",
    "opined",
    "reported",
    "repeated",
    "repeating",
    "confirmed",
    "denied",
    "denies",
    "insist",
    "explain",
    "argue",
    "claim",
    "predict",
    "warn",
    "write",
    "tweet",
    "recall",
    "acknowledge",
    "admit",
    "suggest",
    "note",
    "add",
    "ask",
    "declare",
    "announce",
    "promise",
    "complain",
    "describe",
    "call",
    "urge",
    "believes",
    "believed",
    "thinks",
    "thought",
    "felt",
    "feels",
    "citing",
    "cited",
    "cites",
    "quoted",
    "quoting",
    "texted",
    "emailed",
    "recounted",
    "wrote",
    "signaled",
    "signalled",
    "reasoned",
    "speculated",
    "estimated",
    "proposed",
    "framed",
    "referred",
    "referring",
    "labels",
    "dubs",
    "brands",
    "terms",
    "termed",
    "deemed",
    "dismissed",
    "decried",
    "decrying",
    "derided",
    "lambasted",
    "ripped",
    "attacked",
    "defended",
    "promises",
    "pledges",
    "barked",
    "snapped",
    "riffed",
    "whispered",
    "gushed",
    "raved",
    "marveled",
    "marvelled",
    "griped",
    "groused",
    "huffed",
    "sniped",
    "exclaimed",
    "intoned",
    "pleaded",
    "begged",
    "implored",
    "elaborated",
    "echoing",
    "echoed",
    "screaming",
    "shouts",
    "yells",
    "chants",
    "posting",
    "concluding",
    "answered",
    "answers",
    "answering",
    "recounting",
    "cautioning",
    "conceding",
    "contending",
    "lamenting",
    "proclaiming",
    "reminded",
    "reminding",
    "informed",
    "assured",
    "assuring",
    "advised",
    "advising",
    "instructed",
    "challenged",
    "challenging",
    "reacted",
    "pressed",
    "interrupted",
    "continuing",
    "retorting",
    "beamed",
    "confessed",
    "sings",
    "sang",
    "smiled",
    "laughed",
    "recited",
    "exulted",
    "crowed",
    "wailed",
    "grumbled",
    "muttered",
    "murmured",
    "stammered",
    "scolded",
    "accuses",
    "accusing",
    "accuse",
    "blamed",
    "blames",
    "blaming",
    "calls",
    "hailed",
    "hails",
    "hailing",
    "lauded",
    "lauds",
    "lauding",
    "praises",
    "praising",
    "criticizes",
    "criticizing",
    "criticised",
    "condemned",
    "condemns",
    "condemning",
    "denounced",
    "denounces",
    "denouncing",
    "derides",
    "deriding",
    "dismissing",
    "vows",
    "chided",
    "chiding",
    "mocks",
    "slams",
    "slamming",
    "blasts",
    "blasting",
    "rips",
    "ripping",
    "taunted",
    "taunting",
    "quipping",
    "revealed",
    "reveals",
    "disclosed",
    "confided",
    "demands",
    "demanding",
    "threatened",
    "threatens",
    "threatening",
    "mentioned",
    "mentions",
    "highlighted",
    "highlighting",
    "questioning",
    "reads",
    "read",
];

/// Cues that are also common nouns: only taken right after a speaker on the
/// right of a quote (`," Conway notes.`).
const RIGHT_ONLY_CUES: &[&str] = &["notes", "states", "claims", "reports", "remarks", "points"];

/// Cues that are not verbs of speech on their own, but are when followed by
/// a particle ("pointed out", "went on", "shot back").
const CUE_NEEDS_PARTICLE: &[(&str, &str)] = &[
    ("pointed", "out"),
    ("went", "on"),
    ("shot", "back"),
    ("fired", "back"),
    ("began", "by"),
    ("puts", "it"),
    ("put", "it"),
];

/// Nouns naming a written or spoken text put out by its author ("issued a
/// statement saying").
const SPEECH_NOUNS: &[&str] = &[
    "statement",
    "release",
    "letter",
    "memo",
    "email",
    "e-mail",
    "message",
    "tweet",
    "post",
    "note",
    "report",
    "video",
    "ad",
    "advertisement",
    "op-ed",
    "editorial",
    "column",
    "essay",
];

/// Verbs by which a text or study reports (`the poll found that`, `the
/// paper notes that`): cues only when followed by `that` or a quote.
const REPORT_VERBS: &[&str] = &[
    "found",
    "finds",
    "shows",
    "showed",
    "notes",
    "states",
    "reports",
    "claims",
    "concludes",
];

/// Nouns of speech whose possessor is the speaker of the quote in their
/// complement ("her claim that ...", "his call for ...").
const NOMINAL_CUES: &[&str] = &[
    "claim",
    "claims",
    "call",
    "calls",
    "assertion",
    "assertions",
    "comment",
    "comments",
    "remark",
    "remarks",
    "promise",
    "pledge",
    "vow",
    "warning",
    "warnings",
    "charge",
    "accusation",
    "accusations",
    "insistence",
    "suggestion",
    "demand",
    "declaration",
    "argument",
    "contention",
    "prediction",
    "admission",
    "boast",
    "complaint",
    "criticism",
    "denial",
    "description",
    "characterization",
    "threat",
    "plea",
];

/// Words that open a subordinate clause at a sentence start.
const SUBORDINATORS: &[&str] = &[
    "after", "when", "while", "although", "though", "despite", "if", "because", "as", "since",
    "before", "until", "once", "whereas", "whether", "unless",
];

/// Words that, after a comma, start a new clause (another speaker may
/// follow), or that introduce a relative clause right before a subject.
const CLAUSE_LINKS: &[&str] = &[
    "but", "while", "although", "though", "whereas", "and", "or", "which", "who", "whom", "whose",
    "as", "because", "when", "after", "before", "if", "since", "yet", "so",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "it", "i", "we", "you"];

/// Words allowed between a speaker and its cue ("Smith also said", "he has
/// repeatedly said").
const BETWEEN: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "then",
    "previously",
    "once",
    "recently",
    "would",
    "will",
    "did",
    "does",
    "do",
    "was",
    "is",
    "were",
    "are",
    "been",
    "repeatedly",
    "often",
    "never",
    "again",
    "further",
    "simply",
    "just",
    "still",
    "already",
    "first",
    "himself",
    "herself",
    "themselves",
    "itself",
    "even",
    "has",
    "frequently",
    "reportedly",
    "flatly",
    "publicly",
    "privately",
    "famously",
    "once",
    "always",
    "only",
    "quickly",
    "finally",
    "allegedly",
    "apparently",
    "not",
    "n't",
    "may",
    "might",
    "could",
    "can",
    "should",
    "went",
    "on",
    "to",
    "have",
    "be",
];

/// Titles, roles and party labels stripped from the left of a name run
/// ("US President Donald Trump" -> "Donald Trump").
const ROLES: &[&str] = &[
    "president",
    "vice",
    "prime",
    "minister",
    "secretary",
    "foreign",
    "affairs",
    "sir",
    "dame",
    "lord",
    "lady",
    "senator",
    "sen",
    "sen.",
    "rep",
    "rep.",
    "representative",
    "gov",
    "gov.",
    "governor",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "prof",
    "professor",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "director",
    "chief",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "general",
    "gen",
    "gen.",
    "attorney",
    "judge",
    "justice",
    "mayor",
    "speaker",
    "candidate",
    "nominee",
    "former",
    "deputy",
    "high",
    "state",
    "economy",
    "house",
    "senate",
    "majority",
    "minority",
    "whip",
    "ambassador",
    "envoy",
    "commissioner",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "sheriff",
    "officer",
    "chancellor",
    "premier",
    "congressman",
    "congresswoman",
    "councilman",
    "councilwoman",
    "reverend",
    "rev",
    "rev.",
    "pastor",
    "bishop",
    "cardinal",
    "rabbi",
    "imam",
    "coach",
    "captain",
    "capt",
    "lt",
    "col",
    "colonel",
    "sgt",
    "sergeant",
    "adm",
    "admiral",
    "us",
    "u.s.",
    "uk",
    "u.k.",
    "eu",
    "un",
    "gop",
    "democratic",
    "republican",
    "democrat",
    "independent",
    "libertarian",
    "white",
    "defense",
    "defence",
    "finance",
    "interior",
    "health",
    "justice",
    "treasury",
    "trade",
    "homeland",
    "security",
    "national",
    "federal",
    "campaign",
    "manager",
    "strategist",
    "adviser",
    "advisor",
    "press",
    "communications",
];

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "this", "these", "those", "our", "my", "your",
    "one", "another", "several", "many", "some", "two", "three", "both",
];

/// Sentence openers that introduce an adverbial phrase before the subject
/// ("During a meeting, Trump said").
const ADVERBIAL_OPENERS: &[&str] = &[
    "during",
    "in",
    "on",
    "at",
    "after",
    "before",
    "while",
    "when",
    "as",
    "since",
    "for",
    "with",
    "however",
    "but",
    "and",
    "meanwhile",
    "still",
    "yet",
    "also",
    "later",
    "earlier",
    "then",
    "now",
    "so",
    "speaking",
    "asked",
    "in",
    "last",
    "on",
    "at",
    "by",
    "from",
    "under",
    "despite",
    "although",
    "though",
    "instead",
    "indeed",
    "moreover",
    "nonetheless",
    "still",
    "separately",
    "ultimately",
    "afterward",
    "afterwards",
    "overall",
    "today",
    "yesterday",
    "amid",
    "according",
    "throughout",
    "among",
    "over",
    "within",
    "without",
    "like",
    "unlike",
    "regarding",
    "given",
    "once",
    "if",
    "whether",
    "to",
    "of",
    "here",
    "there",
    "following",
    "outside",
    "inside",
    "near",
    "against",
    "toward",
    "towards",
    "through",
    "across",
    "behind",
    "beyond",
    "upon",
    "second",
    "third",
];

/// Sentence adverbs and participles that open a sentence and are no names
/// ("Finally", "Likewise", "Based on"): both adverbial openers and
/// not-names.
const SENTENCE_OPENERS: &[&str] = &[
    "alongside",
    "first",
    "finally",
    "maybe",
    "perhaps",
    "likewise",
    "nevertheless",
    "similarly",
    "thus",
    "therefore",
    "hence",
    "again",
    "otherwise",
    "besides",
    "wait",
    "led",
    "based",
];

/// Words that start a capitalised run but are not names ("The", "But").
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "but",
    "and",
    "or",
    "so",
    "if",
    "in",
    "on",
    "at",
    "as",
    "for",
    "to",
    "of",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "there",
    "when",
    "while",
    "after",
    "before",
    "during",
    "since",
    "what",
    "who",
    "why",
    "how",
    "yes",
    "no",
    "not",
    "my",
    "our",
    "his",
    "her",
    "their",
    "its",
    "mr",
    "mrs",
    "ms",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "still",
    "meanwhile",
    "however",
    "now",
    "then",
    "last",
    "next",
    "also",
    "even",
    "just",
    "here",
    "we're",
    "i'm",
    "let",
    "all",
    "every",
    "some",
    "many",
    "one",
    "with",
    "without",
    "from",
    "by",
    "about",
    "like",
    "because",
    "although",
    "though",
    "yet",
    "do",
    "does",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "can",
    "could",
    "should",
    "these",
    "those",
    "much",
    "more",
    "most",
    "few",
    "several",
    "other",
    "others",
    "each",
    "both",
    "any",
    "such",
    "only",
    "less",
    "least",
    "none",
    "neither",
    "either",
];

/// Function words that end a noun phrase.
const STOPS: &[&str] = &[
    "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "by", "from", "that", "which",
    "who", "whom", "whose", "when", "while", "as", "than", "if", "because", "about", "into",
    "over", "after", "before", "during", "since", "not", "is", "was", "are", "were", "be", "been",
    "will", "would", "has", "have", "had", "it", "he", "she", "they", "we", "until", "unless",
    "where", "whether", "though", "although", "once", "so", "then",
];

struct Sets {
    cues: HashSet<&'static str>,
    right_cues: HashSet<&'static str>,
    stops: HashSet<&'static str>,
    pronouns: HashSet<&'static str>,
    between: HashSet<&'static str>,
    roles: HashSet<&'static str>,
    determiners: HashSet<&'static str>,
    adverbial: HashSet<&'static str>,
    not_names: HashSet<&'static str>,
}

fn sets() -> &'static Sets {
    static S: OnceLock<Sets> = OnceLock::new();
    S.get_or_init(|| Sets {
        cues: CUES.iter().copied().collect(),
        right_cues: RIGHT_ONLY_CUES.iter().copied().collect(),
        stops: STOPS.iter().copied().collect(),
        pronouns: PRONOUNS.iter().copied().collect(),
        between: BETWEEN.iter().copied().collect(),
        roles: ROLES.iter().copied().collect(),
        determiners: DETERMINERS.iter().copied().collect(),
        adverbial: ADVERBIAL_OPENERS
            .iter()
            .chain(SENTENCE_OPENERS)
            .copied()
            .collect(),
        not_names: NOT_NAMES.iter().chain(SENTENCE_OPENERS).copied().collect(),
    })
}

/// ASCII-lowercase `w` into `buf`; None when it is not short ASCII (such
/// words are in no list, bar the curly apostrophe handled by the caller).
pub fn lower<'a>(w: &str, buf: &'a mut [u8; 24]) -> Option<&'a str> {
    let b = w.as_bytes();
    if b.is_empty() || b.len() > buf.len() || !w.is_ascii() {
        return None;
    }
    let out = buf.get_mut(..b.len())?;
    for (o, c) in out.iter_mut().zip(b) {
        *o = c.to_ascii_lowercase();
    }
    std::str::from_utf8(out).ok()
}

fn in_set(w: &str, pick: fn(&Sets) -> &HashSet<&'static str>) -> bool {
    let mut buf = [0u8; 24];
    lower(w, &mut buf).is_some_and(|l| pick(sets()).contains(l))
}

pub fn is_cue(w: &str) -> bool {
    in_set(w, |s| &s.cues)
}
/// A cue that only counts when followed by `next` ("pointed" + "out").
/// A cue that is also a noun, taken only after a speaker.
pub fn is_right_only_cue(w: &str) -> bool {
    in_set(w, |s| &s.right_cues)
}
/// Function words a noun phrase does not run through.
pub fn is_stop(w: &str) -> bool {
    in_set(w, |s| &s.stops)
}
pub fn cue_needs_particle(w: &str) -> Option<&'static str> {
    CUE_NEEDS_PARTICLE
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(w))
        .map(|(_, b)| *b)
}
pub fn is_pronoun(w: &str) -> bool {
    in_set(w, |s| &s.pronouns)
}
pub fn is_between(w: &str) -> bool {
    in_set(w, |s| &s.between) || (w.len() > 4 && w.ends_with("ly") && w.is_ascii())
}
pub fn is_role(w: &str) -> bool {
    in_set(w, |s| &s.roles)
}
pub fn is_determiner(w: &str) -> bool {
    in_set(w, |s| &s.determiners)
}
pub fn is_adverbial_opener(w: &str) -> bool {
    in_set(w, |s| &s.adverbial)
}
pub fn is_not_name(w: &str) -> bool {
    in_set(w, |s| &s.not_names) || crate::text::lexicon::is_weekday(w)
}
/// Nationality-like adjectives ("Ukrainian", "Chinese", "Polish").
pub fn is_nationality(w: &str) -> bool {
    w.len() > 4
        && (w.ends_with("ian")
            || w.ends_with("ean")
            || w.ends_with("ese")
            || w.ends_with("ish")
            || w.ends_with("can"))
}
/// A noun naming a text put out by its author ("statement", "memo").
pub fn is_speech_noun(w: &str) -> bool {
    SPEECH_NOUNS.iter().any(|s| s.eq_ignore_ascii_case(w))
}
/// A verb of reporting that is a cue only before `that` or a quote.
pub fn is_report_verb(w: &str) -> bool {
    REPORT_VERBS.contains(&w)
}
/// A noun of speech ("claim", "remark", "call").
pub fn is_nominal_cue(w: &str) -> bool {
    NOMINAL_CUES.contains(&w)
}
/// A past participle of naming or judging whose passive agent is a
/// source (`called "X" by`, `labeled as "X" by`, `seen by Y as "X"`);
/// lower case.
pub fn is_passive_naming(w: &str) -> bool {
    matches!(
        w,
        "called"
            | "labeled"
            | "labelled"
            | "described"
            | "dubbed"
            | "branded"
            | "termed"
            | "seen"
            | "viewed"
            | "regarded"
            | "deemed"
            | "characterized"
            | "characterised"
            | "derided"
            | "hailed"
            | "touted"
            | "billed"
            | "rated"
            | "denounced"
            | "decried"
    )
}
/// A word opening a subordinate clause ("After", "When", "Although").
pub fn is_subordinator(w: &str) -> bool {
    SUBORDINATORS.iter().any(|s| s.eq_ignore_ascii_case(w))
}
/// A conjunction or relative word linking a new clause ("but", "which").
pub fn is_clause_link(w: &str) -> bool {
    CLAUSE_LINKS.iter().any(|s| s.eq_ignore_ascii_case(w))
}
/// A conjunction opening a clause with its own subject ("when he
/// announced", "and she has").
pub fn is_clause_opener(w: &str) -> bool {
    matches!(
        w,
        "when" | "as" | "while" | "and" | "but" | "then" | "yet" | "whereas"
    )
}
/// Nouns for someone speaking on an organisation's behalf ("a spokesman").
pub fn is_spokes_noun(w: &str) -> bool {
    matches!(
        w,
        "spokesman" | "spokeswoman" | "spokesperson" | "representative" | "statement"
    )
}
/// The gender a person noun implies: Some(true) male, Some(false) female.
pub fn noun_gender(w: &str) -> Option<bool> {
    match w {
        "man" | "husband" | "father" | "son" | "brother" | "king" | "prince" | "boy"
        | "chairman" | "spokesman" | "grandfather" | "uncle" | "nephew" => Some(true),
        "woman" | "wife" | "mother" | "daughter" | "sister" | "queen" | "princess" | "girl"
        | "chairwoman" | "spokeswoman" | "grandmother" | "aunt" | "niece" | "widow" => Some(false),
        _ => None,
    }
}
/// Auxiliaries and modals that follow a subject ("Roe has", "Roe will").
pub fn is_auxiliary(w: &str) -> bool {
    matches!(
        w,
        "has"
            | "had"
            | "have"
            | "is"
            | "was"
            | "were"
            | "are"
            | "will"
            | "would"
            | "could"
            | "can"
            | "should"
            | "may"
            | "might"
            | "must"
            | "did"
            | "does"
            | "also"
    )
}
