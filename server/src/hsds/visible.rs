//! What one viewer may see of a catalog, arranged for HSDS: the sportelli and the services
//! offered there, the services and organisations, each ordered by id. Built from the read
//! model for each request (or export), never from the store.

use crate::access::RecordScope;
use crate::index::{Catalog, Filter, Offer, Sportello};
use crate::model::{Comune, Id, Organization, Service};
use std::collections::{BTreeMap, HashMap};

/// The records of a catalog a viewer may see.
pub struct Visible<'a> {
    pub catalog: &'a Catalog,
    /// Visible sportelli (reception centres are their own layer, never HSDS locations).
    pub sportelli: Vec<&'a Sportello>,
    /// Visible services at visible sportelli, ordered by the service-at-sportello id.
    pub offers: Vec<(&'a Sportello, &'a Offer)>,
    pub services: Vec<&'a Service>,
    pub organizations: Vec<&'a Organization>,
    offers_by_service: HashMap<&'a Id, Vec<usize>>,
}

impl<'a> Visible<'a> {
    /// What `filter`'s viewer may see of `catalog` (the filter's other criteria are ignored).
    pub fn of(catalog: &'a Catalog, filter: &Filter) -> Self {
        let viewer = &filter.viewer;
        let sportelli: Vec<&Sportello> = catalog
            .sportelli()
            .iter()
            .filter(|s| filter.sees(s))
            .collect();
        let mut offers: Vec<(&Sportello, &Offer)> = sportelli
            .iter()
            .flat_map(|s| s.offers.iter().map(move |o| (*s, o)))
            .filter(|(s, o)| filter.sees_offer(s, o))
            .collect();
        offers.sort_by(|a, b| a.1.sal.id.cmp(&b.1.sal.id));
        let mut offers_by_service: HashMap<&Id, Vec<usize>> = HashMap::new();
        for (i, (_, o)) in offers.iter().enumerate() {
            offers_by_service.entry(&o.service.id).or_default().push(i);
        }
        // The comuni each service and organisation is in, from every sportello (seen or not):
        // they decide which coordinators and viewers hold the record.
        let mut service_comuni: HashMap<&Id, Vec<String>> = HashMap::new();
        let mut org_comuni: HashMap<&Id, Vec<String>> = HashMap::new();
        for s in catalog.sportelli() {
            let c = &s.location.address.comune_istat;
            org_comuni
                .entry(&s.location.organization_id)
                .or_default()
                .push(c.clone());
            for o in &s.offers {
                service_comuni
                    .entry(&o.service.id)
                    .or_default()
                    .push(c.clone());
                org_comuni
                    .entry(&o.service.organization_id)
                    .or_default()
                    .push(c.clone());
            }
        }
        for l in catalog.reception() {
            org_comuni
                .entry(&l.organization_id)
                .or_default()
                .push(l.address.comune_istat.clone());
        }
        let none = Vec::new();
        // A service exists for a viewer where the viewer sees it offered: one offered only at
        // reception centres, restricted or archived sportelli (or nowhere) is not shown.
        let services: Vec<&Service> = catalog
            .services
            .values()
            .filter(|s| {
                let comuni = service_comuni.get(&s.id).unwrap_or(&none);
                viewer.can_see(RecordScope::of(&s.meta, Some(&s.organization_id), comuni))
                    && offers_by_service.contains_key(&s.id)
            })
            .map(|s| &**s)
            .collect();
        let organizations: Vec<&Organization> = catalog
            .organizations
            .values()
            .filter(|o| {
                let comuni = org_comuni.get(&o.id).unwrap_or(&none);
                viewer.can_see(RecordScope::of(&o.meta, Some(&o.id), comuni))
            })
            .map(|o| &**o)
            .collect();
        Visible {
            catalog,
            sportelli,
            offers,
            services,
            organizations,
            offers_by_service,
        }
    }

    /// A visible organisation by id.
    pub fn organization(&self, id: &Id) -> Option<&'a Organization> {
        self.organizations
            .binary_search_by(|o| o.id.cmp(id))
            .ok()
            .map(|i| self.organizations[i])
    }

    /// A visible service by id.
    pub fn service(&self, id: &Id) -> Option<&'a Service> {
        self.services
            .binary_search_by(|s| s.id.cmp(id))
            .ok()
            .map(|i| self.services[i])
    }

    /// Where a service is offered, as far as the viewer may see.
    pub fn offers_of(&self, service: &Id) -> impl Iterator<Item = (&'a Sportello, &'a Offer)> + '_ {
        self.offers_by_service
            .get(service)
            .into_iter()
            .flatten()
            .map(|&i| self.offers[i])
    }

    /// The visible sportelli of an organisation.
    pub fn sportelli_of<'s>(&'s self, org: &'s Id) -> impl Iterator<Item = &'a Sportello> + 's {
        self.sportelli
            .iter()
            .copied()
            .filter(move |s| &s.location.organization_id == org)
    }

    /// The visible services of an organisation.
    pub fn services_of<'s>(&'s self, org: &'s Id) -> impl Iterator<Item = &'a Service> + 's {
        self.services
            .iter()
            .copied()
            .filter(move |s| &s.organization_id == org)
    }

    /// A comune by ISTAT code.
    pub fn comune(&self, istat: &str) -> Option<&'a Comune> {
        self.catalog.comuni.get(istat).map(|c| &**c)
    }

    /// Comuni by lower-cased name (for reading addresses back).
    pub fn comuni_by_name(catalog: &Catalog) -> BTreeMap<String, String> {
        catalog
            .comuni
            .values()
            .map(|c| (c.name.to_lowercase(), c.istat.clone()))
            .collect()
    }
}
