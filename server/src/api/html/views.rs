//! One function per view, each turning the JSON answer into the page body.

use super::map::{self, Mark};
use super::page::{esc, frame, html_link, with_params};
use super::strings::{Key, Ui};
use super::View;
use serde_json::Value;

/// What every view needs besides the JSON.
pub struct Ctx<'a> {
    pub ui: Ui,
    /// `http://host`.
    pub base: &'a str,
    /// The request path.
    pub path: &'a str,
    /// The request query without `f`.
    pub query: &'a str,
    /// The language the data text came in (Content-Language of the JSON answer).
    pub data_lang: Option<&'a str>,
}

impl Ctx<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    fn self_href(&self) -> String {
        if self.query.is_empty() {
            self.url(self.path)
        } else {
            format!("{}?{}", self.url(self.path), self.query)
        }
    }
    fn link(&self, path: &str) -> String {
        html_link(&self.url(path), self.ui)
    }
    fn data_lang_attr(&self) -> String {
        self.data_lang
            .map(|l| format!(" lang=\"{}\"", esc(l)))
            .unwrap_or_default()
    }
    fn crumbs(&self, extra: &[(String, String)]) -> Vec<(String, String)> {
        let mut c = vec![("Bussola API".to_owned(), self.link("/api"))];
        c.extend_from_slice(extra);
        c
    }
}

/// The page for `view` from the JSON `doc`.
pub fn render(view: &View, doc: &Value, ctx: &Ctx) -> String {
    match view {
        View::Landing => landing(doc, ctx),
        View::Collections => collections(doc, ctx),
        View::Collection(_) => collection(doc, ctx),
        View::Items(id) => items(id, doc, ctx),
        View::Item(id, _) => item(id, doc, ctx),
    }
}

fn text<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn a(href: &str, label: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(label))
}

fn landing(doc: &Value, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let mut b = format!("<p>{}</p>", esc(ui.t(Key::Intro)));
    if doc["demo"].as_bool() == Some(true) {
        b.push_str(&format!("<p class=\"notice\">{}</p>", esc(ui.t(Key::Demo))));
    }
    b.push_str("<ul class=\"links\">");
    for (label, href) in [
        (ui.t(Key::Collections), ctx.link("/api/collections")),
        (ui.t(Key::Conformance), ctx.url("/api/conformance")),
        (ui.t(Key::ApiDefinition), ctx.url("/api/openapi.json")),
        (ui.t(Key::AsJson), ctx.url("/api?f=json")),
    ] {
        b.push_str(&format!("<li>{}</li>", a(&href, label)));
    }
    b.push_str("</ul>");
    frame(ui, ui.t(Key::Title), &ctx.crumbs(&[]), &ctx.self_href(), &b)
}

fn collections(doc: &Value, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let mut b = format!(
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(ui.t(Key::Collection)),
        esc(ui.t(Key::Id)),
        esc(ui.t(Key::Items))
    );
    for c in doc["collections"].as_array().into_iter().flatten() {
        let id = text(c, "id");
        b.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td><td>{} · {}</td></tr>",
            a(
                &ctx.link(&format!("/api/collections/{id}")),
                text(c, "title")
            ),
            esc(id),
            a(
                &ctx.link(&format!("/api/collections/{id}/items")),
                ui.t(Key::Items)
            ),
            a(
                &ctx.url(&format!("/api/collections/{id}/items?f=geojson")),
                ui.t(Key::AsGeoJson)
            ),
        ));
    }
    b.push_str("</tbody></table>");
    b.push_str(&format!(
        "<p>{}</p>",
        a(&ctx.url("/api/collections?f=json"), ui.t(Key::AsJson))
    ));
    let crumbs = ctx.crumbs(&[(ui.t(Key::Collections).to_owned(), String::new())]);
    frame(ui, ui.t(Key::Collections), &crumbs, &ctx.self_href(), &b)
}

