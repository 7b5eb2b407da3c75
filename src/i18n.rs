//! The interface's language: which one is shown, its texts (from `switchboard-catalogue`), and
//! numbers, plurals and times through the browser's `Intl`, so that no table of them weighs on
//! the bundle.
//!
//! The app carries English; another language's file is fetched once (the server announces it
//! with the page, which it serves with that `<html lang>`). Components read texts as they are
//! built; a switch of language mounts the app's view anew (`app::run`), with the store untouched.

use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use switchboard_catalogue::{fill, PluralCategory, Texts};
pub use switchboard_catalogue::{segments, Lang, Plural, Text};

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
    static ENGLISH: &'static Texts =
        Box::leak(Box::new(Texts::parse(switchboard_catalogue::EN).expect("English parses")));
    static LOADED: RefCell<Vec<(Lang, &'static Texts)>> = const { RefCell::new(Vec::new()) };
}

/// The language texts are read in now.
pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

fn texts() -> &'static Texts {
    let lang = current();
    LOADED
        .with_borrow(|loaded| loaded.iter().find(|(l, _)| *l == lang).map(|(_, t)| *t))
        .unwrap_or_else(|| ENGLISH.with(|english| *english))
}

/// A text in the current language.
pub fn t(text: Text) -> &'static str {
    texts().get(text)
}

/// A text with its `{placeholders}` filled.
pub fn tf(text: Text, values: &[(&str, &str)]) -> String {
    fill(t(text), values)
}

/// A text for a count: the form the language's plural rule picks, `{count}` written as the
/// language writes numbers.
pub fn tn(plural: Plural, count: usize) -> String {
    tn_with(plural, count, &[])
}

/// [`tn`] with further placeholders.
pub fn tn_with(plural: Plural, count: usize, values: &[(&str, &str)]) -> String {
    let form = texts().plural(plural, intl::plural_category(current(), count));
    let number = number(count);
    let mut all = vec![("count", number.as_str())];
    all.extend_from_slice(values);
    fill(form, &all)
}

/// A whole number as the language writes it ("1,234", "1 234").
pub fn number(n: usize) -> String {
    intl::number(current(), n)
}

/// `text` split around its one `{name}` placeholder, for a view that puts an element there
/// (a `<kbd>`, a `<strong>`).
pub fn around(text: Text, name: &str) -> (&'static str, &'static str) {
    let text = t(text);
    let mark = format!("{{{name}}}");
    match text.find(&mark) {
        Some(at) => (&text[..at], &text[at + mark.len()..]),
        None => (text, ""),
    }
}

/// Whether `lang`'s texts are here (English always is).
fn is_loaded(lang: Lang) -> bool {
    lang == Lang::En || LOADED.with_borrow(|loaded| loaded.iter().any(|(l, _)| *l == lang))
}

/// Fetches `lang`'s texts if they are not here yet; `false` if they could not be had (offline
/// and never fetched), in which case the interface stays in the language it has.
pub async fn load(lang: Lang) -> bool {
    if is_loaded(lang) {
        return true;
    }
    let Ok(file) = crate::api::catalogue(lang).await else {
        return false;
    };
    let Some(texts) = Texts::parse(Box::leak(file.into_boxed_str())) else {
        return false;
    };
    LOADED.with_borrow_mut(|loaded| loaded.push((lang, Box::leak(Box::new(texts)))));
    true
}

/// Loads the page's language ([`of_page`]) and reads texts in it from now on (in English if
/// its texts cannot be had).
pub async fn begin() -> Lang {
    let lang = of_page();
    let lang = if load(lang).await { lang } else { Lang::En };
    show(lang);
    lang
}

/// The language the page was served in (the server chose it from the teammate's setting or the
/// browser's `Accept-Language`), else the browser's own.
pub fn of_page() -> Lang {
    document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_else(of_browser)
}

/// The first of the browser's languages (`navigator.languages`) that the interface speaks.
pub fn of_browser() -> Lang {
    let languages: Vec<String> = window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect();
    Lang::first_of(languages.iter().map(String::as_str)).unwrap_or(Lang::En)
}

/// The language for a teammate's stored choice (`None`: the browser's).
pub fn chosen_or_browser(choice: Option<&str>) -> Lang {
    choice.and_then(Lang::from_tag).unwrap_or_else(of_browser)
}

