//! Reading the CSV form. Every bad cell is reported with its line and column; a column the
//! reader does not know, or the same sportello and service on two lines, is refused.

use super::cells::{
    column_of_location, column_of_service, parse_date, parse_hours_cell, parse_seasonal,
    record_cell, Cells,
};
use super::{split_list, unknown_column};
use crate::import::Report;
use crate::model::{
    limits, Address, Checked, Cost, Dataset, Id, Location, LonLat, Meta, ScheduleDoc, Service,
    ServiceAtLocation, Status, Visibility,
};
use bussola_hours::{HolidayPolicy, Period, Schedule};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Parses the CSV form. Every bad cell is reported with its line and column name.
/// A leading byte-order mark is ignored, as the GeoJSON reader does.
pub fn read(text: &str) -> Result<Dataset, Report> {
    let mut report = Report::default();
    let text = crate::import::text::strip_bom(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            report.push("line 1", "", format!("unreadable header: {e}"));
            return Err(report);
        }
    };
    let mut columns = std::collections::HashSet::new();
    for h in &header {
        if let Some(why) = unknown_column(h) {
            report.push("line 1", h, why);
        } else if !columns.insert(h.as_str()) {
            report.push("line 1", h, "the column appears twice");
        }
    }
    for required in [
        "sportello_id",
        "organization_id",
        "comune_istat",
        "lon",
        "lat",
    ] {
        if !header.iter().any(|h| h == required) {
            report.push("line 1", required, "required column is missing");
        }
    }
    if !report.is_empty() {
        return Err(report);
    }
    let mut d = Dataset::default();
    // The line of each (sportello, service) pair, and the services of each sportello.
    let mut rows: HashMap<(String, String), u64> = HashMap::new();
    let mut offered: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = rdr.position().line();
        let at = format!("line {line}");
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                report.push(&at, "", e.to_string());
                if matches!(
                    e.kind(),
                    csv::ErrorKind::Io(_) | csv::ErrorKind::Utf8 { .. }
                ) {
                    break;
                }
                continue;
            }
        }
        let record = &record;
        let key = (
            record_cell(&header, record, "sportello_id"),
            record_cell(&header, record, "service_id"),
        );
        if let Some(first) = rows.get(&key) {
            let what = if key.1.is_empty() {
                format!("sportello {} without a service", key.0)
            } else {
                format!("sportello {} with service {}", key.0, key.1)
            };
            report.push(
                &at,
                "sportello_id/service_id",
                format!("{what} is already on line {first}; each pair goes on one line"),
            );
            continue;
        }
        rows.insert(key.clone(), line);
        if !key.1.is_empty() {
            let n = offered.entry(key.0.clone()).or_default();
            *n += 1;
            if *n == limits::SERVICES_PER_SPORTELLO + 1 {
                report.push(
                    &at,
                    "service_id",
                    format!(
                        "sportello {} has more than {} services; at most {} are allowed",
                        key.0,
                        limits::SERVICES_PER_SPORTELLO,
                        limits::SERVICES_PER_SPORTELLO
                    ),
                );
            }
        }
        let c = Cells {
            header: &header,
            record,
        };
        let mut bad = |field: &str, reason: String| report.push(&at, field, reason);
        let id = |col: &str, bad: &mut dyn FnMut(&str, String)| match Id::parse(c.get(col)) {
            Ok(id) => Some(id),
            Err(e) => {
                bad(col, e.to_string());
                None
            }
        };
        let num = |col: &str, bad: &mut dyn FnMut(&str, String)| match c.get(col).parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                bad(col, format!("{:?} is not a number", c.get(col)));
                None
            }
        };
        let enumv = |col: &str, default: &str| {
            serde_json::Value::String(c.opt(col).unwrap_or_else(|| default.to_owned()))
        };
        let (Some(loc_id), Some(org_id), Some(lon), Some(lat)) = (
            id("sportello_id", &mut bad),
            id("organization_id", &mut bad),
            num("lon", &mut bad),
            num("lat", &mut bad),
        ) else {
            continue;
        };
        let point = match LonLat::new(lon, lat) {
            Ok(p) => p,
            Err(e) => {
                bad("lon/lat", e.to_string());
                continue;
            }
        };
        let meta = |prefix: &str, bad: &mut dyn FnMut(&str, String)| -> Option<Meta> {
            let status: Status =
                serde_json::from_value(enumv(&format!("{prefix}_status"), "published"))
                    .map_err(|_| {
                        bad(
                            &format!("{prefix}_status"),
                            format!(
                                "{:?} is not draft, published or archived",
                                c.get(&format!("{prefix}_status"))
                            ),
                        )
                    })
                    .ok()?;
            let visibility: Visibility =
                serde_json::from_value(enumv(&format!("{prefix}_visibility"), "public"))
                    .map_err(|_| {
                        bad(
                            &format!("{prefix}_visibility"),
                            "must be public, restricted or internal".into(),
                        )
                    })
                    .ok()?;
            let col = format!("{prefix}_last_verified_at");
            let last_verified_at = match c.opt(&col).map(|s| DateTime::parse_from_rfc3339(&s)) {
                None => None,
                Some(Ok(t)) => Some(t.with_timezone(&Utc)),
                Some(Err(_)) => {
                    bad(&col, "is not an RFC 3339 timestamp".into());
                    return None;
                }
            };
            Some(Meta {
                status,
                visibility,
                last_verified_at,
                ..Meta::default()
            })
        };
        let Some(mut loc_meta) = meta("sportello", &mut bad) else {
            continue;
        };
        let provenance = super::provenance::read(&c, &mut bad);
        loc_meta.provenance = provenance.clone();
        loc_meta.verified = c.verified(&[Checked::Address, Checked::Phone], &mut bad);
        let location = Location {
            id: loc_id.clone(),
            organization_id: org_id.clone(),
            name: c.i18n("sportello_name"),
            description: c.i18n("sportello_description"),
            address: Address {
                street: c.get("street").to_owned(),
                postcode: c.get("postcode").to_owned(),
                locality: c.get("locality").to_owned(),
                comune_istat: c.get("comune_istat").to_owned(),
            },
            point,
            accessibility: c.i18n("accessibility"),
            phones: c.phones(&mut bad),
            emails: split_list(c.get("emails")),
            website: c.opt("website"),
            reception: c.reception(&mut bad),
            notices: super::notices::read(&c, "sportello_notices", &mut bad),
            meta: loc_meta,
        };
        for v in limits::location(&location) {
            bad(&column_of_location(&v.field), v.reason);
        }
        match d.locations.iter().find(|l| l.id == location.id) {
            Some(prev) if *prev != location => bad(
                "sportello_id",
                format!(
                    "sportello {} has different details than on an earlier line",
                    location.id
                ),
            ),
            Some(_) => {}
            None => d.locations.push(location),
        }
        if c.get("service_id").is_empty() {
            continue;
        }
        let Some(svc_id) = id("service_id", &mut bad) else {
            continue;
        };
        let svc_org = match c.opt("service_organization_id") {
            Some(_) => match id("service_organization_id", &mut bad) {
                Some(i) => i,
                None => continue,
            },
            None => org_id.clone(),
        };
        let cost: Cost = match serde_json::from_value(enumv("cost", "free")) {
            Ok(v) => v,
            Err(_) => {
                bad(
                    "cost",
                    format!("{:?} is not free, reduced or paid", c.get("cost")),
                );
                continue;
            }
        };
        let appointment_required = match c.get("appointment_required").to_ascii_lowercase().as_str()
        {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                bad(
                    "appointment_required",
                    format!("{other:?} is not true or false"),
                );
                continue;
            }
        };
        let Some(mut svc_meta) = meta("service", &mut bad) else {
            continue;
        };
        svc_meta.verified = c.verified(
            &[Checked::Languages, Checked::Cost, Checked::Appointment],
            &mut bad,
        );
        svc_meta.provenance = provenance.clone();
        let mut periods = Vec::new();
        for part in c
            .get("hours")
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match parse_hours_cell(part) {
                Ok(hours) => periods.push(Period {
                    valid_from: None,
                    valid_to: None,
                    hours,
                }),
                Err(e) => bad("hours", e.to_string()),
            }
        }
        for part in c
            .get("seasonal_hours")
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match parse_seasonal(part) {
                Ok(p) => periods.push(p),
                Err(e) => bad("seasonal_hours", e),
            }
        }
        let mut closed_on = Vec::new();
        for day in split_list(c.get("closed_on")) {
            match parse_date(&day) {
                Ok(date) => closed_on.push(date),
                Err(e) => bad("closed_on", e),
            }
        }
        let public_holidays: HolidayPolicy =
            match serde_json::from_value(enumv("public_holidays", "closed")) {
                Ok(p) => p,
                Err(_) => {
                    bad("public_holidays", "must be closed or open".into());
                    continue;
                }
            };
        let service = Service {
            id: svc_id.clone(),
            organization_id: svc_org,
            name: c.i18n("service_name"),
            description: c.i18n("service_description"),
            categories: split_list(c.get("categories")),
            languages: split_list(c.get("languages")),
            cost,
            cost_note: c.i18n("cost_note"),
            appointment_required,
            documents: c.i18n("documents"),
            audiences: split_list(c.get("audiences")),
            phone: c.opt("service_phone"),
            email: c.opt("service_email"),
            url: c.opt("service_url"),
            meta: svc_meta,
        };
        for v in limits::service(&service) {
            bad(&column_of_service(&v.field), v.reason);
        }
        // A service shared by sportelli of different sources takes its first line's.
        let same = |a: &Service, b: &Service| {
            let bare = |s: &Service| {
                let mut s = s.clone();
                s.meta.provenance = None;
                s
            };
            bare(a) == bare(b)
        };
        match d.services.iter().find(|s| s.id == service.id) {
            Some(prev) if !same(prev, &service) => bad(
                "service_id",
                format!(
                    "service {} has different details than on an earlier line",
                    service.id
                ),
            ),
            Some(_) => {}
            None => d.services.push(service),
        }
        let sal_id = match c.opt("service_at_location_id") {
            None => ServiceAtLocation::derived_id(&loc_id, &svc_id),
            Some(_) => match id("service_at_location_id", &mut bad) {
                Some(i) => i,
                None => continue,
            },
        };
        let schedule = ScheduleDoc {
            rules: Schedule {
                periods,
                closed_on,
                public_holidays,
            },
            note: c.i18n("schedule_note"),
        };
        for v in limits::schedule(&schedule) {
            let col = match v.field.split_once('.') {
                Some(("note", lang)) => format!("schedule_note@{lang}"),
                _ if v.field == "periods" => "hours/seasonal_hours".to_owned(),
                _ => v.field.clone(),
            };
            bad(&col, v.reason);
        }
        d.service_at_locations.push(ServiceAtLocation {
            id: sal_id,
            service_id: svc_id,
            location_id: loc_id,
            schedule,
            notices: super::notices::read(&c, "service_notices", &mut bad),
            meta: Meta {
                verified: c.verified(&[Checked::Hours], &mut bad),
                provenance,
                ..Meta::default()
            },
        });
    }
    report.into_result(d)
}
