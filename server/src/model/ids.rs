//! Stable record identifiers.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A stable, URL-safe record id: `[a-z0-9][a-z0-9._~-]{0,99}` (e.g. `loc-questura-venezia`).
///
/// Ids are chosen by whoever creates the record and never change, so links shared on a
/// phone keep working after edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(String);

/// Why a text is not a valid [`Id`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid id {0:?}: use 1 to 100 characters a-z, 0-9, '.', '_', '~' or '-', starting with a letter or digit")]
pub struct IdError(pub String);

impl Id {
    /// Parses and validates an id.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 100
            && s.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && s.bytes().all(|b| {
                b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || matches!(b, b'-' | b'_' | b'.' | b'~')
            });
        if ok {
            Ok(Id(s.to_owned()))
        } else {
            Err(IdError(s.to_owned()))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Id::parse(&s)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_slugs_and_rejects_the_rest() {
        assert!(Id::parse("loc-questura-venezia").is_ok());
        assert!(Id::parse("027042").is_ok());
        for bad in ["", "-x", "Loc", "a b", "à", &"x".repeat(101)] {
            assert!(Id::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
