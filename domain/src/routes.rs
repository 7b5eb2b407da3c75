//! The web app's addresses: which line, which view and which conversation are in the URL, so that
//! a reload or Back keeps your place. `/all/open`, `/2/unread`, `/all/done/145`, and
//! `/all/open?assignee=me` for the conversations assigned to the signed-in teammate, and
//! `/all/open?tag=4` for those whose contact has tag 4.
//!
//! Here rather than in the web app because the server reads them too: it tells the browser,
//! with the page, which answers of the API the page will ask for first (see
//! [`InboxRoute::first_requests`]), so that they travel while the app itself downloads.

use crate::api::ConversationsQuery;
use crate::{ConversationId, LineId, TagId, View};
use std::fmt;

/// All lines, or one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LineFilter {
    #[default]
    All,
    Line(LineId),
}

impl LineFilter {
    pub fn line(self) -> Option<LineId> {
        match self {
            LineFilter::All => None,
            LineFilter::Line(line) => Some(line),
        }
    }
}

impl fmt::Display for LineFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineFilter::All => f.write_str("all"),
            LineFilter::Line(line) => write!(f, "{line}"),
        }
    }
}

/// What the inbox shows: a line's (or every line's) view, and maybe one open conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InboxRoute {
    pub line: LineFilter,
    pub view: View,
    pub conversation: Option<ConversationId>,
    /// Only the conversations assigned to the signed-in teammate.
    pub mine: bool,
    /// Only the conversations whose contact has this tag.
    pub tag: Option<TagId>,
}

impl InboxRoute {
    /// The path patterns, for the router.
    pub const PATTERN: &'static str = "/:line/:view/:conversation?";

    /// Reads a route from the path's parameters; `None` when they name nothing.
    pub fn parse(line: &str, view: &str, conversation: Option<&str>) -> Option<InboxRoute> {
        let line = match line {
            "all" => LineFilter::All,
            id => LineFilter::Line(id.parse().ok().filter(|l: &LineId| l.0 > 0)?),
        };
        let view = view.parse().ok()?;
        let conversation = match conversation {
            None | Some("") => None,
            Some(id) => Some(id.parse().ok()?),
        };
        Some(InboxRoute {
            line,
            view,
            conversation,
            mine: false,
            tag: None,
        })
    }

    /// Reads a whole address (`/2/unread/145`, and the query after `?` if any); `None` for any
    /// other page.
    pub fn from_address(path: &str, query: Option<&str>) -> Option<InboxRoute> {
        let mut parts = path.strip_prefix('/')?.split('/');
        let (line, view) = (parts.next()?, parts.next()?);
        let conversation = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let value = |name: &str| {
            query
                .unwrap_or("")
                .split('&')
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        };
        let route = InboxRoute::parse(line, view, conversation)?;
        Some(
            route
                .with_assignee(value("assignee"))
                .with_tag(value("tag")),
        )
    }

    /// The API's addresses that this page asks for as it opens, once someone is signed in:
    /// the first page of its list and, if one is open, the conversation.
    pub fn first_requests(&self) -> Vec<String> {
        let mut addresses =
            vec![
                ConversationsQuery::first_page(self.view, self.line.line(), self.mine)
                    .tagged(self.tag)
                    .address(),
            ];
        if let Some(id) = self.conversation {
            addresses.push(crate::api::conversation_address(id));
        }
        addresses
    }

    /// The `?assignee=` query: `me` or nothing.
    pub fn with_assignee(self, assignee: Option<&str>) -> InboxRoute {
        InboxRoute {
            mine: assignee == Some("me"),
            ..self
        }
    }

    /// The `?tag=` query: a tag's id, or nothing (anything else names no tag).
    pub fn with_tag(self, tag: Option<&str>) -> InboxRoute {
        let tag = tag.and_then(|t| t.parse().ok()).filter(|t: &TagId| t.0 > 0);
        self.tagged(tag)
    }

    /// The same list, of the conversations whose contact has `tag` (or all again).
    pub fn tagged(self, tag: Option<TagId>) -> InboxRoute {
        InboxRoute { tag, ..self }
    }

    pub fn path(&self) -> String {
        let mut path = match self.conversation {
            Some(id) => format!("/{}/{}/{id}", self.line, self.view.as_str()),
            None => format!("/{}/{}", self.line, self.view.as_str()),
        };
        let mut separator = '?';
        if self.mine {
            path.push_str("?assignee=me");
            separator = '&';
        }
        if let Some(tag) = self.tag {
            path.push_str(&format!("{separator}tag={tag}"));
        }
        path
    }

    /// Another line or view: its own list, with no conversation open.
    pub fn list(line: LineFilter, view: View) -> InboxRoute {
        InboxRoute {
            line,
            view,
            conversation: None,
            mine: false,
            tag: None,
        }
    }

