//! `GET /api/collections/sportelli/items`: sportelli near a point, in a box, or all, filtered.

use super::error::Result;
use super::params::{self, Params};
use super::{render, AppState};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use chrono::Utc;
use serde_json::json;

/// Sportelli as a GeoJSON FeatureCollection, nearest first when `near` is given.
pub async fn sportelli(
    State(state): State<AppState>,
    Query(p): Query<Params>,
) -> Result<impl IntoResponse> {
    let now = Utc::now();
    let catalog = state.directory.catalog();
    let filter = params::filter(&p, state.directory.taxonomy(), now)?;
    let limit = params::limit(&p)?;
    let offset = params::offset(&p)?;
    let radius = params::radius(&p)?;
    let near = params::near(&p)?;
    let bbox = params::bbox(&p)?;
    let lang = p.get("lang").map(String::as_str).unwrap_or("it");
    if let Some(point) = near {
        let (lon, lat) = point.rounded(2);
        tracing::debug!(lon, lat, "proximity query");
    }
    let offers =
        |o: &crate::index::Offer| !filter.has_service_criteria() || filter.offer_matches(o);
    let features: Vec<serde_json::Value> = match near {
        Some(point) => catalog
            .nearest(point, &filter, offset + limit, radius)
            .into_iter()
            .skip(offset)
            .filter(|(s, _)| bbox.is_none_or(|b| b.contains(s.location.point)))
            .map(|(s, d)| render::sportello(s, &catalog, lang, now, Some(d), offers))
            .collect(),
        None => {
            let all: Vec<_> = match &bbox {
                Some(b) => catalog.within(b, &filter),
                None => catalog
                    .sportelli()
                    .iter()
                    .filter(|s| filter.matches(s))
                    .collect(),
            };
            all.into_iter()
                .skip(offset)
                .take(limit)
                .map(|s| render::sportello(s, &catalog, lang, now, None, offers))
                .collect()
        }
    };
    let body = json!({
        "type": "FeatureCollection",
        "numberReturned": features.len(),
        "timeStamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "features": features,
    });
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        body.to_string(),
    ))
}
