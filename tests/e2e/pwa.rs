//! The installable app: manifest and icons, the service worker, installability, updates.

use crate::helpers::{eventually, E2e};
use crate::helpers::{ui, Text};
use serde_json::Value;
use switchboard_testkit::{Device, Server};

/// A PNG's width and height, from its header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[tokio::test]
async fn the_manifest_names_the_app_and_its_icons_are_real_pngs_of_their_sizes() {
    let server = Server::start(20);
    let http = reqwest::Client::new();
    let response = http
        .get(format!("{}/manifest.webmanifest", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/manifest+json"
    );
    let manifest: Value = response.json().await.unwrap();
    assert_eq!(manifest["name"], "Switchboard");
    assert_eq!(manifest["short_name"], "Switchboard");
    assert!(manifest["description"].as_str().unwrap().len() > 20);
    assert_eq!(manifest["start_url"], "/all/open");
    assert_eq!(manifest["scope"], "/");
    assert_eq!(manifest["display"], "standalone");
    assert!(manifest["theme_color"].as_str().unwrap().starts_with('#'));
    assert!(manifest["background_color"]
        .as_str()
        .unwrap()
        .starts_with('#'));

    let icons = manifest["icons"].as_array().unwrap();
    let mut purposes = Vec::new();
    let mut contents = Vec::new();
    for icon in icons {
        let bytes = http
            .get(format!("{}{}", server.url, icon["src"].as_str().unwrap()))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let (width, height) = png_size(&bytes);
        assert_eq!(icon["sizes"], format!("{width}x{height}"), "{icon}");
        assert!(bytes.len() > 2_000, "a drawn icon, not a blank: {icon}");
        purposes.push(icon["purpose"].as_str().unwrap().to_owned());
        contents.push(bytes);
    }
    let sizes: Vec<&str> = icons.iter().map(|i| i["sizes"].as_str().unwrap()).collect();
    assert!(sizes.contains(&"192x192") && sizes.contains(&"512x512"));
    assert!(purposes.iter().any(|p| p == "maskable"));
    assert_ne!(
        contents[1], contents[2],
        "the maskable icon is drawn for its safe zone"
    );
}

#[tokio::test]
async fn the_service_worker_controls_the_page_after_a_reload_and_chromium_can_install_it() {
    let app = E2e::start_with(50).await;
    app.open("/all/open").await;
    let ready = app
        .js("return navigator.serviceWorker.ready.then(r => r.active.scriptURL)")
        .await;
    assert!(ready.as_str().unwrap().ends_with("/sw.js"), "{ready}");
    app.browser.client.refresh().await.unwrap();
    app.wait_for_rows().await;
    let controller = app
        .js("return navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL")
        .await;
    assert!(
        controller
            .as_str()
            .is_some_and(|url| url.ends_with("/sw.js")),
        "{controller}"
    );
    let caches = app.js("return caches.keys()").await;
    let names: Vec<&str> = caches
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("switchboard-shell-")),
        "{names:?}"
    );

    let report = app
        .browser
        .cdp("Page.getInstallabilityErrors", serde_json::json!({}))
        .await;
    assert_eq!(
        report["installabilityErrors"],
        serde_json::json!([]),
        "{report}"
    );
    app.finish().await;
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_new_deployment_is_offered_and_reloading_takes_it() {
    let deployed = tempfile::tempdir().unwrap();
    copy_dir(&switchboard_testkit::web_root(), deployed.path());
    let server = Server::start_serving(50, deployed.path().to_owned());
    let mut app = E2e::start_on(
        server,
        Device::Desktop {
            width: 1200,
            height: 800,
        },
    )
    .await;
    app.open("/all/open").await;
    app.js("return navigator.serviceWorker.ready.then(() => true)")
        .await;
    let shell_caches =
        "return caches.keys().then(k => k.filter(n => n.startsWith('switchboard-shell-')))";
    let before = app.js(shell_caches).await;

    // A new build: the page itself changes, and so does the worker's build id.
    let index = deployed.path().join("index.html");
    let page = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        page.replace("</body>", "<!-- the next build --></body>"),
    )
    .unwrap();
    for compressed in ["index.html.br", "index.html.gz"] {
        let _ = std::fs::remove_file(deployed.path().join(compressed));
    }
    app.server.restart();
    app.js(
        "return navigator.serviceWorker.getRegistration().then(r => r.update()).then(() => true)",
    )
    .await;

    eventually("the app offers the new version", || async {
        let notices = app
            .js("return document.querySelector('.notices').textContent")
            .await;
        notices
            .as_str()
            .is_some_and(|t| t.contains(ui(Text::NoticesUpdate)))
    })
    .await;
    app.browser
        .client
        .find(fantoccini::Locator::XPath(&format!(
            "//div[contains(@class,'notice')]//button[normalize-space()='{}']",
            ui(Text::NoticesReload)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the page runs the new build", || async {
        let after = app.js(shell_caches).await;
        after.as_array().is_some_and(|a| a.len() == 1)
            && after != before
            && app
                .js("return document.documentElement.innerHTML.includes('the next build')")
                .await
                == true
    })
    .await;
    app.finish().await;
}
