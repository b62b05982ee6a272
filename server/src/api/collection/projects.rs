//! `projects`: funded projects (FAMI and others), each over the union of the comuni it covers.

use super::queryable::{declared, field, field_of, getter, list, opt, text, Field, Type, Values};
use super::{Collection, Geometry, Item, Matches, Query, Queryable};
use crate::access::{RecordScope, Viewer};
use crate::api::render;
use crate::api::work::Ticker;
use crate::index::{Catalog, Filter};
use crate::model::{Phase, Project};
use bussola_cql2::{Feature, Value};
use chrono::{DateTime, Utc};
use std::borrow::Cow;

pub struct Projects;

type Get = for<'x> fn(&'x Project) -> Value<'x>;

fn date(d: Option<chrono::NaiveDate>) -> Value<'static> {
    d.map(|d| Value::Str(Cow::Owned(d.to_string())))
        .unwrap_or(Value::Null)
}

static FIELDS: &[Field<Get>] = &[
    field("id", Type::String, "The project's id", |p| {
        text(p.id.as_str())
    }),
    field("code", Type::String, "Its code (e.g. PROG-1234)", |p| {
        opt(p.code.as_deref())
    }),
    field(
        "fund",
        Type::String,
        "The fund financing it (e.g. FAMI)",
        |p| text(&p.fund),
    ),
    field(
        "programme_period",
        Type::String,
        "The programme period (e.g. 2021-2027)",
        |p| opt(p.programme_period.as_deref()),
    ),
    field_of(
        "phase",
        Type::String,
        Values::Fixed(&["planned", "active", "closed"]),
        "Where it stands",
        |p| {
            text(match p.phase {
                Phase::Planned => "planned",
                Phase::Active => "active",
                Phase::Closed => "closed",
            })
        },
    ),
    field(
        "lead_organization",
        Type::String,
        "Id of the lead organisation",
        |p| opt(p.lead_organization_id.as_ref().map(|i| i.as_str())),
    ),
    field("start_date", Type::Date, "When it starts", |p| {
        date(p.start_date)
    }),
    field("end_date", Type::Date, "When it ends", |p| date(p.end_date)),
    field("budget_eur", Type::Number, "Its budget in euros", |p| {
        p.budget_eur.map(Value::Number).unwrap_or(Value::Null)
    }),
    field(
        "comune",
        Type::Strings,
        "ISTAT codes of the comuni covered",
        |p| list(p.territory.iter().map(String::as_str)),
    ),
];

struct View<'a>(&'a Project);

impl Feature for View<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        getter(FIELDS, name).map_or(Value::Null, |get| get(self.0))
    }
    fn geometry(&self, _name: &str) -> Option<bussola_cql2::Geometry> {
        None
    }
}

fn sees(v: &Viewer, p: &Project) -> bool {
    v.can_see(RecordScope::of(
        &p.meta,
        p.lead_organization_id.as_ref(),
        &p.territory,
    ))
}

fn write(c: &Catalog, q: &Query, p: &Project, out: &mut Vec<u8>) {
    let area = c.project_areas().get(&p.id);
    let _ = serde_json::to_writer(out, &render::project(p, c, area, &q.lang));
}

impl Collection for Projects {
    fn id(&self) -> &'static str {
        "projects"
    }
    fn title(&self) -> &'static str {
        "Projects (e.g. FAMI) with the area of the comuni they cover"
    }
    fn description(&self) -> &'static str {
        "One feature per project, over the union of the comuni it covers"
    }
    fn geometry(&self) -> Geometry {
        Geometry::MultiPolygon
    }
    fn queryables(&self) -> Vec<&'static Queryable> {
        declared(FIELDS)
    }
    fn extent(&self, c: &Catalog, f: &Filter) -> Option<[f64; 4]> {
        let areas = c.project_areas();
        super::union_of(
            c.projects
                .values()
                .filter(|p| sees(&f.viewer, p))
                .filter_map(|p| areas.get(&p.id))
                .filter_map(geo::BoundingRect::bounding_rect),
        )
    }
    fn updated(&self, c: &Catalog, f: &Filter) -> Option<DateTime<Utc>> {
        c.projects
            .values()
            .filter(|p| sees(&f.viewer, p))
            .filter_map(|p| p.meta.updated_at)
            .max()
    }
    fn features(&self, c: &Catalog, q: &Query, ticker: &mut Ticker) -> Matches {
        let areas = c.project_areas();
        let items = c
            .projects
            .values()
            .filter(|p| {
                ticker.tick()
                    && sees(&q.filter.viewer, p)
                    && q.updated_ok(p.meta.updated_at)
                    && q.cql_ok(&View(p))
                    && q.bbox.is_none_or(|b| {
                        areas
                            .get(&p.id)
                            .is_some_and(|a| super::intersects_bbox(a, &b))
                    })
            })
            .map(|p| Item::Key(p.id.as_str().into()))
            .collect();
        Matches::all(items)
    }
    fn write(&self, c: &Catalog, q: &Query, item: &Item, out: &mut Vec<u8>) {
        if let Item::Key(id) = item {
            if let Some(p) = c.projects.get(&**id) {
                write(c, q, p, out);
            }
        }
    }
    fn feature(&self, c: &Catalog, q: &Query, id: &str) -> Option<Vec<u8>> {
        let p = c.projects.get(id).filter(|p| sees(&q.filter.viewer, p))?;
        let mut out = Vec::with_capacity(2048);
        write(c, q, p, &mut out);
        Some(out)
    }
}
