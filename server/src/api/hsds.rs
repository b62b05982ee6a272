//! The HSDS 3.0 read API beside the OGC API: `/hsds/services`, `/hsds/organizations`,
//! `/hsds/service_at_locations` and each by id, with the query parameters and the paginated
//! envelope of the HSDS API reference. Answers come from the read model, for the viewer, with
//! the OGC routes' caching rules; ids are the HSDS UUIDs (a Bussola id is accepted too).

use super::collection::query;
use super::error::{Error, Result};
use super::http::{self, JSON};
use super::params::{self, Params, QueryParams};
use super::{lang, AppState};
use crate::access::Viewer;
use crate::hsds::{to::id_of, Visible, Writer};
use crate::index::{Catalog, Filter, Offer, Sportello};
use crate::model::{haversine_m, I18nText, LonLat};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};

/// Default and largest `per_page`.
pub const DEFAULT_PER_PAGE: usize = 50;
pub const MAX_PER_PAGE: usize = 1000;
/// How long an answer may be kept, seconds (nothing here depends on the clock).
const MAX_AGE: u32 = 300;

const PAGING: [&str; 4] = ["page", "per_page", "format", "lang"];
const SERVICE_PARAMS: [&str; 7] = [
    "search",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "minimal",
    "full",
];
const ORGANIZATION_PARAMS: [&str; 3] = ["search", "full", "full_service"];
const SAL_PARAMS: [&str; 9] = [
    "search",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "full",
    "postcode",
    "proximity",
    "near",
];
const ONE_PARAMS: [&str; 2] = ["format", "lang"];

fn known(p: &Params, own: &[&str]) -> Result<()> {
    let all: Vec<&str> = PAGING.iter().chain(own).copied().collect();
    query::only(p, &all)?;
    match p.get("format").map(String::as_str) {
        None | Some("json") => Ok(()),
        Some(f) => Err(Error::bad(
            "format",
            format!("{f:?} is not available; use json"),
        )),
    }
}

fn whole(p: &Params, name: &str, default: usize, max: usize) -> Result<usize> {
    match p.get(name) {
        None => Ok(default),
        Some(t) => match t.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(Error::bad(
                name,
                format!("{t:?} is not a whole number from 1 to {max}"),
            )),
        },
    }
}

fn flag(p: &Params, name: &str) -> Result<bool> {
    match p.get(name).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") | Some("") => Ok(true),
        Some(t) => Err(Error::bad(name, format!("{t:?} is not true or false"))),
    }
}

/// `modified_after`: an RFC 3339 instant or a date (midnight UTC).
fn modified_after(p: &Params) -> Result<Option<DateTime<Utc>>> {
    p.get("modified_after")
        .map(|t| {
            DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&Utc))
                .or_else(|_| {
                    NaiveDate::parse_from_str(t, "%Y-%m-%d")
                        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
                })
                .map_err(|_| {
                    Error::bad(
                        "modified_after",
                        format!("{t:?} is not an RFC 3339 date-time or a YYYY-MM-DD date"),
                    )
                })
        })
        .transpose()
}

