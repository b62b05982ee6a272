//! The collections, one module each, behind one trait.
//!
//! A collection declares what it is (id, title, geometry, queryables) and answers for a
//! viewer: its extent, the features matching a query and one feature by id. The handlers in
//! [`super::items`] and [`super::collections`], `/queryables`, the OpenAPI document and the
//! HTML views are written once over [`REGISTRY`]: adding a layer is adding a module here and
//! one line to the registry (see `docs/adding-a-layer.md`).

mod comuni;
mod projects;
pub mod query;
pub mod queryable;
mod reception;
mod services;
mod sportelli;

pub use query::Query;
pub use queryable::{Queryable, Type};

use super::error::{Error, Result};
use super::work::Ticker;
use crate::index::{Catalog, Filter};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Every collection, in listing order.
pub static REGISTRY: &[&dyn Collection] = &[
    &sportelli::Sportelli,
    &services::Services,
    &projects::Projects,
    &comuni::Comuni,
    &reception::Reception,
];

/// The collection a path segment names, or a 404.
pub fn find(id: &str) -> Result<&'static dyn Collection> {
    REGISTRY
        .iter()
        .copied()
        .find(|c| c.id() == id)
        .ok_or_else(|| Error::NotFound(format!("no collection {id:?}; see /api/collections")))
}

/// The kind of geometry a collection's features have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Geometry {
    Point,
    MultiPolygon,
}

impl Geometry {
    /// The OGC `geometryType` name.
    pub fn as_str(self) -> &'static str {
        match self {
            Geometry::Point => "point",
            Geometry::MultiPolygon => "multipolygon",
        }
    }
}

/// One feature of a page, named so the collection can write it later (a page is chosen
/// first, and written, perhaps streamed, after).
#[derive(Clone, Debug)]
pub enum Item {
    /// By position in the catalog's sportelli (and in that sportello's offers), with the
    /// distance from `near`.
    At(usize, usize, Option<f64>),
    /// By id in the collection's own map.
    Key(std::sync::Arc<str>),
}

/// The features a query matches, in order.
pub struct Matches {
    pub items: Vec<Item>,
    /// False when the list stops short of every match (a nearest-first search stops one
    /// past the page): the page then says no `numberMatched`.
    pub complete: bool,
}

impl Matches {
    /// Every match.
    pub fn all(items: Vec<Item>) -> Self {
        Matches {
            items,
            complete: true,
        }
    }
}

/// A collection (a layer) of features.
pub trait Collection: Send + Sync {
    /// The path segment, `/api/collections/{id}`.
    fn id(&self) -> &'static str;
    fn title(&self) -> &'static str;
    /// A sentence on what a feature is, for the OpenAPI document and `/collections`.
    fn description(&self) -> &'static str;
    fn geometry(&self) -> Geometry;
    /// Its queryable properties, for `filter=` and `/queryables`.
    fn queryables(&self) -> Vec<&'static Queryable>;
    /// Whether the service filters (`category`, `near`, `open_now`, …) apply.
    fn service_filters(&self) -> bool {
        false
    }
    /// Whether a feature changes with the clock (open now, next change): such answers are
    /// cached for a minute.
    fn time_dependent(&self) -> bool {
        false
    }
    /// Whether every query of this collection costs more than a page (and so runs under the
    /// heavy gate).
    fn always_heavy(&self) -> bool {
        false
    }
    /// The bounding box of the features the filter's viewer may see.
    fn extent(&self, c: &Catalog, f: &Filter) -> Option<[f64; 4]>;
    /// The latest update among the features the viewer may see.
    fn updated(&self, c: &Catalog, f: &Filter) -> Option<DateTime<Utc>>;
    /// Anything else its metadata says (attribution, licence).
    fn describe_more(&self, _c: &Catalog, _v: &mut Value) {}
    /// The features `q` matches, for `q`'s viewer, checking `ticker` as it goes.
    fn features(&self, c: &Catalog, q: &Query, ticker: &mut Ticker) -> Matches;
    /// Writes one feature of [`Collection::features`].
    fn write(&self, c: &Catalog, q: &Query, item: &Item, out: &mut Vec<u8>);
    /// One feature by id, if it exists and `q`'s viewer may see it.
    fn feature(&self, c: &Catalog, q: &Query, id: &str) -> Option<Vec<u8>>;
}

/// The bounding box of boxes.
pub fn union_of(rects: impl Iterator<Item = geo::Rect<f64>>) -> Option<[f64; 4]> {
    rects.fold(None, |acc, r| {
        let [a, b, c, d] = acc.unwrap_or([r.min().x, r.min().y, r.max().x, r.max().y]);
        Some([
            a.min(r.min().x),
            b.min(r.min().y),
            c.max(r.max().x),
            d.max(r.max().y),
        ])
    })
}

/// True when a multipolygon's bounding box meets `b` (coarse, enough for paging areas by bbox).
pub fn intersects_bbox(mp: &geo::MultiPolygon<f64>, b: &crate::model::Bbox) -> bool {
    use geo::BoundingRect;
    mp.bounding_rect().is_some_and(|r| {
        let [x0, y0, x1, y1] = b.to_array();
        r.min().x <= x1 && r.max().x >= x0 && r.min().y <= y1 && r.max().y >= y0
    })
}

/// A (multi)polygon as a CQL2 geometry.
pub fn cql_area(mp: &geo::MultiPolygon<f64>) -> bussola_cql2::Geometry {
    bussola_cql2::Geometry::MultiPolygon(
        mp.0.iter()
            .map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| r.0.iter().map(|c| [c.x, c.y]).collect())
                    .collect()
            })
            .collect(),
    )
}
