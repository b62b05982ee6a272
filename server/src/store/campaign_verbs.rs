//! [`CampaignStore`] written once for both backends (tables in
//! `migrations/*/0004_campaigns.sql`). Days are stored as `YYYY-MM-DD` text, timestamps
//! truncated to microseconds, lists and answers as JSON.

use super::campaigns::CampaignStore;
use super::edit_rows::{corrupt, json_list, name_of};
use super::sql_store::{over_every_dialect, stored};
use super::Result;
use crate::campaign::model::{Answer, Campaign, Link, Recipient, RecipientState};
use crate::model::Id;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{ColumnIndex, Decode, Row, Type};

const CAMPAIGN: &str = "id, title, period_from, period_until, opened_by, created_at, sent_at, \
    closed_at, remind_every_days";
const RECIPIENT: &str = "campaign_id, organization_id, email, state, sent_at, reminded_at, \
    answered_at, answer";
const LINK: &str =
    "token_hash, campaign_id, organization_id, created_at, expires_at, revoked_at, used_at";

fn enum_of<T: serde::de::DeserializeOwned>(table: &'static str, id: &str, s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| corrupt(table, id, format!("unknown value {s:?}")))
}

fn day(table: &'static str, id: &str, s: &str) -> Result<NaiveDate> {
    s.parse().map_err(|e| corrupt(table, id, e))
}

fn id_of(table: &'static str, s: &str) -> Result<Id> {
    Id::parse(s).map_err(|e| corrupt(table, s, e))
}

fn campaign_from_row<R>(r: &R) -> Result<Campaign>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    const T: &str = "campaign";
    let id: String = r.try_get("id")?;
    let comuni: String = r.try_get("comuni")?;
    let from: String = r.try_get("period_from")?;
    let until: String = r.try_get("period_until")?;
    Ok(Campaign {
        title: r.try_get("title")?,
        comuni: serde_json::from_str(&comuni).map_err(|e| corrupt(T, &id, e))?,
        from: day(T, &id, &from)?,
        until: day(T, &id, &until)?,
        opened_by: r.try_get("opened_by")?,
        created_at: r.try_get("created_at")?,
        sent_at: r.try_get("sent_at")?,
        closed_at: r.try_get("closed_at")?,
        remind_every_days: r.try_get("remind_every_days")?,
        id,
    })
}

fn recipient_from_row<R>(r: &R) -> Result<Recipient>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    const T: &str = "campaign_recipient";
    let org: String = r.try_get("organization_id")?;
    let comuni: String = r.try_get("comuni")?;
    let state: String = r.try_get("state")?;
    let answer: Option<String> = r.try_get("answer")?;
    let detail: Option<String> = r.try_get("answer_detail")?;
    Ok(Recipient {
        campaign_id: r.try_get("campaign_id")?,
        email: r.try_get("email")?,
        comuni: serde_json::from_str(&comuni).map_err(|e| corrupt(T, &org, e))?,
        state: enum_of(T, &org, &state)?,
        sent_at: r.try_get("sent_at")?,
        reminded_at: r.try_get("reminded_at")?,
        answered_at: r.try_get("answered_at")?,
        answer: answer.map(|a| enum_of(T, &org, &a)).transpose()?,
        answer_detail: detail
            .map(|d| serde_json::from_str(&d).map_err(|e| corrupt(T, &org, e)))
            .transpose()?,
        organization_id: id_of(T, &org)?,
    })
}

fn link_from_row<R>(r: &R) -> Result<Link>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    let org: String = r.try_get("organization_id")?;
    Ok(Link {
        token_hash: r.try_get("token_hash")?,
        campaign_id: r.try_get("campaign_id")?,
        organization_id: id_of("campaign_link", &org)?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        used_at: r.try_get("used_at")?,
    })
}

