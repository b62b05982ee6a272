//! [`AccountStore`] written once for both backends (tables in `migrations/*/0002_accounts.sql`).
//!
//! Roles are stored as JSON (`jsonb` in PostgreSQL, text in SQLite), in the shape
//! `model::Role` serialises to; statuses as their lower-case names. Timestamps are truncated
//! to microseconds on the way in, so a record reads back equal on both backends.

use super::accounts::AccountStore;
use super::dialect::Dialect;
use super::sql_store::{stored, SqlStore};
use super::{Error, Result};
use crate::model::{AccountStatus, Role, SessionRecord, TokenRecord, User, Username};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Row as _, Type};

fn corrupt(kind: &'static str, id: &str, reason: impl ToString) -> Error {
    Error::Corrupt {
        kind,
        id: id.to_owned(),
        reason: reason.to_string(),
    }
}

fn status_name(s: AccountStatus) -> &'static str {
    match s {
        AccountStatus::Active => "active",
        AccountStatus::Disabled => "disabled",
    }
}

fn parse_status(username: &str, s: &str) -> Result<AccountStatus> {
    match s {
        "active" => Ok(AccountStatus::Active),
        "disabled" => Ok(AccountStatus::Disabled),
        other => Err(corrupt(
            "user",
            username,
            format!("unknown status {other:?}"),
        )),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// The user columns every query selects (joined as `u`).
fn user_columns<DB: Dialect>() -> String {
    format!(
        "u.username, u.display_name, u.password_hash, {} AS roles, u.status, \
         u.created_at, u.updated_at",
        DB::json_out("u.roles")
    )
}

/// The token columns every query selects (as `t`), each prefixed `token_`.
fn token_columns<DB: Dialect>() -> String {
    format!(
        "t.id AS token_id, t.username AS token_username, t.name AS token_name, t.secret_hash AS token_secret_hash, \
         {} AS token_role, t.created_at AS token_created_at, t.expires_at AS token_expires_at, \
         t.last_used_at AS token_last_used_at, t.revoked_at AS token_revoked_at",
        DB::json_out("t.role")
    )
}

fn user_from_row<R>(r: &R) -> Result<User>
where
    R: sqlx::Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    let name: String = r.try_get("username")?;
    let username = Username::parse(&name).map_err(|e| corrupt("user", &name, e))?;
    let roles: String = r.try_get("roles")?;
    let status: String = r.try_get("status")?;
    Ok(User {
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        roles: serde_json::from_str(&roles).map_err(|e| corrupt("user", &name, e))?,
        status: parse_status(&name, &status)?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        username,
    })
}

fn token_from_row<R>(r: &R) -> Result<TokenRecord>
where
    R: sqlx::Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    let id: String = r.try_get("token_id")?;
    let role: String = r.try_get("token_role")?;
    let role: Role = serde_json::from_str(&role).map_err(|e| corrupt("token", &id, e))?;
    let username: String = r.try_get("token_username")?;
    let username = Username::parse(&username).map_err(|e| corrupt("token", &id, e))?;
    Ok(TokenRecord {
        name: r.try_get("token_name")?,
        secret_hash: r.try_get("token_secret_hash")?,
        created_at: r.try_get("token_created_at")?,
        expires_at: r.try_get("token_expires_at")?,
        last_used_at: r.try_get("token_last_used_at")?,
        revoked_at: r.try_get("token_revoked_at")?,
        role,
        username,
        id,
    })
}

