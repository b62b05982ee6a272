//! `/api/collections/{collectionId}/items[/{featureId}]` for every collection: paging, bbox,
//! proximity, datetime, simple filters and CQL2, as GeoJSON FeatureCollections.

use super::collections::{self, CollectionId};
use super::error::{Error, Result};
use super::http::{self, GEOJSON};
use super::params::{self, Params, QueryParams};
use super::work::{self, Deadline, Ticker};
use super::{cql, lang, render, AppState};
use crate::index::{Catalog, Filter, Offer, Sportello};
use crate::model::{Comune, Project};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;

/// Query parameters items requests accept; anything else is a 400 (OGC API - Features
/// requirement /req/core/query-param-unknown).
const KNOWN: &[&str] = &[
    "f",
    "lang",
    "limit",
    "offset",
    "bbox",
    "datetime",
    "near",
    "radius",
    "category",
    "language",
    "audience",
    "free",
    "appointment",
    "open_now",
    "open_at",
    "comune",
    "filter",
    "filter-lang",
    "filter-crs",
];

/// Everything an items request asks, parsed and checked.
struct ItemsQuery {
    limit: usize,
    offset: usize,
    bbox: Option<crate::model::Bbox>,
    near: Option<crate::model::LonLat>,
    radius: Option<f64>,
    datetime: Option<params::Interval>,
    filter: Filter,
    cql: Option<bussola_cql2::Expr>,
    lang: String,
}

fn parse(
    p: &Params,
    headers: &HeaderMap,
    id: CollectionId,
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<ItemsQuery> {
    if let Some(unknown) = p.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(Error::bad(
            unknown,
            format!("unknown parameter {unknown:?}"),
        ));
    }
    params::format(p, &["json", "geojson"])?;
    let filter_lang = cql::filter_lang(p.get("filter-lang").map(String::as_str))?;
    if let Some(crs) = p.get("filter-crs") {
        if crs != "http://www.opengis.net/def/crs/OGC/1.3/CRS84" {
            return Err(Error::bad("filter-crs", "only CRS84 is supported"));
        }
    }
    let queryables = collections::queryables(id);
    let point_collection = matches!(id, CollectionId::Sportelli | CollectionId::Services);
    let near = params::near(p)?;
    if near.is_some() && !point_collection {
        return Err(Error::bad(
            "near",
            "proximity search is available on sportelli and services",
        ));
    }
    let radius = params::radius(p)?;
    if radius.is_some() && near.is_none() {
        return Err(Error::bad("radius", "radius needs near=LON,LAT"));
    }
    let filter = params::filter(p, state.directory.taxonomy(), now)?;
    if !point_collection && (filter.has_service_criteria() || filter.comune.is_some()) {
        return Err(Error::bad(
            "category",
            "service filters apply to sportelli and services; use filter= (CQL2) here",
        ));
    }
    Ok(ItemsQuery {
        limit: params::limit(p)?,
        offset: params::offset(p)?,
        bbox: params::bbox(p)?,
        near,
        radius,
        datetime: params::datetime(p)?,
        filter,
        cql: p
            .get("filter")
            .map(|t| cql::parse(t, filter_lang, queryables))
            .transpose()?,
        lang: lang::negotiate(p.get("lang").map(String::as_str), headers),
    })
}

impl ItemsQuery {
    fn updated_ok(&self, t: Option<DateTime<Utc>>) -> bool {
        match (&self.datetime, t) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((from, to)), Some(t)) => from.is_none_or(|f| t >= f) && to.is_none_or(|e| t <= e),
        }
    }
    fn cql_ok(&self, f: &impl bussola_cql2::Feature) -> bool {
        self.cql
            .as_ref()
            .is_none_or(|e| bussola_cql2::evaluate(e, f))
    }
}

#[derive(Serialize)]
struct Link {
    href: String,
    rel: &'static str,
    #[serde(rename = "type")]
    media: &'static str,
    title: &'static str,
}

