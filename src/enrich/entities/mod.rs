//! Named entities: PERSON, ORG, LOC, NORP and MISC with canonical names.
//!
//! Owns the whole entity stage: the statistical tagger ([`tagger`], a greedy
//! averaged perceptron over hashed features from [`features`], trained on
//! CoNLL-2003, wikigold and Universal NER EWT and shipped as
//! `models/entities.bin`), the word clusters ([`clusters`],
//! `models/clusters.tsv`), the gazetteers ([`gazetteer`],
//! `models/gazetteer.tsv`), the shared hashing ([`hash`]), and the document-level pass and
//! linking ([`link`]): one label per name across the article, possessives
//! and titles stripped, surnames linked to full names, acronyms to their
//! expansions, country short forms to their canonical names, demonyms to NORP.
//! Span repair between tagger and linker ([`repair`]): codes and symbols,
//! job titles merged into names, function words at span edges. The title is
//! read too: its mentions carry `field: title` and title offsets.

pub mod clusters;
pub mod features;
pub mod gazetteer;
pub mod hash;
pub mod link;
pub mod repair;
pub mod tagger;

use super::Document;
use crate::output::{Entity, Field, Mention};

static MODEL_BYTES: &[u8] = include_bytes!("../../../models/entities.bin");
static GAZETTEER_TSV: &str = include_str!("../../../models/gazetteer.tsv");

/// The trained tagger and gazetteers, loaded once from bytes embedded in the binary.
#[derive(Debug, Clone)]
pub struct EntityModel {
    pub weights: tagger::Weights,
    pub gazetteer: gazetteer::Gazetteer,
}

impl EntityModel {
    /// Load the model embedded in the binary.
    pub fn embedded() -> anyhow::Result<Self> {
        // Parse the word clusters now rather than on the first article.
        clusters::WordClusters::embedded();
        Self::from_parts(MODEL_BYTES, GAZETTEER_TSV)
    }

    /// Load a model from its serialised weights and gazetteer text.
    pub fn from_parts(weights: &[u8], gazetteer_tsv: &str) -> anyhow::Result<Self> {
        Ok(EntityModel {
            weights: tagger::Weights::from_bytes(weights)?,
            gazetteer: gazetteer::Gazetteer::parse(gazetteer_tsv),
        })
    }
}

/// Extract the entities of `doc`, from its body and its title.
pub fn extract(model: &EntityModel, doc: &Document) -> Vec<Entity> {
    let mut scratch = tagger::Scratch::default();
    let (w, g) = (&model.weights, &model.gazetteer);
    let labels = tagger::tag_document(w, g, &doc.body, &doc.layer, &mut scratch);
    let mut segs = vec![link::Segment {
        text: &doc.body,
        layer: &doc.layer,
        labels: &labels,
        field: None,
    }];
    let title_labels;
    if !doc.title_layer.tokens.is_empty() {
        title_labels = tagger::tag_document(w, g, &doc.title, &doc.title_layer, &mut scratch);
        segs.push(link::Segment {
            text: &doc.title,
            layer: &doc.title_layer,
            labels: &title_labels,
            field: Some(Field::Title),
        });
    }
    link::build_entities_in(&segs, g)
}

