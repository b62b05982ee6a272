//! PostgreSQL + PostGIS: the production backend, shared by any number of replicas.
//!
//! Commits are serialised with a transaction-scoped advisory lock so that revisions become
//! visible in order; each commit announces its revision with `NOTIFY bussola_changes`, and
//! `Store::listen` turns those announcements into a stream. The verbs are the generic body's
//! (`record_verbs.rs`, `account_verbs.rs`); here are only connecting, its version checks and
//! the [`Dialect`].

use super::dialect::{Dialect, SqlType};
use super::record_verbs::CHANNEL;
use super::sql_store::SqlStore;
use super::{Backend, Error, Result};
use futures::future::BoxFuture;
use futures::stream::{BoxStream, StreamExt};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions, PgQueryResult};
use sqlx::{Connection as _, PgConnection, Pool, Postgres};
use std::str::FromStr;

/// Oldest PostgreSQL that has what the schema uses (generated columns).
pub const MIN_POSTGRES_VERSION_NUM: i32 = 120_000;
/// Oldest PostGIS major version supported.
pub const MIN_POSTGIS_MAJOR: u32 = 3;

/// The latest committed revision: the highest any row carries (every commit logs its revision
/// in `revision_log`, a commit of change requests only included). The sequence itself may be
/// ahead, by commits in flight or rolled back.
const MAX_REVISION: &str = "SELECT GREATEST(\
    (SELECT coalesce(max(revision), 0) FROM organization), (SELECT coalesce(max(revision), 0) FROM location), \
    (SELECT coalesce(max(revision), 0) FROM service), (SELECT coalesce(max(revision), 0) FROM service_at_location), \
    (SELECT coalesce(max(revision), 0) FROM project), (SELECT coalesce(max(revision), 0) FROM comune), \
    (SELECT coalesce(max(revision), 0) FROM dataset_metadata), \
    (SELECT coalesce(max(revision), 0) FROM revision_log))::bigint";

/// How long the first connection may take before the server is called unreachable.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// An I/O error in the words of `psql` ("connection refused", "no route to host").
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        std::io::ErrorKind::TimedOut => "connection timed out".to_owned(),
        _ => e.to_string(),
    }
}

/// PostGIS store.
pub type PgStore = SqlStore<Postgres>;

impl Dialect for Postgres {
    const BACKEND: Backend = Backend::Postgres;
    // A transaction-scoped advisory lock on a key unique to Bussola (0x0062_7573_736f_6c61).
    const LOCK_WRITES: Option<&'static str> =
        Some("SELECT pg_advisory_xact_lock(27713686436015201)");
    const NEXT_REVISION: &'static str = "SELECT nextval('bussola_revision')";
    const REVISION: &'static str = MAX_REVISION;
    // One REPEATABLE READ snapshot, so the revision and the rows agree.
    const SNAPSHOT: Option<&'static str> =
        Some("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const NOTIFY: Option<&'static str> = Some("SELECT pg_notify($1, $2)");

    fn cast(placeholder: &str, ty: SqlType) -> String {
        let ty = match ty {
            SqlType::Text => "text",
            SqlType::BigInt => "bigint",
            SqlType::Timestamp => "timestamptz",
        };
        format!("CAST({placeholder} AS {ty})")
    }
    fn json_in(placeholder: &str) -> String {
        format!("CAST({placeholder} AS jsonb)")
    }
    fn json_out(column: &str) -> String {
        format!("CAST({column} AS text)")
    }
    fn geometry_in(placeholder: &str) -> String {
        format!("ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON({placeholder}), 4326))")
    }
    fn geometry_out(column: &str) -> String {
        format!("ST_AsGeoJSON({column}, 15)")
    }
    fn json_set_string(column: &str, key: &str, value: &str) -> String {
        format!("jsonb_set({column}, '{{{key}}}', '\"{value}\"')")
    }
    fn json_array_elements(placeholder: &str) -> String {
        format!("SELECT jsonb_array_elements_text(CAST({placeholder} AS jsonb))")
    }
    fn rows_affected(result: &PgQueryResult) -> u64 {
        result.rows_affected()
    }
    fn migrate(pool: &Pool<Postgres>) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            sqlx::migrate!("../migrations/postgres").run(pool).await?;
            Ok(())
        })
    }
    fn listen(pool: &Pool<Postgres>) -> BoxFuture<'_, Result<Option<BoxStream<'static, i64>>>> {
        Box::pin(async move {
            let mut listener = PgListener::connect_with(pool).await?;
            listener.listen(CHANNEL).await?;
            let stream = listener.into_stream().filter_map(|n| async move {
                n.ok().and_then(|n| n.payload().parse::<i64>().ok())
            });
            Ok(Some(stream.boxed()))
        })
    }
    fn close(pool: &Pool<Postgres>) -> BoxFuture<'_, ()> {
        Box::pin(pool.close())
    }
}

impl PgStore {
    /// Connects and checks the server and PostGIS versions.
    ///
    /// One direct connection is tried first, so an unreachable server fails at once with the
    /// operating system's reason ("connection refused") rather than a pool time-out.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| Error::Config(format!("bad PostgreSQL URL: {e}")))?;
        let target = format!("{}:{}", options.get_host(), options.get_port());
        let unreachable = |reason: String| Error::Unreachable {
            target: target.clone(),
            reason,
        };
        match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
            Err(_) => {
                return Err(unreachable(format!(
                    "no answer within {} s",
                    CONNECT_TIMEOUT.as_secs()
                )))
            }
            Ok(Err(sqlx::Error::Io(e))) => return Err(unreachable(io_reason(&e))),
            Ok(Err(e)) => return Err(e.into()),
            Ok(Ok(conn)) => {
                let _ = conn.close().await;
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let version: String = sqlx::query_scalar("SHOW server_version_num")
            .fetch_one(&pool)
            .await?;
        let num: i32 = version.trim().parse().unwrap_or(0);
        if num < MIN_POSTGRES_VERSION_NUM {
            return Err(Error::Unsupported(format!(
                "PostgreSQL {num} is older than the minimum {MIN_POSTGRES_VERSION_NUM}"
            )));
        }
        let available: Option<String> = sqlx::query_scalar(
            "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'",
        )
        .fetch_optional(&pool)
        .await?;
        match available {
            None => {
                return Err(Error::Unsupported(
                    "the PostGIS extension is not installed on the server".into(),
                ))
            }
            Some(v)
                if v.split('.')
                    .next()
                    .and_then(|m| m.parse::<u32>().ok())
                    .unwrap_or(0)
                    < MIN_POSTGIS_MAJOR =>
            {
                return Err(Error::Unsupported(format!(
                    "PostGIS {v} is older than {MIN_POSTGIS_MAJOR}.0"
                )));
            }
            Some(_) => {}
        }
        Ok(SqlStore::from_pool(pool))
    }
}
