//! Everything SQLite and PostgreSQL + PostGIS do differently, in one place, so each store verb
//! is written once (in `sql_store.rs` and `account_verbs.rs`) over any [`Dialect`].
//!
//! # Design
//!
//! The store body is generic over the sqlx database type itself: [`SqlStore<DB>`] holds a
//! `Pool<DB>` and its verbs are written once, with `DB: Dialect`. `Dialect` is implemented on
//! `sqlx::Sqlite` and `sqlx::Postgres` directly (in `sqlite.rs` and `postgres.rs`), and holds
//! only what differs:
//!
//! - **SQL spelling**: casts ([`Dialect::cast`]: PostgreSQL needs typed placeholders where a
//!   multi-row `VALUES` list or `jsonb` would otherwise guess; SQLite takes the value as is),
//!   JSON documents in and out, geometry in and out (GeoJSON text in SQLite, a real PostGIS
//!   `geometry` column read back with `ST_AsGeoJSON`), setting one key of a JSON document, and
//!   "this value is one of the elements of a JSON array" (how lists are bound: one JSON text
//!   parameter on both backends, rather than a PostgreSQL array SQLite does not have).
//! - **Statements that exist on one side only**: how a commit takes its revision and
//!   serialises against other writers, how a read takes a consistent snapshot, how the latest
//!   revision is read, and the `NOTIFY` a commit sends before it ends.
//! - **What sqlx does not abstract**: rows affected, migrations (one folder per backend, same
//!   names), `LISTEN`, and closing (SQLite checkpoints its write-ahead log).
//!
//! What is the same is not here: placeholders are `$1, $2, …` on both (sqlx's SQLite driver
//! reads `$N` as the N-th argument), upserts are `INSERT … ON CONFLICT … DO UPDATE … WHERE` on
//! both, and timestamps are bound as `chrono::DateTime<Utc>` on both: native `timestamptz` in
//! PostgreSQL, RFC 3339 text in UTC in SQLite, which sorts and compares in time order because
//! sqlx always writes it with the `+00:00` offset and the store truncates every timestamp it
//! writes to microseconds (what `timestamptz` keeps), so both backends read back the same value.
//!
//! `sqlx::Any` was not used: it has no geometry, binds timestamps as text on PostgreSQL and
//! would hide the types the PostGIS columns need. A macro emitting one copy per backend was not
//! used either: a generic body is type-checked once, and the compiler says which capability a
//! new verb needs from the dialect.
//!
//! The trait bounds a generic body needs (an executor for connections, encode/decode for the
//! few Rust types the store binds) are spelled once, as the `where` clause of each `impl` over
//! `SqlStore<DB>`, through [`Dialect`]'s supertraits where Rust allows.

use super::{Backend, Result};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::{Database, Pool};

/// The SQL type a placeholder must be cast to where the backend cannot infer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlType {
    Text,
    BigInt,
    Timestamp,
}

/// What differs between the two backends; see the module documentation.
pub trait Dialect: Database + Sized {
    /// Which backend this is.
    const BACKEND: Backend;
    /// The null-safe "differs" operator for row values.
    const DISTINCT: &'static str = "IS DISTINCT FROM";
    /// Run first in a commit: serialises writers so revisions become visible in order.
    const LOCK_WRITES: Option<&'static str>;
    /// Takes the next revision inside a commit (one row, one `bigint`).
    const NEXT_REVISION: &'static str;
    /// The latest committed revision (one row, one `bigint`).
    const REVISION: &'static str;
    /// Run first in a read that must see one consistent snapshot of several tables.
    const SNAPSHOT: Option<&'static str>;
    /// Run last in a commit that wrote something, bound with the channel and the revision.
    const NOTIFY: Option<&'static str>;

    /// A placeholder cast to a type (PostgreSQL), or as it is (SQLite).
    fn cast(placeholder: &str, ty: SqlType) -> String;
    /// A JSON document parameter, for a JSON column.
    fn json_in(placeholder: &str) -> String;
    /// A JSON column, read as text.
    fn json_out(column: &str) -> String;
    /// A geometry parameter given as GeoJSON text, for a (multi)polygon column.
    fn geometry_in(placeholder: &str) -> String;
    /// A geometry column, read as GeoJSON text.
    fn geometry_out(column: &str) -> String;
    /// `column` with its top-level `key` set to the string `value` (a plain word).
    fn json_set_string(column: &str, key: &str, value: &str) -> String;
    /// A subquery giving the elements of a JSON array of strings bound at `placeholder`,
    /// for `x IN (…)`.
    fn json_array_elements(placeholder: &str) -> String;

    /// Rows a statement changed.
    fn rows_affected(result: &Self::QueryResult) -> u64;
    /// Applies pending migrations (`migrations/sqlite/` or `migrations/postgres/`).
    fn migrate(pool: &Pool<Self>) -> BoxFuture<'_, Result<()>>;
    /// Revisions committed by any process, as they are announced; `None` where the backend
    /// cannot announce.
    fn listen(pool: &Pool<Self>) -> BoxFuture<'_, Result<Option<BoxStream<'static, i64>>>>;
    /// Flushes and closes every connection.
    fn close(pool: &Pool<Self>) -> BoxFuture<'_, ()>;
}
