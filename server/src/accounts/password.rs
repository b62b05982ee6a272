//! Passwords: argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane), a
//! fresh 128-bit salt each, checked in constant time by the argon2 crate. Hashing is CPU- and
//! memory-heavy, so it runs on the blocking pool under a small cap: a flood of sign-ins waits
//! for a slot (then gets 503) instead of stalling the async workers.
//!
//! A sign-in for an unknown user verifies against a dummy hash with the same parameters, so
//! it costs the same work as one for a known user and its timing says nothing about which
//! names exist. [`Passwords::verifications`] counts every verification for the tests.

use super::error::{Error, Result};
use super::secret::Secret;
use crate::model::Username;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The fewest characters a password may have.
pub const MIN_CHARS: usize = 12;
/// The most bytes a password may have (argon2 reads all of it).
pub const MAX_BYTES: usize = 1024;
/// User names shorter than this are not searched for inside passwords.
const MIN_NAME_IN_PASSWORD: usize = 3;

/// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashing and checking passwords, bounded in how many run at once.
pub struct Passwords {
    permits: Arc<Semaphore>,
    wait: Duration,
    dummy: Arc<OnceLock<String>>,
    verifications: AtomicU64,
}

impl Passwords {
    /// At most `concurrent` hashings at once; a further one waits up to `wait`.
    pub fn new(concurrent: usize, wait: Duration) -> Self {
        Passwords {
            permits: Arc::new(Semaphore::new(concurrent.max(1))),
            wait,
            dummy: Arc::default(),
            verifications: AtomicU64::new(0),
        }
    }

    /// How many verifications have run (real or against the dummy hash).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    async fn on_pool<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| Error::Busy)?
            .map_err(|_| Error::Busy)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| Error::Internal(format!("password hashing panicked: {e}")))?
    }

    /// The argon2id PHC string of `password`, with a fresh random salt.
    pub async fn hash(&self, password: &Secret<String>) -> Result<String> {
        let password = password.clone();
        self.on_pool(move || hash_now(password.expose())).await
    }

    /// True when `password` matches `stored`; with no stored hash (unknown user), the same
    /// work is done against a dummy hash and the answer is false. All of it, the dummy's
    /// making included, runs on the blocking pool.
    pub async fn verify(&self, password: &Secret<String>, stored: Option<&str>) -> Result<bool> {
        let stored = stored.map(str::to_owned);
        let dummy = self.dummy.clone();
        let password = password.clone();
        self.verifications.fetch_add(1, Ordering::Relaxed);
        self.on_pool(move || {
            let against = match &stored {
                Some(s) => s.as_str(),
                None => dummy
                    .get_or_init(|| {
                        super::random::hex(16)
                            .and_then(|p| hash_now(&p))
                            .unwrap_or_default()
                    })
                    .as_str(),
            };
            let matches = hasher()
                .verify_password(password.expose().as_bytes(), against)
                .is_ok();
            Ok(stored.is_some() && matches)
        })
        .await
    }
}

fn hash_now(password: &str) -> Result<String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("argon2: {e}")))
}

/// Refuses a password shorter than [`MIN_CHARS`], longer than [`MAX_BYTES`], or holding the
/// user name (for names of 3 characters or more; case is ignored).
pub fn check_rules(username: &Username, password: &Secret<String>) -> Result<()> {
    let p = password.expose();
    if p.chars().count() < MIN_CHARS {
        return Err(Error::invalid(
            "password",
            format!("is too short: use at least {MIN_CHARS} characters"),
        ));
    }
    if p.len() > MAX_BYTES {
        return Err(Error::invalid(
            "password",
            format!("is too long: use at most {MAX_BYTES} bytes"),
        ));
    }
    let name = username.as_str();
    if name.len() >= MIN_NAME_IN_PASSWORD && p.to_lowercase().contains(name) {
        return Err(Error::invalid(
            "password",
            format!("must not contain the user name {name:?}"),
        ));
    }
    Ok(())
}

/// A strong password to hand out once: 24 characters from 56 unambiguous letters and digits
/// (about 139 bits).
pub fn generate() -> Result<Secret<String>> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut s = String::with_capacity(24);
    for _ in 0..24 {
        s.push(char::from(
            ALPHABET[super::random::below(ALPHABET.len() as u32)? as usize],
        ));
    }
    Ok(Secret::new(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> Secret<String> {
        Secret::new(s.to_owned())
    }

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let p = Passwords::new(2, Duration::from_secs(5));
        let pw = secret("correct horse battery");
        let a = p.hash(&pw).await.unwrap();
        let b = p.hash(&pw).await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salts must differ");
        assert!(p.verify(&pw, Some(&a)).await.unwrap());
        assert!(!p
            .verify(&secret("correct horse battery!"), Some(&a))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn an_unknown_user_costs_one_verification_too() {
        let p = Passwords::new(2, Duration::from_secs(5));
        let pw = secret("correct horse battery");
        let stored = p.hash(&pw).await.unwrap();
        assert_eq!(p.verifications(), 0);
        assert!(p.verify(&pw, Some(&stored)).await.unwrap());
        assert_eq!(p.verifications(), 1);
        assert!(!p.verify(&pw, None).await.unwrap());
        assert_eq!(p.verifications(), 2);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn past_the_cap_a_sign_in_is_turned_away_not_queued_forever() {
        let p = std::sync::Arc::new(Passwords::new(1, Duration::from_millis(1)));
        let pw = secret("correct horse battery");
        let runs: Vec<_> = (0..4)
            .map(|_| {
                let (p, pw) = (p.clone(), pw.clone());
                tokio::spawn(async move { p.verify(&pw, None).await })
            })
            .collect();
        let mut busy = 0;
        for r in runs {
            if matches!(r.await.unwrap(), Err(Error::Busy)) {
                busy += 1;
            }
        }
        assert!(
            busy >= 1,
            "four hashings at once on one slot: none turned away"
        );
    }

    #[test]
    fn rules_name_the_problem() {
        let u = Username::parse("mrossi").unwrap();
        let msg = |s: &str| check_rules(&u, &secret(s)).unwrap_err().to_string();
        assert!(msg("short").contains("at least 12"));
        assert!(msg("xxMRossi-2024-long").contains("user name"));
        assert!(msg(&"x".repeat(2000)).contains("too long"));
        assert!(check_rules(&u, &secret("a long enough passphrase")).is_ok());
        let g = generate().unwrap();
        assert_eq!(g.expose().chars().count(), 24);
        assert!(check_rules(&u, &g).is_ok());
    }
}
