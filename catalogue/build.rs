//! Reads `locales/*.toml`, fails the build on any broken rule (src/check.rs), and generates the
//! `Lang`, `Text` and `Plural` enums and one file of texts per language.

#[path = "src/check.rs"]
mod check;

use check::{Catalogue, Entry, PLURAL_CATEGORIES};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Separates the texts of a language's file (never in a text: checked below).
const SEPARATOR: char = '\u{1F}';

fn main() {
    println!("cargo:rerun-if-changed=locales");
    let mut catalogues = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir("locales")
        .expect("locales/")
        .map(|entry| entry.expect("locales/ entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        catalogues.push(read(path));
    }
    // English first: the reference every other language is checked against, and the fallback.
    catalogues.sort_by_key(|c| (c.code != "en", c.code.clone()));
    if let Err(faults) = check::check(&catalogues) {
        for fault in &faults {
            println!("cargo:warning={fault}");
        }
        panic!("the catalogue is broken:\n{}", faults.join("\n"));
    }
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(
        Path::new(&out).join("catalogue.rs"),
        generate(&catalogues, &out),
    )
    .unwrap();
}

fn read(path: &Path) -> Catalogue {
    let source = std::fs::read_to_string(path).unwrap();
    let table: toml::Table = source
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut entries = BTreeMap::new();
    let mut code = None;
    let mut name = None;
    for (section, value) in &table {
        let toml::Value::Table(keys) = value else {
            panic!(
                "{}: `{section}` must be a [section] of texts",
                path.display()
            );
        };
        for (key, value) in keys {
            let dotted = format!("{section}.{key}");
            let entry = match value {
                toml::Value::String(text) => Entry::Text(text.clone()),
                toml::Value::Table(forms) => Entry::Plural(
                    forms
                        .iter()
                        .map(|(category, text)| {
                            let text = text.as_str().unwrap_or_else(|| {
                                panic!("{}: {dotted}.{category} must be a text", path.display())
                            });
                            (category.clone(), text.to_owned())
                        })
                        .collect(),
                ),
                _ => panic!("{}: {dotted} must be a text or a plural", path.display()),
            };
            match (&entry, dotted.as_str()) {
                (Entry::Text(text), "language.code") => code = Some(text.clone()),
                (Entry::Text(text), "language.name") => name = Some(text.clone()),
                _ => {}
            }
            entries.insert(dotted, entry);
        }
    }
    let code = code.unwrap_or_else(|| panic!("{}: [language] code is missing", path.display()));
    let stem = path.file_stem().unwrap().to_string_lossy();
    assert_eq!(
        stem,
        code,
        "{}: named after its [language] code",
        path.display()
    );
    Catalogue {
        name: name.unwrap_or_else(|| panic!("{}: [language] name is missing", path.display())),
        code,
        entries,
    }
}

fn camel(key: &str) -> String {
    key.split(['.', '_'])
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// FNV-1a: a stable name for a file's content (std's hasher promises no stability).
fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn generate(catalogues: &[Catalogue], out: &str) -> String {
    let reference = &catalogues[0];
    let mut code = String::new();
    let mut texts = String::new();
    let mut plurals = String::new();
    let mut keys = String::new();
    let mut slot = 0usize;
    for (key, entry) in &reference.entries {
        let doc = match entry {
            Entry::Text(text) => text.clone(),
            Entry::Plural(forms) => forms["other"].clone(),
        };
        let doc = doc.replace('\n', " ");
        match entry {
            Entry::Text(_) => {
                writeln!(texts, "    /// {doc}\n    {} = {slot},", camel(key)).unwrap();
                writeln!(keys, "    ({slot}, {key:?}),").unwrap();
                slot += 1;
            }
            Entry::Plural(_) => {
                writeln!(plurals, "    /// {doc}\n    {} = {slot},", camel(key)).unwrap();
                writeln!(keys, "    ({slot}, {key:?}),").unwrap();
                slot += PLURAL_CATEGORIES.len();
            }
        }
    }
    let mut langs = String::new();
    let mut codes = String::new();
    let mut names = String::new();
    let mut files = String::new();
    let mut file_names = String::new();
    let mut consts = String::new();
    for catalogue in catalogues {
        let mut all_slots: Vec<&str> = Vec::new();
        for entry in reference.entries.keys().map(|k| &catalogue.entries[k]) {
            let slots: Vec<&str> = match entry {
                Entry::Text(text) => vec![text],
                Entry::Plural(forms) => PLURAL_CATEGORIES
                    .iter()
                    .map(|c| forms.get(*c).map_or("", String::as_str))
                    .collect(),
            };
            for text in slots {
                assert!(!text.contains(SEPARATOR), "a text holds U+001F");
                all_slots.push(text);
            }
        }
        let file = all_slots.join(&SEPARATOR.to_string());
        let variant = camel(&catalogue.code);
        let upper = catalogue.code.to_uppercase();
        let name = format!("{}-{}.txt", catalogue.code, fingerprint(&file));
        std::fs::write(
            Path::new(out).join(format!("{}.txt", catalogue.code)),
            &file,
        )
        .unwrap();
        writeln!(langs, "    {variant},").unwrap();
        writeln!(
            codes,
            "            Lang::{variant} => {:?},",
            catalogue.code
        )
        .unwrap();
        writeln!(
            names,
            "            Lang::{variant} => {:?},",
            catalogue.name
        )
        .unwrap();
        writeln!(files, "            Lang::{variant} => {upper},").unwrap();
        writeln!(file_names, "            Lang::{variant} => {name:?},").unwrap();
        writeln!(
            consts,
            "/// Every text of {}, in slot order, separated by U+001F.\npub const {upper}: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/{}.txt\"));",
            catalogue.name, catalogue.code
        )
        .unwrap();
    }
    let all: Vec<String> = catalogues
        .iter()
        .map(|c| format!("Lang::{}", camel(&c.code)))
        .collect();
    writeln!(
        code,
        "/// A language the interface speaks: one per file in `locales/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {{
{langs}}}

impl Lang {{
    /// Every language, English first.
    pub const ALL: [Lang; {count}] = [{all}];

    /// Its BCP 47 code, as in `<html lang>` and `Accept-Language`.
    pub const fn code(self) -> &'static str {{
        match self {{
{codes}        }}
    }}

    /// Its name in itself (“Français”), as a language menu shows it.
    pub const fn name(self) -> &'static str {{
        match self {{
{names}        }}
    }}

    /// The name of its file of texts, which changes with its content (cached for good).
    pub const fn file_name(self) -> &'static str {{
        match self {{
{file_names}        }}
    }}

    /// Its file of texts. The web app holds English only ([`EN`]) and fetches the others.
    pub const fn file(self) -> &'static str {{
        match self {{
{files}        }}
    }}
}}

{consts}

/// The number of slots in every language's file.
pub const SLOTS: usize = {slot};

/// A text of the interface (its English, or its `other` form for a plural, below).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Text {{
{texts}}}

/// A text that depends on a count: one slot per plural category of `Intl.PluralRules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Plural {{
{plurals}}}

/// Each key's first slot and its name in the catalogue files (for tests and tools).
pub const KEYS: &[(usize, &str)] = &[
{keys}];",
        count = catalogues.len(),
        all = all.join(", "),
    )
    .unwrap();
    code
}
