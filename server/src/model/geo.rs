//! Coordinates and distances. Coordinates are WGS 84 longitude/latitude (RFC 7946 order);
//! distances are metres on a sphere of radius [`EARTH_RADIUS_M`].

use serde::{Deserialize, Serialize};

/// Mean Earth radius (IUGG), in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A valid WGS 84 position, longitude first.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "[f64; 2]", into = "[f64; 2]")]
pub struct LonLat {
    lon: f64,
    lat: f64,
}

/// Why a position is not valid.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CoordError {
    #[error("longitude {0} is outside -180..180")]
    Lon(f64),
    #[error("latitude {0} is outside -90..90")]
    Lat(f64),
}

impl LonLat {
    /// A checked position.
    pub fn new(lon: f64, lat: f64) -> Result<Self, CoordError> {
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            return Err(CoordError::Lon(lon));
        }
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(CoordError::Lat(lat));
        }
        Ok(LonLat { lon, lat })
    }
    pub fn lon(&self) -> f64 {
        self.lon
    }
    pub fn lat(&self) -> f64 {
        self.lat
    }
    /// The unit vector of this position on the sphere: straight-line (chord) distance between
    /// unit vectors grows with great-circle distance, so an R-tree over them ranks by metres.
    pub fn unit_vector(&self) -> [f64; 3] {
        let (lon, lat) = (self.lon.to_radians(), self.lat.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    }
    /// Rounded to `decimals` places, for logs (2 decimals ≈ 1 km).
    pub fn rounded(&self, decimals: i32) -> (f64, f64) {
        let f = 10f64.powi(decimals);
        ((self.lon * f).round() / f, (self.lat * f).round() / f)
    }
}

impl TryFrom<[f64; 2]> for LonLat {
    type Error = CoordError;
    fn try_from(v: [f64; 2]) -> Result<Self, CoordError> {
        LonLat::new(v[0], v[1])
    }
}

impl From<LonLat> for [f64; 2] {
    fn from(p: LonLat) -> [f64; 2] {
        [p.lon, p.lat]
    }
}

/// Great-circle distance in metres (haversine).
///
/// ```
/// use bussola::model::{haversine_m, LonLat};
/// let venezia = LonLat::new(12.3155, 45.4408).unwrap();
/// let mestre = LonLat::new(12.2381, 45.4903).unwrap();
/// let d = haversine_m(venezia, mestre);
/// assert!((8_000.0..9_000.0).contains(&d));
/// ```
pub fn haversine_m(a: LonLat, b: LonLat) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A lon/lat bounding box, `[min_lon, min_lat, max_lon, max_lat]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bbox {
    pub min: LonLat,
    pub max: LonLat,
}

impl Bbox {
    /// A box from its corners; `None` unless min ≤ max on both axes.
    pub fn new(min: LonLat, max: LonLat) -> Option<Self> {
        (min.lon <= max.lon && min.lat <= max.lat).then_some(Bbox { min, max })
    }
    /// True when `p` is inside or on the edge.
    pub fn contains(&self, p: LonLat) -> bool {
        (self.min.lon..=self.max.lon).contains(&p.lon)
            && (self.min.lat..=self.max.lat).contains(&p.lat)
    }
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn to_array(&self) -> [f64; 4] {
        [self.min.lon, self.min.lat, self.max.lon, self.max.lat]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range_and_non_finite() {
        assert!(LonLat::new(181.0, 0.0).is_err());
        assert!(LonLat::new(0.0, -90.5).is_err());
        assert!(LonLat::new(f64::NAN, 0.0).is_err());
        assert!(LonLat::new(-180.0, 90.0).is_ok());
    }

    #[test]
    fn rounding_hides_precision() {
        let p = LonLat::new(12.345678, 45.987654).unwrap();
        assert_eq!(p.rounded(2), (12.35, 45.99));
    }
}
