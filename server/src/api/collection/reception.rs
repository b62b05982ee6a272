//! `reception`: reception centres (CAS, SAI, CPA) with their kind, capacity and managing body.
//!
//! A restricted layer: every record in it is confidential (the importer refuses a public one),
//! so an anonymous visitor sees an empty collection, and a viewer sees the centres their
//! roles reach ([`crate::access`]): a Prefettura viewer or a coordinator those in their
//! territory, an operator those of their organisation, an admin all.

use super::queryable::{declared, field, field_of, getter, instant, text, Field, Type, Values};
use super::{Collection, Geometry, Item, Matches, Query, Queryable};
use crate::api::work::Ticker;
use crate::index::{Catalog, Filter};
use crate::model::{Location, ReceptionKind};
use bussola_cql2::{Feature, Value};
use chrono::{DateTime, Utc};
use serde_json::json;

pub struct Reception;

type Get = for<'x> fn(&'x Location) -> Value<'x>;

/// The kinds of centre, as the data spells them.
const KINDS: &[&str] = &["cas", "sai", "cpa"];

fn kind_of(l: &Location) -> &'static str {
    match l.reception.as_ref().map(|r| r.kind) {
        Some(ReceptionKind::Cas) => "cas",
        Some(ReceptionKind::Sai) => "sai",
        Some(ReceptionKind::Cpa) => "cpa",
        None => "",
    }
}

static FIELDS: &[Field<Get>] = &[
    field("id", Type::String, "The centre's id", |l| {
        text(l.id.as_str())
    }),
    field("name", Type::String, "Its name in Italian", |l| {
        super::queryable::opt(l.name.get("it").map(|(_, v)| v))
    }),
    field_of(
        "kind",
        Type::String,
        Values::Fixed(KINDS),
        "cas (straordinaria), sai (comune's network) or cpa (first reception)",
        |l| text(kind_of(l)),
    ),
    field("capacity", Type::Number, "Places under contract", |l| {
        l.reception
            .as_ref()
            .map_or(Value::Null, |r| Value::Number(f64::from(r.capacity)))
    }),
    field("comune", Type::String, "ISTAT code of its comune", |l| {
        text(&l.address.comune_istat)
    }),
    field(
        "organization",
        Type::String,
        "Id of the managing body",
        |l| text(l.organization_id.as_str()),
    ),
    field("updated", Type::DateTime, "When it was last changed", |l| {
        instant(l.meta.updated_at)
    }),
    field("geometry", Type::Point, "Where it is (rounded)", |_| {
        Value::Null
    }),
];

struct View<'a>(&'a Location);

impl Feature for View<'_> {
    fn property(&self, name: &str) -> Value<'_> {
        getter(FIELDS, name).map_or(Value::Null, |get| get(self.0))
    }
    fn geometry(&self, _name: &str) -> Option<bussola_cql2::Geometry> {
        Some(bussola_cql2::Geometry::Point([
            self.0.point.lon(),
            self.0.point.lat(),
        ]))
    }
}

fn visible<'c>(c: &'c Catalog, f: &'c Filter) -> impl Iterator<Item = &'c Location> + 'c {
    c.reception()
        .iter()
        .map(|l| &**l)
        .filter(move |l| f.sees_location(l))
}

fn write(c: &Catalog, q: &Query, l: &Location, out: &mut Vec<u8>) {
    let name = l.name.get(&q.lang);
    let org = c.organizations.get(&l.organization_id);
    let comune = c.comuni.get(&l.address.comune_istat);
    let feature = json!({
        "type": "Feature",
        "id": l.id,
        "geometry": {"type": "Point", "coordinates": [l.point.lon(), l.point.lat()]},
        "properties": {
            "name": name.map(|(_, v)| v),
            "name_lang": name.map(|(k, _)| k),
            "kind": kind_of(l),
            "capacity": l.reception.as_ref().map(|r| r.capacity),
            "organization": {
                "id": l.organization_id,
                "name": org.map(|o| o.name.as_str()),
            },
            "comune": {
                "istat": l.address.comune_istat,
                "name": comune.map(|k| k.name.as_str()),
            },
            "status": l.meta.status,
            "visibility": l.meta.visibility,
            "updated": l.meta.updated_at,
        },
    });
    let _ = serde_json::to_writer(out, &feature);
}

impl Collection for Reception {
    fn id(&self) -> &'static str {
        "reception"
    }
    fn title(&self) -> &'static str {
        "Reception centres (restricted)"
    }
    fn description(&self) -> &'static str {
        "One feature per reception centre (CAS, SAI, CPA) with its kind, capacity and managing body; confidential: only signed-in viewers whose roles reach a centre see it"
    }
    fn geometry(&self) -> Geometry {
        Geometry::Point
    }
    fn queryables(&self) -> Vec<&'static Queryable> {
        declared(FIELDS)
    }
    fn extent(&self, c: &Catalog, f: &Filter) -> Option<[f64; 4]> {
        visible(c, f).fold(None, |acc, l| {
            let (x, y) = (l.point.lon(), l.point.lat());
            let [a, b, cc, d] = acc.unwrap_or([x, y, x, y]);
            Some([a.min(x), b.min(y), cc.max(x), d.max(y)])
        })
    }
    fn updated(&self, c: &Catalog, f: &Filter) -> Option<DateTime<Utc>> {
        visible(c, f).filter_map(|l| l.meta.updated_at).max()
    }
    fn features(&self, c: &Catalog, q: &Query, ticker: &mut Ticker) -> Matches {
        let items = visible(c, &q.filter)
            .filter(|l| {
                ticker.tick()
                    && q.updated_ok(l.meta.updated_at)
                    && q.bbox.is_none_or(|b| b.contains(l.point))
                    && q.cql_ok(&View(l))
            })
            .map(|l| Item::Key(l.id.as_str().into()))
            .collect();
        Matches::all(items)
    }
    fn write(&self, c: &Catalog, q: &Query, item: &Item, out: &mut Vec<u8>) {
        if let Item::Key(id) = item {
            if let Some(l) = find(c, &q.filter, id) {
                write(c, q, l, out);
            }
        }
    }
    fn feature(&self, c: &Catalog, q: &Query, id: &str) -> Option<Vec<u8>> {
        let l = find(c, &q.filter, id)?;
        let mut out = Vec::with_capacity(1024);
        write(c, q, l, &mut out);
        Some(out)
    }
}

fn find<'c>(c: &'c Catalog, f: &Filter, id: &str) -> Option<&'c Location> {
    let all = c.reception();
    all.binary_search_by(|l| l.id.as_str().cmp(id))
        .ok()
        .map(|i| &*all[i])
        .filter(|l| f.sees_location(l))
}
