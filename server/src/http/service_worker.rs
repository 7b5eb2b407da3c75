//! `/sw.js`: the service worker, filled in with the built web app's files and a build id taken
//! from their content, so that each deployment gets fresh caches and the app can offer to reload.

use axum::body::Bytes;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::path::Path;
use switchboard_catalogue::Lang;

const TEMPLATE: &str = include_str!("service_worker.js");

/// The script, made once at start (the built files do not change while the server runs).
#[derive(Clone)]
pub struct ServiceWorker {
    script: Option<Bytes>,
}

impl ServiceWorker {
    pub fn for_web_root(web_root: &Path) -> ServiceWorker {
        let mut files = Vec::new();
        collect(web_root, web_root, &mut files);
        files.sort();
        if !files.iter().any(|(path, _)| path == "/index.html") {
            return ServiceWorker { script: None };
        }
        // FNV-1a over names and contents: stable across runs, enough to tell builds apart.
        let mut build: u64 = 0xcbf2_9ce4_8422_2325;
        for (path, content) in &files {
            for byte in path.bytes().chain(content.iter().copied()) {
                build = (build ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        // The catalogues the app fetches (every language but English, which it carries), so
        // that a page in French works offline after one visit online. Their names change with
        // their content: a new catalogue is a new build.
        let catalogues: Vec<String> = Lang::ALL
            .into_iter()
            .filter(|lang| *lang != Lang::En)
            .map(super::catalogue::address)
            .collect();
        for address in &catalogues {
            for byte in address.bytes() {
                build = (build ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        let mut precache: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        precache.extend(catalogues.iter().map(String::as_str));
        let script = TEMPLATE
            .replace("__BUILD__", &format!("{build:016x}"))
            .replace(
                "__PRECACHE__",
                &serde_json::to_string(&precache).expect("a list of paths serialises"),
            );
        ServiceWorker {
            script: Some(script.into()),
        }
    }

    pub fn response(&self) -> Response {
        match &self.script {
            Some(script) => (
                [
                    (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                    // Browsers check for a new worker on each visit; never serve a stale one.
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                script.clone(),
            )
                .into_response(),
            None => crate::error::AppError::NotFound("no web app is served here".to_owned())
                .into_response(),
        }
    }
}

/// The files under `dir` as (URL path, content), without the pre-compressed copies.
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
            continue;
        }
        let compressed = matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz"));
        let (Ok(relative), false) = (path.strip_prefix(root), compressed) else {
            continue;
        };
        if let Ok(content) = std::fs::read(&path) {
            let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
            files.push((url, content));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ServiceWorker;
    use std::fs;
    use switchboard_catalogue::Lang;

    fn script(worker: &ServiceWorker) -> String {
        String::from_utf8(worker.script.clone().unwrap().to_vec()).unwrap()
    }

    #[test]
    fn the_worker_precaches_the_built_files_under_a_build_id() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "<html>").unwrap();
        fs::write(dir.path().join("app-0123.js"), "js").unwrap();
        fs::write(dir.path().join("app-0123.js.br"), "compressed").unwrap();
        fs::create_dir(dir.path().join("icons")).unwrap();
        fs::write(dir.path().join("icons/icon-192.png"), "png").unwrap();

        let first = script(&ServiceWorker::for_web_root(dir.path()));
        let french = format!("/catalogue/{}", Lang::Fr.file_name());
        assert!(
            first.contains(&format!(
                r#"const PRECACHE = ["/app-0123.js","/icons/icon-192.png","/index.html","{french}"];"#
            )),
            "{first}"
        );
        fs::write(dir.path().join("index.html"), "<html lang=en>").unwrap();
        let second = script(&ServiceWorker::for_web_root(dir.path()));
        let build = |s: &str| {
            s.lines()
                .find(|l| l.starts_with("const BUILD"))
                .unwrap()
                .to_owned()
        };
        assert_ne!(build(&first), build(&second), "a new build, a new cache");
    }

    #[test]
    fn without_a_web_app_there_is_no_worker() {
        let dir = tempfile::tempdir().unwrap();
        assert!(ServiceWorker::for_web_root(dir.path()).script.is_none());
    }
}
