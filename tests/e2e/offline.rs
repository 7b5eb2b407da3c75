//! Offline: the app opens from its cache, accepts changes, keeps them through reloads, and
//! sends each once when the server answers again.

use crate::helpers::{eventually, E2e};
use crate::helpers::{ui, ui_count, unread_in_label, Plural, Text};
use switchboard_domain::Status;
use switchboard_server::db::changes::history;
use switchboard_server::db::Db;

#[tokio::test]
async fn offline_changes_survive_reloads_and_reach_the_server_once_each() {
    let mut app = E2e::start().await;
    app.open("/all/open").await;
    app.js("return navigator.serviceWorker.ready.then(() => true)")
        .await;
    // Load once under the worker's control, so that the list's answers are cached.
    app.browser.client.refresh().await.unwrap();
    app.wait_for_rows().await;
    let ids = app.row_ids().await;
    let mut read = None;
    for id in ids.iter().skip(3) {
        if !app
            .row_label(*id)
            .await
            .unwrap()
            .contains(&unread_in_label())
        {
            read = Some(*id);
            break;
        }
    }
    let (first, second, third) = (ids[0], ids[1], read.expect("a read conversation"));

    app.go_offline(true).await;
    app.browser.client.refresh().await.unwrap();
    app.wait_for_rows().await;
    assert_eq!(
        app.row_ids().await[..3],
        ids[..3],
        "the cached list renders offline"
    );

    app.wait_selected(first).await;
    app.press('e').await;
    app.wait_selected(second).await;
    app.press('e').await;
    app.select(third).await;
    app.press('u').await;
    eventually("three changes wait", || async {
        app.connection_status()
            .await
            .contains(&ui_count(Plural::ConnectionWaiting, 3))
    })
    .await;
    // Stored once each change is on screen (a frame later).
    eventually("the three are stored", || async {
        app.stored_changes().await == 3
    })
    .await;

    app.browser.client.refresh().await.unwrap();
    app.wait_for_rows().await;
    eventually("still pending after a reload", || async {
        app.connection_status()
            .await
            .contains(&ui_count(Plural::ConnectionWaiting, 3))
    })
    .await;
    assert_eq!(app.stored_changes().await, 3);
    let shown = app.row_ids().await;
    assert!(
        !shown.contains(&first) && !shown.contains(&second),
        "done stays done on screen"
    );
    assert!(app
        .row_label(third)
        .await
        .unwrap()
        .contains(&unread_in_label()));
    assert!(app
        .row_label(third)
        .await
        .unwrap()
        .ends_with(ui(Text::RowWaiting)));

    app.go_offline(false).await;
    eventually("everything is sent", || async {
        app.stored_changes().await == 0
    })
    .await;
    assert_eq!(app.status_on_server(first).await, (Status::Done, false));
    assert_eq!(app.status_on_server(second).await, (Status::Done, false));
    assert_eq!(app.status_on_server(third).await, (Status::Open, true));
    let db = Db::open(switchboard_server::db::Location::parse(
        &app.server.database,
    ))
    .await
    .unwrap();
    for (id, change) in [(first, "done"), (second, "done"), (third, "unread")] {
        let changes: Vec<String> = history(&db, id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.change)
            .collect();
        assert_eq!(changes, [change], "conversation {id} changed once");
    }
    eventually("nothing waits any more", || async {
        app.connection_status().await.is_empty()
    })
    .await;
    app.finish().await;
}
