//! Records travel to and from the database as JSON documents beside a few plain columns
//! (id, status, geometry, revision…) that SQL and GIS tools query. The store owns the version
//! and the timestamps: they live in columns, not in the document.

use super::{Error, Result};
use chrono::{DateTime, Utc};
use geo::MultiPolygon;
use serde::{de::DeserializeOwned, Serialize};

const STORE_FIELDS: [&str; 3] = ["version", "created_at", "updated_at"];

/// The document of a record, without store-managed fields.
pub fn encode<T: Serialize>(record: &T) -> String {
    let mut value = serde_json::to_value(record).unwrap_or(serde_json::Value::Null);
    if let Some(map) = value.as_object_mut() {
        for f in STORE_FIELDS {
            map.remove(f);
        }
    }
    value.to_string()
}

/// A record from its document and its store-managed columns.
pub fn decode<T: DeserializeOwned>(
    kind: &'static str,
    id: &str,
    doc: &str,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
) -> Result<T> {
    let corrupt = |reason: String| Error::Corrupt {
        kind,
        id: id.to_owned(),
        reason,
    };
    let mut value: serde_json::Value =
        serde_json::from_str(doc).map_err(|e| corrupt(e.to_string()))?;
    let map = value
        .as_object_mut()
        .ok_or_else(|| corrupt("not an object".into()))?;
    map.insert("version".into(), version.into());
    map.insert(
        "created_at".into(),
        serde_json::to_value(created_at).unwrap_or_default(),
    );
    map.insert(
        "updated_at".into(),
        serde_json::to_value(updated_at).unwrap_or_default(),
    );
    serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))
}

/// A boundary as GeoJSON geometry text.
pub fn boundary_to_geojson(mp: &MultiPolygon<f64>) -> String {
    geojson::Geometry::new(geojson::Value::from(mp)).to_string()
}

/// A boundary from GeoJSON geometry text (Polygon or MultiPolygon).
pub fn boundary_from_geojson(istat: &str, text: &str) -> Result<MultiPolygon<f64>> {
    let corrupt = |reason: String| Error::Corrupt {
        kind: "comune",
        id: istat.to_owned(),
        reason,
    };
    let geom: geojson::Geometry = text
        .parse()
        .map_err(|e: geojson::Error| corrupt(e.to_string()))?;
    match geom.value {
        geojson::Value::MultiPolygon(_) => {
            MultiPolygon::<f64>::try_from(geom.value).map_err(|e| corrupt(e.to_string()))
        }
        geojson::Value::Polygon(_) => geo::Polygon::<f64>::try_from(geom.value)
            .map(|p| MultiPolygon(vec![p]))
            .map_err(|e| corrupt(e.to_string())),
        _ => Err(corrupt("boundary is not a (multi)polygon".into())),
    }
}
