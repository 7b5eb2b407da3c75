//! The phone: one column, touch swipes on rows, screens with real routes and Back.

use crate::helpers::{eventually, E2e, GRID};
use crate::helpers::{lines_nav, ui, unread_in_label, Text};
use switchboard_domain::Status;

#[tokio::test]
async fn swiping_a_row_left_marks_it_done_and_the_toast_undoes_it() {
    let app = E2e::start_phone().await;
    app.open("/all/open").await;
    let target = app.row_ids().await[1];

    app.swipe(target, 100.0, (-260.0, 4.0), 12, 360).await;
    eventually("the row slides out", || async {
        !app.row_ids().await.contains(&target)
    })
    .await;
    app.wait_on_server(target, (Status::Done, false)).await;

    // Undo from the toast.
    let undo = app
        .browser
        .client
        .find(fantoccini::Locator::XPath(&format!(
            "//div[contains(@class,'notice')]//button[normalize-space()='{}']",
            ui(Text::NoticesUndo)
        )))
        .await
        .expect("an Undo button");
    undo.click().await.unwrap();
    eventually("the row is back", || async {
        app.row_ids().await.get(1) == Some(&target)
    })
    .await;
    app.wait_on_server(target, (Status::Open, false)).await;
    app.finish().await;
}

#[tokio::test]
async fn swiping_a_row_right_marks_it_unread() {
    let app = E2e::start_phone().await;
    app.open("/all/open").await;
    let target = app.first_read_row().await;
    app.swipe(target, -100.0, (250.0, -3.0), 12, 360).await;
    app.wait_on_server(target, (Status::Open, true)).await;
    eventually("the row says unread", || async {
        app.row_label(target)
            .await
            .unwrap()
            .contains(&unread_in_label())
    })
    .await;
    app.finish().await;
}

#[tokio::test]
async fn a_short_swipe_springs_back_and_changes_nothing() {
    let app = E2e::start_phone().await;
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    let before = app.status_on_server(target).await;
    app.swipe(target, 100.0, (-80.0, 0.0), 16, 800).await;
    app.settle().await;
    assert!(app.row_ids().await.contains(&target));
    assert_eq!(app.status_on_server(target).await, before);
    let transform = format!(
        "return getComputedStyle(document.querySelector('[data-conversation-id=\"{target}\"] .row-surface')).transform"
    );
    eventually("the row springs back in place", || async {
        app.js(&transform).await == "none"
    })
    .await;
    app.finish().await;
}

#[tokio::test]
async fn a_vertical_drag_scrolls_the_list_and_changes_nothing() {
    let app = E2e::start_phone().await;
    app.open("/all/open").await;
    let ids = app.row_ids().await;
    let target = ids[4];
    let before = app.status_on_server(target).await;
    app.swipe(target, 30.0, (-25.0, -320.0), 16, 400).await;
    let scroll_top = format!("return document.querySelector('{GRID}').scrollTop");
    eventually("the list scrolls", || async {
        app.js(&scroll_top).await.as_f64().unwrap_or(0.0) > 50.0
    })
    .await;
    app.settle().await;
    assert_eq!(app.status_on_server(target).await, before);
    assert_eq!(app.path().await, "/all/open", "the drag opened nothing");
    app.finish().await;
}

#[tokio::test]
async fn the_phone_layout_has_a_screen_each_for_lines_list_and_thread_with_back() {
    let app = E2e::start_phone().await;
    app.open("/all/open").await;
    let visible = |selector: &str| {
        format!("const e = document.querySelector(\"{selector}\"); return !!e && e.getBoundingClientRect().width > 0")
    };
    assert_eq!(app.js(&visible(&lines_nav())).await, false, "one column");
    assert_eq!(
        app.js(&format!(
            "return document.querySelectorAll(\"{}\").length",
            lines_nav()
        ))
        .await,
        0,
        "the lines beside the list are not even built on a phone"
    );
    assert_eq!(app.js(&visible(GRID)).await, true);
    let overflow = app
        .js("return document.documentElement.scrollWidth - window.innerWidth")
        .await;
    assert_eq!(overflow, 0, "no horizontal scrolling");
    let small_targets = app
        .js(
            "return [...document.querySelectorAll('[role=tab], .list-header a')]\
             .filter(e => e.getBoundingClientRect().height < 44).length",
        )
        .await;
    assert_eq!(small_targets, 0, "touch targets are at least 44 px");

    // Lines screen.
    app.browser
        .client
        .find(fantoccini::Locator::Css(&format!(
            "a[aria-label='{}']",
            ui(Text::SidebarSwitchLine)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the lines screen", || async {
        app.path().await == "/lines"
    })
    .await;
    eventually("the lines show", || async {
        app.js(&visible(&format!("{} a[href='/2/open']", lines_nav())))
            .await
            == true
    })
    .await;
    app.browser
        .client
        .find(fantoccini::Locator::Css(&format!(
            "{} a[href='/2/open']",
            lines_nav()
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("Support's list", || async { app.path().await == "/2/open" }).await;
    app.wait_for_rows().await;
    let heading = app
        .js("return document.querySelector('.list-header h1').textContent")
        .await;
    assert_eq!(heading, "Support");

    // Thread screen, and its back button.
    let target = app.row_ids().await[0];
    app.row(target).await.click().await.unwrap();
    eventually("the thread screen", || async {
        app.path().await == format!("/2/open/{target}")
    })
    .await;
    eventually("the thread replaces the list", || async {
        app.js(&visible(".thread-header h1")).await == true && app.js(&visible(GRID)).await == false
    })
    .await;
    app.browser
        .client
        .find(fantoccini::Locator::Css(&format!(
            "button[aria-label='{}']",
            ui(Text::ThreadBack)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("back to the list", || async {
        app.path().await == "/2/open"
    })
    .await;
    eventually("the list shows again", || async {
        app.js(&visible(GRID)).await == true
    })
    .await;

    // The browser's Back goes on to the lines screen.
    app.browser.client.back().await.unwrap();
    eventually("Back returns to the lines", || async {
        app.path().await == "/lines"
    })
    .await;
    app.finish().await;
}

#[tokio::test]
async fn a_window_narrowed_to_phone_width_drops_the_line_sidebar_and_widened_has_it_again() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let sidebars = &format!(
        "return document.querySelectorAll(\"{} a\").length",
        lines_nav()
    );
    let lines = app.js(sidebars).await;
    assert!(
        lines.as_u64().unwrap() > 1,
        "all lines and each line: {lines}"
    );

    app.browser.client.set_window_size(600, 900).await.unwrap();
    eventually("no line sidebar at phone width", || async {
        app.js(sidebars).await == 0
    })
    .await;
    app.browser.client.set_window_size(1400, 900).await.unwrap();
    eventually("the line sidebar again", || async {
        app.js(sidebars).await == lines
    })
    .await;
    app.finish().await;
}
