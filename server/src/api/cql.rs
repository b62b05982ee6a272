//! CQL2 filters (OGC API - Features Part 3), in text or JSON, over the collections' queryables.

use super::error::{Error, Result};
use crate::index::{Offer, Sportello};
use bussola_cql2::{Expr, Feature, Geometry, Value};
use std::borrow::Cow;

/// Most characters a filter may have.
pub const MAX_FILTER_LEN: usize = 4096;

/// The encodings `filter-lang` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterLang {
    /// `cql2-text`, the default.
    Text,
    /// `cql2-json`.
    Json,
}

/// Reads `filter-lang` (absent: CQL2 text).
pub fn filter_lang(value: Option<&str>) -> Result<FilterLang> {
    match value {
        None | Some("cql2-text") => Ok(FilterLang::Text),
        Some("cql2-json") => Ok(FilterLang::Json),
        Some(other) => Err(Error::bad(
            "filter-lang",
            format!("unknown filter language {other:?}; use cql2-text or cql2-json"),
        )),
    }
}

/// Parses `filter` in `lang` and checks every property against `queryables`; errors name the
/// position (text) or the JSON Pointer (JSON).
pub fn parse(text: &str, lang: FilterLang, queryables: &[&str]) -> Result<Expr> {
    if text.chars().count() > MAX_FILTER_LEN {
        return Err(Error::bad(
            "filter",
            format!("longer than {MAX_FILTER_LEN} characters"),
        ));
    }
    let expr = match lang {
        FilterLang::Text => bussola_cql2::parse(text).map_err(|e| {
            Error::bad(
                "filter",
                format!("{} at position {}", e.message, e.position),
            )
        })?,
        FilterLang::Json => bussola_cql2::parse_json(text)
            .map_err(|e| Error::bad("filter", format!("CQL2-JSON: {e}")))?,
    };
    for (name, position) in expr.properties() {
        if !queryables.contains(&name.as_str()) {
            let at = match lang {
                FilterLang::Text => format!(" at position {position}"),
                FilterLang::Json => String::new(),
            };
            return Err(Error::bad(
                "filter",
                format!("unknown property {name:?}{at}; see the collection's /queryables"),
            ));
        }
    }
    Ok(expr)
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> Value<'a> {
    let mut v: Vec<&str> = items.collect();
    v.sort_unstable();
    v.dedup();
    Value::List(
        v.into_iter()
            .map(|s| Value::Str(Cow::Borrowed(s)))
            .collect(),
    )
}

fn text(s: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(s))
}

fn point(p: crate::model::LonLat) -> Geometry {
    Geometry::Point([p.lon(), p.lat()])
}

/// Queryables of the `sportelli` collection.
pub const SPORTELLI: &[&str] = &[
    "id",
    "name",
    "comune",
    "organization",
    "category",
    "language",
    "audience",
    "cost",
    "appointment_required",
    "updated",
    "geometry",
];

/// A sportello seen by a filter; list properties gather the given offers.
pub struct SportelloView<'a> {
    pub sportello: &'a Sportello,
    pub offers: Vec<&'a Offer>,
}

impl Feature for SportelloView<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        let l = &self.sportello.location;
        match name {
            "id" => text(l.id.as_str()),
            "name" => l
                .name
                .get("it")
                .map(|(_, v)| text(v))
                .unwrap_or(Value::Null),
            "comune" => text(&l.address.comune_istat),
            "organization" => text(l.organization_id.as_str()),
            "category" => list(
                self.offers
                    .iter()
                    .flat_map(|o| o.service.categories.iter().map(String::as_str)),
            ),
            "language" => list(
                self.offers
                    .iter()
                    .flat_map(|o| o.service.languages.iter().map(String::as_str)),
            ),
            "audience" => list(
                self.offers
                    .iter()
                    .flat_map(|o| o.service.audiences.iter().map(String::as_str)),
            ),
            "cost" => list(self.offers.iter().map(|o| o.service.cost.as_str())),
            "appointment_required" => Value::List(
                self.offers
                    .iter()
                    .map(|o| Value::Bool(o.service.appointment_required))
                    .collect(),
            ),
            "updated" => l
                .meta
                .updated_at
                .map(|t| Value::Str(Cow::Owned(super::render::rfc3339(&t))))
                .unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }
    fn geometry(&self, _name: &str) -> Option<Geometry> {
        Some(point(self.sportello.location.point))
    }
}

