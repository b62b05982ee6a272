//! The embedded default: one SQLite file in WAL mode. The verbs are the generic body's
//! (`record_verbs.rs`, `account_verbs.rs`); here are only how to open the file and the
//! [`Dialect`].

use super::dialect::{Dialect, SqlType};
use super::sql_store::SqlStore;
use super::{Backend, Error, Result};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult,
    SqliteSynchronous,
};
use sqlx::{Pool, Sqlite};
use std::str::FromStr;

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
