//! The OpenAPI entries of uploads (`api::import`) and exports over HTTP (`api::export`),
//! `docs/imports.md`, merged into the document by `openapi::document`.

#![allow(dead_code)] // the items below exist to be described, not called

use utoipa::{OpenApi, ToSchema};

/// One problem of an uploaded file: its CSV line (`row`, the header is line 1) or its
/// GeoJSON feature (`feature`, from 0, with its id as `record`), the field (a CSV column or a
/// JSON Pointer) and why.
#[derive(ToSchema)]
struct RowProblem {
    row: Option<u64>,
    feature: Option<u64>,
    /// The feature's id (an HSDS dataset's records are read into features).
    record: Option<String>,
    #[schema(example = "comune_istat")]
    field: String,
    reason: String,
}

/// An incoming sportello within 25 m of an existing one with a similar name.
#[derive(ToSchema)]
struct Duplicate {
    sportello_id: String,
    name: String,
    existing_id: String,
    existing_name: String,
    distance_m: f64,
    /// Trigram similarity of the names, 0 to 1 (0.6 or more is reported).
    similarity: f64,
}

/// A record or a field an HSDS dataset's mapping left out, and why (not a problem: the
/// rest is imported without it).
#[derive(ToSchema)]
struct Dropped {
    /// `location 12 (…)`, `service 136 (…)`: the HSDS kind and id (or the Bussola id).
    record: String,
    /// The HSDS field at fault; empty for the whole record.
    field: String,
    reason: String,
    /// `record` (the whole record left out) or `field` (only the field).
    left_out: String,
}

/// Records created, changed, left as they are and archived.
#[derive(ToSchema)]
struct Counts {
    new: u64,
    changed: u64,
    unchanged: u64,
    archived: u64,
}

/// The dry-run report of an upload; its ETag is what the commit sends in `If-Match`.
#[derive(ToSchema)]
struct ImportReport {
    id: String,
    organization_id: String,
    /// `csv`, `geojson` or `hsds`.
    format: String,
    source: String,
    licence: Option<String>,
    created_at: String,
    expires_at: String,
    /// How the commit goes: `publish`, `publish_unreviewed` or `propose` (change requests).
    mode: String,
    /// True when a commit without exclusions or decisions would be accepted.
    committable: bool,
    problems: Vec<RowProblem>,
    /// What an HSDS dataset's mapping left out (empty for CSV and GeoJSON).
    dropped: Vec<Dropped>,
    /// For an HSDS dataset: `lang`, `id_prefix`, and `read` / `kept` (organizations,
    /// locations, services, service_at_locations); null otherwise.
    #[schema(value_type = Option<Object>)]
    hsds: serde_json::Value,
    duplicates: Vec<Duplicate>,
    counts: Counts,
    /// The counts per kind: `sportelli`, `services`, `offers`, `organizations`, `projects`.
    #[schema(value_type = Object)]
    by_kind: serde_json::Value,
    records: u64,
}

/// One likely duplicate decided.
#[derive(ToSchema)]
struct Resolution {
    sportello_id: String,
    /// `same` (merged into the existing sportello) or `different`.
    resolution: String,
    /// The existing sportello it is the same as (default: the nearest one reported).
    existing_id: Option<String>,
}

/// What the commit leaves out and decides.
#[derive(ToSchema)]
struct CommitBody {
    /// CSV lines or GeoJSON feature indexes left out.
    exclude: Option<Vec<u64>>,
    duplicates: Option<Vec<Resolution>>,
}

/// A committed import.
#[derive(ToSchema)]
struct Committed {
    id: String,
    revision: i64,
    mode: String,
    counts: Counts,
    #[schema(value_type = Object)]
    by_kind: serde_json::Value,
    /// Change requests created (pending review, or published unreviewed).
    change_requests: u64,
}

/// An RFC 9457 problem of an upload or a commit: `errors` lists the rows (422) or the
/// unresolved duplicates (409).
#[derive(ToSchema)]
struct ImportProblem {
    r#type: String,
    title: String,
    status: u16,
    detail: String,
    #[schema(value_type = Option<Vec<Object>>)]
    errors: Option<serde_json::Value>,
    parameter: Option<String>,
}

