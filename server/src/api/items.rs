//! `/api/collections/{collectionId}/items[/{featureId}]`, written once over every
//! [`Collection`]: the request parsed for its viewer, paging, the page chosen (under the
//! heavy gate when it costs more than a page) and written whole or streamed.

use super::collection::{self, query, Collection, Item, Matches, Query};
use super::error::{Error, Result};
use super::http::{self, GEOJSON};
use super::params::{self, QueryParams};
use super::work::{self, Deadline, Ticker};
use super::{lang, AppState};
use crate::access::Viewer;
use crate::index::Catalog;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;

#[derive(Serialize)]
struct Link {
    href: String,
    rel: &'static str,
    #[serde(rename = "type")]
    media: &'static str,
    title: &'static str,
}

fn page_links(base: &str, uri: &Uri, q: &Query, returned: usize, more: bool) -> Vec<Link> {
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

/// The features of one page, and what the collection document says about the rest.
struct Page {
    items: Vec<Item>,
    matched: Option<usize>,
    more: bool,
}

impl Page {
    /// The page `q` asks for out of the matches: the one place paging is done.
    fn of(m: Matches, q: &Query) -> Self {
        let total = m.items.len();
        // A fresh vector: collecting in place would keep every match's memory for as long
        // as the page is being streamed.
        let mut items = Vec::with_capacity(q.limit.min(total.saturating_sub(q.offset)));
        items.extend(m.items.into_iter().skip(q.offset).take(q.limit));
        Page {
            more: q.offset + items.len() < total,
            matched: m.complete.then_some(total),
            items,
        }
    }
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
        time_stamp: super::render::rfc3339(&now),
        links,
        features: [],
    })
    .unwrap_or_default();
    // The body ends with `"features":[]}`: keep the opening bracket only.
    debug_assert!(out.ends_with(b"[]}"));
    out.truncate(out.len() - 2);
    out
}

/// The page as a body: written whole when small, streamed a chunk at a time when large.
fn page_body(
    collection: &'static dyn Collection,
    catalog: Arc<Catalog>,
    q: Arc<Query>,
    page: Page,
    links: &[Link],
) -> Body {
    let head = collection_head(page.items.len(), page.matched, links, q.now);
    let mut first = true;
    let mut write = move |item: &Item, out: &mut Vec<u8>| {
        if !first {
            out.push(b',');
        }
        first = false;
        collection.write(&catalog, &q, item, out);
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
fn is_heavy(q: &Query, c: &dyn Collection) -> bool {
    q.cql.is_some()
        || q.offset + q.limit > 2 * WHOLE_PAGE
        || c.always_heavy()
        || (q.near.is_some() && (q.datetime.is_some() || q.bbox.is_some()))
}

/// Chooses the page `q` asks for, checking `ticker` as it goes.
fn select(c: &Catalog, q: &Query, col: &dyn Collection, ticker: &mut Ticker) -> Result<Page> {
    let page = Page::of(col.features(c, q, ticker), q);
    ticker.finish()?;
    Ok(page)
}

/// How long an answer of `c` may be kept, seconds.
fn max_age(c: &dyn Collection) -> u32 {
    if c.time_dependent() {
        60
    } else {
        300
    }
}

/// The minute an answer of `c` depends on, if it depends on the clock.
fn minute(c: &dyn Collection, now: DateTime<Utc>) -> Option<i64> {
    c.time_dependent().then(|| now.timestamp() / 60)
}

/// The items of a collection.
pub async fn items(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(collection): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response> {
    let col = collection::find(&collection)?;
    let now = Utc::now();
    let q = Query::parse(&p, &headers, col, state.directory.taxonomy(), viewer, now)?;
    let catalog = state.directory.catalog();
    let tag = http::etag((
        &q.scope,
        catalog.revision,
        uri.to_string(),
        &q.lang,
        minute(col, now),
    ));
    let lang = q.lang.clone();
    let viewer = q.filter.viewer.clone();
    if let Some(r) = http::not_modified_response(&headers, &tag, max_age(col), Some(&lang), &viewer)
    {
        return Ok(r);
    }
    let q = Arc::new(q);
    let page = if is_heavy(&q, col) {
        let (c, q) = (catalog.clone(), q.clone());
        state
            .heavy
            .run(move |deadline| select(&c, &q, col, &mut deadline.ticker()))
            .await?
    } else {
        select(&catalog, &q, col, &mut Deadline::none().ticker())?
    };
    let base = super::base_url(&state, &headers);
    let links = page_links(&base, &uri, &q, page.items.len(), page.more);
    let body = page_body(col, catalog, q, page, &links);
    Ok(http::with_body(
        &tag,
        GEOJSON,
        max_age(col),
        Some(&lang),
        &viewer,
        body,
    ))
}

/// One feature by id. A feature the viewer may not see is answered exactly as one that
/// never existed.
pub async fn item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((collection, fid)): Path<(String, String)>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let col = collection::find(&collection)?;
    query::only(&p, query::ONE)?;
    params::format(&p, &["json", "geojson"])?;
    let now = Utc::now();
    let lang = lang::negotiate(p.get("lang").map(String::as_str), &headers);
    let catalog = state.directory.catalog();
    let q = Query::plain(viewer, lang, now);
    let body = col
        .feature(&catalog, &q, &fid)
        .ok_or_else(|| Error::NotFound(format!("no feature {fid:?} in collection {collection}")))?;
    let tag = http::etag((
        &q.scope,
        catalog.revision,
        &collection,
        &fid,
        &q.lang,
        minute(col, now),
    ));
    Ok(http::respond(
        &headers,
        &tag,
        GEOJSON,
        max_age(col),
        Some(&q.lang),
        &q.filter.viewer,
        || body,
    ))
}
