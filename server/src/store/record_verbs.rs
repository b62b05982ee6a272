//! [`Store`] written once for both backends: commits of change sets, the revision, and reading
//! back what changed. The tables are described in `rows.rs`; a commit's other steps
//! (expectations, change requests, history) are in `commit.rs`; the SQL spelling that differs
//! comes from the [`Dialect`].

use super::codec::{boundary_from_geojson, decode};
use super::commit::CommitSteps;
use super::dialect::{Dialect, SqlType};
use super::edit_rows::json_list;
use super::rows::{chunk_size, replaced_offers, rows_of, upsert_sql, Val};
use super::sql_store::{over_every_dialect, stored};
use super::{AccountStore, Backend, ChangeSet, Committed, Error, Result, Snapshot, Store};
use crate::model::{Comune, Metadata};
use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use sqlx::Row as _;
use std::sync::Arc;

/// The channel commits are announced on (PostgreSQL `NOTIFY`).
pub const CHANNEL: &str = "bussola_changes";

/// How a backend spells the placeholder of a column's value.
fn wrap<DB: Dialect>(v: &Val, p: String) -> String {
    match v {
        Val::Geometry(_) => DB::geometry_in(&p),
        Val::Doc(_) => DB::json_in(&p),
        Val::OptTs(_) => DB::cast(&p, SqlType::Timestamp),
        Val::OptInt(_) => DB::cast(&p, SqlType::BigInt),
        Val::OptText(_) => DB::cast(&p, SqlType::Text),
        Val::Text(_) | Val::Real(_) => p,
    }
}

