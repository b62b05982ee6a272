//! Query parameters, parsed strictly: anything malformed or out of range is a 400 that names
//! the parameter, never a silent default.

use super::error::{Error, Result};
use crate::index::Filter;
use crate::model::{Bbox, LonLat};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Raw query parameters.
pub type Params = HashMap<String, String>;

/// Default and maximum page sizes for item lists.
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 10_000;
/// Largest search radius, metres.
pub const MAX_RADIUS_M: f64 = 1_000_000.0;

/// `text` as comma-separated finite numbers, as many as one of `counts` (`what` says which).
fn numbers(name: &str, text: &str, counts: &[usize], what: &str) -> Result<Vec<f64>> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if !counts.contains(&parts.len()) {
        return Err(Error::bad(
            name,
            format!("expected {what}, got {} values", parts.len()),
        ));
    }
    parts
        .iter()
        .map(|p| {
            p.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| Error::bad(name, format!("{p:?} is not a number")))
        })
        .collect()
}

/// `near=LON,LAT`.
pub fn near(p: &Params) -> Result<Option<LonLat>> {
    p.get("near")
        .map(|t| {
            let v = numbers("near", t, &[2], "LON,LAT")?;
            LonLat::new(v[0], v[1]).map_err(|e| Error::bad("near", e.to_string()))
        })
        .transpose()
}

/// `bbox=minLon,minLat,maxLon,maxLat`.
pub fn bbox(p: &Params) -> Result<Option<Bbox>> {
    p.get("bbox")
        .map(|t| {
            let v = numbers(
                "bbox",
                t,
                &[4, 6],
                "4 numbers (minLon,minLat,maxLon,maxLat) or 6 (with minimum and maximum height)",
            )?;
            // The 6-number form's heights (third and sixth) are not used.
            let v = if v.len() == 6 {
                vec![v[0], v[1], v[3], v[4]]
            } else {
                v
            };
            let min = LonLat::new(v[0], v[1]).map_err(|e| Error::bad("bbox", e.to_string()))?;
            let max = LonLat::new(v[2], v[3]).map_err(|e| Error::bad("bbox", e.to_string()))?;
            Bbox::new(min, max).ok_or_else(|| Error::bad("bbox", "minimum must not exceed maximum (boxes crossing the antimeridian are not supported)"))
        })
        .transpose()
}

/// `limit`, 1..=MAX_LIMIT.
pub fn limit(p: &Params) -> Result<usize> {
    match p.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(t) => match t.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Ok(n) => Err(Error::bad(
                "limit",
                format!("{n} is outside 1..{MAX_LIMIT}"),
            )),
            Err(_) => Err(Error::bad("limit", format!("{t:?} is not a whole number"))),
        },
    }
}

/// Largest `offset` accepted.
pub const MAX_OFFSET: usize = i32::MAX as usize;

/// `offset` (paging), 0..=MAX_OFFSET.
pub fn offset(p: &Params) -> Result<usize> {
    p.get("offset")
        .map(|t| match t.parse::<usize>() {
            Ok(n) if n <= MAX_OFFSET => Ok(n),
            _ => Err(Error::bad(
                "offset",
                format!("{t:?} is not a whole number from 0 to {MAX_OFFSET}"),
            )),
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

/// `radius` in metres, > 0.
pub fn radius(p: &Params) -> Result<Option<f64>> {
    p.get("radius")
        .map(|t| match t.parse::<f64>() {
            Ok(r) if r.is_finite() && r > 0.0 && r <= MAX_RADIUS_M => Ok(r),
            Ok(r) => Err(Error::bad(
                "radius",
                format!("{r} is outside (0, {MAX_RADIUS_M}] metres"),
            )),
            Err(_) => Err(Error::bad(
                "radius",
                format!("{t:?} is not a number of metres"),
            )),
        })
        .transpose()
}

fn boolean(p: &Params, name: &str) -> Result<Option<bool>> {
    p.get(name)
        .map(|t| match t.as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(Error::bad(name, format!("{t:?} is not true or false"))),
        })
        .transpose()
}

fn instant(p: &Params, name: &str) -> Result<Option<DateTime<Utc>>> {
    p.get(name)
        .map(|t| {
            DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| {
                    Error::bad(
                        name,
                        format!(
                            "{t:?} is not an RFC 3339 instant (e.g. 2026-11-24T10:00:00+01:00)"
                        ),
                    )
                })
        })
        .transpose()
}

/// The simple property filters, checked against the taxonomy.
pub fn filter(p: &Params, taxonomy: &crate::model::Taxonomy, now: DateTime<Utc>) -> Result<Filter> {
    let mut f = Filter::default();
    if let Some(cats) = p.get("category") {
        for c in cats.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            if !taxonomy.has_category(c) {
                return Err(Error::bad(
                    "category",
                    format!("unknown category {c:?}; see /api/taxonomy"),
                ));
            }
            f.categories.push(c.to_owned());
        }
    }
    if let Some(a) = p.get("audience") {
        if !taxonomy.has_audience(a) {
            return Err(Error::bad(
                "audience",
                format!("unknown audience {a:?}; see /api/taxonomy"),
            ));
        }
        f.audience = Some(a.clone());
    }
    if let Some(l) = p.get("language") {
        if !crate::import::is_language_tag(l) {
            return Err(Error::bad(
                "language",
                format!("{l:?} is not a BCP 47 language tag"),
            ));
        }
        f.language = Some(l.clone());
    }
    if let Some(c) = p.get("comune") {
        if c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::bad(
                "comune",
                format!("{c:?} is not a 6-digit ISTAT code"),
            ));
        }
        f.comune = Some(c.clone());
    }
    f.free = boolean(p, "free")?;
    f.appointment = boolean(p, "appointment")?;
    f.open_at = instant(p, "open_at")?;
    if boolean(p, "open_now")? == Some(true) {
        if f.open_at.is_some() {
            return Err(Error::bad(
                "open_now",
                "use either open_now or open_at, not both",
            ));
        }
        f.open_at = Some(now);
    }
    Ok(f)
}

