//! Field errors as JSON Pointers into the request body: the import's dotted paths
//! (`properties.address.comune_istat`, `phones[0].number`) and serde's, turned into
//! `/address/comune_istat` and `/phones/0/number`.

use crate::api::error::FieldProblem;
use serde_json::{Map, Value};

/// A dotted path (the import's and serde's spelling) as a JSON Pointer (RFC 6901) into the
/// record: the GeoJSON form's `properties.` prefix dropped, `[n]` an array index.
pub fn pointer(dotted: &str) -> String {
    let path = dotted.strip_prefix("properties").unwrap_or(dotted);
    let mut out = String::new();
    let mut segment = String::new();
    let push = |out: &mut String, seg: &mut String| {
        if !seg.is_empty() {
            out.push('/');
            out.push_str(&seg.replace('~', "~0").replace('/', "~1"));
            seg.clear();
        }
    };
    for ch in path.chars() {
        match ch {
            '.' | '[' | ']' => push(&mut out, &mut segment),
            c => segment.push(c),
        }
    }
    push(&mut out, &mut segment);
    out
}

/// A problem at a dotted field. A missing Italian text names its `it` member, which is what
/// the client must fill in.
pub fn problem(dotted: &str, detail: impl Into<String>) -> FieldProblem {
    let detail = detail.into();
    let mut pointer = pointer(dotted);
    if detail.starts_with("an Italian (\"it\") value") && !pointer.ends_with("/it") {
        pointer.push_str("/it");
    }
    FieldProblem { pointer, detail }
}

/// True for a value that says nothing (what the model leaves out when it writes a record).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_empty),
        Value::Number(_) | Value::Bool(true) => false,
    }
}

/// Members of `sent` the record read from it does not keep (`read` is that record written
/// back): a misspelt field must be refused, not dropped. Members that say nothing (null,
/// empty, false) are no loss. Only the top level is compared: nested objects are the model's
/// own `deny_unknown_fields` types.
pub fn dropped(sent: &Map<String, Value>, read: &Value) -> Vec<FieldProblem> {
    sent.iter()
        .filter(|(k, v)| read.get(k.as_str()).is_none() && !is_empty(v))
        .map(|(k, _)| FieldProblem {
            pointer: format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            detail: "unknown field (see docs/editing.md and the model's fields)".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_paths_become_pointers() {
        assert_eq!(
            pointer("properties.address.comune_istat"),
            "/address/comune_istat"
        );
        assert_eq!(pointer("phones[0].number"), "/phones/0/number");
        assert_eq!(pointer("closed_on[3]"), "/closed_on/3");
        assert_eq!(pointer("name"), "/name");
        assert_eq!(pointer(""), "");
        assert_eq!(pointer("a/b"), "/a~1b");
    }

    #[test]
    fn a_missing_italian_name_points_at_its_it_member() {
        let p = problem("properties.name", "an Italian (\"it\") value is required");
        assert_eq!(p.pointer, "/name/it");
        assert_eq!(problem("name.it", "missing").pointer, "/name/it");
    }

    #[test]
    fn unknown_members_are_reported_unless_they_say_nothing() {
        let sent = json!({"name": "x", "nmae": "y", "extra": null, "flags": [], "ok": 1});
        let read = json!({"name": "x", "ok": 1});
        let got: Vec<String> = dropped(sent.as_object().unwrap(), &read)
            .into_iter()
            .map(|p| p.pointer)
            .collect();
        assert_eq!(got, ["/nmae"]);
    }
}