/// Queryables of the `services` collection.
pub const SERVICES: &[&str] = &[
    "id",
    "name",
    "service",
    "sportello",
    "comune",
    "organization",
    "category",
    "language",
    "audience",
    "cost",
    "appointment_required",
    "updated",
    "geometry",
];

/// One service at a sportello seen by a filter.
pub struct ServiceView<'a> {
    pub sportello: &'a Sportello,
    pub offer: &'a Offer,
}

impl Feature for ServiceView<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        let s = &self.offer.service;
        match name {
            "id" => text(self.offer.sal.id.as_str()),
            "service" => text(s.id.as_str()),
            "name" => s
                .name
                .get("it")
                .map(|(_, v)| text(v))
                .unwrap_or(Value::Null),
            "sportello" => text(self.sportello.location.id.as_str()),
            "comune" => text(&self.sportello.location.address.comune_istat),
            "organization" => text(s.organization_id.as_str()),
            "category" => list(s.categories.iter().map(String::as_str)),
            "language" => list(s.languages.iter().map(String::as_str)),
            "audience" => list(s.audiences.iter().map(String::as_str)),
            "cost" => text(s.cost.as_str()),
            "appointment_required" => Value::Bool(s.appointment_required),
            "updated" => s
                .meta
                .updated_at
                .map(|t| Value::Str(Cow::Owned(super::render::rfc3339(&t))))
                .unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }
    fn geometry(&self, _name: &str) -> Option<Geometry> {
        Some(point(self.sportello.location.point))
    }
}

/// Queryables of the `projects` collection.
pub const PROJECTS: &[&str] = &[
    "id",
    "code",
    "fund",
    "programme_period",
    "phase",
    "lead_organization",
    "start_date",
    "end_date",
    "budget_eur",
    "comune",
];

/// A project seen by a filter.
pub struct ProjectView<'a>(pub &'a crate::model::Project);

impl Feature for ProjectView<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        let p = self.0;
        fn opt(s: &Option<String>) -> Value<'_> {
            s.as_deref().map(text).unwrap_or(Value::Null)
        }
        match name {
            "id" => text(p.id.as_str()),
            "code" => opt(&p.code),
            "fund" => text(&p.fund),
            "programme_period" => opt(&p.programme_period),
            "phase" => text(match p.phase {
                crate::model::Phase::Planned => "planned",
                crate::model::Phase::Active => "active",
                crate::model::Phase::Closed => "closed",
            }),
            "lead_organization" => p
                .lead_organization_id
                .as_ref()
                .map(|i| text(i.as_str()))
                .unwrap_or(Value::Null),
            "start_date" => p
                .start_date
                .map(|d| Value::Str(Cow::Owned(d.to_string())))
                .unwrap_or(Value::Null),
            "end_date" => p
                .end_date
                .map(|d| Value::Str(Cow::Owned(d.to_string())))
                .unwrap_or(Value::Null),
            "budget_eur" => p.budget_eur.map(Value::Number).unwrap_or(Value::Null),
            "comune" => list(p.territory.iter().map(String::as_str)),
            _ => Value::Null,
        }
    }
    fn geometry(&self, _name: &str) -> Option<Geometry> {
        None
    }
}

/// Queryables of the `comuni` collection.
pub const COMUNI: &[&str] = &["istat", "name", "province", "population", "geometry"];

/// A comune seen by a filter.
pub struct ComuneView<'a>(pub &'a crate::model::Comune);

impl Feature for ComuneView<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        let c = self.0;
        match name {
            "istat" => text(&c.istat),
            "name" => text(&c.name),
            "province" => c.province.as_deref().map(text).unwrap_or(Value::Null),
            "population" => c
                .population
                .map(|p| Value::Number(p as f64))
                .unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }
    fn geometry(&self, _name: &str) -> Option<Geometry> {
        Some(Geometry::MultiPolygon(
            self.0
                .boundary
                .0
                .iter()
                .map(|p| {
                    std::iter::once(p.exterior())
                        .chain(p.interiors())
                        .map(|r| r.0.iter().map(|c| [c.x, c.y]).collect())
                        .collect()
                })
                .collect(),
        ))
    }
}
