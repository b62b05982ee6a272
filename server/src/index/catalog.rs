//! An immutable, query-ready view of the whole directory at one revision.

use super::filter::Filter;
use super::fragments::{Chunks, Daily};
use super::spatial::{Hit, SpatialIndex};
use crate::model::{
    effective_schedule, Bbox, Comune, Id, Location, LonLat, Metadata, Organization, Project,
    Service, ServiceAtLocation, Status,
};
use crate::store::Snapshot;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

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

/// Every record at one revision, plus the spatial index over the sportelli.
///
/// Built whole from a store snapshot, then advanced with deltas; readers hold an `Arc` to
/// one catalog and never see a half-applied change.
#[derive(Clone, Default)]
pub struct Catalog {
    pub revision: i64,
    pub metadata: Option<Metadata>,
    pub organizations: BTreeMap<Id, Arc<Organization>>,
    pub services: BTreeMap<Id, Arc<Service>>,
    pub projects: BTreeMap<Id, Arc<Project>>,
    pub comuni: BTreeMap<String, Arc<Comune>>,
    locations: BTreeMap<Id, Arc<Location>>,
    sals: BTreeMap<Id, Arc<ServiceAtLocation>>,
    /// Non-archived sportelli, ordered by id.
    sportelli: Vec<Sportello>,
    /// Non-archived reception centres, ordered by id: their own layer, never sportelli.
    reception: Vec<Arc<Location>>,
    by_id: HashMap<Id, u32>,
    spatial: SpatialIndex,
    derived: Derived,
    /// Pre-rendered features, per sportello, language and day (see the API's render module).
    fragments: Arc<Daily>,
}

impl Catalog {
    /// A catalog holding exactly a store snapshot.
    pub fn from_snapshot(snapshot: Snapshot) -> Self {
        Catalog::default().advance(snapshot)
    }

    /// This catalog with a delta (records written after its revision) applied.
    pub fn advance(&self, delta: Snapshot) -> Self {
        let mut d = delta.dataset;
        let mut next = Catalog {
            revision: delta.revision.max(self.revision),
            metadata: d.metadata.take().or_else(|| self.metadata.clone()),
            organizations: self.organizations.clone(),
            services: self.services.clone(),
            projects: self.projects.clone(),
            comuni: self.comuni.clone(),
            locations: self.locations.clone(),
            sals: self.sals.clone(),
            ..Default::default()
        };
        next.organizations.extend(
            d.organizations
                .into_iter()
                .map(|r| (r.id.clone(), Arc::new(r))),
        );
        next.services
            .extend(d.services.into_iter().map(|r| (r.id.clone(), Arc::new(r))));
        next.projects
            .extend(d.projects.into_iter().map(|r| (r.id.clone(), Arc::new(r))));
        next.locations
            .extend(d.locations.into_iter().map(|r| (r.id.clone(), Arc::new(r))));
        next.sals.extend(
            d.service_at_locations
                .into_iter()
                .map(|r| (r.id.clone(), Arc::new(r))),
        );
        next.comuni.extend(
            delta
                .comuni
                .into_iter()
                .map(|c| (c.istat.clone(), Arc::new(c))),
        );
        next.derived = Derived::default();
        next.rebuild();
        next
    }

    fn rebuild(&mut self) {
        let mut offers: HashMap<&Id, Vec<Offer>> = HashMap::new();
        for sal in self
            .sals
            .values()
            .filter(|s| s.meta.status != Status::Archived)
        {
            if let Some(service) = self.services.get(&sal.service_id) {
                let at_location = self.locations.get(&sal.location_id);
                let notices = at_location
                    .map(|l| l.notices.as_slice())
                    .unwrap_or_default()
                    .iter()
                    .chain(&sal.notices);
                let schedule = effective_schedule(&sal.schedule.rules, notices);
                offers.entry(&sal.location_id).or_default().push(Offer {
                    service: service.clone(),
                    sal: sal.clone(),
                    schedule: Arc::new(schedule),
                });
            }
        }
        self.reception = self
            .locations
            .values()
            .filter(|l| l.meta.status != Status::Archived && l.is_reception())
            .cloned()
            .collect();
        self.sportelli = self
            .locations
            .values()
            .filter(|l| l.meta.status != Status::Archived && !l.is_reception())
            .map(|l| Sportello {
                location: l.clone(),
                offers: offers.remove(&l.id).unwrap_or_default(),
            })
            .collect();
        for s in &mut self.sportelli {
            s.offers.sort_by(|a, b| a.service.id.cmp(&b.service.id));
        }
        self.by_id = self
            .sportelli
            .iter()
            .enumerate()
            .map(|(i, s)| (s.location.id.clone(), i as u32))
            .collect();
        self.spatial = SpatialIndex::new(self.sportelli.iter().map(|s| s.location.point).collect());
        self.fragments = Arc::new(Daily::new(self.sportelli.len()));
    }

