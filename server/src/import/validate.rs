//! Checks that need the whole file (and what the directory already holds): unique ids,
//! references, taxonomy terms, codes and languages. Names need a value in the directory's
//! base language (`Taxonomy::base_lang`); a sportello names its comune by ISTAT code, or none
//! in a directory with no territory loaded (no comuni in the store).

use super::Report;
use crate::index::Catalog;
use crate::model::{Dataset, I18nText, Notice, Taxonomy, Visibility};
use std::collections::HashSet;

/// Reports every reference or term that does not resolve.
pub fn validate(d: &Dataset, taxonomy: &Taxonomy, existing: &Catalog) -> Report {
    let mut report = Report::default();
    let base = taxonomy.base_lang.as_str();
    let mut seen = HashSet::new();
    for o in &d.organizations {
        if !seen.insert(o.id.as_str()) {
            report.push(format!("organization {}", o.id), "id", "appears twice");
        }
    }
    let org_known = |id: &str| seen.contains(id) || existing.organizations.contains_key(id);
    let mut loc_ids = HashSet::new();
    for (i, l) in d.locations.iter().enumerate() {
        let at = format!("feature {i} ({})", l.id);
        if !loc_ids.insert(l.id.as_str()) {
            report.push(&at, "id", "appears twice");
        }
        if !org_known(l.organization_id.as_str()) {
            report.push(
                &at,
                "properties.organization_id",
                format!("unknown organization {}", l.organization_id),
            );
        }
        require_base(&mut report, &at, "properties.name", &l.name, base);
        check_notices(&mut report, &at, "properties.notices", &l.notices);
        if l.is_reception() && l.meta.visibility == Visibility::Public {
            report.push(
                &at,
                "properties.visibility",
                "a reception centre's location is confidential: give restricted or internal",
            );
        }
        if let Some(r) = &l.reception {
            if r.capacity == 0 {
                report.push(&at, "properties.reception.capacity", "must be at least 1");
            }
        }
        let code = &l.address.comune_istat;
        if code.is_empty() && existing.comuni.is_empty() {
            // A directory with no territory loaded has no comune to name.
        } else if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            report.push(
                &at,
                "properties.address.comune_istat",
                format!("{code:?} is not a 6-digit ISTAT code"),
            );
        } else if !existing.comuni.is_empty() && !existing.comuni.contains_key(code) {
            report.push(
                &at,
                "properties.address.comune_istat",
                format!("no comune {code} in the directory"),
            );
        }
    }
    // The first sportello offering each service, to say where in the file a problem is.
    let mut first_at: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for sal in &d.service_at_locations {
        first_at
            .entry(sal.service_id.as_str())
            .or_insert(sal.location_id.as_str());
    }
    let service_at = |id: &str| match first_at.get(id) {
        Some(loc) => format!("sportello {loc} service {id}"),
        None => format!("service {id}"),
    };
    for s in &d.services {
        let at = service_at(s.id.as_str());
        if !org_known(s.organization_id.as_str()) {
            report.push(
                &at,
                "organization_id",
                format!("unknown organization {}", s.organization_id),
            );
        }
        require_base(&mut report, &at, "name", &s.name, base);
        if s.categories.is_empty() {
            report.push(&at, "categories", "at least one category is needed");
        }
        for c in s.categories.iter().filter(|c| !taxonomy.has_category(c)) {
            report.push(&at, "categories", format!("unknown category {c:?}"));
        }
        for a in s.audiences.iter().filter(|a| !taxonomy.has_audience(a)) {
            report.push(&at, "audiences", format!("unknown audience {a:?}"));
        }
        for l in s.languages.iter().filter(|l| !is_language_tag(l)) {
            report.push(
                &at,
                "languages",
                format!("{l:?} is not a BCP 47 language tag"),
            );
        }
    }
    let services: HashSet<&str> = d.services.iter().map(|s| s.id.as_str()).collect();
    for sal in &d.service_at_locations {
        let at = format!("sportello {} service {}", sal.location_id, sal.service_id);
        check_notices(&mut report, &at, "notices", &sal.notices);
        if let Err(e) = sal.schedule.rules.validate() {
            report.push(
                service_at(sal.service_id.as_str()),
                "schedule",
                e.to_string(),
            );
        }
    }
    let mut project_ids = HashSet::new();
    for p in &d.projects {
        let at = format!("project {}", p.id);
        if !project_ids.insert(p.id.as_str()) {
            report.push(&at, "id", "appears twice");
        }
        if let Some(lead) = &p.lead_organization_id {
            if !org_known(lead.as_str()) {
                report.push(
                    &at,
                    "lead_organization_id",
                    format!("unknown organization {lead}"),
                );
            }
        }
        for s in p.service_ids.iter().filter(|s| {
            !services.contains(s.as_str()) && !existing.services.contains_key(s.as_str())
        }) {
            report.push(&at, "service_ids", format!("unknown service {s}"));
        }
        if let (Some(a), Some(b)) = (p.start_date, p.end_date) {
            if b < a {
                report.push(&at, "end_date", "is before start_date");
            }
        }
    }
    report
}

/// Each notice's problems, at `field[i].part` (`properties.notices[0].until`).
fn check_notices(report: &mut Report, at: &str, field: &str, notices: &[Notice]) {
    for (i, n) in notices.iter().enumerate() {
        for (part, reason) in n.problems() {
            report.push(
                at,
                format!("{field}[{i}].{}", part.replace('/', ".")),
                reason,
            );
        }
    }
}

/// Every name needs a value in the directory's base language (`it` unless configured).
fn require_base(report: &mut Report, at: &str, field: &str, text: &I18nText, base: &str) {
    if text.0.get(base).is_none_or(|v| v.trim().is_empty()) {
        let why = if base == "it" {
            "an Italian (\"it\") value is required".to_owned()
        } else {
            format!("a value in the directory's base language ({base:?}) is required")
        };
        report.push(at, field, why);
    }
}

/// A simple BCP 47 shape check: a 2–3 letter primary subtag, then 1–8 character subtags.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}
