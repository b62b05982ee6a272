//! Planar geometry in lon/lat: points, polygons (with holes), multipolygons and envelopes,
//! with the intersection and containment tests the spatial functions need. Boundaries count
//! as part of a shape.

use std::fmt;

/// A geometry literal or a feature's geometry.
#[derive(Clone, Debug, PartialEq)]
pub enum Geometry {
    Point([f64; 2]),
    /// Rings: the first is the outer boundary, the rest holes.
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
    /// `[min_x, min_y, max_x, max_y]`.
    Envelope([f64; 4]),
}

type Poly = Vec<Vec<[f64; 2]>>;

impl Geometry {
    /// As polygons (a point is none; an envelope is one rectangle).
    fn polygons(&self) -> Vec<Poly> {
        match self {
            Geometry::Point(_) => vec![],
            Geometry::Polygon(p) => vec![p.clone()],
            Geometry::MultiPolygon(m) => m.clone(),
            Geometry::Envelope([a, b, c, d]) => {
                vec![vec![vec![[*a, *b], [*c, *b], [*c, *d], [*a, *d], [*a, *b]]]]
            }
        }
    }

    /// How many positions the shape has (1 for a point, 5 for an envelope).
    pub fn vertex_count(&self) -> usize {
        match self {
            Geometry::Point(_) => 1,
            Geometry::Envelope(_) => 5,
            Geometry::Polygon(p) => p.iter().map(Vec::len).sum(),
            Geometry::MultiPolygon(m) => m.iter().flatten().map(Vec::len).sum(),
        }
    }

    fn vertices(&self) -> Vec<[f64; 2]> {
        match self {
            Geometry::Point(p) => vec![*p],
            _ => self
                .polygons()
                .into_iter()
                .flat_map(|p| p.into_iter().flatten())
                .collect(),
        }
    }

    /// True when the two shapes share at least one point.
    pub fn intersects(&self, other: &Geometry) -> bool {
        match (self, other) {
            (Geometry::Point(a), Geometry::Point(b)) => a == b,
            (Geometry::Point(p), g) | (g, Geometry::Point(p)) => {
                g.polygons().iter().any(|poly| in_polygon(*p, poly))
            }
            _ => {
                let (pa, pb) = (self.polygons(), other.polygons());
                // A vertex of one inside the other, or two edges crossing.
                self.vertices()
                    .iter()
                    .any(|v| pb.iter().any(|p| in_polygon(*v, p)))
                    || other
                        .vertices()
                        .iter()
                        .any(|v| pa.iter().any(|p| in_polygon(*v, p)))
                    || edges(&pa).any(|e| edges(&pb).any(|f| segments_cross(e, f)))
            }
        }
    }

    /// True when every point of `self` is in `other`.
    pub fn within(&self, other: &Geometry) -> bool {
        match (self, other) {
            (Geometry::Point(a), Geometry::Point(b)) => a == b,
            (_, Geometry::Point(_)) => false,
            (Geometry::Point(p), g) => g.polygons().iter().any(|poly| in_polygon(*p, poly)),
            _ => {
                let outer = other.polygons();
                let inner = self.polygons();
                self.vertices()
                    .iter()
                    .all(|v| outer.iter().any(|p| in_polygon(*v, p)))
                    && !edges(&inner).any(|e| edges(&outer).any(|f| segments_cross_properly(e, f)))
            }
        }
    }
}

fn edges(polys: &[Poly]) -> impl Iterator<Item = ([f64; 2], [f64; 2])> + '_ {
    polys
        .iter()
        .flat_map(|p| p.iter())
        .flat_map(|ring| ring.windows(2).map(|w| (w[0], w[1])))
}

fn on_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> bool {
    let cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    cross.abs() <= 1e-12
        && p[0] >= a[0].min(b[0]) - 1e-12
        && p[0] <= a[0].max(b[0]) + 1e-12
        && p[1] >= a[1].min(b[1]) - 1e-12
        && p[1] <= a[1].max(b[1]) + 1e-12
}

