//! The embedded default: one SQLite file in WAL mode.

use super::codec::{boundary_from_geojson, decode};
use super::dialect::{Dialect, SqlType};
use super::rows::{chunk_size, replaced_offers, rows_of, upsert_sql, Val};
use super::sql_store::SqlStore;
use super::{AccountStore, Backend, ChangeSet, Committed, Error, Result, Snapshot, Store};
use crate::model::{Comune, Metadata};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult,
    SqliteSynchronous,
};
use sqlx::{Pool, Row as _, Sqlite};
use std::str::FromStr;
use std::sync::Arc;

/// SQLite store. Writes are serialised by SQLite itself; readers never block in WAL mode.
pub type SqliteStore = SqlStore<Sqlite>;

impl Dialect for Sqlite {
    const BACKEND: Backend = Backend::Sqlite;
    const DISTINCT: &'static str = "IS NOT";
    const LOCK_WRITES: Option<&'static str> = None;
    const NEXT_REVISION: &'static str =
        "UPDATE revision_counter SET value = value + 1 WHERE id = 1 RETURNING value";
    const REVISION: &'static str = "SELECT value FROM revision_counter WHERE id = 1";
    // A read transaction in WAL mode sees one snapshot from its first read on.
    const SNAPSHOT: Option<&'static str> = None;
    const NOTIFY: Option<&'static str> = None;

    fn cast(placeholder: &str, _: SqlType) -> String {
        placeholder.to_owned()
    }
    fn json_in(placeholder: &str) -> String {
        placeholder.to_owned()
    }
    fn json_out(column: &str) -> String {
        column.to_owned()
    }
    fn geometry_in(placeholder: &str) -> String {
        placeholder.to_owned()
    }
    fn geometry_out(column: &str) -> String {
        column.to_owned()
    }
    fn json_set_string(column: &str, key: &str, value: &str) -> String {
        format!("json_set({column}, '$.{key}', '{value}')")
    }
    fn json_array_elements(placeholder: &str) -> String {
        format!("SELECT value FROM json_each({placeholder})")
    }
    fn rows_affected(result: &SqliteQueryResult) -> u64 {
        result.rows_affected()
    }
    fn migrate(pool: &Pool<Sqlite>) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            sqlx::migrate!("../migrations/sqlite").run(pool).await?;
            Ok(())
        })
    }
    fn listen(_: &Pool<Sqlite>) -> BoxFuture<'_, Result<Option<BoxStream<'static, i64>>>> {
        Box::pin(async { Ok(None) })
    }
    fn close(pool: &Pool<Sqlite>) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await
            {
                tracing::warn!(error = %e, "SQLite checkpoint failed");
            }
            pool.close().await;
        })
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database a `sqlite:` URL names.
    pub async fn open(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| Error::Config(format!("bad SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Ok(SqlStore::from_pool(pool))
    }
}

fn bind<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    v: &'q Val,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    match v {
        Val::Text(s) | Val::Doc(s) | Val::Geometry(s) => q.bind(s.as_str()),
        Val::OptText(s) => q.bind(s.as_deref()),
        Val::OptInt(i) => q.bind(*i),
        Val::Real(f) => q.bind(*f),
        Val::OptTs(t) => q.bind(*t),
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn accounts(&self) -> Arc<dyn AccountStore> {
        Arc::new(self.clone())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::warn!(error = %e, "SQLite checkpoint failed");
        }
        self.pool.close().await;
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::migrate!("../migrations/sqlite")
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn revision(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT value FROM revision_counter WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn apply(&self, changes: &ChangeSet) -> Result<Committed> {
        let mut tx = self.pool.begin().await?;
        let revision: i64 = sqlx::query_scalar(
            "UPDATE revision_counter SET value = value + 1 WHERE id = 1 RETURNING value",
        )
        .fetch_one(&mut *tx)
        .await?;
        let now = Utc::now();
        let mut written = 0u64;
        for table in rows_of(changes) {
            for rows in table.rows.chunks(chunk_size(&table)) {
                let sql = upsert_sql(&table, rows, &|n| format!("?{n}"), &|_, p| p, "IS NOT");
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
            // One statement for the whole file (see the PostgreSQL store).
            let (locations, keep) = replaced_offers(changes);
            let json = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
            written += sqlx::query(
                "UPDATE service_at_location SET status = 'archived', \
                 doc = json_set(doc, '$.status', 'archived'), version = version + 1, revision = ?1, updated_at = ?2 \
                 WHERE location_id IN (SELECT value FROM json_each(?3)) AND status <> 'archived' \
                 AND id NOT IN (SELECT value FROM json_each(?4))",
            )
            .bind(revision)
            .bind(now)
            .bind(json(&locations))
            .bind(json(&keep))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        if let Some(meta) = &changes.dataset.metadata {
            let doc = serde_json::to_string(meta).unwrap_or_else(|_| "{}".into());
            written += sqlx::query(
                "INSERT INTO dataset_metadata (id, doc, revision) VALUES (1, ?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, revision = excluded.revision \
                 WHERE dataset_metadata.doc IS NOT excluded.doc",
            )
            .bind(doc)
            .bind(revision)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        if written == 0 {
            tx.rollback().await?;
            return Ok(Committed {
                revision: 0,
                rows_written: 0,
            });
        }
        tx.commit().await?;
        Ok(Committed {
            revision,
            rows_written: written,
        })
    }

    async fn changes_since(&self, since: i64) -> Result<Snapshot> {
        let mut tx = self.pool.begin().await?;
        let revision: i64 = sqlx::query_scalar("SELECT value FROM revision_counter WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let mut snap = Snapshot {
            revision,
            ..Default::default()
        };
        macro_rules! load {
            ($table:literal, $kind:literal, $field:ident) => {{
                let rows = sqlx::query(concat!(
                    "SELECT id, doc, version, created_at, updated_at FROM ",
                    $table,
                    " WHERE revision > ?1 ORDER BY id"
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
            "SELECT istat, name, province, population, foreign_population, geom FROM comune \
             WHERE revision > ?1 ORDER BY istat",
        )
        .bind(since)
        .fetch_all(&mut *tx)
        .await?
        {
            snap.comuni.push(comune_from_row(&r)?);
        }
        if let Some(doc) =
            sqlx::query_scalar::<_, String>("SELECT doc FROM dataset_metadata WHERE revision > ?1")
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
            sqlx::query_scalar("SELECT doc FROM dataset_metadata WHERE id = 1")
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
        Ok(None)
    }
}

/// A comune from a row with columns istat, name, province, population, foreign_population, geom.
pub(super) fn comune_from_row<R: sqlx::Row>(r: &R) -> Result<Comune>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let istat: String = r.try_get("istat")?;
    let geom: String = r.try_get("geom")?;
    let boundary = boundary_from_geojson(&istat, &geom)?;
    Ok(Comune {
        name: r.try_get("name")?,
        province: r.try_get("province")?,
        population: r
            .try_get::<Option<i64>, _>("population")?
            .map(|p| p.max(0) as u64),
        foreign_population: r
            .try_get::<Option<i64>, _>("foreign_population")?
            .map(|p| p.max(0) as u64),
        istat,
        boundary,
    })
}

pub(super) fn parse_metadata(doc: &str) -> Result<Metadata> {
    serde_json::from_str(doc).map_err(|e| Error::Corrupt {
        kind: "metadata",
        id: "1".into(),
        reason: e.to_string(),
    })
}
