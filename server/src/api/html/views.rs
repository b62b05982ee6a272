//! One function per view, each turning the JSON answer into the page body.

use super::format;
use super::map::{self, Mark};
use super::page::{esc, frame, html_link, with_params};
use super::strings::Ui;
use super::values::{cell, columns, feature_name, id_of, value_html};
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
    let mut b = format!("<p>{}</p>", esc(ui.w().intro));
    if doc["demo"].as_bool() == Some(true) {
        b.push_str(&format!("<p class=\"notice\">{}</p>", esc(ui.w().demo)));
    }
    b.push_str("<ul class=\"links\">");
    for (label, href) in [
        (ui.w().collections, ctx.link("/api/collections")),
        (ui.w().conformance, ctx.url("/api/conformance")),
        (ui.w().api_definition, ctx.url("/api/openapi.json")),
        (ui.w().as_json, ctx.url("/api?f=json")),
    ] {
        b.push_str(&format!("<li>{}</li>", a(&href, label)));
    }
    b.push_str("</ul>");
    frame(
        ui,
        ctx.base,
        ui.w().title,
        &ctx.crumbs(&[]),
        &ctx.self_href(),
        &b,
    )
}

fn collections(doc: &Value, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let mut b = format!(
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(ui.w().collection),
        esc(ui.w().id),
        esc(ui.w().items)
    );
    for c in doc["collections"].as_array().into_iter().flatten() {
        let id = text(c, "id");
        b.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td><td>{} · {}</td></tr>",
            a(
                &ctx.link(&format!("/api/collections/{id}")),
                ui.collection_name(id).unwrap_or(text(c, "title"))
            ),
            esc(id),
            a(
                &ctx.link(&format!("/api/collections/{id}/items")),
                ui.w().items
            ),
            a(
                &ctx.url(&format!("/api/collections/{id}/items?f=geojson")),
                ui.w().as_geojson
            ),
        ));
    }
    b.push_str("</tbody></table>");
    b.push_str(&format!(
        "<p>{}</p>",
        a(&ctx.url("/api/collections?f=json"), ui.w().as_json)
    ));
    let crumbs = ctx.crumbs(&[(ui.w().collections.to_owned(), String::new())]);
    frame(
        ui,
        ctx.base,
        ui.w().collections,
        &crumbs,
        &ctx.self_href(),
        &b,
    )
}

fn collection(doc: &Value, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let id = text(doc, "id");
    let mut b = String::from("<dl>");
    let mut row = |k: &str, v: String| {
        b.push_str(&format!("<dt>{}</dt><dd>{v}</dd>", esc(k)));
    };
    row(ui.w().id, format!("<code>{}</code>", esc(id)));
    if let Some(bbox) = doc["extent"]["spatial"]["bbox"][0].as_array() {
        let nums: Vec<String> = bbox
            .iter()
            .filter_map(Value::as_f64)
            .map(|x| format::number(ui, x, Some(5)))
            .collect();
        row(ui.w().extent, esc(&nums.join(" · ")));
    }
    if let Some(at) = doc["attribution"].as_str() {
        row(ui.w().attribution, esc(at));
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
        row(ui.w().license, format!("{}{extra}", esc(l)));
    }
    b.push_str("</dl><ul class=\"links\">");
    for (label, href) in [
        (
            ui.w().items,
            ctx.link(&format!("/api/collections/{id}/items")),
        ),
        (
            ui.w().as_geojson,
            ctx.url(&format!("/api/collections/{id}/items?f=geojson")),
        ),
        (
            ui.w().queryables,
            ctx.url(&format!("/api/collections/{id}/queryables")),
        ),
        (
            ui.w().as_json,
            ctx.url(&format!("/api/collections/{id}?f=json")),
        ),
    ] {
        b.push_str(&format!("<li>{}</li>", a(&href, label)));
    }
    b.push_str("</ul>");
    let crumbs = ctx.crumbs(&[
        (ui.w().collections.to_owned(), ctx.link("/api/collections")),
        (
            ui.collection_name(id).unwrap_or(id).to_owned(),
            String::new(),
        ),
    ]);
    let title = ui.collection_name(id).unwrap_or(text(doc, "title"));
    frame(ui, ctx.base, title, &crumbs, &ctx.self_href(), &b)
}