fn in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + n - 1) % n]);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
    }
    inside
}

/// Inside the outer ring and not strictly inside a hole; the boundary counts as inside.
fn in_polygon(p: [f64; 2], poly: &Poly) -> bool {
    let Some(outer) = poly.first() else {
        return false;
    };
    let on_boundary = poly
        .iter()
        .any(|r| r.windows(2).any(|w| on_segment(p, w[0], w[1])));
    on_boundary || (in_ring(p, outer) && !poly[1..].iter().any(|h| in_ring(p, h)))
}

fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

fn segments_cross(e: ([f64; 2], [f64; 2]), f: ([f64; 2], [f64; 2])) -> bool {
    segments_cross_properly(e, f)
        || on_segment(e.0, f.0, f.1)
        || on_segment(e.1, f.0, f.1)
        || on_segment(f.0, e.0, e.1)
        || on_segment(f.1, e.0, e.1)
}

fn segments_cross_properly(e: ([f64; 2], [f64; 2]), f: ([f64; 2], [f64; 2])) -> bool {
    let (d1, d2) = (orient(f.0, f.1, e.0), orient(f.0, f.1, e.1));
    let (d3, d4) = (orient(e.0, e.1, f.0), orient(e.0, e.1, f.1));
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}

fn write_ring(f: &mut fmt::Formatter<'_>, ring: &[[f64; 2]]) -> fmt::Result {
    let pts: Vec<String> = ring.iter().map(|p| format!("{} {}", p[0], p[1])).collect();
    write!(f, "({})", pts.join(", "))
}

fn write_poly(f: &mut fmt::Formatter<'_>, poly: &Poly) -> fmt::Result {
    f.write_str("(")?;
    for (i, r) in poly.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_ring(f, r)?;
    }
    f.write_str(")")
}

impl fmt::Display for Geometry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Geometry::Point(p) => write!(f, "POINT({} {})", p[0], p[1]),
            Geometry::Polygon(p) => {
                f.write_str("POLYGON")?;
                write_poly(f, p)
            }
            Geometry::MultiPolygon(m) => {
                f.write_str("MULTIPOLYGON(")?;
                for (i, p) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_poly(f, p)?;
                }
                f.write_str(")")
            }
            Geometry::Envelope([a, b, c, d]) => write!(f, "BBOX({a}, {b}, {c}, {d})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square_with_hole() -> Geometry {
        Geometry::Polygon(vec![
            vec![
                [0.0, 0.0],
                [10.0, 0.0],
                [10.0, 10.0],
                [0.0, 10.0],
                [0.0, 0.0],
            ],
            vec![[4.0, 4.0], [6.0, 4.0], [6.0, 6.0], [4.0, 6.0], [4.0, 4.0]],
        ])
    }

    #[test]
    fn points_holes_and_edges() {
        let s = square_with_hole();
        assert!(Geometry::Point([1.0, 1.0]).intersects(&s));
        assert!(
            !Geometry::Point([5.0, 5.0]).intersects(&s),
            "inside the hole"
        );
        assert!(
            Geometry::Point([10.0, 5.0]).intersects(&s),
            "on the edge counts"
        );
        assert!(
            Geometry::Point([4.0, 5.0]).intersects(&s),
            "on the hole's edge counts"
        );
        assert!(!Geometry::Point([11.0, 5.0]).intersects(&s));
    }

    #[test]
    fn polygons_and_envelopes() {
        let s = square_with_hole();
        assert!(Geometry::Envelope([9.0, 9.0, 12.0, 12.0]).intersects(&s));
        assert!(
            Geometry::Envelope([-1.0, 4.5, 11.0, 5.5]).intersects(&s),
            "crossing without vertices inside"
        );
        assert!(!Geometry::Envelope([11.0, 11.0, 12.0, 12.0]).intersects(&s));
        assert!(Geometry::Envelope([1.0, 1.0, 2.0, 2.0]).within(&s));
        assert!(!Geometry::Envelope([1.0, 1.0, 12.0, 2.0]).within(&s));
    }
}
