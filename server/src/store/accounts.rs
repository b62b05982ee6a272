//! Account storage: users, browser sessions and API tokens, on both backends.
//!
//! Accounts sit beside the directory, not in it: their writes take no revision, they are not
//! in the in-memory read model, and they are never exported. Every account verb is a single
//! statement or one transaction, so two replicas sharing a PostgreSQL database see the same
//! sessions at once (a session created on one replica is valid on the other; disabling a
//! user on one ends its sessions everywhere).
//!
//! The trait is the contract between the store and `crate::accounts`; both backends implement
//! it and the store conformance suite checks each verb on both.

use super::Result;
use crate::model::{SessionRecord, TokenRecord, User, Username};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The account verbs both backends implement.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates a user; `Ok(false)` (and nothing written) when the name is taken.
    async fn create_user(&self, user: &User) -> Result<bool>;
    /// Replaces a user's display name, password hash, roles and status (by user name);
    /// `Ok(false)` when there is no such user. Disabling a user deletes its sessions and
    /// revokes its tokens in the same transaction.
    async fn update_user(&self, user: &User) -> Result<bool>;
    /// One user.
    async fn user(&self, username: &Username) -> Result<Option<User>>;
    /// Every user, by name.
    async fn users(&self) -> Result<Vec<User>>;

    /// Stores a new session.
    async fn create_session(&self, session: &SessionRecord) -> Result<()>;
    /// The unexpired session with this id hash, with its user, if the user is active.
    async fn session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SessionRecord, User)>>;
    /// Records activity on a session and moves its expiry (sliding expiry).
    async fn touch_session(
        &self,
        id_hash: &str,
        last_seen_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// Ends one session (sign-out).
    async fn delete_session(&self, id_hash: &str) -> Result<()>;
    /// Ends every session of a user; returns how many there were.
    async fn delete_sessions_of(&self, username: &Username) -> Result<u64>;
    /// Deletes sessions expired before `now`; returns how many.
    async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64>;

    /// Stores a new token; `Ok(false)` when its id is taken.
    async fn create_token(&self, token: &TokenRecord) -> Result<bool>;
    /// A token by its public id (revoked ones included), with its user.
    async fn token(&self, id: &str) -> Result<Option<(TokenRecord, User)>>;
    /// Every token of a user (or of everyone), newest first.
    async fn tokens(&self, username: Option<&Username>) -> Result<Vec<TokenRecord>>;
    /// Records a token's use.
    async fn touch_token(&self, id: &str, at: DateTime<Utc>) -> Result<()>;
    /// Revokes a token; `Ok(false)` when there is no such token or it was already revoked.
    async fn revoke_token(&self, id: &str, at: DateTime<Utc>) -> Result<bool>;
}
