//! One editable record of any kind: read from a request body with the import's own rules
//! (serde parsing with the field named, the field limits, [`crate::import::validate`] over a
//! one-record dataset), found in the read model, and placed for the editing rules (its owner
//! and the comuni that hold it).

use super::fields;
use crate::access::EditScope;
use crate::api::error::{Error, FieldProblem};
use crate::import::reasons::typed;
use crate::index::Catalog;
use crate::model::{
    limits, Dataset, Id, Location, Meta, Organization, Project, RecordKind, Service,
    ServiceAtLocation, Status, Taxonomy,
};
use serde_json::Value;

/// A record of one of the editable kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Organization(Organization),
    Location(Location),
    Service(Service),
    Offer(ServiceAtLocation),
    Project(Project),
}

/// A record's kind as the paths spell it.
pub fn kind_in_path(s: &str) -> Option<RecordKind> {
    Some(match s {
        "organizations" => RecordKind::Organization,
        "sportelli" => RecordKind::Location,
        "services" => RecordKind::Service,
        "offers" => RecordKind::ServiceAtLocation,
        "projects" => RecordKind::Project,
        _ => return None,
    })
}

/// The path segment of a kind.
pub fn path_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Organization => "organizations",
        RecordKind::Location => "sportelli",
        RecordKind::Service => "services",
        RecordKind::ServiceAtLocation => "offers",
        RecordKind::Project => "projects",
    }
}

/// Where a record sits: its owner and the comuni that hold it (as `crate::access` says).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub organization: Option<Id>,
    pub comuni: Vec<String>,
    /// Whether the owner is a trusted organisation.
    pub trusted: bool,
}

impl Place {
    pub fn scope(&self) -> EditScope<'_> {
        EditScope {
            organization: self.organization.as_ref(),
            comuni: &self.comuni,
        }
    }
}

fn location<'a>(c: &'a Catalog, id: &Id) -> Option<&'a Location> {
    c.location(id.as_str()).map(|l| l.as_ref())
}

fn offer<'a>(c: &'a Catalog, id: &Id) -> Option<&'a ServiceAtLocation> {
    c.service_at_location(id.as_str()).map(|s| s.as_ref())
}

