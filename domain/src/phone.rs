//! Phone numbers as people read them.

/// "+15550100200" as "(555) 010-0200"; other numbers are shown as given.
pub fn display_number(e164: &str) -> String {
    match e164.strip_prefix("+1") {
        Some(national) if national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit()) => {
            format!(
                "({}) {}-{}",
                &national[..3],
                &national[3..6],
                &national[6..]
            )
        }
        _ => e164.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::display_number;

    #[test]
    fn north_american_numbers_read_as_area_code_exchange_and_line() {
        assert_eq!(display_number("+15550100200"), "(555) 010-0200");
    }

    #[test]
    fn other_numbers_are_left_as_they_are() {
        assert_eq!(display_number("+33612345678"), "+33612345678");
        assert_eq!(display_number("+1555"), "+1555");
    }
}
