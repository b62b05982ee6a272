//! An immutable, query-ready view of the whole directory at one revision.
//!
//! Every part is a persistent structure ([`imbl`]) or behind an `Arc`, so a catalog advanced
//! by an edit (`advance.rs`) shares everything the edit did not touch with the catalog before
//! it: readers keep answering from the old one while the new one is built, and an edit costs
//! what it changed, not the size of the directory.

use super::filter::Filter;
use super::fragments::{Chunks, Daily};
use super::spatial::{Hit, SpatialIndex};
use crate::model::{
    Bbox, Comune, Id, Location, LonLat, Metadata, Organization, Project, Service, ServiceAtLocation,
};
use crate::store::Snapshot;
use imbl::{OrdMap, OrdSet, Vector};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A service offered at a sportello.
#[derive(Clone, Debug)]
pub struct Offer {
    pub service: Arc<Service>,
    pub sal: Arc<ServiceAtLocation>,
    /// The hours in force: the offer's schedule with its sportello's and its own closures
    /// and replacement hours compiled in ([`crate::model::effective_schedule`]). Every
    /// reader that asks "open?" asks this one.
    pub schedule: Arc<bussola_hours::Schedule>,
}

/// A sportello with the services offered there (archived offers left out).
#[derive(Clone, Debug)]
pub struct Sportello {
    pub location: Arc<Location>,
    pub offers: Vec<Offer>,
}

/// Pairs of ids `(a, b)`, e.g. (location, offer): "the `b`s of `a`" in O(log n + k).
pub(super) type Links = OrdSet<(Id, String)>;

/// The `b`s linked to `a`, in id order.
pub(super) fn linked<'a>(links: &'a Links, a: &Id) -> impl Iterator<Item = &'a str> + 'a {
    let a = a.clone();
    links
        .range((a.clone(), String::new())..)
        .take_while(move |(x, _)| *x == a)
        .map(|(_, b)| b.as_str())
}

/// A sportello and its handle: the place it holds in [`Catalog::slots`], in the spatial index
/// and in the fragment cache, for as long as it exists (it never moves when others come or go).
#[derive(Clone)]
pub(super) struct Entry {
    pub handle: u32,
    pub sportello: Arc<Sportello>,
}

/// Every record at one revision, plus the spatial index over the sportelli.
///
/// Built whole from a store snapshot, then advanced with deltas; readers hold an `Arc` to
/// one catalog and never see a half-applied change.
#[derive(Clone, Default)]
pub struct Catalog {
    pub revision: i64,
    pub metadata: Option<Metadata>,
    pub organizations: OrdMap<Id, Arc<Organization>>,
    pub services: OrdMap<Id, Arc<Service>>,
    pub projects: OrdMap<Id, Arc<Project>>,
    pub comuni: OrdMap<String, Arc<Comune>>,
    pub(super) locations: OrdMap<Id, Arc<Location>>,
    pub(super) sals: OrdMap<Id, Arc<ServiceAtLocation>>,
    /// (location, offer), (service, offer) and (organisation, location), every status.
    pub(super) offers_at: Links,
    pub(super) offers_of: Links,
    pub(super) locations_of: Links,
    /// Non-archived sportelli by id.
    pub(super) sportelli: OrdMap<Id, Entry>,
    /// The same sportelli by handle (`None`: a handle whose sportello is gone).
    pub(super) slots: Vector<Option<Arc<Sportello>>>,
    /// Non-archived reception centres by id: their own layer, never sportelli.
    pub(super) reception_by_id: OrdMap<Id, Arc<Location>>,
    pub(super) reception: Arc<[Arc<Location>]>,
    /// Over the sportelli's handles.
    pub(super) spatial: Arc<SpatialIndex>,
    pub(super) derived: Derived,
    /// Pre-rendered features, per sportello handle, language and day (see the API's render
    /// module).
    pub(super) fragments: Arc<Daily>,
}

/// The sportelli of a catalog (not archived), ordered by id.
#[derive(Clone, Copy)]
pub struct Sportelli<'a> {
    by_id: &'a OrdMap<Id, Entry>,
    slots: &'a Vector<Option<Arc<Sportello>>>,
}

