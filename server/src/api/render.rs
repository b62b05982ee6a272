//! Records as GeoJSON features in one language, saying where a field fell back.

use crate::index::{Catalog, Offer, Sportello};
use crate::model::I18nText;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

/// Picks text in one language and remembers which fields came in another.
pub struct Localizer<'a> {
    pub lang: &'a str,
    fallback: Map<String, Value>,
}

impl<'a> Localizer<'a> {
    pub fn new(lang: &'a str) -> Self {
        Localizer {
            lang,
            fallback: Map::new(),
        }
    }

    /// The text of `field` in the best language, recording a fallback.
    pub fn text(&mut self, field: &str, t: &I18nText) -> Value {
        match t.get(self.lang) {
            Some((got, v)) => {
                let primary = self.lang.split('-').next().unwrap_or(self.lang);
                if got != self.lang && got != primary {
                    self.fallback
                        .insert(field.to_owned(), Value::String(got.to_owned()));
                }
                Value::String(v.to_owned())
            }
            None => Value::Null,
        }
    }

    /// Fields that fell back, `{field: language}`; empty when everything was found.
    pub fn take_fallbacks(&mut self) -> Map<String, Value> {
        std::mem::take(&mut self.fallback)
    }
}

fn ts(t: Option<DateTime<Utc>>) -> Value {
    t.map(|t| Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true)))
        .unwrap_or(Value::Null)
}

/// One service at a sportello.
pub fn offer(o: &Offer, lang: &str, now: DateTime<Utc>) -> Value {
    let mut l = Localizer::new(lang);
    let s = &o.service;
    let rules = &o.sal.schedule.rules;
    let next = rules
        .next_change(now, 14)
        .map(|c| json!({"at": c.at.to_rfc3339_opts(SecondsFormat::Secs, true), "opens": c.opens}));
    let mut v = json!({
        "id": s.id,
        "name": l.text("name", &s.name),
        "description": l.text("description", &s.description),
        "categories": s.categories,
        "languages": s.languages,
        "cost": s.cost.as_str(),
        "cost_note": l.text("cost_note", &s.cost_note),
        "appointment_required": s.appointment_required,
        "documents": l.text("documents", &s.documents),
        "audiences": s.audiences,
        "phone": s.phone, "email": s.email, "url": s.url,
        "schedule": o.sal.schedule,
        "schedule_note": l.text("schedule_note", &o.sal.schedule.note),
        "open_now": rules.is_open_at(now),
        "next_change": next,
        "updated": ts(s.meta.updated_at),
        "last_verified_at": ts(s.meta.last_verified_at),
    });
    let fb = l.take_fallbacks();
    if !fb.is_empty() {
        v["fallback"] = Value::Object(fb);
    }
    v
}

/// A sportello as a GeoJSON Feature; `distance_m` when the query had a point.
pub fn sportello(
    s: &Sportello,
    catalog: &Catalog,
    lang: &str,
    now: DateTime<Utc>,
    distance_m: Option<f64>,
    offers: impl Fn(&Offer) -> bool,
) -> Value {
    let loc = &s.location;
    let mut l = Localizer::new(lang);
    let org = catalog.organizations.get(&loc.organization_id);
    let comune = catalog
        .comuni
        .get(&loc.address.comune_istat)
        .map(|c| c.name.clone());
    let services: Vec<Value> = s
        .offers
        .iter()
        .filter(|o| offers(o))
        .map(|o| offer(o, lang, now))
        .collect();
    let open_now = services.iter().any(|v| v["open_now"] == Value::Bool(true));
    let phones: Vec<Value> = s
        .location
        .phones
        .iter()
        .enumerate()
        .map(|(i, p)| json!({"number": p.number, "label": l.text(&format!("phones[{i}].label"), &p.label)}))
        .collect();
    let mut props = json!({
        "name": l.text("name", &loc.name),
        "description": l.text("description", &loc.description),
        "organization": org.map(|o| json!({"id": o.id, "name": o.name, "kind": o.kind})),
        "address": {
            "street": loc.address.street, "postcode": loc.address.postcode,
            "locality": loc.address.locality, "comune_istat": loc.address.comune_istat, "comune": comune,
        },
        "accessibility": l.text("accessibility", &loc.accessibility),
        "phones": phones,
        "emails": loc.emails,
        "website": loc.website,
        "open_now": open_now,
        "services": services,
        "status": loc.meta.status,
        "version": loc.meta.version,
        "updated": ts(loc.meta.updated_at),
        "last_verified_at": ts(loc.meta.last_verified_at),
    });
    if let Some(d) = distance_m {
        props["distance_m"] = json!((d * 10.0).round() / 10.0);
    }
    let fb = l.take_fallbacks();
    if !fb.is_empty() {
        props["fallback"] = Value::Object(fb);
    }
    json!({
        "type": "Feature",
        "id": loc.id,
        "geometry": {"type": "Point", "coordinates": [loc.point.lon(), loc.point.lat()]},
        "properties": props,
    })
}
