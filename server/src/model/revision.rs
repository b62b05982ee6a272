//! Editing: who changed what (revisions and record versions, with field-level diffs), the
//! changes waiting for review, and anonymous feedback from the public.
//!
//! Every commit through the write path takes a revision and names its [`Origin`]; every record
//! row it writes is kept as a [`RecordVersion`] in the same transaction, so the history of a
//! record is the list of its versions and the field-level "old → new" of a revision is the
//! [`diff`] of two consecutive versions.

use super::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The kinds of directory record that can be edited (comuni come from ISTAT, not editors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Organization,
    Location,
    Service,
    ServiceAtLocation,
    Project,
}

impl RecordKind {
    /// Every kind, in dependency order (an organisation before its sportelli…).
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Organization,
        RecordKind::Location,
        RecordKind::Service,
        RecordKind::ServiceAtLocation,
        RecordKind::Project,
    ];

    /// The store's table name and the serialised name: `organization`, `location`…
    pub fn as_str(&self) -> &'static str {
        match self {
            RecordKind::Organization => "organization",
            RecordKind::Location => "location",
            RecordKind::Service => "service",
            RecordKind::ServiceAtLocation => "service_at_location",
            RecordKind::Project => "project",
        }
    }

    /// The kind a table name names.
    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What made a commit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A file imported with the CLI or the import API.
    #[default]
    Import,
    /// The demo data loaded at start.
    Demo,
    /// A write through the HTTP API by a signed-in user.
    Api,
    /// A coordinator approving a change request.
    Review,
    /// An earlier version restored.
    Restore,
    /// An update campaign's no-login form.
    Campaign,
}

/// Who made a commit, why, and through what. Stored with the revision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The user name (or `campaign:<id>`, `cli`); none for the demo loader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The reason the author gave, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default)]
    pub source: Source,
    /// When approving: the coordinator who approved (the author is who proposed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
}

/// One stored version of a record: the whole record as it was written by one revision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordVersion {
    pub kind: RecordKind,
    pub id: Id,
    /// The record's version (1, 2, …).
    pub version: i64,
    /// The revision that wrote it.
    pub revision: i64,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub origin: Origin,
    /// The record as JSON (the same document the store keeps; store-managed fields included).
    pub doc: Value,
}

/// One field's change between two versions. `field` is a JSON Pointer (RFC 6901) into the
/// record (`/name/it`, `/address/street`, `/schedule`); `old` is absent for a new field,
/// `new` for a removed one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// Fields the store manages, left out of diffs (they change with every version).
const STORE_FIELDS: [&str; 3] = ["version", "created_at", "updated_at"];

/// How deep objects are walked: below it a whole value is one change. Opening hours
/// (`/schedule`) and translated texts (`/name/it`) stay readable this way.
const DEPTH: usize = 2;

/// The field-level changes from `old` to `new` (either may be `null`: a created or a removed
/// record). Objects are compared key by key down to two levels; arrays and deeper values are
/// compared whole. Store-managed fields are ignored. Sorted by field.
pub fn diff(old: &Value, new: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk(&mut out, String::new(), old, new, 0);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn walk(out: &mut Vec<FieldChange>, at: String, old: &Value, new: &Value, depth: usize) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) if depth < DEPTH => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                if depth == 0 && STORE_FIELDS.contains(&k.as_str()) {
                    continue;
                }
                let field = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                let null = Value::Null;
                walk(
                    out,
                    field,
                    a.get(k).unwrap_or(&null),
                    b.get(k).unwrap_or(&null),
                    depth + 1,
                );
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(FieldChange {
            field: if at.is_empty() { "/".into() } else { at },
            old: (!a.is_null()).then(|| a.clone()),
            new: (!b.is_null()).then(|| b.clone()),
        }),
    }
}

/// Where a change request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    /// Waiting for a coordinator; the public keeps the published version.
    Pending,
    /// Approved and published (`applied_revision` says when).
    Approved,
    /// Refused, with the coordinator's reason, which the author sees.
    Rejected,
    /// Taken back by its author before a decision.
    Withdrawn,
    /// A trusted organisation's edit: published at once, to be reviewed afterwards.
    PublishedUnreviewed,
}

