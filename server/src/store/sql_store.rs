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
