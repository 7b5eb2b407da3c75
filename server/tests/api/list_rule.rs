//! The list rule is written once, in the domain (`ListRule`, `list_position`), and the web app
//! places rows by it; the server lists pages with SQL of its own. This property test ties the
//! two: in random small workspaces, built through the real server, every list (each view, on
//! each line or all, everyone's or mine, as the owner and as a member who sees two lines), paged
//! through with a small limit, holds exactly the conversations the rule admits, in its order.

use crate::helpers::{ok_json, spawn, Setup, TestApp, WEBHOOK_SECRET};
use crate::webhooks::message_received;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;
use switchboard_domain::api::{ConversationPage, ConversationSummary};
use switchboard_domain::team::Me;
use switchboard_domain::{list_position, ConversationId, LineId, ListRule, MemberId, Status, View};
use switchboard_server::demo::{LINES, TEAM};
use switchboard_server::webhook::WebhookSecret;

/// Where a conversation should end up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Open and unread (as a customer's message leaves it).
    Unread,
    /// Open and read.
    Open,
    /// Done (and so read: a Done conversation is never unread).
    Done,
}

#[derive(Debug, Clone)]
struct Planned {
    /// Index into the workspace's lines.
    line: usize,
    /// Minutes after the start: few values, so that activity times tie often.
    minute: i64,
    standing: Standing,
    pinned: bool,
    /// Picks the assignee among nobody and the teammates who see the line.
    assignee: usize,
}

#[derive(Debug, Clone)]
struct Workspace {
    conversations: Vec<Planned>,
    /// The page size the lists are read with.
    limit: u32,
}

fn planned(lines: usize) -> impl Strategy<Value = Planned> {
    (
        0..lines,
        0i64..5,
        prop_oneof![
            Just(Standing::Unread),
            Just(Standing::Open),
            Just(Standing::Done)
        ],
        prop::bool::weighted(0.3),
        0usize..6,
    )
        .prop_map(|(line, minute, standing, pinned, assignee)| Planned {
            line,
            minute,
            standing,
            pinned,
            assignee,
        })
}

fn workspace() -> impl Strategy<Value = Workspace> {
    (2usize..=3)
        .prop_flat_map(|lines| (prop::collection::vec(planned(lines), 0..=14), 1u32..=4))
        .prop_map(|(conversations, limit)| Workspace {
            conversations,
            limit,
        })
}

/// A teammate reading the lists: their session, id, and the lines they see.
struct Viewer {
    client: reqwest::Client,
    id: MemberId,
    lines: Vec<LineId>,
}

impl Viewer {
    fn sees(&self, line: LineId) -> bool {
        self.lines.contains(&line)
    }
}

async fn viewer(app: &TestApp, client: reqwest::Client) -> Viewer {
    let me: Me = ok_json(client.get(app.url("/api/v1/me")).send().await.unwrap()).await;
    Viewer {
        client,
        id: me.id,
        lines: me.line_ids,
    }
}

/// Creates the planned conversations through the server: a customer's message by webhook (at
/// the time set on the server's clock), then assignment, pin and state changes by the API.
/// Returns the conversations as the server then shows them one by one.
async fn create(app: &TestApp, plan: &[Planned]) -> Vec<ConversationSummary> {
    let start = app.now_ms();
    let secret = WebhookSecret::parse(WEBHOOK_SECRET).unwrap();
    let mut team = Vec::new();
    for teammate in &TEAM {
        team.push((app.member_named(teammate.name).await.id, teammate));
    }
    let mut created = Vec::new();
    for (index, planned) in plan.iter().enumerate() {
        let line = LineId(planned.line as i64 + 1);
        let at = start + planned.minute * 60_000;
        app.set_clock(at);
        let customer = format!("+1646555{:04}", 1000 + index);
        let body = message_received(
            &format!("EVlist{index}"),
            &customer,
            LINES[planned.line].number,
            "Hello",
        );
        let receipt: Value = ok_json(
            app.deliver(&body, &secret.sign_legacy(app.now_ms(), body.as_bytes()))
                .await,
        )
        .await;
        assert_eq!(receipt["outcome"], "stored", "{receipt}");
        let id: i64 = receipt["detail"]
            .as_str()
            .and_then(|detail| detail.strip_prefix("conversation "))
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("a new conversation: {receipt}"));
        let id = ConversationId(id);
        // Changes come a little later than the message, as they would.
        app.advance_clock(Duration::from_secs(7));

        let able: Vec<Option<MemberId>> = std::iter::once(None)
            .chain(team.iter().filter_map(|(id, teammate)| {
                let sees = teammate.role.sees_every_line() || teammate.lines.contains(&line.0);
                sees.then_some(Some(*id))
            }))
            .collect();
        let assignee = able[planned.assignee % able.len()];
        let path = |what: &str| format!("/api/v1/conversations/{id}/{what}");
        if assignee.is_some() {
            let response = app
                .post_json(&path("assignee"), &json!({ "assignee_id": assignee }))
                .await;
            ok_json::<ConversationSummary>(response).await;
        }
        if planned.pinned {
            let response = app
                .post_json(&path("pin"), &json!({ "pinned": true }))
                .await;
            ok_json::<ConversationSummary>(response).await;
        }
        let seen = app
            .conversation(id)
            .await
            .conversation
            .latest_inbound_activity_id;
        let change = match planned.standing {
            Standing::Unread => None,
            Standing::Open => Some("read"),
            Standing::Done => Some("done"),
        };
        if let Some(change) = change {
            ok_json::<ConversationSummary>(app.change(id, change, seen).await).await;
        }

        let shown = app.conversation(id).await.conversation;
        let expected = (
            line,
            at,
            planned.pinned,
            assignee,
            match planned.standing {
                Standing::Unread => (Status::Open, true),
                Standing::Open => (Status::Open, false),
                Standing::Done => (Status::Done, false),
            },
        );
        let actual = (
            shown.line_id,
            shown.latest_activity.at,
            shown.pinned,
            shown.assignee.as_ref().map(|member| member.id),
            (shown.status, shown.unread),
        );
        assert_eq!(actual, expected, "conversation {id} as planned");
        created.push(shown);
    }
    created
}

