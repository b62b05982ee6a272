//! A tabular HSDS datapackage (a folder or a zip of `datapackage.json` and CSV tables, HSDS
//! 3.0 or the 1.x names still in use such as `physical_addresses`, `regular_schedules`,
//! `services_taxonomy`) nested into the JSON shape [`super::from::read`] takes: services
//! with their services at locations, schedules, languages and taxonomy terms.

use crate::model::limits::MAX_FILE_BYTES;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Why a datapackage cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read {path}: {why}")]
    Io { path: String, why: String },
    #[error("{table}.csv line {line}: {why}")]
    Csv {
        table: String,
        line: u64,
        why: String,
    },
    #[error("{0} holds no HSDS tables (organizations.csv, services.csv…)")]
    Empty(String),
}

/// The CSV tables of a datapackage by name (`services`), read from a folder (and its
/// `data/`) or a zip.
pub fn tables(path: &Path) -> Result<HashMap<String, String>, Error> {
    let io = |why: String| Error::Io {
        path: path.display().to_string(),
        why,
    };
    let mut out = HashMap::new();
    if path.is_dir() {
        for dir in [path.to_path_buf(), path.join("data")] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) {
                    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
                    let text = std::fs::read(&p).map_err(|e| io(e.to_string()))?;
                    out.insert(
                        stem.unwrap_or_default(),
                        utf8(&p.display().to_string(), text)?,
                    );
                }
            }
        }
    } else {
        let file = std::fs::File::open(path).map_err(|e| io(e.to_string()))?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| io(e.to_string()))?;
        let mut total = 0u64;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(|e| io(e.to_string()))?;
            let name = entry.name().map_err(|e| io(e.to_string()))?.into_owned();
            let Some(stem) = name
                .rsplit('/')
                .next()
                .and_then(|n| n.strip_suffix(".csv"))
                .map(str::to_owned)
            else {
                continue;
            };
            total += entry.size();
            if total > MAX_FILE_BYTES {
                return Err(io(format!(
                    "its tables hold more than {MAX_FILE_BYTES} bytes uncompressed"
                )));
            }
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MAX_FILE_BYTES)
                .read_to_end(&mut bytes)
                .map_err(|e| io(format!("{name}: {e}")))?;
            out.insert(stem, utf8(&name, bytes)?);
        }
    }
    if !out.contains_key("services") && !out.contains_key("organizations") {
        return Err(Error::Empty(path.display().to_string()));
    }
    Ok(out)
}

fn utf8(name: &str, bytes: Vec<u8>) -> Result<String, Error> {
    crate::import::decode(&bytes)
        .map(str::to_owned)
        .map_err(|r| Error::Io {
            path: name.to_owned(),
            why: r.to_string(),
        })
}

type Rows = Vec<Map<String, Value>>;

/// The rows of the first of `names` present, each as an object of its non-empty cells.
fn rows(tables: &HashMap<String, String>, names: &[&str]) -> Result<Rows, Error> {
    let Some((name, text)) = names.iter().find_map(|n| tables.get(*n).map(|t| (*n, t))) else {
        return Ok(vec![]);
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(name, &e))?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(name, &e))?;
        let mut m = Map::new();
        for (h, v) in headers.iter().zip(record.iter()) {
            let v = v.trim();
            if !v.is_empty() {
                m.insert(h.trim().to_owned(), json!(v));
            }
        }
        out.push(m);
    }
    Ok(out)
}

fn csv_error(table: &str, e: &csv::Error) -> Error {
    Error::Csv {
        table: table.to_owned(),
        line: e.position().map_or(0, |p| p.line()),
        why: e.to_string(),
    }
}

/// Groups rows by the value of `key`.
fn by<'a>(rows: &'a Rows, key: &str) -> HashMap<&'a str, Vec<&'a Map<String, Value>>> {
    let mut m: HashMap<&str, Vec<&Map<String, Value>>> = HashMap::new();
    for r in rows {
        if let Some(k) = r.get(key).and_then(Value::as_str) {
            m.entry(k).or_default().push(r);
        }
    }
    m
}

fn cloned(v: Option<&Vec<&Map<String, Value>>>) -> Vec<Value> {
    v.into_iter()
        .flatten()
        .map(|r| Value::Object((*r).clone()))
        .collect()
}

