//! Writing the CSV form: sportelli ordered by id, their services by service id.

use super::cells::verified_column;
use super::notices;
use super::{join_list, I18N, NOTICE_MESSAGES, PHONE_LABEL, PLAIN};
use crate::model::{Checked, Dataset, I18nText, Id, Meta, Service, ServiceAtLocation};
use bussola_hours::WeeklyHours;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn enum_text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn ts(t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_default()
}

/// Hours as a cell: `off` for a period closed every day (an empty cell means "no period").
pub(super) fn hours_cell(h: &WeeklyHours) -> String {
    if h.is_empty() {
        "off".to_owned()
    } else {
        h.to_string()
    }
}

/// The header: the plain columns, then each translatable column once per language used.
fn header(d: &Dataset) -> Vec<String> {
    let mut langs: BTreeMap<&str, BTreeSet<String>> = I18N
        .iter()
        .chain(std::iter::once(&PHONE_LABEL))
        .chain(NOTICE_MESSAGES.iter())
        .map(|c| (*c, BTreeSet::new()))
        .collect();
    let mut note = |col: &'static str, t: &I18nText| {
        if let Some(set) = langs.get_mut(col) {
            set.extend(t.0.keys().cloned());
        }
    };
    for l in &d.locations {
        note("sportello_name", &l.name);
        note("sportello_description", &l.description);
        note("accessibility", &l.accessibility);
        for p in &l.phones {
            note(PHONE_LABEL, &p.label);
        }
        for n in &l.notices {
            note("sportello_notice_message", &n.message);
        }
    }
    for s in &d.services {
        note("service_name", &s.name);
        note("service_description", &s.description);
        note("cost_note", &s.cost_note);
        note("documents", &s.documents);
    }
    for sal in &d.service_at_locations {
        note("schedule_note", &sal.schedule.note);
        for n in &sal.notices {
            note("service_notice_message", &n.message);
        }
    }
    let mut header: Vec<String> = PLAIN
        .iter()
        .chain(super::provenance::COLUMNS.iter())
        .map(|s| s.to_string())
        .collect();
    for (col, set) in &langs {
        header.extend(set.iter().map(|l| format!("{col}@{l}")));
    }
    header
}

