//! [`ImportStore`] written once for both backends (the table is in
//! `migrations/*/0005_imports.sql`).

use super::edit_rows::corrupt;
use super::imports::{ImportStore, PendingImport};
use super::sql_store::{over_every_dialect, stored};
use super::Result;
use crate::model::Id;
use chrono::{DateTime, Utc};
use sqlx::Row as _;

over_every_dialect! { ImportStore {
    async fn put_import(&self, import: &PendingImport) -> Result<()> {
        sqlx::query(
            "INSERT INTO pending_import (id, organization_id, author, format, source, licence, \
             body, report, etag, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(import.id.as_str())
        .bind(import.organization_id.as_str())
        .bind(import.author.as_str())
        .bind(import.format.as_str())
        .bind(import.source.as_str())
        .bind(import.licence.as_deref())
        .bind(import.body.as_str())
        .bind(import.report.to_string())
        .bind(import.etag.as_str())
        .bind(stored(import.created_at))
        .bind(stored(import.expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn pending_import(&self, id: &str, now: DateTime<Utc>) -> Result<Option<PendingImport>> {
        let row = sqlx::query(
            "SELECT id, organization_id, author, format, source, licence, body, report, etag, \
             created_at, expires_at FROM pending_import WHERE id = $1 AND expires_at > $2",
        )
        .bind(id)
        .bind(stored(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let organization_id: String = r.try_get("organization_id")?;
        let report: String = r.try_get("report")?;
        Ok(Some(PendingImport {
            organization_id: Id::parse(&organization_id)
                .map_err(|e| corrupt("pending_import", id, e))?,
            report: serde_json::from_str(&report).map_err(|e| corrupt("pending_import", id, e))?,
            id: r.try_get("id")?,
            author: r.try_get("author")?,
            format: r.try_get("format")?,
            source: r.try_get("source")?,
            licence: r.try_get("licence")?,
            body: r.try_get("body")?,
            etag: r.try_get("etag")?,
            created_at: r.try_get("created_at")?,
            expires_at: r.try_get("expires_at")?,
        }))
    }

    async fn delete_import(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM pending_import WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done) > 0)
    }

    async fn purge_imports(&self, now: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM pending_import WHERE expires_at <= $1")
            .bind(stored(now))
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done))
    }
}}
