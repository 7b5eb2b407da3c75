//! Switchboard's words, in every language of `locales/`: English is the reference, and the build
//! fails if another language lacks a key, has one English lacks, changes a text's placeholders,
//! or breaks its typography (`check`). A third language is a third file.
//!
//! Each language is one file of texts in slot order ([`Lang::file`]): the web app carries
//! English and fetches the language it needs; the server serves those files.

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

pub mod check;
pub use check::segments;

/// The categories of `Intl.PluralRules`, in slot order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PluralCategory {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl PluralCategory {
    /// From `Intl.PluralRules.prototype.select`'s answer.
    pub fn from_name(name: &str) -> PluralCategory {
        match name {
            "zero" => PluralCategory::Zero,
            "one" => PluralCategory::One,
            "two" => PluralCategory::Two,
            "few" => PluralCategory::Few,
            "many" => PluralCategory::Many,
            _ => PluralCategory::Other,
        }
    }
}

impl Lang {
    /// From a language tag (`fr`, `fr-CA`, `EN-us`): its language, if the interface speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The first of the reader's languages (most wanted first) the interface speaks.
    pub fn first_of<'a>(wanted: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
        wanted.into_iter().find_map(Lang::from_tag)
    }

    /// The best language for an `Accept-Language` header (by its q-values).
    pub fn for_accept_language(header: &str) -> Option<Lang> {
        let mut wanted: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (quality > 0.0 && !tag.is_empty()).then_some((quality, position, tag))
            })
            .collect();
        wanted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Lang::first_of(wanted.into_iter().map(|(_, _, tag)| tag))
    }

    /// The plural category of `n` by this language's rule, for code outside a browser (which
    /// asks `Intl.PluralRules`): English and French, the rest `other`.
    pub fn plural_category(self, n: u64) -> PluralCategory {
        match (self.code(), n) {
            ("en", 1) | ("fr", 0 | 1) => PluralCategory::One,
            _ => PluralCategory::Other,
        }
    }
}

/// One language's texts, read from its file.
#[derive(Debug, Clone)]
pub struct Texts {
    slots: Vec<&'static str>,
}

impl Texts {
    /// `None` if the file is not one of this build's (another version of the catalogue).
    pub fn parse(file: &'static str) -> Option<Texts> {
        let slots: Vec<&'static str> = file.split('\u{1F}').collect();
        (slots.len() == SLOTS).then_some(Texts { slots })
    }

    pub fn get(&self, text: Text) -> &'static str {
        self.slots[text as usize]
    }

    /// The form of `plural` for `category`, or its `other` form if the language has no such one.
    pub fn plural(&self, plural: Plural, category: PluralCategory) -> &'static str {
        let base = plural as usize;
        match self.slots[base + category as usize] {
            "" => self.slots[base + PluralCategory::Other as usize],
            text => text,
        }
    }

    /// Every slot's text, with the key it belongs to (for tests that look for left-over words).
    pub fn all(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.slots.iter().copied().filter(|text| !text.is_empty())
    }
}

/// The fixed words of a text around its placeholders, trimmed, in order.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    segments(text)
        .into_iter()
        .filter(|(placeholder, _)| !placeholder)
        .map(|(_, words)| words.trim())
        .filter(|words| !words.is_empty())
}

