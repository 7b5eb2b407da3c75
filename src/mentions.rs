//! @mentions in notes, as pure functions: what is being typed after an `@`, which teammates it
//! may mean, the text once one is picked, who a finished note mentions, and the pieces to show.

use switchboard_domain::team::MemberRef;
use switchboard_domain::MemberId;

/// The longest query worth suggesting for (a name and a half).
const LONGEST_QUERY: usize = 30;
/// Suggestions shown at most.
const SUGGESTIONS: usize = 6;

/// The `@query` being typed just before `caret` (a char index): where its `@` is, and the query.
pub fn query_at(text: &str, caret: usize) -> Option<(usize, String)> {
    let before: Vec<char> = text.chars().take(caret).collect();
    let at = before.iter().rposition(|c| *c == '@')?;
    let starts_word = at == 0 || before[at - 1].is_ascii_whitespace();
    let query: String = before[at + 1..].iter().collect();
    let plausible = !query.contains('\n') && query.chars().count() <= LONGEST_QUERY;
    // Two words at most: "@Jordan L" still suggests, a sentence after an @ does not.
    let words = query.split(' ').count();
    (starts_word && plausible && words <= 2).then_some((at, query))
}

/// Teammates whose name (or a word of it) starts with `query`, ignoring the case of ASCII
/// letters. (Unicode case folding would bring its tables into the app for little: accented
/// letters match as typed.)
pub fn suggestions<'a>(members: &'a [MemberRef], query: &str) -> Vec<&'a MemberRef> {
    let query = query.to_ascii_lowercase();
    members
        .iter()
        .filter(|member| {
            let name = member.name.to_ascii_lowercase();
            name.starts_with(&query) || name.split(' ').any(|word| word.starts_with(&query))
        })
        .take(SUGGESTIONS)
        .collect()
}

/// The text with the `@query` at `at` (ending at `caret`) replaced by `@Name `; and the caret
/// after it.
pub fn pick(text: &str, at: usize, caret: usize, name: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let before: String = chars[..at].iter().collect();
    let after: String = chars[caret.min(chars.len())..].iter().collect();
    let mention = format!("@{name} ");
    let caret = at + mention.chars().count();
    (format!("{before}{mention}{after}"), caret)
}

/// The teammates a note mentions: those whose `@Name` is in its text.
pub fn mentioned(text: &str, members: &[MemberRef]) -> Vec<MemberId> {
    members
        .iter()
        .filter(|member| text.contains(&format!("@{}", member.name)))
        .map(|member| member.id)
        .collect()
}

/// The note cut into plain text and mentions (`true`), for showing mentions apart.
pub fn segments(text: &str, members: &[MemberRef]) -> Vec<(bool, String)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some((start, len)) = members
        .iter()
        .filter_map(|m| {
            let tag = format!("@{}", m.name);
            rest.find(&tag).map(|start| (start, tag.len()))
        })
        .min_by_key(|(start, len)| (*start, usize::MAX - len))
    {
        if start > 0 {
            pieces.push((false, rest[..start].to_owned()));
        }
        pieces.push((true, rest[start..start + len].to_owned()));
        rest = &rest[start + len..];
    }
    if !rest.is_empty() {
        pieces.push((false, rest.to_owned()));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> Vec<MemberRef> {
        ["Sam Rivera", "Jordan Lee", "Riley Park"]
            .iter()
            .enumerate()
            .map(|(i, name)| MemberRef {
                id: MemberId(i as i64 + 1),
                name: (*name).to_owned(),
            })
            .collect()
    }

    #[test]
    fn typing_after_an_at_sign_is_a_query() {
        assert_eq!(query_at("Can @jo", 7), Some((4, "jo".to_owned())));
        assert_eq!(query_at("@", 1), Some((0, String::new())));
        assert_eq!(query_at("@Jordan L", 9), Some((0, "Jordan L".to_owned())));
    }

    #[test]
    fn an_email_or_a_sentence_is_not_a_query() {
        assert_eq!(query_at("mail sam@example", 16), None);
        assert_eq!(query_at("@jordan can you call them back", 30), None);
        assert_eq!(query_at("no at sign", 10), None);
        assert_eq!(query_at("@jo\nnext line", 13), None);
    }

    #[test]
    fn suggestions_match_any_word_of_a_name_ignoring_case() {
        let team = team();
        let names = |query| {
            suggestions(&team, query)
                .iter()
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("jo"), ["Jordan Lee"]);
        assert_eq!(names("PARK"), ["Riley Park"]);
        assert_eq!(names(""), ["Sam Rivera", "Jordan Lee", "Riley Park"]);
        assert!(names("zz").is_empty());
    }

    #[test]
    fn picking_replaces_the_query_with_the_full_name() {
        assert_eq!(
            pick("Can @jo help", 4, 7, "Jordan Lee"),
            ("Can @Jordan Lee  help".to_owned(), 16)
        );
        assert_eq!(
            pick("@", 0, 1, "Sam Rivera"),
            ("@Sam Rivera ".to_owned(), 12)
        );
    }

    #[test]
    fn a_note_mentions_whom_its_text_names() {
        let team = team();
        assert_eq!(
            mentioned("@Jordan Lee and @Riley Park, look", &team),
            [MemberId(2), MemberId(3)]
        );
        assert!(mentioned("Jordan without the sign", &team).is_empty());
    }

    #[test]
    fn mentions_are_cut_out_for_display() {
        let pieces = segments("Ask @Jordan Lee, then @Sam Rivera.", &team());
        assert_eq!(
            pieces,
            [
                (false, "Ask ".to_owned()),
                (true, "@Jordan Lee".to_owned()),
                (false, ", then ".to_owned()),
                (true, "@Sam Rivera".to_owned()),
                (false, ".".to_owned()),
            ]
        );
    }
}
