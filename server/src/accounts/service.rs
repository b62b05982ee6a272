//! The accounts service the HTTP layer and the CLI share: sign-in (throttled, hashed on the
//! blocking pool), sessions with sliding expiry, bearer tokens with their last-use time.

use super::error::{Error, Result};
use super::password::Passwords;
use super::secret::Secret;
use super::session::{self, Lifetimes};
use super::throttle::Throttle;
use super::{random, token};
use crate::access::{Credential, Viewer};
use crate::config::{Config, TrustedProxy};
use crate::model::{AccountStatus, SessionRecord, User, Username};
use crate::store::AccountStore;
use chrono::{DateTime, Utc};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Activity is written to a session or a token at most this often.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

/// A signed-in browser: the session id for the cookie, and its user.
pub struct SignedIn {
    pub session_id: Secret<String>,
    pub user: User,
    pub expires_at: DateTime<Utc>,
}

/// Accounts over a store.
pub struct Accounts {
    store: Arc<dyn AccountStore>,
    passwords: Passwords,
    throttle: Throttle,
    lifetimes: Lifetimes,
    trusted: Vec<TrustedProxy>,
}

impl Accounts {
    /// The service over `store`, with the limits `config` sets.
    pub fn new(store: Arc<dyn AccountStore>, config: &Config) -> Self {
        Accounts {
            store,
            passwords: Passwords::new(
                config.signin_concurrency,
                Duration::from_millis(config.heavy_wait_ms),
            ),
            throttle: Throttle::new(
                config.signin_attempts_per_account,
                config.signin_attempts_per_address,
                Duration::from_secs(config.signin_refill_secs.max(1)),
            ),
            lifetimes: Lifetimes {
                idle: chrono::Duration::minutes(config.session_idle_mins.max(1) as i64),
                absolute: chrono::Duration::hours(config.session_max_hours.max(1) as i64),
            },
            trusted: config.trusted_proxies.clone(),
        }
    }

    /// The account store.
    pub fn store(&self) -> &Arc<dyn AccountStore> {
        &self.store
    }

    /// Password hashing (and its verification counter).
    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    /// The session lifetimes.
    pub fn lifetimes(&self) -> Lifetimes {
        self.lifetimes
    }

    /// The proxies whose forwarding headers name the client.
    pub fn trusted_proxies(&self) -> &[TrustedProxy] {
        &self.trusted
    }

    /// Checks a user name and password from `client` and opens a session. Unknown users,
    /// disabled users and wrong passwords all cost one verification and give the same error.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &Secret<String>,
        client: IpAddr,
    ) -> Result<SignedIn> {
        self.throttle.attempt(name, client)?;
        let user = match Username::parse(name) {
            Ok(u) => self.store.user(&u).await?,
            Err(_) => None,
        }
        .filter(|u| u.status == AccountStatus::Active);
        let ok = self
            .passwords
            .verify(password, user.as_ref().map(|u| u.password_hash.as_str()))
            .await?;
        let Some(user) = user.filter(|_| ok) else {
            tracing::info!(client = %client, "sign-in refused");
            return Err(Error::WrongCredentials);
        };
        let id = session::new_id()?;
        let now = Utc::now();
        let expires_at = self.lifetimes.expiry(now, now);
        self.store
            .create_session(&SessionRecord {
                id_hash: random::sha256_hex(id.expose()),
                username: user.username.clone(),
                csrf_hash: random::sha256_hex(session::csrf_token(&id).expose()),
                created_at: now,
                expires_at,
                last_seen_at: now,
            })
            .await?;
        tracing::info!(user = %user.username, client = %client, "signed in");
        Ok(SignedIn {
            session_id: id,
            user,
            expires_at,
        })
    }

    /// The live session with id `id` and its (active) user, its expiry moved forward (written
    /// at most once a minute).
    pub async fn session(&self, id: &Secret<String>) -> Result<Option<(SessionRecord, User)>> {
        let now = Utc::now();
        let hash = random::sha256_hex(id.expose());
        let Some((mut s, user)) = self.store.session(&hash, now).await? else {
            return Ok(None);
        };
        if user.status != AccountStatus::Active || s.expires_at <= now {
            return Ok(None);
        }
        if now - s.last_seen_at >= TOUCH_EVERY {
            let expires_at = self.lifetimes.expiry(s.created_at, now);
            self.store.touch_session(&hash, now, expires_at).await?;
            s.last_seen_at = now;
            s.expires_at = expires_at;
        }
        Ok(Some((s, user)))
    }

    /// Ends the session with id `id` (nothing if there is none).
    pub async fn sign_out(&self, id: &Secret<String>) -> Result<()> {
        self.store
            .delete_session(&random::sha256_hex(id.expose()))
            .await?;
        Ok(())
    }

    /// The viewer a bearer token stands for: its user, with the token's one role, while the
    /// token is unrevoked and unexpired, the user active and still holding that role.
    pub async fn token_viewer(&self, presented: &Secret<String>) -> Result<Viewer> {
        let (id, hash) = token::parse(presented.expose())
            .ok_or(Error::BadToken("the bearer token is malformed"))?;
        let unknown = Error::BadToken("the bearer token is unknown, expired or revoked");
        let Some((record, user)) = self.store.token(&id).await? else {
            return Err(unknown);
        };
        let now = Utc::now();
        let live = random::same(&record.secret_hash, &hash)
            && record.revoked_at.is_none()
            && record.expires_at.is_none_or(|e| e > now)
            && user.status == AccountStatus::Active
            && user.roles.contains(&record.role);
        if !live {
            return Err(unknown);
        }
        if record.last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY) {
            self.store.touch_token(&id, now).await?;
        }
        Ok(Viewer::Signed {
            username: user.username,
            roles: vec![record.role],
            via: Credential::Token,
        })
    }

    /// Forgets idle throttle slots and expired sessions (a background chore).
    pub async fn sweep(&self) -> Result<u64> {
        self.throttle.sweep();
        Ok(self.store.purge_expired_sessions(Utc::now()).await?)
    }
}