/// `text` with each `{name}` replaced by its value in `values`.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(text.len() + 16);
    for (placeholder, piece) in segments(text) {
        match (placeholder, values.iter().find(|(key, _)| *key == piece)) {
            (true, Some((_, value))) => filled.push_str(value),
            (true, None) => {
                filled.push('{');
                filled.push_str(piece);
                filled.push('}');
            }
            (false, _) => filled.push_str(piece),
        }
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;
    use check::{Catalogue, Entry};
    use std::collections::BTreeMap;

    #[test]
    fn every_language_file_parses_into_every_slot() {
        for lang in Lang::ALL {
            let texts = Texts::parse(lang.file()).unwrap_or_else(|| panic!("{lang:?}"));
            assert_eq!(texts.get(Text::LanguageCode), lang.code());
            assert_eq!(texts.get(Text::LanguageName), lang.name());
        }
    }

    #[test]
    fn accept_language_picks_the_best_spoken_language() {
        assert_eq!(
            Lang::for_accept_language("fr-FR,fr;q=0.9,en;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(
            Lang::for_accept_language("de, en;q=0.5, fr;q=0.7"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::for_accept_language("de, it"), None);
        assert_eq!(Lang::for_accept_language("fr;q=0, en"), Some(Lang::En));
        assert_eq!(Lang::for_accept_language(""), None);
        assert_eq!(Lang::from_tag("EN-us"), Some(Lang::En));
    }

    #[test]
    fn fill_replaces_named_placeholders_and_keeps_unknown_ones() {
        assert_eq!(fill("{a} and {b}", &[("b", "2"), ("a", "1")]), "1 and 2");
        assert_eq!(fill("{a} {x}", &[("a", "1")]), "1 {x}");
        assert_eq!(fill("open {", &[]), "open {");
    }

    #[test]
    fn segments_cut_a_text_at_its_placeholders() {
        assert_eq!(
            segments("{up} {down} to move"),
            [
                (true, "up"),
                (false, " "),
                (true, "down"),
                (false, " to move")
            ]
        );
        assert_eq!(
            words(" sent: “{what}”. It stays open.").collect::<Vec<_>>(),
            ["sent: “", "”. It stays open."]
        );
    }

    #[test]
    fn french_plurals_take_the_singular_for_zero_and_one() {
        assert_eq!(Lang::Fr.plural_category(0), PluralCategory::One);
        assert_eq!(Lang::En.plural_category(0), PluralCategory::Other);
        assert_eq!(Lang::En.plural_category(1), PluralCategory::One);
    }

    fn catalogue(code: &str, entries: &[(&str, Entry)]) -> Catalogue {
        Catalogue {
            code: code.into(),
            name: code.into(),
            entries: entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    fn text(t: &str) -> Entry {
        Entry::Text(t.into())
    }

    #[test]
    fn a_key_missing_in_one_language_fails_the_check() {
        let en = catalogue("en", &[("a.b", text("Hi")), ("a.c", text("Bye"))]);
        let fr = catalogue("fr", &[("a.b", text("Salut"))]);
        let faults = check::check(&[en.clone(), fr]).unwrap_err();
        assert!(
            faults.iter().any(|f| f.contains("`a.c` is missing")),
            "{faults:?}"
        );
        let fr = catalogue(
            "fr",
            &[
                ("a.b", text("Salut")),
                ("a.c", text("Au revoir")),
                ("a.d", text("En trop")),
            ],
        );
        let faults = check::check(&[en, fr]).unwrap_err();
        assert!(
            faults.iter().any(|f| f.contains("`a.d` is not in en")),
            "{faults:?}"
        );
    }

    #[test]
    fn placeholders_and_plurals_must_agree() {
        let en = catalogue("en", &[("a.b", text("Hi {name}"))]);
        let fr = catalogue("fr", &[("a.b", text("Salut {nom}"))]);
        assert!(check::check(&[en, fr]).is_err());
        let forms = |pairs: &[(&str, &str)]| {
            Entry::Plural(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            )
        };
        let en = catalogue(
            "en",
            &[("a.n", forms(&[("one", "{n} row"), ("other", "{n} rows")]))],
        );
        let fr = catalogue("fr", &[("a.n", forms(&[("one", "{n} ligne")]))]);
        let faults = check::check(&[en, fr]).unwrap_err();
        assert!(
            faults.iter().any(|f| f.contains("needs `other`")),
            "{faults:?}"
        );
    }

    #[test]
    fn french_typography_is_checked() {
        for bad in [
            "Terminée ?",
            "Terminée?",
            "Le \"client\"",
            "l'équipe",
            "Chargement...",
            "«client»",
        ] {
            assert!(check::french_typography("k", bad).is_err(), "{bad}");
        }
        for good in [
            "Terminée\u{202F}?",
            "« client »".replace(' ', "\u{202F}").as_str(),
            "l’équipe",
            "Chargement…",
        ] {
            assert_eq!(check::french_typography("k", good), Ok(()), "{good}");
        }
    }
}
