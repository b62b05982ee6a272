//! API tokens: `bsl_<id>_<secret>`, where `id` (64 random bits, hex) is public — listings and
//! revocation name it — and `secret` (256 random bits, hex) is stored only as its SHA-256.
//! A token is shown once, when it is created.

use super::error::Result;
use super::random;
use super::secret::Secret;

/// The prefix every token starts with (so secret scanners can find leaked ones).
pub const PREFIX: &str = "bsl_";
const ID_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;

/// A freshly made token: its public id, the stored hash, and the whole token to show once.
pub struct Issued {
    pub id: String,
    pub secret_hash: String,
    pub token: Secret<String>,
}

/// Makes a new token from the OS random generator.
pub fn issue() -> Result<Issued> {
    let id = random::hex(ID_BYTES)?;
    let secret = random::hex(SECRET_BYTES)?;
    Ok(Issued {
        secret_hash: random::sha256_hex(&secret),
        token: Secret::new(format!("{PREFIX}{id}_{secret}")),
        id,
    })
}

/// A presented token split into its id and the SHA-256 of its secret; `None` unless it has
/// exactly the shape [`issue`] makes.
pub fn parse(token: &str) -> Option<(String, String)> {
    let (id, secret) = token.strip_prefix(PREFIX)?.split_once('_')?;
    let hex = |s: &str, n: usize| {
        s.len() == 2 * n && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    (hex(id, ID_BYTES) && hex(secret, SECRET_BYTES))
        .then(|| (id.to_owned(), random::sha256_hex(secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_parse_back_to_their_id_and_hash() {
        let t = issue().unwrap();
        let text = t.token.expose();
        assert!(
            text.starts_with("bsl_") && text.len() == 4 + 16 + 1 + 64,
            "{text}"
        );
        let (id, hash) = parse(text).unwrap();
        assert_eq!(id, t.id);
        assert_eq!(hash, t.secret_hash);
        assert_ne!(issue().unwrap().id, t.id);
    }

    #[test]
    fn anything_else_is_refused() {
        let t = issue().unwrap();
        let text = t.token.expose();
        for bad in [
            "",
            "bsl_",
            &text[4..],
            &text.to_uppercase(),
            &format!("{text}0"),
            &text.replacen('_', "-", 2),
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
    }
}
