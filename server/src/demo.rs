//! The built-in demo dataset (`data/demo/venezia.geojson`), loaded into an empty store together
//! with the shipped territory ([`crate::territory`]) so a fresh `bussola serve` shows something
//! real-looking — and says loudly that it is a demo.

use crate::app::Directory;
use crate::import::{self, parse_dataset, validate, Report};
use crate::model::{Metadata, Provenance};
use crate::store::{ChangeSet, Committed};
use crate::territory;

/// The demo dataset shipped in the binary.
pub const DATASET: &str = include_str!("../../data/demo/venezia.geojson");

/// The source every demo record names (its licence is the dataset's, `CC0-1.0`).
pub const SOURCE: &str = "Bussola demo data, fictional";

/// Validates the demo dataset and the territory, and commits both in one change set: the
/// comuni boundaries with population, the sportelli (each in one of those comuni), and the
/// territory's attribution in the dataset metadata.
pub async fn load(dir: &Directory) -> Result<Committed, import::Error> {
    let changes = change_set(dir)?;
    Ok(dir.apply(&changes).await?)
}

fn change_set(dir: &Directory) -> Result<ChangeSet, import::Error> {
    let mut dataset = parse_dataset(DATASET).map_err(import::Error::Invalid)?;
    let licence = dataset
        .metadata
        .as_ref()
        .and_then(|m| m.0.get("license"))
        .and_then(|l| l.as_str().map(str::to_owned));
    let provenance = Provenance::new(SOURCE, licence.as_deref(), chrono::Utc::now());
    import::provenance::stamp(&mut dataset, &provenance, &dir.catalog());
    let comuni = territory::comuni().map_err(import::Error::Invalid)?;
    let mut report: Report = validate(&dataset, dir.taxonomy(), &dir.catalog());
    for (i, l) in dataset.locations.iter().enumerate() {
        let code = &l.address.comune_istat;
        if !comuni.iter().any(|c| &c.istat == code) {
            report.push(
                format!("feature {i} ({})", l.id),
                "properties.address.comune_istat",
                format!("no comune {code} in the shipped territory"),
            );
        }
    }
    report.into_result(()).map_err(import::Error::Invalid)?;
    let metadata = dataset.metadata.get_or_insert_with(Metadata::default);
    metadata
        .0
        .insert(territory::METADATA_KEY.into(), territory::attribution());
    Ok(ChangeSet {
        dataset,
        comuni,
        replace_services_of_locations: true,
        origin: crate::model::Origin {
            source: crate::model::Source::Demo,
            ..Default::default()
        },
        ..Default::default()
    })
}
