//! Comuni: the municipalities that coverage is measured by.

use geo::MultiPolygon;

/// A comune with its boundary. Boundaries are kept counter-clockwise (RFC 7946) once imported.
#[derive(Clone, Debug, PartialEq)]
pub struct Comune {
    /// 6-digit ISTAT code, e.g. `027042`.
    pub istat: String,
    pub name: String,
    pub province: Option<String>,
    pub population: Option<u64>,
    pub foreign_population: Option<u64>,
    pub boundary: MultiPolygon<f64>,
}
