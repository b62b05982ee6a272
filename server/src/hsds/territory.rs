//! Which comune of the directory a point lies in.

use crate::index::Catalog;
use crate::model::LonLat;
use geo::Contains;

/// The ISTAT code of the comune whose boundary contains `p`, if any.
pub fn comune_at(catalog: &Catalog, p: LonLat) -> Option<String> {
    let point = geo::Point::new(p.lon(), p.lat());
    catalog
        .comuni
        .values()
        .find(|c| c.boundary.contains(&point))
        .map(|c| c.istat.clone())
}
