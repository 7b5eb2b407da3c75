//! Phone numbers as people write them, in E.164.
//!
//! International forms follow the rules every client shares
//! ([`switchboard_domain::contacts::normalise_number`]), which check the shape only: the demo's
//! fictional +1 555 01xx numbers are not "valid" to a carrier but must be accepted. National
//! forms need the country's rules (its trunk prefix, its lengths), which the phonenumber crate
//! knows.

use phonenumber::country::Id;
use switchboard_domain::contacts::{normalise_number, NumberError};

/// The country of an ISO 3166 alpha-2 code, whatever its case ("fr", "US").
pub fn country(code: &str) -> Result<Id, String> {
    let upper = code.trim().to_ascii_uppercase();
    // The crate's list also parses longer names; only two letters are ISO 3166 codes.
    match upper.len() {
        2 => upper.parse::<Id>().ok(),
        _ => None,
    }
    .ok_or_else(|| format!("unknown country {code:?}: give an ISO 3166 code such as US or FR"))
}

/// `written` in E.164 ("+33612345678"). A national number ("06 12 34 56 78") is read with the
/// rules of `default_country`, and refused without one.
pub fn normalise(written: &str, default_country: Option<Id>) -> Result<String, String> {
    let refuse =
        |why: &dyn std::fmt::Display| format!("{:?} is not a phone number: {why}", written.trim());
    match normalise_number(written) {
        Ok(e164) => Ok(e164),
        // "12" lacks more than a country code.
        Err(NumberError::National) if !(4..=15).contains(&digits(written)) => {
            Err(refuse(&NumberError::Length))
        }
        Err(NumberError::National) => {
            let Some(country) = default_country else {
                return Err(format!(
                    "{:?} has no country code: {}",
                    written.trim(),
                    NumberError::National
                ));
            };
            let parsed = phonenumber::parse(Some(country), written.trim()).map_err(|error| {
                format!(
                    "{:?} is not a phone number in {}: {error}",
                    written.trim(),
                    country.as_ref()
                )
            })?;
            let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
            // The crate accepts lengths no network uses; the shared rules have the last word.
            normalise_number(&e164).map_err(|error| refuse(&error))
        }
        Err(error) => Err(refuse(&error)),
    }
}

fn digits(written: &str) -> usize {
    written.bytes().filter(u8::is_ascii_digit).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn countries_are_iso_codes_in_any_case() {
        assert_eq!(country("fr"), Ok(Id::FR));
        assert_eq!(country(" US "), Ok(Id::US));
        assert_eq!(country("Gb"), Ok(Id::GB));
        assert_eq!(
            country("XX"),
            Err("unknown country \"XX\": give an ISO 3166 code such as US or FR".to_owned())
        );
        assert!(country("").is_err());
        assert!(country("FRA").is_err());
    }

    #[test]
    fn international_numbers_follow_the_shared_rules() {
        // Fictional demo numbers: no carrier has them, and they must still be accepted.
        assert_eq!(
            normalise("+1 555 010 0200", None).as_deref(),
            Ok("+15550100200")
        );
        assert_eq!(
            normalise("+1 (555) 010-0123", Some(Id::FR)).as_deref(),
            Ok("+15550100123")
        );
        assert_eq!(
            normalise("0033 6 12 34 56 78", Some(Id::US)).as_deref(),
            Ok("+33612345678")
        );
    }

    #[test]
    fn national_numbers_need_a_country() {
        assert_eq!(
            normalise("06 12 34 56 78", Some(Id::FR)).as_deref(),
            Ok("+33612345678")
        );
        assert_eq!(
            normalise("(212) 555-0100", Some(Id::US)).as_deref(),
            Ok("+12125550100")
        );
        assert_eq!(
            normalise("020 7946 0958", Some(Id::GB)).as_deref(),
            Ok("+442079460958")
        );
        let error = normalise("06 12 34 56 78", None).unwrap_err();
        assert!(
            error.starts_with("\"06 12 34 56 78\" has no country code"),
            "{error}"
        );
        assert!(error.contains("default country"), "{error}");
    }

    #[test]
    fn refusals_quote_the_number() {
        for (written, country) in [
            ("12", Some(Id::FR)),
            ("12", None),
            ("1234567890123456", None),
            ("+12", None),
            ("+1 555 CALL", None),
            ("06 12 34 56 78 poste 12", Some(Id::FR)),
            ("", Some(Id::FR)),
        ] {
            let error = normalise(written, country).unwrap_err();
            assert!(
                error.starts_with(&format!("{written:?} is not a phone number")),
                "{written}: {error}"
            );
        }
    }

    proptest! {
        #[test]
        fn a_french_mobile_gives_one_number_whatever_the_separators(
            first in "[67]",
            digits in "[0-9]{8}",
            separators in proptest::collection::vec(prop_oneof![
                Just(""), Just(" "), Just("-"), Just("."), Just("\u{a0}")
            ], 10),
        ) {
            let national = format!("0{first}{digits}");
            let mut written = String::new();
            for (digit, separator) in national.chars().zip(&separators) {
                written.push(digit);
                written.push_str(separator);
            }
            let e164 = normalise(&written, Some(Id::FR)).unwrap();
            prop_assert_eq!(&e164, &format!("+33{first}{digits}"));
            // The same number written internationally needs no country.
            prop_assert_eq!(normalise(&format!("+33 {first}{digits}"), None).unwrap(), e164.clone());
            // E.164 reads back as itself.
            prop_assert_eq!(normalise(&e164, Some(Id::US)).unwrap(), e164);
        }

        #[test]
        fn the_default_country_never_changes_an_international_number(
            digits in "[1-9][0-9]{6,14}",
            country in prop_oneof![Just(None), Just(Some(Id::FR)), Just(Some(Id::US))],
        ) {
            prop_assert_eq!(normalise(&format!("+{digits}"), country), Ok(format!("+{digits}")));
        }

        #[test]
        fn whatever_is_accepted_is_e164(written in "[0-9 ()+.-]{0,20}") {
            if let Ok(e164) = normalise(&written, Some(Id::FR)) {
                prop_assert_eq!(normalise_number(&e164), Ok(e164.clone()));
            }
        }
    }
}
