//! HSDS identifiers: HSDS 3.0 wants a UUID for every object, Bussola has readable slugs.
//! Each object's UUID is a version-5 UUID of its kind and Bussola id, so the same record
//! always has the same HSDS id and an HSDS consumer can follow it from one export to the next.

use sha1::{Digest, Sha1};

/// The RFC 9562 URL namespace; the names are `bussola:{kind}:{id}`.
const NAMESPACE: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// The version-5 UUID of `bussola:{kind}:{key}`, lower-case and hyphenated.
pub fn uuid(kind: &str, key: &str) -> String {
    let mut h = Sha1::new();
    h.update(NAMESPACE);
    h.update(format!("bussola:{kind}:{key}").as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// True for a hyphenated UUID (any version).
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_version_5_uuids() {
        let a = uuid("service", "svc-a");
        assert_eq!(a, uuid("service", "svc-a"));
        assert_ne!(a, uuid("location", "svc-a"));
        assert!(is_uuid(&a), "{a}");
        assert_eq!(&a[14..15], "5", "version 5: {a}");
        assert!(
            matches!(&a[19..20], "8" | "9" | "a" | "b"),
            "RFC variant: {a}"
        );
        assert!(!is_uuid("svc-a"));
    }
}
