//! HSDS 3.0 → Bussola: organisations, locations, services and services at locations read
//! from an HSDS document (the JSON of `bussola export hsds`, or a tabular datapackage nested
//! by [`super::tabular`]). What cannot become a valid Bussola record is dropped and reported
//! with the record, the field and the reason; what is kept goes through the usual import
//! validation and is committed all or nothing.

use super::report::Outcome;
use super::terms::{self, Vocabulary};
use super::{airs, schedule};
use crate::index::Catalog;
use crate::model::{
    Address, Cost, Dataset, I18nText, Id, Location, LonLat, Meta, Organization, Phone, ScheduleDoc,
    Service, ServiceAtLocation, Status,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How to read a dataset.
#[derive(Clone, Debug)]
pub struct Options {
    /// The language the dataset's text is in (HSDS text carries none).
    pub lang: String,
    /// Put before the HSDS id of records that carry no Bussola id (`miami` → `miami-svc-136`).
    pub id_prefix: String,
    /// The directory's base language: a location or service needs its name in it.
    pub base_lang: String,
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn label(v: &Value) -> String {
    let id = s(v, "id").unwrap_or("?");
    match s(v, "name") {
        Some(n) => format!("{id} ({})", crate::import::label(n)),
        None => id.to_owned(),
    }
}

/// HSDS text in the dataset's language (markers such as `\n\n###MON###` cleaned away).
fn text(lang: &str, v: Option<&str>) -> I18nText {
    let mut t = I18nText::default();
    if let Some(v) = v {
        let clean: String = v
            .replace("\\n", "\n")
            .split('\n')
            .map(str::trim)
            .filter(|l| !(l.starts_with("###") && l.ends_with("###")))
            .collect::<Vec<_>>()
            .join("\n");
        let clean = clean.trim();
        if !clean.is_empty() {
            t.0.insert(lang.to_owned(), clean.to_owned());
        }
    }
    t
}

/// The Bussola id of a record: the one it carries, else the prefixed HSDS id made a slug.
fn bussola_id(carried: Option<&str>, prefix: &str, kind: &str, hsds: &str) -> Option<Id> {
    if let Some(id) = carried.and_then(|c| Id::parse(c).ok()) {
        return Some(id);
    }
    let slug: String = hsds
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._~-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    Id::parse(&format!("{prefix}-{kind}-{slug}")).ok()
}

fn carried_attribute(v: &Value) -> Option<&str> {
    list(v, "attributes")
        .iter()
        .find_map(|a| match terms::read(a) {
            Some((Some(Vocabulary::Bussola), terms::BUSSOLA_ID, value)) => Some(value),
            _ => None,
        })
}

/// The provenance a record carries as `provenance-*` attributes (Bussola's own export, see
/// [`terms::provenance`]): kept as it is, so a re-import still names where the record first
/// came from. None without a source.
fn carried_provenance(v: &Value) -> Option<crate::model::Provenance> {
    let mut found: [Option<&str>; 4] = [None; 4];
    for a in list(v, "attributes") {
        if let Some((Some(Vocabulary::Bussola), code, value)) = terms::read(a) {
            if let Some(i) = terms::PROVENANCE.iter().position(|(c, _)| *c == code) {
                found[i] = Some(value);
            }
        }
    }
    let [source, licence, attribution, url] = found;
    let owned = |x: Option<&str>| x.map(str::to_owned);
    Some(crate::model::Provenance {
        source: source?.to_owned(),
        licence: owned(licence),
        attribution: owned(attribution),
        url: owned(url),
        imported_at: None,
        import: None,
    })
}

/// Language names some HSDS publishers write instead of codes.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("spanish", "es"),
    ("french", "fr"),
    ("italian", "it"),
    ("arabic", "ar"),
    ("urdu", "ur"),
    ("bengali", "bn"),
    ("ukrainian", "uk"),
    ("chinese", "zh"),
    ("mandarin", "zh"),
    ("cantonese", "yue"),
    ("portuguese", "pt"),
    ("russian", "ru"),
    ("haitian creole", "ht"),
    ("creole", "ht"),
    ("german", "de"),
    ("polish", "pl"),
    ("romanian", "ro"),
    ("albanian", "sq"),
    ("hindi", "hi"),
    ("punjabi", "pa"),
    ("tagalog", "tl"),
    ("vietnamese", "vi"),
    ("korean", "ko"),
    ("japanese", "ja"),
    ("hebrew", "he"),
    ("persian", "fa"),
    ("farsi", "fa"),
    ("american sign language", "ase"),
    ("sign language", "sgn"),
];

fn language_code(l: &Value) -> Result<String, String> {
    if let Some(code) = s(l, "code") {
        let code = code.to_lowercase();
        if crate::import::is_language_tag(&code) {
            return Ok(code);
        }
    }
    let name = s(l, "name").or_else(|| s(l, "language")).unwrap_or("");
    LANGUAGE_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, c)| (*c).to_owned())
        .ok_or_else(|| format!("language {name:?} is not one Bussola knows"))
}

