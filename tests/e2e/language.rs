//! The interface in the run's language (`SWITCHBOARD_E2E_LANGUAGE`): no text of another
//! language left on a screen, and a teammate's choice of language, applied at once without a
//! reload and followed by their other devices.

use crate::helpers::{eventually, ui, wait_for, E2e, Text, DESKTOP};
use fantoccini::Locator;
use std::collections::HashSet;
use switchboard_catalogue::{Lang, Texts};
use switchboard_testkit::interface_language;

/// Where the page shows data (names, messages, numbers) rather than the interface's words.
const DATA: &str = ".preview-text, .name, .bubble, .transcript, .note-text, .line-name, \
    .line-number, .thread-title, .signed-in strong, .notification-text, .owner, .avatar, \
    select.assignee option, .mention-suggestions li, time, .tag-chip, .contact-name, \
    .note-author, .conversation-line, .conversation-last, .property-name, \
    .choices .check span, .tag-filter option:not([value=\"\"]), datalist option, \
    .contact-properties option:not([value=\"\"]), .contact-company, .contact-number, \
    .contact-email, .property-filter option:not([value=\"\"]), .property-option, .import-header, \
    .import-columns select, .reject-reason, .history-detail";

/// The fixed words of every text of `lang` (around its placeholders), five characters or more.
fn pieces(lang: Lang) -> HashSet<String> {
    let texts = Texts::parse(lang.file()).expect("the catalogue parses");
    // A language's own name is in every language's menu.
    let names: Vec<&str> = Lang::ALL.iter().map(|lang| lang.name()).collect();
    texts
        .all()
        .filter(|text| !names.contains(text))
        .flat_map(switchboard_catalogue::words)
        .map(|words| words.trim_matches(|c: char| c.is_whitespace() || ",.:;".contains(c)))
        .filter(|words| words.chars().count() >= 5)
        .map(str::to_owned)
        .collect()
}

/// The fixed words that `other` says and `shown` does not.
fn only_in(other: Lang, shown: Lang) -> Vec<String> {
    let own = pieces(shown);
    pieces(other).difference(&own).cloned().collect()
}

/// Fails if the page, outside its data, says any words that only another language has.
pub async fn assert_in_one_language(client: &fantoccini::Client, screen: &str) {
    let shown = interface_language();
    let script = format!(
        "const data = '{DATA}';
         const texts = [document.title];
         const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
         while (walker.nextNode()) {{
             const element = walker.currentNode.parentElement;
             if (!element || element.closest(data) || element.closest('script, style, noscript')) continue;
             const text = walker.currentNode.textContent.trim();
             if (text) texts.push(text);
         }}
         for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {{
             if (element.closest(data) || element.matches('[role=row]')) continue;
             for (const name of ['aria-label', 'title', 'placeholder']) {{
                 const value = element.getAttribute(name);
                 if (value) texts.push(value);
             }}
         }}
         return [document.documentElement.lang, texts];"
    );
    let answer = client
        .execute(&script, vec![])
        .await
        .expect("the page's texts");
    assert_eq!(answer[0], shown.code(), "{screen}: <html lang>");
    let texts: Vec<String> = serde_json::from_value(answer[1].clone()).unwrap();
    let mut left = Vec::new();
    for other in Lang::ALL.into_iter().filter(|lang| *lang != shown) {
        for piece in only_in(other, shown) {
            if let Some(text) = texts.iter().find(|text| text.contains(piece.as_str())) {
                left.push(format!("  {:?} ({}) in {text:?}", piece, other.code()));
            }
        }
    }
    assert!(
        left.is_empty(),
        "{screen} in {} still says:\n{}",
        shown.code(),
        left.join("\n")
    );
}

/// The language this run does not test: the one a teammate switches to.
fn other_language() -> Lang {
    Lang::ALL
        .into_iter()
        .find(|lang| *lang != interface_language())
        .expect("two languages")
}

async fn choose_language(client: &fantoccini::Client, choice: &str) {
    let select = client
        .wait()
        .for_element(Locator::Css(".language select"))
        .await
        .expect("the language menu");
    select.select_by_value(choice).await.expect("choose");
}

#[tokio::test]
async fn a_chosen_language_applies_at_once_without_a_reload_and_follows_the_teammate() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let other = other_language();
    let phone = app.teammate(crate::helpers::OWNER, "/all/open").await;
    // A reply half written, in an open conversation.
    let first = app.row_ids().await[0];
    app.row(first).await.click().await.unwrap();
    app.reply_box()
        .await
        .send_keys("Half a reply")
        .await
        .unwrap();
    // Marks this page: a reload would lose it.
    app.js("window.__same_page = true").await;
    let open_tab = Texts::parse(other.file()).unwrap().get(Text::ViewsOpen);

    choose_language(&app.browser.client, other.code()).await;
    eventually("the interface speaks the chosen language", || async {
        app.js("return document.documentElement.lang").await == other.code()
            && app
                .js("return document.querySelector('[role=tab][aria-selected=true]').textContent")
                .await
                == open_tab
    })
    .await;
    assert_eq!(app.js("return window.__same_page === true").await, true);
    assert_in_one_language_of(&app.browser.client, other).await;
    // The list, the open conversation and the half-written reply stay as they were.
    assert!(!app.row_ids().await.is_empty());
    assert_eq!(app.path().await, format!("/all/open/{first}"));
    assert_eq!(
        app.js("return document.querySelector('form.reply-box textarea').value")
            .await,
        "Half a reply"
    );

    // The teammate's other browser follows at once, and a reload keeps the choice.
    eventually("the other device follows", || async {
        phone
            .client
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap()
            == other.code()
    })
    .await;
    app.browser.client.refresh().await.unwrap();
    app.wait_for_rows().await;
    assert_eq!(
        app.js("return document.documentElement.lang").await,
        other.code()
    );

    // "As the browser" again: the browser's language, on every device.
    choose_language(&app.browser.client, "").await;
    eventually("back to the browser's language", || async {
        app.js("return document.documentElement.lang").await == interface_language().code()
    })
    .await;
    eventually("the other device too", || async {
        phone
            .client
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap()
            == interface_language().code()
    })
    .await;
    assert_in_one_language(&app.browser.client, "the inbox after going back").await;
    phone.close().await;
    app.finish().await;
}

/// [`assert_in_one_language`] for a page shown in `lang` rather than the run's language.
async fn assert_in_one_language_of(client: &fantoccini::Client, lang: Lang) {
    let texts = client
        .execute(
            "return [...document.querySelectorAll('[role=tab], button[aria-label], h2')]
                .map(e => e.getAttribute('aria-label') || e.textContent)",
            vec![],
        )
        .await
        .unwrap();
    let texts: Vec<String> = serde_json::from_value(texts).unwrap();
    let old = only_in(interface_language(), lang);
    let foreign: Vec<&String> = texts
        .iter()
        .filter(|text| old.iter().any(|piece| text.contains(piece.as_str())))
        .collect();
    assert!(foreign.is_empty(), "left in the old language: {foreign:?}");
}

#[tokio::test]
async fn the_sign_in_page_speaks_the_browsers_language() {
    let server = switchboard_testkit::Server::start(10);
    let browser = switchboard_testkit::Browser::start(DESKTOP).await;
    browser
        .client
        .goto(&format!("{}/sign-in", server.url))
        .await
        .unwrap();
    wait_for(&browser.client, "form.sign-in-card input[type=email]").await;
    let title = browser
        .client
        .find(Locator::Css("#sign-in-title"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title, ui(Text::SignInTitle));
    assert_in_one_language(&browser.client, "the sign-in page").await;
    browser.close().await;
}