fn page_links(base: &str, uri: &Uri, q: &ItemsQuery, returned: usize, more: bool) -> Vec<Link> {
    let path = uri.path();
    let others: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .filter(|(k, _)| k != "offset")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let with_offset = |offset: usize| {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &others {
            s.append_pair(k, v);
        }
        if offset > 0 {
            s.append_pair("offset", &offset.to_string());
        }
        let qs = s.finish();
        if qs.is_empty() {
            format!("{base}{path}")
        } else {
            format!("{base}{path}?{qs}")
        }
    };
    let mut links = vec![Link {
        href: with_offset(q.offset),
        rel: "self",
        media: GEOJSON,
        title: "this page",
    }];
    if more {
        links.push(Link {
            href: with_offset(q.offset + returned.max(1)),
            rel: "next",
            media: GEOJSON,
            title: "next page",
        });
    }
    if q.offset > 0 {
        links.push(Link {
            href: with_offset(q.offset.saturating_sub(q.limit)),
            rel: "prev",
            media: GEOJSON,
            title: "previous page",
        });
    }
    links
}

/// Pages up to this many features are written whole; larger ones are streamed.
const WHOLE_PAGE: usize = 100;

/// One feature of a page, by its place in the catalog, so it can be written later.
enum Item {
    Sportello(usize, Option<f64>),
    Service(usize, usize, Option<f64>),
    Project(Arc<Project>),
    Comune(Arc<Comune>),
}

/// The features of one page, and what the collection document says about the rest.
struct Page {
    items: Vec<Item>,
    matched: Option<usize>,
    more: bool,
}

/// `{"type":"FeatureCollection", …, "features":[` — the collection document up to its
/// features, which are written after it (the `features` member is the last one).
fn collection_head(
    returned: usize,
    matched: Option<usize>,
    links: &[Link],
    now: DateTime<Utc>,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct Fc<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(rename = "numberMatched", skip_serializing_if = "Option::is_none")]
        matched: Option<usize>,
        #[serde(rename = "numberReturned")]
        returned: usize,
        #[serde(rename = "timeStamp")]
        time_stamp: String,
        links: &'a [Link],
        features: [(); 0],
    }
    let mut out = serde_json::to_vec(&Fc {
        kind: "FeatureCollection",
        matched,
        returned,
        time_stamp: render::rfc3339(&now),
        links,
        features: [],
    })
    .unwrap_or_default();
    // The body ends with `"features":[]}`: keep the opening bracket only.
    debug_assert!(out.ends_with(b"[]}"));
    out.truncate(out.len() - 2);
    out
}

/// Writes one feature of a page.
fn write_item(c: &Catalog, q: &ItemsQuery, now: DateTime<Utc>, item: &Item, out: &mut Vec<u8>) {
    match item {
        Item::Sportello(i, d) => {
            let s = &c.sportelli()[*i];
            // Only the offers the query's scope may see (a draft service is never public),
            // and of those the ones its service criteria select.
            render::write_sportello(out, s, c, &q.lang, now, *d, |o| q.filter.offer_matches(o));
        }
        Item::Service(i, j, d) => {
            let s = &c.sportelli()[*i];
            let _ = serde_json::to_writer(
                &mut *out,
                &render::service(s, &s.offers[*j], &q.lang, now, *d),
            );
        }
        Item::Project(p) => {
            let _ = serde_json::to_writer(
                &mut *out,
                &render::project(p, c, c.project_areas().get(&p.id), &q.lang),
            );
        }
        Item::Comune(k) => {
            let n = c
                .sportelli_per_comune()
                .get(k.istat.as_str())
                .copied()
                .unwrap_or(0);
            let _ = serde_json::to_writer(&mut *out, &render::comune(k, n));
        }
    }
}

/// The page as a body: written whole when small, streamed a chunk at a time when large.
fn page_body(
    catalog: Arc<Catalog>,
    q: Arc<ItemsQuery>,
    page: Page,
    links: &[Link],
    now: DateTime<Utc>,
) -> Body {
    let head = collection_head(page.items.len(), page.matched, links, now);
    let mut first = true;
    let mut write = move |item: &Item, out: &mut Vec<u8>| {
        if !first {
            out.push(b',');
        }
        first = false;
        write_item(&catalog, &q, now, item, out);
    };
    if page.items.len() <= WHOLE_PAGE {
        let mut out = head;
        for item in &page.items {
            write(item, &mut out);
        }
        out.extend_from_slice(b"]}");
        Body::from(out)
    } else {
        work::stream(head, page.items, b"]}", write)
    }
}

/// True when answering costs more than the page: such requests run under the heavy gate.
fn is_heavy(q: &ItemsQuery, id: CollectionId) -> bool {
    q.cql.is_some()
        || q.offset + q.limit > 2 * WHOLE_PAGE
        || matches!(id, CollectionId::Services)
        || (q.near.is_some() && (q.datetime.is_some() || q.bbox.is_some()))
}

