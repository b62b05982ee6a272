//! The OpenAPI entries of the write API (`api::edit`, `docs/editing.md`), merged into the
//! document by `openapi::document`. Each operation mirrors a handler of `api/edit/`.

#![allow(dead_code)] // the items below exist to be described, not called

use serde_json::Value;
use utoipa::{OpenApi, ToSchema};

/// One invalid field: a JSON Pointer into the request body and why.
#[derive(ToSchema)]
struct FieldError {
    #[schema(example = "/name/it")]
    pointer: String,
    detail: String,
}

/// An RFC 9457 problem of the write API. Besides the common members: `errors` (422),
/// `pointer` (a 403 about one field), `current_version` (412), `changes` and `meanwhile`
/// (409 on an approval whose record moved on).
#[derive(ToSchema)]
struct EditProblem {
    r#type: String,
    title: String,
    status: u16,
    detail: String,
    errors: Option<Vec<FieldError>>,
    pointer: Option<String>,
    current_version: Option<i64>,
    changes: Option<Vec<FieldChange>>,
    meanwhile: Option<Vec<FieldChange>>,
}

/// One field's change between two versions (`old` absent: added; `new` absent: removed).
#[derive(ToSchema)]
struct FieldChange {
    #[schema(example = "/schedule/periods")]
    field: String,
    #[schema(value_type = Option<Object>)]
    old: Option<Value>,
    #[schema(value_type = Option<Object>)]
    new: Option<Value>,
}

/// A record: the model's own JSON (`server/src/model/*.rs`); what `GET` returns `PUT` takes.
#[derive(ToSchema)]
struct Record {
    id: String,
    status: Option<String>,
    visibility: Option<String>,
    /// Set by the store; its value is the record's ETag.
    version: Option<i64>,
    #[schema(value_type = Option<Object>)]
    verified: Option<Value>,
    /// Who wrote each translated value: `{"name/en": {"by": "machine" | "person", "at", "who"}}`
    /// (`at` and `who` are set by the server); a value without an entry is a person's.
    #[schema(value_type = Option<Object>)]
    translations: Option<Value>,
    /// Where the record came from, set by the import that wrote it: `{"source", "licence",
    /// "attribution", "url", "imported_at", "import"}`; a write keeps it (leave it out, or send
    /// it unchanged: another is a 403 at `/provenance`).
    #[schema(value_type = Option<Object>)]
    provenance: Option<Value>,
}

/// The records of a kind the viewer may edit.
#[derive(ToSchema)]
struct RecordList {
    kind: String,
    records: Vec<Record>,
}

/// A change request (`model::ChangeRequest`).
#[derive(ToSchema)]
struct ChangeRequest {
    id: String,
    kind: String,
    record_id: String,
    organization_id: String,
    comuni: Vec<String>,
    /// `upsert` or `archive`.
    action: String,
    base_version: Option<i64>,
    #[schema(value_type = Option<Object>)]
    proposed: Option<Value>,
    author: String,
    reason: Option<String>,
    /// `pending`, `approved`, `rejected`, `withdrawn` or `published_unreviewed`.
    status: String,
    created_at: String,
    decided_at: Option<String>,
    decided_by: Option<String>,
    decision_reason: Option<String>,
    applied_revision: Option<i64>,
}

/// A write waiting for review.
#[derive(ToSchema)]
struct Pending {
    change: ChangeRequest,
}

/// Change requests.
#[derive(ToSchema)]
struct ChangeList {
    changes: Vec<ChangeRequest>,
}

/// A change request with `changes` (base → proposed) and, when the record moved on since the
/// base, `meanwhile` (base → current), besides the request's own members.
#[derive(ToSchema)]
struct ChangeWithDiffs {
    id: String,
    status: String,
    changes: Vec<FieldChange>,
    meanwhile: Option<Vec<FieldChange>>,
}

/// A decision's answer.
#[derive(ToSchema)]
struct Decided {
    change: ChangeRequest,
    /// The published record (approvals).
    #[schema(value_type = Option<Object>)]
    record: Option<Value>,
}

/// A decision's body: required for a rejection (the author reads it), a comment otherwise.
#[derive(ToSchema)]
struct DecisionBody {
    reason: Option<String>,
}

