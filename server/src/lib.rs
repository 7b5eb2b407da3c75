//! Switchboard's server: the REST API over an embedded SQLite database, live updates, Quo's
//! webhooks, and the web app on the same origin.

pub mod auth;
pub mod cli;
pub mod client_address;
pub mod clock;
pub mod config;
pub mod contact_csv;
pub mod contact_sync;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod language;
pub mod outbox;
pub mod password_checks;
pub mod phone_numbers;
pub mod quo_api;
pub mod retention;
pub mod streams;
pub mod telemetry;
pub mod throttle;
pub mod traffic;
pub mod webhook;

use anyhow::Context;
use auth::AuthSettings;
use client_address::TrustedProxies;
use clock::Clock;
use config::Config;
use db::Db;
use password_checks::PasswordChecks;
use std::net::SocketAddr;
use std::sync::Arc;
use streams::StreamControl;
use switchboard_domain::api::ReplySending;
use webhook::WebhookSecret;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub auth: Arc<AuthSettings>,
    /// Quo's signing secret; without it, webhooks are refused.
    pub webhook_secret: Option<Arc<WebhookSecret>>,
    /// What time it is, for every request: the system's clock, or a manual one in tests.
    pub clock: Clock,
    /// Tells open event streams that sessions ended, or that the server is stopping.
    pub streams: StreamControl,
    /// Password hashing and checking, one per core at a time.
    pub password_checks: PasswordChecks,
    /// Where replies go: Quo's API through the outbox, or nowhere.
    pub replies: Replies,
}

/// How replies reach customers on this server.
#[derive(Clone, Debug, Default)]
pub struct Replies {
    /// Through Quo, the demo's carrier, or not at all (no API key).
    pub sending: ReplySending,
    /// Wakes the worker when a reply is queued.
    pub queued: outbox::OutboxSignal,
}

impl AppState {
    pub fn new(
        db: Db,
        auth: AuthSettings,
        webhook_secret: Option<WebhookSecret>,
        clock: Clock,
    ) -> AppState {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState {
            db,
            auth: Arc::new(auth),
            webhook_secret: webhook_secret.map(Arc::new),
            clock,
            streams: StreamControl::default(),
            password_checks: PasswordChecks::start(cores),
            replies: Replies::default(),
        }
    }
}

/// Opens the database, fills it with demo data if asked, and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let clock = config.clock.clone();
    let db = Db::open(&config.database)
        .await
        .with_context(|| format!("cannot open the database {}", config.database))?;
    let mut webhook_secret = config
        .quo_webhook_secret
        .as_deref()
        .map(WebhookSecret::parse)
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--quo-webhook-secret")?;
    if config.demo {
        let created = demo::seed_if_empty(&db, config.demo_conversations, clock.now_ms()).await?;
        match created {
            true => tracing::info!(
                conversations = config.demo_conversations,
                "demo data created"
            ),
            false => tracing::info!("the database holds data: demo data left alone"),
        }
    }
    // Contacts that a migration or the demo made get their search terms once.
    let indexed = db::contacts::index_missing(&db).await?;
    if indexed > 0 {
        tracing::info!(contacts = indexed, "contacts indexed for search");
    }
    if config.demo {
        for teammate in demo::ensure_team(&db).await? {
            println!("{teammate}");
        }
    }
    if config.demo_traffic && webhook_secret.is_none() {
        webhook_secret = Some(traffic::new_secret());
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
    if config.demo_traffic {
        let secret = webhook_secret.clone().expect("set above");
        tokio::spawn(traffic::run(
            addr,
            secret,
            db.clone(),
            config.demo_traffic_pace,
            clock.clone(),
        ));
    }
    let auth = AuthSettings {
        idle_timeout: config.session_idle_timeout,
        lifetime: config.session_lifetime,
        secure_cookies: config.secure_cookies,
        public_origin: config.public_url.clone(),
        trusted_proxies: TrustedProxies::new(config.trusted_proxies.clone()),
    };
    let mut state = AppState::new(db, auth, webhook_secret, clock);
    let carrier = match config.quo_api_key.clone() {
        Some(key) => Some(outbox::Carrier::Quo(quo_api::QuoApi::new(
            &config.quo_api_url,
            quo_api::ApiKey::new(key),
        ))),
        None if config.demo => Some(outbox::Carrier::Demo),
        None => None,
    };
    if let Some(carrier) = carrier {
        state.replies.sending = match carrier {
            outbox::Carrier::Quo(_) => ReplySending::Quo,
            outbox::Carrier::Demo => ReplySending::Demo,
        };
        tokio::spawn(outbox::run(
            state.db.clone(),
            carrier,
            state.clock.clone(),
            state.replies.queued.clone(),
        ));
    }
    let retention = retention::Retention {
        events: config.retain_events,
        webhook_deliveries: config.retain_webhook_deliveries,
        read_notifications: config.retain_read_notifications,
        ..retention::Retention::default()
    };
    tokio::spawn(retention::run(
        state.db.clone(),
        retention,
        state.auth.clone(),
        state.clock.clone(),
    ));
    let streams = state.streams.clone();
    // Scripts and tests read this line to learn the port.
    println!("Switchboard is listening on http://{addr}");
    let app = http::app(state, &config.web_root);
    let stopping = async move {
        shutdown_signal().await;
        tracing::info!("stopping: event streams are told to reconnect, requests finish");
        // Event streams never end by themselves: without this, stopping waits for them.
        streams.stop();
    };
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stopping)
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
