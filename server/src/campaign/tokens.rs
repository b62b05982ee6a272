//! A link's token: 32 bytes from the operating system's generator (256 bits), written as 64
//! hex digits in the e-mail's link. The store keeps only its SHA-256; the plain token is a
//! [`Secret`] (never printed) and exists only in the message it is sent in.

use crate::accounts::{random, Secret};

/// Hex digits in a token.
pub const LEN: usize = 64;

/// A fresh token and the hash the store keeps.
pub fn fresh() -> crate::accounts::Result<(Secret<String>, String)> {
    let token = random::hex(LEN / 2)?;
    let hash = random::sha256_hex(&token);
    Ok((Secret::new(token), hash))
}

/// The hash of a token from a link, or none when it cannot be one (so nothing that is not a
/// token reaches the store).
pub fn hash_of(text: &str) -> Option<String> {
    (text.len() == LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    .then(|| random::sha256_hex(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_hex_and_only_their_hash_is_kept() {
        let (token, hash) = fresh().unwrap();
        assert_eq!(token.expose().len(), LEN);
        assert_eq!(hash_of(token.expose()), Some(hash.clone()));
        assert_ne!(&hash, token.expose());
        assert_ne!(fresh().unwrap().1, hash);
        assert_eq!(hash_of("abc"), None);
        assert_eq!(hash_of(&"G".repeat(LEN)), None);
        assert_eq!(hash_of(&token.expose().to_uppercase()), None);
    }
}