/// One version in a history.
#[derive(ToSchema)]
struct HistoryEntry {
    version: i64,
    revision: i64,
    at: String,
    /// `import`, `demo`, `api`, `review`, `restore` or `campaign`.
    source: String,
    author: Option<String>,
    reason: Option<String>,
    reviewer: Option<String>,
    changes: Vec<FieldChange>,
}

/// A record's history, newest first.
#[derive(ToSchema)]
struct History {
    kind: String,
    id: String,
    version: i64,
    versions: Vec<HistoryEntry>,
}

/// One stored version, whole.
#[derive(ToSchema)]
struct StoredVersion {
    kind: String,
    id: String,
    version: i64,
    revision: i64,
    at: String,
    source: String,
    author: Option<String>,
    #[schema(value_type = Object)]
    doc: Value,
}

/// `restore`'s body.
#[derive(ToSchema)]
struct RestoreBody {
    version: i64,
    reason: Option<String>,
}

/// `verify`'s body: the fields still correct (`hours` on offers; `address`, `phone` on
/// sportelli; `languages`, `cost`, `appointment` on services).
#[derive(ToSchema)]
struct VerifyBody {
    fields: Vec<String>,
}

/// Anonymous feedback: a sportello and one word. Nothing else is accepted.
#[derive(ToSchema)]
struct FeedbackBody {
    location_id: String,
    /// `right`, `wrong` or `closed`.
    kind: String,
}

/// Feedback received.
#[derive(ToSchema)]
struct Accepted {
    accepted: bool,
}

/// One piece of feedback.
#[derive(ToSchema)]
struct FeedbackItem {
    location_id: String,
    organization_id: String,
    comune_istat: String,
    kind: String,
    at: String,
}

/// Feedback the viewer follows.
#[derive(ToSchema)]
struct FeedbackList {
    feedback: Vec<FeedbackItem>,
}

#[utoipa::path(get, path = "/api/records/{kind}",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("organization" = Option<String>, Query, description = "Only this organisation's"),
           ("comune" = Option<String>, Query, description = "Only records in this comune (ISTAT code)")),
    responses((status = 200, description = "The records of that kind the viewer may edit", body = RecordList),
               (status = 400, description = "Bad parameter", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "A role that edits nothing", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such kind", body = EditProblem, content_type = "application/problem+json")))]
fn list_records() {}

#[utoipa::path(post, path = "/api/records/{kind}",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("reason" = Option<String>, Query, description = "Why the change is made (at most 500 characters): kept in the history, shown to the reviewer"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    request_body(content = Record, description = "The new record, naming its id"),
    responses((status = 200, description = "Published", body = Record),
               (status = 202, description = "Waiting for review", body = Pending),
               (status = 400, description = "Not JSON", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed (pointer names the field when it is one)", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such kind", body = EditProblem, content_type = "application/problem+json"),
               (status = 409, description = "The id exists", body = EditProblem, content_type = "application/problem+json"),
               (status = 413, description = "Body too large", body = EditProblem, content_type = "application/problem+json"),
               (status = 422, description = "Invalid fields, every one", body = EditProblem, content_type = "application/problem+json")))]
fn create_record() {}

#[utoipa::path(get, path = "/api/records/{kind}/{id}",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("id" = String, Path, description = "The record's id")),
    responses((status = 200, description = "The record; its ETag is its version", body = Record),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Seen but not editable by this viewer", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such record (or not visible)", body = EditProblem, content_type = "application/problem+json")))]
fn get_record() {}

#[utoipa::path(put, path = "/api/records/{kind}/{id}",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("id" = String, Path, description = "The record's id"),
           ("reason" = Option<String>, Query, description = "Why the change is made (at most 500 characters): kept in the history, shown to the reviewer"),
           ("If-Match" = String, Header, description = "The ETag of the version edited"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    request_body(content = Record, description = "The whole record"),
    responses((status = 200, description = "Published, with its new ETag", body = Record),
               (status = 202, description = "Waiting for review", body = Pending),
               (status = 400, description = "Not JSON, or a bad If-Match", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed (pointer names the field when it is one)", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such record", body = EditProblem, content_type = "application/problem+json"),
               (status = 412, description = "The record changed since that version (current_version)", body = EditProblem, content_type = "application/problem+json"),
               (status = 413, description = "Body too large", body = EditProblem, content_type = "application/problem+json"),
               (status = 422, description = "Invalid fields, every one", body = EditProblem, content_type = "application/problem+json"),
               (status = 428, description = "If-Match missing", body = EditProblem, content_type = "application/problem+json")))]
