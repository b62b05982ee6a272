//! Logs never carry precise coordinates: every decimal number in a logged query string is cut
//! to two decimals (about 1 km).

/// The path as logs show it: a campaign link's token is cut (`/campaign/…`), since the
/// token is the link's only credential.
pub fn path(p: &str) -> &str {
    if p.starts_with("/campaign/") {
        "/campaign/…"
    } else {
        p
    }
}

/// The query string with every number rounded down to at most 2 decimals.
pub fn query(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    let mut decimals: Option<usize> = None;
    for c in q.chars() {
        match (c, decimals) {
            ('.', None) if out.chars().last().is_some_and(|p| p.is_ascii_digit()) => {
                decimals = Some(0);
                out.push(c);
            }
            (d, Some(n)) if d.is_ascii_digit() => {
                if n < 2 {
                    out.push(d);
                }
                decimals = Some(n + 1);
            }
            _ => {
                decimals = None;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn coordinates_lose_precision() {
        assert_eq!(
            super::query("near=12.238123,45.490377&limit=20"),
            "near=12.23,45.49&limit=20"
        );
        assert_eq!(
            super::query("bbox=12.1%2C45.2%2C12.33333%2C45.5"),
            "bbox=12.1%2C45.2%2C12.33%2C45.5"
        );
        assert_eq!(
            super::query("filter=name%20LIKE%20%27a.b%27"),
            "filter=name%20LIKE%20%27a.b%27"
        );
    }
}
