//! `/api/collections`, `/api/collections/{id}` and `/api/collections/{id}/queryables`.

use super::error::{Error, Result};
use super::http::{self, JSON};
use super::params::{self, Params, QueryParams};
use super::{cql, AppState};
use crate::index::Catalog;
use crate::model::Bbox;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};

/// The collections Bussola serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CollectionId {
    Sportelli,
    Services,
    Projects,
    Comuni,
}

/// Every collection, in listing order.
pub const ALL: [CollectionId; 4] = [
    CollectionId::Sportelli,
    CollectionId::Services,
    CollectionId::Projects,
    CollectionId::Comuni,
];

impl CollectionId {
    /// The collection a path segment names, or a 404.
    pub fn parse(s: &str) -> Result<Self> {
        ALL.into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| Error::NotFound(format!("no collection {s:?}; see /api/collections")))
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            CollectionId::Sportelli => "sportelli",
            CollectionId::Services => "services",
            CollectionId::Projects => "projects",
            CollectionId::Comuni => "comuni",
        }
    }
    fn title(&self) -> &'static str {
        match self {
            CollectionId::Sportelli => {
                "Sportelli (service points) with the services offered at each"
            }
            CollectionId::Services => "Services, one feature per service at a sportello",
            CollectionId::Projects => "Projects (e.g. FAMI) with the area of the comuni they cover",
            CollectionId::Comuni => "Comuni with their boundaries",
        }
    }
}

/// The queryable properties of a collection (for `filter=`).
pub fn queryables(id: CollectionId) -> &'static [&'static str] {
    match id {
        CollectionId::Sportelli => cql::SPORTELLI,
        CollectionId::Services => cql::SERVICES,
        CollectionId::Projects => cql::PROJECTS,
        CollectionId::Comuni => cql::COMUNI,
    }
}

/// True when a multipolygon's bounding box meets `b` (coarse, enough for paging areas by bbox).
pub fn intersects_bbox(mp: &geo::MultiPolygon<f64>, b: &Bbox) -> bool {
    use geo::BoundingRect;
    mp.bounding_rect().is_some_and(|r| {
        let [x0, y0, x1, y1] = b.to_array();
        r.min().x <= x1 && r.max().x >= x0 && r.min().y <= y1 && r.max().y >= y0
    })
}

fn extent(id: CollectionId, c: &Catalog) -> Option<[f64; 4]> {
    let rects: Vec<geo::Rect<f64>> = match id {
        CollectionId::Sportelli | CollectionId::Services => {
            return c.sportelli_extent();
        }
        CollectionId::Comuni => c
            .comuni
            .values()
            .filter_map(|x| geo::BoundingRect::bounding_rect(&x.boundary))
            .collect(),
        CollectionId::Projects => c
            .project_areas()
            .values()
            .filter_map(geo::BoundingRect::bounding_rect)
            .collect(),
    };
    rects.into_iter().fold(None, |acc, r| {
        let [a, b, cc, d] = acc.unwrap_or([r.min().x, r.min().y, r.max().x, r.max().y]);
        Some([
            a.min(r.min().x),
            b.min(r.min().y),
            cc.max(r.max().x),
            d.max(r.max().y),
        ])
    })
}

