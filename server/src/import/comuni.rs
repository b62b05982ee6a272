//! Comuni boundaries from a GeoJSON FeatureCollection (e.g. ISTAT limits as republished by
//! Openpolis). Rings may come in either winding order (pre-RFC 7946 files are clockwise);
//! they are stored counter-clockwise outside, clockwise inside.

use super::dataset::kind_of;
use super::Report;
use crate::model::{limits, Comune};
use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

/// Which feature properties hold what.
#[derive(Clone, Debug)]
pub struct ComuniOptions {
    /// The ISTAT code property (e.g. `com_istat_code`); numbers are zero-padded to 6 digits.
    pub code_field: String,
    pub name_field: String,
    pub province_field: Option<String>,
    pub population_field: Option<String>,
}

impl Default for ComuniOptions {
    fn default() -> Self {
        ComuniOptions {
            code_field: "com_istat_code".into(),
            name_field: "name".into(),
            province_field: Some("prov_name".into()),
            population_field: None,
        }
    }
}

/// Parses every feature; reports each bad one (missing code, broken ring, bad coordinate).
pub fn parse_comuni(text: &str, opts: &ComuniOptions) -> Result<Vec<Comune>, Report> {
    let mut report = Report::default();
    let root: Value = serde_json::from_str(super::text::strip_bom(text)).map_err(|e| {
        let mut r = Report::default();
        r.push(
            format!("line {} column {}", e.line(), e.column()),
            "",
            format!("not valid JSON: {}", super::serde_reason(&e)),
        );
        r
    })?;
    let Some(features) = root.get("features").and_then(Value::as_array) else {
        report.push(
            "file",
            "features",
            "must be an array (a GeoJSON FeatureCollection)",
        );
        return Err(report);
    };
    if let Some(v) = limits::count("features", features.len(), limits::COMUNI) {
        report.push("file", v.field, v.reason);
        return Err(report);
    }
    let mut out = Vec::with_capacity(features.len());
    let mut seen = std::collections::HashSet::new();
    for (i, f) in features.iter().enumerate() {
        let props = f.get("properties").and_then(Value::as_object);
        let get = |k: &str| props.and_then(|p| p.get(k));
        let name = get(&opts.name_field)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let at = if name.is_empty() {
            format!("feature {i}")
        } else {
            format!("feature {i} ({})", super::label(&name))
        };
        let code = match get(&opts.code_field) {
            Some(Value::String(s))
                if !s.trim().is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit()) =>
            {
                format!("{:0>6}", s.trim())
            }
            Some(Value::Number(n)) if n.as_u64().is_some() => {
                format!("{:06}", n.as_u64().unwrap_or_default())
            }
            Some(v) if !v.is_null() => {
                report.push(
                    &at,
                    format!("properties.{}", opts.code_field),
                    format!("{v} is not a numeric code"),
                );
                continue;
            }
            _ => {
                report.push(&at, format!("properties.{}", opts.code_field), "missing");
                continue;
            }
        };
        if !seen.insert(code.clone()) {
            report.push(
                &at,
                format!("properties.{}", opts.code_field),
                format!("code {code} appears twice"),
            );
        }
        if name.is_empty() {
            let reason = match get(&opts.name_field) {
                Some(v) if !v.is_null() && !v.is_string() => {
                    format!("expected a string, found {}", kind_of(v))
                }
                _ => "missing".to_owned(),
            };
            report.push(&at, format!("properties.{}", opts.name_field), reason);
        }
        let boundary = match multipolygon(f.get("geometry")) {
            Ok(mp) => mp,
            Err((path, reason)) => {
                report.push(&at, path, reason);
                continue;
            }
        };
        let population = match &opts.population_field {
            None => None,
            Some(k) => match get(k) {
                Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
                Some(Value::Null) => None,
                None => {
                    report.push(
                        &at,
                        format!("properties.{k}"),
                        "missing (named by --population-field)",
                    );
                    continue;
                }
                Some(v) => {
                    report.push(
                        &at,
                        format!("properties.{k}"),
                        format!("expected a whole number of residents, found {}", kind_of(v)),
                    );
                    continue;
                }
            },
        };
        let province = match opts
            .province_field
            .as_ref()
            .and_then(|k| get(k).map(|v| (k, v)))
        {
            None | Some((_, Value::Null)) => None,
            Some((_, Value::String(s))) => Some(s.clone()),
            Some((k, v)) => {
                report.push(
                    &at,
                    format!("properties.{k}"),
                    format!("expected a string, found {}", kind_of(v)),
                );
                continue;
            }
        };
        let comune = Comune {
            istat: code,
            name,
            province,
            population,
            foreign_population: None,
            boundary: boundary.orient(Direction::Default),
        };
        for v in limits::comune(&comune) {
            let field = match v.field.as_str() {
                "name" => &opts.name_field,
                _ => opts.province_field.as_ref().unwrap_or(&v.field),
            };
            report.push(&at, format!("properties.{field}"), v.reason);
        }
        out.push(comune);
    }
    report.into_result(out)
}

