//! The OpenAPI document, generated with utoipa from the declarations below. Each operation
//! mirrors a handler in this folder; `tests/openapi.rs` and schemathesis check that the
//! server answers what this document says.

#![allow(dead_code)] // the items below exist to be described, not called

use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

/// An RFC 9457 problem.
#[derive(ToSchema)]
struct Problem {
    #[schema(example = "https://bussola.example/problems/invalid-parameter")]
    r#type: String,
    title: String,
    status: u16,
    detail: String,
    /// The query parameter at fault, for 400s.
    parameter: Option<String>,
}

/// A link.
#[derive(ToSchema)]
struct Link {
    href: String,
    rel: String,
    #[schema(rename = "type")]
    r#type: Option<String>,
    title: Option<String>,
}

/// The landing page.
#[derive(ToSchema)]
struct Landing {
    title: String,
    description: Option<String>,
    /// True when the directory holds demo data.
    demo: bool,
    links: Vec<Link>,
}

/// Conformance classes.
#[derive(ToSchema)]
struct Conformance {
    #[schema(rename = "conformsTo")]
    conforms_to: Vec<String>,
}

/// A collection's metadata.
#[derive(ToSchema)]
struct Collection {
    id: String,
    title: Option<String>,
    links: Vec<Link>,
    /// Absent when the viewer sees no feature of the collection (a restricted layer, say).
    #[schema(value_type = Option<Object>)]
    extent: Option<Value>,
    #[schema(rename = "itemType")]
    item_type: Option<String>,
    crs: Vec<String>,
    /// Who to credit for the data (the shipped comuni: ISTAT/Openpolis and ANPR).
    attribution: Option<String>,
    /// The data's licence, as SPDX ids (e.g. `CC-BY-4.0 AND CC0-1.0`).
    license: Option<String>,
}

/// The collections.
#[derive(ToSchema)]
struct Collections {
    links: Vec<Link>,
    collections: Vec<Collection>,
}

/// A GeoJSON feature (properties depend on the collection; see the README).
#[derive(ToSchema)]
struct Feature {
    #[schema(rename = "type", pattern = "^Feature$")]
    r#type: String,
    id: String,
    /// A GeoJSON geometry (Point for sportelli and services, MultiPolygon for comuni and projects) or null.
    #[schema(value_type = Object, nullable = true)]
    geometry: Option<Value>,
    #[schema(value_type = Object)]
    properties: Value,
}

/// A page of features.
#[derive(ToSchema)]
struct FeatureCollection {
    #[schema(rename = "type", pattern = "^FeatureCollection$")]
    r#type: String,
    #[schema(rename = "numberMatched")]
    number_matched: Option<u64>,
    #[schema(rename = "numberReturned")]
    number_returned: u64,
    #[schema(rename = "timeStamp")]
    time_stamp: String,
    links: Vec<Link>,
    features: Vec<Feature>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
struct CollectionPath {
    /// A registered collection (see `/api/collections`).
    #[param(rename = "collectionId")]
    collection_id: String,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
struct FeaturePath {
    /// `sportelli`, `services`, `projects` or `comuni`.
    #[param(rename = "collectionId")]
    collection_id: String,
    /// The feature id.
    #[param(rename = "featureId")]
    feature_id: String,
}

/// JSON only.
#[derive(ToSchema)]
#[allow(non_camel_case_types)]
enum JsonFormat {
    json,
}

/// The landing page's formats.
#[derive(ToSchema)]
#[allow(non_camel_case_types)]
enum LandingFormat {
    json,
    html,
}

/// Collection formats: JSON, or the HTML view.
#[derive(ToSchema)]
#[allow(non_camel_case_types)]
enum CollectionFormat {
    json,
    html,
}

/// Feature formats: GeoJSON (`json` or `geojson`), or the HTML view (a table and a map).
#[derive(ToSchema)]
#[allow(non_camel_case_types)]
enum FeatureFormat {
    json,
    geojson,
    html,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct FormatParams {
    /// Output format.
    f: Option<JsonFormat>,
    /// Language of text fields (BCP 47); also read from Accept-Language.
    #[param(pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    lang: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct CollectionParams {
    /// Output format (also chosen by the Accept header: a browser gets HTML).
    f: Option<CollectionFormat>,
    /// Language of text fields (BCP 47); also read from Accept-Language.
    #[param(pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    lang: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct LandingParams {
    /// Output format (also chosen by the Accept header).
    f: Option<LandingFormat>,
    /// Language of text fields (BCP 47).
    #[param(pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    lang: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct FeatureParams {
    /// Output format.
    f: Option<FeatureFormat>,
    /// Language of text fields (BCP 47); also read from Accept-Language.
    #[param(pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    lang: Option<String>,
}

/// Items query parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct ItemsParams {
    /// Output format.
    f: Option<FeatureFormat>,
    /// Language of text fields (BCP 47), falling back to Italian then English.
    #[param(pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    lang: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 10000, default = 10)]
    limit: Option<u32>,
    /// Features to skip (paging; `next`/`prev` links carry it).
    #[param(minimum = 0, maximum = 2147483647)]
    offset: Option<u32>,
    /// `minLon,minLat,maxLon,maxLat` (CRS84).
    #[param(style = Form, explode = false, min_items = 4, max_items = 6)]
    bbox: Option<Vec<f64>>,
    /// `updated` instant or interval (`2026-01-01T00:00:00Z/..`).
    datetime: Option<String>,
    /// `lon,lat`: order by distance and add `distance_m` (sportelli and services).
    #[param(style = Form, explode = false, min_items = 2, max_items = 2)]
    near: Option<Vec<f64>>,
    /// With `near`, only within this many metres.
    #[param(minimum = 0, maximum = 1000000, exclusive_minimum = 0)]
    radius: Option<f64>,
    /// Category ids (comma-separated, any of them).
    category: Option<String>,
    /// A language spoken at the service (BCP 47).
    language: Option<String>,
    /// Who the service is for (an audience id).
    audience: Option<String>,
    /// Only free (`true`) or only not-free (`false`) services.
    free: Option<bool>,
    /// `false`: no appointment needed; `true`: appointment needed.
    appointment: Option<bool>,
    /// Only services open now.
    open_now: Option<bool>,
    /// Only services open at this RFC 3339 instant.
    open_at: Option<String>,
    /// ISTAT code of a comune.
    #[param(pattern = "^[0-9]{6}$")]
    comune: Option<String>,
    /// A CQL2 filter over the collection's queryables, in the encoding `filter-lang` names.
    filter: Option<String>,
    /// The encoding of `filter`: `cql2-text` (the default) or `cql2-json`.
    #[param(rename = "filter-lang", pattern = "^cql2-(text|json)$")]
    filter_lang: Option<String>,
    /// Must be CRS84.
    #[param(
        rename = "filter-crs",
        pattern = "^http://www\\.opengis\\.net/def/crs/OGC/1\\.3/CRS84$"
    )]
    filter_crs: Option<String>,
}

