//! Two R-trees over the same points: one over unit vectors on the sphere, where straight-line
//! distance grows with great-circle distance (so nearest-first order is exact in metres), and
//! one over lon/lat for bounding-box queries. A catalog built from scratch bulk-loads them; one
//! advanced by a few edits clones them and moves only the points that changed.

use crate::model::{haversine_m, Bbox, LonLat, EARTH_RADIUS_M};
use rstar::primitives::GeomWithData;
use rstar::{RTree, AABB};

type Sphere = GeomWithData<[f64; 3], u32>;
type Plane = GeomWithData<[f64; 2], u32>;

/// Points addressed by the caller's handles (`u32`): the position in the list given to
/// [`SpatialIndex::new`], or any handle given to [`SpatialIndex::with_points`] and
/// [`SpatialIndex::insert`].
#[derive(Clone, Default)]
pub struct SpatialIndex {
    /// Where each handle's point is (a removed handle keeps its last point, out of the trees).
    points: Vec<LonLat>,
    len: usize,
    sphere: RTree<Sphere>,
    plane: RTree<Plane>,
}

/// One answer of [`SpatialIndex::nearest`]: the point's position in the list, and metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub index: u32,
    pub distance_m: f64,
}

impl SpatialIndex {
    /// Bulk-loads both trees. `points[i]` is addressed as `i` in every answer.
    pub fn new(points: Vec<LonLat>) -> Self {
        let len = points.len();
        let sphere = RTree::bulk_load(
            points
                .iter()
                .enumerate()
                .map(|(i, p)| Sphere::new(p.unit_vector(), i as u32))
                .collect(),
        );
        let plane = RTree::bulk_load(
            points
                .iter()
                .enumerate()
                .map(|(i, p)| Plane::new([p.lon(), p.lat()], i as u32))
                .collect(),
        );
        SpatialIndex {
            points,
            len,
            sphere,
            plane,
        }
    }

    /// Bulk-loads both trees with the points of some handles (each handle once).
    pub fn with_points(points: impl IntoIterator<Item = (u32, LonLat)>) -> Self {
        let mut index = SpatialIndex::default();
        let mut sphere = Vec::new();
        let mut plane = Vec::new();
        for (i, p) in points {
            index.place(i, p);
            sphere.push(Sphere::new(p.unit_vector(), i));
            plane.push(Plane::new([p.lon(), p.lat()], i));
        }
        index.sphere = RTree::bulk_load(sphere);
        index.plane = RTree::bulk_load(plane);
        index
    }

    fn place(&mut self, i: u32, p: LonLat) {
        let at = i as usize;
        if self.points.len() <= at {
            self.points.resize(at + 1, p);
        }
        self.points[at] = p;
        self.len += 1;
    }

    /// Adds handle `i` at `p` (a handle not in the index).
    pub fn insert(&mut self, i: u32, p: LonLat) {
        self.place(i, p);
        self.sphere.insert(Sphere::new(p.unit_vector(), i));
        self.plane.insert(Plane::new([p.lon(), p.lat()], i));
    }

    /// Takes handle `i` out (it must be in the index).
    pub fn remove(&mut self, i: u32) {
        let Some(p) = self.point(i) else { return };
        let a = self.sphere.remove(&Sphere::new(p.unit_vector(), i));
        let b = self.plane.remove(&Plane::new([p.lon(), p.lat()], i));
        if a.is_some() || b.is_some() {
            self.len -= 1;
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where handle `i` is (or was last, if removed).
    pub fn point(&self, i: u32) -> Option<LonLat> {
        self.points.get(i as usize).copied()
    }

    /// The `n` nearest points accepted by `keep`, nearest first, within `max_m` metres if
    /// given. Distances are great-circle metres ([`haversine_m`]); equal distances are ordered
    /// by `tie(i)` (the caller's stable key, e.g. the record id), so answers are deterministic.
    ///
    /// ```
    /// use bussola::index::SpatialIndex;
    /// use bussola::model::LonLat;
    /// let p = |lon, lat| LonLat::new(lon, lat).unwrap();
    /// let idx = SpatialIndex::new(vec![p(12.33, 45.44), p(12.24, 45.49), p(12.28, 45.22)]);
    /// let hits = idx.nearest(p(12.23, 45.48), 2, None, |_| true, |i| i);
    /// assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), vec![1, 0]);
    /// ```
    pub fn nearest<K: Ord>(
        &self,
        from: LonLat,
        n: usize,
        max_m: Option<f64>,
        mut keep: impl FnMut(u32) -> bool,
        tie: impl Fn(u32) -> K,
    ) -> Vec<Hit> {
        if n == 0 {
            return Vec::new();
        }
        let q = from.unit_vector();
        // Squared chord length for a great-circle distance, with a margin that covers the
        // rounding difference between the chord and haversine formulas.
        let chord2 = |m: f64| {
            let c =
                2.0 * (m.min(std::f64::consts::PI * EARTH_RADIUS_M) / (2.0 * EARTH_RADIUS_M)).sin();
            c * c * (1.0 + 1e-9) + 1e-18
        };
        let limit2 = max_m.map(chord2);
        let mut hits: Vec<Hit> = Vec::with_capacity(n + 4);
        let mut bound2 = f64::INFINITY;
        for (item, d2) in self.sphere.nearest_neighbor_iter_with_distance_2(&q) {
            if d2 > bound2 || limit2.is_some_and(|l| d2 > l) {
                break;
            }
            let i = item.data;
            if !keep(i) {
                continue;
            }
            let distance_m = haversine_m(from, self.points[i as usize]);
            if max_m.is_some_and(|m| distance_m > m) {
                continue;
            }
            hits.push(Hit {
                index: i,
                distance_m,
            });
            if hits.len() >= n {
                // Keep collecting only what could tie with or beat the current n-th best.
                let mut worst = 0f64;
                let mut ds: Vec<f64> = hits.iter().map(|h| h.distance_m).collect();
                ds.sort_by(f64::total_cmp);
                worst = worst.max(ds[n - 1]);
                bound2 = chord2(worst);
            }
        }
        hits.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then_with(|| tie(a.index).cmp(&tie(b.index)))
        });
        hits.truncate(n);
        hits
    }

    /// Every point inside `bbox` (edges included) accepted by `keep`, in handle order.
    pub fn within(&self, bbox: &Bbox, mut keep: impl FnMut(u32) -> bool) -> Vec<u32> {
        let env = AABB::from_corners(
            [bbox.min.lon(), bbox.min.lat()],
            [bbox.max.lon(), bbox.max.lat()],
        );
        let mut out: Vec<u32> = self
            .plane
            .locate_in_envelope(&env)
            .map(|p| p.data)
            .filter(|&i| keep(i))
            .collect();
        out.sort_unstable();
        out
    }
}