impl<'a> Sportelli<'a> {
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// In id order.
    pub fn iter(&self) -> SportelliIter<'a> {
        SportelliIter(self.by_id.values())
    }

    /// The sportello with this handle ([`Catalog::index_of`]).
    pub fn get(&self, handle: usize) -> Option<&'a Sportello> {
        self.slots.get(handle)?.as_deref()
    }
}

impl<'a> IntoIterator for Sportelli<'a> {
    type Item = &'a Sportello;
    type IntoIter = SportelliIter<'a>;
    fn into_iter(self) -> SportelliIter<'a> {
        self.iter()
    }
}

/// The sportelli of a catalog in id order.
pub struct SportelliIter<'a>(
    imbl::ordmap::Values<'a, Id, Entry, imbl::shared_ptr::DefaultSharedPtr>,
);

impl<'a> Iterator for SportelliIter<'a> {
    type Item = &'a Sportello;
    fn next(&mut self) -> Option<&'a Sportello> {
        self.0.next().map(|e| &*e.sportello)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for SportelliIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|e| &*e.sportello)
    }
}

impl ExactSizeIterator for SportelliIter<'_> {}

impl Catalog {
    /// A catalog holding exactly a store snapshot.
    pub fn from_snapshot(snapshot: Snapshot) -> Self {
        Catalog::default().advance(snapshot)
    }

    /// The pre-rendered chunks of `s` in language slot `slot` for viewers of scope `scope`
    /// ([`crate::access::Viewer::scope_key`]) on `day` (Rome), built by `build` on first use.
    /// A sportello of another catalog is rendered without the cache.
    pub fn fragments(
        &self,
        s: &Sportello,
        slot: usize,
        scope: &str,
        day: chrono::NaiveDate,
        build: impl FnOnce() -> Vec<Box<[u8]>>,
    ) -> Chunks {
        let mine = self
            .sportelli
            .get(&s.location.id)
            .filter(|e| std::ptr::eq(&*e.sportello, s));
        match mine {
            Some(e) => self
                .fragments
                .on(day)
                .get_or_build(e.handle as usize, slot, scope, build),
            None => build().into(),
        }
    }

    /// The handle of `s` (found by id when it is another catalog's): what
    /// [`Sportelli::get`] takes back.
    pub fn index_of(&self, s: &Sportello) -> Option<usize> {
        self.sportelli
            .get(&s.location.id)
            .map(|e| e.handle as usize)
    }

    /// Bytes of pre-rendered features held by this catalog (and those it shares them with).
    pub fn fragment_bytes(&self) -> usize {
        self.fragments.used()
    }

    /// Sportelli (not archived), ordered by id.
    pub fn sportelli(&self) -> Sportelli<'_> {
        Sportelli {
            by_id: &self.sportelli,
            slots: &self.slots,
        }
    }

    /// Reception centres (not archived), ordered by id. Every one is confidential: callers
    /// filter with the viewer.
    pub fn reception(&self) -> &[Arc<Location>] {
        &self.reception
    }

    /// A sportello by id (not archived).
    pub fn sportello(&self, id: &str) -> Option<&Sportello> {
        self.sportelli.get(id).map(|e| &*e.sportello)
    }

    fn at(&self, handle: u32) -> Option<&Sportello> {
        self.slots.get(handle as usize)?.as_deref()
    }

    /// The `n` nearest matching sportelli, nearest first, ties by id.
    pub fn nearest(
        &self,
        from: LonLat,
        filter: &Filter,
        n: usize,
        max_m: Option<f64>,
    ) -> Vec<(&Sportello, f64)> {
        self.spatial
            .nearest(
                from,
                n,
                max_m,
                |i| self.at(i).is_some_and(|s| filter.matches(s)),
                |i| self.at(i).map(|s| &s.location.id),
            )
            .into_iter()
            .filter_map(|Hit { index, distance_m }| Some((self.at(index)?, distance_m)))
            .collect()
    }

    /// Matching sportelli inside a bounding box, ordered by id.
    pub fn within(&self, bbox: &Bbox, filter: &Filter) -> Vec<&Sportello> {
        let mut hits: Vec<&Sportello> = self
            .spatial
            .within(bbox, |i| self.at(i).is_some_and(|s| filter.matches(s)))
            .into_iter()
            .filter_map(|i| self.at(i))
            .collect();
        hits.sort_unstable_by(|a, b| a.location.id.cmp(&b.location.id));
        hits
    }

    /// Every location record, archived included (for export), ordered by id.
    pub fn all_locations(&self) -> impl Iterator<Item = &Arc<Location>> {
        self.locations.values()
    }

    /// Every service-at-location record, archived included (for export), ordered by id.
    pub fn all_service_at_locations(&self) -> impl Iterator<Item = &Arc<ServiceAtLocation>> {
        self.sals.values()
    }

    /// A location record by id (archived and reception centres included).
    pub fn location(&self, id: &str) -> Option<&Arc<Location>> {
        self.locations.get(id)
    }

    /// A service-at-location record by id (archived included).
    pub fn service_at_location(&self, id: &str) -> Option<&Arc<ServiceAtLocation>> {
        self.sals.get(id)
    }

    /// Where a service is offered: its service-at-location records, archived included.
    pub fn offers_of_service<'a>(
        &'a self,
        service: &Id,
    ) -> impl Iterator<Item = &'a Arc<ServiceAtLocation>> + 'a {
        linked(&self.offers_of, service).filter_map(|id| self.sals.get(id))
    }

    /// An organisation's location records, archived and reception centres included.
    pub fn locations_of_organization<'a>(
        &'a self,
        organization: &Id,
    ) -> impl Iterator<Item = &'a Arc<Location>> + 'a {
        linked(&self.locations_of, organization).filter_map(|id| self.locations.get(id))
    }
}

