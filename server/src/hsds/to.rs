//! Bussola → HSDS 3.0: each record as the HSDS object of the same name, in one language,
//! with only what the viewer may see nested inside it.

use super::ids::uuid;
use super::terms::{self, Vocabulary};
use super::visible::Visible;
use crate::index::{Offer, Sportello};
use crate::model::{I18nText, Location, Organization, ScheduleDoc, Service, Status, Taxonomy};
use chrono::{DateTime, SecondsFormat, Utc, Weekday};
use serde_json::{json, Map, Value};

/// What every object is written with: who may see what, the language, the taxonomy.
pub struct Writer<'a> {
    pub visible: &'a Visible<'a>,
    pub lang: &'a str,
    pub taxonomy: &'a Taxonomy,
}

/// The HSDS id of a record of `kind` (`organization`, `service`, `location`, `service_at_location`).
pub fn id_of(kind: &str, id: &str) -> String {
    uuid(kind, id)
}

fn text(t: &I18nText, lang: &str) -> Option<String> {
    t.get(lang)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Inserts `value` under `key` when it is some (HSDS fields are strings, never null).
fn put(m: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        m.insert(key.to_owned(), v.into());
    }
}

fn instant(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl Writer<'_> {
    /// An organisation; `full` nests its sportelli and services the viewer may see.
    pub fn organization(&self, o: &Organization, full: bool, full_service: bool) -> Value {
        let oid = id_of("organization", o.id.as_str());
        let mut m = Map::new();
        m.insert("id".into(), json!(oid));
        m.insert("name".into(), json!(o.name));
        m.insert(
            "description".into(),
            json!(text(&o.description, self.lang).unwrap_or_default()),
        );
        put(&mut m, "email", nonempty(&o.email));
        put(&mut m, "website", nonempty(&o.website));
        m.insert("legal_status".into(), json!(o.kind));
        m.insert(
            "organization_identifiers".into(),
            json!([{
                "id": uuid("organization_identifier", o.id.as_str()),
                "organization_id": oid,
                "identifier_scheme": "bussola",
                "identifier_type": "Bussola id",
                "identifier": o.id.as_str(),
            }]),
        );
        if let Some(phone) = nonempty(&o.phone) {
            m.insert(
                "phones".into(),
                json!([{"id": uuid("phone", &format!("organization:{}", o.id)),
                        "organization_id": oid, "number": phone}]),
            );
        }
        let attributes = terms::provenance("organization", &oid, &o.meta.provenance);
        if !attributes.is_empty() {
            m.insert("attributes".into(), Value::Array(attributes));
        }
        if full || full_service {
            let locations: Vec<Value> = self
                .visible
                .sportelli_of(&o.id)
                .map(|s| self.location(&s.location))
                .collect();
            let services: Vec<Value> = self
                .visible
                .services_of(&o.id)
                .map(|s| self.service(s, full_service))
                .collect();
            m.insert("locations".into(), Value::Array(locations));
            m.insert("services".into(), Value::Array(services));
        }
        Value::Object(m)
    }

    /// A service; `full` nests its organisation and where it is offered (with the sportello
    /// and the hours).
    pub fn service(&self, s: &Service, full: bool) -> Value {
        let sid = id_of("service", s.id.as_str());
        let mut m = Map::new();
        m.insert("id".into(), json!(sid));
        m.insert(
            "organization_id".into(),
            json!(id_of("organization", s.organization_id.as_str())),
        );
        m.insert(
            "name".into(),
            json!(text(&s.name, self.lang).unwrap_or_else(|| s.id.to_string())),
        );
        put(&mut m, "description", text(&s.description, self.lang));
        put(&mut m, "url", nonempty(&s.url));
        put(&mut m, "email", nonempty(&s.email));
        m.insert(
            "status".into(),
            json!(match s.meta.status {
                Status::Published => "active",
                Status::Draft => "inactive",
                Status::Archived => "defunct",
            }),
        );
        put(&mut m, "fees_description", text(&s.cost_note, self.lang));
        put(
            &mut m,
            "assured_date",
            s.meta
                .last_verified_at
                .map(|t| t.date_naive().format("%Y-%m-%d").to_string()),
        );
        put(&mut m, "last_modified", instant(s.meta.updated_at));
        if let Some(phone) = nonempty(&s.phone) {
            m.insert(
                "phones".into(),
                json!([{"id": uuid("phone", &format!("service:{}", s.id)), "service_id": sid,
                        "number": phone}]),
            );
        }
        let languages: Vec<Value> = s
            .languages
            .iter()
            .map(|l| {
                json!({"id": uuid("language", &format!("service:{}:{l}", s.id)),
                           "service_id": sid, "code": l})
            })
            .collect();
        m.insert("languages".into(), Value::Array(languages));
        m.insert(
            "cost_options".into(),
            json!([{"id": uuid("cost_option", s.id.as_str()), "service_id": sid,
                    "option": s.cost.as_str()}]),
        );
        if let Some(doc) = text(&s.documents, self.lang) {
            m.insert(
                "required_documents".into(),
                json!([{"id": uuid("required_document", s.id.as_str()), "service_id": sid,
                        "document": doc}]),
            );
        }
        m.insert(
            "attributes".into(),
            Value::Array(self.service_attributes(s, &sid)),
        );
        if full {
            if let Some(o) = self.visible.organization(&s.organization_id) {
                m.insert("organization".into(), self.organization(o, false, false));
            }
            let sals: Vec<Value> = self
                .visible
                .offers_of(&s.id)
                .map(|(sp, o)| self.service_at_location(sp, o, true))
                .collect();
            m.insert("service_at_locations".into(), Value::Array(sals));
        }
        Value::Object(m)
    }

    fn service_attributes(&self, s: &Service, sid: &str) -> Vec<Value> {
        let label = |terms: &[crate::model::taxonomy::Term], id: &str| {
            terms
                .iter()
                .find(|t| t.id == id)
                .and_then(|t| text(&t.name, self.lang))
                .unwrap_or_else(|| id.to_owned())
        };
        let mut out = vec![terms::bussola_id("service", sid, s.id.as_str())];
        for c in &s.categories {
            let name = label(&self.taxonomy.categories, c);
            out.push(terms::attribute(
                "service",
                sid,
                Vocabulary::Category,
                c,
                &name,
                c,
            ));
        }
        for a in &s.audiences {
            let name = label(&self.taxonomy.audiences, a);
            out.push(terms::attribute(
                "service",
                sid,
                Vocabulary::Audience,
                a,
                &name,
                a,
            ));
        }
        out.push(terms::attribute(
            "service",
            sid,
            Vocabulary::Bussola,
            terms::APPOINTMENT,
            "Appointment required",
            if s.appointment_required {
                "true"
            } else {
                "false"
            },
        ));
        out.extend(terms::provenance("service", sid, &s.meta.provenance));
        out
    }

    /// A sportello as an HSDS physical location, with its address, phones and accessibility.
    pub fn location(&self, l: &Location) -> Value {
        let lid = id_of("location", l.id.as_str());
        let mut m = Map::new();
        m.insert("id".into(), json!(lid));
        m.insert("location_type".into(), json!("physical"));
        put(&mut m, "url", nonempty(&l.website));
        m.insert(
            "organization_id".into(),
            json!(id_of("organization", l.organization_id.as_str())),
        );
        m.insert(
            "name".into(),
            json!(text(&l.name, self.lang).unwrap_or_else(|| l.id.to_string())),
        );
        put(&mut m, "description", text(&l.description, self.lang));
        m.insert("latitude".into(), json!(l.point.lat()));
        m.insert("longitude".into(), json!(l.point.lon()));
        m.insert("external_identifier".into(), json!(l.id.as_str()));
        m.insert("external_identifier_type".into(), json!("bussola"));
        let comune = self.visible.comune(&l.address.comune_istat);
        let mut address = Map::new();
        address.insert("id".into(), json!(uuid("address", l.id.as_str())));
        address.insert("location_id".into(), json!(lid));
        address.insert("address_1".into(), json!(l.address.street));
        if !l.address.locality.is_empty() {
            address.insert("address_2".into(), json!(l.address.locality));
        }
        address.insert(
            "city".into(),
            json!(comune.map(|c| c.name.as_str()).unwrap_or("")),
        );
        address.insert(
            "state_province".into(),
            json!(comune.and_then(|c| c.province.as_deref()).unwrap_or("")),
        );
        address.insert("postal_code".into(), json!(l.address.postcode));
        address.insert("country".into(), json!("IT"));
        address.insert("address_type".into(), json!("physical"));
        m.insert("addresses".into(), json!([address]));
        let phones: Vec<Value> = l
            .phones
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut ph = Map::new();
                ph.insert(
                    "id".into(),
                    json!(uuid("phone", &format!("location:{}:{i}", l.id))),
                );
                ph.insert("location_id".into(), json!(lid));
                ph.insert("number".into(), json!(p.number));
                put(&mut ph, "description", text(&p.label, self.lang));
                Value::Object(ph)
            })
            .collect();
        m.insert("phones".into(), Value::Array(phones));
        if let Some(a) = text(&l.accessibility, self.lang) {
            m.insert(
                "accessibility".into(),
                json!([{"id": uuid("accessibility", l.id.as_str()), "location_id": lid,
                        "description": a}]),
            );
        }
        let contacts: Vec<Value> = l
            .emails
            .iter()
            .enumerate()
            .map(|(i, e)| {
                json!({"id": uuid("contact", &format!("location:{}:{i}", l.id)),
                       "location_id": lid, "email": e})
            })
            .collect();
        m.insert("contacts".into(), Value::Array(contacts));
        let attributes = terms::provenance("location", &lid, &l.meta.provenance);
        if !attributes.is_empty() {
            m.insert("attributes".into(), Value::Array(attributes));
        }
        Value::Object(m)
    }

    /// A service at a sportello with its opening hours; `full` nests the sportello.
    pub fn service_at_location(&self, s: &Sportello, o: &Offer, full: bool) -> Value {
        let id = id_of("service_at_location", o.sal.id.as_str());
        let mut m = Map::new();
        m.insert("id".into(), json!(id));
        m.insert(
            "service_id".into(),
            json!(id_of("service", o.service.id.as_str())),
        );
        m.insert(
            "location_id".into(),
            json!(id_of("location", s.location.id.as_str())),
        );
        put(&mut m, "description", text(&o.sal.schedule.note, self.lang));
        m.insert(
            "schedules".into(),
            Value::Array(schedules(&o.sal.schedule, &id, self.lang)),
        );
        m.insert(
            "attributes".into(),
            json!([terms::bussola_id(
                "service_at_location",
                &id,
                o.sal.id.as_str()
            )]),
        );
        if full {
            m.insert("location".into(), self.location(&s.location));
        }
        Value::Object(m)
    }
}