fn collection(doc: &Value, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let id = text(doc, "id");
    let mut b = String::from("<dl>");
    let mut row = |k: Key, v: String| {
        b.push_str(&format!("<dt>{}</dt><dd>{v}</dd>", esc(ui.t(k))));
    };
    row(Key::Id, format!("<code>{}</code>", esc(id)));
    if let Some(bbox) = doc["extent"]["spatial"]["bbox"][0].as_array() {
        let nums: Vec<String> = bbox
            .iter()
            .filter_map(Value::as_f64)
            .map(|x| format!("{x:.5}"))
            .collect();
        row(Key::Extent, esc(&nums.join(", ")));
    }
    if let Some(at) = doc["attribution"].as_str() {
        row(Key::Attribution, esc(at));
    }
    if let Some(l) = doc["license"].as_str() {
        let links: Vec<String> = doc["links"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|l| l["rel"] == "license")
            .map(|l| a(text(l, "href"), text(l, "title")))
            .collect();
        let extra = if links.is_empty() {
            String::new()
        } else {
            format!(" ({})", links.join("; "))
        };
        row(Key::License, format!("{}{extra}", esc(l)));
    }
    b.push_str("</dl><ul class=\"links\">");
    for (label, href) in [
        (
            ui.t(Key::Items),
            ctx.link(&format!("/api/collections/{id}/items")),
        ),
        (
            ui.t(Key::AsGeoJson),
            ctx.url(&format!("/api/collections/{id}/items?f=geojson")),
        ),
        (
            ui.t(Key::Queryables),
            ctx.url(&format!("/api/collections/{id}/queryables")),
        ),
        (
            ui.t(Key::AsJson),
            ctx.url(&format!("/api/collections/{id}?f=json")),
        ),
    ] {
        b.push_str(&format!("<li>{}</li>", a(&href, label)));
    }
    b.push_str("</ul>");
    let crumbs = ctx.crumbs(&[
        (
            ui.t(Key::Collections).to_owned(),
            ctx.link("/api/collections"),
        ),
        (id.to_owned(), String::new()),
    ]);
    frame(ui, text(doc, "title"), &crumbs, &ctx.self_href(), &b)
}

/// A feature's display name: `name`, else `title`, else its id.
fn feature_name(f: &Value) -> String {
    let p = &f["properties"];
    [p.get("name"), p.get("title")]
        .into_iter()
        .flatten()
        .find_map(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| id_of(f))
}

