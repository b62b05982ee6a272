//! `GET /api/stale`: the fields of the records the viewer may edit that are past their
//! freshness threshold or were never confirmed, oldest first ([`crate::freshness::stale`]).
//! For editors only: an anonymous visitor or a viewer gets 403.

use super::error::{Error, Result};
use super::http::{self, JSON};
use super::params::QueryParams;
use super::AppState;
use crate::access::Viewer;
use crate::freshness::{self, Scope};
use crate::model::Id;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

/// `GET /api/stale` (`?organization=`, `?comune=`).
pub async fn stale(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    if !freshness::is_editor(&viewer) {
        return Err(Error::Forbidden(
            "the stale list is for the people who edit the directory: sign in as an operator, a coordinator or an admin".into(),
        ));
    }
    if let Some(k) = p
        .keys()
        .find(|k| !matches!(k.as_str(), "organization" | "comune"))
    {
        return Err(Error::bad(k, "unknown parameter (organization, comune)"));
    }
    let organization = p
        .get("organization")
        .map(|o| Id::parse(o).map_err(|e| Error::bad("organization", e.to_string())))
        .transpose()?;
    let comune = p.get("comune").cloned();
    if let Some(c) = &comune {
        if c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::bad(
                "comune",
                format!("{c:?} is not a 6-digit ISTAT code"),
            ));
        }
    }
    let catalog = state.directory.catalog();
    let now = chrono::Utc::now();
    let scope = Scope {
        organization,
        comune,
    };
    let entries = freshness::stale(&catalog, &viewer, &state.freshness, &scope, now);
    let tag = http::etag_for(
        &viewer,
        (
            catalog.revision,
            crate::model::rome_date(now).to_string(),
            "stale",
            &scope.organization,
            &scope.comune,
        ),
    );
    Ok(http::respond(
        &headers,
        &tag,
        JSON,
        0,
        None,
        &viewer,
        || {
            json!({"entries": entries, "count": entries.len()})
                .to_string()
                .into_bytes()
        },
    ))
}

/// The OpenAPI entry of [`stale`].
#[utoipa::path(get, path = "/api/stale",
    params(("organization" = Option<String>, Query, description = "Only this organisation's records"),
           ("comune" = Option<String>, Query, description = "Only records in this comune (ISTAT code)")),
    responses((status = 200, description = "Tracked fields (hours, address, phone, languages, cost, appointment) of the records the viewer may edit that are past their threshold or were never confirmed, never-confirmed first, then oldest first: `{entries: [{kind, id, name, organization_id, comuni, field, verified, age_days, threshold_days}], count}`", body = Object),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Object, content_type = "application/problem+json"),
               (status = 403, description = "Not an editor (anonymous, or a viewer)", body = Object, content_type = "application/problem+json")))]
#[allow(dead_code)]
pub(super) fn stale_doc() {}
