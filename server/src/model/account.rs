//! Accounts: the people who sign in, their roles, their sessions and their API tokens.
//!
//! Accounts are not directory records: they live in their own tables, outside the revision
//! path and the in-memory read model, and are never exported or served as features. Secrets
//! are stored only as hashes (passwords with argon2id; session ids and API tokens, which are
//! long random strings, with SHA-256), so these types never hold a secret in the clear.

use super::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A user name: `[a-z0-9][a-z0-9._-]{0,63}` (e.g. `m.rossi`), chosen by an admin, never reused.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

/// Why a text is not a valid [`Username`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid user name {0:?}: use 1 to 64 characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit")]
pub struct UsernameError(pub String);

impl Username {
    /// Parses and validates a user name (case is folded: `M.Rossi` is `m.rossi`).
    pub fn parse(s: &str) -> Result<Self, UsernameError> {
        let s = s.trim().to_ascii_lowercase();
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && s.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
            });
        if ok {
            Ok(Username(s))
        } else {
            Err(UsernameError(s))
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;
    fn try_from(s: String) -> Result<Self, UsernameError> {
        Username::parse(&s)
    }
}

impl From<Username> for String {
    fn from(u: Username) -> String {
        u.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a user may do. A territory is a set of comuni by 6-digit ISTAT code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Everything, everywhere.
    Admin,
    /// Manages organisations and users in a territory and reviews their edits.
    Coordinator { comuni: Vec<String> },
    /// Edits one organisation's records.
    Operator { organization: Id },
    /// Sees restricted layers in a territory (e.g. Prefettura staff).
    Viewer { comuni: Vec<String> },
}

/// Whether an account may sign in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    #[default]
    Active,
    /// Signed out everywhere and refused at sign-in; kept for history.
    Disabled,
}

/// A person who signs in.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub username: Username,
    pub display_name: String,
    /// argon2id PHC string (`$argon2id$v=19$…`).
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub status: AccountStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("password_hash", &"<redacted>")
            .field("roles", &self.roles)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A signed-in browser. The cookie carries a random id; the store keeps only its SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Lower-case hex SHA-256 of the session id the cookie carries.
    pub id_hash: String,
    pub username: Username,
    /// Lower-case hex SHA-256 of the session's CSRF token.
    pub csrf_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRecord")
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// An API token: `bsl_<id>_<secret>`; the store keeps the id and the secret's SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// Public part, shown in listings and used to revoke.
    pub id: String,
    pub username: Username,
    /// What it is for, as its creator named it.
    pub name: String,
    /// Lower-case hex SHA-256 of the secret part.
    pub secret_hash: String,
    /// The one role it acts with (one of its user's roles when created).
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for TokenRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_and_checked() {
        assert_eq!(Username::parse(" M.Rossi ").unwrap().as_str(), "m.rossi");
        for bad in ["", "-x", "a b", "à", &"x".repeat(65)] {
            assert!(Username::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn roles_serialise_as_tagged_objects() {
        let r = Role::Coordinator {
            comuni: vec!["027042".into()],
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"role":"coordinator","comuni":["027042"]}"#
        );
        let back: Role = serde_json::from_str(r#"{"role":"admin"}"#).unwrap();
        assert_eq!(back, Role::Admin);
    }

    #[test]
    fn debug_never_prints_hashes() {
        let now = Utc::now();
        let u = User {
            username: Username::parse("a").unwrap(),
            display_name: "A".into(),
            password_hash: "$argon2id$v=19$SECRET".into(),
            roles: vec![],
            status: AccountStatus::Active,
            created_at: now,
            updated_at: now,
        };
        assert!(!format!("{u:?}").contains("SECRET"));
    }
}