/// The entities named in the title, with only their title mentions and
/// those read as plain offsets, for a stage that reads the title as a text
/// of its own (quotes in a headline); ids are kept.
pub fn title_only(entities: &[Entity]) -> Vec<Entity> {
    entities
        .iter()
        .filter_map(|e| {
            let mentions: Vec<Mention> = e
                .mentions
                .iter()
                .filter(|m| m.field == Some(Field::Title))
                .map(|m| Mention {
                    field: None,
                    ..m.clone()
                })
                .collect();
            let first = mentions.first()?.start;
            Some(Entity {
                count: mentions.len(),
                first_offset: first,
                mentions,
                ..e.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::EntityType;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn model() -> &'static EntityModel {
        static M: OnceLock<EntityModel> = OnceLock::new();
        M.get_or_init(|| EntityModel::embedded().expect("embedded model loads"))
    }

    fn ents(text: &str) -> Vec<Entity> {
        extract(model(), &Document::new("", text, None))
    }

    fn has(ents: &[Entity], kind: EntityType, canonical: &str) -> bool {
        ents.iter()
            .any(|e| e.kind == kind && e.canonical == canonical)
    }

    #[test]
    fn news_paragraph_with_linking() {
        let t = "Ukrainian President Volodymyr Zelensky will meet US President Donald Trump \
                 in Washington on Friday. Trump said the deal was close, while Zelensky's \
                 aides in Kyiv asked for guarantees. UK Prime Minister Sir Keir Starmer \
                 will also visit. Starmer spoke to officials of the European Union (EU).";
        let e = ents(t);
        assert!(has(&e, EntityType::Person, "Volodymyr Zelensky"), "{e:?}");
        assert!(has(&e, EntityType::Person, "Donald Trump"), "{e:?}");
        assert!(has(&e, EntityType::Person, "Keir Starmer"), "{e:?}");
        assert!(has(&e, EntityType::Loc, "Washington"), "{e:?}");
        assert!(has(&e, EntityType::Loc, "United States"), "{e:?}");
        assert!(has(&e, EntityType::Loc, "United Kingdom"), "{e:?}");
        assert!(has(&e, EntityType::Org, "European Union"), "{e:?}");
        assert!(has(&e, EntityType::Norp, "Ukrainian"), "{e:?}");
        let z = e
            .iter()
            .find(|x| x.canonical == "Volodymyr Zelensky")
            .unwrap();
        assert_eq!(z.count, 2);
        let trump = e.iter().find(|x| x.canonical == "Donald Trump").unwrap();
        assert_eq!(trump.count, 2);
        // No entity for the sentence-initial "Trump said"-style common words.
        assert!(!e
            .iter()
            .any(|x| x.canonical == "The" || x.canonical == "While"));
        // Ids follow first mentions.
        for (i, x) in e.iter().enumerate() {
            assert_eq!(x.id, format!("e{i}"));
            assert_eq!(x.count, x.mentions.len());
            assert_eq!(x.first_offset, x.mentions[0].start);
        }
    }

    #[test]
    fn possessives_and_non_ascii_names() {
        let t = "Belarusian opposition leader Sviatlana Tsikhanouskaya met Turkish \
                 President Recep Tayyip Erdoğan in Ankara. Erdoğan's office said \
                 Tsikhanouskaya's visit went well.";
        let e = ents(t);
        assert!(
            has(&e, EntityType::Person, "Sviatlana Tsikhanouskaya"),
            "{e:?}"
        );
        assert!(has(&e, EntityType::Person, "Recep Tayyip Erdoğan"), "{e:?}");
        assert!(has(&e, EntityType::Loc, "Ankara"), "{e:?}");
        for x in &e {
            for m in &x.mentions {
                assert!(!m.text.ends_with("'s"), "{m:?}");
            }
        }
        let er = e
            .iter()
            .find(|x| x.canonical == "Recep Tayyip Erdoğan")
            .unwrap();
        assert_eq!(er.count, 2);
    }

    #[test]
    fn hyphenated_names_and_headlines() {
        let t = "MERKEL MEETS MACRON IN BERLIN\nGerman Chancellor Angela Merkel hosted \
                 French President Emmanuel Macron and Jean-Claude Juncker in Berlin on Monday.";
        let e = ents(t);
        assert!(has(&e, EntityType::Person, "Jean-Claude Juncker"), "{e:?}");
        assert!(has(&e, EntityType::Person, "Angela Merkel"), "{e:?}");
        assert!(has(&e, EntityType::Loc, "Berlin"), "{e:?}");
        let b = e.iter().find(|x| x.canonical == "Berlin").unwrap();
        // The all-caps headline mention is linked to the same city.
        assert_eq!(b.count, 2, "{e:?}");
    }

    #[test]
    fn codes_are_not_entities() {
        let e = ents(
            "Harlow Mining said it would pay US$40m for the mine, and A$12m in fees. \
             Trading opens at 0900 GMT on Monday, with prices quoted in EUR and JPY.",
        );
        assert!(!has(&e, EntityType::Loc, "United States"), "{e:?}");
        for code in ["GMT", "EUR", "JPY", "A"] {
            assert!(!e.iter().any(|x| x.canonical == code), "{code}: {e:?}");
        }
    }

    #[test]
    fn job_title_before_a_name() {
        let e = ents("Profits rose, Brackwell Holdings chief executive Jane Roe said on Tuesday.");
        assert!(has(&e, EntityType::Person, "Jane Roe"), "{e:?}");
        assert!(
            !e.iter().any(|x| x.canonical.contains("executive")),
            "{e:?}"
        );
    }

    #[test]
    fn headline_only_name_points_into_the_title() {
        let doc = Document::new(
            "Angela Merkel praises new budget",
            "The German chancellor said the plan would help growth in Berlin.",
            None,
        );
        let e = extract(model(), &doc);
        let m = e
            .iter()
            .find(|x| x.canonical == "Angela Merkel")
            .unwrap_or_else(|| panic!("{e:?}"));
        assert_eq!(m.kind, EntityType::Person);
        let first = &m.mentions[0];
        assert_eq!(first.field, Some(crate::output::Field::Title));
        assert_eq!(&doc.title[first.start..first.end], "Angela Merkel");
        // Body mentions carry no field.
        let berlin = e.iter().find(|x| x.canonical == "Berlin").unwrap();
        assert!(berlin.mentions.iter().all(|x| x.field.is_none()));
    }

    #[test]
    fn empty_and_plain_text() {
        assert!(ents("").is_empty());
        assert!(ents("it was a quiet day and nothing happened.").is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn never_panics_and_offsets_are_valid(s in "(\\PC|[ \n.'’A-Z]){0,200}") {
            let doc = Document::new("", s.clone(), None);
            for e in extract(model(), &doc) {
                prop_assert!(e.count == e.mentions.len());
                for m in &e.mentions {
                    prop_assert!(m.start < m.end && m.end <= doc.body.len());
                    prop_assert!(doc.body.is_char_boundary(m.start));
                    prop_assert!(doc.body.is_char_boundary(m.end));
                    prop_assert_eq!(&doc.body[m.start..m.end], m.text.as_str());
                }
            }
        }

        #[test]
        fn capitalised_word_soup_is_safe(words in proptest::collection::vec("[A-Z][a-zé]{0,8}('s)?|U\\.S\\.|\\(|\\)|,|\\.", 0..60)) {
            let text = words.join(" ");
            let doc = Document::new("", text, None);
            for e in extract(model(), &doc) {
                for m in &e.mentions {
                    prop_assert!(doc.body.get(m.start..m.end).is_some());
                }
            }
        }
    }
}