impl ChangeStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeStatus::Pending => "pending",
            ChangeStatus::Approved => "approved",
            ChangeStatus::Rejected => "rejected",
            ChangeStatus::Withdrawn => "withdrawn",
            ChangeStatus::PublishedUnreviewed => "published_unreviewed",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeStatus> {
        [
            ChangeStatus::Pending,
            ChangeStatus::Approved,
            ChangeStatus::Rejected,
            ChangeStatus::Withdrawn,
            ChangeStatus::PublishedUnreviewed,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// What a change request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    /// Create the record (`base_version` is none) or replace it with `proposed`.
    Upsert,
    /// Archive the record.
    Archive,
}

/// An operator's proposed change to one record, kept until a coordinator decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeRequest {
    /// A random id (`cr-` and 20 hex digits).
    pub id: String,
    pub kind: RecordKind,
    pub record_id: Id,
    /// The organisation that owns the record (who may see the request besides coordinators).
    pub organization_id: Id,
    /// The comuni the record is in (for a coordinator's territory), as of the proposal.
    #[serde(default)]
    pub comuni: Vec<String>,
    pub action: ChangeAction,
    /// The version the author edited; none when creating.
    pub base_version: Option<i64>,
    /// The whole proposed record (JSON, store-managed fields left out); null for an archive.
    pub proposed: Value,
    pub author: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub status: ChangeStatus,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// A rejection's reason (or an approval's comment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    /// The revision that published it, once published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_revision: Option<i64>,
}

/// What a member of the public said about a sportello. No personal data: no text, no
/// position, no address; the rate limit keys on a hash the server keeps only in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    /// "This was right."
    Right,
    /// "Something here is wrong."
    Wrong,
    /// "The desk was closed when I went."
    Closed,
}

impl FeedbackKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            FeedbackKind::Right => "right",
            FeedbackKind::Wrong => "wrong",
            FeedbackKind::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackKind> {
        [
            FeedbackKind::Right,
            FeedbackKind::Wrong,
            FeedbackKind::Closed,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// One piece of anonymous feedback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// The sportello (location id).
    pub location_id: Id,
    /// Its organisation, as of the feedback (who is shown it).
    pub organization_id: Id,
    /// Its comune (for the coordinator of the territory).
    pub comune_istat: String,
    pub kind: FeedbackKind,
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_fields_by_pointer_and_skips_store_fields() {
        let old =
            json!({"name": {"it": "A"}, "version": 1, "phones": [], "address": {"street": "x"}});
        let new = json!({"name": {"it": "B", "en": "B"}, "version": 2, "phones": [{"number": "1"}],
                         "address": {"street": "x"}});
        let d = diff(&old, &new);
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["/name/en", "/name/it", "/phones"]);
        assert_eq!(d[0].old, None);
        assert_eq!(d[1].old, Some(json!("A")));
        assert_eq!(d[1].new, Some(json!("B")));
    }

    #[test]
    fn a_created_record_is_every_field_new() {
        let d = diff(&Value::Null, &json!({"a": 1, "b": {"c": 2}}));
        assert_eq!(
            d.len(),
            1,
            "a whole new record is one change at the root: {d:?}"
        );
        assert_eq!(d[0].field, "/");
        // From an empty record, each new top-level field is one change, whole.
        let d = diff(&json!({}), &json!({"a": 1, "b": {"c": 2}}));
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["/a", "/b"]);
        assert_eq!(d[1].new, Some(json!({"c": 2})));
    }

    #[test]
    fn deep_values_are_one_change() {
        let old = json!({"schedule": {"weekly": [{"day": 1, "opens": "09:00"}]}});
        let new = json!({"schedule": {"weekly": [{"day": 1, "opens": "10:00"}]}});
        let d = diff(&old, &new);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "/schedule/weekly");
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ChangeStatus::parse("pending"), Some(ChangeStatus::Pending));
        assert_eq!(ChangeStatus::parse("nope"), None);
        assert_eq!(FeedbackKind::parse("closed"), Some(FeedbackKind::Closed));
    }
}