/// The datapackage's tables nested into one HSDS document.
pub fn nest(tables: &HashMap<String, String>) -> Result<Value, Error> {
    let organizations = rows(tables, &["organizations"])?;
    let services = rows(tables, &["services"])?;
    let locations = rows(tables, &["locations"])?;
    let addresses = rows(tables, &["addresses", "physical_addresses"])?;
    let phones = rows(tables, &["phones"])?;
    let sals = rows(tables, &["service_at_locations", "services_at_location"])?;
    let schedules = rows(tables, &["schedules", "regular_schedules"])?;
    let languages = rows(tables, &["languages"])?;
    let accessibility = rows(tables, &["accessibility", "accessibility_for_disabilities"])?;
    let contacts = rows(tables, &["contacts"])?;
    let cost_options = rows(tables, &["cost_options"])?;
    let documents = rows(tables, &["required_documents"])?;
    let attributes = rows(tables, &["attributes"])?;
    let links = rows(tables, &["service_taxonomy", "services_taxonomy"])?;
    let terms = rows(tables, &["taxonomy_terms", "taxonomy"])?;

    let terms: HashMap<&str, &Map<String, Value>> = terms
        .iter()
        .filter_map(|t| Some((t.get("id")?.as_str()?, t)))
        .collect();
    let term = |id: &str| -> Value {
        let t = terms.get(id);
        let get = |k: &str| t.and_then(|t| t.get(k)).cloned();
        json!({
            "id": id,
            "code": get("code").unwrap_or_else(|| json!(id)),
            "name": get("name").unwrap_or_else(|| json!(id)),
            "taxonomy": get("taxonomy").or_else(|| get("vocabulary")).unwrap_or(Value::Null),
        })
    };
    let phones_by_org = by(&phones, "organization_id");
    let phones_by_loc = by(&phones, "location_id");
    let phones_by_svc = by(&phones, "service_id");
    let addr_by_loc = by(&addresses, "location_id");
    let acc_by_loc = by(&accessibility, "location_id");
    let contacts_by_loc = by(&contacts, "location_id");
    let lang_by_svc = by(&languages, "service_id");
    let cost_by_svc = by(&cost_options, "service_id");
    let docs_by_svc = by(&documents, "service_id");
    let attr_by_link = by(&attributes, "link_id");
    let links_by_svc = by(&links, "service_id");
    let sals_by_svc = by(&sals, "service_id");
    let sched_by_sal = by(&schedules, "service_at_location_id");
    let sched_by_svc = by(&schedules, "service_id");
    let sched_by_loc = by(&schedules, "location_id");

    let organizations: Vec<Value> = organizations
        .iter()
        .map(|o| {
            let mut o = o.clone();
            let id = o.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
            o.insert(
                "phones".into(),
                json!(cloned(phones_by_org.get(id.as_str()))),
            );
            Value::Object(o)
        })
        .collect();
    let locations: Vec<Value> = locations
        .iter()
        .map(|l| {
            let mut l = l.clone();
            let id = l.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
            let id = id.as_str();
            l.insert("addresses".into(), json!(cloned(addr_by_loc.get(id))));
            l.insert("phones".into(), json!(cloned(phones_by_loc.get(id))));
            let acc: Vec<Value> = cloned(acc_by_loc.get(id))
                .into_iter()
                .map(|mut a| {
                    // HSDS 1.x: `accessibility` holds the text 3.0 calls `description`.
                    if let Some(t) = a.get("accessibility").cloned() {
                        a["description"] = t;
                    }
                    a
                })
                .collect();
            l.insert("accessibility".into(), json!(acc));
            l.insert("contacts".into(), json!(cloned(contacts_by_loc.get(id))));
            Value::Object(l)
        })
        .collect();
    let services: Vec<Value> = services
        .iter()
        .map(|s| {
            let mut s = s.clone();
            let id = s.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
            let id = id.as_str();
            s.insert("phones".into(), json!(cloned(phones_by_svc.get(id))));
            s.insert("languages".into(), json!(cloned(lang_by_svc.get(id))));
            s.insert("cost_options".into(), json!(cloned(cost_by_svc.get(id))));
            s.insert(
                "required_documents".into(),
                json!(cloned(docs_by_svc.get(id))),
            );
            let mut attrs: Vec<Value> = cloned(attr_by_link.get(id))
                .into_iter()
                .map(|mut a| {
                    if let Some(t) = a.get("taxonomy_term_id").and_then(Value::as_str) {
                        a["taxonomy_term"] = term(t);
                    }
                    a
                })
                .collect();
            for link in links_by_svc.get(id).into_iter().flatten() {
                if let Some(t) = link.get("taxonomy_id").and_then(Value::as_str) {
                    attrs.push(json!({"taxonomy_term": term(t)}));
                }
            }
            s.insert("attributes".into(), json!(attrs));
            // Schedules given for the whole service apply wherever it is offered.
            let service_wide: Vec<Value> = sched_by_svc
                .get(id)
                .into_iter()
                .flatten()
                .filter(|r| {
                    !r.contains_key("service_at_location_id") && !r.contains_key("location_id")
                })
                .map(|r| Value::Object((*r).clone()))
                .collect();
            let offered: Vec<Value> = sals_by_svc
                .get(id)
                .into_iter()
                .flatten()
                .map(|sal| {
                    let mut sal = (*sal).clone();
                    let sid = sal
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    let lid = sal
                        .get("location_id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    let mut sched = cloned(sched_by_sal.get(sid.as_str()));
                    if sched.is_empty() {
                        sched = cloned(sched_by_loc.get(lid.as_str()))
                            .into_iter()
                            .filter(|r| r.get("service_id").is_none_or(|x| x == id))
                            .collect();
                    }
                    if sched.is_empty() {
                        sched = service_wide.clone();
                    }
                    sal.insert("schedules".into(), json!(sched));
                    Value::Object(sal)
                })
                .collect();
            s.insert("service_at_locations".into(), json!(offered));
            Value::Object(s)
        })
        .collect();
    Ok(json!({
        "organizations": organizations,
        "locations": locations,
        "services": services,
    }))
}
