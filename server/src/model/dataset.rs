//! A whole directory in normalised form, as imported, exported or bundled.

use super::{Id, Location, Organization, Project, Service, ServiceAtLocation, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Dataset-level facts: title, whether it is demo data, the notice the app shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata(pub serde_json::Map<String, serde_json::Value>);

impl Metadata {
    /// True when the dataset says it is demo data.
    pub fn is_demo(&self) -> bool {
        self.0
            .get("demo")
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
}

/// Records of every kind but comuni (whose geometry travels in its own files).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub metadata: Option<Metadata>,
    pub organizations: Vec<Organization>,
    pub locations: Vec<Location>,
    pub services: Vec<Service>,
    pub service_at_locations: Vec<ServiceAtLocation>,
    pub projects: Vec<Project>,
}

impl Dataset {
    /// Number of records of all kinds.
    pub fn len(&self) -> usize {
        self.organizations.len()
            + self.locations.len()
            + self.services.len()
            + self.service_at_locations.len()
            + self.projects.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each sportello's services-at-sportello, archived ones left out (what the exports write).
    pub fn live_offers_by_location(&self) -> HashMap<&Id, Vec<&ServiceAtLocation>> {
        let mut by_location: HashMap<&Id, Vec<&ServiceAtLocation>> = HashMap::new();
        for sal in self
            .service_at_locations
            .iter()
            .filter(|s| s.meta.status != Status::Archived)
        {
            by_location.entry(&sal.location_id).or_default().push(sal);
        }
        by_location
    }
}
