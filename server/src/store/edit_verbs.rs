//! [`EditStore`] written once for both backends (tables in `migrations/*/0003_edits.sql`).
//!
//! CONTRACT STAGE: the verbs are declared; the implementation lands with the editing store.

use super::edits::{ChangeFilter, EditStore, FeedbackFilter};
use super::sql_store::over_every_dialect;
use super::Result;
use crate::model::{ChangeRequest, Feedback, Id, RecordKind, RecordVersion};

over_every_dialect! { EditStore {
    async fn history(&self, _kind: RecordKind, _id: &Id) -> Result<Vec<RecordVersion>> {
        unimplemented!("editing store: history")
    }

    async fn version(&self, _kind: RecordKind, _id: &Id, _version: i64)
        -> Result<Option<RecordVersion>> {
        unimplemented!("editing store: version")
    }

    async fn versions_since(&self, _since: i64, _limit: usize) -> Result<Vec<RecordVersion>> {
        unimplemented!("editing store: versions_since")
    }

    async fn change_requests(&self, _filter: &ChangeFilter) -> Result<Vec<ChangeRequest>> {
        unimplemented!("editing store: change_requests")
    }

    async fn change_request(&self, _id: &str) -> Result<Option<ChangeRequest>> {
        unimplemented!("editing store: change_request")
    }

    async fn add_feedback(&self, _feedback: &Feedback) -> Result<()> {
        unimplemented!("editing store: add_feedback")
    }

    async fn feedback(&self, _filter: &FeedbackFilter) -> Result<Vec<Feedback>> {
        unimplemented!("editing store: feedback")
    }
} }
