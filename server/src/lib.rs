//! Switchboard's server: the REST API over an embedded SQLite database, and the web app on the
//! same origin.

pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod telemetry;

use anyhow::Context;
use config::Config;
use db::Db;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
}

/// Opens the database, fills it with demo data if asked, and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let db = Db::open(&config.database)
        .await
        .with_context(|| format!("cannot open the database {}", config.database.display()))?;
    if config.demo {
        let created = demo::seed_if_empty(&db, config.demo_conversations, db::now_ms()).await?;
        match created {
            true => tracing::info!(
                conversations = config.demo_conversations,
                "demo data created"
            ),
            false => tracing::info!("the database holds data: demo data left alone"),
        }
    }
    if !config.web_root.join("index.html").is_file() {
        tracing::warn!(
            web_root = %config.web_root.display(),
            "no built web app there (run `trunk build`); serving the API only"
        );
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let addr = listener.local_addr()?;
    // Scripts and tests read this line to learn the port.
    println!("Switchboard is listening on http://{addr}");
    let app = http::app(AppState { db }, &config.web_root);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
