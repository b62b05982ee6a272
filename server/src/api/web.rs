//! What the bussola web app needs besides the OGC API: its configuration, the taxonomy and the
//! offline bundle (every public sportello of the territory in one document).

use super::error::Result;
use super::http::{self, GEOJSON, JSON};
use super::params::QueryParams;
use super::AppState;
use crate::export;
use crate::index::Filter;
use crate::model::Dataset;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

/// The gazetteer shipped in the binary (comuni, frazioni, localities).
pub const GAZETTEER: &str = include_str!("../../../data/gazetteer.json");

/// `GET /api/config`.
pub async fn config(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let c = state.directory.catalog();
    let bbox = c.sportelli_extent();
    let territory = c
        .metadata
        .as_ref()
        .and_then(|m| m.0.get("territory").cloned());
    let body = json!({
        "basemap_style": state.basemap_style,
        "territory": {"name": territory, "bbox": bbox},
        "demo": c.metadata.as_ref().is_some_and(|m| m.is_demo()),
    });
    let tag = http::etag((c.revision, "config", &state.basemap_style));
    Ok(http::respond(&headers, &tag, JSON, 300, None, || {
        body.to_string().into_bytes()
    }))
}

/// `GET /api/taxonomy`.
pub async fn taxonomy(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let body = serde_json::to_vec(state.directory.taxonomy()).unwrap_or_default();
    Ok(http::respond(
        &headers,
        &http::etag(("taxonomy", body.len())),
        JSON,
        3600,
        None,
        || body,
    ))
}

/// `GET /api/bundle`: public sportelli with all their translations, organisations, the
/// taxonomy, the gazetteer and the comuni list, in the dataset format.
pub async fn bundle(
    State(state): State<AppState>,
    QueryParams(_p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let c = state.directory.catalog();
    let tag = http::etag((c.revision, "bundle"));
    let taxonomy = state.directory.taxonomy().clone();
    let body = move || {
        let public = Filter::default();
        let sportelli: Vec<_> = c.sportelli().iter().filter(|s| public.matches(s)).collect();
        let mut d = Dataset {
            metadata: c.metadata.clone(),
            ..Default::default()
        };
        let mut orgs = std::collections::BTreeSet::new();
        for s in &sportelli {
            d.locations.push((*s.location).clone());
            orgs.insert(s.location.organization_id.clone());
            for o in s.offers.iter().filter(|o| public.offer_matches(o)) {
                if !d.services.iter().any(|x| x.id == o.service.id) {
                    d.services.push((*o.service).clone());
                    orgs.insert(o.service.organization_id.clone());
                }
                d.service_at_locations.push((*o.sal).clone());
            }
        }
        d.organizations = orgs
            .iter()
            .filter_map(|id| c.organizations.get(id))
            .map(|o| (**o).clone())
            .collect();
        let mut v = export::dataset_geojson(&d);
        let gazetteer: serde_json::Value =
            serde_json::from_str(GAZETTEER).unwrap_or(json!({"places": []}));
        let comuni: Vec<_> = c
            .comuni
            .values()
            .map(|x| json!({"istat": x.istat, "name": x.name}))
            .collect();
        let extra = &mut v[crate::import::dataset::MEMBER];
        extra["taxonomy"] = serde_json::to_value(&taxonomy).unwrap_or_default();
        extra["gazetteer"] = gazetteer;
        extra["comuni"] = json!(comuni);
        extra["generated_at"] = json!(super::render::rfc3339(&chrono::Utc::now()));
        extra["revision"] = json!(c.revision);
        serde_json::to_vec(&v).unwrap_or_default()
    };
    Ok(http::respond(&headers, &tag, GEOJSON, 300, None, body))
}