impl Catalog {
    /// The area of each project (whoever may see it): the union of its comuni's boundaries (those known).
    /// Computed once per catalog, on first use.
    pub fn project_areas(&self) -> &HashMap<Id, geo::MultiPolygon<f64>> {
        self.derived.project_areas.get_or_init(|| {
            use geo::BooleanOps;
            self.projects
                .values()
                .filter_map(|p| {
                    let parts: Vec<&geo::MultiPolygon<f64>> = p
                        .territory
                        .iter()
                        .filter_map(|c| self.comuni.get(c))
                        .map(|c| &c.boundary)
                        .collect();
                    let first = parts.first()?;
                    let area = parts[1..]
                        .iter()
                        .fold((*first).clone(), |acc, mp| acc.union(*mp));
                    Some((p.id.clone(), area))
                })
                .collect()
        })
    }

    /// How many sportelli in comune `istat` the filter's viewer may see.
    pub fn sportelli_in(&self, istat: &str, filter: &Filter) -> usize {
        if !filter.viewer.sees_beyond_public() {
            return self.public_per_comune().get(istat).copied().unwrap_or(0);
        }
        self.sportelli()
            .iter()
            .filter(|s| s.location.address.comune_istat == istat && filter.sees(s))
            .count()
    }

    /// How many public sportelli each comune has (computed once per catalog).
    pub(super) fn public_per_comune(&self) -> &HashMap<String, usize> {
        self.derived.per_comune.get_or_init(|| {
            let public = Filter::default();
            let mut m = HashMap::new();
            for s in self.sportelli().iter().filter(|s| public.sees(s)) {
                *m.entry(s.location.address.comune_istat.clone())
                    .or_insert(0) += 1;
            }
            m
        })
    }

    /// The bounding box of the sportelli the filter's viewer may see,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn sportelli_extent(&self, filter: &Filter) -> Option<[f64; 4]> {
        self.sportelli()
            .iter()
            .filter(|s| filter.sees(s))
            .map(|s| s.location.point)
            .fold(None, |acc, p| {
                let [a, b, c, d] = acc.unwrap_or([p.lon(), p.lat(), p.lon(), p.lat()]);
                Some([
                    a.min(p.lon()),
                    b.min(p.lat()),
                    c.max(p.lon()),
                    d.max(p.lat()),
                ])
            })
    }
}

/// Values computed from a catalog on first use (a catalog never changes once built), shared
/// with the catalogs advanced from it while what they depend on stays the same.
#[derive(Clone, Default)]
pub(super) struct Derived {
    pub project_areas: Arc<OnceLock<HashMap<Id, geo::MultiPolygon<f64>>>>,
    pub per_comune: Arc<OnceLock<HashMap<String, usize>>>,
}