/// The map with its legend: which mark is which collection. The legend is in the page's
/// language and direction (it mirrors in Arabic and Urdu); the map itself never mirrors.
fn figure(svg: &str, marks: &[Mark], collection: &str, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let name = ui.collection_name(collection).unwrap_or(collection);
    let mut kinds: Vec<&str> = marks
        .iter()
        .map(|m| match m.geometry["type"].as_str() {
            Some("Point" | "MultiPoint") => "point",
            _ => "area",
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let entries: String = kinds
        .iter()
        .map(|k| {
            format!(
                "<li><span class=\"swatch {k}\" aria-hidden=\"true\"></span>{}</li>",
                esc(name)
            )
        })
        .collect();
    format!(
        "<figure><div{}>{svg}</div><figcaption class=\"legend\"><span>{}</span><ul>{entries}</ul></figcaption></figure>",
        ctx.data_lang_attr(),
        esc(ui.w().legend)
    )
}

fn items(collection: &str, doc: &Value, ctx: &Ctx) -> String {
    let ui = ctx.ui;
    let features: &[Value] = doc["features"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let returned = features.len();
    let count = |x: u64| format::number(ui, x as f64, None);
    let shown = match doc["numberMatched"].as_u64() {
        Some(m) => ui
            .w()
            .shown_of
            .replace("{n}", &count(returned as u64))
            .replace("{m}", &count(m)),
        None => ui.w().shown.replace("{n}", &count(returned as u64)),
    };
    let mut b = format!("<p class=\"count\">{}</p>", esc(&shown));
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
    if let Some(svg) = map::svg(&marks, ui.w().map) {
        b.push_str(&figure(&svg, &marks, collection, ctx));
    }
    let mut nav = String::new();
    for l in doc["links"].as_array().into_iter().flatten() {
        let label = match l["rel"].as_str() {
            Some("prev") => ui.w().prev,
            Some("next") => ui.w().next,
            _ => continue,
        };
        nav.push_str(&format!(
            "<li>{}</li>",
            a(&html_link(text(l, "href"), ui), label)
        ));
    }
    if features.is_empty() {
        b.push_str(&format!("<p>{}</p>", esc(ui.w().no_features)));
    } else {
        let cols = columns(features);
        b.push_str(&format!(
            "<div class=\"scroll\"><table{}><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
            ctx.data_lang_attr(),
            esc(ui.w().id),
            esc(ui.w().name)
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
                b.push_str(&format!("<td>{}</td>", cell(f, c, ui)));
            }
            b.push_str("</tr>");
        }
        b.push_str("</tbody></table></div>");
    }
    if !nav.is_empty() {
        b.push_str(&format!("<nav class=\"pages\"><ul>{nav}</ul></nav>"));
    }
    let geojson = with_params(&ctx.self_href(), &[("f", "geojson")]);
    b.push_str(&format!("<p>{}</p>", a(&geojson, ui.w().as_geojson)));
    let crumbs = ctx.crumbs(&[
        (ui.w().collections.to_owned(), ctx.link("/api/collections")),
        (
            ui.collection_name(collection)
                .unwrap_or(collection)
                .to_owned(),
            ctx.link(&format!("/api/collections/{collection}")),
        ),
        (ui.w().items.to_owned(), String::new()),
    ]);
    let title = format!("{} — {collection}", ui.w().items);
    frame(ui, ctx.base, &title, &crumbs, &ctx.self_href(), &b)
}

/// "Machine translated: name, description" for a feature whose `machine_translated` lists
/// fields (its own and, by service name, its services'), or nothing.
fn machine_note(props: &Value, ctx: &Ctx) -> String {
    let list = |p: &Value| -> Vec<String> {
        p["machine_translated"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let mut fields = list(props);
    for s in props["services"].as_array().into_iter().flatten() {
        let name = s["name"].as_str().unwrap_or("");
        fields.extend(list(s).into_iter().map(|f| format!("{name}: {f}")));
    }
    if fields.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"notice machine-translated\">{}: <span{}>{}</span></p>",
        esc(ctx.ui.w().machine_translated),
        ctx.data_lang_attr(),
        esc(&fields.join(", "))
    )
}

/// "Fonte: Comune di Venezia · CC-BY-4.0" for a feature with a `provenance` (the credit
/// its licence asks for: the attribution when given, else the source), linked to the
/// source's page when it has one; and the same for each service from another source.
fn source_note(props: &Value, ctx: &Ctx) -> String {
    let credit = |p: &Value| -> Option<String> {
        let who = p["attribution"].as_str().or(p["source"].as_str())?;
        let who = match p["url"]
            .as_str()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        {
            Some(url) => a(url, who),
            None => esc(who),
        };
        Some(match p["licence"].as_str() {
            Some(l) => format!("{who} · {}", esc(l)),
            None => who,
        })
    };
    let mut lines: Vec<String> = credit(&props["provenance"]).into_iter().collect();
    for s in props["services"].as_array().into_iter().flatten() {
        if let Some(c) = credit(&s["provenance"]) {
            lines.push(format!("{}: {c}", esc(s["name"].as_str().unwrap_or(""))));
        }
    }
    lines
        .iter()
        .map(|l| {
            format!(
                "<p class=\"source\">{}: <span{}>{l}</span></p>",
                esc(ctx.ui.w().source),
                ctx.data_lang_attr()
            )
        })
        .collect()
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
        if let Some(svg) = map::svg(&mark, ui.w().map) {
            b.push_str(&figure(&svg, &mark, collection, ctx));
        }
    } else {
        b.push_str(&format!("<p>{}</p>", esc(ui.w().no_geometry)));
    }
    b.push_str(&super::notices::upcoming(doc, ui, &ctx.data_lang_attr()));
    b.push_str(&machine_note(&doc["properties"], ctx));
    b.push_str(&source_note(&doc["properties"], ctx));
    b.push_str(&format!(
        "<h2>{}</h2><div class=\"scroll\"{}>{}</div>",
        esc(ui.w().properties),
        ctx.data_lang_attr(),
        value_html(&doc["properties"], 0, ui)
    ));
    let geojson = with_params(&ctx.self_href(), &[("f", "geojson")]);
    b.push_str(&format!("<p>{}</p>", a(&geojson, ui.w().as_geojson)));
    let crumbs = ctx.crumbs(&[
        (ui.w().collections.to_owned(), ctx.link("/api/collections")),
        (
            ui.collection_name(collection)
                .unwrap_or(collection)
                .to_owned(),
            ctx.link(&format!("/api/collections/{collection}")),
        ),
        (
            ui.w().items.to_owned(),
            ctx.link(&format!("/api/collections/{collection}/items")),
        ),
        (id_of(doc), String::new()),
    ]);
    frame(ui, ctx.base, &name, &crumbs, &ctx.self_href(), &b)
}
