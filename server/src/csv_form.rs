//! The CSV form of a dataset: one row per service at a sportello (a sportello without
//! services has one row with an empty `service_id`). Translations are `field@lang` columns,
//! lists are `;`-separated. Organisations and projects travel only in the GeoJSON form.

use crate::import::Report;
use crate::model::{
    Address, Cost, Dataset, I18nText, Id, Location, LonLat, Meta, Phone, ScheduleDoc, Service,
    ServiceAtLocation, Status, Visibility,
};
use bussola_hours::{HolidayPolicy, Period, Schedule, WeeklyHours};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Translatable columns and which record they belong to.
const I18N: [&str; 8] = [
    "sportello_name",
    "sportello_description",
    "accessibility",
    "service_name",
    "service_description",
    "cost_note",
    "documents",
    "schedule_note",
];

const PLAIN: [&str; 31] = [
    "sportello_id",
    "organization_id",
    "street",
    "postcode",
    "locality",
    "comune_istat",
    "lon",
    "lat",
    "phones",
    "emails",
    "website",
    "sportello_status",
    "sportello_visibility",
    "sportello_last_verified_at",
    "service_id",
    "service_organization_id",
    "categories",
    "languages",
    "cost",
    "appointment_required",
    "audiences",
    "service_phone",
    "service_email",
    "service_url",
    "service_status",
    "service_visibility",
    "service_last_verified_at",
    "hours",
    "seasonal_hours",
    "closed_on",
    "public_holidays",
];

fn list(s: &[String]) -> String {
    s.join(";")
}