/// The comuni of an organisation's sportelli.
fn organization_comuni(c: &Catalog, org: &Id) -> Vec<String> {
    let mut out: Vec<String> = c
        .locations_of_organization(org)
        .filter(|l| l.meta.status != Status::Archived)
        .map(|l| l.address.comune_istat.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Organization(_) => RecordKind::Organization,
            Record::Location(_) => RecordKind::Location,
            Record::Service(_) => RecordKind::Service,
            Record::Offer(_) => RecordKind::ServiceAtLocation,
            Record::Project(_) => RecordKind::Project,
        }
    }

    pub fn id(&self) -> &Id {
        match self {
            Record::Organization(r) => &r.id,
            Record::Location(r) => &r.id,
            Record::Service(r) => &r.id,
            Record::Offer(r) => &r.id,
            Record::Project(r) => &r.id,
        }
    }

    pub fn meta(&self) -> &Meta {
        match self {
            Record::Organization(r) => &r.meta,
            Record::Location(r) => &r.meta,
            Record::Service(r) => &r.meta,
            Record::Offer(r) => &r.meta,
            Record::Project(r) => &r.meta,
        }
    }

    pub fn meta_mut(&mut self) -> &mut Meta {
        match self {
            Record::Organization(r) => &mut r.meta,
            Record::Location(r) => &mut r.meta,
            Record::Service(r) => &mut r.meta,
            Record::Offer(r) => &mut r.meta,
            Record::Project(r) => &mut r.meta,
        }
    }

    /// The record as the API writes it (the model's own JSON).
    pub fn to_json(&self) -> Value {
        let v = match self {
            Record::Organization(r) => serde_json::to_value(r),
            Record::Location(r) => serde_json::to_value(r),
            Record::Service(r) => serde_json::to_value(r),
            Record::Offer(r) => serde_json::to_value(r),
            Record::Project(r) => serde_json::to_value(r),
        };
        v.unwrap_or(Value::Null)
    }

    /// The record without what the store manages (what a change request proposes).
    pub fn content_json(&self) -> Value {
        let mut v = self.to_json();
        if let Some(m) = v.as_object_mut() {
            for k in ["version", "created_at", "updated_at"] {
                m.remove(k);
            }
        }
        v
    }

    /// A one-record dataset, to validate or commit.
    pub fn into_dataset(self) -> Dataset {
        let mut d = Dataset::default();
        match self {
            Record::Organization(r) => d.organizations.push(r),
            Record::Location(r) => d.locations.push(r),
            Record::Service(r) => d.services.push(r),
            Record::Offer(r) => d.service_at_locations.push(r),
            Record::Project(r) => d.projects.push(r),
        }
        d
    }

    /// Reads a record of `kind` from JSON, naming the first field serde cannot read.
    pub fn parse(kind: RecordKind, v: &Value) -> Result<Record, FieldProblem> {
        fn read<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, FieldProblem> {
            typed::<T>(v).map_err(|e| fields::problem(&e.path, e.reason))
        }
        Ok(match kind {
            RecordKind::Organization => Record::Organization(read(v)?),
            RecordKind::Location => Record::Location(read(v)?),
            RecordKind::Service => Record::Service(read(v)?),
            RecordKind::ServiceAtLocation => Record::Offer(read(v)?),
            RecordKind::Project => Record::Project(read(v)?),
        })
    }

    /// The current record of `kind` with `id` in the read model (archived ones included).
    pub fn stored(kind: RecordKind, id: &Id, c: &Catalog) -> Option<Record> {
        Some(match kind {
            RecordKind::Organization => {
                Record::Organization(c.organizations.get(id)?.as_ref().clone())
            }
            RecordKind::Location => Record::Location(location(c, id)?.clone()),
            RecordKind::Service => Record::Service(c.services.get(id)?.as_ref().clone()),
            RecordKind::ServiceAtLocation => Record::Offer(offer(c, id)?.clone()),
            RecordKind::Project => Record::Project(c.projects.get(id)?.as_ref().clone()),
        })
    }

    /// Every record of `kind` in the read model.
    pub fn all(kind: RecordKind, c: &Catalog) -> Vec<Record> {
        match kind {
            RecordKind::Organization => c
                .organizations
                .values()
                .map(|r| Record::Organization(r.as_ref().clone()))
                .collect(),
            RecordKind::Location => c
                .all_locations()
                .map(|r| Record::Location(r.as_ref().clone()))
                .collect(),
            RecordKind::Service => c
                .services
                .values()
                .map(|r| Record::Service(r.as_ref().clone()))
                .collect(),
            RecordKind::ServiceAtLocation => c
                .all_service_at_locations()
                .map(|r| Record::Offer(r.as_ref().clone()))
                .collect(),
            RecordKind::Project => c
                .projects
                .values()
                .map(|r| Record::Project(r.as_ref().clone()))
                .collect(),
        }
    }

    /// Its owner and comuni: a sportello by its comune; a service by the comuni of its
    /// sportelli (or, offered nowhere yet, its organisation's); an offer by its sportello; an
    /// organisation by its sportelli; a project by its area and its lead organisation.
    pub fn place(&self, c: &Catalog) -> Place {
        let (organization, comuni) = match self {
            Record::Organization(o) => (Some(o.id.clone()), organization_comuni(c, &o.id)),
            Record::Location(l) => (
                Some(l.organization_id.clone()),
                vec![l.address.comune_istat.clone()],
            ),
            Record::Service(s) => {
                let mut comuni: Vec<String> = c
                    .offers_of_service(&s.id)
                    .filter(|o| o.meta.status != Status::Archived)
                    .filter_map(|o| location(c, &o.location_id))
                    .map(|l| l.address.comune_istat.clone())
                    .collect();
                comuni.sort();
                comuni.dedup();
                if comuni.is_empty() {
                    comuni = organization_comuni(c, &s.organization_id);
                }
                (Some(s.organization_id.clone()), comuni)
            }
            Record::Offer(o) => match location(c, &o.location_id) {
                Some(l) => (
                    Some(l.organization_id.clone()),
                    vec![l.address.comune_istat.clone()],
                ),
                None => (None, Vec::new()),
            },
            Record::Project(p) => (p.lead_organization_id.clone(), p.territory.clone()),
        };
        let trusted = organization
            .as_ref()
            .and_then(|o| c.organizations.get(o))
            .is_some_and(|o| o.trusted);
        Place {
            organization,
            comuni,
            trusted,
        }
    }

    /// The organisation a record names as its owner in its own fields (what moving it to
    /// another organisation changes).
    pub fn named_owner(&self) -> Option<&Id> {
        match self {
            Record::Organization(o) => Some(&o.id),
            Record::Location(l) => Some(&l.organization_id),
            Record::Service(s) => Some(&s.organization_id),
            Record::Offer(_) => None,
            Record::Project(p) => p.lead_organization_id.as_ref(),
        }
    }

    /// Whether this is an organisation marked trusted.
    pub fn trusted(&self) -> bool {
        matches!(self, Record::Organization(o) if o.trusted)
    }
}

