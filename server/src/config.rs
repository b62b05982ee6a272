//! Configuration, read once from flags and environment variables (flags win).

use crate::accounts::Secret;
use crate::model::Checked;
use clap::Args;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

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
    pub database_url: Option<Secret<String>>,

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

    /// The public base URL absolute links are made from (`https://bussola.example.org`).
    /// When set, the `Host` and forwarding headers are never consulted. Default: `http://`
    /// and the bind address (or what a trusted proxy forwards).
    #[arg(long, env = "BUSSOLA_PUBLIC_URL", global = true)]
    pub public_url: Option<PublicUrl>,

    /// Peers (IPs or CIDRs, comma-separated) whose `Forwarded` / `X-Forwarded-Proto` /
    /// `X-Forwarded-Host` headers are believed when no public URL is set. Default: none.
    #[arg(
        long,
        env = "BUSSOLA_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<TrustedProxy>,

    /// Seconds a client has to send a whole request head, counted from the connection's
    /// opening or from its first byte on a kept-alive connection (nginx `client_header_timeout`).
    #[arg(
        long,
        env = "BUSSOLA_HEADER_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub header_timeout_secs: u64,

    /// Seconds an idle kept-alive connection stays open waiting for its next request
    /// (nginx `keepalive_timeout`).
    #[arg(
        long,
        env = "BUSSOLA_KEEPALIVE_TIMEOUT_SECS",
        default_value_t = 75,
        global = true
    )]
    pub keepalive_timeout_secs: u64,

    /// Seconds a response may wait for the client to read more of it (nginx `send_timeout`).
    #[arg(
        long,
        env = "BUSSOLA_SEND_TIMEOUT_SECS",
        default_value_t = 60,
        global = true
    )]
    pub send_timeout_secs: u64,

    /// Seconds a request may take before it is answered 503 (the handler is cancelled).
    #[arg(
        long,
        env = "BUSSOLA_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Most open client connections (nginx `worker_connections`). At the cap the least
    /// recently active idle connection is closed to make room; when none is idle, new
    /// connections get a 503. Lowered at start-up to fit the open-file limit.
    #[arg(
        long,
        env = "BUSSOLA_MAX_CONNECTIONS",
        default_value_t = 4096,
        global = true
    )]
    pub max_connections: usize,

    /// Seconds a graceful shutdown (SIGTERM, Ctrl-C) may take: in-flight requests get this
    /// long to finish, then every connection is closed and the process exits.
    #[arg(
        long,
        env = "BUSSOLA_SHUTDOWN_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub shutdown_timeout_secs: u64,

    /// Seconds between store health checks (each may take as long); `/readyz` and the
    /// `bussola_store_up` metric follow them.
    #[arg(
        long,
        env = "BUSSOLA_STORE_PROBE_SECS",
        default_value_t = 2,
        global = true
    )]
    pub store_probe_secs: u64,

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

    /// Minutes a browser session lasts without activity (sliding expiry).
    #[arg(
        long,
        env = "BUSSOLA_SESSION_IDLE_MINS",
        default_value_t = 480,
        global = true
    )]
    pub session_idle_mins: u64,

    /// Hours a browser session lasts at most after sign-in, however active.
    #[arg(
        long,
        env = "BUSSOLA_SESSION_MAX_HOURS",
        default_value_t = 168,
        global = true
    )]
    pub session_max_hours: u64,

    /// Sign-in attempts one account may take in a burst before it gets 429 (refilled one
    /// per `--signin-refill-secs`).
    #[arg(
        long,
        env = "BUSSOLA_SIGNIN_ATTEMPTS_PER_ACCOUNT",
        default_value_t = 5,
        global = true
    )]
    pub signin_attempts_per_account: u32,

    /// Sign-in attempts one client address (an IPv6 /64) may take in a burst before it gets
    /// 429, whatever the names tried.
    #[arg(
        long,
        env = "BUSSOLA_SIGNIN_ATTEMPTS_PER_ADDRESS",
        default_value_t = 20,
        global = true
    )]
    pub signin_attempts_per_address: u32,

    /// Seconds in which one throttled sign-in attempt comes back.
    #[arg(
        long,
        env = "BUSSOLA_SIGNIN_REFILL_SECS",
        default_value_t = 60,
        global = true
    )]
    pub signin_refill_secs: u64,

    /// Password hashings (argon2id, 19 MiB each) computed at once on the blocking pool; more
    /// wait `--heavy-wait-ms`, then get 503. Default: the number of CPUs.
    #[arg(long, env = "BUSSOLA_SIGNIN_CONCURRENCY", default_value_t = default_signin(), global = true)]
    pub signin_concurrency: usize,

    /// Days after which a service's opening hours, unconfirmed, are stale (`GET /api/stale`).
    #[arg(long, env = "BUSSOLA_FRESHNESS_HOURS_DAYS", default_value_t = Checked::Hours.default_threshold_days(), global = true)]
    pub freshness_hours_days: u32,
    /// Days after which a sportello's address, unconfirmed, is stale.
    #[arg(long, env = "BUSSOLA_FRESHNESS_ADDRESS_DAYS", default_value_t = Checked::Address.default_threshold_days(), global = true)]
    pub freshness_address_days: u32,
    /// Days after which a sportello's phone, unconfirmed, is stale.
    #[arg(long, env = "BUSSOLA_FRESHNESS_PHONE_DAYS", default_value_t = Checked::Phone.default_threshold_days(), global = true)]
    pub freshness_phone_days: u32,
    /// Days after which a service's languages, unconfirmed, are stale.
    #[arg(long, env = "BUSSOLA_FRESHNESS_LANGUAGES_DAYS", default_value_t = Checked::Languages.default_threshold_days(), global = true)]
    pub freshness_languages_days: u32,
    /// Days after which a service's cost, unconfirmed, is stale.
    #[arg(long, env = "BUSSOLA_FRESHNESS_COST_DAYS", default_value_t = Checked::Cost.default_threshold_days(), global = true)]
    pub freshness_cost_days: u32,
    /// Days after which whether a service needs an appointment, unconfirmed, is stale.
    #[arg(long, env = "BUSSOLA_FRESHNESS_APPOINTMENT_DAYS", default_value_t = Checked::Appointment.default_threshold_days(), global = true)]
    pub freshness_appointment_days: u32,
    /// Anonymous feedback reports ("was this right?") one client address (an IPv6 /64) may
    /// send in a burst before it gets 429.
    #[arg(
        long,
        env = "BUSSOLA_FEEDBACK_PER_ADDRESS",
        default_value_t = 10,
        global = true
    )]
    pub feedback_per_address: u32,

    /// Seconds in which one throttled feedback report comes back.
    #[arg(
        long,
        env = "BUSSOLA_FEEDBACK_REFILL_SECS",
        default_value_t = 360,
        global = true
    )]
    pub feedback_refill_secs: u64,
    /// SMTP server the campaign e-mails go through (`smtp://host:25`, `smtp://host:587`
    /// with STARTTLS is `smtp://host:587?tls=required`, `smtps://user:pass@host`).
    #[arg(long, env = "BUSSOLA_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<Secret<String>>,

    /// A directory the campaign e-mails are written to, one `.eml` file each, instead of
    /// being sent (tests, or a mail system that picks them up). Ignored when an SMTP URL is set.
    #[arg(long, env = "BUSSOLA_MAIL_DIR", global = true)]
    pub mail_dir: Option<PathBuf>,

    /// The sender of campaign e-mails.
    #[arg(
        long,
        env = "BUSSOLA_MAIL_FROM",
        default_value = "Bussola <bussola@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// Seconds a campaign link lasts at most (it never outlasts its campaign's period).
    #[arg(
        long,
        env = "BUSSOLA_CAMPAIGN_LINK_TTL_SECS",
        default_value_t = 30 * 24 * 3600,
        global = true
    )]
    pub campaign_link_ttl_secs: u64,

    /// Requests one campaign link may make in a burst before it gets 429.
    #[arg(
        long,
        env = "BUSSOLA_CAMPAIGN_USES_PER_LINK",
        default_value_t = 20,
        global = true
    )]
    pub campaign_uses_per_link: u32,

    /// Campaign-link requests one client address (an IPv6 /64) may make in a burst, whatever
    /// the links.
    #[arg(
        long,
        env = "BUSSOLA_CAMPAIGN_USES_PER_ADDRESS",
        default_value_t = 60,
        global = true
    )]
    pub campaign_uses_per_address: u32,

    /// Seconds in which one throttled campaign-link request comes back.
    #[arg(
        long,
        env = "BUSSOLA_CAMPAIGN_REFILL_SECS",
        default_value_t = 60,
        global = true
    )]
    pub campaign_refill_secs: u64,

    /// Seconds between checks for campaign recipients due a scheduled reminder (campaigns
    /// with `remind_every_days`); 0 turns scheduled reminders off.
    #[arg(
        long,
        env = "BUSSOLA_CAMPAIGN_REMIND_CHECK_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub campaign_remind_check_secs: u64,

    /// The directory's base language (a BCP 47 tag): every sportello's and service's name
    /// needs a value in it (`it` for an Italian directory; `en` for, say, an HSDS dataset
    /// from North America imported into a directory of its own).
    #[arg(long, env = "BUSSOLA_BASE_LANG", default_value = "it", value_parser = base_lang, global = true)]
    pub base_lang: String,

    /// Largest file `POST /api/imports` takes, in bytes (a 413 names it).
    #[arg(
        long,
        env = "BUSSOLA_IMPORT_MAX_BYTES",
        default_value_t = 16 * 1024 * 1024,
        global = true
    )]
    pub import_max_bytes: usize,

    /// Seconds a checked upload waits for its commit before it is discarded.
    #[arg(
        long,
        env = "BUSSOLA_IMPORT_TTL_SECS",
        default_value_t = 24 * 3600,
        global = true
    )]
    pub import_ttl_secs: u64,
}

