//! A reply's way to the customer, as the thread shows it: Sending, then Sent, then Delivered
//! (the demo's carrier); Not delivered with Quo's reason, and Retry (a local stand-in for Quo).

use crate::helpers::{eventually, E2e, Key, DESKTOP};
use crate::helpers::{lines_nav, ui, ui_with, Text};
use fantoccini::Locator;
use switchboard_domain::Status;
use switchboard_testkit::fake_quo::{Answer, FakeQuo, KEY};
use switchboard_testkit::{web_root, Server};

/// Records every text the thread's delivery lines take, in order.
const RECORD_DELIVERIES: &str = "
    window.__deliveries = [];
    const list = document.querySelector('.activities');
    const note = () => {
        const lines = list.querySelectorAll('.delivery');
        const last = lines[lines.length - 1];
        const text = last && last.textContent.trim();
        if (text && window.__deliveries[window.__deliveries.length - 1] !== text) {
            window.__deliveries.push(text);
        }
    };
    new MutationObserver(note).observe(list, { subtree: true, childList: true, characterData: true });";

async fn open_first_thread(app: &E2e) {
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    app.row(target).await.click().await.unwrap();
    app.reply_box().await;
}

async fn last_delivery(app: &E2e) -> String {
    app.js("const l = document.querySelectorAll('.activities .delivery'); return l.length ? l[l.length - 1].textContent.trim() : ''")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_reply_shows_sending_then_sent_then_delivered() {
    let app = E2e::start().await;
    open_first_thread(&app).await;
    app.js(RECORD_DELIVERIES).await;
    let reply = app.reply_box().await;
    reply.send_keys("On its way to you\n").await.unwrap();
    eventually("the reply is delivered", || async {
        last_delivery(&app).await == ui(Text::DeliveryDelivered)
    })
    .await;
    let seen: Vec<String> =
        serde_json::from_value(app.js("return window.__deliveries").await).unwrap();
    let position = |text: &str| seen.iter().position(|s| s == text);
    let (sending, sent, delivered) = (
        position(ui(Text::DeliverySending)),
        position(ui(Text::DeliverySent)),
        position(ui(Text::DeliveryDelivered)),
    );
    assert!(
        sending.is_some() && sending < sent && sent < delivered,
        "in order: {seen:?}"
    );
    app.finish().await;
}

// The stand-in for Quo runs on this test's runtime: more than one thread, so that it answers
// while the test waits on the browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_reply_shows_not_delivered_with_the_reason_and_retry_sends_it() {
    let quo = FakeQuo::start().await;
    quo.plan([Answer::BadRequest]);
    let flags = vec![
        "--quo-api-key".to_owned(),
        KEY.to_owned(),
        "--quo-api-url".to_owned(),
        quo.url.clone(),
    ];
    let app = E2e::start_on(Server::start_with_flags(300, web_root(), flags), DESKTOP).await;
    open_first_thread(&app).await;
    let reply = app.reply_box().await;
    reply.send_keys("Can you read this?\n").await.unwrap();
    eventually("the reply reaches Quo", || async { quo.requests() >= 1 }).await;
    eventually("the reply shows why it did not go", || async {
        last_delivery(&app).await.starts_with(&ui_with(
            Text::DeliveryFailed,
            &[("reason", "Quo answered 400")],
        ))
    })
    .await;
    let retry = app
        .browser
        .client
        .find(Locator::XPath(&format!(
            "//ol[@aria-label='{}']//button[normalize-space(.)='{}']",
            ui(Text::ThreadActivities),
            ui(Text::DeliveryRetry)
        )))
        .await
        .expect("a Retry button");
    retry.click().await.unwrap();
    eventually("the reply is sent", || async {
        last_delivery(&app).await == ui(Text::DeliverySent)
    })
    .await;
    assert_eq!(quo.messages().len(), 1);
    assert_eq!(quo.messages()[0].content, "Can you read this?");
    app.finish().await;
}

#[tokio::test]
async fn ctrl_enter_sends_the_reply_and_marks_the_conversation_done() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    app.row(target).await.click().await.unwrap();
    let reply = app.reply_box().await;
    let (control, null): (char, char) = (Key::Control.into(), Key::Null.into());
    reply
        .send_keys(&format!("All done, thank you{control}\n{null}"))
        .await
        .unwrap();
    app.wait_on_server(target, (Status::Done, false)).await;
    let thread = app.conversation(target).await;
    assert_eq!(
        thread
            .activities
            .last()
            .map(switchboard_web::text::activity_summary)
            .as_deref(),
        Some("All done, thank you")
    );
    eventually("the conversation leaves the Open view", || async {
        !app.row_ids().await.contains(&target)
    })
    .await;
    app.finish().await;
}

/// The text of the line sidebar's "Sending" region, once the lines are in (`None`: not shown).
async fn sending_status(client: &fantoccini::Client) -> Option<String> {
    eventually("the lines are shown", || async {
        client
            .find(Locator::Css(&format!(
                "{} a.line .line-number",
                lines_nav()
            )))
            .await
            .is_ok()
    })
    .await;
    let text = client
        .execute(
            &format!(
                "const heading = [...document.querySelectorAll(\"{} section h2\")]
                    .find(h => h.textContent === '{}');
                 const region = heading && document.querySelector(`section[aria-labelledby=\"${{heading.id}}\"]`);
                 return region ? region.textContent : null",
                lines_nav(),
                ui(Text::SidebarSending)
            ),
            vec![],
        )
        .await
        .expect("the sidebar");
    text.as_str().map(str::to_owned)
}

#[tokio::test]
async fn an_owner_sees_how_replies_reach_customers_and_a_member_does_not() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let shown = sending_status(&app.browser.client).await;
    assert!(
        shown
            .as_deref()
            .is_some_and(|s| s.contains(ui(Text::SidebarSendingDemo))),
        "{shown:?}"
    );
    let member = app
        .teammate(crate::helpers::SUPPORT_MEMBER, "/all/open")
        .await;
    assert_eq!(sending_status(&member.client).await, None);
    member.close().await;
    app.finish().await;

    let quo = FakeQuo::start().await;
    let flags = vec![
        "--quo-api-key".to_owned(),
        KEY.to_owned(),
        "--quo-api-url".to_owned(),
        quo.url.clone(),
    ];
    let app = E2e::start_on(Server::start_with_flags(300, web_root(), flags), DESKTOP).await;
    app.open("/all/open").await;
    let line = app.lines().await.lines[0].clone();
    let shown = sending_status(&app.browser.client)
        .await
        .unwrap_or_default();
    assert!(shown.contains(ui(Text::SidebarSendingQuo)), "{shown}");
    assert!(
        shown.contains(&ui_with(
            Text::SidebarSendsFrom,
            &[("line", &line.name), ("number", &line.number)]
        )),
        "{shown}"
    );
    app.finish().await;
}
