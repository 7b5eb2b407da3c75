//! The interface languages as the server stores and accepts them: exactly a code of the
//! catalogue (`en`, `fr`). Browsers' tags (`fr-CA`) are read by [`Lang::for_accept_language`]
//! instead; a teammate's choice is one of the codes the app offers, nothing looser.

use switchboard_catalogue::Lang;

/// The language whose code is exactly `code`.
pub fn by_code(code: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|lang| lang.code() == code)
}

/// Every code, for messages: `"en", "fr"`.
pub fn codes() -> String {
    Lang::ALL
        .map(|lang| format!("{:?}", lang.code()))
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_exact_code_names_a_language() {
        assert_eq!(by_code("fr"), Some(Lang::Fr));
        assert_eq!(by_code("en"), Some(Lang::En));
        for loose in ["FR", "fr-FR", " fr", "", "de"] {
            assert_eq!(by_code(loose), None, "{loose}");
        }
        assert_eq!(codes(), r#""en", "fr""#);
    }
}