#[async_trait]
impl<DB> AccountStore for SqlStore<DB>
where
    DB: Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<DateTime<Utc>>: Encode<'q, DB>,
    for<'a> &'a str: ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
{
    async fn create_user(&self, user: &User) -> Result<bool> {
        let sql = format!(
            "INSERT INTO account_user \
             (username, display_name, password_hash, roles, status, created_at, updated_at) \
             VALUES ($1, $2, $3, {}, $5, $6, $7) ON CONFLICT (username) DO NOTHING",
            DB::json_in("$4")
        );
        let done = sqlx::query(&sql)
            .bind(user.username.as_str())
            .bind(user.display_name.as_str())
            .bind(user.password_hash.as_str())
            .bind(to_json(&user.roles))
            .bind(status_name(user.status))
            .bind(stored(user.created_at))
            .bind(stored(user.updated_at))
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn update_user(&self, user: &User) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let sql = format!(
            "UPDATE account_user SET display_name = $2, password_hash = $3, roles = {}, \
             status = $5, updated_at = $6 WHERE username = $1",
            DB::json_in("$4")
        );
        let done = sqlx::query(&sql)
            .bind(user.username.as_str())
            .bind(user.display_name.as_str())
            .bind(user.password_hash.as_str())
            .bind(to_json(&user.roles))
            .bind(status_name(user.status))
            .bind(stored(user.updated_at))
            .execute(&mut *tx)
            .await?;
        if DB::rows_affected(&done) == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        if user.status == AccountStatus::Disabled {
            sqlx::query("DELETE FROM account_session WHERE username = $1")
                .bind(user.username.as_str())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE account_token SET revoked_at = $2 \
                 WHERE username = $1 AND revoked_at IS NULL",
            )
            .bind(user.username.as_str())
            .bind(stored(user.updated_at))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn user(&self, username: &Username) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {} FROM account_user u WHERE u.username = $1",
            user_columns::<DB>()
        );
        let row = sqlx::query(&sql)
            .bind(username.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn users(&self) -> Result<Vec<User>> {
        let sql = format!(
            "SELECT {} FROM account_user u ORDER BY u.username",
            user_columns::<DB>()
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn create_session(&self, s: &SessionRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO account_session \
             (id_hash, username, csrf_hash, created_at, expires_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(s.id_hash.as_str())
        .bind(s.username.as_str())
        .bind(s.csrf_hash.as_str())
        .bind(stored(s.created_at))
        .bind(stored(s.expires_at))
        .bind(stored(s.last_seen_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SessionRecord, User)>> {
        let sql = format!(
            "SELECT s.id_hash, s.csrf_hash, s.created_at AS session_created_at, \
             s.expires_at AS session_expires_at, s.last_seen_at AS session_last_seen_at, {} \
             FROM account_session s JOIN account_user u ON u.username = s.username \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.status = 'active'",
            user_columns::<DB>()
        );
        let Some(r) = sqlx::query(&sql)
            .bind(id_hash)
            .bind(stored(now))
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let user = user_from_row(&r)?;
        let session = SessionRecord {
            id_hash: r.try_get("id_hash")?,
            username: user.username.clone(),
            csrf_hash: r.try_get("csrf_hash")?,
            created_at: r.try_get("session_created_at")?,
            expires_at: r.try_get("session_expires_at")?,
            last_seen_at: r.try_get("session_last_seen_at")?,
        };
        Ok(Some((session, user)))
    }

    async fn touch_session(
        &self,
        id_hash: &str,
        last_seen_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE account_session SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1",
        )
        .bind(id_hash)
        .bind(stored(last_seen_at))
        .bind(stored(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM account_session WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_sessions_of(&self, username: &Username) -> Result<u64> {
        let done = sqlx::query("DELETE FROM account_session WHERE username = $1")
            .bind(username.as_str())
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done))
    }

    /// Deletes exactly the sessions [`AccountStore::session`] would refuse as expired.
    async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM account_session WHERE expires_at <= $1")
            .bind(stored(now))
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done))
    }

    async fn create_token(&self, t: &TokenRecord) -> Result<bool> {
        let sql = format!(
            "INSERT INTO account_token (id, username, name, secret_hash, role, created_at, \
             expires_at, last_used_at, revoked_at) \
             VALUES ($1, $2, $3, $4, {}, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
            DB::json_in("$5")
        );
        let done = sqlx::query(&sql)
            .bind(t.id.as_str())
            .bind(t.username.as_str())
            .bind(t.name.as_str())
            .bind(t.secret_hash.as_str())
            .bind(to_json(&t.role))
            .bind(stored(t.created_at))
            .bind(t.expires_at.map(stored))
            .bind(t.last_used_at.map(stored))
            .bind(t.revoked_at.map(stored))
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn token(&self, id: &str) -> Result<Option<(TokenRecord, User)>> {
        let sql = format!(
            "SELECT {}, {} FROM account_token t JOIN account_user u ON u.username = t.username \
             WHERE t.id = $1",
            token_columns::<DB>(),
            user_columns::<DB>()
        );
        let Some(r) = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let user = user_from_row(&r)?;
        Ok(Some((token_from_row(&r)?, user)))
    }

    async fn tokens(&self, username: Option<&Username>) -> Result<Vec<TokenRecord>> {
        let sql = format!(
            "SELECT {} FROM account_token t \
             WHERE $1 = '' OR t.username = $1 ORDER BY t.created_at DESC, t.id DESC",
            token_columns::<DB>()
        );
        let rows = sqlx::query(&sql)
            .bind(username.map_or("", Username::as_str))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(token_from_row).collect()
    }

    async fn touch_token(&self, id: &str, at: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE account_token SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(stored(at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn revoke_token(&self, id: &str, at: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE account_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(stored(at))
        .execute(&self.pool)
        .await?;
        Ok(DB::rows_affected(&done) == 1)
    }
}
