//! The safety rule under real concurrency: a "mark done" racing a customer's message never
//! hides the message, whichever request the server takes first.

use crate::helpers::{spawn_app, TestApp};
use switchboard_domain::Status;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mark_done_racing_an_inbound_message_never_hides_it() {
    let app = spawn_app().await;
    let refused = race_done_against_inbound(&app, &app, 60).await;
    // Both orders happened: some done requests came second and were refused, some came first
    // and the message reopened the conversation.
    assert!(
        (1..60).contains(&refused),
        "{refused} of 60 refused: one order only"
    );
}

/// For each of `rounds` Open conversations, a "done" sent to `done_on` and a customer's message
/// delivered to `inbound_on` at once, each first in turn; after each, the message is there to
/// be seen, and at the end every line's unread count agrees with its conversations. How many
/// "done" requests came second and were refused.
pub async fn race_done_against_inbound(
    done_on: &TestApp,
    inbound_on: &TestApp,
    rounds: usize,
) -> usize {
    let candidates = done_on.all_of_view("view=open").await;
    let mut refused = 0;
    for (round, target) in candidates.iter().take(rounds).enumerate() {
        let seen = target.latest_activity.id;
        let (body, signature) = inbound_on
            .signed_text(target, &format!("EV-race-{round}"), "Wait!")
            .await;
        // Both at once, each first in turn, so that the server sees both orders.
        let delay = std::time::Duration::from_micros((round as u64 % 7) * 300);
        let done = async {
            if round % 2 == 0 {
                tokio::time::sleep(delay).await;
            }
            done_on.change(target.id, "done", Some(seen)).await
        };
        let inbound = async {
            if round % 2 == 1 {
                tokio::time::sleep(delay).await;
            }
            inbound_on.deliver(&body, &signature).await
        };
        let (done, inbound) = tokio::join!(done, inbound);
        assert_eq!(inbound.status(), 200);
        if done.status() == 409 {
            refused += 1;
        } else {
            assert_eq!(done.status(), 200);
        }
        let after = done_on.conversation(target.id).await.conversation;
        // Either way the message is there to be seen: Open and unread.
        assert_eq!(
            (after.status, after.unread),
            (Status::Open, true),
            "round {round}: {after:?}"
        );
        assert!(after.latest_inbound_activity_id > Some(seen));
    }
    // Every line's unread count still agrees with its conversations.
    for line in inbound_on.lines().await.lines {
        let unread = done_on
            .all_of_view(&format!("view=unread&line={}", line.id))
            .await;
        assert_eq!(
            line.unread_count as usize,
            unread.len(),
            "line {}",
            line.name
        );
    }
    refused
}
