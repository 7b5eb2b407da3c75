//! The rules every catalogue keeps, read by the build script (which fails on the first broken
//! one) and by this crate's tests.

use std::collections::BTreeMap;

/// A plural's forms: the categories of `Intl.PluralRules`, `other` always present.
pub const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Text(String),
    /// Category (one of [`PLURAL_CATEGORIES`]) to text.
    Plural(BTreeMap<String, String>),
}

/// One language's catalogue: its code, its own name, and its texts by dotted key.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub code: String,
    pub name: String,
    pub entries: BTreeMap<String, Entry>,
}

/// `text` cut at its placeholders: `(false, words)` and `(true, placeholder name)`, in order; a
/// `{` never closed is words.
pub fn segments(text: &str) -> Vec<(bool, &str)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            pieces.push((false, &rest[..open]));
        }
        pieces.push((true, &rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push((false, rest));
    }
    pieces
}

/// The placeholders (`{name}`) of a text, in order, each once.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (_, name) in segments(text)
        .into_iter()
        .filter(|(placeholder, _)| *placeholder)
    {
        if !found.iter().any(|known| known == name) {
            found.push(name.to_owned());
        }
    }
    found
}

fn texts(entry: &Entry) -> Vec<&str> {
    match entry {
        Entry::Text(text) => vec![text],
        Entry::Plural(forms) => forms.values().map(String::as_str).collect(),
    }
}

fn placeholder_set(entry: &Entry) -> Vec<String> {
    let mut all: Vec<String> = texts(entry).into_iter().flat_map(placeholders).collect();
    all.sort();
    all.dedup();
    all
}

/// French typography: a narrow no-break space (U+202F) before `?`, `!`, `:` and `;` and inside
/// « guillemets »; no ASCII quotes, apostrophes or three dots.
pub fn french_typography(key: &str, text: &str) -> Result<(), String> {
    if text.contains("...") {
        return Err(format!(
            "{key}: French typography wants … rather than ...: {text:?}"
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let fault = match c {
            '?' | '!' | ':' | ';' if before.is_some() && before != Some('\u{202F}') => {
                Some(format!("a narrow no-break space (U+202F) before “{c}”"))
            }
            '«' if after != Some('\u{202F}') => Some("a narrow no-break space after «".into()),
            '»' if before != Some('\u{202F}') => Some("a narrow no-break space before »".into()),
            '"' => Some("« guillemets » rather than \"".into()),
            '\'' => Some("’ rather than '".into()),
            _ => None,
        };
        if let Some(fault) = fault {
            return Err(format!("{key}: French typography wants {fault}: {text:?}"));
        }
    }
    Ok(())
}

/// Every rule at once: the same keys in every language, each key the same kind (text or plural)
/// with the same placeholders, plurals with `other` and known categories only, and each
/// language's own typography.
pub fn check(catalogues: &[Catalogue]) -> Result<(), Vec<String>> {
    let mut faults = Vec::new();
    let Some(first) = catalogues.first() else {
        return Err(vec!["no catalogue in locales/".into()]);
    };
    for catalogue in catalogues {
        for (key, entry) in &catalogue.entries {
            if let Entry::Plural(forms) = entry {
                if !forms.contains_key("other") {
                    faults.push(format!("{}: {key}: a plural needs `other`", catalogue.code));
                }
                for category in forms.keys() {
                    if !PLURAL_CATEGORIES.contains(&category.as_str()) {
                        faults.push(format!(
                            "{}: {key}: `{category}` is not a plural category",
                            catalogue.code
                        ));
                    }
                }
            }
            if catalogue.code == "fr" {
                for text in texts(entry) {
                    if let Err(fault) = french_typography(key, text) {
                        faults.push(format!("fr: {fault}"));
                    }
                }
            }
        }
        if catalogue.code == first.code {
            continue;
        }
        for key in first.entries.keys() {
            if !catalogue.entries.contains_key(key) {
                faults.push(format!("{}: `{key}` is missing", catalogue.code));
            }
        }
        for (key, entry) in &catalogue.entries {
            let Some(reference) = first.entries.get(key) else {
                faults.push(format!(
                    "{}: `{key}` is not in {} (a new text goes in every language)",
                    catalogue.code, first.code
                ));
                continue;
            };
            if matches!(reference, Entry::Plural(_)) != matches!(entry, Entry::Plural(_)) {
                faults.push(format!(
                    "{}: `{key}` is a plural in one language and not the other",
                    catalogue.code
                ));
            }
            if placeholder_set(reference) != placeholder_set(entry) {
                faults.push(format!(
                    "{}: `{key}` has placeholders {:?}, {} has {:?}",
                    catalogue.code,
                    placeholder_set(entry),
                    first.code,
                    placeholder_set(reference)
                ));
            }
        }
    }
    if faults.is_empty() {
        Ok(())
    } else {
        Err(faults)
    }
}
