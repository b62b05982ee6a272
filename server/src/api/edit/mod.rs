//! The write API (`docs/editing.md`): records with optimistic concurrency, review before
//! publication, history and restore, "still correct", and anonymous feedback.
//!
//! - [`records`]: `GET`/`POST /api/records/{kind}`, `GET`/`PUT`/`DELETE …/{id}`, and
//!   [`records::submit`], the one way an edit reaches [`crate::app::Directory::apply`];
//! - [`changes`]: change requests, their diffs, approve / reject / withdraw;
//! - [`history`]: versions, their field diffs, restore;
//! - [`verify`]: per-field verified dates;
//! - [`feedback`]: the public's "was this right?";
//! - [`record`] and [`fields`]: reading a record with the import's rules, field errors as
//!   JSON Pointers.
//!
//! Every route takes the [`Viewer`]; the rules of who may edit, publish and review are in
//! `crate::access::edit`.

pub mod changes;
pub mod feedback;
pub mod fields;
pub mod history;
pub mod record;
pub mod records;
pub mod verify;

use super::error::{Error, Result};
use super::AppState;
use crate::access::Viewer;
use crate::model::{RecordKind, Role, Username};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use serde::de::DeserializeOwned;

/// The write routes, each with the methods it answers (what the OpenAPI document and the
/// role matrix enumerate) beside its handler.
pub fn route_list() -> Vec<(
    &'static str,
    &'static [&'static str],
    MethodRouter<AppState>,
)> {
    vec![
        (
            "/api/records/{kind}",
            &["get", "post"],
            get(records::list).post(records::create),
        ),
        (
            "/api/records/{kind}/{id}",
            &["get", "put", "delete"],
            get(records::one)
                .put(records::replace)
                .delete(records::archive),
        ),
        (
            "/api/records/{kind}/{id}/history",
            &["get"],
            get(history::history),
        ),
        (
            "/api/records/{kind}/{id}/versions/{version}",
            &["get"],
            get(history::version),
        ),
        (
            "/api/records/{kind}/{id}/restore",
            &["post"],
            post(history::restore),
        ),
        (
            "/api/records/{kind}/{id}/verify",
            &["post"],
            post(verify::verify),
        ),
        ("/api/changes", &["get"], get(changes::list)),
        ("/api/changes/{id}", &["get"], get(changes::one)),
        (
            "/api/changes/{id}/approve",
            &["post"],
            post(changes::approve),
        ),
        ("/api/changes/{id}/reject", &["post"], post(changes::reject)),
        (
            "/api/changes/{id}/withdraw",
            &["post"],
            post(changes::withdraw),
        ),
        (
            "/api/feedback",
            &["get", "post"],
            get(feedback::list).post(feedback::submit),
        ),
    ]
}

/// The routes, for the API router.
pub fn routes() -> axum::Router<AppState> {
    route_list()
        .into_iter()
        .fold(axum::Router::new(), |r, (path, _, handler)| {
            r.route(path, handler)
        })
}

/// The user name of a viewer who may edit something: 401 for the anonymous public, 403 for a
/// signed-in viewer with no editing role (a `viewer` of a territory).
pub fn editor(viewer: &Viewer) -> Result<&Username> {
    let Some(name) = viewer.username() else {
        return Err(Error::Unauthorized(
            "sign in (or send an API token) to edit the directory".into(),
        ));
    };
    let edits = viewer
        .roles()
        .iter()
        .any(|r| !matches!(r, Role::Viewer { .. }));
    if edits {
        Ok(name)
    } else {
        Err(Error::Forbidden(
            "a viewer's role sees restricted layers but edits nothing".into(),
        ))
    }
}

/// The kind a path names (404 for anything else).
pub fn kind(segment: &str) -> Result<RecordKind> {
    record::kind_in_path(segment).ok_or_else(|| {
        Error::NotFound(format!(
            "no kind of record {segment:?}: use organizations, sportelli, services, offers or projects"
        ))
    })
}

/// What `If-Match` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfMatch {
    /// `"n"`: the record must be at version n.
    Version(i64),
    /// `*`: whatever version it is at now.
    Any,
}

/// The `If-Match` of a write that needs one: 428 without it, 400 when it names no version.
pub fn if_match(headers: &HeaderMap) -> Result<IfMatch> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(Error::PreconditionRequired(
            "If-Match: send the ETag of the version you edited (GET the record first), so \
             nobody's change is overwritten silently"
                .into(),
        ));
    };
    parse_if_match(value.to_str().unwrap_or(""))
        .ok_or_else(|| Error::bad("If-Match", "must be a record's ETag, such as \"3\", or *"))
}

/// `"3"`, `W/"3"` (compared as the version all the same) or `*`; the first tag of a list.
fn parse_if_match(text: &str) -> Option<IfMatch> {
    let first = text.split(',').next()?.trim();
    if first == "*" {
        return Some(IfMatch::Any);
    }
    let tag = first.strip_prefix("W/").unwrap_or(first);
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    inner
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .map(IfMatch::Version)
}

/// The ETag of a record at `version`.
pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// A request body as JSON: 400 when it is not JSON, 422 naming the field when it is not the
/// shape `T` needs.
pub fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let v = json(bytes)?;
    crate::import::reasons::typed::<T>(&v)
        .map_err(|e| Error::Invalid(vec![fields::problem(&e.path, e.reason)]))
}

/// A request body as a JSON value (400 when it is not JSON; an empty body is `{}`).
pub fn json(bytes: &[u8]) -> Result<serde_json::Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::json!({}));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Error::bad("body", format!("the body is not JSON: {e}")))
}

/// A JSON answer no cache keeps (it depends on the caller and changes with every edit).
pub fn answer(status: axum::http::StatusCode, v: &serde_json::Value) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        v.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_names_a_version_or_any() {
        assert_eq!(parse_if_match("\"3\""), Some(IfMatch::Version(3)));
        assert_eq!(parse_if_match("W/\"12\""), Some(IfMatch::Version(12)));
        assert_eq!(parse_if_match(" \"4\", \"5\""), Some(IfMatch::Version(4)));
        assert_eq!(parse_if_match("*"), Some(IfMatch::Any));
        for bad in ["3", "\"x\"", "\"0\"", "\"-1\"", ""] {
            assert_eq!(parse_if_match(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_write_without_if_match_is_428_and_a_bad_one_400() {
        let none = HeaderMap::new();
        assert!(matches!(
            if_match(&none),
            Err(Error::PreconditionRequired(_))
        ));
        let mut bad = HeaderMap::new();
        bad.insert(header::IF_MATCH, HeaderValue::from_static("yesterday"));
        assert!(matches!(if_match(&bad), Err(Error::BadParameter { .. })));
    }

    #[test]
    fn bodies_are_json_or_400() {
        assert!(matches!(json(b"{nope"), Err(Error::BadParameter { .. })));
        assert_eq!(json(b"").unwrap(), serde_json::json!({}));
    }
}
