//! The OpenAPI entries of the HSDS 3.0 read API (`api/hsds.rs`), merged into the document
//! by `openapi.rs`. The bodies are the HSDS 3.0 objects, described by the HSDS schemas
//! linked from each response's description.

#![allow(dead_code)] // the items below exist to be described, not called

use utoipa::{IntoParams, OpenApi, ToSchema};

/// The HSDS paginated envelope.
#[derive(ToSchema)]
struct HsdsPage {
    total_items: u64,
    total_pages: u64,
    page_number: u64,
    /// Items in this page.
    size: u64,
    first_page: bool,
    last_page: bool,
    empty: bool,
    /// HSDS objects (see the operation's description for which).
    #[schema(value_type = Vec<Object>)]
    contents: Vec<serde_json::Value>,
}

/// An RFC 9457 problem.
#[derive(ToSchema)]
struct HsdsProblem {
    r#type: String,
    title: String,
    status: u16,
    detail: String,
    /// The query parameter at fault, for 400s.
    parameter: Option<String>,
}

/// Paging and format, on every list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct Paging {
    /// Page number, from 1.
    #[param(minimum = 1)]
    page: Option<u64>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 1000)]
    per_page: Option<u32>,
    /// Only `json`.
    #[param(pattern = "^json$")]
    format: Option<String>,
    /// The language of the text (Bussola extension; default from Accept-Language, else Italian).
    lang: Option<String>,
}

/// Criteria on services.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct ServiceFilter {
    /// Words in the name or description.
    search: Option<String>,
    /// A taxonomy term's id (UUID) or code (a Bussola category or audience id).
    taxonomy_term_id: Option<String>,
    /// A taxonomy's id (UUID) or name (`bussola-categories`, `bussola-audiences`).
    taxonomy_id: Option<String>,
    /// The organisation's id (UUID or Bussola id).
    organization_id: Option<String>,
    /// Changed on or after this instant (RFC 3339) or date.
    modified_after: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct ServiceListParams {
    /// Only `id` and `last_modified`.
    minimal: Option<bool>,
    /// Fully nested services.
    full: Option<bool>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct OrganizationListParams {
    /// Words in the name or description.
    search: Option<String>,
    /// With the organisation's sportelli and services.
    full: Option<bool>,
    /// With the organisation's sportelli and fully nested services.
    full_service: Option<bool>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct SalListParams {
    /// With the location nested.
    full: Option<bool>,
    /// Only at sportelli with this postcode; with `proximity`, within that distance of the
    /// centroid of its sportelli, nearest first.
    postcode: Option<String>,
    /// Metres from `postcode`'s centroid (or from `near`).
    #[param(minimum = 0, maximum = 1000000)]
    proximity: Option<f64>,
    /// `LON,LAT`: nearest first from this point, each with its `distance` in metres
    /// (Bussola extension).
    near: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
struct HsdsId {
    /// The HSDS id (a UUID) or the Bussola id.
    id: String,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct OneParams {
    /// Only `json`.
    #[param(pattern = "^json$")]
    format: Option<String>,
    /// The language of the text.
    lang: Option<String>,
}

#[utoipa::path(get, path = "/hsds/services", tag = "HSDS", params(Paging, ServiceFilter, ServiceListParams),
    responses((status = 200, description = "A page of HSDS 3.0 services (schema/service.json) the viewer may see", body = HsdsPage),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = HsdsProblem, content_type = "application/problem+json")))]
fn services() {}

#[utoipa::path(get, path = "/hsds/services/{id}", tag = "HSDS", params(HsdsId, OneParams),
    responses((status = 200, description = "A fully nested HSDS 3.0 service (schema/service.json)", body = Object),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = HsdsProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such service for this viewer", body = HsdsProblem, content_type = "application/problem+json")))]
fn service() {}

#[utoipa::path(get, path = "/hsds/organizations", tag = "HSDS", params(Paging, OrganizationListParams),
    responses((status = 200, description = "A page of HSDS 3.0 organizations (schema/organization.json) the viewer may see", body = HsdsPage),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = HsdsProblem, content_type = "application/problem+json")))]
fn organizations() {}

#[utoipa::path(get, path = "/hsds/organizations/{id}", tag = "HSDS", params(HsdsId, OneParams),
    responses((status = 200, description = "An HSDS 3.0 organization with its locations and services", body = Object),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = HsdsProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such organization for this viewer", body = HsdsProblem, content_type = "application/problem+json")))]
fn organization() {}

#[utoipa::path(get, path = "/hsds/service_at_locations", tag = "HSDS", params(Paging, ServiceFilter, SalListParams),
    responses((status = 200, description = "A page of HSDS 3.0 service_at_locations (schema/service_at_location.json) with their schedules", body = HsdsPage),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = HsdsProblem, content_type = "application/problem+json")))]
fn service_at_locations() {}

#[utoipa::path(get, path = "/hsds/service_at_locations/{id}", tag = "HSDS", params(HsdsId, OneParams),
    responses((status = 200, description = "An HSDS 3.0 service_at_location with its location and schedules", body = Object),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = HsdsProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such service_at_location for this viewer", body = HsdsProblem, content_type = "application/problem+json")))]
fn service_at_location() {}

#[derive(OpenApi)]
#[openapi(
    paths(
        services,
        service,
        organizations,
        organization,
        service_at_locations,
        service_at_location
    ),
    components(schemas(HsdsPage, HsdsProblem))
)]
pub struct HsdsDoc;
