//! A small map drawn as SVG on the server: the features' areas and points in an
//! equirectangular projection scaled by the cosine of the middle latitude, no tiles, no script.

use super::page::esc;
use serde_json::Value;
use std::fmt::Write;

/// Width of the drawing in SVG units.
const WIDTH: f64 = 640.0;
/// Tallest the drawing may be.
const MAX_HEIGHT: f64 = 420.0;

/// One feature to draw: its GeoJSON geometry, a label and a link.
pub struct Mark<'a> {
    pub geometry: &'a Value,
    pub label: String,
    pub href: Option<String>,
}

fn positions(v: &Value, out: &mut Vec<(f64, f64)>) {
    match v.as_array() {
        Some(a) if a.len() >= 2 && a[0].is_number() && a[1].is_number() => {
            if let (Some(x), Some(y)) = (a[0].as_f64(), a[1].as_f64()) {
                out.push((x, y));
            }
        }
        Some(a) => a.iter().for_each(|x| positions(x, out)),
        None => {}
    }
}

struct Projection {
    x0: f64,
    y1: f64,
    k: f64,
    cos: f64,
}

impl Projection {
    fn xy(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (
            (lon - self.x0) * self.cos * self.k,
            (self.y1 - lat) * self.k,
        )
    }
}

fn rings(v: &Value) -> Vec<Vec<(f64, f64)>> {
    // A ring is an array of positions; walk down until arrays of positions are found.
    let Some(a) = v.as_array() else {
        return Vec::new();
    };
    if a.first()
        .and_then(Value::as_array)
        .is_some_and(|p| p.first().is_some_and(Value::is_number))
    {
        let mut ring = Vec::new();
        positions(v, &mut ring);
        return vec![ring];
    }
    a.iter().flat_map(rings).collect()
}

/// The SVG of `marks`, or None when none has a geometry.
pub fn svg(marks: &[Mark], title: &str) -> Option<String> {
    let mut all = Vec::new();
    for m in marks {
        positions(&m.geometry["coordinates"], &mut all);
    }
    if all.is_empty() {
        return None;
    }
    let fold = |f: fn(f64, f64) -> f64, pick: fn(&(f64, f64)) -> f64, init: f64| {
        all.iter().map(pick).fold(init, f)
    };
    let (x0, x1) = (
        fold(f64::min, |p| p.0, f64::MAX),
        fold(f64::max, |p| p.0, f64::MIN),
    );
    let (y0, y1) = (
        fold(f64::min, |p| p.1, f64::MAX),
        fold(f64::max, |p| p.1, f64::MIN),
    );
    // Pad a little, and give a single point some room.
    let pad = ((x1 - x0).max(y1 - y0) * 0.05).max(0.005);
    let (x0, x1, y0, y1) = (x0 - pad, x1 + pad, y0 - pad, y1 + pad);
    let cos = ((y0 + y1) / 2.0).to_radians().cos().max(0.01);
    let k = (WIDTH / ((x1 - x0) * cos)).min(MAX_HEIGHT / (y1 - y0));
    let p = Projection { x0, y1, k, cos };
    let (w, h) = ((x1 - x0) * cos * k, (y1 - y0) * k);
    let mut s = format!(
        "<svg class=\"map\" viewBox=\"0 0 {w:.0} {h:.0}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        esc(title),
        esc(title)
    );
    for m in marks {
        let kind = m.geometry["type"].as_str().unwrap_or("");
        let mut shape = String::new();
        match kind {
            "Point" | "MultiPoint" => {
                let mut pts = Vec::new();
                positions(&m.geometry["coordinates"], &mut pts);
                for pt in pts {
                    let (x, y) = p.xy(pt);
                    let _ = write!(
                        shape,
                        "<circle class=\"point\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\"/>"
                    );
                }
            }
            _ => {
                let mut d = String::new();
                for ring in rings(&m.geometry["coordinates"]) {
                    for (i, pt) in ring.iter().enumerate() {
                        let (x, y) = p.xy(*pt);
                        let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
                    }
                    d.push('Z');
                }
                if !d.is_empty() {
                    let _ = write!(shape, "<path class=\"area\" d=\"{d}\"/>");
                }
            }
        }
        if shape.is_empty() {
            continue;
        }
        let label = format!("<title>{}</title>", esc(&m.label));
        match &m.href {
            Some(href) => {
                let _ = write!(s, "<a href=\"{}\">{label}{shape}</a>", esc(href));
            }
            None => {
                let _ = write!(s, "<g>{label}{shape}</g>");
            }
        }
    }
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn points_and_areas_are_drawn_inside_the_view_and_labels_escaped() {
        let point = json!({"type": "Point", "coordinates": [12.24, 45.49]});
        let area = json!({"type": "MultiPolygon", "coordinates": [[[[12.0, 45.0], [12.5, 45.0], [12.5, 45.5], [12.0, 45.0]]]]});
        let marks = [
            Mark {
                geometry: &point,
                label: "<b>x</b>".into(),
                href: None,
            },
            Mark {
                geometry: &area,
                label: "area".into(),
                href: Some("/a?f=html".into()),
            },
        ];
        let s = svg(&marks, "map").unwrap();
        assert_eq!(s.matches("<circle").count(), 1);
        assert_eq!(s.matches("<path").count(), 1);
        assert!(s.contains("&lt;b&gt;x&lt;/b&gt;") && !s.contains("<b>"));
        assert!(svg(&[], "map").is_none());
    }
}
