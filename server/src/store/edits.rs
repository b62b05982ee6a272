//! Editing storage: the history of every record, change requests and public feedback, on
//! both backends.
//!
//! History rows and change requests are *written* only by [`super::Store::apply`], in the
//! commit's own transaction (a version is never missing for a committed revision, nor present
//! for a rolled-back one). Feedback is written here, outside the revision path: it changes no
//! record. These reads go to the store, not to the in-memory read model: they serve signed-in
//! editors, never the public read path.

use super::Result;
use crate::model::{ChangeRequest, ChangeStatus, Feedback, Id, RecordKind, RecordVersion};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Which change requests to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeFilter {
    /// Only these statuses (empty: all).
    pub statuses: Vec<ChangeStatus>,
    /// Only requests of this organisation.
    pub organization: Option<Id>,
    /// Only requests whose comuni meet these (empty: anywhere).
    pub comuni: Vec<String>,
    /// Only requests for this record.
    pub record: Option<(RecordKind, Id)>,
    /// Only requests by this author.
    pub author: Option<String>,
    /// At most this many, newest first (0: no limit).
    pub limit: usize,
}

/// Which feedback to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedbackFilter {
    pub organization: Option<Id>,
    /// Only feedback about sportelli in these comuni (empty: anywhere).
    pub comuni: Vec<String>,
    pub location: Option<Id>,
    pub since: Option<DateTime<Utc>>,
}

/// The editing verbs both backends implement.
#[async_trait]
pub trait EditStore: Send + Sync + 'static {
    /// Every stored version of a record, oldest first (empty when it never existed).
    async fn history(&self, kind: RecordKind, id: &Id) -> Result<Vec<RecordVersion>>;
    /// One stored version of a record.
    async fn version(
        &self,
        kind: RecordKind,
        id: &Id,
        version: i64,
    ) -> Result<Option<RecordVersion>>;
    /// Versions written by revisions after `since`, oldest first, at most `limit` (for
    /// HSDS `metadata` and change feeds).
    async fn versions_since(&self, since: i64, limit: usize) -> Result<Vec<RecordVersion>>;
    /// Change requests matching `filter`, newest first.
    async fn change_requests(&self, filter: &ChangeFilter) -> Result<Vec<ChangeRequest>>;
    /// One change request.
    async fn change_request(&self, id: &str) -> Result<Option<ChangeRequest>>;
    /// Stores one piece of feedback.
    async fn add_feedback(&self, feedback: &Feedback) -> Result<()>;
    /// Feedback matching `filter`, newest first.
    async fn feedback(&self, filter: &FeedbackFilter) -> Result<Vec<Feedback>>;
}