fn split(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn enum_text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn ts(t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Writes the sportelli (and their services) of `d` as CSV.
pub fn write(d: &Dataset, out: impl std::io::Write) -> Result<(), csv::Error> {
    let services: HashMap<&Id, &Service> = d.services.iter().map(|s| (&s.id, s)).collect();
    // Which languages each translatable column needs.
    let mut langs: BTreeMap<&str, BTreeSet<String>> =
        I18N.iter().map(|c| (*c, BTreeSet::new())).collect();
    let mut note = |col: &'static str, t: &I18nText| {
        if let Some(set) = langs.get_mut(col) {
            set.extend(t.0.keys().cloned());
        }
    };
    for l in &d.locations {
        note("sportello_name", &l.name);
        note("sportello_description", &l.description);
        note("accessibility", &l.accessibility);
    }
    for s in &d.services {
        note("service_name", &s.name);
        note("service_description", &s.description);
        note("cost_note", &s.cost_note);
        note("documents", &s.documents);
    }
    for sal in &d.service_at_locations {
        note("schedule_note", &sal.schedule.note);
    }
    let mut header: Vec<String> = PLAIN.iter().map(|s| s.to_string()).collect();
    for (col, set) in &langs {
        header.extend(set.iter().map(|l| format!("{col}@{l}")));
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&header)?;
    for l in &d.locations {
        let sals: Vec<&ServiceAtLocation> = d
            .service_at_locations
            .iter()
            .filter(|s| s.location_id == l.id && s.meta.status != Status::Archived)
            .collect();
        let rows: Vec<Option<&ServiceAtLocation>> = if sals.is_empty() {
            vec![None]
        } else {
            sals.into_iter().map(Some).collect()
        };
        for sal in rows {
            let svc = sal.and_then(|s| services.get(&s.service_id).copied());
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
            put(
                "phones",
                l.phones
                    .iter()
                    .map(|p| p.number.clone())
                    .collect::<Vec<_>>()
                    .join(";"),
            );
            put("emails", list(&l.emails));
            put("website", l.website.clone().unwrap_or_default());
            put("sportello_status", enum_text(&l.meta.status));
            put("sportello_visibility", enum_text(&l.meta.visibility));
            put("sportello_last_verified_at", ts(&l.meta.last_verified_at));
            let mut i18n = |col: &str, t: &I18nText| {
                for (lang, v) in &t.0 {
                    row.insert(format!("{col}@{lang}"), v.clone());
                }
            };
            i18n("sportello_name", &l.name);
            i18n("sportello_description", &l.description);
            i18n("accessibility", &l.accessibility);
            if let (Some(s), Some(sal)) = (svc, sal) {
                i18n("service_name", &s.name);
                i18n("service_description", &s.description);
                i18n("cost_note", &s.cost_note);
                i18n("documents", &s.documents);
                i18n("schedule_note", &sal.schedule.note);
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
                let fields = [
                    ("service_id", s.id.to_string()),
                    ("service_organization_id", s.organization_id.to_string()),
                    ("categories", list(&s.categories)),
                    ("languages", list(&s.languages)),
                    ("cost", s.cost.as_str().to_owned()),
                    ("appointment_required", s.appointment_required.to_string()),
                    ("audiences", list(&s.audiences)),
                    ("service_phone", s.phone.clone().unwrap_or_default()),
                    ("service_email", s.email.clone().unwrap_or_default()),
                    ("service_url", s.url.clone().unwrap_or_default()),
                    ("service_status", enum_text(&s.meta.status)),
                    ("service_visibility", enum_text(&s.meta.visibility)),
                    ("service_last_verified_at", ts(&s.meta.last_verified_at)),
                    ("hours", undated.join(" | ")),
                    ("seasonal_hours", seasonal.join(" | ")),
                    (
                        "closed_on",
                        rules
                            .closed_on
                            .iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join(";"),
                    ),
                    ("public_holidays", enum_text(&rules.public_holidays)),
                ];
                for (k, v) in fields {
                    row.insert(k.to_owned(), v);
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

struct Cells<'a> {
    header: &'a [String],
    record: &'a csv::StringRecord,
}

impl Cells<'_> {
    fn get(&self, col: &str) -> &str {
        self.header
            .iter()
            .position(|h| h == col)
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }
    fn opt(&self, col: &str) -> Option<String> {
        Some(self.get(col))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }
    fn i18n(&self, col: &str) -> I18nText {
        let prefix = format!("{col}@");
        I18nText(
            self.header
                .iter()
                .zip(self.record.iter())
                .filter_map(|(h, v)| {
                    h.strip_prefix(&prefix)
                        .filter(|_| !v.trim().is_empty())
                        .map(|l| (l.to_owned(), v.trim().to_owned()))
                })
                .collect(),
        )
    }
}

/// Parses the CSV form. Every bad cell is reported with its line and column name.
pub fn read(text: &str) -> Result<Dataset, Report> {
    let mut report = Report::default();
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
    for (n, rec) in rdr.records().enumerate() {
        let line = n + 2;
        let at = format!("line {line}");
        let record = match rec {
            Ok(r) => r,
            Err(e) => {
                report.push(&at, "", e.to_string());
                continue;
            }
        };
        let c = Cells {
            header: &header,
            record: &record,
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
                            "must be public or restricted".into(),
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
        let Some(loc_meta) = meta("sportello", &mut bad) else {
            continue;
        };
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
            phones: split(c.get("phones"))
                .into_iter()
                .map(|number| Phone {
                    number,
                    label: I18nText::default(),
                })
                .collect(),
            emails: split(c.get("emails")),
            website: c.opt("website"),
            meta: loc_meta,
        };
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
        let Some(svc_meta) = meta("service", &mut bad) else {
            continue;
        };
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
        for day in split(c.get("closed_on")) {
            match day.parse::<NaiveDate>() {
                Ok(date) => closed_on.push(date),
                Err(_) => bad("closed_on", format!("{day:?} is not a YYYY-MM-DD date")),
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
            categories: split(c.get("categories")),
            languages: split(c.get("languages")),
            cost,
            cost_note: c.i18n("cost_note"),
            appointment_required,
            documents: c.i18n("documents"),
            audiences: split(c.get("audiences")),
            phone: c.opt("service_phone"),
            email: c.opt("service_email"),
            url: c.opt("service_url"),
            meta: svc_meta,
        };
        match d.services.iter().find(|s| s.id == service.id) {
            Some(prev) if *prev != service => bad(
                "service_id",
                format!(
                    "service {} has different details than on an earlier line",
                    service.id
                ),
            ),
            Some(_) => {}
            None => d.services.push(service),
        }
        d.service_at_locations.push(ServiceAtLocation {
            id: ServiceAtLocation::derived_id(&loc_id, &svc_id),
            service_id: svc_id,
            location_id: loc_id,
            schedule: ScheduleDoc {
                rules: Schedule {
                    periods,
                    closed_on,
                    public_holidays,
                },
                note: c.i18n("schedule_note"),
            },
            meta: Meta::default(),
        });
    }
    report.into_result(d)
}

/// Hours as a cell: `off` for a period closed every day (an empty cell means "no period").
fn hours_cell(h: &WeeklyHours) -> String {
    if h.is_empty() {
        "off".to_owned()
    } else {
        h.to_string()
    }
}

fn parse_hours_cell(s: &str) -> Result<WeeklyHours, bussola_hours::HoursError> {
    if s.trim() == "off" {
        Ok(WeeklyHours::default())
    } else {
        s.parse()
    }
}

fn parse_seasonal(s: &str) -> Result<Period, String> {
    let (range, hours) = s
        .split_once(' ')
        .ok_or_else(|| format!("{s:?}: expected `FROM..TO hours`"))?;
    let (from, to) = range
        .split_once("..")
        .ok_or_else(|| format!("{range:?}: expected FROM..TO"))?;
    let date = |x: &str| -> Result<Option<NaiveDate>, String> {
        if x.is_empty() {
            Ok(None)
        } else {
            x.parse()
                .map(Some)
                .map_err(|_| format!("{x:?} is not a YYYY-MM-DD date"))
        }
    };
    Ok(Period {
        valid_from: date(from)?,
        valid_to: date(to)?,
        hours: parse_hours_cell(hours).map_err(|e| e.to_string())?,
    })
}