/// Sportelli candidates in order (nearest first with `near`, else by id), with distances.
fn sportelli<'c>(
    c: &'c Catalog,
    q: &ItemsQuery,
    want: Option<usize>,
    ticker: &mut Ticker,
) -> Vec<(&'c Sportello, Option<f64>)> {
    let mut keep = |s: &Sportello| {
        ticker.tick()
            && q.updated_ok(s.location.meta.updated_at)
            && q.bbox.is_none_or(|b| b.contains(s.location.point))
            && q.cql.as_ref().is_none_or(|_| {
                let offers: Vec<&Offer> = s
                    .offers
                    .iter()
                    .filter(|o| !q.filter.has_service_criteria() || q.filter.offer_matches(o))
                    .collect();
                q.cql_ok(&cql::SportelloView {
                    sportello: s,
                    offers,
                })
            })
    };
    match q.near {
        Some(p) => {
            let n = want.unwrap_or(usize::MAX).min(c.sportelli().len());
            // The index applies the simple filters inside the search; the rest filters after it.
            let post = q.datetime.is_some() || q.bbox.is_some() || q.cql.is_some();
            let hits = if post {
                let all = c.nearest(p, &q.filter, c.sportelli().len(), q.radius);
                all.into_iter().filter(|(s, _)| keep(s)).take(n).collect()
            } else {
                c.nearest(p, &q.filter, n, q.radius)
            };
            hits.into_iter().map(|(s, d)| (s, Some(d))).collect()
        }
        None => {
            let base: Vec<&Sportello> = match &q.bbox {
                Some(b) => c.within(b, &q.filter),
                None => c
                    .sportelli()
                    .iter()
                    .filter(|s| q.filter.matches(s))
                    .collect(),
            };
            base.into_iter()
                .filter(|s| keep(s))
                .map(|s| (s, None))
                .collect()
        }
    }
}

fn offer_ok(q: &ItemsQuery, s: &Sportello, o: &Offer) -> bool {
    q.filter.offer_matches(o)
        && q.updated_ok(o.service.meta.updated_at.max(o.sal.meta.updated_at))
        && q.cql_ok(&cql::ServiceView {
            sportello: s,
            offer: o,
        })
}

/// Chooses the features of the page `q` asks for, checking `ticker` as it goes.
fn select(c: &Catalog, q: &ItemsQuery, id: CollectionId, ticker: &mut Ticker) -> Result<Page> {
    let page = match id {
        CollectionId::Sportelli => {
            let want = q.offset + q.limit;
            let all = sportelli(c, q, q.near.map(|_| want + 1), ticker);
            Page {
                matched: q.near.is_none().then_some(all.len()),
                more: all.len() > want,
                items: all
                    .into_iter()
                    .skip(q.offset)
                    .take(q.limit)
                    .filter_map(|(s, d)| c.index_of(s).map(|i| Item::Sportello(i, d)))
                    .collect(),
            }
        }
        CollectionId::Services => {
            let mut all = Vec::new();
            for (s, d) in sportelli(c, q, None, ticker) {
                let Some(i) = c.index_of(s) else { continue };
                for (j, o) in s.offers.iter().enumerate() {
                    if ticker.tick() && offer_ok(q, s, o) {
                        all.push(Item::Service(i, j, d));
                    }
                }
            }
            paged(all, q)
        }
        CollectionId::Projects => {
            let areas = c.project_areas();
            let all = c
                .projects
                .values()
                .filter(|p| {
                    ticker.tick()
                        && p.meta.is_public()
                        && q.updated_ok(p.meta.updated_at)
                        && q.cql_ok(&cql::ProjectView(p))
                        && q.bbox.is_none_or(|b| {
                            areas
                                .get(&p.id)
                                .is_some_and(|a| collections::intersects_bbox(a, &b))
                        })
                })
                .map(|p| Item::Project(p.clone()))
                .collect();
            paged(all, q)
        }
        CollectionId::Comuni => {
            let all = c
                .comuni
                .values()
                .filter(|k| {
                    ticker.tick()
                        && q.datetime.is_none()
                        && q.cql_ok(&cql::ComuneView(k))
                        && q.bbox
                            .is_none_or(|b| collections::intersects_bbox(&k.boundary, &b))
                })
                .map(|k| Item::Comune(k.clone()))
                .collect();
            paged(all, q)
        }
    };
    ticker.finish()?;
    Ok(page)
}

