//! Open Referral HSDS 3.0, both ways: Bussola's records as HSDS objects (for the export and
//! the `/hsds/*` read API) and HSDS datasets read into Bussola records (for the import), with
//! the record history as HSDS `metadata`. The mapping is documented in `docs/hsds.md`.

pub mod airs;
pub mod bytes;
pub mod from;
pub mod ids;
pub mod metadata;
pub mod report;
pub mod schedule;
pub mod tabular;
pub mod terms;
mod territory;
pub mod to;
pub mod visible;

pub use from::Options;
pub use report::Outcome;
pub use to::Writer;
pub use visible::Visible;

use crate::index::{Catalog, Filter};
use crate::model::Taxonomy;
use serde_json::{json, Value};
use std::path::Path;

/// The HSDS version written and read.
pub const VERSION: &str = "3.0";

/// The whole directory as `filter`'s viewer sees it, as one HSDS 3.0 document: the
/// organisations, the locations (sportelli) and the services, each service with where it is
/// offered and the hours there, plus the taxonomies the attributes use. Every member of
/// `organizations`, `locations` and `services` is an HSDS object valid against its schema.
pub fn document(catalog: &Catalog, filter: &Filter, taxonomy: &Taxonomy, lang: &str) -> Value {
    let visible = Visible::of(catalog, filter);
    let w = Writer {
        visible: &visible,
        lang,
        taxonomy,
    };
    let organizations: Vec<Value> = visible
        .organizations
        .iter()
        .map(|o| w.organization(o, false, false))
        .collect();
    let locations: Vec<Value> = visible
        .sportelli
        .iter()
        .map(|s| w.location(&s.location))
        .collect();
    let services: Vec<Value> = visible
        .services
        .iter()
        .map(|s| {
            let mut v = w.service(s, false);
            let sals: Vec<Value> = visible
                .offers_of(&s.id)
                .map(|(sp, o)| w.service_at_location(sp, o, false))
                .collect();
            v["service_at_locations"] = Value::Array(sals);
            v
        })
        .collect();
    let meta = catalog.metadata.as_ref().map(|m| &m.0);
    let field = |k: &str| meta.and_then(|m| m.get(k)).cloned().unwrap_or(Value::Null);
    let title = meta
        .and_then(|m| m.get("title"))
        .and_then(|t| serde_json::from_value::<crate::model::I18nText>(t.clone()).ok())
        .and_then(|t| t.get(lang).map(|(_, v)| v.to_owned()));
    json!({
        "hsds_version": VERSION,
        "profile": "https://docs.openreferral.org/en/latest/hsds/",
        "language": lang,
        "source": {
            "name": title,
            "license": field("license"),
            "attribution": field("attribution"),
            "demo": field("demo"),
        },
        "taxonomies": terms::Vocabulary::ALL.iter().map(|v| v.taxonomy()).collect::<Vec<_>>(),
        "organizations": organizations,
        "locations": locations,
        "services": services,
    })
}

/// Why an HSDS dataset cannot be read at all (as opposed to records dropped from it).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Tabular(#[from] tabular::Error),
    #[error("cannot read {path}: {why}")]
    Json { path: String, why: String },
    /// An upload past one of the bounds of [`bytes::ZipLimits`] (the message names it).
    #[error("{0}")]
    TooLarge(String),
}

/// Reads the HSDS dataset at `path` — a JSON document as [`document`] writes, a datapackage
/// folder or a zip — into Bussola records for the directory `catalog` holds.
pub fn load(path: &Path, catalog: &Catalog, opts: &Options) -> Result<Outcome, Error> {
    let is_json = path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let doc = if is_json {
        let json_error = |why: String| Error::Json {
            path: path.display().to_string(),
            why,
        };
        let bytes = std::fs::read(path).map_err(|e| json_error(e.to_string()))?;
        serde_json::from_slice(&bytes).map_err(|e| json_error(e.to_string()))?
    } else {
        tabular::nest(&tabular::tables(path)?)?
    };
    let mut outcome = from::read(&doc, catalog, opts);
    if !outcome.dataset.is_empty() {
        outcome.dataset.metadata = Some(provenance(catalog, &doc, path));
        let source = |k: &str| doc.pointer(&format!("/source/{k}")).and_then(Value::as_str);
        let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
        let mut p = crate::model::Provenance::new(
            source("name").or(file.as_deref()).unwrap_or("HSDS"),
            source("license"),
            chrono::Utc::now(),
        );
        p.attribution = source("attribution").map(str::to_owned);
        crate::import::provenance::stamp(&mut outcome.dataset, &p, catalog);
    }
    Ok(outcome)
}

/// The directory's dataset metadata with this import added to its `imports`: the source
/// dataset's name and licence, for the whole directory (each record imported carries them
/// too, in its `provenance`).
fn provenance(catalog: &Catalog, doc: &Value, path: &Path) -> crate::model::Metadata {
    let source = doc.get("source");
    let get = |k: &str| {
        source
            .and_then(|s| s.get(k))
            .filter(|v| !v.is_null())
            .cloned()
    };
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut m = catalog.metadata.clone().unwrap_or_default().0;
    let imports = m.entry("imports").or_insert_with(|| json!([]));
    if !imports.is_array() {
        *imports = json!([]);
    }
    if let Some(list) = imports.as_array_mut() {
        list.push(json!({
            "format": format!("HSDS {VERSION}"),
            "file": file,
            "name": get("name").unwrap_or_else(|| json!(file)),
            "license": get("license").unwrap_or_else(|| json!("not stated")),
            "attribution": get("attribution"),
        }));
    }
    crate::model::Metadata(m)
}
