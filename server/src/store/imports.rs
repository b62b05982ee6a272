//! Pending imports (`migrations/*/0005_imports.sql`): an upload checked by a dry run and kept
//! until its uploader commits or discards it, or it expires (`docs/imports.md`).
//!
//! A pending import is no record: writing one takes no revision and changes nothing the
//! public reads. It keeps the file as it was sent, so the commit reads exactly the bytes the
//! dry run checked.

use super::Result;
use crate::model::Id;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// An upload waiting for its commit.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImport {
    /// `imp-` and 20 hex digits.
    pub id: String,
    /// The one organisation the import is for.
    pub organization_id: Id,
    /// Who uploaded it (the only one who may commit or discard it).
    pub author: String,
    /// `csv`, `geojson` or `hsds`.
    pub format: String,
    /// Where the records come from: the file name, the dataset's title or URL.
    pub source: String,
    /// The licence the records come under, if the uploader or the file said.
    pub licence: Option<String>,
    /// The file as it was uploaded.
    pub body: String,
    /// The dry-run report the uploader saw (the API's JSON).
    pub report: serde_json::Value,
    /// The report's ETag: a commit must send it back in `If-Match`.
    pub etag: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The pending-import verbs both backends implement.
#[async_trait]
pub trait ImportStore: Send + Sync + 'static {
    /// Stores a pending import.
    async fn put_import(&self, import: &PendingImport) -> Result<()>;
    /// A pending import that has not expired at `now`.
    async fn pending_import(&self, id: &str, now: DateTime<Utc>) -> Result<Option<PendingImport>>;
    /// Deletes a pending import; false when there was none.
    async fn delete_import(&self, id: &str) -> Result<bool>;
    /// Deletes every import expired at `now`; how many.
    async fn purge_imports(&self, now: DateTime<Utc>) -> Result<u64>;
}