fn base_lang(s: &str) -> Result<String, String> {
    let tag = s.trim().to_lowercase();
    if crate::import::is_language_tag(&tag) {
        Ok(tag)
    } else {
        Err(format!("{s:?} is not a BCP 47 language tag (`it`, `en`)"))
    }
}

fn default_signin() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn default_heavy() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// An absolute `http(s)://host[:port][/prefix]` URL, kept without a trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// The URL as links start with it (no trailing slash).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for PublicUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let u = url::Url::parse(s).map_err(|e| format!("{s:?} is not a URL: {e}"))?;
        if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
            return Err(format!(
                "{s:?} must be an http:// or https:// URL with a host"
            ));
        }
        if u.query().is_some() || u.fragment().is_some() || !u.username().is_empty() {
            return Err(format!(
                "{s:?} must not carry a query, a fragment or credentials"
            ));
        }
        Ok(PublicUrl(u.as_str().trim_end_matches('/').to_owned()))
    }
}

/// One trusted proxy: an address or a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedProxy(pub ipnet::IpNet);

impl TrustedProxy {
    /// True when `peer` is this proxy (or inside this network).
    pub fn contains(&self, peer: IpAddr) -> bool {
        self.0.contains(&peer)
    }
}

impl std::str::FromStr for TrustedProxy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(TrustedProxy(ip.into()));
        }
        s.parse::<ipnet::IpNet>()
            .map(TrustedProxy)
            .map_err(|_| format!("{s:?} is neither an IP address nor a CIDR network"))
    }
}

