//! The steps of a commit besides the upserts of `record_verbs.rs`, each run inside the commit's
//! own transaction, after the revision is taken (so, on both backends, with the write lock
//! held: PostgreSQL's advisory lock, SQLite's single writer):
//!
//! - the writer's [`Expectation`]s are checked before anything is written;
//! - change-request operations are written (a decision only if the request is still where the
//!   decider saw it);
//! - every record row the revision wrote is copied into `record_version`, one
//!   `INSERT … SELECT` per table, and the revision's [`Origin`] into `revision_log`.

use super::edit_rows::{corrupt, json_list, name_of};
use super::sql_store::{over_every_dialect, stored};
use super::{Error, Expectation, RequestOp, Result};
use crate::model::{ChangeRequest, ChangeStatus, Origin, RecordKind};
use chrono::{DateTime, Utc};
use sqlx::Row as _;
use std::collections::HashMap;

/// The commit steps, over the commit's connection.
#[async_trait::async_trait]
pub(super) trait CommitSteps<DB: sqlx::Database> {
    /// Fails with [`Error::Stale`] on the first expectation (in the order given) that does not
    /// hold. One `SELECT` per kind of record expected.
    async fn check_expectations(
        &self,
        tx: &mut DB::Connection,
        expect: &[Expectation],
    ) -> Result<()>;
    /// Writes change-request operations; returns the rows written.
    async fn write_requests(
        &self,
        tx: &mut DB::Connection,
        ops: &[RequestOp],
        revision: i64,
    ) -> Result<u64>;
    /// Stores a new change request; returns the rows written (1).
    async fn create_request(
        &self,
        tx: &mut DB::Connection,
        cr: &ChangeRequest,
        revision: i64,
    ) -> Result<u64>;
    /// Why a decision on request `id` matched nothing: [`Error::Stale`] naming the request's
    /// record (its base version expected, its stored version actual), or
    /// [`Error::NoSuchChangeRequest`].
    async fn undecidable(&self, tx: &mut DB::Connection, id: &str) -> Result<Error>;
    /// Keeps the rows `revision` wrote as versions, and its origin.
    async fn keep_history(
        &self,
        tx: &mut DB::Connection,
        revision: i64,
        origin: &Origin,
        at: DateTime<Utc>,
    ) -> Result<()>;
}

/// A decision that publishes: the request's `applied_revision` becomes the deciding revision
/// (unless it already has one: a published-unreviewed edit reviewed afterwards keeps the
/// revision that published it).
fn publishes(status: ChangeStatus) -> bool {
    matches!(
        status,
        ChangeStatus::Approved | ChangeStatus::PublishedUnreviewed
    )
}

