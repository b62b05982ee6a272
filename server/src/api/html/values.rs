//! The data's values as the pages show them: a feature's name and id, the table's columns and
//! cells, and any JSON value as nested lists and tables; numbers and dates in the page's
//! language, every text escaped.

use super::dates;
use super::format;
use super::page::esc;
use super::strings::Ui;
use serde_json::Value;

/// A feature's display name: `name`, else `title`, else its id.
pub fn feature_name(f: &Value) -> String {
    let p = &f["properties"];
    [p.get("name"), p.get("title")]
        .into_iter()
        .flatten()
        .find_map(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| id_of(f))
}

pub fn id_of(f: &Value) -> String {
    match &f["id"] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The table's columns: the scalar properties of the first features, and the comune of an
/// address, at most eight.
pub fn columns(features: &[Value]) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for f in features.iter().take(20) {
        let Some(p) = f["properties"].as_object() else {
            continue;
        };
        for (k, v) in p {
            if matches!(k.as_str(), "name" | "title") || cols.contains(k) {
                continue;
            }
            if scalar(v).is_some() {
                cols.push(k.clone());
            } else if k == "address"
                && v.get("comune").is_some()
                && !cols.iter().any(|c| c == "address.comune")
            {
                cols.push("address.comune".into());
            }
        }
    }
    cols.truncate(8);
    cols
}

/// A scalar as the page shows it: numbers and dates in the page's language.
pub fn shown(v: &Value, ui: Ui) -> Option<String> {
    match v {
        Value::Number(n) => n.as_f64().map(|x| format::number(ui, x, None)),
        Value::String(s) => dates::written(ui, s).or_else(|| Some(s.clone())),
        v => scalar(v),
    }
}

pub fn cell(f: &Value, col: &str, ui: Ui) -> String {
    let v = col.split('.').fold(&f["properties"], |v, k| &v[k]);
    shown(v, ui).map(|s| esc(&s)).unwrap_or_default()
}

/// Any JSON value as HTML: scalars as text, lists of scalars joined, the rest as nested lists
/// and tables.
pub fn value_html(v: &Value, depth: usize, ui: Ui) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::Array(a) if a.is_empty() => "—".to_owned(),
        Value::Array(a) if a.iter().all(|x| scalar(x).is_some()) => esc(&a
            .iter()
            .filter_map(|x| shown(x, ui))
            .collect::<Vec<_>>()
            .join(", ")),
        _ if depth > 6 => esc(&v.to_string()),
        Value::Array(a) => format!(
            "<ol>{}</ol>",
            a.iter()
                .map(|x| format!("<li>{}</li>", value_html(x, depth + 1, ui)))
                .collect::<String>()
        ),
        Value::Object(m) => format!(
            "<table class=\"props\"><tbody>{}</tbody></table>",
            m.iter()
                .map(|(k, x)| format!(
                    "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
                    esc(k),
                    value_html(x, depth + 1, ui)
                ))
                .collect::<String>()
        ),
        v => esc(&shown(v, ui).unwrap_or_default()),
    }
}
