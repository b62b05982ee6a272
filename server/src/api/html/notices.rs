//! What a sportello's page announces before it happens: the closures, replacement hours and
//! places of its `upcoming` notices and its services' (the feature's own, beginning within
//! `model::UPCOMING_DAYS` days), each with its dates in the page's language and its message.

use super::dates;
use super::page::esc;
use super::strings::Ui;
use chrono::NaiveDate;
use serde_json::Value;

/// The "Coming up" section of an item page, or nothing when nothing is announced. Data text
/// (service names, messages) carries `lang_attr` (` lang="it"`, or empty).
pub fn upcoming(doc: &Value, ui: Ui, lang_attr: &str) -> String {
    let p = &doc["properties"];
    let mut items = String::new();
    let mut add = |whose: Option<&str>, list: &Value| {
        for n in list.as_array().into_iter().flatten() {
            items.push_str(&line(ui, whose, n, lang_attr));
        }
    };
    add(None, &p["upcoming"]);
    for s in p["services"].as_array().into_iter().flatten() {
        add(s["name"].as_str(), &s["upcoming"]);
    }
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<section class=\"notice upcoming\" id=\"upcoming\"><h2>{}</h2><ul>{items}</ul></section>",
        esc(ui.w().upcoming)
    )
}

/// One announced notice: "Closed: August 10, 2027 – August 24, 2027 — Chiuso per ferie".
fn line(ui: Ui, whose: Option<&str>, n: &Value, lang_attr: &str) -> String {
    let w = ui.w();
    let label = match (n["kind"].as_str(), n["places"].as_str()) {
        (Some("closed"), _) => w.closed,
        (Some("hours"), _) => w.other_hours,
        (Some("saturation"), Some("full")) => w.full,
        (Some("saturation"), Some("waiting_list")) => w.waiting_list,
        (Some("saturation"), _) => w.available,
        _ => return String::new(),
    };
    let day = |k: &str| n[k].as_str().and_then(|d| d.parse::<NaiveDate>().ok());
    let when = match (day("from"), day("until")) {
        (Some(f), Some(u)) => format!("{} – {}", dates::date(ui, f), dates::date(ui, u)),
        (Some(f), None) => w.from_date.replace("{date}", &dates::date(ui, f)),
        _ => String::new(),
    };
    let data = |t: &str| format!("<span{lang_attr}>{}</span>", esc(t));
    let mut out = String::from("<li>");
    if let Some(name) = whose {
        out.push_str(&format!("{} — ", data(name)));
    }
    out.push_str(&format!("<strong>{}</strong>: {}", esc(label), esc(&when)));
    if let Some(m) = n["message"].as_str() {
        out.push_str(&format!(" — {}", data(m)));
    }
    out.push_str("</li>");
    out
}
