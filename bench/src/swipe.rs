//! Touch swipes on a phone (390 × 844) with the CPU slowed four times (DevTools throttling):
//! animation frames and long tasks from the finger's touch until the row has settled. Five
//! swipes: two short ones that spring back, three that mark done and slide the row out.

use crate::keypress::{done_on_server, numbers, wait_for};
use fantoccini::actions::{InputSource, PointerAction, TouchActions, MOUSE_BUTTON_LEFT};
use fantoccini::Locator;
use serde_json::json;
use std::time::Duration;
use switchboard_testkit::{Browser, Device, Server};

/// A frame is late when its interval exceeds one 60 Hz frame, with a little jitter allowed.
const FRAME_MS: f64 = 1000.0 / 60.0;
const JITTER_MS: f64 = 2.0;

const PROBE: &str = r#"
    window.__intervals = [];
    window.__longTasks = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
    let recording = false;
    document.addEventListener('pointerdown', () => {
        recording = true;
        let last = null;
        const tick = (now) => {
            if (last !== null) window.__intervals.push(now - last);
            last = now;
            if (recording) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    }, { capture: true });
    // Until the row has slid out or sprung back.
    document.addEventListener('pointerup', () => setTimeout(() => { recording = false; }, 300),
        { capture: true });
"#;

pub async fn run() {
    let server = Server::start(300);
    let browser = Browser::start(Device::PHONE).await;
    let client = &browser.client;
    let (email, password) = switchboard_testkit::DEMO_OWNER;
    browser.sign_in(&server.url, email, password).await;
    client
        .goto(&format!("{}/all/open", server.url))
        .await
        .expect("open the app");
    wait_for(
        client,
        "return document.querySelectorAll('[role=row]').length > 5",
    )
    .await;
    if std::env::var_os("BENCH_NO_THROTTLE").is_none() {
        browser
            .cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
            .await;
    }
    client
        .execute(PROBE, vec![])
        .await
        .expect("install the probe");

    let mut first_frames = Vec::new();
    let mut swiped_done = Vec::new();
    for (index, distance) in [-90.0, 240.0, -260.0, -260.0, -260.0]
        .into_iter()
        .enumerate()
    {
        let before = numbers(client, "window.__intervals").await.len();
        first_frames.push(before);
        let rows = client
            .find_all(Locator::Css("[role=row]"))
            .await
            .expect("rows");
        let row = rows[index % 3 + 1].clone();
        if distance < -200.0 {
            swiped_done.push(
                row.attr("data-conversation-id")
                    .await
                    .unwrap()
                    .unwrap_or_default(),
            );
        }
        let start_x = if distance < 0.0 { 110.0 } else { -110.0 };
        let mut finger = TouchActions::new("finger".to_owned())
            .then(PointerAction::MoveToElement {
                element: row,
                duration: None,
                x: start_x,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            });
        for _ in 0..30 {
            finger = finger.then(PointerAction::MoveBy {
                duration: Some(Duration::from_millis(25)),
                x: distance / 30.0,
                y: 0.0,
            });
        }
        let finger = finger.then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        client.perform_actions(finger).await.expect("swipe");
        tokio::time::sleep(Duration::from_millis(900)).await;
    }

    let intervals = numbers(client, "window.__intervals").await;
    let long_tasks = numbers(client, "window.__longTasks").await;
    let done = done_on_server(client, &swiped_done).await;
    browser.close().await;
    drop(server);

    // The first frame of each swipe includes the touch's own dispatch; the budget is for the rest.
    let later: Vec<f64> = intervals
        .iter()
        .enumerate()
        .filter(|(i, _)| !first_frames.contains(i))
        .map(|(_, ms)| *ms)
        .collect();
    let late = later
        .iter()
        .filter(|ms| **ms > FRAME_MS + JITTER_MS)
        .count();
    let worst = later.iter().copied().fold(0.0, f64::max);
    let worst_task = long_tasks.iter().copied().fold(0.0, f64::max);
    println!("Touch swipes on a phone, CPU slowed 4x, 5 swipes (2 spring back, 3 mark done):");
    println!(
        "  {} frames after the first of each swipe; {late} over {FRAME_MS:.1} ms (+{JITTER_MS} ms jitter), worst interval {worst:.1} ms",
        later.len()
    );
    println!(
        "  long tasks (50 ms or more): {}{}",
        long_tasks.len(),
        if long_tasks.is_empty() {
            String::new()
        } else {
            format!(", worst {worst_task:.0} ms")
        }
    );
    println!("  the server holds {done} of the 3 swiped-done conversations as done");
    let within = late == 0 && long_tasks.is_empty();
    println!(
        "  {}",
        if within {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    );
}
