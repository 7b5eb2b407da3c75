//! The safety rule under real concurrency: a "mark done" racing a customer's message never
//! hides the message, whichever request the server takes first.

use crate::helpers::spawn_app;
use switchboard_domain::Status;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mark_done_racing_an_inbound_message_never_hides_it() {
    let app = spawn_app().await;
    let candidates = app.all_of_view("view=open").await;
    let mut refused = 0;
    for (round, target) in candidates.iter().take(60).enumerate() {
        let seen = target.latest_activity.id;
        let (body, signature) = app
            .signed_text(target, &format!("EV-race-{round}"), "Wait!")
            .await;
        // Both at once, each first in turn, so that the server sees both orders.
        let delay = std::time::Duration::from_micros((round as u64 % 7) * 300);
        let done = async {
            if round % 2 == 0 {
                tokio::time::sleep(delay).await;
            }
            app.change(target.id, "done", Some(seen)).await
        };
        let inbound = async {
            if round % 2 == 1 {
                tokio::time::sleep(delay).await;
            }
            app.deliver(&body, &signature).await
        };
        let (done, inbound) = tokio::join!(done, inbound);
        assert_eq!(inbound.status(), 200);
        if done.status() == 409 {
            refused += 1;
        } else {
            assert_eq!(done.status(), 200);
        }
        let after = app.conversation(target.id).await.conversation;
        // Either way the message is there to be seen: Open and unread.
        assert_eq!(
            (after.status, after.unread),
            (Status::Open, true),
            "round {round}: {after:?}"
        );
        assert!(after.latest_inbound_activity_id > Some(seen));
    }
    // Every line's unread count still agrees with its conversations.
    for line in app.lines().await.lines {
        let unread = app
            .all_of_view(&format!("view=unread&line={}", line.id))
            .await;
        assert_eq!(
            line.unread_count as usize,
            unread.len(),
            "line {}",
            line.name
        );
    }
    // Both orders happened: some done requests came second and were refused, some came first
    // and the message reopened the conversation.
    assert!(
        (1..60).contains(&refused),
        "{refused} of 60 refused: one order only"
    );
}