#[utoipa::path(get, path = "/api", params(LandingParams),
    responses((status = 200, description = "Landing page (JSON, or HTML with f=html or Accept: text/html)", content((Landing = "application/json"), (String = "text/html; charset=utf-8"))),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json")))]
fn landing() {}

#[utoipa::path(get, path = "/api/conformance", params(FormatParams),
    responses((status = 200, description = "Conformance classes", body = Conformance),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json")))]
fn conformance() {}

#[utoipa::path(get, path = "/api/openapi.json", params(FormatParams),
    responses((status = 200, description = "This document", body = Object, content_type = "application/vnd.oai.openapi+json;version=3.1"),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json")))]
fn openapi() {}

#[utoipa::path(get, path = "/api/collections", params(CollectionParams),
    responses((status = 200, description = "The collections (JSON, or HTML with f=html or Accept: text/html)", content((Collections = "application/json"), (String = "text/html; charset=utf-8"))),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json")))]
fn collections() {}

#[utoipa::path(get, path = "/api/collections/{collectionId}", params(CollectionPath, CollectionParams),
    responses((status = 200, description = "A collection (JSON, or HTML with f=html or Accept: text/html)", content((Collection = "application/json"), (String = "text/html; charset=utf-8"))),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
               (status = 404, description = "No such collection", body = Problem, content_type = "application/problem+json")))]
fn collection() {}

#[utoipa::path(get, path = "/api/collections/{collectionId}/queryables", params(CollectionPath, FormatParams),
    responses((status = 200, description = "JSON Schema of the queryable properties", body = Object, content_type = "application/schema+json"),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
               (status = 404, description = "No such collection", body = Problem, content_type = "application/problem+json")))]
fn queryables() {}

#[utoipa::path(get, path = "/api/collections/{collectionId}/items", params(CollectionPath, ItemsParams),
    responses((status = 200, description = "A page of features (GeoJSON, or HTML with a table and a map with f=html or Accept: text/html)", content((FeatureCollection = "application/geo+json"), (String = "text/html; charset=utf-8"))),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
               (status = 404, description = "No such collection", body = Problem, content_type = "application/problem+json")))]
fn items() {}

#[utoipa::path(get, path = "/api/collections/{collectionId}/items/{featureId}", params(FeaturePath, FeatureParams),
    responses((status = 200, description = "One feature (GeoJSON, or HTML with f=html or Accept: text/html)", content((Feature = "application/geo+json"), (String = "text/html; charset=utf-8"))),
               (status = 304, description = "Not modified"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
               (status = 404, description = "No such collection or feature", body = Problem, content_type = "application/problem+json")))]
