//! The shipped territory (`data/territory/venezia-comuni.geojson`): the 44 comuni of the
//! Metropolitan City of Venice with boundaries simplified for display and resident population,
//! and the attribution their licences ask for. Loaded with the demo data into an empty store
//! (see [`crate::demo`]); `data/territory/SOURCE.md` says where it comes from.

use crate::import::{parse_comuni, ComuniOptions, Report};
use crate::model::Comune;
use serde_json::Value;

/// The territory file shipped in the binary.
pub const COMUNI: &str = include_str!("../../data/territory/venezia-comuni.geojson");

/// The key under which the dataset metadata carries the territory's attribution.
pub const METADATA_KEY: &str = "territory_sources";

/// The shipped comuni, with population.
pub fn comuni() -> Result<Vec<Comune>, Report> {
    parse_comuni(
        COMUNI,
        &ComuniOptions {
            population_field: Some("population".into()),
            ..ComuniOptions::default()
        },
    )
}

/// The file's `attribution` object: per source (`boundaries`, `population`) its attribution
/// text, licence (SPDX id), licence URL, source and note.
pub fn attribution() -> Value {
    serde_json::from_str::<Value>(COMUNI)
        .ok()
        .and_then(|v| v.get("attribution").cloned())
        .unwrap_or(Value::Null)
}

/// The attribution a catalog's metadata carries, if its comuni are the shipped ones.
pub fn attribution_in(metadata: Option<&crate::model::Metadata>) -> Option<&Value> {
    metadata.and_then(|m| m.0.get(METADATA_KEY))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_file_parses_into_44_comuni_with_population() {
        let comuni = super::comuni().expect("the shipped territory is valid");
        assert_eq!(comuni.len(), 44);
        assert!(comuni.iter().all(|c| c.population.is_some_and(|p| p > 0)));
        let a = super::attribution();
        assert_eq!(a["boundaries"]["license"], "CC-BY-4.0");
        assert_eq!(a["population"]["license"], "CC0-1.0");
    }
}
