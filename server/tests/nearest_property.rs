//! The R-tree answers exactly what a brute-force scan answers: same ids, same order.
//! 100,000 random points in the Veneto bounding box, 1,000 random queries.
//!
//! The brute force does not reuse the code under test (`haversine_m`): its distance is the
//! great-circle angle from the atan2 ("Vincenty on the sphere") formula, well conditioned at
//! every distance, on the same sphere (the index measures metres on a sphere of radius
//! `EARTH_RADIUS_M`, the IUGG mean Earth radius). The two formulas agree to far better than
//! `TIE_M` in f64; results closer than that are treated as ties, and the order among ties is
//! checked separately (by index, as `nearest` promises with `tie = |i| i`).
//! `published_reference_distances` checks the formula itself against published values.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use bussola::index::SpatialIndex;
use bussola::model::{haversine_m, Bbox, LonLat, EARTH_RADIUS_M};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// Veneto's bounding box (lon/lat), rounded outwards.
const VENETO: [f64; 4] = [10.62, 44.79, 13.10, 46.68];

/// Two distances closer than this (a micrometre) are a tie.
const TIE_M: f64 = 1e-6;

/// Great-circle angle in radians between two lon/lat points (degrees), by the atan2 form of
/// the spherical Vincenty formula: a different formula from the code's haversine.
fn central_angle(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = (p2.cos() * dl.sin()).hypot(p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos());
    let x = p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos();
    y.atan2(x)
}

fn oracle_m(a: LonLat, b: LonLat) -> f64 {
    EARTH_RADIUS_M * central_angle(a.lon(), a.lat(), b.lon(), b.lat())
}

/// Published distances, to show the oracle (and the code) compute what they claim:
/// - Ed Williams, *Aviation Formulary* (v1.47), worked example: LAX (33°57′N 118°24′W) to JFK
///   (40°38′N 73°47′W) is 0.623585 radians of great circle (≈ 2144 nm), on the unit sphere;
/// - GeographicLib's documented examples (C. F. F. Karney): on the WGS84 ellipsoid, JFK
///   (40.6, −73.8) to LHR (51.6, −0.5) is 5551.76 km (`examples/example-Geodesic-small.cpp`),
///   Wellington (−41.32, 174.81) to Salamanca (40.96, −5.50) is 19959679.267 m (the JavaScript
///   and Python packages' README). A sphere is within 0.5 % of the ellipsoid's geodesic.
#[test]
fn published_reference_distances() {
    let angle = central_angle(
        -(118.0 + 24.0 / 60.0),
        33.0 + 57.0 / 60.0,
        -(73.0 + 47.0 / 60.0),
        40.0 + 38.0 / 60.0,
    );
    assert!((angle - 0.623585).abs() < 1e-6, "LAX–JFK: {angle} rad");
    for (name, a, b, ellipsoidal_m) in [
        ("JFK–LHR", (-73.8, 40.6), (-0.5, 51.6), 5_551_760.0),
        (
            "Wellington–Salamanca",
            (174.81, -41.32),
            (-5.50, 40.96),
            19_959_679.267,
        ),
    ] {
        let (a, b) = (
            LonLat::new(a.0, a.1).unwrap(),
            LonLat::new(b.0, b.1).unwrap(),
        );
        for (formula, d) in [
            ("oracle", oracle_m(a, b)),
            ("haversine_m", haversine_m(a, b)),
        ] {
            let rel = (d - ellipsoidal_m).abs() / ellipsoidal_m;
            assert!(
                rel < 0.005,
                "{name}: {formula} {d} m vs {ellipsoidal_m} m ({rel:.4})"
            );
        }
    }
}

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

/// Every kept point within `max_m`, with its oracle distance, nearest first (ids ascending
/// among exact equals).
fn brute_force(
    pts: &[LonLat],
    from: LonLat,
    max_m: Option<f64>,
    keep: impl Fn(u32) -> bool,
) -> Vec<(u32, f64)> {
    let mut all: Vec<(u32, f64)> = pts
        .iter()
        .enumerate()
        .map(|(i, p)| (i as u32, oracle_m(from, *p)))
        .filter(|(i, d)| keep(*i) && max_m.is_none_or(|m| *d <= m + TIE_M))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    all
}