/// `f=`: the output format, one of `allowed`.
pub fn format(p: &Params, allowed: &[&str]) -> Result<()> {
    match p.get("f") {
        Some(f) if !allowed.contains(&f.as_str()) => Err(Error::bad(
            "f",
            format!(
                "{f:?} is not available here; use one of {}",
                allowed.join(", ")
            ),
        )),
        _ => Ok(()),
    }
}

/// A time interval; `None` at an end means open.
pub type Interval = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// `datetime=`: an instant, or an interval `start/end` with `..` (or empty) for an open end.
pub fn datetime(p: &Params) -> Result<Option<Interval>> {
    let Some(text) = p.get("datetime") else {
        return Ok(None);
    };
    let one = |s: &str| -> Result<Option<DateTime<Utc>>> {
        if s.is_empty() || s == ".." {
            return Ok(None);
        }
        DateTime::parse_from_rfc3339(s)
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| Error::bad("datetime", format!("{s:?} is not an RFC 3339 instant")))
    };
    match text.split_once('/') {
        None => {
            let t = one(text)?
                .ok_or_else(|| Error::bad("datetime", "an instant or an interval is needed"))?;
            Ok(Some((Some(t), Some(t))))
        }
        Some((a, b)) => {
            let (from, to) = (one(a)?, one(b)?);
            if from.is_none() && to.is_none() {
                return Err(Error::bad("datetime", "an interval needs at least one end"));
            }
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(Error::bad("datetime", "the interval ends before it starts"));
                }
            }
            Ok(Some((from, to)))
        }
    }
}

/// The query string as parameters: a repeated parameter or a malformed `lang` is a 400, and
/// a parameter given with an empty value counts as absent.
pub fn from_query(query: &str) -> Result<Params> {
    let mut p = Params::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if p.contains_key(k.as_ref()) {
            return Err(Error::bad(&k, format!("{k:?} is given more than once")));
        }
        p.insert(k.into_owned(), v.into_owned());
    }
    // Parameters with a fixed shape may not be empty; for the others, empty means absent.
    for key in ["f", "lang", "comune", "filter-lang", "filter-crs"] {
        if p.get(key).is_some_and(String::is_empty) {
            return Err(Error::bad(key, "must not be empty"));
        }
    }
    p.retain(|_, v| !v.is_empty());
    if let Some(l) = p.get("lang") {
        if !crate::import::is_language_tag(&l.to_ascii_lowercase()) {
            return Err(Error::bad(
                "lang",
                format!("{l:?} is not a BCP 47 language tag"),
            ));
        }
    }
    Ok(p)
}

/// The query string as parameters, read by [`from_query`].
pub struct QueryParams(pub Params);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for QueryParams {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self> {
        from_query(parts.uri.query().unwrap_or("")).map(QueryParams)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameter and detail of a refused value.
    fn detail(r: Result<Option<Bbox>>) -> (String, String) {
        match r {
            Err(Error::BadParameter { parameter, detail }) => (parameter, detail),
            other => panic!("not a bad parameter: {other:?}"),
        }
    }

    fn q(k: &str, v: &str) -> Params {
        Params::from([(k.to_owned(), v.to_owned())])
    }

    #[test]
    fn a_bbox_with_a_bad_number_names_that_number_not_the_count() {
        let (p, d) = detail(bbox(&q("bbox", "12,45,x,46")));
        assert_eq!((p.as_str(), d.as_str()), ("bbox", "\"x\" is not a number"));
    }

    #[test]
    fn a_bbox_of_the_wrong_length_says_both_forms() {
        let (_, d) = detail(bbox(&q("bbox", "1,2,3")));
        assert!(
            d.contains("4 numbers") && d.contains("or 6") && d.ends_with("got 3 values"),
            "{d}"
        );
    }

    #[test]
    fn the_six_number_bbox_drops_the_heights() {
        let b = bbox(&q("bbox", "12,45,0,13,46,100")).unwrap().unwrap();
        assert_eq!(b, bbox(&q("bbox", "12,45,13,46")).unwrap().unwrap());
    }
}