over_every_dialect! { CommitSteps<DB> {
    async fn check_expectations(&self, tx: &mut DB::Connection, expect: &[Expectation])
        -> Result<()> {
        let mut stored_versions: HashMap<(RecordKind, String), i64> = HashMap::new();
        for kind in RecordKind::ALL {
            let ids: Vec<&str> = expect
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.id.as_str())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let sql = format!(
                "SELECT id, version FROM {} WHERE id IN ({})",
                kind.as_str(),
                DB::json_array_elements("$1")
            );
            for r in sqlx::query(&sql).bind(json_list(&ids)).fetch_all(&mut *tx).await? {
                stored_versions.insert((kind, r.try_get("id")?), r.try_get("version")?);
            }
        }
        for e in expect {
            let actual = stored_versions.get(&(e.kind, e.id.to_string())).copied();
            if actual != e.version {
                return Err(Error::Stale {
                    kind: e.kind,
                    id: e.id.to_string(),
                    expected: e.version,
                    actual,
                });
            }
        }
        Ok(())
    }

    async fn write_requests(
        &self,
        tx: &mut DB::Connection,
        ops: &[RequestOp],
        revision: i64,
    ) -> Result<u64> {
        let mut written = 0;
        for op in ops {
            written += match op {
                RequestOp::Create(cr) => self.create_request(tx, cr, revision).await?,
                RequestOp::Decide { id, from, to, by, reason, at } => {
                    let applied = if publishes(*to) {
                        ", applied_revision = COALESCE(applied_revision, $7)"
                    } else {
                        ""
                    };
                    let sql = format!(
                        "UPDATE change_request SET status = $3, decided_at = $4, decided_by = $5, \
                         decision_reason = $6{applied} WHERE id = $1 AND status = $2"
                    );
                    let mut q = sqlx::query(&sql)
                        .bind(id.as_str())
                        .bind(from.as_str())
                        .bind(to.as_str())
                        .bind(stored(*at))
                        .bind(by.as_str())
                        .bind(reason.as_deref());
                    if publishes(*to) {
                        q = q.bind(revision);
                    }
                    match DB::rows_affected(&q.execute(&mut *tx).await?) {
                        0 => return Err(self.undecidable(tx, id).await?),
                        n => n,
                    }
                }
            };
        }
        Ok(written)
    }

    async fn create_request(
        &self,
        tx: &mut DB::Connection,
        cr: &ChangeRequest,
        revision: i64,
    ) -> Result<u64> {
        let sql = format!(
            "INSERT INTO change_request (id, kind, record_id, organization_id, comuni, action, \
             base_version, proposed, author, reason, status, created_at, decided_at, decided_by, \
             decision_reason, applied_revision) \
             VALUES ($1, $2, $3, $4, {}, $6, $7, {}, $9, $10, $11, $12, $13, $14, $15, $16)",
            DB::json_in("$5"),
            DB::json_in("$8"),
        );
        let applied = if publishes(cr.status) {
            Some(revision)
        } else {
            cr.applied_revision
        };
        let done = sqlx::query(&sql)
            .bind(cr.id.as_str())
            .bind(cr.kind.as_str())
            .bind(cr.record_id.as_str())
            .bind(cr.organization_id.as_str())
            .bind(json_list(&cr.comuni))
            .bind(name_of(&cr.action))
            .bind(cr.base_version)
            .bind(cr.proposed.to_string())
            .bind(cr.author.as_str())
            .bind(cr.reason.as_deref())
            .bind(cr.status.as_str())
            .bind(stored(cr.created_at))
            .bind(cr.decided_at.map(stored))
            .bind(cr.decided_by.as_deref())
            .bind(cr.decision_reason.as_deref())
            .bind(applied)
            .execute(&mut *tx)
            .await?;
        Ok(DB::rows_affected(&done))
    }

    async fn undecidable(&self, tx: &mut DB::Connection, id: &str) -> Result<Error> {
        let row = sqlx::query("SELECT kind, record_id, base_version FROM change_request WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            return Ok(Error::NoSuchChangeRequest { id: id.to_owned() });
        };
        let kind: String = row.try_get("kind")?;
        let kind = RecordKind::parse(&kind)
            .ok_or_else(|| corrupt("change_request", id, format!("unknown kind {kind:?}")))?;
        let record_id: String = row.try_get("record_id")?;
        let sql = format!("SELECT version FROM {kind} WHERE id = $1");
        let actual: Option<i64> = sqlx::query_scalar(&sql)
            .bind(record_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        Ok(Error::Stale {
            kind,
            id: record_id,
            expected: row.try_get("base_version")?,
            actual,
        })
    }

    async fn keep_history(
        &self,
        tx: &mut DB::Connection,
        revision: i64,
        origin: &Origin,
        at: DateTime<Utc>,
    ) -> Result<()> {
        for kind in RecordKind::ALL {
            let sql = format!(
                "INSERT INTO record_version (kind, id, version, revision, created_at, at, doc) \
                 SELECT '{kind}', id, version, revision, created_at, updated_at, doc FROM {kind} \
                 WHERE revision = $1"
            );
            sqlx::query(&sql).bind(revision).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO revision_log (revision, at, author, reason, source, reviewer) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(revision)
        .bind(at)
        .bind(origin.author.as_deref())
        .bind(origin.reason.as_deref())
        .bind(name_of(&origin.source))
        .bind(origin.reviewer.as_deref())
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
} }