#[utoipa::path(post, path = "/api/imports",
    params(("organization" = String, Query, description = "The organisation the records are for (one the caller may edit)"),
           ("source" = Option<String>, Query, description = "Where the records come from (file name, dataset title or URL), kept as their provenance"),
           ("licence" = Option<String>, Query, description = "The licence they come under"),
           ("format" = Option<String>, Query, description = "csv, geojson or hsds: what the body is (default: from the Content-Type, and for JSON from its shape: an object without `type` that has `hsds_version`, `organizations`, `services` or `locations` is an HSDS document)"),
           ("lang" = Option<String>, Query, description = "HSDS only: the language the dataset's text is in (default it)"),
           ("id_prefix" = Option<String>, Query, description = "HSDS only: put before the HSDS ids of records that carry no Bussola id (default hsds)"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    request_body(description = "The CSV form (text/csv), a FeatureCollection in the dataset form (application/geo+json), an Open Referral HSDS datapackage zipped (application/zip) or an HSDS JSON document as the HSDS export writes it (application/json)",
        content(
            (String = "text/csv"),
            (Object = "application/geo+json"),
            (String = "application/zip"),
            (Object = "application/json"))),
    responses((status = 201, description = "Checked: the dry-run report (nothing written but the pending import)", body = ImportReport),
               (status = 400, description = "Unknown organisation, not text, not an HSDS dataset, a bad format, lang or id_prefix, or an HSDS dataset of several organisations none of which is the one named", body = ImportProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = ImportProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed to import for that organisation", body = ImportProblem, content_type = "application/problem+json"),
               (status = 413, description = "Larger than BUSSOLA_IMPORT_MAX_BYTES, or a zip of more than 1,000 entries or whose tables hold more than BUSSOLA_IMPORT_MAX_UNZIPPED_BYTES uncompressed (the detail says the limit)", body = ImportProblem, content_type = "application/problem+json"),
               (status = 415, description = "Neither CSV, GeoJSON, a zip nor JSON", body = ImportProblem, content_type = "application/problem+json")))]
fn upload() {}

#[utoipa::path(get, path = "/api/imports/{id}",
    params(("id" = String, Path, description = "The pending import's id")),
    responses((status = 200, description = "The dry-run report again, with its ETag", body = ImportReport),
               (status = 401, description = "Not signed in", body = ImportProblem, content_type = "application/problem+json"),
               (status = 403, description = "A role that edits nothing", body = ImportProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such pending import of the caller's (or it expired)", body = ImportProblem, content_type = "application/problem+json")))]
fn report() {}

#[utoipa::path(delete, path = "/api/imports/{id}",
    params(("id" = String, Path, description = "The pending import's id"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    responses((status = 204, description = "Discarded"),
               (status = 401, description = "Not signed in", body = ImportProblem, content_type = "application/problem+json"),
               (status = 403, description = "A role that edits nothing", body = ImportProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such pending import of the caller's", body = ImportProblem, content_type = "application/problem+json")))]
fn discard() {}

#[utoipa::path(post, path = "/api/imports/{id}/commit",
    params(("id" = String, Path, description = "The pending import's id"),
           ("If-Match" = String, Header, description = "The report's ETag"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    request_body(content = CommitBody),
    responses((status = 200, description = "Committed all or nothing in one revision", body = Committed),
               (status = 400, description = "Not JSON", body = ImportProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = ImportProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed", body = ImportProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such pending import of the caller's", body = ImportProblem, content_type = "application/problem+json"),
               (status = 409, description = "Unresolved duplicates (errors lists them), or a record changed since the dry run; nothing was written", body = ImportProblem, content_type = "application/problem+json"),
               (status = 412, description = "If-Match is not the report's ETag", body = ImportProblem, content_type = "application/problem+json"),
               (status = 422, description = "Rows with problems that are not excluded (errors lists them); nothing was written", body = ImportProblem, content_type = "application/problem+json"),
               (status = 428, description = "If-Match missing", body = ImportProblem, content_type = "application/problem+json")))]
fn commit() {}

#[utoipa::path(get, path = "/api/export.geojson",
    responses((status = 200, description = "What the viewer may see, in the dataset form (as `bussola export services` writes it)", content_type = "application/geo+json", body = Object),
               (status = 304, description = "The client has this revision already")))]
fn export_geojson() {}

#[utoipa::path(get, path = "/api/export.csv",
    responses((status = 200, description = "What the viewer may see, in the CSV form (as `bussola export services --format csv` writes it)", content_type = "text/csv", body = String),
               (status = 304, description = "The client has this revision already")))]
fn export_csv() {}

#[utoipa::path(get, path = "/api/export/hsds.json",
    params(("lang" = Option<String>, Query, description = "The language of the texts (default it)")),
    responses((status = 200, description = "What the viewer may see, as one HSDS 3.0 document with its metadata records (as `bussola export hsds` writes it)", content_type = "application/json", body = Object),
               (status = 304, description = "The client has this revision already"),
               (status = 400, description = "Bad parameter", body = ImportProblem, content_type = "application/problem+json")))]
fn export_hsds() {}

#[derive(OpenApi)]
#[openapi(
    paths(
        upload,
        report,
        discard,
        commit,
        export_geojson,
        export_csv,
        export_hsds
    ),
    components(schemas(
        RowProblem,
        Dropped,
        Duplicate,
        Counts,
        ImportReport,
        Resolution,
        CommitBody,
        Committed,
        ImportProblem
    ))
)]
pub struct ImportDoc;