fn id_of(f: &Value) -> String {
    match &f["id"] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The table's columns: the scalar properties of the first features, and the comune of an
/// address, at most eight.
fn columns(features: &[Value]) -> Vec<String> {
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

fn cell(f: &Value, col: &str) -> String {
    let v = col.split('.').fold(&f["properties"], |v, k| &v[k]);
    scalar(v).map(|s| esc(&s)).unwrap_or_default()
}

fn items(collection: &str, doc: &Value, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let features: &[Value] = doc["features"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let returned = features.len();
    let mut b = format!(
        "<p class=\"count\">{returned} {} {}",
        esc(ui.t(Key::Features)),
        esc(ui.t(Key::Shown))
    );
    if let Some(m) = doc["numberMatched"].as_u64() {
        b.push_str(&format!(" {} {m}", esc(ui.t(Key::Of))));
    }
    b.push_str("</p>");
    let item_link = |f: &Value| {
        let id = id_of(f);
        let path = format!(
            "/api/collections/{collection}/items/{}",
            url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        );
        ctx.link(&path)
    };
    let marks: Vec<Mark> = features
        .iter()
        .filter(|f| f["geometry"].is_object())
        .map(|f| Mark {
            geometry: &f["geometry"],
            label: feature_name(f),
            href: Some(item_link(f)),
        })
        .collect();
    if let Some(svg) = map::svg(&marks, ui.t(Key::Map)) {
        b.push_str(&format!("<figure{}>{svg}</figure>", ctx.data_lang_attr()));
    }
    let mut nav = String::new();
    for l in doc["links"].as_array().into_iter().flatten() {
        let label = match l["rel"].as_str() {
            Some("prev") => ui.t(Key::Prev),
            Some("next") => ui.t(Key::Next),
            _ => continue,
        };
        nav.push_str(&format!(
            "<li>{}</li>",
            a(&html_link(text(l, "href"), ui), label)
        ));
    }
    if features.is_empty() {
        b.push_str(&format!("<p>{}</p>", esc(ui.t(Key::NoFeatures))));
    } else {
        let cols = columns(features);
        b.push_str(&format!(
            "<div class=\"scroll\"><table{}><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
            ctx.data_lang_attr(),
            esc(ui.t(Key::Id)),
            esc(ui.t(Key::Name))
        ));
        for c in &cols {
            b.push_str(&format!("<th scope=\"col\"><code>{}</code></th>", esc(c)));
        }
        b.push_str("</tr></thead><tbody>");
        for f in features {
            b.push_str(&format!(
                "<tr><td>{}</td><td>{}</td>",
                a(&item_link(f), &id_of(f)),
                esc(&feature_name(f))
            ));
            for c in &cols {
                b.push_str(&format!("<td>{}</td>", cell(f, c)));
            }
            b.push_str("</tr>");
        }
        b.push_str("</tbody></table></div>");
    }
    if !nav.is_empty() {
        b.push_str(&format!("<nav class=\"pages\"><ul>{nav}</ul></nav>"));
    }
    let geojson = with_params(&ctx.self_href(), &[("f", "geojson")]);
    b.push_str(&format!("<p>{}</p>", a(&geojson, ui.t(Key::AsGeoJson))));
    let crumbs = ctx.crumbs(&[
        (
            ui.t(Key::Collections).to_owned(),
            ctx.link("/api/collections"),
        ),
        (
            collection.to_owned(),
            ctx.link(&format!("/api/collections/{collection}")),
        ),
        (ui.t(Key::Items).to_owned(), String::new()),
    ]);
    let title = format!("{} — {collection}", ui.t(Key::Items));
    frame(ui, &title, &crumbs, &ctx.self_href(), &b)
}

/// Any JSON value as HTML: scalars as text, lists of scalars joined, the rest as nested lists
/// and tables.
fn value_html(v: &Value, depth: usize) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::Array(a) if a.is_empty() => "—".to_owned(),
        Value::Array(a) if a.iter().all(|x| scalar(x).is_some()) => {
            esc(&a.iter().filter_map(scalar).collect::<Vec<_>>().join(", "))
        }
        _ if depth > 6 => esc(&v.to_string()),
        Value::Array(a) => format!(
            "<ol>{}</ol>",
            a.iter()
                .map(|x| format!("<li>{}</li>", value_html(x, depth + 1)))
                .collect::<String>()
        ),
        Value::Object(m) => format!(
            "<table class=\"props\"><tbody>{}</tbody></table>",
            m.iter()
                .map(|(k, x)| format!(
                    "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
                    esc(k),
                    value_html(x, depth + 1)
                ))
                .collect::<String>()
        ),
        v => esc(&scalar(v).unwrap_or_default()),
    }
}

fn item(collection: &str, doc: &Value, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let name = feature_name(doc);
    let mut b = String::new();
    if doc["geometry"].is_object() {
        let mark = [Mark {
            geometry: &doc["geometry"],
            label: name.clone(),
            href: None,
        }];
        if let Some(svg) = map::svg(&mark, ui.t(Key::Map)) {
            b.push_str(&format!("<figure{}>{svg}</figure>", ctx.data_lang_attr()));
        }
    } else {
        b.push_str(&format!("<p>{}</p>", esc(ui.t(Key::NoGeometry))));
    }
    b.push_str(&format!(
        "<h2>{}</h2><div class=\"scroll\"{}>{}</div>",
        esc(ui.t(Key::Properties)),
        ctx.data_lang_attr(),
        value_html(&doc["properties"], 0)
    ));
    let geojson = with_params(&ctx.self_href(), &[("f", "geojson")]);
    b.push_str(&format!("<p>{}</p>", a(&geojson, ui.t(Key::AsGeoJson))));
    let crumbs = ctx.crumbs(&[
        (
            ui.t(Key::Collections).to_owned(),
            ctx.link("/api/collections"),
        ),
        (
            collection.to_owned(),
            ctx.link(&format!("/api/collections/{collection}")),
        ),
        (
            ui.t(Key::Items).to_owned(),
            ctx.link(&format!("/api/collections/{collection}/items")),
        ),
        (id_of(doc), String::new()),
    ]);
    frame(ui, &name, &crumbs, &ctx.self_href(), &b)
}