    /// The pre-rendered chunks of `s` in language slot `slot` for viewers of scope `scope`
    /// ([`crate::access::Viewer::scope_key`]) on `day` (Rome), built by `build` on first use.
    pub fn fragments(
        &self,
        s: &Sportello,
        slot: usize,
        scope: &str,
        day: chrono::NaiveDate,
        build: impl FnOnce() -> Vec<Box<[u8]>>,
    ) -> Chunks {
        match self.position(s) {
            Some(i) => self.fragments.on(day).get_or_build(i, slot, scope, build),
            None => build().into(),
        }
    }

    /// Where `s` sits in this catalog's sportelli, from its address (no hashing: this is on
    /// the path of every feature written).
    /// Where `s` sits in [`Catalog::sportelli`] (found by id when it is another catalog's).
    pub fn index_of(&self, s: &Sportello) -> Option<usize> {
        self.position(s)
    }

    fn position(&self, s: &Sportello) -> Option<usize> {
        let size = std::mem::size_of::<Sportello>();
        (s as *const Sportello as usize)
            .checked_sub(self.sportelli.as_ptr() as usize)
            .filter(|offset| offset % size == 0)
            .map(|offset| offset / size)
            .filter(|&i| self.sportelli.get(i).is_some_and(|x| std::ptr::eq(x, s)))
            // A sportello of another catalog: find this catalog's one by id.
            .or_else(|| self.by_id.get(&s.location.id).map(|&i| i as usize))
    }

    /// Bytes of pre-rendered features held by this catalog.
    pub fn fragment_bytes(&self) -> usize {
        self.fragments.used()
    }

    /// Sportelli (not archived), ordered by id.
    pub fn sportelli(&self) -> &[Sportello] {
        &self.sportelli
    }

    /// Reception centres (not archived), ordered by id. Every one is confidential: callers
    /// filter with the viewer.
    pub fn reception(&self) -> &[Arc<Location>] {
        &self.reception
    }

    /// A sportello by id (not archived).
    pub fn sportello(&self, id: &str) -> Option<&Sportello> {
        self.by_id.get(id).map(|&i| &self.sportelli[i as usize])
    }

    /// The `n` nearest matching sportelli, nearest first, ties by id.
    pub fn nearest(
        &self,
        from: LonLat,
        filter: &Filter,
        n: usize,
        max_m: Option<f64>,
    ) -> Vec<(&Sportello, f64)> {
        let s = &self.sportelli;
        self.spatial
            .nearest(from, n, max_m, |i| filter.matches(&s[i as usize]), |i| i)
            .into_iter()
            .map(|Hit { index, distance_m }| (&s[index as usize], distance_m))
            .collect()
    }

    /// Matching sportelli inside a bounding box, ordered by id.
    pub fn within(&self, bbox: &Bbox, filter: &Filter) -> Vec<&Sportello> {
        let s = &self.sportelli;
        self.spatial
            .within(bbox, |i| filter.matches(&s[i as usize]))
            .into_iter()
            .map(|i| &s[i as usize])
            .collect()
    }

    /// Every location record, archived included (for export).
    pub fn all_locations(&self) -> impl Iterator<Item = &Arc<Location>> {
        self.locations.values()
    }

    /// Every service-at-location record, archived included (for export).
    pub fn all_service_at_locations(&self) -> impl Iterator<Item = &Arc<ServiceAtLocation>> {
        self.sals.values()
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
        self.sportelli
            .iter()
            .filter(|s| s.location.address.comune_istat == istat && filter.sees(s))
            .count()
    }

    /// How many public sportelli each comune has (computed once per catalog).
    fn public_per_comune(&self) -> &HashMap<String, usize> {
        self.derived.per_comune.get_or_init(|| {
            let public = Filter::default();
            let mut m = HashMap::new();
            for s in self.sportelli.iter().filter(|s| public.sees(s)) {
                *m.entry(s.location.address.comune_istat.clone())
                    .or_insert(0) += 1;
            }
            m
        })
    }

    /// The bounding box of the sportelli the filter's viewer may see,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn sportelli_extent(&self, filter: &Filter) -> Option<[f64; 4]> {
        self.sportelli
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

/// Values computed from a catalog on first use (a catalog never changes once built).
#[derive(Clone, Default)]
pub struct Derived {
    project_areas: std::sync::OnceLock<HashMap<Id, geo::MultiPolygon<f64>>>,
    per_comune: std::sync::OnceLock<HashMap<String, usize>>,
}