fn put_record() {}

#[utoipa::path(delete, path = "/api/records/{kind}/{id}",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("id" = String, Path, description = "The record's id"),
           ("reason" = Option<String>, Query, description = "Why the change is made (at most 500 characters): kept in the history, shown to the reviewer"),
           ("If-Match" = String, Header, description = "The ETag of the version archived"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    responses((status = 200, description = "Archived", body = Record),
               (status = 202, description = "Waiting for review", body = Pending),
               (status = 400, description = "A bad If-Match", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such record", body = EditProblem, content_type = "application/problem+json"),
               (status = 412, description = "The record changed since that version", body = EditProblem, content_type = "application/problem+json"),
               (status = 428, description = "If-Match missing", body = EditProblem, content_type = "application/problem+json")))]
fn delete_record() {}

#[utoipa::path(get, path = "/api/records/{kind}/{id}/history",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("id" = String, Path, description = "The record's id")),
    responses((status = 200, description = "Every version, newest first, with its field changes", body = History),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such record", body = EditProblem, content_type = "application/problem+json")))]
fn record_history() {}

#[utoipa::path(get, path = "/api/records/{kind}/{id}/versions/{version}",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("id" = String, Path, description = "The record's id"),
           ("version" = String, Path, description = "A version number")),
    responses((status = 200, description = "That version, whole", body = StoredVersion),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such record or version", body = EditProblem, content_type = "application/problem+json")))]
fn record_version() {}

#[utoipa::path(post, path = "/api/records/{kind}/{id}/restore",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("id" = String, Path, description = "The record's id"),
           ("If-Match" = String, Header, description = "The ETag of the current version"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    request_body(content = RestoreBody),
    responses((status = 200, description = "Restored: a new version equal to that one", body = Record),
               (status = 202, description = "Waiting for review", body = Pending),
               (status = 400, description = "Not JSON, or a bad If-Match", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such record", body = EditProblem, content_type = "application/problem+json"),
               (status = 412, description = "The record changed since that version", body = EditProblem, content_type = "application/problem+json"),
               (status = 422, description = "No such version, or it is no longer valid", body = EditProblem, content_type = "application/problem+json"),
               (status = 428, description = "If-Match missing", body = EditProblem, content_type = "application/problem+json")))]
fn restore_record() {}

#[utoipa::path(post, path = "/api/records/{kind}/{id}/verify",
    params(("kind" = String, Path, description = "organizations, sportelli, services, offers or projects"),
           ("id" = String, Path, description = "The record's id"),
           ("If-Match" = String, Header, description = "The ETag of the current version"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    request_body(content = VerifyBody),
    responses((status = 200, description = "Those fields' verified dates are now", body = Record),
               (status = 400, description = "Not JSON, or a bad If-Match", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not allowed", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such record", body = EditProblem, content_type = "application/problem+json"),
               (status = 412, description = "The record changed since that version", body = EditProblem, content_type = "application/problem+json"),
               (status = 422, description = "A field this kind does not track", body = EditProblem, content_type = "application/problem+json"),
               (status = 428, description = "If-Match missing", body = EditProblem, content_type = "application/problem+json")))]
fn verify_record() {}

#[utoipa::path(get, path = "/api/changes",
    params(("status" = Option<String>, Query, description = "pending (default), approved, rejected, withdrawn, published_unreviewed, a comma-separated list, or all"),
           ("organization" = Option<String>, Query, description = "Only this organisation's"),
           ("record" = Option<String>, Query, description = "Only this record's: {kind}/{id}")),
    responses((status = 200, description = "The change requests the viewer follows, newest first", body = ChangeList),
               (status = 400, description = "Bad parameter", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "A role that edits nothing", body = EditProblem, content_type = "application/problem+json")))]
