//! [`EditStore`] written once for both backends (tables in `migrations/*/0003_edits.sql`).
//!
//! History and change requests are written by `Store::apply` (`commit.rs`); here they are
//! read. Timestamps are truncated to microseconds on the way in, so a record reads back equal
//! on both backends.

use super::dialect::{Dialect, SqlType};
use super::edit_rows::{feedback_from_row, json_list, request_from_row, version_from_row};
use super::edits::{ChangeFilter, EditStore, FeedbackFilter};
use super::sql_store::{over_every_dialect, stored};
use super::Result;
use crate::model::{ChangeRequest, Feedback, Id, RecordKind, RecordVersion};

/// A version with its revision's origin.
fn versions_select<DB: Dialect>() -> String {
    format!(
        "SELECT v.kind, v.id, v.version, v.revision, v.created_at, v.at, {} AS doc, \
         l.author, l.reason, l.source, l.reviewer \
         FROM record_version v LEFT JOIN revision_log l ON l.revision = v.revision",
        DB::json_out("v.doc")
    )
}

const REQUEST_COLUMNS: &str = "id, kind, record_id, organization_id, action, base_version, \
    author, reason, status, created_at, decided_at, decided_by, decision_reason, applied_revision";

fn requests_select<DB: Dialect>() -> String {
    format!(
        "SELECT {REQUEST_COLUMNS}, {} AS comuni, {} AS proposed FROM change_request",
        DB::json_out("comuni"),
        DB::json_out("proposed")
    )
}

/// Text parameters of a `WHERE` built from a filter, numbered as they are added.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    binds: Vec<String>,
}

impl Conditions {
    /// The next placeholder, bound to `value`.
    fn arg(&mut self, value: impl Into<String>) -> String {
        self.binds.push(value.into());
        format!("${}", self.binds.len())
    }

    fn push(&mut self, condition: String) {
        self.sql.push(condition);
    }

    fn clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.sql.join(" AND "))
        }
    }
}

/// `0` (no limit) as the largest bound both backends take.
fn limit_of(limit: usize) -> i64 {
    if limit == 0 {
        i64::MAX
    } else {
        i64::try_from(limit).unwrap_or(i64::MAX)
    }
}

over_every_dialect! { EditStore {
    async fn history(&self, kind: RecordKind, id: &Id) -> Result<Vec<RecordVersion>> {
        let sql = format!(
            "{} WHERE v.kind = $1 AND v.id = $2 ORDER BY v.version",
            versions_select::<DB>()
        );
        let rows = sqlx::query(&sql)
            .bind(kind.as_str())
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(version_from_row).collect()
    }

    async fn version(&self, kind: RecordKind, id: &Id, version: i64)
        -> Result<Option<RecordVersion>> {
        let sql = format!(
            "{} WHERE v.kind = $1 AND v.id = $2 AND v.version = $3",
            versions_select::<DB>()
        );
        let row = sqlx::query(&sql)
            .bind(kind.as_str())
            .bind(id.as_str())
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(version_from_row).transpose()
    }

    async fn versions_since(&self, since: i64, limit: usize) -> Result<Vec<RecordVersion>> {
        let sql = format!(
            "{} WHERE v.revision > $1 ORDER BY v.revision, v.kind, v.id LIMIT {}",
            versions_select::<DB>(),
            DB::cast("$2", SqlType::BigInt)
        );
        let rows = sqlx::query(&sql)
            .bind(since)
            .bind(limit_of(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(version_from_row).collect()
    }

    async fn change_requests(&self, filter: &ChangeFilter) -> Result<Vec<ChangeRequest>> {
        let mut w = Conditions::default();
        if !filter.statuses.is_empty() {
            let names: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
            let p = w.arg(json_list(&names));
            w.push(format!("status IN ({})", DB::json_array_elements(&p)));
        }
        if let Some(org) = &filter.organization {
            let p = w.arg(org.as_str());
            w.push(format!("organization_id = {p}"));
        }
        if let Some((kind, id)) = &filter.record {
            let (k, i) = (w.arg(kind.as_str()), w.arg(id.as_str()));
            w.push(format!("kind = {k} AND record_id = {i}"));
        }
        if let Some(author) = &filter.author {
            let p = w.arg(author.as_str());
            w.push(format!("author = {p}"));
        }
        // The comuni are matched here, after the SQL filter: a request is in a territory when
        // one of its comuni is.
        let limit = if filter.comuni.is_empty() && filter.limit > 0 {
            format!(" LIMIT {}", filter.limit)
        } else {
            String::new()
        };
        let sql = format!(
            "{}{} ORDER BY created_at DESC, id DESC{limit}",
            requests_select::<DB>(),
            w.clause()
        );
        let mut q = sqlx::query(&sql);
        for b in &w.binds {
            q = q.bind(b.as_str());
        }
        let mut found = Vec::new();
        for r in q.fetch_all(&self.pool).await? {
            let cr = request_from_row(&r)?;
            if filter.comuni.is_empty() || cr.comuni.iter().any(|c| filter.comuni.contains(c)) {
                found.push(cr);
                if found.len() == filter.limit {
                    break;
                }
            }
        }
        Ok(found)
    }

    async fn change_request(&self, id: &str) -> Result<Option<ChangeRequest>> {
        let sql = format!("{} WHERE id = $1", requests_select::<DB>());
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(request_from_row).transpose()
    }

    async fn add_feedback(&self, feedback: &Feedback) -> Result<()> {
        sqlx::query(
            "INSERT INTO feedback (location_id, organization_id, comune_istat, kind, at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(feedback.location_id.as_str())
        .bind(feedback.organization_id.as_str())
        .bind(feedback.comune_istat.as_str())
        .bind(feedback.kind.as_str())
        .bind(stored(feedback.at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn feedback(&self, filter: &FeedbackFilter) -> Result<Vec<Feedback>> {
        let mut w = Conditions::default();
        if let Some(org) = &filter.organization {
            let p = w.arg(org.as_str());
            w.push(format!("organization_id = {p}"));
        }
        if !filter.comuni.is_empty() {
            let p = w.arg(json_list(&filter.comuni));
            w.push(format!("comune_istat IN ({})", DB::json_array_elements(&p)));
        }
        if let Some(location) = &filter.location {
            let p = w.arg(location.as_str());
            w.push(format!("location_id = {p}"));
        }
        // The one parameter that is not text comes last.
        if filter.since.is_some() {
            let p = format!("${}", w.binds.len() + 1);
            w.push(format!("at >= {}", DB::cast(&p, SqlType::Timestamp)));
        }
        let sql = format!(
            "SELECT location_id, organization_id, comune_istat, kind, at FROM feedback{} \
             ORDER BY at DESC, id DESC",
            w.clause()
        );
        let mut q = sqlx::query(&sql);
        for b in &w.binds {
            q = q.bind(b.as_str());
        }
        if let Some(since) = filter.since {
            q = q.bind(stored(since));
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(feedback_from_row).collect()
    }
} }
