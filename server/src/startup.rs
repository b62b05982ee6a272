//! Building and running the application: store, read model, follower, store probe, HTTP —
//! and taking it down again within the shutdown timeout, the store closed last (SQLite
//! checkpoints its WAL then, so `bussola.sqlite3` alone holds the data).

use crate::app::Directory;
use crate::config::{Config, DemoMode};
use crate::model::Taxonomy;
use crate::{api, demo, serve, store};
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Opens the configured store (creating the data directory for SQLite) and migrates it.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn store::Store>> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!("cannot create data directory {}", config.data_dir.display())
        })?;
    }
    let store = store::open(config.effective_database_url().expose()).await?;
    store.migrate().await?;
    Ok(store)
}

/// Opens the store and loads the read model (with demo data into an empty store, if asked).
pub async fn open_directory(config: &Config) -> anyhow::Result<Arc<Directory>> {
    let store = open_store(config).await?;
    let taxonomy = Taxonomy::builtin()
        .context("the built-in taxonomy is invalid")?
        .with_base_lang(&config.base_lang);
    let dir = Arc::new(Directory::new(store, taxonomy));
    dir.load().await?;
    if config.demo == DemoMode::Auto && dir.store().is_empty().await? {
        let committed = demo::load(&dir).await.context("loading the demo dataset")?;
        tracing::info!(
            rows = committed.rows_written,
            "empty store: loaded the demo dataset"
        );
    }
    Ok(dir)
}

/// How long closing the store (and checkpointing SQLite) may take at shutdown.
const STORE_CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// How often expired sessions, idle throttle slots and refilled feedback slots are dropped.
const ACCOUNT_SWEEP: Duration = Duration::from_secs(600);

/// A running server: its address and a handle to wait on.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: api::AppState,
    limits: serve::Limits,
    poll: Duration,
    probe: Duration,
    /// How often scheduled campaign reminders are looked for (none: off).
    remind: Option<Duration>,
}

impl Application {
    /// Binds the port and prepares everything; [`Application::run`] starts serving.
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let directory = open_directory(config).await?;
        let state = api::AppState::new(directory, config);
        let router = api::routes(state.clone(), config);
        Ok(Application {
            listener,
            router,
            state,
            limits: serve::Limits::from_config(config),
            poll: Duration::from_secs(config.poll_secs.max(1)),
            probe: config.store_probe(),
            remind: config.campaign_remind_check(),
        })
    }

    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until Ctrl-C / SIGTERM, following other replicas' changes meanwhile; then
    /// drains connections within the shutdown timeout and closes the store.
    pub async fn run(self) -> anyhow::Result<()> {
        let directory = self.state.directory.clone();
        let follower = tokio::spawn(directory.clone().follow(self.poll));
        let probe = tokio::spawn(api::probe_store(
            self.state.health.clone(),
            directory.clone(),
            self.probe,
        ));
        let accounts = self.state.accounts.clone();
        let feedback = self.state.feedback.clone();
        let campaigns = self.state.campaigns.clone();
        let sweeper = tokio::spawn(async move {
            let mut tick = tokio::time::interval(ACCOUNT_SWEEP);
            loop {
                tick.tick().await;
                feedback.sweep();
                campaigns.limit.sweep();
                if let Err(e) = accounts.sweep().await {
                    tracing::warn!(error = %e, "purging expired sessions failed; will retry");
                }
            }
        });
        let reminders = self
            .remind
            .map(|every| tokio::spawn(api::campaign::remind::run(self.state.clone(), every)));
        tracing::info!(addr = %self.listener.local_addr()?, "listening");
        serve::serve(self.listener, self.router, self.limits, shutdown_signal()).await;
        follower.abort();
        sweeper.abort();
        probe.abort();
        if let Some(r) = &reminders {
            r.abort();
        }
        let _ = follower.await;
        let _ = probe.await;
        if tokio::time::timeout(STORE_CLOSE_TIMEOUT, directory.store().close())
            .await
            .is_err()
        {
            tracing::warn!("the store did not close within {STORE_CLOSE_TIMEOUT:?}");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// Sets up logging as configured.
pub fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        crate::config::LogFormat::Json => builder.json().try_init(),
        crate::config::LogFormat::Text => builder.try_init(),
    };
}
