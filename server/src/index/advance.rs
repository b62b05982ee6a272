//! How a catalog catches up with the store: [`Catalog::advance`] applies a delta (the records
//! written after its revision) in time proportional to what it changed.
//!
//! The new catalog starts as a clone of the old one, which costs a few pointer copies: every
//! map is persistent. The delta's records are put in; the sportelli they touch are recomputed
//! (a location touches itself, an offer its sportello, a service every sportello offering it,
//! an organisation the renderings of its sportelli); each recomputed sportello keeps its
//! handle, so the spatial index changes only where a point moved, appeared or went, and the
//! fragment cache drops only the renderings of what changed. A delta that touches a large
//! share of the directory (the first load, a big import, new comuni) rebuilds the sportelli
//! whole instead, as fast as a first load.

use super::catalog::{linked, Catalog, Entry, Offer, Sportello};
use super::filter::Filter;
use super::fragments::Daily;
use super::spatial::SpatialIndex;
use crate::model::{effective_schedule, Id, Location, Status};
use crate::store::Snapshot;
use imbl::{OrdMap, Vector};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

/// A delta touching more than one sportello in this many (or more than a quarter of a small
/// directory's) rebuilds the sportelli whole.
const REBUILD_SHARE: usize = 4;
/// Below this many sportelli, "a large share" is counted against this many.
const SMALL: usize = 64;

fn is_sportello(l: &Location) -> bool {
    l.meta.status != Status::Archived && !l.is_reception()
}

impl Catalog {
    /// This catalog with a delta (records written after its revision) applied. The catalog
    /// itself is left as it is: readers holding it keep a consistent view.
    pub fn advance(&self, delta: Snapshot) -> Self {
        let mut d = delta.dataset;
        let mut next = self.clone();
        next.revision = delta.revision.max(self.revision);
        if let Some(m) = d.metadata.take() {
            next.metadata = Some(m);
        }
        // Sportelli to recompute, and sportelli whose rendering changes with them (their
        // organisation's name, say) though they themselves do not.
        let mut touched: BTreeSet<String> = BTreeSet::new();
        let mut redraw: BTreeSet<String> = BTreeSet::new();
        let projects_changed = !d.projects.is_empty();
        let comuni_changed = !delta.comuni.is_empty();
        let mut reception_changed = false;
        for o in d.organizations {
            redraw.extend(linked(&next.locations_of, &o.id).map(str::to_owned));
            next.organizations.insert(o.id.clone(), Arc::new(o));
        }
        for l in d.locations {
            let l = Arc::new(l);
            if let Some(old) = next.locations.insert(l.id.clone(), l.clone()) {
                next.locations_of
                    .remove(&(old.organization_id.clone(), old.id.to_string()));
                reception_changed |= old.is_reception();
            }
            next.locations_of
                .insert((l.organization_id.clone(), l.id.to_string()));
            if l.is_reception() {
                reception_changed = true;
            }
            if l.is_reception() && l.meta.status != Status::Archived {
                next.reception_by_id.insert(l.id.clone(), l.clone());
            } else {
                next.reception_by_id.remove(&l.id);
            }
            touched.insert(l.id.to_string());
        }
        for sal in d.service_at_locations {
            let sal = Arc::new(sal);
            if let Some(old) = next.sals.insert(sal.id.clone(), sal.clone()) {
                next.offers_at
                    .remove(&(old.location_id.clone(), old.id.to_string()));
                next.offers_of
                    .remove(&(old.service_id.clone(), old.id.to_string()));
                touched.insert(old.location_id.to_string());
            }
            next.offers_at
                .insert((sal.location_id.clone(), sal.id.to_string()));
            next.offers_of
                .insert((sal.service_id.clone(), sal.id.to_string()));
            touched.insert(sal.location_id.to_string());
        }
        for s in d.services {
            for sal in linked(&next.offers_of, &s.id).filter_map(|id| next.sals.get(id)) {
                touched.insert(sal.location_id.to_string());
            }
            next.services.insert(s.id.clone(), Arc::new(s));
        }
        for p in d.projects {
            next.projects.insert(p.id.clone(), Arc::new(p));
        }
        for c in delta.comuni {
            next.comuni.insert(c.istat.clone(), Arc::new(c));
        }
        if reception_changed {
            next.reception = next.reception_by_id.values().cloned().collect();
        }
        if projects_changed || comuni_changed {
            next.derived.project_areas = Arc::default();
        }
        // A comune's name is in the rendering of every sportello there: new comuni (a
        // territory import) redraw everything.
        if comuni_changed || touched.len() * REBUILD_SHARE > next.sportelli.len().max(SMALL) {
            next.rebuild_sportelli();
        } else {
            next.patch_sportelli(&touched, &redraw);
        }
        next
    }

    /// The sportello at location `l`: its offers (not archived, of a known service) with
    /// their hours in force compiled, ordered by service id.
    fn sportello_at(&self, l: &Arc<Location>) -> Sportello {
        let mut offers: Vec<Offer> = linked(&self.offers_at, &l.id)
            .filter_map(|id| self.sals.get(id))
            .filter(|sal| sal.meta.status != Status::Archived)
            .filter_map(|sal| {
                let service = self.services.get(&sal.service_id)?;
                let notices = l.notices.iter().chain(&sal.notices);
                Some(Offer {
                    service: service.clone(),
                    sal: sal.clone(),
                    schedule: Arc::new(effective_schedule(&sal.schedule.rules, notices)),
                })
            })
            .collect();
        offers.sort_by(|a, b| a.service.id.cmp(&b.service.id));
        Sportello {
            location: l.clone(),
            offers,
        }
    }

