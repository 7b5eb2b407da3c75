//! axe-core on every screen: the sign-in page, the inbox with a thread open (and its contact),
//! the shortcut sheet, the notifications, and the phone's list, thread, contact and lines
//! screens. Any violation, of any impact, fails the test and is printed with the elements it
//! concerns. Each screen is also checked to say nothing in another language than the run's
//! (`language.rs`).

use crate::helpers::lines_nav;
use crate::helpers::{eventually, wait_for, E2e, DESKTOP};
use crate::language::assert_in_one_language;
use fantoccini::Locator;
use serde_json::Value;
use switchboard_testkit::{Browser, Server};

/// axe-core's script, installed by `scripts/setup` (npm).
fn axe_source() -> String {
    let tools = std::env::var("SWITCHBOARD_TOOLS").unwrap_or_else(|_| {
        let home = std::env::var("HOME").expect("HOME");
        format!("{home}/.cache/switchboard/tools")
    });
    let path = format!("{tools}/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core at {path} ({e}): run scripts/setup"))
}

/// Runs axe-core on the page as it is now and fails on any violation.
async fn assert_accessible(client: &fantoccini::Client, screen: &str) {
    let loaded = client
        .execute("return typeof window.axe !== 'undefined'", vec![])
        .await
        .expect("axe check");
    if loaded != Value::Bool(true) {
        client
            .execute(&axe_source(), vec![])
            .await
            .expect("axe-core loads");
    }
    let script = "const done = arguments[arguments.length - 1];
        // The default rules and the experimental ones (label-content-name-mismatch among them).
        const experimental = axe.getRules(['experimental'])
            .map(r => [r.ruleId, { enabled: true }]);
        axe.run(document, { resultTypes: ['violations'], rules: Object.fromEntries(experimental) })
            .then(r => done(r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)
            }))))
            .catch(e => done([{ id: 'axe-error', impact: 'error', help: String(e), nodes: [] }]));";
    let violations = client.execute_async(script, vec![]).await.expect("axe run");
    let violations = violations.as_array().cloned().unwrap_or_default();
    let report: Vec<String> = violations
        .iter()
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .take(5)
                .map(|n| format!("    {}", n.as_str().unwrap_or_default()))
                .collect();
            format!(
                "  {} ({}): {}\n{}",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                nodes.join("\n")
            )
        })
        .collect();
    assert!(
        report.is_empty(),
        "axe-core found {} violation(s) on {screen}:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[tokio::test]
async fn every_desktop_screen_passes_axe() {
    let server = Server::start(300);
    let browser = Browser::start(DESKTOP).await;
    let client = &browser.client;
    client
        .goto(&format!("{}/sign-in", server.url))
        .await
        .expect("the sign-in page");
    wait_for(client, "form.sign-in-card input[type=email]").await;
    assert_accessible(client, "the sign-in page").await;
    assert_in_one_language(client, "the sign-in page").await;
    // A refused sign-in shows its message in the form.
    for (selector, keys) in [
        ("input[type=email]", "nobody@switchboard.example"),
        ("input[type=password]", "wrong password"),
    ] {
        let field = client.find(Locator::Css(selector)).await.expect(selector);
        field.send_keys(keys).await.expect("typing");
    }
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .expect("the sign-in button")
        .click()
        .await
        .expect("click");
    wait_for(client, "form.sign-in-card [role=alert]").await;
    assert_accessible(client, "the sign-in page with its error").await;
    assert_in_one_language(client, "the sign-in page with its error").await;
    browser.close().await;

    let app = E2e::start_on(server, DESKTOP).await;
    app.open("/all/open").await;
    assert_accessible(&app.browser.client, "the inbox").await;
    assert_in_one_language(&app.browser.client, "the inbox").await;

    let first = app.row_ids().await[0];
    app.row(first).await.click().await.expect("click a row");
    app.reply_box().await;
    assert_accessible(&app.browser.client, "the inbox with a thread open").await;
    assert_in_one_language(&app.browser.client, "the inbox with a thread open").await;

    app.browser
        .client
        .execute(
            "document.activeElement && document.activeElement.blur()",
            vec![],
        )
        .await
        .expect("blur");
    app.press('?').await;
    wait_for(&app.browser.client, "dialog[open]").await;
    assert_accessible(&app.browser.client, "the shortcut sheet").await;
    assert_in_one_language(&app.browser.client, "the shortcut sheet").await;
    app.press(fantoccini::key::Key::Escape).await;

    app.browser
        .client
        .wait()
        .for_element(Locator::Css("button.bell"))
        .await
        .expect("the bell")
        .click()
        .await
        .expect("open the notifications");
    assert_accessible(&app.browser.client, "the notifications").await;
    assert_in_one_language(&app.browser.client, "the notifications").await;

    app.open("/2/done").await;
    assert_accessible(&app.browser.client, "the Done view of a line").await;
    assert_in_one_language(&app.browser.client, "the Done view of a line").await;

    contacts_screens(&app, "").await;
    app.finish().await;
}

#[tokio::test]
async fn every_phone_screen_passes_axe() {
    let app = E2e::start_phone().await;
    app.open("/all/open").await;
    assert_accessible(&app.browser.client, "the phone's list").await;
    assert_in_one_language(&app.browser.client, "the phone's list").await;

    let first = app.row_ids().await[0];
    app.open(&format!("/all/open/{first}")).await;
    app.reply_box().await;
    eventually("the thread screen shows", || async {
        app.path().await.ends_with(&first.to_string())
    })
    .await;
    assert_accessible(&app.browser.client, "the phone's thread").await;
    assert_in_one_language(&app.browser.client, "the phone's thread").await;

    // The contact, a screen of its own reached from the thread's header.
    app.browser
        .client
        .find(Locator::Css(".thread-header .contact-button"))
        .await
        .expect("the Contact button")
        .click()
        .await
        .expect("open the contact");
    wait_for(
        &app.browser.client,
        "aside[aria-label=Contact] h1.contact-name",
    )
    .await;
    assert_accessible(&app.browser.client, "the phone's contact screen").await;
    assert_in_one_language(&app.browser.client, "the phone's contact screen").await;

    app.browser
        .client
        .goto(&format!("{}/lines", app.server.url))
        .await
        .expect("the lines screen");
    wait_for(&app.browser.client, &format!("{} a", lines_nav())).await;
    assert_accessible(&app.browser.client, "the phone's lines screen").await;
    assert_in_one_language(&app.browser.client, "the phone's lines screen").await;

    contacts_screens(&app, "the phone's ").await;
    app.finish().await;
}

/// The Contacts page, a contact's page (and its Merge dialog) and the import screen with a
/// preview; `prefix` names the device in the messages.
async fn contacts_screens(app: &E2e, prefix: &str) {
    let client = &app.browser.client;
    client
        .goto(&format!("{}/contacts", app.server.url))
        .await
        .expect("the Contacts page");
    wait_for(client, "[role=grid] [role=row][data-contact-id] .row-tags").await;
    let screen = format!("{prefix}Contacts page");
    assert_accessible(client, &screen).await;
    assert_in_one_language(client, &screen).await;

    // A demo contact with tags, properties and maybe a note.
    let list: switchboard_domain::contacts::ContactList =
        app.get_json("/api/v1/contacts?tag=1&limit=1").await;
    let id = list.contacts.first().map_or(1, |c| c.id.0);
    client
        .goto(&format!("{}/contacts/{id}", app.server.url))
        .await
        .expect("a contact's page");
    wait_for(client, "h1.contact-name").await;
    let screen = format!("{prefix}contact's page");
    assert_accessible(client, &screen).await;
    assert_in_one_language(client, &screen).await;
    client
        .find(Locator::XPath(&format!(
            "//*[@role='group']//button[normalize-space()='{}']",
            crate::helpers::ui(crate::helpers::Text::ContactsMerge)
        )))
        .await
        .expect("Merge")
        .click()
        .await
        .expect("open Merge");
    wait_for(client, "dialog[open] input[type=search]").await;
    let screen = format!("{prefix}Merge dialog");
    assert_accessible(client, &screen).await;
    assert_in_one_language(client, &screen).await;

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a11y.csv");
    std::fs::write(
        &file,
        "First name,Phone,Notes\nAda,+15550109911,x\nBad,none,y\n",
    )
    .unwrap();
    client
        .goto(&format!("{}/contacts/import", app.server.url))
        .await
        .expect("the import screen");
    client
        .wait()
        .for_element(Locator::Css("input[type=file]"))
        .await
        .expect("the file input")
        .send_keys(file.to_str().unwrap())
        .await
        .expect("a file");
    wait_for(client, ".import-columns select").await;
    let screen = format!("{prefix}import preview");
    assert_accessible(client, &screen).await;
    assert_in_one_language(client, &screen).await;
}
