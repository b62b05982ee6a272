//! Random secrets from the operating system's generator, as lower-case hex.

use super::error::{Error, Result};
use sha2::{Digest, Sha256};

/// `n` random bytes from the OS generator, as `2n` hex digits.
pub fn hex(n: usize) -> Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("OS random generator: {e}")))?;
    Ok(to_hex(&bytes))
}

/// A uniformly random index below `n` (rejection sampling, no modulo bias).
pub fn below(n: u32) -> Result<u32> {
    let zone = u32::MAX - u32::MAX % n;
    loop {
        let x =
            getrandom::u32().map_err(|e| Error::Internal(format!("OS random generator: {e}")))?;
        if x < zone {
            return Ok(x % n);
        }
    }
}

/// Lower-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case hex SHA-256 of `text` (how session ids, CSRF and API tokens are stored).
pub fn sha256_hex(text: &str) -> String {
    to_hex(&Sha256::digest(text.as_bytes()))
}

/// Equality of two hashes in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_random_and_long_enough() {
        let a = hex(16).unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, hex(16).unwrap());
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn sha256_matches_a_published_vector() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same("ab", "ab") && !same("ab", "ac") && !same("ab", "abc"));
    }
}
