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

/// The pointer of a translations entry's member (`name/en`, `by` → `/translations/name~1en/by`).
fn translation_pointer(key: &str, member: &str) -> String {
    let key = key.replace('~', "~0").replace('/', "~1");
    if member.is_empty() {
        format!("/translations/{key}")
    } else {
        format!("/translations/{key}/{member}")
    }
}

/// Each translations entry of a record body (`{"translations": {"name/en": {"by": …}}}`)
/// says who wrote the value, `machine` or `person`: anything else is a problem at its
/// `by`. Read from the body itself, so the pointer is exact whatever serde makes of it.
pub fn translation_kinds(body: &Value) -> Vec<FieldProblem> {
    let Some(t) = body.get("translations") else {
        return Vec::new();
    };
    let Some(entries) = t.as_object() else {
        return vec![FieldProblem {
            pointer: "/translations".into(),
            detail: "must be an object: {\"name/en\": {\"by\": \"machine\"}, …}".into(),
        }];
    };
    let mut out = Vec::new();
    for (key, entry) in entries {
        let by = entry.get("by").and_then(Value::as_str);
        if !entry.is_object() || by.and_then(crate::model::TranslatedBy::parse).is_none() {
            out.push(FieldProblem {
                pointer: translation_pointer(key, "by"),
                detail: format!(
                    "{} is not who translated it: use \"machine\" or \"person\"",
                    entry
                        .get("by")
                        .map_or("nothing".to_owned(), Value::to_string)
                ),
            });
        }
    }
    out
}

/// A BCP 47 tag's shape: a 2–3 letter language, then subtags of letters and digits.
fn language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Each translations key names a text of the record in a language (`name/en`: the record's
/// `name` has an `en` value); a key that names nothing is refused, not kept.
pub fn translation_targets(t: &crate::model::Translations, record: &Value) -> Vec<FieldProblem> {
    t.0.keys()
        .filter(|key| {
            let lang_like = key.rsplit('/').next().is_some_and(language_tag);
            let text = record
                .pointer(&format!("/{key}"))
                .and_then(Value::as_str)
                .is_some_and(|s| !s.trim().is_empty());
            !(key.contains('/') && lang_like && text)
        })
        .map(|key| FieldProblem {
            pointer: translation_pointer(key, ""),
            detail: format!(
                "the record has no text at {key}: a key is a translated field and its \
                 language, such as name/en, and the record must hold that text"
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn translations_say_machine_or_person_at_an_existing_text() {
        let body = json!({"translations": {"name/en": {"by": "robot"}, "description/fr": {"by": "machine"},
                                            "x/y": "person"}});
        let got: Vec<String> = translation_kinds(&body)
            .into_iter()
            .map(|p| p.pointer)
            .collect();
        assert_eq!(got, ["/translations/name~1en/by", "/translations/x~1y/by"]);
        assert!(translation_kinds(&json!({"name": {"it": "x"}})).is_empty());
        let record = json!({"name": {"it": "Sportello", "en": "Desk"}, "description": {"it": "…"}});
        let t: crate::model::Translations = serde_json::from_value(json!({
            "name/en": {"by": "machine"}, "description/en": {"by": "machine"}, "name": {"by": "person"}
        }))
        .unwrap();
        let got: Vec<String> = translation_targets(&t, &record)
            .into_iter()
            .map(|p| p.pointer)
            .collect();
        assert_eq!(got, ["/translations/description~1en", "/translations/name"]);
    }

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