type GeomError = (String, String);

fn multipolygon(g: Option<&Value>) -> Result<MultiPolygon<f64>, GeomError> {
    let err = |p: &str, r: &str| (p.to_owned(), r.to_owned());
    let g = g
        .filter(|g| !g.is_null())
        .ok_or_else(|| err("geometry", "missing"))?;
    let coords = g
        .get("coordinates")
        .ok_or_else(|| err("geometry.coordinates", "missing"))?;
    match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(MultiPolygon(vec![polygon(coords, "geometry.coordinates")?])),
        Some("MultiPolygon") => {
            let polys = coords
                .as_array()
                .ok_or_else(|| err("geometry.coordinates", "must be an array"))?;
            if polys.is_empty() {
                return Err(err("geometry.coordinates", "has no polygon"));
            }
            polys
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(p, &format!("geometry.coordinates[{i}]")))
                .collect::<Result<Vec<_>, _>>()
                .map(MultiPolygon)
        }
        other => Err(err(
            "geometry.type",
            &format!("{other:?} is not Polygon or MultiPolygon"),
        )),
    }
}

fn polygon(v: &Value, path: &str) -> Result<Polygon<f64>, GeomError> {
    let rings = v
        .as_array()
        .ok_or_else(|| (path.to_owned(), "must be an array of rings".to_owned()))?;
    if rings.is_empty() {
        return Err((path.to_owned(), "has no ring".to_owned()));
    }
    let mut rings = rings
        .iter()
        .enumerate()
        .map(|(i, r)| ring(r, &format!("{path}[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let exterior = rings.remove(0);
    Ok(Polygon::new(exterior, rings))
}

fn ring(v: &Value, path: &str) -> Result<LineString<f64>, GeomError> {
    let pts = v
        .as_array()
        .ok_or_else(|| (path.to_owned(), "must be an array of positions".to_owned()))?;
    let mut coords = Vec::with_capacity(pts.len());
    for (i, p) in pts.iter().enumerate() {
        let here = format!("{path}[{i}]");
        let a = p
            .as_array()
            .filter(|a| a.len() >= 2)
            .ok_or_else(|| (here.clone(), "must be [lon, lat]".to_owned()))?;
        let num = |k: usize| {
            a[k].as_f64()
                .filter(|x| x.is_finite())
                .ok_or_else(|| (format!("{here}[{k}]"), format!("{} is not a number", a[k])))
        };
        let (x, y) = (num(0)?, num(1)?);
        if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
            return Err((
                here,
                format!("[{x}, {y}] is outside lon -180..180 / lat -90..90"),
            ));
        }
        coords.push(Coord { x, y });
    }
    if coords.len() < 4 {
        return Err((
            path.to_owned(),
            format!(
                "broken ring: {} positions, a closed ring needs at least 4",
                coords.len()
            ),
        ));
    }
    if coords.first() != coords.last() {
        return Err((
            path.to_owned(),
            "broken ring: the last position must repeat the first".to_owned(),
        ));
    }
    if let Some((a, b)) = super::rings::self_intersection(&coords) {
        let at = |k: usize| format!("[{}, {}]", coords[k].x, coords[k].y);
        return Err((
            path.to_owned(),
            format!(
                "the ring crosses or touches itself: the segment from position {a} {} meets the one from position {b} {}",
                at(a),
                at(b)
            ),
        ));
    }
    Ok(LineString(coords))
}