fn item() {}

/// The web app's configuration.
#[derive(ToSchema)]
struct WebConfig {
    /// The MapLibre style URL, if a basemap is configured.
    basemap_style: Option<String>,
    /// The territory's name, bounding box (of the sportelli the viewer may see) and sources.
    #[schema(value_type = Object)]
    territory: Value,
    /// True when the directory holds demo data.
    demo: bool,
}

#[utoipa::path(get, path = "/api/config",
    responses((status = 200, description = "The web app's configuration", body = WebConfig),
               (status = 304, description = "Not modified")))]
fn config() {}

#[utoipa::path(get, path = "/api/taxonomy",
    responses((status = 200, description = "Categories of need and audiences, with their names in every UI language", body = Object),
               (status = 304, description = "Not modified")))]
fn taxonomy() {}

#[utoipa::path(get, path = "/api/bundle",
    responses((status = 200, description = "The offline bundle: every sportello the viewer may see, in the dataset format (a GeoJSON FeatureCollection), with the taxonomy, gazetteer, comuni and holidays; gzip or brotli as Accept-Encoding allows", body = Object, content_type = "application/geo+json"),
               (status = 304, description = "Not modified")))]
fn bundle() {}

#[utoipa::path(get, path = "/healthz",
    responses((status = 200, description = "The process is up", body = Object)))]
fn healthz() {}

#[utoipa::path(get, path = "/readyz",
    responses((status = 200, description = "The read model is loaded and the store answers", body = Object)))]
fn readyz() {}

#[utoipa::path(get, path = "/metrics",
    responses((status = 200, description = "Prometheus metrics", body = String, content_type = "text/plain; version=0.0.4")))]
fn metrics() {}

/// `POST /signin` fields (form-encoded).
#[derive(ToSchema)]
#[allow(dead_code)]
struct SignInFields {
    username: String,
    #[schema(format = Password)]
    password: String,
    /// The token of the form `GET /signin` served, matching its cookie (login CSRF).
    csrf_token: String,
    /// Where to go after signing in: a local path only.
    next: Option<String>,
    /// The page's language.
    lang: Option<String>,
}

/// Who is asking.
#[derive(ToSchema)]
#[allow(dead_code)]
struct Me {
    signed_in: bool,
    username: Option<String>,
    display_name: Option<String>,
    #[schema(value_type = Option<Vec<Object>>)]
    roles: Option<Value>,
    /// The token every state-changing request of this session must send (X-CSRF-Token).
    csrf_token: Option<String>,
}

#[utoipa::path(get, path = "/signin",
    params(("next" = Option<String>, Query, description = "A local path to return to"),
           ("lang" = Option<String>, Query, description = "The page's language")),
    responses((status = 200, description = "The sign-in form", body = String, content_type = "text/html; charset=utf-8"),
               (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json")))]
fn signin_form() {}

#[utoipa::path(post, path = "/signin",
    request_body(content = SignInFields, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Signed in: the session cookie is set, on to `next`"),
               (status = 200, description = "For a browser: the form again, with what went wrong", body = String, content_type = "text/html; charset=utf-8"),
               (status = 400, description = "A field is missing", body = Problem, content_type = "application/problem+json"),
               (status = 401, description = "Wrong user name or password", body = Problem, content_type = "application/problem+json"),
               (status = 403, description = "The form's token is missing or does not match its cookie", body = Problem, content_type = "application/problem+json"),
               (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
               (status = 415, description = "Not form-encoded", body = Problem, content_type = "application/problem+json"),
               (status = 422, description = "The form cannot be read", body = Problem, content_type = "application/problem+json"),
               (status = 429, description = "Too many attempts for this account or address: try again after Retry-After seconds", body = Problem, content_type = "application/problem+json")))]
fn signin_submit() {}

#[utoipa::path(post, path = "/signout",
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (GET /api/me)")),
    responses((status = 303, description = "Signed out: the session is ended and its cookie cleared"),
               (status = 403, description = "A signed-in session without its CSRF token, or from another site", body = Problem, content_type = "application/problem+json")))]
fn signout() {}

#[utoipa::path(get, path = "/api/me",
    responses((status = 200, description = "Who is asking (never cached)", body = Me),
               (status = 401, description = "A bearer token that is malformed, unknown, expired or revoked", body = Problem, content_type = "application/problem+json")))]
fn me() {}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bussola API",
        description = "OGC API - Features for a directory of services and sportelli for migrants.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        landing,
        conformance,
        openapi,
        collections,
        collection,
        queryables,
        items,
        item,
        config,
        taxonomy,
        bundle,
        super::stale::stale_doc,
        healthz,
        readyz,
        metrics,
        signin_form,
        signin_submit,
        signout,
        me
    ),
    components(schemas(
        JsonFormat,
        LandingFormat,
        CollectionFormat,
        FeatureFormat,
        Problem,
        Link,
        Landing,
        Conformance,
        Collection,
        Collections,
        Feature,
        FeatureCollection,
        WebConfig,
        SignInFields,
        Me
    ))
)]
struct ApiDoc;