/// The page `q` asks for out of every match.
fn paged(all: Vec<Item>, q: &ItemsQuery) -> Page {
    let matched = all.len();
    let items: Vec<Item> = all.into_iter().skip(q.offset).take(q.limit).collect();
    Page {
        more: q.offset + items.len() < matched,
        matched: Some(matched),
        items,
    }
}

/// The items of a collection.
pub async fn items(
    State(state): State<AppState>,
    Path(collection): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response> {
    let id = CollectionId::parse(&collection)?;
    let now = Utc::now();
    let q = parse(&p, &headers, id, &state, now)?;
    let catalog = state.directory.catalog();
    let time_dependent = matches!(id, CollectionId::Sportelli | CollectionId::Services);
    let tag = http::etag((
        catalog.revision,
        uri.to_string(),
        &q.lang,
        time_dependent.then(|| now.timestamp() / 60),
    ));
    let max_age = if time_dependent { 60 } else { 300 };
    let lang = q.lang.clone();
    if let Some(r) = http::not_modified_response(&headers, &tag, max_age, Some(&lang)) {
        return Ok(r);
    }
    let q = Arc::new(q);
    let page = if is_heavy(&q, id) {
        let (c, q) = (catalog.clone(), q.clone());
        state
            .heavy
            .run(move |deadline| select(&c, &q, id, &mut deadline.ticker()))
            .await?
    } else {
        select(&catalog, &q, id, &mut Deadline::none().ticker())?
    };
    let base = super::base_url(&state, &headers);
    let links = page_links(&base, &uri, &q, page.items.len(), page.more);
    let body = page_body(catalog, q, page, &links, now);
    Ok(http::with_body(&tag, GEOJSON, max_age, Some(&lang), body))
}

/// One feature by id.
pub async fn item(
    State(state): State<AppState>,
    Path((collection, fid)): Path<(String, String)>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let id = CollectionId::parse(&collection)?;
    if let Some(unknown) = p.keys().find(|k| !["f", "lang"].contains(&k.as_str())) {
        return Err(Error::bad(
            unknown,
            format!("unknown parameter {unknown:?}"),
        ));
    }
    params::format(&p, &["json", "geojson"])?;
    let now = Utc::now();
    let lang = lang::negotiate(p.get("lang").map(String::as_str), &headers);
    let catalog = state.directory.catalog();
    let public = Filter::default();
    let missing = || Error::NotFound(format!("no feature {fid:?} in collection {collection}"));
    let time_dependent = matches!(id, CollectionId::Sportelli | CollectionId::Services);
    let body: Vec<u8> = match id {
        CollectionId::Sportelli => {
            let s = catalog
                .sportello(&fid)
                .filter(|s| public.matches(s))
                .ok_or_else(missing)?;
            let mut out = Vec::with_capacity(4096);
            render::write_sportello(&mut out, s, &catalog, &lang, now, None, |o| {
                public.offer_matches(o)
            });
            Ok(out)
        }
        CollectionId::Services => {
            let (loc, _) = fid.split_once('~').ok_or_else(missing)?;
            let s = catalog
                .sportello(loc)
                .filter(|s| public.matches(s))
                .ok_or_else(missing)?;
            let o = s
                .offers
                .iter()
                .find(|o| o.sal.id.as_str() == fid && public.offer_matches(o))
                .ok_or_else(missing)?;
            serde_json::to_vec(&render::service(s, o, &lang, now, None))
        }
        CollectionId::Projects => {
            let p = catalog
                .projects
                .get(fid.as_str())
                .filter(|p| p.meta.is_public())
                .ok_or_else(missing)?;
            serde_json::to_vec(&render::project(
                p,
                &catalog,
                catalog.project_areas().get(&p.id),
                &lang,
            ))
        }
        CollectionId::Comuni => {
            let c = catalog.comuni.get(fid.as_str()).ok_or_else(missing)?;
            let n = catalog
                .sportelli_per_comune()
                .get(c.istat.as_str())
                .copied()
                .unwrap_or(0);
            serde_json::to_vec(&render::comune(c, n))
        }
    }
    .map_err(|e| Error::Internal(e.into()))?;
    let tag = http::etag((
        catalog.revision,
        &collection,
        &fid,
        &lang,
        time_dependent.then(|| now.timestamp() / 60),
    ));
    Ok(http::respond(
        &headers,
        &tag,
        GEOJSON,
        if time_dependent { 60 } else { 300 },
        Some(&lang),
        || body,
    ))
}
