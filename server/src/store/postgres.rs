//! PostgreSQL + PostGIS: the production backend, shared by any number of replicas.
//!
//! Commits are serialised with a transaction-scoped advisory lock so that revisions become
//! visible in order; each commit announces its revision with `NOTIFY bussola_changes`, and
//! [`Store::listen`] turns those announcements into a stream.

use super::codec::decode;
use super::dialect::{Dialect, SqlType};
use super::rows::{chunk_size, replaced_offers, rows_of, upsert_sql, Val};
use super::sql_store::SqlStore;
use super::sqlite::{comune_from_row, parse_metadata};
use super::{AccountStore, Backend, ChangeSet, Committed, Error, Result, Snapshot, Store};
use crate::model::Metadata;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::stream::{BoxStream, StreamExt};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions, PgQueryResult};
use sqlx::{Connection as _, PgConnection, Pool, Postgres, Row as _};
use std::str::FromStr;
use std::sync::Arc;

/// Oldest PostgreSQL that has what the schema uses (generated columns).
pub const MIN_POSTGRES_VERSION_NUM: i32 = 120_000;
/// Oldest PostGIS major version supported.
pub const MIN_POSTGIS_MAJOR: u32 = 3;
/// The channel commits are announced on.
pub const CHANNEL: &str = "bussola_changes";
/// Advisory lock key that serialises writers (any constant unique to Bussola).
const WRITE_LOCK: i64 = 0x0062_7573_736f_6c61;

/// The latest committed revision: the highest any row carries. (The sequence itself may be
/// ahead, by commits in flight or rolled back.)
const MAX_REVISION: &str = "SELECT GREATEST(\
    (SELECT coalesce(max(revision), 0) FROM organization), (SELECT coalesce(max(revision), 0) FROM location), \
    (SELECT coalesce(max(revision), 0) FROM service), (SELECT coalesce(max(revision), 0) FROM service_at_location), \
    (SELECT coalesce(max(revision), 0) FROM project), (SELECT coalesce(max(revision), 0) FROM comune), \
    (SELECT coalesce(max(revision), 0) FROM dataset_metadata))::bigint";

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

fn bind<'q>(
    q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    v: &'q Val,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    match v {
        Val::Text(s) | Val::Doc(s) | Val::Geometry(s) => q.bind(s.as_str()),
        Val::OptText(s) => q.bind(s.as_deref()),
        Val::OptInt(i) => q.bind(*i),
        Val::Real(f) => q.bind(*f),
        Val::OptTs(t) => q.bind(*t),
    }
}

