//! Which sportelli a query wants.

use super::catalog::{Offer, Sportello};
use crate::model::Cost;
use chrono::{DateTime, Utc};

/// Who is asking: the public sees published, public records only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    Public,
    /// Every record that is not archived (operators and planners, when roles arrive).
    Internal,
}

/// Criteria on sportelli and on the services offered there. A sportello matches when its own
/// criteria hold and, if any service criterion is set, at least one of its services meets
/// all of them.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub scope: Scope,
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
        if !self.visible(s.location.meta.status, s.location.meta.visibility) {
            return false;
        }
        if let Some(c) = &self.comune {
            if &s.location.address.comune_istat != c {
                return false;
            }
        }
        !self.has_service_criteria() || s.offers.iter().any(|o| self.offer_matches(o))
    }

    /// Does this service, at its sportello, meet the service criteria (and scope)?
    pub fn offer_matches(&self, o: &Offer) -> bool {
        let svc = &o.service;
        if !self.visible(svc.meta.status, svc.meta.visibility)
            || !self.visible(o.sal.meta.status, o.sal.meta.visibility)
        {
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
            if !o.sal.schedule.rules.is_open_at(t) {
                return false;
            }
        }
        true
    }

    fn visible(&self, status: crate::model::Status, visibility: crate::model::Visibility) -> bool {
        use crate::model::{Status, Visibility};
        match self.scope {
            Scope::Public => status == Status::Published && visibility == Visibility::Public,
            Scope::Internal => status != Status::Archived,
        }
    }
}
