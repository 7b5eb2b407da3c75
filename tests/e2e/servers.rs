//! Two servers on one PostgreSQL database, as a team behind a load balancer runs them: one
//! teammate's browser on each, and each sees what the other does. Runs when a PostgreSQL
//! cluster is at hand (`SWITCHBOARD_TEST_POSTGRES`, as `scripts/test` sets it).

use crate::helpers::{eventually, row_ids_in, row_label_in, unread_in_label, E2e, DESKTOP};
use serde_json::json;
use switchboard_domain::Status;
use switchboard_testkit::{test_postgres, Browser, Server};

/// The demo's admin: every line, like the owner.
const ADMIN: (&str, &str) = ("alex@switchboard.example", "alex-switchboard");

#[tokio::test]
async fn two_servers_on_one_database_show_each_others_changes_and_one_survives_the_others_kill_9() {
    if test_postgres().is_none() {
        eprintln!("no PostgreSQL cluster (SWITCHBOARD_TEST_POSTGRES): one server only");
        return;
    }
    let first = Server::start_on_postgres(300);
    let second = first.beside();
    let app = E2e::start_on(first, DESKTOP).await;
    app.open("/all/open").await;
    let alex = Browser::start(DESKTOP).await;
    alex.sign_in(&second.url, ADMIN.0, ADMIN.1).await;
    alex.client
        .goto(&format!("{}/all/open", second.url))
        .await
        .expect("goto");
    let target = app.row_ids().await[0];
    eventually(
        "Alex's list, from the second server, shows the row",
        || async { row_ids_in(&alex.client).await.contains(&target) },
    )
    .await;

    // Sam marks it done on the first server: it leaves Alex's screen on the second.
    app.press('e').await;
    app.wait_on_server(target, (Status::Done, false)).await;
    eventually("the row leaves Alex's Open view", || async {
        !row_ids_in(&alex.client).await.contains(&target)
    })
    .await;

    // A customer's text delivered to the second server shows on Sam's screen, served by the first.
    // (Another one than Sam's: the message would reopen it.)
    let done = app
        .http_page("view=done&limit=5")
        .await
        .into_iter()
        .find(|conversation| conversation.id != target)
        .expect("another Done conversation");
    app.customer_texts_to(&second.url, &done, "Hello from the other server")
        .await;
    eventually("Sam sees the message, unread, in Open", || async {
        row_label_in(&app.browser.client, done.id)
            .await
            .is_some_and(|label| {
                label.contains(&format!(
                    "{} Hello from the other server",
                    unread_in_label()
                ))
            })
    })
    .await;

    // kill -9 of the first server loses nothing it acknowledged; the second keeps serving.
    let mut app = app;
    app.server.kill();
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_in = http
        .post(format!("{}/api/v1/session", second.url))
        .json(&json!({"email": ADMIN.0, "password": ADMIN.1}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let detail: serde_json::Value = http
        .get(format!("{}/api/v1/conversations/{target}", second.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["conversation"]["status"], "done", "{detail}");
    let reopened = http
        .post(format!(
            "{}/api/v1/conversations/{target}/state",
            second.url
        ))
        .json(&json!({"change": "open"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reopened.status(), 200);
    eventually(
        "Alex's screen, on the second server, shows it back in Open",
        || async { row_ids_in(&alex.client).await.contains(&target) },
    )
    .await;
    alex.close().await;
    app.finish().await;
}