/// Every conversation of the list `query`, page by page (`limit` a page); checks the pages'
/// sizes and cursors on the way.
async fn read_list(
    app: &TestApp,
    client: &reqwest::Client,
    query: &str,
    limit: u32,
    most: usize,
) -> Vec<ConversationSummary> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = app.url(&format!("/api/v1/conversations?{query}&limit={limit}"));
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let page: ConversationPage = ok_json(client.get(url).send().await.unwrap()).await;
        assert!(
            page.conversations.len() <= limit as usize,
            "{query}: a page of {} for limit {limit}",
            page.conversations.len()
        );
        if page.next_cursor.is_some() {
            assert_eq!(
                page.conversations.len(),
                limit as usize,
                "{query}: only the last page is short"
            );
        }
        all.extend(page.conversations);
        assert!(all.len() <= most, "{query}: more rows than conversations");
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return all,
        }
    }
}

async fn check(workspace: Workspace) {
    let app = spawn(
        Setup {
            demo_conversations: 0,
            ..Setup::default()
        }
        .manual_clock(),
    )
    .await;
    // The owner sees every line; Riley, a member, sees Main and Sales only.
    let owner = viewer(&app, app.client.clone()).await;
    assert_eq!(owner.lines.len(), LINES.len());
    let riley = TEAM.iter().find(|t| t.name == "Riley Park").unwrap();
    let member = viewer(&app, app.signed_in((riley.email, riley.password)).await).await;

    let conversations = create(&app, &workspace.conversations).await;
    let limit = workspace.limit;
    for viewer in [&owner, &member] {
        let lines = std::iter::once(None).chain(
            (1..=LINES.len() as i64)
                .map(LineId)
                .filter(|line| viewer.sees(*line))
                .map(Some),
        );
        for line in lines {
            for view in View::ALL {
                for mine in [false, true] {
                    let rule = ListRule {
                        view,
                        line,
                        assignee: mine.then_some(viewer.id),
                    };
                    let mut expected: Vec<&ConversationSummary> = conversations
                        .iter()
                        .filter(|c| rule.admits(c) && viewer.sees(c.line_id))
                        .collect();
                    expected.sort_by_key(|c| list_position(c));
                    let mut query = format!("view={}", view.as_str());
                    if let Some(line) = line {
                        query.push_str(&format!("&line={line}"));
                    }
                    if mine {
                        query.push_str("&assignee=me");
                    }
                    let listed =
                        read_list(&app, &viewer.client, &query, limit, conversations.len()).await;
                    let ids = |list: &[&ConversationSummary]| -> Vec<i64> {
                        list.iter().map(|c| c.id.0).collect()
                    };
                    let listed: Vec<&ConversationSummary> = listed.iter().collect();
                    assert_eq!(
                        ids(&listed),
                        ids(&expected),
                        "{query} (limit {limit}) as member {}: the listed ids, then the \
                         rule's; the conversations: {:?}",
                        viewer.id,
                        described(&conversations)
                    );
                    assert_eq!(listed, expected, "{query}: the rows as shown one by one");
                }
            }
        }
    }
}

/// Each conversation's sort key and list fields, for failure messages.
fn described(conversations: &[ConversationSummary]) -> HashMap<i64, String> {
    conversations
        .iter()
        .map(|c| {
            let assignee = c.assignee.as_ref().map(|m| m.id.0);
            let state = (c.status.as_str(), c.unread);
            let key = format!(
                "pinned {} at {} line {} {state:?} assignee {assignee:?}",
                c.pinned, c.latest_activity.at, c.line_id
            );
            (c.id.0, key)
        })
        .collect()
}

proptest! {
    // Each case starts a server and makes a few hundred requests: a few dozen cases are plenty,
    // and a failure shrinks to a small workspace.
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_list_holds_what_the_domain_rule_admits_in_its_order(workspace in workspace()) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(check(workspace));
    }
}