    /// The same list, with or without the "assigned to me" filter.
    pub fn mine(self, mine: bool) -> InboxRoute {
        InboxRoute {
            mine,
            conversation: None,
            ..self
        }
    }

    pub fn with_conversation(self, conversation: Option<ConversationId>) -> InboxRoute {
        InboxRoute {
            conversation,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_route_is_every_lines_open_view() {
        assert_eq!(InboxRoute::default().path(), "/all/open");
    }

    #[test]
    fn routes_round_trip_through_their_paths() {
        let routes = [
            InboxRoute::list(LineFilter::All, View::Done),
            InboxRoute::list(LineFilter::Line(LineId(2)), View::Unread),
            InboxRoute::list(LineFilter::Line(LineId(3)), View::Open)
                .with_conversation(Some(ConversationId(145))),
        ];
        for route in routes {
            let path = route.path();
            let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
            let parsed = InboxRoute::parse(parts[0], parts[1], parts.get(2).copied());
            assert_eq!(parsed, Some(route), "{path}");
        }
        assert_eq!(
            InboxRoute::list(LineFilter::Line(LineId(2)), View::Done)
                .with_conversation(Some(ConversationId(7)))
                .path(),
            "/2/done/7"
        );
    }

    #[test]
    fn assigned_to_me_is_a_query_kept_by_the_conversations_but_not_by_other_lists() {
        let mine = InboxRoute::list(LineFilter::All, View::Open).mine(true);
        assert_eq!(mine.path(), "/all/open?assignee=me");
        let opened = mine.with_conversation(Some(ConversationId(9)));
        assert_eq!(opened.path(), "/all/open/9?assignee=me");
        let parsed = InboxRoute::parse("all", "open", Some("9"))
            .unwrap()
            .with_assignee(Some("me"));
        assert_eq!(parsed, opened);
        assert!(
            !InboxRoute::parse("all", "open", None)
                .unwrap()
                .with_assignee(Some("you"))
                .mine
        );
    }

    #[test]
    fn whole_addresses_are_read_with_their_query() {
        assert_eq!(
            InboxRoute::from_address("/2/unread/145", Some("assignee=me")),
            Some(
                InboxRoute::list(LineFilter::Line(LineId(2)), View::Unread)
                    .mine(true)
                    .with_conversation(Some(ConversationId(145)))
            )
        );
        assert_eq!(
            InboxRoute::from_address("/all/done", None),
            Some(InboxRoute::list(LineFilter::All, View::Done))
        );
        for other in [
            "/",
            "/sign-in",
            "/lines",
            "/all/open/1/2",
            "all/open",
            "/all/later",
        ] {
            assert_eq!(InboxRoute::from_address(other, None), None, "{other}");
        }
    }

    #[test]
    fn a_page_asks_first_for_its_list_and_its_open_conversation() {
        let route = InboxRoute::from_address("/3/open/9", Some("assignee=me")).unwrap();
        assert_eq!(
            route.first_requests(),
            [
                "/api/v1/conversations?view=open&limit=50&line=3&assignee=me",
                "/api/v1/conversations/9"
            ]
        );
        assert_eq!(
            InboxRoute::default().first_requests(),
            ["/api/v1/conversations?view=open&limit=50"]
        );
    }

    #[test]
    fn a_tag_filter_is_a_query_kept_with_the_others_and_asked_of_the_api() {
        let tagged = InboxRoute::list(LineFilter::All, View::Open).tagged(Some(TagId(4)));
        assert_eq!(tagged.path(), "/all/open?tag=4");
        let both = tagged.mine(true).with_conversation(Some(ConversationId(9)));
        assert_eq!(both.path(), "/all/open/9?assignee=me&tag=4");
        assert_eq!(
            InboxRoute::from_address("/all/open/9", Some("tag=4&assignee=me")),
            Some(both)
        );
        assert_eq!(
            both.first_requests()[0],
            "/api/v1/conversations?view=open&limit=50&assignee=me&tag=4"
        );
        for junk in ["x", "0", "-2", ""] {
            let route = InboxRoute::from_address("/all/open", Some(&format!("tag={junk}")));
            assert_eq!(route.unwrap().tag, None, "{junk}");
        }
        // "tags=" is another name, not "tag=".
        assert_eq!(
            InboxRoute::from_address("/all/open", Some("tags=4"))
                .unwrap()
                .tag,
            None
        );
    }

    #[test]
    fn paths_that_name_nothing_are_refused() {
        assert_eq!(InboxRoute::parse("all", "archived", None), None);
        assert_eq!(InboxRoute::parse("main", "open", None), None);
        assert_eq!(InboxRoute::parse("0", "open", None), None);
        assert_eq!(InboxRoute::parse("all", "open", Some("abc")), None);
    }
}