impl std::fmt::Display for TrustedProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
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
    pub fn effective_database_url(&self) -> Secret<String> {
        match &self.database_url {
            Some(url) => url.clone(),
            None => Secret::new(format!(
                "sqlite://{}",
                self.data_dir.join("bussola.sqlite3").display()
            )),
        }
    }

    /// The base of absolute links when no proxy says otherwise: the public URL, or
    /// `http://` and the bind address.
    pub fn default_base_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.as_str().to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// A second, given as whole seconds (at least one).
    fn secs(n: u64) -> Duration {
        Duration::from_secs(n.max(1))
    }

    /// How long a client may take to send a request head.
    pub fn header_timeout(&self) -> Duration {
        Self::secs(self.header_timeout_secs)
    }
    /// How long an idle kept-alive connection is kept.
    pub fn keepalive_timeout(&self) -> Duration {
        Self::secs(self.keepalive_timeout_secs)
    }
    /// How long a response may wait on a client that does not read.
    pub fn send_timeout(&self) -> Duration {
        Self::secs(self.send_timeout_secs)
    }
    /// How long a request may take.
    pub fn request_timeout(&self) -> Duration {
        Self::secs(self.request_timeout_secs)
    }
    /// How long a graceful shutdown may take.
    pub fn shutdown_timeout(&self) -> Duration {
        Self::secs(self.shutdown_timeout_secs)
    }
    /// How often (and how long at most) the store is checked.
    pub fn store_probe(&self) -> Duration {
        Self::secs(self.store_probe_secs)
    }

    /// How often scheduled campaign reminders are looked for (none: off).
    pub fn campaign_remind_check(&self) -> Option<Duration> {
        (self.campaign_remind_check_secs > 0)
            .then(|| Duration::from_secs(self.campaign_remind_check_secs))
    }

    /// The freshness thresholds, per tracked field.
    pub fn freshness(&self) -> crate::freshness::Thresholds {
        crate::freshness::Thresholds::with([
            (Checked::Hours, self.freshness_hours_days),
            (Checked::Address, self.freshness_address_days),
            (Checked::Phone, self.freshness_phone_days),
            (Checked::Languages, self.freshness_languages_days),
            (Checked::Cost, self.freshness_cost_days),
            (Checked::Appointment, self.freshness_appointment_days),
        ])
    }

    /// A one-line description safe for logs: passwords in the URL are replaced by `***`.
    pub fn redacted(&self) -> String {
        let proxies: Vec<String> = self.trusted_proxies.iter().map(|p| p.to_string()).collect();
        format!(
            "database={} data_dir={} bind={} log={} log_format={:?} basemap_style={} demo={:?} poll_secs={} \
             public_url={} trusted_proxies=[{}] header_timeout_secs={} keepalive_timeout_secs={} \
             send_timeout_secs={} request_timeout_secs={} max_connections={} shutdown_timeout_secs={} \
             store_probe_secs={} heavy_requests={} heavy_wait_ms={} query_deadline_ms={} \
             session_idle_mins={} session_max_hours={} signin_attempts_per_account={} \
             signin_attempts_per_address={} signin_refill_secs={} signin_concurrency={} \
             freshness_days=[hours {} address {} phone {} languages {} cost {} appointment {}] \
             mail={} mail_from={:?} campaign_link_ttl_secs={} campaign_remind_check_secs={} base_lang={}",
            redact_url(self.effective_database_url().expose()),
            self.data_dir.display(),
            self.bind,
            self.log,
            self.log_format,
            self.basemap_style.as_deref().unwrap_or("(built-in)"),
            self.demo,
            self.poll_secs,
            self.public_url
                .as_ref()
                .map_or("(bind address)", |u| u.as_str()),
            proxies.join(","),
            self.header_timeout_secs,
            self.keepalive_timeout_secs,
            self.send_timeout_secs,
            self.request_timeout_secs,
            self.max_connections,
            self.shutdown_timeout_secs,
            self.store_probe_secs,
            self.heavy_requests,
            self.heavy_wait_ms,
            self.query_deadline_ms,
            self.session_idle_mins,
            self.session_max_hours,
            self.signin_attempts_per_account,
            self.signin_attempts_per_address,
            self.signin_refill_secs,
            self.signin_concurrency,
            self.freshness_hours_days,
            self.freshness_address_days,
            self.freshness_phone_days,
            self.freshness_languages_days,
            self.freshness_cost_days,
            self.freshness_appointment_days,
            match (&self.smtp_url, &self.mail_dir) {
                (Some(u), _) => redact_url(u.expose()),
                (None, Some(d)) => format!("dir:{}", d.display()),
                (None, None) => "(none)".to_owned(),
            },
            self.mail_from,
            self.campaign_link_ttl_secs,
            self.campaign_remind_check_secs,
            self.base_lang,
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

    #[test]
    fn debug_output_holds_no_password() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            config: Config,
        }
        let cli = Cli::parse_from([
            "bussola",
            "--database-url",
            "postgres://bussola:s3cret-pw@db:5432/b?password=s3cret-pw",
        ]);
        let config = cli.config;
        assert_eq!(
            config.effective_database_url().expose(),
            "postgres://bussola:s3cret-pw@db:5432/b?password=s3cret-pw"
        );
        for shown in [
            format!("{config:?}"),
            format!("{config:#?}"),
            config.redacted(),
        ] {
            assert!(!shown.contains("s3cret"), "{shown}");
        }
    }

    #[test]
    fn public_urls_are_absolute_http_without_trailing_slash() {
        let u: PublicUrl = "https://bussola.example.org/".parse().unwrap();
        assert_eq!(u.as_str(), "https://bussola.example.org");
        let u: PublicUrl = "https://example.org/bussola/".parse().unwrap();
        assert_eq!(u.as_str(), "https://example.org/bussola");
        for bad in [
            "bussola.example.org",
            "ftp://x.org",
            "https://x.org/?a=1",
            "https://u:p@x.org",
        ] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let one: TrustedProxy = "10.0.0.7".parse().unwrap();
        assert!(one.contains("10.0.0.7".parse().unwrap()));
        assert!(!one.contains("10.0.0.8".parse().unwrap()));
        let net: TrustedProxy = " 192.168.0.0/16".parse().unwrap();
        assert!(net.contains("192.168.4.2".parse().unwrap()));
        assert!(!net.contains("127.0.0.1".parse().unwrap()));
        let v6: TrustedProxy = "::1".parse().unwrap();
        assert!(v6.contains("::1".parse().unwrap()));
        assert!("example.org".parse::<TrustedProxy>().is_err());
    }
}