over_every_dialect! { CampaignStore {
    async fn create_campaign(&self, c: &Campaign, recipients: &[Recipient]) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let sql = format!(
            "INSERT INTO campaign ({CAMPAIGN}, comuni) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, {}) \
             ON CONFLICT (id) DO NOTHING",
            DB::json_in("$10")
        );
        let done = sqlx::query(&sql)
            .bind(c.id.as_str())
            .bind(c.title.as_str())
            .bind(c.from.to_string())
            .bind(c.until.to_string())
            .bind(c.opened_by.as_str())
            .bind(stored(c.created_at))
            .bind(c.sent_at.map(stored))
            .bind(c.closed_at.map(stored))
            .bind(c.remind_every_days)
            .bind(json_list(&c.comuni))
            .execute(&mut *tx)
            .await?;
        if DB::rows_affected(&done) == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        let sql = format!(
            "INSERT INTO campaign_recipient ({RECIPIENT}, comuni, answer_detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, {}, {})",
            DB::json_in("$9"),
            DB::json_in("$10")
        );
        for r in recipients {
            let detail = r.answer_detail.as_ref().map(|d| d.to_string());
            sqlx::query(&sql)
                .bind(c.id.as_str())
                .bind(r.organization_id.as_str())
                .bind(r.email.as_deref())
                .bind(r.state.as_str())
                .bind(r.sent_at.map(stored))
                .bind(r.reminded_at.map(stored))
                .bind(r.answered_at.map(stored))
                .bind(r.answer.map(|a| a.as_str()))
                .bind(json_list(&r.comuni))
                .bind(detail.as_deref())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn campaign(&self, id: &str) -> Result<Option<Campaign>> {
        let sql = format!(
            "SELECT {CAMPAIGN}, {} AS comuni FROM campaign WHERE id = $1",
            DB::json_out("comuni")
        );
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(campaign_from_row).transpose()
    }

    async fn campaigns(&self) -> Result<Vec<Campaign>> {
        let sql = format!(
            "SELECT {CAMPAIGN}, {} AS comuni FROM campaign ORDER BY created_at DESC, id DESC",
            DB::json_out("comuni")
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(campaign_from_row).collect()
    }

    async fn recipients(&self, campaign: &str) -> Result<Vec<Recipient>> {
        let sql = format!(
            "SELECT {RECIPIENT}, {} AS comuni, {} AS answer_detail FROM campaign_recipient \
             WHERE campaign_id = $1 ORDER BY organization_id",
            DB::json_out("comuni"),
            DB::json_out("answer_detail")
        );
        let rows = sqlx::query(&sql).bind(campaign).fetch_all(&self.pool).await?;
        rows.iter().map(recipient_from_row).collect()
    }

    async fn issue_link(&self, link: &Link, state: RecipientState) -> Result<()> {
        let at = stored(link.created_at);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE campaign_link SET revoked_at = $3 WHERE campaign_id = $1 \
             AND organization_id = $2 AND revoked_at IS NULL AND used_at IS NULL",
        )
        .bind(link.campaign_id.as_str())
        .bind(link.organization_id.as_str())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!("INSERT INTO campaign_link ({LINK}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
            .bind(link.token_hash.as_str())
            .bind(link.campaign_id.as_str())
            .bind(link.organization_id.as_str())
            .bind(at)
            .bind(stored(link.expires_at))
            .bind(link.revoked_at.map(stored))
            .bind(link.used_at.map(stored))
            .execute(&mut *tx)
            .await?;
        let column = if state == RecipientState::Reminded { "reminded_at" } else { "sent_at" };
        sqlx::query(&format!(
            "UPDATE campaign_recipient SET state = $3, {column} = $4 \
             WHERE campaign_id = $1 AND organization_id = $2"
        ))
        .bind(link.campaign_id.as_str())
        .bind(link.organization_id.as_str())
        .bind(state.as_str())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE campaign SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL")
            .bind(link.campaign_id.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_state(&self, campaign: &str, organization: &Id, state: RecipientState)
        -> Result<()> {
        sqlx::query(
            "UPDATE campaign_recipient SET state = $3 WHERE campaign_id = $1 AND organization_id = $2",
        )
        .bind(campaign)
        .bind(organization.as_str())
        .bind(state.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn link(&self, token_hash: &str) -> Result<Option<Link>> {
        let row = sqlx::query(&format!("SELECT {LINK} FROM campaign_link WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(link_from_row).transpose()
    }

    async fn revoke_links(&self, campaign: &str, organization: Option<&Id>, at: DateTime<Utc>)
        -> Result<u64> {
        let done = sqlx::query(
            "UPDATE campaign_link SET revoked_at = $3 WHERE campaign_id = $1 \
             AND ($2 = '' OR organization_id = $2) AND revoked_at IS NULL AND used_at IS NULL",
        )
        .bind(campaign)
        .bind(organization.map_or("", |o| o.as_str()))
        .bind(stored(at))
        .execute(&self.pool)
        .await?;
        Ok(DB::rows_affected(&done))
    }

    async fn claim_link(&self, token_hash: &str, at: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE campaign_link SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL \
             AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(stored(at))
        .execute(&self.pool)
        .await?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn release_link(&self, token_hash: &str) -> Result<()> {
        sqlx::query("UPDATE campaign_link SET used_at = NULL WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn record_answer(&self, campaign: &str, organization: &Id, answer: Answer,
        detail: &serde_json::Value, at: DateTime<Utc>) -> Result<()> {
        let sql = format!(
            "UPDATE campaign_recipient SET state = $3, answer = $4, answered_at = $5, \
             answer_detail = {} WHERE campaign_id = $1 AND organization_id = $2",
            DB::json_in("$6")
        );
        sqlx::query(&sql)
            .bind(campaign)
            .bind(organization.as_str())
            .bind(name_of(&RecipientState::Answered))
            .bind(answer.as_str())
            .bind(stored(at))
            .bind(detail.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn claim_reminder(&self, campaign: &str, organization: &Id,
        last_mail_by: DateTime<Utc>, at: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE campaign_recipient SET state = 'reminded', reminded_at = $4 \
             WHERE campaign_id = $1 AND organization_id = $2 AND state IN ('sent', 'reminded') \
             AND COALESCE(reminded_at, sent_at) <= $3",
        )
        .bind(campaign)
        .bind(organization.as_str())
        .bind(stored(last_mail_by))
        .bind(stored(at))
        .execute(&self.pool)
        .await?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn release_reminder(&self, campaign: &str, organization: &Id,
        claimed_at: DateTime<Utc>, previous: Option<DateTime<Utc>>) -> Result<()> {
        sqlx::query(
            "UPDATE campaign_recipient SET reminded_at = $4 \
             WHERE campaign_id = $1 AND organization_id = $2 AND reminded_at = $3",
        )
        .bind(campaign)
        .bind(organization.as_str())
        .bind(stored(claimed_at))
        .bind(previous.map(stored))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn close_campaign(&self, id: &str, at: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE campaign SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
            .bind(id)
            .bind(stored(at))
            .execute(&mut *tx)
            .await?;
        if DB::rows_affected(&done) == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "UPDATE campaign_link SET revoked_at = $2 WHERE campaign_id = $1 \
             AND revoked_at IS NULL AND used_at IS NULL",
        )
        .bind(id)
        .bind(stored(at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
} }
