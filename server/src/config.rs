//! Configuration, read once from flags and environment variables (flags win).

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything a running Bussola can be told. Each option's env variable is in its help.
#[derive(Args, Clone, Debug)]
pub struct Config {
    /// PostgreSQL + PostGIS URL (postgres://user:pass@host/db). When absent, an embedded
    /// SQLite database in the data directory is used.
    #[arg(
        long,
        env = "BUSSOLA_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// Where the embedded database and other local state live.
    #[arg(
        long,
        env = "BUSSOLA_DATA_DIR",
        default_value = "var/data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Address and port to listen on.
    #[arg(
        long,
        env = "BUSSOLA_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// Log filter (tracing EnvFilter syntax: `info`, `bussola=debug,tower_http=info`).
    #[arg(long, env = "BUSSOLA_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "BUSSOLA_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    /// MapLibre style URL of a basemap; absent: a plain style with the server's own layers.
    #[arg(long, env = "BUSSOLA_BASEMAP_STYLE", global = true)]
    pub basemap_style: Option<String>,

    /// Load the built-in demo dataset into an empty store at start-up.
    #[arg(long, env = "BUSSOLA_DEMO", default_value = "auto", global = true)]
    pub demo: DemoMode,

    /// Seconds between safety-net checks for other replicas' changes (PostGIS).
    #[arg(long, env = "BUSSOLA_POLL_SECS", default_value_t = 5, global = true)]
    pub poll_secs: u64,

    /// Heavy requests (CQL2 filters, large pages, the services collection, the bundle) that
    /// may run at once; more wait `--heavy-wait-ms`, then get 503 with Retry-After.
    /// Default: twice the number of CPUs.
    #[arg(long, env = "BUSSOLA_HEAVY_REQUESTS", default_value_t = default_heavy(), global = true)]
    pub heavy_requests: usize,

    /// How long a heavy request waits for a free slot before it is turned away, in ms.
    #[arg(
        long,
        env = "BUSSOLA_HEAVY_WAIT_MS",
        default_value_t = 2_000,
        global = true
    )]
    pub heavy_wait_ms: u64,

    /// How long one query may compute before it is stopped (503), in ms.
    #[arg(
        long,
        env = "BUSSOLA_QUERY_DEADLINE_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub query_deadline_ms: u64,
}

fn default_heavy() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Log output format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Whether to load demo data.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoMode {
    /// Only when the store is empty.
    Auto,
    /// Never.
    Never,
}

impl Config {
    /// The database URL in use: the configured one, or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}",
                self.data_dir.join("bussola.sqlite3").display()
            ),
        }
    }

    /// A one-line description safe for logs: passwords in the URL are replaced by `***`.
    pub fn redacted(&self) -> String {
        format!(
            "database={} data_dir={} bind={} log={} log_format={:?} basemap_style={} demo={:?} poll_secs={} heavy_requests={} heavy_wait_ms={} query_deadline_ms={}",
            redact_url(&self.effective_database_url()),
            self.data_dir.display(),
            self.bind,
            self.log,
            self.log_format,
            self.basemap_style.as_deref().unwrap_or("(built-in)"),
            self.demo,
            self.poll_secs,
            self.heavy_requests,
            self.heavy_wait_ms,
            self.query_deadline_ms,
        )
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`; also hides `password=`.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            hide_query_password(u.as_str())
        }
        Ok(u) => hide_query_password(u.as_str()),
        Err(_) => hide_query_password(url),
    }
}

fn hide_query_password(s: &str) -> String {
    match s.find("password=") {
        Some(i) => {
            let rest = &s[i + 9..];
            let end = rest.find('&').unwrap_or(rest.len());
            format!("{}password=***{}", &s[..i], &rest[end..])
        }
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_print() {
        assert_eq!(
            redact_url("postgres://bussola:s3cret@db:5432/b"),
            "postgres://bussola:***@db:5432/b"
        );
        assert_eq!(
            redact_url("postgres://db/b?password=s3cret&x=1"),
            "postgres://db/b?password=***&x=1"
        );
        assert_eq!(
            redact_url("sqlite://var/data/bussola.sqlite3"),
            "sqlite://var/data/bussola.sqlite3"
        );
    }
}