const BYDAY: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

/// The RRULE day code of a weekday.
pub fn byday_code(d: Weekday) -> &'static str {
    BYDAY[d.num_days_from_monday() as usize].0
}

/// The weekday an RRULE day code names.
pub fn weekday_of(code: &str) -> Option<Weekday> {
    BYDAY
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(_, d)| *d)
}

fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// HSDS schedules of a service at a sportello: for each period, one weekly rule per opening
/// interval with the days that share it (`byday=MO,TU,WE`), the period's dates as
/// `valid_from`/`valid_to`, and its whole weekly text as the `description`. Closures on dates
/// and the public-holiday policy go in `notes` (HSDS has no field for them).
pub fn schedules(doc: &ScheduleDoc, sal_id: &str, lang: &str) -> Vec<Value> {
    let rules = &doc.rules;
    let mut notes = Vec::new();
    if !rules.closed_on.is_empty() {
        let days: Vec<String> = rules.closed_on.iter().map(|d| d.to_string()).collect();
        notes.push(format!("closed on {}", days.join(", ")));
    }
    notes.push(match rules.public_holidays {
        bussola_hours::HolidayPolicy::Closed => "closed on public holidays".to_owned(),
        bussola_hours::HolidayPolicy::Open => "open on public holidays".to_owned(),
    });
    if let Some(n) = text(&doc.note, lang) {
        notes.push(n);
    }
    let notes = notes.join("; ");
    let mut out = Vec::new();
    for (p, period) in rules.periods.iter().enumerate() {
        let weekly = period.hours.to_string();
        let mut push = |k: usize, byday: Option<String>, iv: Option<(u16, u16)>| {
            let mut m = Map::new();
            m.insert(
                "id".into(),
                json!(uuid("schedule", &format!("{sal_id}:{p}:{k}"))),
            );
            m.insert("service_at_location_id".into(), json!(sal_id));
            put(
                &mut m,
                "valid_from",
                period.valid_from.map(|d| d.to_string()),
            );
            put(&mut m, "valid_to", period.valid_to.map(|d| d.to_string()));
            m.insert("freq".into(), json!("WEEKLY"));
            put(&mut m, "byday", byday);
            if let Some((a, b)) = iv {
                m.insert("opens_at".into(), json!(hhmm(a)));
                m.insert("closes_at".into(), json!(hhmm(b)));
            }
            m.insert("description".into(), json!(weekly));
            m.insert("notes".into(), json!(notes));
            out.push(Value::Object(m));
        };
        // Each distinct interval, with the days open then.
        let mut intervals: Vec<(u16, u16)> = Vec::new();
        for (_, d) in BYDAY {
            for iv in period.hours.day(d) {
                if !intervals.contains(&(iv.start, iv.end)) {
                    intervals.push((iv.start, iv.end));
                }
            }
        }
        intervals.sort();
        if intervals.is_empty() {
            push(0, None, None);
        }
        for (k, (a, b)) in intervals.into_iter().enumerate() {
            let days: Vec<&str> = BYDAY
                .iter()
                .filter(|(_, d)| {
                    period
                        .hours
                        .day(*d)
                        .iter()
                        .any(|iv| iv.start == a && iv.end == b)
                })
                .map(|(c, _)| *c)
                .collect();
            push(k, Some(days.join(",")), Some((a, b)));
        }
    }
    out
}
