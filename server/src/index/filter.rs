//! Which sportelli a query wants.

use super::catalog::{Offer, Sportello};
use crate::access::{RecordScope, Viewer};
use crate::model::{Cost, Id, Meta};
use chrono::{DateTime, Utc};

/// Criteria on sportelli and on the services offered there, for one viewer. A sportello
/// matches when the viewer may see it, its own criteria hold and, if any service criterion is
/// set, at least one of its services the viewer may see meets all of them. The default
/// filter is the anonymous public's, with no criteria.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Who is asking: decides which records exist at all ([`Viewer::can_see`]).
    pub viewer: Viewer,
    /// Any of these categories.
    pub categories: Vec<String>,
    /// A language spoken (BCP 47 primary subtag compared).
    pub language: Option<String>,
    /// Who it is for (an audience id); services for `everyone` match any audience.
    pub audience: Option<String>,
    /// `Some(true)`: free only; `Some(false)`: not free.
    pub free: Option<bool>,
    /// `Some(false)`: no appointment needed; `Some(true)`: appointment needed.
    pub appointment: Option<bool>,
    /// Open at this instant.
    pub open_at: Option<DateTime<Utc>>,
    /// In this comune (ISTAT code).
    pub comune: Option<String>,
}

impl Filter {
    /// True when any service-level criterion is set.
    pub fn has_service_criteria(&self) -> bool {
        !self.categories.is_empty()
            || self.language.is_some()
            || self.audience.is_some()
            || self.free.is_some()
            || self.appointment.is_some()
            || self.open_at.is_some()
    }

    /// Does this sportello match?
    pub fn matches(&self, s: &Sportello) -> bool {
        if !self.sees(s) {
            return false;
        }
        if let Some(c) = &self.comune {
            if &s.location.address.comune_istat != c {
                return false;
            }
        }
        !self.has_service_criteria() || s.offers.iter().any(|o| self.offer_matches(s, o))
    }

    /// May the viewer see this sportello (its location record)?
    pub fn sees(&self, s: &Sportello) -> bool {
        let l = &s.location;
        self.sees_record(&l.meta, &l.organization_id, &l.address.comune_istat)
    }

    /// May the viewer see this service at sportello `s` (the service and its offer there)?
    pub fn sees_offer(&self, s: &Sportello, o: &Offer) -> bool {
        let comune = &s.location.address.comune_istat;
        self.sees_record(&o.service.meta, &o.service.organization_id, comune)
            && self.sees_record(&o.sal.meta, &s.location.organization_id, comune)
    }

    /// May the viewer see this location record (a reception centre, say)?
    pub fn sees_location(&self, l: &crate::model::Location) -> bool {
        self.sees_record(&l.meta, &l.organization_id, &l.address.comune_istat)
    }

    fn sees_record(&self, meta: &Meta, organization: &Id, comune: &String) -> bool {
        let comuni = std::slice::from_ref(comune);
        self.viewer
            .can_see(RecordScope::of(meta, Some(organization), comuni))
    }

    /// Does this service, at sportello `s`, meet the service criteria (and may the viewer
    /// see it)? With no criteria set, this is [`Filter::sees_offer`].
    pub fn offer_matches(&self, s: &Sportello, o: &Offer) -> bool {
        let svc = &o.service;
        if !self.sees_offer(s, o) {
            return false;
        }
        if !self.categories.is_empty()
            && !svc.categories.iter().any(|c| self.categories.contains(c))
        {
            return false;
        }
        if let Some(lang) = &self.language {
            let want = lang.split('-').next().unwrap_or(lang);
            if !svc
                .languages
                .iter()
                .any(|l| l.split('-').next().unwrap_or(l).eq_ignore_ascii_case(want))
            {
                return false;
            }
        }
        if let Some(a) = &self.audience {
            if !svc.audiences.iter().any(|x| x == a || x == "everyone") {
                return false;
            }
        }
        if let Some(free) = self.free {
            if (svc.cost == Cost::Free) != free {
                return false;
            }
        }
        if let Some(app) = self.appointment {
            if svc.appointment_required != app {
                return false;
            }
        }
        if let Some(t) = self.open_at {
            // Open in its comune: a patron day closes the comune's offices.
            if !o
                .schedule
                .in_comune(&s.location.address.comune_istat)
                .is_open_at(t)
            {
                return false;
            }
        }
        true
    }
}
