//! Typed reading of JSON values with the failing field named: serde's error, found through
//! `serde_path_to_error`, as a path (`name.it`, `closed_on[0]`) and a reason in plain words
//! (`expected a string, found the number 42`).

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Where inside a value reading failed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path from the value read (`phones[0].number`); empty for the value itself.
    pub path: String,
    pub reason: String,
}

impl FieldError {
    /// `prefix` and the path joined (`properties` + `name.it` = `properties.name.it`).
    pub fn field(&self, prefix: &str) -> String {
        match (prefix.is_empty(), self.path.is_empty()) {
            (_, true) => prefix.to_owned(),
            (true, false) => self.path.clone(),
            (false, false) if self.path.starts_with('[') => format!("{prefix}{}", self.path),
            (false, false) => format!("{prefix}.{}", self.path),
        }
    }
}

/// Reads a `T` from `v`, naming the field at fault.
pub fn typed<T: DeserializeOwned>(v: &Value) -> Result<T, FieldError> {
    serde_path_to_error::deserialize::<_, T>(v).map_err(|e| {
        let mut path = String::new();
        let mut here = Some(v);
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            match seg {
                Segment::Seq { index } => {
                    path.push_str(&format!("[{index}]"));
                    here = here.and_then(|h| h.get(index));
                }
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    here = here.and_then(|h| h.get(key));
                }
                Segment::Unknown => here = None,
            }
        }
        let message = super::serde_reason(e.inner());
        let (path, reason) = explain(path, &message, here);
        FieldError { path, reason }
    })
}

/// Serde's wording in plain words, with the offending value where it helps.
fn explain(mut path: String, message: &str, value: Option<&Value>) -> (String, String) {
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(field);
        return (path, "missing".to_owned());
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return (
                path,
                format!(
                    "expected {}, found {}",
                    expected_words(expected),
                    found_words(found)
                ),
            );
        }
    }
    // chrono's date parser
    let date_reason = match message {
        "input is out of range" | "no possible date and time matching input" => {
            Some("is not a date that exists")
        }
        "input contains invalid characters"
        | "premature end of input"
        | "trailing input"
        | "bad or unsupported format string" => Some("is not a YYYY-MM-DD date"),
        _ => None,
    };
    if let (Some(why), Some(Value::String(s))) = (date_reason, value) {
        return (path, format!("{s:?} {why}"));
    }
    (path, message.to_owned())
}

fn found_words(found: &str) -> String {
    let inner = |p: &str| {
        found
            .strip_prefix(p)
            .map(|s| s.trim_matches('`').to_owned())
    };
    if let Some(n) = inner("integer ").or_else(|| inner("floating point ")) {
        format!("the number {n}")
    } else if let Some(s) = found.strip_prefix("string ") {
        format!("the text {s}")
    } else if let Some(b) = inner("boolean ") {
        b
    } else {
        match found {
            "sequence" => "an array".to_owned(),
            "map" => "an object".to_owned(),
            "unit value" | "null" => "null".to_owned(),
            other => other.to_owned(),
        }
    }
}

fn expected_words(expected: &str) -> String {
    match expected {
        "a map" => "an object".to_owned(),
        "a sequence" => "an array".to_owned(),
        "a boolean" => "true or false".to_owned(),
        "u64" | "i64" | "u32" | "i32" => "a whole number".to_owned(),
        "f64" | "f32" => "a number".to_owned(),
        "a formatted date string" => "a YYYY-MM-DD date".to_owned(),
        e if e.starts_with("struct ") => "an object".to_owned(),
        e => e.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Service;
    use serde_json::json;

    #[test]
    fn names_the_field_and_the_value() {
        let e = typed::<Service>(&json!({
            "id": "svc-a", "organization_id": "org-a", "name": {"it": 42}, "categories": []
        }))
        .unwrap_err();
        assert_eq!(e.field("properties"), "properties.name.it");
        assert_eq!(e.reason, "expected a string, found the number 42");

        let e =
            typed::<bussola_hours::Schedule>(&json!({"closed_on": ["2026-02-30"]})).unwrap_err();
        assert_eq!(e.path, "closed_on[0]");
        assert_eq!(e.reason, "\"2026-02-30\" is not a date that exists");

        let e = typed::<Service>(&json!({"id": "svc-a", "organization_id": "org-a"})).unwrap_err();
        assert_eq!((e.path.as_str(), e.reason.as_str()), ("name", "missing"));
    }
}
