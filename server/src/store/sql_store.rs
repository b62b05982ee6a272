//! The one store body: a connection pool over any [`Dialect`]. The verbs are written once,
//! over `SqlStore<DB>` (records in `record_verbs.rs`, accounts in `account_verbs.rs`); what
//! only one backend has (connecting, pool options) lives in `sqlite.rs` and `postgres.rs`.

use super::dialect::Dialect;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::Pool;

/// A store on one backend: [`super::SqliteStore`] or [`super::PgStore`].
pub struct SqlStore<DB: Dialect> {
    pub(super) pool: Pool<DB>,
}

impl<DB: Dialect> Clone for SqlStore<DB> {
    fn clone(&self) -> Self {
        SqlStore {
            pool: self.pool.clone(),
        }
    }
}

impl<DB: Dialect> SqlStore<DB> {
    pub(super) fn from_pool(pool: Pool<DB>) -> Self {
        SqlStore { pool }
    }

    /// The connection pool, for tests and tools.
    pub fn pool(&self) -> &Pool<DB> {
        &self.pool
    }
}

/// A timestamp as the store keeps it: microseconds, what PostgreSQL's `timestamptz` holds, so
/// both backends read back the same instant.
pub(super) fn stored(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// `impl` a trait for [`SqlStore<DB>`] over every [`Dialect`], with the bounds a generic body
/// needs spelled here once: an executor for connections and transactions, and the few Rust
/// types the store binds and reads. Used as `over_every_dialect! { Trait { fn … } }`.
macro_rules! over_every_dialect {
    ($trait:path { $($body:tt)* }) => {
        #[async_trait::async_trait]
        impl<DB> $trait for $crate::store::SqlStore<DB>
        where
            DB: $crate::store::Dialect,
            for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
            for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
            for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            for<'q> Option<&'q str>: sqlx::Encode<'q, DB>,
            for<'q> String: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> Option<i64>: sqlx::Encode<'q, DB>,
            for<'q> f64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            for<'q> chrono::DateTime<chrono::Utc>:
                sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> Option<chrono::DateTime<chrono::Utc>>: sqlx::Encode<'q, DB>,
            for<'a> &'a str: sqlx::ColumnIndex<DB::Row>,
            usize: sqlx::ColumnIndex<DB::Row>,
        {
            $($body)*
        }
    };
}
pub(super) use over_every_dialect;
