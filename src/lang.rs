//! Language identification (the `whatlang` crate: trigram profiles of 69
//! languages, no model files). Decides the output's `lang` and whether the
//! English extractors run. Pure: no I/O.

use whatlang::Lang;

/// How much of the body is looked at: a few sentences give whatlang a
/// reliable answer, and its cost grows with the sample (4 KB cost about
/// 1 ms per article, about a fifth of the whole pipeline).
const SAMPLE_BYTES: usize = 1024;

/// The language an article is taken to be in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// ISO 639-1 code where one exists ("en", "de"), else ISO 639-3 ("cmn").
    pub code: String,
    /// The English extractors (entities, quotes, figures) apply.
    pub english: bool,
}

/// Identify the language of `title` + `body`. A reliable detection decides;
/// when the text is too short or mixed for that, the producer's `given`
/// code is kept, and with none English is assumed (the extractors' language).
pub fn identify(title: &str, body: &str, given: Option<&str>) -> Language {
    let mut sample = String::with_capacity(SAMPLE_BYTES + title.len() + 1);
    sample.push_str(title);
    sample.push('\n');
    sample.push_str(&body[..floor_char_boundary(body, SAMPLE_BYTES)]);
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() => {
            let code = iso639_1(info.lang()).unwrap_or(info.lang().code());
            Language {
                code: code.to_string(),
                english: info.lang() == Lang::Eng,
            }
        }
        _ => match given.map(str::trim).filter(|g| !g.is_empty()) {
            Some(g) => Language {
                english: is_english_code(g),
                code: g.to_string(),
            },
            None => Language {
                code: "en".to_string(),
                english: true,
            },
        },
    }
}

/// "en", "EN", "en-GB", "eng", "English" all name English.
fn is_english_code(code: &str) -> bool {
    let c = code.to_ascii_lowercase();
    let primary = c.split(['-', '_']).next().unwrap_or("");
    matches!(primary, "en" | "eng" | "english")
}

fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// ISO 639-1 for whatlang's languages that have one (a closed table).
fn iso639_1(l: Lang) -> Option<&'static str> {
    use Lang::*;
    Some(match l {
        Afr => "af",
        Aka => "ak",
        Amh => "am",
        Ara => "ar",
        Aze => "az",
        Bel => "be",
        Ben => "bn",
        Bul => "bg",
        Cat => "ca",
        Ces => "cs",
        Cmn => "zh",
        Cym => "cy",
        Dan => "da",
        Deu => "de",
        Ell => "el",
        Eng => "en",
        Epo => "eo",
        Est => "et",
        Fin => "fi",
        Fra => "fr",
        Guj => "gu",
        Heb => "he",
        Hin => "hi",
        Hrv => "hr",
        Hun => "hu",
        Hye => "hy",
        Ind => "id",
        Ita => "it",
        Jav => "jv",
        Jpn => "ja",
        Kan => "kn",
        Kat => "ka",
        Khm => "km",
        Kor => "ko",
        Lat => "la",
        Lav => "lv",
        Lit => "lt",
        Mal => "ml",
        Mar => "mr",
        Mkd => "mk",
        Mya => "my",
        Nep => "ne",
        Nld => "nl",
        Nob => "nb",
        Ori => "or",
        Pan => "pa",
        Pes => "fa",
        Pol => "pl",
        Por => "pt",
        Ron => "ro",
        Rus => "ru",
        Sin => "si",
        Slk => "sk",
        Slv => "sl",
        Sna => "sn",
        Spa => "es",
        Srp => "sr",
        Swe => "sv",
        Tam => "ta",
        Tel => "te",
        Tgl => "tl",
        Tha => "th",
        Tuk => "tk",
        Tur => "tr",
        Ukr => "uk",
        Urd => "ur",
        Uzb => "uz",
        Vie => "vi",
        Yid => "yi",
        Zul => "zu",
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DE: &str = "Die Bundesregierung will in diesem Jahr rund zwei Millionen Euro \
        zusätzlich für den Ausbau der Radwege ausgeben. Das teilte das Ministerium am \
        Mittwoch in Berlin mit. Die Opposition kritisierte den Plan als unzureichend und \
        forderte deutlich mehr Geld für die Kommunen.";
    const FR: &str = "Le gouvernement a annoncé mercredi une hausse de trois pour cent du \
        budget consacré aux transports publics. Selon le ministre, les travaux commenceront \
        au printemps prochain dans plusieurs grandes villes du pays, dont Lyon et Marseille.";
    const EN: &str = "The government announced on Wednesday a three per cent rise in the \
        budget for public transport. The minister said work would begin next spring in \
        several large cities, including Leeds and Bristol.";

    #[test]
    fn german_french_and_english_are_told_apart() {
        let de = identify("Mehr Geld für Radwege", DE, None);
        assert_eq!(
            de,
            Language {
                code: "de".into(),
                english: false
            }
        );
        let fr = identify("Transports publics", FR, Some("en"));
        assert_eq!(
            fr,
            Language {
                code: "fr".into(),
                english: false
            }
        );
        let en = identify("Transport budget rises", EN, None);
        assert_eq!(
            en,
            Language {
                code: "en".into(),
                english: true
            }
        );
    }

    #[test]
    fn too_short_to_tell_keeps_the_producers_code_or_assumes_english() {
        assert_eq!(identify("", "Ok.", Some("de")).code, "de");
        assert!(!identify("", "Ok.", Some("de")).english);
        assert!(identify("", "Ok.", Some("en-GB")).english);
        assert_eq!(identify("", "Ok.", None).code, "en");
    }

    #[test]
    fn a_long_body_is_sampled_on_a_char_boundary() {
        let body = "é".repeat(5000);
        let _ = identify("", &body, None);
        assert_eq!(floor_char_boundary("aé", 2), 1);
    }
}