/// The OpenAPI document as JSON.
pub fn document() -> Value {
    let mut api = ApiDoc::openapi();
    api.merge(super::openapi_edit::openapi());
    api.merge(super::openapi_hsds::HsdsDoc::openapi());
    api.merge(super::openapi_campaign::CampaignDoc::openapi());
    api.merge(super::openapi_import::ImportDoc::openapi());
    let mut doc = serde_json::to_value(api).unwrap_or(Value::Null);
    add_collections(&mut doc);
    add_common_responses(&mut doc);
    allow_empty_query_values(&mut doc);
    doc
}

/// What the registered collections declare: the values `collectionId` takes, and each
/// collection's queryables as a schema (`{id}Queryables`), referenced from `filter`.
fn add_collections(doc: &mut Value) {
    use super::collection::REGISTRY;
    let ids: Vec<&str> = REGISTRY.iter().map(|c| c.id()).collect();
    let taxonomy = crate::model::Taxonomy::builtin().unwrap_or(crate::model::Taxonomy {
        version: String::new(),
        categories: Vec::new(),
        audiences: Vec::new(),
        base_lang: "it".into(),
    });
    for operation in operations_mut(doc) {
        let params = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut);
        for p in params.into_iter().flatten() {
            if p["name"] == "collectionId" {
                p["schema"] = serde_json::json!({"type": "string", "enum": ids});
            }
            if p["name"] == "filter" {
                let refs: Vec<String> = ids
                    .iter()
                    .map(|id| format!("`{id}`: #/components/schemas/{id}Queryables"))
                    .collect();
                let described = p["description"].as_str().unwrap_or("").to_owned();
                p["description"] =
                    Value::String(format!("{described} Queryables: {}.", refs.join("; ")));
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for c in REGISTRY {
            let mut schema = super::collections::queryables_schema(*c, &taxonomy, "");
            if let Some(m) = schema.as_object_mut() {
                m.remove("$schema");
                m.remove("$id");
            }
            schemas.insert(format!("{}Queryables", c.id()), schema);
        }
    }
}

/// An empty query value means the parameter is absent (as an HTML form sends an unfilled
/// field): say so in each query parameter's schema, so `appointment=` is documented as valid.
fn allow_empty_query_values(doc: &mut Value) {
    for operation in operations_mut(doc) {
        let Some(params) = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for p in params.iter_mut().filter(|p| p["in"] == "query") {
            if let Some(schema) = p.get_mut("schema") {
                let original = schema.take();
                *schema =
                    serde_json::json!({"anyOf": [original, {"type": "string", "maxLength": 0}]});
            }
        }
    }
}

/// Every operation object of the document (each method of each path).
fn operations_mut(doc: &mut Value) -> impl Iterator<Item = &mut Value> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|p| p.values_mut())
}

/// What any operation can answer besides its own responses, whatever its parameters: a URI
/// longer than the server reads (414) and a server too busy, past a query's deadline or not
/// ready (503, with `Retry-After`) — each an RFC 9457 problem.
fn add_common_responses(doc: &mut Value) {
    let problem = |description: &str| {
        serde_json::json!({
            "description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        })
    };
    let common = [
        ("414", problem("The request URI is longer than the server reads")),
        ("503", problem("Busy, past the query's deadline, or not ready: try again after Retry-After seconds")),
    ];
    for operation in operations_mut(doc) {
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (status, response) in &common {
            responses.entry(*status).or_insert_with(|| response.clone());
        }
    }
}

#[cfg(test)]
mod common_response_tests {
    use super::*;

    #[test]
    fn every_operation_documents_the_uri_limit_and_busy_answers() {
        let doc = document();
        let paths = doc["paths"].as_object().expect("paths");
        assert!(paths.len() >= 7);
        for (path, item) in paths {
            for (method, op) in item.as_object().expect("path item") {
                for status in ["414", "503"] {
                    // The common problem, or an operation's own richer one (a campaign's
                    // send names the missing mail transport).
                    let r = &op["responses"][status];
                    let schema = r["content"]["application/problem+json"]["schema"]["$ref"]
                        .as_str()
                        .and_then(|s| s.strip_prefix("#/components/schemas/"))
                        .unwrap_or_else(|| panic!("{method} {path} {status}: no problem"));
                    assert!(schema.ends_with("Problem"), "{method} {path} {status}");
                    assert!(
                        doc["components"]["schemas"][schema].is_object(),
                        "{method} {path} {status}: {schema}"
                    );
                }
            }
        }
        assert!(doc["components"]["schemas"]["Problem"].is_object());
    }
}