/// Checks `got` (the index's answer for the `n` nearest) against the full sorted brute force.
fn check(got: &[(u32, f64)], want: &[(u32, f64)], n: usize, max_m: Option<f64>, what: &str) {
    // How many: all of them when fewer than n qualify (points right at the radius, within a
    // tie, may go either way).
    let sure = want
        .iter()
        .filter(|w| max_m.is_none_or(|m| w.1 <= m - TIE_M))
        .count();
    assert!(
        got.len() >= n.min(sure) && got.len() <= n.min(want.len()),
        "{what}: {} results, expected {} (of {} candidates)",
        got.len(),
        n.min(sure),
        want.len()
    );
    if got.is_empty() {
        return;
    }
    let oracle: std::collections::HashMap<u32, f64> = want.iter().copied().collect();
    for (i, g) in got.iter().enumerate() {
        let d = *oracle
            .get(&g.0)
            .unwrap_or_else(|| panic!("{what}: {} is not a candidate", g.0));
        assert!(
            (g.1 - d).abs() < TIE_M,
            "{what}: distance of {}: {} vs {d}",
            g.0,
            g.1
        );
        // The i-th answer is as near as the i-th of the brute force (up to a tie).
        assert!(
            (d - want[i].1).abs() < TIE_M,
            "{what}: position {i}: {} at {d} m, brute force {} at {} m",
            g.0,
            want[i].0,
            want[i].1
        );
        if i > 0 {
            let (p, pd) = (got[i - 1].0, oracle[&got[i - 1].0]);
            assert!(pd <= d + TIE_M, "{what}: not nearest first at {i}");
            if (pd - d).abs() < TIE_M && g.1 == got[i - 1].1 {
                assert!(p < g.0, "{what}: equal distances not in id order at {i}");
            }
        }
    }
    // Nothing nearer than the last answer is missing.
    let last = oracle[&got[got.len() - 1].0];
    let ids: std::collections::HashSet<u32> = got.iter().map(|g| g.0).collect();
    for w in want.iter().take_while(|w| w.1 < last - TIE_M) {
        assert!(
            ids.contains(&w.0),
            "{what}: {} at {} m is missing",
            w.0,
            w.1
        );
    }
}

#[test]
fn nearest_equals_brute_force_on_100k_points() {
    let pts = points(42, 100_000);
    let index = SpatialIndex::new(pts.clone());
    let mut rng = SmallRng::seed_from_u64(7);
    let mut answered = 0;
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
        let want = brute_force(&pts, from, max_m, keep);
        check(
            &got,
            &want,
            n,
            max_m,
            &format!("query {q} from {from:?} n={n} keep %{modulus} max_m={max_m:?}"),
        );
        answered += usize::from(!got.is_empty());
    }
    assert!(
        answered > 900,
        "only {answered} of 1,000 queries had any answer"
    );
}

#[test]
fn within_equals_brute_force() {
    let pts = points(9, 100_000);
    let index = SpatialIndex::new(pts.clone());
    let mut rng = SmallRng::seed_from_u64(11);
    let mut nonempty = 0;
    for _ in 0..200 {
        let (a, b) = (random_point(&mut rng), random_point(&mut rng));
        let min = LonLat::new(a.lon().min(b.lon()), a.lat().min(b.lat())).unwrap();
        let max = LonLat::new(a.lon().max(b.lon()), a.lat().max(b.lat())).unwrap();
        let bbox = Bbox::new(min, max).unwrap();
        let got = index.within(&bbox, |i| i % 2 == 0);
        let want: Vec<u32> = (0..pts.len() as u32)
            .filter(|&i| {
                let p = pts[i as usize];
                i % 2 == 0
                    && (min.lon()..=max.lon()).contains(&p.lon())
                    && (min.lat()..=max.lat()).contains(&p.lat())
            })
            .collect();
        assert_eq!(got, want);
        nonempty += usize::from(!want.is_empty());
    }
    assert!(
        nonempty > 150,
        "only {nonempty} of 200 boxes held any point"
    );
}
