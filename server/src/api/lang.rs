//! Which language to answer in: `lang=` wins, then `Accept-Language` (by q-value), else Italian.

use axum::http::HeaderMap;

/// The language asked for, as a lower-case BCP 47 tag.
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> String {
    if let Some(l) = query
        .map(str::trim)
        .filter(|l| crate::import::is_language_tag(&l.to_ascii_lowercase()))
    {
        return l.to_ascii_lowercase();
    }
    let header = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, String)> = None;
    for part in header.split(',') {
        let mut bits = part.split(';');
        let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        if tag == "*" || !crate::import::is_language_tag(&tag) {
            continue;
        }
        let q = bits
            .find_map(|b| {
                b.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        if q > 0.0 && best.as_ref().is_none_or(|(bq, _)| q > *bq) {
            best = Some((q, tag));
        }
    }
    best.map(|(_, t)| t).unwrap_or_else(|| "it".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_beats_header_and_q_values_are_respected() {
        let mut h = HeaderMap::new();
        h.insert("accept-language", "fr;q=0.5, ar, en;q=0.8".parse().unwrap());
        assert_eq!(negotiate(None, &h), "ar");
        assert_eq!(negotiate(Some("uk"), &h), "uk");
        assert_eq!(negotiate(Some("not a tag!"), &h), "ar");
        assert_eq!(negotiate(None, &HeaderMap::new()), "it");
    }
}