fn list_changes() {}

#[utoipa::path(get, path = "/api/changes/{id}",
    params(("id" = String, Path, description = "The change request's id")),
    responses((status = 200, description = "The request with its diffs", body = ChangeWithDiffs),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "A role that edits nothing", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such request (or not followed)", body = EditProblem, content_type = "application/problem+json")))]
fn get_change() {}

#[utoipa::path(post, path = "/api/changes/{id}/approve",
    params(("id" = String, Path, description = "The change request's id"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    request_body(content = DecisionBody),
    responses((status = 200, description = "Approved and published", body = Decided),
               (status = 400, description = "Not JSON", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a reviewer of its territory", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such request", body = EditProblem, content_type = "application/problem+json"),
               (status = 409, description = "Decided already, or the record moved on (changes and meanwhile)", body = EditProblem, content_type = "application/problem+json"),
               (status = 422, description = "The proposal is no longer valid", body = EditProblem, content_type = "application/problem+json")))]
fn approve_change() {}

#[utoipa::path(post, path = "/api/changes/{id}/reject",
    params(("id" = String, Path, description = "The change request's id"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    request_body(content = DecisionBody),
    responses((status = 200, description = "Rejected; the author sees the reason", body = Decided),
               (status = 400, description = "Not JSON", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a reviewer of its territory", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such request", body = EditProblem, content_type = "application/problem+json"),
               (status = 409, description = "Decided already", body = EditProblem, content_type = "application/problem+json"),
               (status = 422, description = "No reason given", body = EditProblem, content_type = "application/problem+json")))]
fn reject_change() {}

#[utoipa::path(post, path = "/api/changes/{id}/withdraw",
    params(("id" = String, Path, description = "The change request's id"),
           ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (not with a bearer token)")),
    responses((status = 200, description = "Withdrawn", body = Decided),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not its author", body = EditProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such request", body = EditProblem, content_type = "application/problem+json"),
               (status = 409, description = "Decided already", body = EditProblem, content_type = "application/problem+json")))]
fn withdraw_change() {}

#[utoipa::path(post, path = "/api/feedback",
    request_body(content = FeedbackBody),
    responses((status = 202, description = "Received", body = Accepted),
               (status = 400, description = "Not JSON", body = EditProblem, content_type = "application/problem+json"),
               (status = 413, description = "Body too large", body = EditProblem, content_type = "application/problem+json"),
               (status = 422, description = "No such public sportello, or an unknown kind or field", body = EditProblem, content_type = "application/problem+json"),
               (status = 429, description = "Too many reports from this address: try again after Retry-After seconds", body = EditProblem, content_type = "application/problem+json")))]
fn send_feedback() {}

#[utoipa::path(get, path = "/api/feedback",
    params(("location" = Option<String>, Query, description = "Only this sportello's"),
           ("organization" = Option<String>, Query, description = "Only this organisation's")),
    responses((status = 200, description = "Feedback about the sportelli the viewer follows, newest first", body = FeedbackList),
               (status = 400, description = "Bad parameter", body = EditProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = EditProblem, content_type = "application/problem+json"),
               (status = 403, description = "A role that edits nothing", body = EditProblem, content_type = "application/problem+json")))]
fn list_feedback() {}

#[derive(OpenApi)]
#[openapi(
    paths(
        list_records,
        create_record,
        get_record,
        put_record,
        delete_record,
        record_history,
        record_version,
        restore_record,
        verify_record,
        list_changes,
        get_change,
        approve_change,
        reject_change,
        withdraw_change,
        send_feedback,
        list_feedback
    ),
    components(schemas(
        FieldError,
        EditProblem,
        FieldChange,
        Record,
        RecordList,
        ChangeRequest,
        Pending,
        ChangeList,
        ChangeWithDiffs,
        Decided,
        DecisionBody,
        HistoryEntry,
        History,
        StoredVersion,
        RestoreBody,
        VerifyBody,
        FeedbackBody,
        Accepted,
        FeedbackItem,
        FeedbackList
    ))
)]
pub struct EditDoc;

/// The write API's part of the document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    EditDoc::openapi()
}