fn wrap(v: &Val, p: String) -> String {
    match v {
        Val::Geometry(_) => format!("ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON({p}), 4326))"),
        Val::Doc(_) => format!("CAST({p} AS jsonb)"),
        Val::OptTs(_) => format!("CAST({p} AS timestamptz)"),
        Val::OptInt(_) => format!("CAST({p} AS bigint)"),
        Val::OptText(_) => format!("CAST({p} AS text)"),
        _ => p,
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn accounts(&self) -> Arc<dyn AccountStore> {
        Arc::new(self.clone())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::migrate!("../migrations/postgres")
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn revision(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(MAX_REVISION)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn apply(&self, changes: &ChangeSet) -> Result<Committed> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        let revision: i64 = sqlx::query_scalar("SELECT nextval('bussola_revision')")
            .fetch_one(&mut *tx)
            .await?;
        let now = Utc::now();
        let mut written = 0u64;
        for table in rows_of(changes) {
            for rows in table.rows.chunks(chunk_size(&table)) {
                let sql = upsert_sql(
                    &table,
                    rows,
                    &|n| format!("${n}"),
                    &wrap,
                    "IS DISTINCT FROM",
                );
                let mut q = sqlx::query(&sql);
                for row in rows {
                    q = q.bind(row.id.as_str());
                    for (_, v) in &row.cols {
                        q = bind(q, v);
                    }
                    q = q.bind(revision).bind(now);
                }
                written += q.execute(&mut *tx).await?.rows_affected();
            }
        }
        if changes.replace_services_of_locations {
            // One statement for the whole file: a sportello's offers that the file no longer
            // lists are archived (an offer moved to another sportello was upserted above).
            let (locations, keep) = replaced_offers(changes);
            written += sqlx::query(
                "UPDATE service_at_location SET status = 'archived', \
                 doc = jsonb_set(doc, '{status}', '\"archived\"'), version = version + 1, revision = $1, updated_at = $2 \
                 WHERE location_id = ANY($3) AND status <> 'archived' AND NOT (id = ANY($4))",
            )
            .bind(revision)
            .bind(now)
            .bind(&locations)
            .bind(&keep)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        if let Some(meta) = &changes.dataset.metadata {
            let doc = serde_json::to_string(meta).unwrap_or_else(|_| "{}".into());
            written += sqlx::query(
                "INSERT INTO dataset_metadata (id, doc, revision) VALUES (1, CAST($1 AS jsonb), $2) \
                 ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, revision = excluded.revision \
                 WHERE dataset_metadata.doc IS DISTINCT FROM excluded.doc",
            )
            .bind(doc)
            .bind(revision)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        if written == 0 {
            // The sequence value is burnt, which is harmless: readers only compare revisions.
            tx.rollback().await?;
            return Ok(Committed {
                revision: 0,
                rows_written: 0,
            });
        }
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(revision.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Committed {
            revision,
            rows_written: written,
        })
    }

    async fn changes_since(&self, since: i64) -> Result<Snapshot> {
        // One REPEATABLE READ snapshot, so the revision and the rows agree.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        let revision: i64 = sqlx::query_scalar(MAX_REVISION).fetch_one(&mut *tx).await?;
        let mut snap = Snapshot {
            revision,
            ..Default::default()
        };
        macro_rules! load {
            ($table:literal, $kind:literal, $field:ident) => {{
                let rows = sqlx::query(concat!(
                    "SELECT id, doc::text AS doc, version, created_at, updated_at FROM ",
                    $table,
                    " WHERE revision > $1 ORDER BY id"
                ))
                .bind(since)
                .fetch_all(&mut *tx)
                .await?;
                for r in rows {
                    let id: String = r.try_get("id")?;
                    let doc: String = r.try_get("doc")?;
                    let created: DateTime<Utc> = r.try_get("created_at")?;
                    let updated: DateTime<Utc> = r.try_get("updated_at")?;
                    snap.dataset.$field.push(decode(
                        $kind,
                        &id,
                        &doc,
                        r.try_get("version")?,
                        created,
                        updated,
                    )?);
                }
            }};
        }
        load!("organization", "organization", organizations);
        load!("location", "location", locations);
        load!("service", "service", services);
        load!(
            "service_at_location",
            "service_at_location",
            service_at_locations
        );
        load!("project", "project", projects);
        for r in sqlx::query(
            "SELECT istat, name, province, population, foreign_population, ST_AsGeoJSON(geom, 15) AS geom \
             FROM comune WHERE revision > $1 ORDER BY istat",
        )
        .bind(since)
        .fetch_all(&mut *tx)
        .await?
        {
            snap.comuni.push(comune_from_row(&r)?);
        }
        if let Some(doc) = sqlx::query_scalar::<_, String>(
            "SELECT doc::text FROM dataset_metadata WHERE revision > $1",
        )
        .bind(since)
        .fetch_optional(&mut *tx)
        .await?
        {
            snap.dataset.metadata = Some(parse_metadata(&doc)?);
        }
        tx.commit().await?;
        Ok(snap)
    }

    async fn metadata(&self) -> Result<Option<Metadata>> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc::text FROM dataset_metadata WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        doc.map(|d| parse_metadata(&d)).transpose()
    }

    async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM location) + (SELECT count(*) FROM service) + (SELECT count(*) FROM organization)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n == 0)
    }

    async fn listen(&self) -> Result<Option<BoxStream<'static, i64>>> {
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        let stream = listener
            .into_stream()
            .filter_map(|n| async move { n.ok().and_then(|n| n.payload().parse::<i64>().ok()) });
        Ok(Some(stream.boxed()))
    }
}