/// Reads `doc` for a directory whose comuni are in `catalog`.
pub fn read(doc: &Value, catalog: &Catalog, opts: &Options) -> Outcome {
    let mut out = Outcome::default();
    let by_name = super::visible::Visible::comuni_by_name(catalog);
    let lang = opts.lang.as_str();
    let pre = opts.id_prefix.as_str();

    // Locations: top-level, and nested in services at locations (the API's shape).
    let mut raw_locations: BTreeMap<String, &Value> = BTreeMap::new();
    for l in list(doc, "locations") {
        if let Some(id) = s(l, "id") {
            raw_locations.insert(id.to_owned(), l);
        }
    }
    for svc in list(doc, "services") {
        for sal in list(svc, "service_at_locations") {
            if let (Some(l), Some(id)) = (
                sal.get("location"),
                sal.get("location").and_then(|l| s(l, "id")),
            ) {
                raw_locations.entry(id.to_owned()).or_insert(l);
            }
        }
    }
    let mut org_ids: HashMap<String, Id> = HashMap::new();
    let mut orgs: Vec<(String, Organization)> = Vec::new();
    let mut org_carried: HashSet<String> = HashSet::new();
    for o in list(doc, "organizations") {
        out.read.organizations += 1;
        let at = format!("organization {}", label(o));
        let Some(hid) = s(o, "id") else {
            out.drop(&at, "id", "missing");
            continue;
        };
        let carried = list(o, "organization_identifiers").iter().find_map(|i| {
            (s(i, "identifier_scheme") == Some("bussola"))
                .then(|| s(i, "identifier"))
                .flatten()
        });
        let Some(id) = bussola_id(carried, pre, "org", hid) else {
            out.drop(&at, "id", "cannot be made a Bussola id");
            continue;
        };
        let Some(name) = s(o, "name") else {
            out.drop(&at, "name", "missing");
            continue;
        };
        const KINDS: [&str; 7] = [
            "public", "ngo", "school", "health", "union", "private", "other",
        ];
        let kind = s(o, "legal_status")
            .filter(|k| KINDS.contains(k))
            .unwrap_or("other")
            .to_owned();
        if carried.is_some() {
            org_carried.insert(hid.to_owned());
        }
        org_ids.insert(hid.to_owned(), id.clone());
        orgs.push((
            hid.to_owned(),
            Organization {
                id,
                name: name.to_owned(),
                kind,
                description: text(lang, s(o, "description")),
                website: s(o, "website").or_else(|| s(o, "url")).map(str::to_owned),
                email: s(o, "email").map(str::to_owned),
                phone: list(o, "phones")
                    .iter()
                    .find_map(|p| s(p, "number"))
                    .map(str::to_owned),
                fictional: false,
                trusted: false,
                meta: Meta {
                    provenance: carried_provenance(o),
                    ..Meta::default()
                },
            },
        ));
    }

    let mut loc_ids: HashMap<String, Id> = HashMap::new();
    let mut locations: Vec<Location> = Vec::new();
    for (hid, l) in &raw_locations {
        out.read.locations += 1;
        let at = format!("location {}", label(l));
        let carried = (s(l, "external_identifier_type") == Some("bussola"))
            .then(|| s(l, "external_identifier"))
            .flatten();
        let Some(id) = bussola_id(carried, pre, "loc", hid) else {
            out.drop(&at, "id", "cannot be made a Bussola id");
            continue;
        };
        let coord = |k: &str| -> Option<f64> {
            match l.get(k) {
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::String(t)) => t.trim().parse().ok(),
                _ => None,
            }
        };
        let Some(point) = coord("longitude")
            .zip(coord("latitude"))
            .and_then(|(lon, lat)| LonLat::new(lon, lat).ok())
        else {
            out.drop(
                &at,
                "latitude",
                "no valid latitude/longitude: a sportello must be on the map",
            );
            continue;
        };
        let address = list(l, "addresses")
            .iter()
            .find(|a| s(a, "address_type").is_none_or(|t| t == "physical"))
            .or_else(|| list(l, "addresses").first());
        let city = address.and_then(|a| s(a, "city"));
        // A directory with no territory loaded keeps every located record, with no comune.
        let territory = !catalog.comuni.is_empty();
        let Some(istat) = city
            .and_then(|c| by_name.get(&c.to_lowercase()).cloned())
            .or_else(|| super::territory::comune_at(catalog, point))
            .or_else(|| (!territory).then(String::new))
        else {
            out.drop(
                &at,
                "addresses",
                "outside the territory: its city is no comune of the directory, nor does any comune contain its point",
            );
            continue;
        };
        let Some(org) = s(l, "organization_id").and_then(|o| org_ids.get(o)) else {
            out.drop(
                &at,
                "organization_id",
                "names no organisation of the dataset",
            );
            continue;
        };
        let name = text(lang, s(l, "name"));
        if let Err(why) = named_in(&name, &opts.base_lang, lang) {
            out.drop(&at, "name", &why);
            continue;
        }
        let phones = list(l, "phones")
            .iter()
            .filter_map(|p| {
                Some(Phone {
                    number: s(p, "number")?.to_owned(),
                    label: text(lang, s(p, "description")),
                })
            })
            .collect();
        loc_ids.insert(hid.clone(), id.clone());
        locations.push(Location {
            id,
            organization_id: org.clone(),
            name,
            description: text(lang, s(l, "description")),
            address: Address {
                street: address
                    .and_then(|a| s(a, "address_1"))
                    .unwrap_or("")
                    .to_owned(),
                postcode: address
                    .and_then(|a| s(a, "postal_code"))
                    .unwrap_or("")
                    .to_owned(),
                locality: address
                    .and_then(|a| s(a, "address_2"))
                    .or(if territory { None } else { city })
                    .unwrap_or("")
                    .to_owned(),
                comune_istat: istat,
            },
            point,
            accessibility: text(
                lang,
                list(l, "accessibility")
                    .iter()
                    .find_map(|a| s(a, "description").or_else(|| s(a, "details"))),
            ),
            phones,
            emails: list(l, "contacts")
                .iter()
                .filter_map(|c| s(c, "email").map(str::to_owned))
                .collect(),
            website: s(l, "url").map(str::to_owned),
            reception: None,
            notices: Vec::new(),
            meta: Meta {
                provenance: carried_provenance(l),
                ..Meta::default()
            },
        });
    }

    let mut services = Vec::new();
    let mut sals = Vec::new();
    let mut sal_seen = HashSet::new();
    for svc in list(doc, "services") {
        out.read.services += 1;
        let at = format!("service {}", label(svc));
        let Some(hid) = s(svc, "id") else {
            out.drop(&at, "id", "missing");
            continue;
        };
        let offered = list(svc, "service_at_locations");
        out.read.service_at_locations += offered.len();
        let Some(id) = bussola_id(carried_attribute(svc), pre, "svc", hid) else {
            out.drop(&at, "id", "cannot be made a Bussola id");
            continue;
        };
        let Some(org) = s(svc, "organization_id").and_then(|o| org_ids.get(o)) else {
            out.drop(
                &at,
                "organization_id",
                "names no organisation of the dataset",
            );
            continue;
        };
        let (mut categories, mut audiences, mut appointment) = (Vec::new(), Vec::new(), false);
        for a in list(svc, "attributes") {
            match terms::read(a) {
                Some((Some(Vocabulary::Category), code, _)) => categories.push(code.to_owned()),
                Some((Some(Vocabulary::Audience), code, _)) => audiences.push(code.to_owned()),
                Some((Some(Vocabulary::Bussola), terms::APPOINTMENT, v)) => {
                    appointment = v == "true"
                }
                Some((_, code, _)) => {
                    categories.extend(airs::categories(code).iter().map(|c| (*c).to_owned()));
                    audiences.extend(airs::audiences(code).iter().map(|c| (*c).to_owned()));
                }
                None => {}
            }
        }
        dedup(&mut categories);
        dedup(&mut audiences);
        if categories.is_empty() {
            out.drop(
                &at,
                "attributes",
                "no taxonomy term maps to a Bussola category of need",
            );
            continue;
        }
        let name = text(lang, s(svc, "name"));
        if let Err(why) = named_in(&name, &opts.base_lang, lang) {
            out.drop(&at, "name", &why);
            continue;
        }
        let mut languages = Vec::new();
        for l in list(svc, "languages") {
            match language_code(l) {
                Ok(c) if !languages.contains(&c) => languages.push(c),
                Ok(_) => {}
                Err(why) => out.note(&at, "languages", &why),
            }
        }
        let cost = match list(svc, "cost_options")
            .iter()
            .find_map(|c| s(c, "option"))
        {
            Some("free") => Cost::Free,
            Some("reduced") => Cost::Reduced,
            Some("paid") => Cost::Paid,
            _ if s(svc, "fees_description")
                .or_else(|| s(svc, "fees"))
                .is_some() =>
            {
                Cost::Paid
            }
            _ => Cost::Free,
        };
        let status = match s(svc, "status") {
            Some("inactive") | Some("temporarily closed") => Status::Draft,
            Some("defunct") => Status::Archived,
            _ => Status::Published,
        };
        let mut kept_offers = 0;
        for sal in offered {
            let sat = format!(
                "service_at_location {} (service {hid} at location {})",
                s(sal, "id").unwrap_or("?"),
                s(sal, "location_id").unwrap_or("?")
            );
            let Some(loc) = s(sal, "location_id").and_then(|l| loc_ids.get(l)) else {
                out.drop(
                    &sat,
                    "location_id",
                    "its location was dropped or is not in the dataset",
                );
                continue;
            };
            let sal_id = carried_attribute(sal)
                .and_then(|c| Id::parse(c).ok())
                .unwrap_or_else(|| ServiceAtLocation::derived_id(loc, &id));
            if !sal_seen.insert(sal_id.clone()) {
                continue;
            }
            let rules = match schedule::read(list(sal, "schedules")) {
                Ok(r) => r,
                Err(why) => {
                    out.note(&sat, "schedules", &why);
                    Default::default()
                }
            };
            kept_offers += 1;
            sals.push(ServiceAtLocation {
                id: sal_id,
                service_id: id.clone(),
                location_id: loc.clone(),
                schedule: ScheduleDoc {
                    rules,
                    note: text(lang, s(sal, "description")),
                },
                notices: Vec::new(),
                meta: Meta::default(),
            });
        }
        if kept_offers == 0 && !offered.is_empty() {
            out.drop(
                &at,
                "service_at_locations",
                "offered at no location that was kept",
            );
            continue;
        }
        services.push(Service {
            id,
            organization_id: org.clone(),
            name,
            description: text(lang, s(svc, "description")),
            categories,
            languages,
            cost,
            cost_note: text(lang, s(svc, "fees_description").or_else(|| s(svc, "fees"))),
            appointment_required: appointment,
            documents: text(
                lang,
                Some(
                    &list(svc, "required_documents")
                        .iter()
                        .filter_map(|d| s(d, "document"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            ),
            audiences,
            phone: list(svc, "phones")
                .iter()
                .find_map(|p| s(p, "number"))
                .map(str::to_owned),
            email: s(svc, "email").map(str::to_owned),
            url: s(svc, "url").map(str::to_owned),
            meta: Meta {
                status,
                last_verified_at: s(svc, "assured_date")
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()),
                provenance: carried_provenance(svc),
                ..Meta::default()
            },
        });
    }
    // Locations no kept service is offered at are kept (a sportello may list its services
    // later). An organisation is kept when a kept record is its, or when it carries its
    // Bussola id and the dataset has nothing of it (a Bussola export's project leads).
    let given: HashSet<&str> = raw_locations
        .values()
        .copied()
        .chain(list(doc, "services").iter())
        .filter_map(|r| s(r, "organization_id"))
        .collect();
    let used: HashSet<&Id> = services
        .iter()
        .map(|s| &s.organization_id)
        .chain(locations.iter().map(|l| &l.organization_id))
        .collect();
    let mut kept_orgs = Vec::new();
    for (hid, o) in orgs {
        let at = format!("organization {hid} ({})", crate::import::label(&o.name));
        if used.contains(&o.id) {
            kept_orgs.push(o);
        } else if given.contains(hid.as_str()) {
            out.drop(at, "", "none of its services or locations was kept");
        } else if org_carried.contains(&hid) {
            // A Bussola export lists organisations that only lead projects, say.
            kept_orgs.push(o);
        } else {
            out.drop(at, "", "the dataset has no service or location of it");
        }
    }
    out.dataset = Dataset {
        metadata: None,
        organizations: kept_orgs,
        locations,
        services,
        service_at_locations: sals,
        projects: vec![],
    };
    out
}

/// Removes repeated values, keeping the first of each in place.
fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// The directory shows every name in its base language first: a record without one cannot
/// be kept (no text is machine translated).
fn named_in(name: &I18nText, base: &str, lang: &str) -> Result<(), String> {
    if name.0.get(base).is_some_and(|n| !n.trim().is_empty()) {
        Ok(())
    } else if name.is_empty() {
        Err("missing".to_owned())
    } else if base == "it" {
        Err(format!(
            "the directory needs an Italian name and the dataset's text is in {lang:?}"
        ))
    } else {
        Err(format!(
            "the directory needs a name in its base language {base:?} and the dataset's text is in {lang:?}"
        ))
    }
}