/// The metadata of one collection, with links.
pub fn describe(id: CollectionId, c: &Catalog, base: &str) -> Value {
    let name = id.as_str();
    let geometry = match id {
        CollectionId::Sportelli | CollectionId::Services => "point",
        _ => "multipolygon",
    };
    let mut v = json!({
        "id": name,
        "title": id.title(),
        "itemType": "feature",
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "storageCrs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "geometryType": geometry,
        "links": [
            {"href": format!("{base}/api/collections/{name}"), "rel": "self", "type": JSON, "title": "this collection"},
            {"href": format!("{base}/api/collections/{name}/items"), "rel": "items", "type": http::GEOJSON, "title": "the features"},
            {"href": format!("{base}/api/collections/{name}/queryables"), "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables", "type": "application/schema+json", "title": "queryable properties"},
        ],
    });
    let updated: Option<chrono::DateTime<chrono::Utc>> = match id {
        CollectionId::Sportelli | CollectionId::Services => c
            .sportelli()
            .iter()
            .filter_map(|s| s.location.meta.updated_at)
            .max(),
        CollectionId::Projects => c.projects.values().filter_map(|p| p.meta.updated_at).max(),
        CollectionId::Comuni => None,
    };
    let mut ext = json!({});
    if let Some(b) = extent(id, c) {
        ext["spatial"] =
            json!({"bbox": [b], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"});
    }
    if let Some(t) = updated {
        ext["temporal"] = json!({"interval": [[null, super::render::rfc3339(&t)]], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"});
    }
    if ext.as_object().is_some_and(|m| !m.is_empty()) {
        v["extent"] = ext;
    }
    if id == CollectionId::Comuni {
        add_attribution(
            &mut v,
            crate::territory::attribution_in(c.metadata.as_ref()),
        );
    }
    v
}

/// The shipped territory's sources, when the comuni are the shipped ones: an `attribution`
/// text, a `license` (SPDX ids) and one `license` link per source (OGC API - Features links).
fn add_attribution(v: &mut Value, sources: Option<&Value>) {
    let Some(sources) = sources.and_then(Value::as_object) else {
        return;
    };
    let field = |k: &str| {
        sources
            .values()
            .filter_map(|s| s.get(k).and_then(Value::as_str))
            .collect::<Vec<_>>()
    };
    v["attribution"] = json!(field("attribution").join("; "));
    v["license"] = json!(field("license").join(" AND "));
    if let Some(links) = v["links"].as_array_mut() {
        for s in sources.values() {
            if let (Some(href), Some(title)) = (
                s.get("license_url").and_then(Value::as_str),
                s.get("attribution").and_then(Value::as_str),
            ) {
                links.push(
                    json!({"href": href, "rel": "license", "type": "text/html", "title": title}),
                );
            }
        }
    }
}

fn check(p: &Params) -> Result<()> {
    if let Some(unknown) = p.keys().find(|k| !["f", "lang"].contains(&k.as_str())) {
        return Err(Error::bad(
            unknown,
            format!("unknown parameter {unknown:?}"),
        ));
    }
    params::format(p, &["json"])
}

/// `GET /api/collections`.
pub async fn list(
    State(state): State<AppState>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    check(&p)?;
    let c = state.directory.catalog();
    let base = super::base_url(&state, &headers);
    let body = json!({
        "links": [{"href": format!("{base}/api/collections"), "rel": "self", "type": JSON, "title": "collections"}],
        "collections": ALL.iter().map(|id| describe(*id, &c, &base)).collect::<Vec<_>>(),
    });
    let tag = http::etag((c.revision, "collections", &base));
    Ok(http::respond(&headers, &tag, JSON, 300, None, || {
        body.to_string().into_bytes()
    }))
}

/// `GET /api/collections/{collectionId}`.
pub async fn one(
    State(state): State<AppState>,
    Path(collection): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let id = CollectionId::parse(&collection)?;
    check(&p)?;
    let c = state.directory.catalog();
    let base = super::base_url(&state, &headers);
    let body = describe(id, &c, &base);
    let tag = http::etag((c.revision, id.as_str(), &base));
    Ok(http::respond(&headers, &tag, JSON, 300, None, || {
        body.to_string().into_bytes()
    }))
}

fn schema_of(id: CollectionId, name: &str) -> Value {
    let string = json!({"type": "string"});
    let list = |title: &str| json!({"type": "array", "items": {"type": "string"}, "title": title});
    match (id, name) {
        (_, "geometry") => {
            json!({"format": if matches!(id, CollectionId::Sportelli | CollectionId::Services) { "geometry-point" } else { "geometry-multipolygon" }})
        }
        (_, "updated") => json!({"type": "string", "format": "date-time"}),
        (CollectionId::Sportelli, "category" | "language" | "audience" | "cost") => list(name),
        (CollectionId::Sportelli, "appointment_required") => {
            json!({"type": "array", "items": {"type": "boolean"}})
        }
        (CollectionId::Services, "category" | "language" | "audience") => list(name),
        (CollectionId::Services, "appointment_required") => json!({"type": "boolean"}),
        (CollectionId::Projects, "comune") => list("ISTAT codes of the comuni covered"),
        (CollectionId::Projects, "budget_eur") | (CollectionId::Comuni, "population") => {
            json!({"type": "number"})
        }
        (CollectionId::Projects, "start_date" | "end_date") => {
            json!({"type": "string", "format": "date"})
        }
        _ => string,
    }
}

/// `GET /api/collections/{collectionId}/queryables` (JSON Schema).
pub async fn queryables_doc(
    State(state): State<AppState>,
    Path(collection): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let id = CollectionId::parse(&collection)?;
    check(&p)?;
    let base = super::base_url(&state, &headers);
    let props: serde_json::Map<String, Value> = queryables(id)
        .iter()
        .map(|n| (n.to_string(), schema_of(id, n)))
        .collect();
    let body = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}/api/collections/{}/queryables", id.as_str()),
        "type": "object",
        "title": id.title(),
        "properties": props,
        "additionalProperties": false,
    });
    let tag = http::etag((
        state.directory.catalog().revision,
        "queryables",
        id.as_str(),
        &base,
    ));
    Ok(http::respond(
        &headers,
        &tag,
        "application/schema+json",
        300,
        None,
        || body.to_string().into_bytes(),
    ))
}