/// The shown language, as a context: the app's view is built again when it changes.
#[derive(Clone, Copy)]
pub struct Language {
    shown: RwSignal<Lang>,
    rebuild: StoredValue<Option<Rc<dyn Fn()>>, LocalStorage>,
}

impl Language {
    /// Starts in the language texts are read in now ([`begin`]).
    pub fn start() -> Language {
        Language {
            shown: RwSignal::new(current()),
            rebuild: StoredValue::new_local(None),
        }
    }

    /// What builds the view again in a new language (`app::run`).
    pub fn on_switch(&self, rebuild: impl Fn() + 'static) {
        self.rebuild.set_value(Some(Rc::new(rebuild)));
    }

    /// The shown language (tracked).
    pub fn get(&self) -> Lang {
        self.shown.get()
    }

    /// Shows `lang` once its texts are here (at once if they are).
    pub fn switch(&self, lang: Lang) {
        if lang == self.shown.get_untracked() {
            return;
        }
        let (shown, rebuild) = (self.shown, self.rebuild);
        leptos::task::spawn_local(async move {
            if load(lang).await && shown.get_untracked() != lang {
                show(lang);
                shown.set(lang);
                if let Some(rebuild) = rebuild.get_value() {
                    rebuild();
                }
            }
        });
    }
}

fn show(lang: Lang) {
    CURRENT.with(|current| current.set(lang));
    #[cfg(target_arch = "wasm32")]
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", lang.code());
    }
}

/// Outside a browser (native tests): reads texts in `lang`, from the catalogue's own files.
#[cfg(not(target_arch = "wasm32"))]
pub fn show_built_in(lang: Lang) {
    if !is_loaded(lang) {
        let texts = Texts::parse(lang.file()).expect("the catalogue's file parses");
        LOADED.with_borrow_mut(|loaded| loaded.push((lang, Box::leak(Box::new(texts)))));
    }
    show(lang);
}

#[cfg(target_arch = "wasm32")]
mod intl {
    use super::{Lang, PluralCategory};
    use js_sys::{Array, Function, Intl, Object};
    use std::cell::RefCell;
    use wasm_bindgen::JsValue;

    thread_local! {
        static PLURALS: RefCell<Vec<(Lang, Intl::PluralRules)>> = const { RefCell::new(Vec::new()) };
        static NUMBERS: RefCell<Vec<(Lang, Function)>> = const { RefCell::new(Vec::new()) };
    }

    pub fn locales(lang: Lang) -> Array {
        Array::of1(&JsValue::from_str(lang.code()))
    }

    pub fn plural_category(lang: Lang, n: usize) -> PluralCategory {
        let rules = PLURALS.with_borrow_mut(|cache| {
            if let Some((_, rules)) = cache.iter().find(|(l, _)| *l == lang) {
                return rules.clone();
            }
            let rules = Intl::PluralRules::new(&locales(lang), &Object::new());
            cache.push((lang, rules.clone()));
            rules
        });
        let category = rules.select(n as f64);
        PluralCategory::from_name(&String::from(category))
    }

    pub fn number(lang: Lang, n: usize) -> String {
        let format = NUMBERS.with_borrow_mut(|cache| {
            if let Some((_, format)) = cache.iter().find(|(l, _)| *l == lang) {
                return format.clone();
            }
            let format = Intl::NumberFormat::new(&locales(lang), &Object::new()).format();
            cache.push((lang, format.clone()));
            format
        });
        format
            .call1(&JsValue::NULL, &JsValue::from_f64(n as f64))
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| n.to_string())
    }
}

/// Outside a browser (native tests): the catalogue's own rules, digits as they are.
#[cfg(not(target_arch = "wasm32"))]
mod intl {
    use super::{Lang, PluralCategory};

    pub fn plural_category(lang: Lang, n: usize) -> PluralCategory {
        lang.plural_category(n as u64)
    }

    pub fn number(_lang: Lang, n: usize) -> String {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_fill_and_plurals_follow_the_language() {
        assert_eq!(t(Text::LanguageName), "English");
        assert_eq!(tn(Plural::CountsUnread, 3), "3 unread");
    }

    #[test]
    fn around_splits_a_text_at_its_placeholder() {
        // The app's name has no placeholder: everything comes before it.
        assert_eq!(around(Text::AppName, "key"), ("Switchboard", ""));
    }
}