    /// Recomputes the `touched` sportelli in place (each keeps its handle; a new one takes the
    /// next), moves their points in the spatial index if they moved, and drops the renderings
    /// of those and of `redraw`.
    fn patch_sportelli(&mut self, touched: &BTreeSet<String>, redraw: &BTreeSet<String>) {
        let mut spatial: Option<SpatialIndex> = None;
        let mut changed: Vec<usize> = Vec::new();
        let mut per_comune = self.derived.per_comune.get().cloned();
        let public = Filter::default();
        for id in touched {
            let old = self.sportelli.get(id.as_str()).cloned();
            let new = self
                .locations
                .get(id.as_str())
                .filter(|l| is_sportello(l))
                .map(|l| Arc::new(self.sportello_at(l)));
            if let Some(counts) = per_comune.as_mut() {
                if let Some(s) = old
                    .as_ref()
                    .map(|e| &e.sportello)
                    .filter(|s| public.sees(s))
                {
                    let comune = &s.location.address.comune_istat;
                    if let Some(n) = counts.get_mut(comune) {
                        *n -= 1;
                        if *n == 0 {
                            counts.remove(comune);
                        }
                    }
                }
                if let Some(s) = new.as_ref().filter(|s| public.sees(s)) {
                    *counts
                        .entry(s.location.address.comune_istat.clone())
                        .or_insert(0) += 1;
                }
            }
            match (old, new) {
                (None, None) => {}
                (Some(e), None) => {
                    self.sportelli.remove(id.as_str());
                    self.slots.set(e.handle as usize, None);
                    spatial
                        .get_or_insert_with(|| (*self.spatial).clone())
                        .remove(e.handle);
                    changed.push(e.handle as usize);
                }
                (None, Some(s)) => {
                    let handle = self.slots.len() as u32;
                    self.slots.push_back(Some(s.clone()));
                    spatial
                        .get_or_insert_with(|| (*self.spatial).clone())
                        .insert(handle, s.location.point);
                    self.sportelli.insert(
                        s.location.id.clone(),
                        Entry {
                            handle,
                            sportello: s,
                        },
                    );
                }
                (Some(e), Some(s)) => {
                    if e.sportello.location.point != s.location.point {
                        let index = spatial.get_or_insert_with(|| (*self.spatial).clone());
                        index.remove(e.handle);
                        index.insert(e.handle, s.location.point);
                    }
                    self.slots.set(e.handle as usize, Some(s.clone()));
                    self.sportelli.insert(
                        s.location.id.clone(),
                        Entry {
                            handle: e.handle,
                            sportello: s,
                        },
                    );
                    changed.push(e.handle as usize);
                }
            }
        }
        changed.extend(
            redraw
                .iter()
                .filter_map(|id| self.sportelli.get(id.as_str()))
                .map(|e| e.handle as usize),
        );
        if let Some(index) = spatial {
            self.spatial = Arc::new(index);
        }
        self.fragments = Arc::new(self.fragments.patched(changed, self.slots.len()));
        self.derived.per_comune = Arc::new(per_comune.map(OnceLock::from).unwrap_or_default());
    }

    /// Builds every sportello afresh from the records (handles in id order), with a
    /// bulk-loaded spatial index and an empty fragment cache.
    fn rebuild_sportelli(&mut self) {
        let mut offers: HashMap<&Id, Vec<Offer>> = HashMap::new();
        for sal in self
            .sals
            .values()
            .filter(|s| s.meta.status != Status::Archived)
        {
            let (Some(service), Some(at)) = (
                self.services.get(&sal.service_id),
                self.locations.get(&sal.location_id),
            ) else {
                continue;
            };
            let notices = at.notices.iter().chain(&sal.notices);
            offers.entry(&sal.location_id).or_default().push(Offer {
                service: service.clone(),
                sal: sal.clone(),
                schedule: Arc::new(effective_schedule(&sal.schedule.rules, notices)),
            });
        }
        let mut sportelli = OrdMap::new();
        let mut slots = Vector::new();
        let mut points = Vec::new();
        for l in self.locations.values().filter(|l| is_sportello(l)) {
            let mut offers = offers.remove(&l.id).unwrap_or_default();
            offers.sort_by(|a, b| a.service.id.cmp(&b.service.id));
            let s = Arc::new(Sportello {
                location: l.clone(),
                offers,
            });
            let handle = slots.len() as u32;
            slots.push_back(Some(s.clone()));
            points.push((handle, l.point));
            sportelli.insert(
                l.id.clone(),
                Entry {
                    handle,
                    sportello: s,
                },
            );
        }
        self.spatial = Arc::new(SpatialIndex::with_points(points));
        self.fragments = Arc::new(Daily::new(slots.len()));
        self.sportelli = sportelli;
        self.slots = slots;
        self.derived.per_comune = Arc::default();
    }
}
