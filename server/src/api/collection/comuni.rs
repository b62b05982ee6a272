//! `comuni`: the territory's comuni with their boundaries, population and how many
//! sportelli the viewer may see in each. Comuni are public records.

use super::queryable::{declared, field, getter, opt, text, Field, Type};
use super::{Collection, Geometry, Item, Matches, Query, Queryable};
use crate::api::render;
use crate::api::work::Ticker;
use crate::index::{Catalog, Filter};
use crate::model::Comune;
use bussola_cql2::{Feature, Value};
use chrono::{DateTime, Utc};
use serde_json::Value as Json;

pub struct Comuni;

type Get = for<'x> fn(&'x Comune) -> Value<'x>;

static FIELDS: &[Field<Get>] = &[
    field("istat", Type::String, "ISTAT code", |c| text(&c.istat)),
    field("name", Type::String, "Name", |c| text(&c.name)),
    field("province", Type::String, "Province code", |c| {
        opt(c.province.as_deref())
    }),
    field("population", Type::Number, "Resident population", |c| {
        c.population
            .map(|p| Value::Number(p as f64))
            .unwrap_or(Value::Null)
    }),
    field("geometry", Type::MultiPolygon, "Its boundary", |_| {
        Value::Null
    }),
];

struct View<'a>(&'a Comune);

impl Feature for View<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        getter(FIELDS, name).map_or(Value::Null, |get| get(self.0))
    }
    fn geometry(&self, _name: &str) -> Option<bussola_cql2::Geometry> {
        Some(super::cql_area(&self.0.boundary))
    }
}

fn write(c: &Catalog, q: &Query, k: &Comune, out: &mut Vec<u8>) {
    let n = c.sportelli_in(&k.istat, &q.filter);
    let _ = serde_json::to_writer(out, &render::comune(k, n));
}

impl Collection for Comuni {
    fn id(&self) -> &'static str {
        "comuni"
    }
    fn title(&self) -> &'static str {
        "Comuni with their boundaries"
    }
    fn description(&self) -> &'static str {
        "One feature per comune of the territory, with its population and the number of sportelli in it"
    }
    fn geometry(&self) -> Geometry {
        Geometry::MultiPolygon
    }
    fn queryables(&self) -> Vec<&'static Queryable> {
        declared(FIELDS)
    }
    fn extent(&self, c: &Catalog, _f: &Filter) -> Option<[f64; 4]> {
        super::union_of(
            c.comuni
                .values()
                .filter_map(|x| geo::BoundingRect::bounding_rect(&x.boundary)),
        )
    }
    fn updated(&self, _c: &Catalog, _f: &Filter) -> Option<DateTime<Utc>> {
        None
    }
    fn describe_more(&self, c: &Catalog, v: &mut Json) {
        add_attribution(v, crate::territory::attribution_in(c.metadata.as_ref()));
    }
    fn features(&self, c: &Catalog, q: &Query, ticker: &mut Ticker) -> Matches {
        let items = c
            .comuni
            .values()
            .filter(|k| {
                ticker.tick()
                    && q.datetime.is_none()
                    && q.cql_ok(&View(k))
                    && q.bbox
                        .is_none_or(|b| super::intersects_bbox(&k.boundary, &b))
            })
            .map(|k| Item::Key(k.istat.as_str().into()))
            .collect();
        Matches::all(items)
    }
    fn write(&self, c: &Catalog, q: &Query, item: &Item, out: &mut Vec<u8>) {
        if let Item::Key(id) = item {
            if let Some(k) = c.comuni.get(&**id) {
                write(c, q, k, out);
            }
        }
    }
    fn feature(&self, c: &Catalog, q: &Query, id: &str) -> Option<Vec<u8>> {
        let k = c.comuni.get(id)?;
        let mut out = Vec::with_capacity(16 * 1024);
        write(c, q, k, &mut out);
        Some(out)
    }
}

/// The shipped territory's sources, when the comuni are the shipped ones: an `attribution`
/// text, a `license` (SPDX ids) and one `license` link per source (OGC API - Features links).
fn add_attribution(v: &mut Json, sources: Option<&Json>) {
    let Some(sources) = sources.and_then(Json::as_object) else {
        return;
    };
    let field = |k: &str| {
        sources
            .values()
            .filter_map(|s| s.get(k).and_then(Json::as_str))
            .collect::<Vec<_>>()
    };
    v["attribution"] = serde_json::json!(field("attribution").join("; "));
    v["license"] = serde_json::json!(field("license").join(" AND "));
    if let Some(links) = v["links"].as_array_mut() {
        for s in sources.values() {
            if let (Some(href), Some(title)) = (
                s.get("license_url").and_then(Json::as_str),
                s.get("attribution").and_then(Json::as_str),
            ) {
                links.push(serde_json::json!({"href": href, "rel": "license", "type": "text/html", "title": title}));
            }
        }
    }
}