/// `next`'s translations' provenance with the times and authors the server records
/// ([`crate::model::Translations::stamped`]): against `current` (none for a new record).
pub fn stamp_translations(
    next: &mut Record,
    current: Option<&Record>,
    who: &str,
    now: chrono::DateTime<chrono::Utc>,
) {
    let text = |doc: &Value, key: &str| {
        doc.pointer(&format!("/{key}"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let before_doc = current.map(Record::to_json).unwrap_or(Value::Null);
    let now_doc = next.to_json();
    let before = current
        .map(|c| c.meta().translations.clone())
        .unwrap_or_default();
    let stamped = next.meta().translations.stamped(
        &before,
        |k| text(&before_doc, k),
        |k| text(&now_doc, k),
        who,
        now,
    );
    next.meta_mut().translations = stamped;
}

/// Reads and checks a record of `kind` from a request body, as an import would: every
/// problem found, as JSON Pointers into the body (422).
pub fn read(
    kind: RecordKind,
    body: &Value,
    taxonomy: &Taxonomy,
    catalog: &Catalog,
) -> Result<Record, Error> {
    let Some(members) = body.as_object() else {
        return Err(Error::Invalid(vec![FieldProblem {
            pointer: String::new(),
            detail: "the body must be a JSON object: the record".into(),
        }]));
    };
    let provenance = fields::translation_kinds(body);
    if !provenance.is_empty() {
        return Err(Error::Invalid(provenance));
    }
    let record = Record::parse(kind, body).map_err(|p| Error::Invalid(vec![p]))?;
    let json = record.to_json();
    let mut problems = fields::dropped(members, &json);
    problems.extend(fields::translation_targets(
        &record.meta().translations,
        &json,
    ));
    let violations = match &record {
        Record::Organization(o) => limits::organization(o),
        Record::Location(l) => limits::location(l),
        Record::Service(s) => limits::service(s),
        Record::Offer(o) => limits::schedule(&o.schedule)
            .into_iter()
            .map(|mut v| {
                v.field = format!("schedule.{}", v.field);
                v
            })
            .collect(),
        Record::Project(p) => limits::project(p),
    };
    problems.extend(
        violations
            .into_iter()
            .map(|v| fields::problem(&v.field, v.reason)),
    );
    if let Record::Offer(o) = &record {
        if !catalog.services.contains_key(&o.service_id) {
            problems.push(fields::problem(
                "service_id",
                format!("unknown service {}", o.service_id),
            ));
        }
        if location(catalog, &o.location_id).is_none() {
            problems.push(fields::problem(
                "location_id",
                format!("unknown sportello {}", o.location_id),
            ));
        }
    }
    let report = crate::import::validate(&record.clone().into_dataset(), taxonomy, catalog);
    problems.extend(
        report
            .0
            .into_iter()
            .map(|p| fields::problem(&p.field, p.reason)),
    );
    if problems.is_empty() {
        Ok(record)
    } else {
        Err(Error::Invalid(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn taxonomy() -> Taxonomy {
        Taxonomy::builtin().unwrap()
    }

    #[test]
    fn every_problem_of_a_service_is_a_pointer_into_the_body() {
        let body = json!({
            "id": "svc-x", "organization_id": "org-nowhere", "name": {"en": "X"},
            "categories": ["not-a-category"], "languages": ["english!"], "colour": "blue"
        });
        let Err(Error::Invalid(problems)) =
            read(RecordKind::Service, &body, &taxonomy(), &Catalog::default())
        else {
            panic!("an invalid service was accepted");
        };
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        for want in [
            "/colour",
            "/organization_id",
            "/name/it",
            "/categories",
            "/languages",
        ] {
            assert!(pointers.contains(&want), "{want} not in {problems:?}");
        }
    }

    #[test]
    fn a_type_error_names_its_field() {
        let body = json!({"id": "svc-x", "organization_id": "org-a", "name": {"it": 42},
                          "categories": []});
        let Err(Error::Invalid(problems)) =
            read(RecordKind::Service, &body, &taxonomy(), &Catalog::default())
        else {
            panic!("accepted");
        };
        assert_eq!(problems[0].pointer, "/name/it");
        assert!(
            problems[0].detail.contains("expected a string"),
            "{problems:?}"
        );
    }

    #[test]
    fn kinds_in_paths_round_trip() {
        for k in RecordKind::ALL {
            assert_eq!(kind_in_path(path_of(k)), Some(k));
        }
        assert_eq!(kind_in_path("comuni"), None);
    }
}
