//! Persistent storage behind one trait, with two backends: embedded SQLite (the default) and
//! PostgreSQL + PostGIS. Both pass the same conformance suite (`tests/store_conformance.rs`).
//!
//! Every write is a [`ChangeSet`] committed in one transaction: all of it or nothing. Each
//! commit takes the next global *revision*; every row remembers the revision that last wrote
//! it, so a reader that has seen revision `r` catches up with [`Store::changes_since`]. That is
//! how the in-memory index follows this process's writes and, on PostGIS, other replicas'.

mod account_verbs;
mod accounts;
mod campaign_verbs;
mod campaigns;
mod codec;
mod commit;
mod dialect;
mod edit_rows;
mod edit_verbs;
mod edits;
mod import_verbs;
mod imports;
mod postgres;
mod record_verbs;
mod rows;
mod sql_store;
mod sqlite;

pub use accounts::AccountStore;
pub use campaigns::CampaignStore;
pub use dialect::{Dialect, SqlType};
pub use edits::{ChangeFilter, EditStore, FeedbackFilter};
pub use imports::{ImportStore, PendingImport};
pub use postgres::PgStore;
pub use sql_store::SqlStore;
pub use sqlite::SqliteStore;

use crate::model::{
    ChangeRequest, ChangeStatus, Comune, Dataset, Id, Metadata, Origin, RecordKind,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use std::sync::Arc;

/// Storage errors. Messages name the record or setting at fault; database details are logged
/// by the caller and not shown to HTTP clients.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database refused or failed an operation.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored document could not be read back.
    #[error("stored {kind} {id} is unreadable: {reason}")]
    Corrupt {
        kind: &'static str,
        id: String,
        reason: String,
    },
    /// The database lacks something Bussola needs (e.g. PostGIS, or a too-old version).
    #[error("unsupported database: {0}")]
    Unsupported(String),
    /// The database server cannot be reached (`target` is `host:port`).
    #[error("cannot connect to PostgreSQL at {target}: {reason}")]
    Unreachable { target: String, reason: String },
    /// The database URL or data directory is unusable.
    #[error("bad configuration: {0}")]
    Config(String),
    /// An [`Expectation`] of the change set did not hold at commit time: someone else changed
    /// the record meanwhile. Nothing was written.
    #[error("{kind} {id} is at version {actual:?}, not {expected:?}")]
    Stale {
        kind: RecordKind,
        id: String,
        /// The version the writer based its change on (none: "must not exist yet").
        expected: Option<i64>,
        /// The stored version (none: there is no such record).
        actual: Option<i64>,
    },
    /// A [`RequestOp::Decide`] names a change request that does not exist. Nothing was written.
    #[error("there is no change request {id}")]
    NoSuchChangeRequest { id: String },
}

/// Result alias for the store layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which backend a store is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What one transaction writes. Records are upserted by id; a record whose content is
/// unchanged keeps its version.
#[derive(Clone, Debug, Default)]
pub struct ChangeSet {
    pub dataset: Dataset,
    pub comuni: Vec<Comune>,
    /// When true, every sportello in the change set keeps only the services listed for it:
    /// its other service-at-location rows are archived (how an import replaces a sportello).
    pub replace_services_of_locations: bool,
    /// Who makes this commit and why; stored with the revision (`revision_log`).
    pub origin: Origin,
    /// Versions the commit is based on, checked inside the transaction before anything is
    /// written (optimistic concurrency): any mismatch fails the commit with [`Error::Stale`].
    pub expect: Vec<Expectation>,
    /// Change requests created or decided in the same transaction as the records.
    pub requests: Vec<RequestOp>,
}

/// "This record is at this version" (or, with `version: None`, "does not exist yet").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    pub kind: RecordKind,
    pub id: Id,
    pub version: Option<i64>,
}

/// A change-request write that commits with a change set.
// A commit carries a handful of these: boxing the request would only make them harder to build.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum RequestOp {
    /// Stores a new change request (pending, or published-unreviewed for a trusted
    /// organisation).
    Create(ChangeRequest),
    /// Records a decision on a change request. Fails the commit with [`Error::Stale`]
    /// (kind and id of the request's record, its base version as `expected` and its stored
    /// version as `actual`) when the request is no longer `from`.
    Decide {
        id: String,
        from: ChangeStatus,
        to: ChangeStatus,
        by: String,
        reason: Option<String>,
        at: DateTime<Utc>,
    },
}

/// What a commit did. A commit that writes records or change requests takes a revision; its
/// decided change requests get `applied_revision` = that revision when they move to
/// approved or published-unreviewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Committed {
    /// The revision this commit took; 0 when nothing changed.
    pub revision: i64,
    /// Rows inserted or changed.
    pub rows_written: u64,
}

/// Records with their store-managed fields filled in, and the revision they are as of.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub revision: i64,
    pub dataset: Dataset,
    pub comuni: Vec<Comune>,
}

/// The domain verbs both backends implement.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is.
    fn backend(&self) -> Backend;
    /// The same database, as account storage (users, sessions, tokens).
    fn accounts(&self) -> Arc<dyn AccountStore>;
    /// The same database, as editing storage (history, change requests, feedback).
    fn edits(&self) -> Arc<dyn EditStore>;
    /// The same database, as campaign storage (campaigns, recipients, links).
    fn campaigns(&self) -> Arc<dyn CampaignStore>;
    /// The same database, as pending-import storage (uploads waiting for their commit).
    fn imports(&self) -> Arc<dyn ImportStore>;
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<()>;
    /// Every record (all statuses) and the current revision.
    async fn load(&self) -> Result<Snapshot> {
        self.changes_since(0).await
    }
    /// Records written by commits after `revision`.
    async fn changes_since(&self, revision: i64) -> Result<Snapshot>;
    /// The latest committed revision.
    async fn revision(&self) -> Result<i64>;
    /// Commits a change set atomically: its expectations are checked, its records upserted,
    /// every record row it wrote copied into the record history with the revision's origin,
    /// and its change-request operations written, all in one transaction.
    async fn apply(&self, changes: &ChangeSet) -> Result<Committed>;
    /// Dataset metadata, if any was imported.
    async fn metadata(&self) -> Result<Option<Metadata>>;
    /// True when the store holds no sportello, service or organisation.
    async fn is_empty(&self) -> Result<bool>;
    /// Revisions committed by any process, as they are announced (PostGIS LISTEN/NOTIFY);
    /// `None` where the backend cannot announce (SQLite is single-process).
    async fn listen(&self) -> Result<Option<BoxStream<'static, i64>>>;
    /// A cheap round trip to the database: `Ok` when it answers (readiness, metrics).
    async fn ping(&self) -> Result<()>;
    /// Flushes and closes every connection. SQLite checkpoints its write-ahead log into the
    /// main file first, so the `.sqlite3` file alone holds all the data afterwards.
    async fn close(&self);
}

/// Opens the store a URL names: `postgres://…` or `sqlite://…` (a file path).
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else {
        Err(Error::Config(format!(
            "database URL must start with postgres:// or sqlite:, got {:?}",
            url.split(':').next().unwrap_or("")
        )))
    }
}
