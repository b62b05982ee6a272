//! `sportelli`: each sportello (an HSDS location) with the services offered there.

use super::queryable::{declared, field, field_of, getter, list, text, Field, Type, Values};
use super::{Collection, Geometry, Item, Matches, Query, Queryable};
use crate::api::render;
use crate::api::work::Ticker;
use crate::index::{Catalog, Filter, Offer, Sportello};
use bussola_cql2::{Feature, Value};
use chrono::{DateTime, Utc};

pub struct Sportelli;

/// Reads a property off a sportello and the offers a filter looks at.
type Get = for<'x> fn(&'x Sportello, &'x [&'x Offer]) -> Value<'x>;

/// Costs a service may have.
pub const COSTS: &[&str] = &["free", "reduced", "paid"];

static FIELDS: &[Field<Get>] = &[
    field("id", Type::String, "The sportello's id", |s, _| {
        text(s.location.id.as_str())
    }),
    field("name", Type::String, "Its name in Italian", |s, _| {
        super::queryable::opt(s.location.name.get("it").map(|(_, v)| v))
    }),
    field(
        "comune",
        Type::String,
        "ISTAT code of its comune",
        |s, _| text(&s.location.address.comune_istat),
    ),
    field(
        "organization",
        Type::String,
        "Id of the organisation running it",
        |s, _| text(s.location.organization_id.as_str()),
    ),
    field_of(
        "category",
        Type::Strings,
        Values::Categories,
        "Categories of its services",
        |_, o| {
            list(
                o.iter()
                    .flat_map(|o| o.service.categories.iter().map(String::as_str)),
            )
        },
    ),
    field(
        "language",
        Type::Strings,
        "Languages spoken at its services (BCP 47)",
        |_, o| {
            list(
                o.iter()
                    .flat_map(|o| o.service.languages.iter().map(String::as_str)),
            )
        },
    ),
    field_of(
        "audience",
        Type::Strings,
        Values::Audiences,
        "Who its services are for",
        |_, o| {
            list(
                o.iter()
                    .flat_map(|o| o.service.audiences.iter().map(String::as_str)),
            )
        },
    ),
    field_of(
        "cost",
        Type::Strings,
        Values::Fixed(COSTS),
        "Costs of its services",
        |_, o| list(o.iter().map(|o| o.service.cost.as_str())),
    ),
    field(
        "appointment_required",
        Type::Booleans,
        "Whether each service needs an appointment",
        |_, o| {
            Value::List(
                o.iter()
                    .map(|o| Value::Bool(o.service.appointment_required))
                    .collect(),
            )
        },
    ),
    field(
        "updated",
        Type::DateTime,
        "When it was last changed",
        |s, _| super::queryable::instant(s.location.meta.updated_at),
    ),
    field("geometry", Type::Point, "Where it is", |_, _| Value::Null),
];

/// A sportello seen by a filter; list properties gather the given offers.
struct View<'a> {
    sportello: &'a Sportello,
    offers: Vec<&'a Offer>,
}

impl Feature for View<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        getter(FIELDS, name).map_or(Value::Null, |get| get(self.sportello, &self.offers))
    }
    fn geometry(&self, _name: &str) -> Option<bussola_cql2::Geometry> {
        Some(point(self.sportello))
    }
}

/// A sportello's point as a CQL2 geometry.
pub fn point(s: &Sportello) -> bussola_cql2::Geometry {
    bussola_cql2::Geometry::Point([s.location.point.lon(), s.location.point.lat()])
}

/// The sportelli `q` matches, in order (nearest first with `near`, else by id), with their
/// distances; at most `want` of them with `near`.
pub fn candidates<'c>(
    c: &'c Catalog,
    q: &Query,
    want: Option<usize>,
    ticker: &mut Ticker,
) -> Vec<(&'c Sportello, Option<f64>)> {
    let mut keep = |s: &Sportello| {
        ticker.tick()
            && q.updated_ok(s.location.meta.updated_at)
            && q.bbox.is_none_or(|b| b.contains(s.location.point))
            && q.cql.as_ref().is_none_or(|_| {
                let offers = s
                    .offers
                    .iter()
                    .filter(|o| q.filter.offer_matches(s, o))
                    .collect();
                q.cql_ok(&View {
                    sportello: s,
                    offers,
                })
            })
    };
    match q.near {
        Some(p) => {
            let n = want.unwrap_or(usize::MAX).min(c.sportelli().len());
            // The index applies the simple filters inside the search; the rest filters after it.
            let post = q.datetime.is_some() || q.bbox.is_some() || q.cql.is_some();
            let hits = if post {
                let all = c.nearest(p, &q.filter, c.sportelli().len(), q.radius);
                all.into_iter().filter(|(s, _)| keep(s)).take(n).collect()
            } else {
                c.nearest(p, &q.filter, n, q.radius)
            };
            hits.into_iter().map(|(s, d)| (s, Some(d))).collect()
        }
        None => {
            let base: Vec<&Sportello> = match &q.bbox {
                Some(b) => c.within(b, &q.filter),
                None => c
                    .sportelli()
                    .iter()
                    .filter(|s| q.filter.matches(s))
                    .collect(),
            };
            base.into_iter()
                .filter(|s| keep(s))
                .map(|s| (s, None))
                .collect()
        }
    }
}

/// The latest update among the sportelli the viewer may see.
pub fn updated(c: &Catalog, f: &Filter) -> Option<DateTime<Utc>> {
    c.sportelli()
        .iter()
        .filter(|s| f.sees(s))
        .filter_map(|s| s.location.meta.updated_at)
        .max()
}

fn write(c: &Catalog, q: &Query, s: &Sportello, d: Option<f64>, out: &mut Vec<u8>) {
    render::write_sportello(out, s, c, &q.lang, q.now, d, &q.scope, |o| {
        q.filter.offer_matches(s, o)
    });
}

impl Collection for Sportelli {
    fn id(&self) -> &'static str {
        "sportelli"
    }
    fn title(&self) -> &'static str {
        "Sportelli (service points) with the services offered at each"
    }
    fn description(&self) -> &'static str {
        "One feature per sportello (an HSDS location), with its services, their hours and whether each is open now"
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
    fn extent(&self, c: &Catalog, f: &Filter) -> Option<[f64; 4]> {
        c.sportelli_extent(f)
    }
    fn updated(&self, c: &Catalog, f: &Filter) -> Option<DateTime<Utc>> {
        updated(c, f)
    }
    fn features(&self, c: &Catalog, q: &Query, ticker: &mut Ticker) -> Matches {
        // Nearest first, the search stops one past the page.
        let want = q.near.map(|_| q.offset + q.limit + 1);
        let items = candidates(c, q, want, ticker)
            .into_iter()
            .filter_map(|(s, d)| c.index_of(s).map(|i| Item::At(i, 0, d)))
            .collect();
        Matches {
            items,
            complete: q.near.is_none(),
        }
    }
    fn write(&self, c: &Catalog, q: &Query, item: &Item, out: &mut Vec<u8>) {
        if let Item::At(i, _, d) = item {
            if let Some(s) = c.sportelli().get(*i) {
                write(c, q, s, *d, out);
            }
        }
    }
    fn feature(&self, c: &Catalog, q: &Query, id: &str) -> Option<Vec<u8>> {
        let s = c.sportello(id).filter(|s| q.filter.sees(s))?;
        let mut out = Vec::with_capacity(4096);
        write(c, q, s, None, &mut out);
        Some(out)
    }
}