/// The page of `items` asked for, in the HSDS envelope.
fn envelope(p: &Params, items: Vec<Value>) -> Result<Value> {
    let per_page = whole(p, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?;
    let page = whole(p, "page", 1, params::MAX_OFFSET)?;
    let total = items.len();
    let total_pages = total.div_ceil(per_page);
    let contents: Vec<Value> = items
        .into_iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .collect();
    Ok(json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": contents.len(),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    }))
}

/// The answer: JSON with the cache headers, or 304.
fn answer(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    key: &str,
    lang: &str,
    build: impl FnOnce(&Catalog) -> Result<Value>,
) -> Result<Response> {
    let catalog = state.directory.catalog();
    let tag = http::etag_for(viewer, (catalog.revision, key, lang));
    if let Some(r) = http::not_modified_response(headers, &tag, MAX_AGE, Some(lang), viewer) {
        return Ok(r);
    }
    let body = serde_json::to_vec(&build(&catalog)?).map_err(|e| Error::Internal(e.into()))?;
    Ok(http::respond(
        headers,
        &tag,
        JSON,
        MAX_AGE,
        Some(lang),
        viewer,
        || body,
    ))
}

fn filter_of(viewer: &Viewer) -> Filter {
    Filter {
        viewer: viewer.clone(),
        ..Filter::default()
    }
}

fn matches_search(needle: &Option<String>, texts: &[&I18nText], plain: &[&str]) -> bool {
    let Some(n) = needle else { return true };
    let hit = |t: &str| t.to_lowercase().contains(n);
    texts.iter().any(|t| t.values().any(hit)) || plain.iter().any(|t| hit(t))
}

/// The criteria `services` and `service_at_locations` share.
struct Criteria {
    search: Option<String>,
    term: Option<String>,
    taxonomy: Option<String>,
    organization: Option<String>,
    modified_after: Option<DateTime<Utc>>,
}

impl Criteria {
    fn parse(p: &Params) -> Result<Self> {
        Ok(Criteria {
            search: p
                .get("search")
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty()),
            term: p.get("taxonomy_term_id").cloned(),
            taxonomy: p.get("taxonomy_id").cloned(),
            organization: p.get("organization_id").cloned(),
            modified_after: modified_after(p)?,
        })
    }

    /// Does the service meet the criteria (the search too, when `search`)?
    fn service_ok(&self, s: &crate::model::Service, search: bool) -> bool {
        use crate::hsds::terms::{term_id, Vocabulary};
        let codes = || {
            s.categories
                .iter()
                .map(|c| (Vocabulary::Category, c))
                .chain(s.audiences.iter().map(|a| (Vocabulary::Audience, a)))
        };
        self.term
            .as_ref()
            .is_none_or(|t| codes().any(|(v, c)| c == t || term_id(v, c) == *t))
            && self
                .taxonomy
                .as_ref()
                .is_none_or(|t| codes().any(|(v, _)| v.name() == t || v.id() == *t))
            && self.organization.as_ref().is_none_or(|o| {
                s.organization_id.as_str() == o
                    || id_of("organization", s.organization_id.as_str()) == *o
            })
            && self
                .modified_after
                .is_none_or(|t| s.meta.updated_at.is_some_and(|u| u >= t))
            && (!search || matches_search(&self.search, &[&s.name, &s.description], &[]))
    }
}

fn writer<'a>(v: &'a Visible<'a>, lang: &'a str, state: &'a AppState) -> Writer<'a> {
    Writer {
        visible: v,
        lang,
        taxonomy: state.directory.taxonomy(),
    }
}

/// `GET /hsds/services`.
pub async fn services(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response> {
    known(&p, &SERVICE_PARAMS)?;
    let c = Criteria::parse(&p)?;
    let (minimal, full) = (flag(&p, "minimal")?, flag(&p, "full")?);
    let lang = lang::negotiate(p.get("lang").map(String::as_str), &headers);
    answer(
        &state,
        &viewer,
        &headers,
        &uri.to_string(),
        &lang,
        |catalog| {
            let v = Visible::of(catalog, &filter_of(&viewer));
            let w = writer(&v, &lang, &state);
            let items = v
                .services
                .iter()
                .filter(|s| c.service_ok(s, true))
                .map(|s| {
                    if minimal {
                        let mut m = json!({"id": id_of("service", s.id.as_str())});
                        if let Some(t) = s.meta.updated_at {
                            m["last_modified"] = json!(super::render::rfc3339(&t));
                        }
                        m
                    } else {
                        w.service(s, full)
                    }
                })
                .collect();
            envelope(&p, items)
        },
    )
}

/// `GET /hsds/services/{id}`: the fully nested service.
pub async fn service(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    known(&p, &ONE_PARAMS)?;
    let lang = lang::negotiate(p.get("lang").map(String::as_str), &headers);
    answer(
        &state,
        &viewer,
        &headers,
        &format!("service/{id}"),
        &lang,
        |catalog| {
            let v = Visible::of(catalog, &filter_of(&viewer));
            let s = v
                .services
                .iter()
                .find(|s| s.id.as_str() == id || id_of("service", s.id.as_str()) == id)
                .ok_or_else(|| Error::NotFound(format!("no service {id:?}")))?;
            Ok(writer(&v, &lang, &state).service(s, true))
        },
    )
}

/// `GET /hsds/organizations`.
pub async fn organizations(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response> {
    known(&p, &ORGANIZATION_PARAMS)?;
    let search = p
        .get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let (full, full_service) = (flag(&p, "full")?, flag(&p, "full_service")?);
    let lang = lang::negotiate(p.get("lang").map(String::as_str), &headers);
    answer(
        &state,
        &viewer,
        &headers,
        &uri.to_string(),
        &lang,
        |catalog| {
            let v = Visible::of(catalog, &filter_of(&viewer));
            let w = writer(&v, &lang, &state);
            let items = v
                .organizations
                .iter()
                .filter(|o| matches_search(&search, &[&o.description], &[&o.name]))
                .map(|o| w.organization(o, full, full_service))
                .collect();
            envelope(&p, items)
        },
    )
}

/// `GET /hsds/organizations/{id}`: the organisation with its services and sportelli.
pub async fn organization(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    known(&p, &ONE_PARAMS)?;
    let lang = lang::negotiate(p.get("lang").map(String::as_str), &headers);
    answer(
        &state,
        &viewer,
        &headers,
        &format!("organization/{id}"),
        &lang,
        |catalog| {
            let v = Visible::of(catalog, &filter_of(&viewer));
            let o = v
                .organizations
                .iter()
                .find(|o| o.id.as_str() == id || id_of("organization", o.id.as_str()) == id)
                .ok_or_else(|| Error::NotFound(format!("no organization {id:?}")))?;
            Ok(writer(&v, &lang, &state).organization(o, true, false))
        },
    )
}

/// Where distances are measured from: `near=LON,LAT`, else, with `proximity`, the centroid
/// of the sportelli (that the viewer sees) with `postcode`.
fn centre(p: &Params, v: &Visible<'_>) -> Result<Option<LonLat>> {
    if let Some(n) = params::near(p)? {
        return Ok(Some(n));
    }
    let Some(pc) = p.get("postcode").filter(|_| p.contains_key("proximity")) else {
        return Ok(None);
    };
    let points: Vec<LonLat> = v
        .sportelli
        .iter()
        .filter(|s| s.location.address.postcode == *pc)
        .map(|s| s.location.point)
        .collect();
    if points.is_empty() {
        return Ok(None);
    }
    let n = points.len() as f64;
    let lon = points.iter().map(LonLat::lon).sum::<f64>() / n;
    let lat = points.iter().map(LonLat::lat).sum::<f64>() / n;
    LonLat::new(lon, lat)
        .map(Some)
        .map_err(|e| Error::Internal(anyhow::anyhow!("postcode centroid: {e}")))
}

fn proximity(p: &Params) -> Result<Option<f64>> {
    p.get("proximity")
        .map(|t| match t.parse::<f64>() {
            Ok(r) if r.is_finite() && r > 0.0 && r <= params::MAX_RADIUS_M => Ok(r),
            _ => Err(Error::bad(
                "proximity",
                format!(
                    "{t:?} is not a number of metres in (0, {}]",
                    params::MAX_RADIUS_M
                ),
            )),
        })
        .transpose()
}

/// `GET /hsds/service_at_locations`: nearest first when a point is given (`near`, or the
/// centroid of `postcode`), within `proximity` metres if given.
pub async fn service_at_locations(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response> {
    known(&p, &SAL_PARAMS)?;
    let c = Criteria::parse(&p)?;
    let full = flag(&p, "full")?;
    let within = proximity(&p)?;
    if within.is_some() && !p.contains_key("near") && !p.contains_key("postcode") {
        return Err(Error::bad(
            "proximity",
            "proximity needs postcode (or near=LON,LAT) to measure from",
        ));
    }
    let lang = lang::negotiate(p.get("lang").map(String::as_str), &headers);
    answer(
        &state,
        &viewer,
        &headers,
        &uri.to_string(),
        &lang,
        |catalog| {
            let v = Visible::of(catalog, &filter_of(&viewer));
            let from = centre(&p, &v)?;
            // A postcode alone filters; with proximity it is where distances start.
            let postcode = p.get("postcode").filter(|_| within.is_none());
            let mut hits: Vec<(&Sportello, &Offer, Option<f64>)> = v
                .offers
                .iter()
                .filter(|(s, o)| {
                    v.service(&o.service.id)
                        .is_some_and(|svc| c.service_ok(svc, false))
                        && (from.is_some()
                            || postcode.is_none_or(|pc| s.location.address.postcode == *pc))
                        && matches_search(
                            &c.search,
                            &[&o.service.name, &o.service.description, &s.location.name],
                            &[],
                        )
                })
                .map(|(s, o)| (*s, *o, from.map(|f| haversine_m(f, s.location.point))))
                .filter(|(_, _, d)| within.is_none_or(|r| d.is_some_and(|d| d <= r)))
                .collect();
            if from.is_some() {
                hits.sort_by(|a, b| {
                    a.2.partial_cmp(&b.2)
                        .unwrap_or(std::cmp::Ordering::Equal)
                        .then_with(|| a.1.sal.id.cmp(&b.1.sal.id))
                });
            }
            let w = writer(&v, &lang, &state);
            let items = hits
                .into_iter()
                .map(|(s, o, d)| {
                    let mut x = w.service_at_location(s, o, full);
                    if let Some(d) = d {
                        x["distance"] = json!((d * 10.0).round() / 10.0);
                    }
                    x
                })
                .collect();
            envelope(&p, items)
        },
    )
}

/// `GET /hsds/service_at_locations/{id}`: with its sportello.
pub async fn service_at_location(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    known(&p, &ONE_PARAMS)?;
    let lang = lang::negotiate(p.get("lang").map(String::as_str), &headers);
    answer(
        &state,
        &viewer,
        &headers,
        &format!("sal/{id}"),
        &lang,
        |catalog| {
            let v = Visible::of(catalog, &filter_of(&viewer));
            let (s, o) = v
                .offers
                .iter()
                .find(|(_, o)| {
                    o.sal.id.as_str() == id || id_of("service_at_location", o.sal.id.as_str()) == id
                })
                .ok_or_else(|| Error::NotFound(format!("no service_at_location {id:?}")))?;
            Ok(writer(&v, &lang, &state).service_at_location(s, o, true))
        },
    )
}
