//! The built-in demo dataset (`data/demo/venezia.geojson`), loaded into an empty store so a
//! fresh `bussola serve` shows something real-looking — and says loudly that it is a demo.

use crate::app::Directory;
use crate::import::{self, parse_dataset, validate};
use crate::store::{ChangeSet, Committed};

/// The demo dataset shipped in the binary.
pub const DATASET: &str = include_str!("../../data/demo/venezia.geojson");

/// Validates and commits the demo dataset.
pub async fn load(dir: &Directory) -> Result<Committed, import::Error> {
    let dataset = parse_dataset(DATASET).map_err(import::Error::Invalid)?;
    validate(&dataset, dir.taxonomy(), &dir.catalog())
        .into_result(())
        .map_err(import::Error::Invalid)?;
    Ok(dir
        .apply(&ChangeSet {
            dataset,
            comuni: Vec::new(),
            replace_services_of_locations: true,
        })
        .await?)
}
