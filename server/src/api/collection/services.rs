//! `services`: one feature per service offered at a sportello, at the sportello's point.

use super::queryable::{
    declared, field, field_of, getter, instant, list, opt, text, Field, Type, Values,
};
use super::sportelli::{self, candidates, COSTS};
use super::{Collection, Geometry, Item, Matches, Query, Queryable};
use crate::api::render;
use crate::api::work::Ticker;
use crate::index::{Catalog, Filter, Offer, Sportello};
use bussola_cql2::{Feature, Value};
use chrono::{DateTime, Utc};

pub struct Services;

/// Reads a property off a service at its sportello.
type Get = for<'x> fn(&'x Sportello, &'x Offer) -> Value<'x>;

static FIELDS: &[Field<Get>] = &[
    field(
        "id",
        Type::String,
        "The id of the service at this sportello",
        |_, o| text(o.sal.id.as_str()),
    ),
    field(
        "name",
        Type::String,
        "The service's name in Italian",
        |_, o| opt(o.service.name.get("it").map(|(_, v)| v)),
    ),
    field("service", Type::String, "The service's id", |_, o| {
        text(o.service.id.as_str())
    }),
    field("sportello", Type::String, "The sportello's id", |s, _| {
        text(s.location.id.as_str())
    }),
    field(
        "comune",
        Type::String,
        "ISTAT code of the sportello's comune",
        |s, _| text(&s.location.address.comune_istat),
    ),
    field(
        "organization",
        Type::String,
        "Id of the organisation providing the service",
        |_, o| text(o.service.organization_id.as_str()),
    ),
    field_of(
        "category",
        Type::Strings,
        Values::Categories,
        "Its categories of need",
        |_, o| list(o.service.categories.iter().map(String::as_str)),
    ),
    field(
        "language",
        Type::Strings,
        "Languages spoken (BCP 47)",
        |_, o| list(o.service.languages.iter().map(String::as_str)),
    ),
    field_of(
        "audience",
        Type::Strings,
        Values::Audiences,
        "Who it is for",
        |_, o| list(o.service.audiences.iter().map(String::as_str)),
    ),
    field_of(
        "cost",
        Type::String,
        Values::Fixed(COSTS),
        "What it costs",
        |_, o| text(o.service.cost.as_str()),
    ),
    field(
        "appointment_required",
        Type::Boolean,
        "Whether it needs an appointment",
        |_, o| Value::Bool(o.service.appointment_required),
    ),
    field(
        "updated",
        Type::DateTime,
        "When the service was last changed",
        |_, o| instant(o.service.meta.updated_at),
    ),
    field("geometry", Type::Point, "Where its sportello is", |_, _| {
        Value::Null
    }),
];

struct View<'a> {
    sportello: &'a Sportello,
    offer: &'a Offer,
}

impl Feature for View<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        getter(FIELDS, name).map_or(Value::Null, |get| get(self.sportello, self.offer))
    }
    fn geometry(&self, _name: &str) -> Option<bussola_cql2::Geometry> {
        Some(sportelli::point(self.sportello))
    }
}

fn offer_ok(q: &Query, s: &Sportello, o: &Offer) -> bool {
    q.filter.offer_matches(s, o)
        && q.updated_ok(o.service.meta.updated_at.max(o.sal.meta.updated_at))
        && q.cql_ok(&View {
            sportello: s,
            offer: o,
        })
}

fn write(q: &Query, s: &Sportello, o: &Offer, d: Option<f64>, out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(out, &render::service(s, o, &q.lang, q.now, d));
}

impl Collection for Services {
    fn id(&self) -> &'static str {
        "services"
    }
    fn title(&self) -> &'static str {
        "Services, one feature per service at a sportello"
    }
    fn description(&self) -> &'static str {
        "One feature per service offered at a sportello, at the sportello's point, with its hours"
    }
    fn geometry(&self) -> Geometry {
        Geometry::Point
    }
    fn queryables(&self) -> Vec<&'static Queryable> {
        declared(FIELDS)
    }
    fn service_filters(&self) -> bool {
        true
    }
    fn time_dependent(&self) -> bool {
        true
    }
    fn always_heavy(&self) -> bool {
        true
    }
    fn extent(&self, c: &Catalog, f: &Filter) -> Option<[f64; 4]> {
        c.sportelli_extent(f)
    }
    fn updated(&self, c: &Catalog, f: &Filter) -> Option<DateTime<Utc>> {
        sportelli::updated(c, f)
    }
    fn features(&self, c: &Catalog, q: &Query, ticker: &mut Ticker) -> Matches {
        let mut all = Vec::new();
        for (s, d) in candidates(c, q, None, ticker) {
            let Some(i) = c.index_of(s) else { continue };
            for (j, o) in s.offers.iter().enumerate() {
                if ticker.tick() && offer_ok(q, s, o) {
                    all.push(Item::At(i, j, d));
                }
            }
        }
        Matches::all(all)
    }
    fn write(&self, c: &Catalog, q: &Query, item: &Item, out: &mut Vec<u8>) {
        if let Item::At(i, j, d) = item {
            if let Some(s) = c.sportelli().get(*i) {
                if let Some(o) = s.offers.get(*j) {
                    write(q, s, o, *d, out);
                }
            }
        }
    }
    fn feature(&self, c: &Catalog, q: &Query, id: &str) -> Option<Vec<u8>> {
        let (loc, _) = id.split_once('~')?;
        let s = c.sportello(loc).filter(|s| q.filter.sees(s))?;
        let o = s
            .offers
            .iter()
            .find(|o| o.sal.id.as_str() == id && q.filter.sees_offer(s, o))?;
        let mut out = Vec::with_capacity(2048);
        write(q, s, o, None, &mut out);
        Some(out)
    }
}
