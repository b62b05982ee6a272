//! The R-tree answers exactly what a brute-force scan answers: same ids, same order.
//! 100,000 random points in the Veneto bounding box, 1,000 random queries.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use bussola::index::SpatialIndex;
use bussola::model::{haversine_m, Bbox, LonLat};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// Veneto's bounding box (lon/lat), rounded outwards.
const VENETO: [f64; 4] = [10.62, 44.79, 13.10, 46.68];

fn random_point(rng: &mut SmallRng) -> LonLat {
    LonLat::new(
        rng.gen_range(VENETO[0]..VENETO[2]),
        rng.gen_range(VENETO[1]..VENETO[3]),
    )
    .unwrap()
}

fn points(seed: u64, n: usize) -> Vec<LonLat> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut pts: Vec<LonLat> = (0..n).map(|_| random_point(&mut rng)).collect();
    // Exact duplicates and equal distances happen in real data (two desks in one building):
    // plant some so that tie-breaking is exercised.
    for i in 0..200 {
        pts[i * 7 + 1] = pts[i * 7];
    }
    pts
}

fn brute_force(
    pts: &[LonLat],
    from: LonLat,
    n: usize,
    max_m: Option<f64>,
    keep: impl Fn(u32) -> bool,
) -> Vec<(u32, f64)> {
    let mut all: Vec<(u32, f64)> = pts
        .iter()
        .enumerate()
        .map(|(i, p)| (i as u32, haversine_m(from, *p)))
        .filter(|(i, d)| keep(*i) && max_m.is_none_or(|m| *d <= m))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    all.truncate(n);
    all
}

#[test]
fn nearest_equals_brute_force_on_100k_points() {
    let pts = points(42, 100_000);
    let index = SpatialIndex::new(pts.clone());
    let mut rng = SmallRng::seed_from_u64(7);
    for q in 0..1_000 {
        // Some queries start exactly on a data point, the rest anywhere in (or just outside) Veneto.
        let from = if q % 10 == 0 {
            pts[rng.gen_range(0..pts.len())]
        } else {
            random_point(&mut rng)
        };
        let n = rng.gen_range(1..=50);
        let modulus = rng.gen_range(1..=5u32);
        let keep = |i: u32| i.is_multiple_of(modulus);
        let max_m = (q % 4 == 0).then(|| rng.gen_range(500.0..20_000.0));
        let got: Vec<(u32, f64)> = index
            .nearest(from, n, max_m, keep, |i| i)
            .into_iter()
            .map(|h| (h.index, h.distance_m))
            .collect();
        let want = brute_force(&pts, from, n, max_m, keep);
        assert_eq!(
            got.iter().map(|x| x.0).collect::<Vec<_>>(),
            want.iter().map(|x| x.0).collect::<Vec<_>>(),
            "query {q} from {from:?} n={n} keep %{modulus} max_m={max_m:?}"
        );
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.1, w.1, "distance differs for point {}", g.0);
        }
    }
}

#[test]
fn within_equals_brute_force() {
    let pts = points(9, 100_000);
    let index = SpatialIndex::new(pts.clone());
    let mut rng = SmallRng::seed_from_u64(11);
    for _ in 0..200 {
        let (a, b) = (random_point(&mut rng), random_point(&mut rng));
        let min = LonLat::new(a.lon().min(b.lon()), a.lat().min(b.lat())).unwrap();
        let max = LonLat::new(a.lon().max(b.lon()), a.lat().max(b.lat())).unwrap();
        let bbox = Bbox::new(min, max).unwrap();
        let got = index.within(&bbox, |i| i % 2 == 0);
        let want: Vec<u32> = (0..pts.len() as u32)
            .filter(|&i| i % 2 == 0 && bbox.contains(pts[i as usize]))
            .collect();
        assert_eq!(got, want);
    }
}