over_every_dialect! { Store {
    fn backend(&self) -> Backend {
        DB::BACKEND
    }

    fn accounts(&self) -> Arc<dyn AccountStore> {
        Arc::new(self.clone())
    }

    fn edits(&self) -> Arc<dyn super::EditStore> {
        Arc::new(self.clone())
    }

    fn campaigns(&self) -> Arc<dyn super::CampaignStore> {
        Arc::new(self.clone())
    }

    fn imports(&self) -> Arc<dyn super::ImportStore> {
        Arc::new(self.clone())
    }

    async fn migrate(&self) -> Result<()> {
        DB::migrate(&self.pool).await
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        DB::close(&self.pool).await
    }

    async fn listen(&self) -> Result<Option<BoxStream<'static, i64>>> {
        DB::listen(&self.pool).await
    }

    async fn revision(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(DB::REVISION).fetch_one(&self.pool).await?)
    }

    async fn apply(&self, changes: &ChangeSet) -> Result<Committed> {
        let mut tx = self.pool.begin().await?;
        if let Some(lock) = DB::LOCK_WRITES {
            sqlx::query(lock).execute(&mut *tx).await?;
        }
        let revision: i64 = sqlx::query_scalar(DB::NEXT_REVISION)
            .fetch_one(&mut *tx)
            .await?;
        self.check_expectations(&mut *tx, &changes.expect).await?;
        let now = stored(Utc::now());
        let mut written = self.write_requests(&mut *tx, &changes.requests, revision).await?;
        for table in rows_of(changes) {
            for rows in table.rows.chunks(chunk_size(&table)) {
                let sql = upsert_sql(&table, rows, &|n| format!("${n}"), &wrap::<DB>, DB::DISTINCT);
                let mut q = sqlx::query(&sql);
                for row in rows {
                    q = q.bind(row.id.as_str());
                    for (_, v) in &row.cols {
                        q = match v {
                            Val::Text(s) | Val::Doc(s) | Val::Geometry(s) => q.bind(s.as_str()),
                            Val::OptText(s) => q.bind(s.as_deref()),
                            Val::OptInt(i) => q.bind(*i),
                            Val::Real(f) => q.bind(*f),
                            Val::OptTs(t) => q.bind(*t),
                        };
                    }
                    q = q.bind(revision).bind(now);
                }
                written += DB::rows_affected(&q.execute(&mut *tx).await?);
            }
        }
        if changes.replace_services_of_locations {
            // One statement for the whole file: a sportello's offers that the file no longer
            // lists are archived (an offer moved to another sportello was upserted above).
            let (locations, keep) = replaced_offers(changes);
            let sql = format!(
                "UPDATE service_at_location SET status = 'archived', doc = {}, \
                 version = version + 1, revision = $1, updated_at = $2 \
                 WHERE location_id IN ({}) AND status <> 'archived' AND id NOT IN ({})",
                DB::json_set_string("doc", "status", "archived"),
                DB::json_array_elements("$3"),
                DB::json_array_elements("$4"),
            );
            let done = sqlx::query(&sql)
                .bind(revision)
                .bind(now)
                .bind(json_list(&locations))
                .bind(json_list(&keep))
                .execute(&mut *tx)
                .await?;
            written += DB::rows_affected(&done);
        }
        if let Some(meta) = &changes.dataset.metadata {
            let doc = serde_json::to_string(meta).unwrap_or_else(|_| "{}".into());
            let sql = format!(
                "INSERT INTO dataset_metadata (id, doc, revision) VALUES (1, {}, $2) \
                 ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, revision = excluded.revision \
                 WHERE dataset_metadata.doc {} excluded.doc",
                DB::json_in("$1"),
                DB::DISTINCT,
            );
            let done = sqlx::query(&sql)
                .bind(doc)
                .bind(revision)
                .execute(&mut *tx)
                .await?;
            written += DB::rows_affected(&done);
        }
        if written == 0 {
            // A PostgreSQL sequence value is burnt, which is harmless: readers only compare
            // revisions.
            tx.rollback().await?;
            return Ok(Committed {
                revision: 0,
                rows_written: 0,
            });
        }
        self.keep_history(&mut *tx, revision, &changes.origin, now).await?;
        if let Some(notify) = DB::NOTIFY {
            sqlx::query(notify)
                .bind(CHANNEL)
                .bind(revision.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Committed {
            revision,
            rows_written: written,
        })
    }

    async fn changes_since(&self, since: i64) -> Result<Snapshot> {
        let mut tx = self.pool.begin().await?;
        if let Some(snapshot) = DB::SNAPSHOT {
            sqlx::query(snapshot).execute(&mut *tx).await?;
        }
        let revision: i64 = sqlx::query_scalar(DB::REVISION).fetch_one(&mut *tx).await?;
        let mut snap = Snapshot {
            revision,
            ..Default::default()
        };
        let doc = DB::json_out("doc");
        // `ORDER BY id || ''` rather than `ORDER BY id`: the same order, but SQLite (which has
        // no statistics) would otherwise walk the whole primary key in order and test every
        // row's revision, O(n) per catch-up; with the expression it searches the revision
        // index and sorts the few rows found. PostgreSQL plans it the same way.
        macro_rules! load {
            ($table:literal, $field:ident) => {{
                let sql = format!(
                    "SELECT id, {doc} AS doc, version, created_at, updated_at FROM {} \
                     WHERE revision > $1 ORDER BY id || ''",
                    $table
                );
                for r in sqlx::query(&sql).bind(since).fetch_all(&mut *tx).await? {
                    let id: String = r.try_get("id")?;
                    let text: String = r.try_get("doc")?;
                    let created: DateTime<Utc> = r.try_get("created_at")?;
                    let updated: DateTime<Utc> = r.try_get("updated_at")?;
                    let version: i64 = r.try_get("version")?;
                    snap.dataset.$field.push(decode($table, &id, &text, version, created, updated)?);
                }
            }};
        }
        load!("organization", organizations);
        load!("location", locations);
        load!("service", services);
        load!("service_at_location", service_at_locations);
        load!("project", projects);
        let sql = format!(
            "SELECT istat, name, province, population, foreign_population, {} AS geom \
             FROM comune WHERE revision > $1 ORDER BY istat",
            DB::geometry_out("geom")
        );
        for r in sqlx::query(&sql).bind(since).fetch_all(&mut *tx).await? {
            let istat: String = r.try_get("istat")?;
            let geom: String = r.try_get("geom")?;
            let population: Option<i64> = r.try_get("population")?;
            let foreign: Option<i64> = r.try_get("foreign_population")?;
            snap.comuni.push(Comune {
                boundary: boundary_from_geojson(&istat, &geom)?,
                name: r.try_get("name")?,
                province: r.try_get("province")?,
                population: population.map(|p| p.max(0) as u64),
                foreign_population: foreign.map(|p| p.max(0) as u64),
                istat,
            });
        }
        let sql = format!("SELECT {doc} FROM dataset_metadata WHERE revision > $1");
        let meta: Option<String> = sqlx::query_scalar(&sql)
            .bind(since)
            .fetch_optional(&mut *tx)
            .await?;
        snap.dataset.metadata = meta.as_deref().map(parse_metadata).transpose()?;
        tx.commit().await?;
        Ok(snap)
    }

    async fn metadata(&self) -> Result<Option<Metadata>> {
        let sql = format!("SELECT {} FROM dataset_metadata WHERE id = 1", DB::json_out("doc"));
        let doc: Option<String> = sqlx::query_scalar(&sql).fetch_optional(&self.pool).await?;
        doc.as_deref().map(parse_metadata).transpose()
    }

    async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM location) + (SELECT count(*) FROM service) \
             + (SELECT count(*) FROM organization)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n == 0)
    }
} }

fn parse_metadata(doc: &str) -> Result<Metadata> {
    serde_json::from_str(doc).map_err(|e| Error::Corrupt {
        kind: "metadata",
        id: "1".into(),
        reason: e.to_string(),
    })
}