/// Writes the sportelli (and their services) of `d` as CSV.
pub fn write(d: &Dataset, out: impl std::io::Write) -> Result<(), csv::Error> {
    let services: HashMap<&Id, &Service> = d.services.iter().map(|s| (&s.id, s)).collect();
    let mut by_location = d.live_offers_by_location();
    let header = header(d);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&header)?;
    let mut locations: Vec<_> = d.locations.iter().collect();
    locations.sort_by(|a, b| a.id.cmp(&b.id));
    for l in locations {
        let mut sals = by_location.remove(&l.id).unwrap_or_default();
        sals.sort_by(|a, b| a.service_id.cmp(&b.service_id));
        let rows: Vec<Option<&ServiceAtLocation>> = if sals.is_empty() {
            vec![None]
        } else {
            sals.into_iter().map(Some).collect()
        };
        for sal in rows {
            let mut row: HashMap<String, String> = HashMap::new();
            let mut put = |k: &str, v: String| {
                row.insert(k.to_owned(), v);
            };
            put("sportello_id", l.id.to_string());
            put("organization_id", l.organization_id.to_string());
            put("street", l.address.street.clone());
            put("postcode", l.address.postcode.clone());
            put("locality", l.address.locality.clone());
            put("comune_istat", l.address.comune_istat.clone());
            put("lon", l.point.lon().to_string());
            put("lat", l.point.lat().to_string());
            let numbers: Vec<&str> = l.phones.iter().map(|p| p.number.as_str()).collect();
            put("phones", join_list(&numbers));
            put("emails", join_list(&l.emails));
            put("website", l.website.clone().unwrap_or_default());
            put("sportello_status", enum_text(&l.meta.status));
            put("sportello_visibility", enum_text(&l.meta.visibility));
            put("sportello_last_verified_at", ts(&l.meta.last_verified_at));
            for (k, v) in verified_cells(&l.meta, &[Checked::Address, Checked::Phone]) {
                put(&k, v);
            }
            for (k, v) in notices::cells("sportello_notices", &l.notices) {
                put(&k, v);
            }
            for (k, v) in super::provenance::cells(l.meta.provenance.as_ref()) {
                put(k, v);
            }
            if let Some(r) = &l.reception {
                put("reception_kind", enum_text(&r.kind));
                put("reception_capacity", r.capacity.to_string());
            }
            let labels: BTreeSet<&String> =
                l.phones.iter().flat_map(|p| p.label.0.keys()).collect();
            for lang in labels {
                let items: Vec<&str> = l
                    .phones
                    .iter()
                    .map(|p| p.label.0.get(lang).map(String::as_str).unwrap_or(""))
                    .collect();
                put(&format!("{PHONE_LABEL}@{lang}"), join_list(&items));
            }
            let mut i18n = |col: &str, t: &I18nText| {
                for (lang, v) in &t.0 {
                    row.insert(format!("{col}@{lang}"), v.clone());
                }
            };
            i18n("sportello_name", &l.name);
            i18n("sportello_description", &l.description);
            i18n("accessibility", &l.accessibility);
            let svc = sal.and_then(|s| services.get(&s.service_id).copied());
            if let (Some(s), Some(sal)) = (svc, sal) {
                i18n("service_name", &s.name);
                i18n("service_description", &s.description);
                i18n("cost_note", &s.cost_note);
                i18n("documents", &s.documents);
                i18n("schedule_note", &sal.schedule.note);
                for (k, v) in service_cells(l.id.as_str(), s, sal) {
                    row.insert(k, v);
                }
            }
            w.write_record(
                header
                    .iter()
                    .map(|h| row.get(h).map(String::as_str).unwrap_or("")),
            )?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The plain cells of one service at one sportello.
fn service_cells(location: &str, s: &Service, sal: &ServiceAtLocation) -> Vec<(String, String)> {
    let rules = &sal.schedule.rules;
    let undated: Vec<String> = rules
        .periods
        .iter()
        .filter(|p| p.valid_from.is_none() && p.valid_to.is_none())
        .map(|p| hours_cell(&p.hours))
        .collect();
    let seasonal: Vec<String> = rules
        .periods
        .iter()
        .filter(|p| p.valid_from.is_some() || p.valid_to.is_some())
        .map(|p| {
            let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
            format!(
                "{}..{} {}",
                d(p.valid_from),
                d(p.valid_to),
                hours_cell(&p.hours)
            )
        })
        .collect();
    let derived = Id::parse(location)
        .map(|l| ServiceAtLocation::derived_id(&l, &s.id) == sal.id)
        .unwrap_or(false);
    let closed: Vec<String> = rules.closed_on.iter().map(|d| d.to_string()).collect();
    let mut cells: Vec<(String, String)> = verified_cells(
        &s.meta,
        &[Checked::Languages, Checked::Cost, Checked::Appointment],
    );
    cells.extend(verified_cells(&sal.meta, &[Checked::Hours]));
    cells.extend(notices::cells("service_notices", &sal.notices));
    let plain = vec![
        ("service_id", s.id.to_string()),
        (
            "service_at_location_id",
            if derived {
                String::new()
            } else {
                sal.id.to_string()
            },
        ),
        ("service_organization_id", s.organization_id.to_string()),
        ("categories", join_list(&s.categories)),
        ("languages", join_list(&s.languages)),
        ("cost", s.cost.as_str().to_owned()),
        ("appointment_required", s.appointment_required.to_string()),
        ("audiences", join_list(&s.audiences)),
        ("service_phone", s.phone.clone().unwrap_or_default()),
        ("service_email", s.email.clone().unwrap_or_default()),
        ("service_url", s.url.clone().unwrap_or_default()),
        ("service_status", enum_text(&s.meta.status)),
        ("service_visibility", enum_text(&s.meta.visibility)),
        ("service_last_verified_at", ts(&s.meta.last_verified_at)),
        ("hours", undated.join(" | ")),
        ("seasonal_hours", seasonal.join(" | ")),
        ("closed_on", closed.join(";")),
        ("public_holidays", enum_text(&rules.public_holidays)),
    ];
    plain
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .chain(cells)
        .collect()
}

/// The `{field}_verified_at` cells of `fields` that `meta` has a date for.
fn verified_cells(meta: &Meta, fields: &[Checked]) -> Vec<(String, String)> {
    fields
        .iter()
        .filter_map(|f| {
            meta.verified
                .get(f)
                .map(|t| (verified_column(*f), ts(&Some(*t))))
        })
        .collect()
}
