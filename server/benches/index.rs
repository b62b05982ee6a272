//! Criterion benchmarks of the spatial read model over 100,000 points in Veneto.
//! Run: `cargo bench -p bussola --bench index`. Figures go in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use bussola::index::SpatialIndex;
use bussola::model::{Bbox, LonLat};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

const VENETO: [f64; 4] = [10.62, 44.79, 13.10, 46.68];

fn point(rng: &mut SmallRng) -> LonLat {
    LonLat::new(
        rng.gen_range(VENETO[0]..VENETO[2]),
        rng.gen_range(VENETO[1]..VENETO[3]),
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let mut rng = SmallRng::seed_from_u64(42);
    let pts: Vec<LonLat> = (0..100_000).map(|_| point(&mut rng)).collect();
    let index = SpatialIndex::new(pts);
    let queries: Vec<LonLat> = (0..1_000).map(|_| point(&mut rng)).collect();

    let mut g = c.benchmark_group("nearest_100k");
    for n in [1usize, 20, 100] {
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % queries.len();
                black_box(index.nearest(queries[i], n, None, |_| true, |i| i))
            })
        });
    }
    g.bench_function("20_with_filter_keeping_1_in_5", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.nearest(queries[i], 20, None, |k| k % 5 == 0, |i| i))
        })
    });
    g.finish();

    let mut g = c.benchmark_group("within_100k");
    // 100,000 points over 2.48° × 1.89°: a square of side s holds about 100000·s²/4.69 points.
    for (name, side) in [("about_1000_points", 0.2165), ("about_100_points", 0.0685)] {
        g.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % queries.len();
                let q = queries[i];
                let min = LonLat::new(q.lon() - side / 2.0, q.lat() - side / 2.0).unwrap();
                let max = LonLat::new(q.lon() + side / 2.0, q.lat() + side / 2.0).unwrap();
                black_box(index.within(&Bbox::new(min, max).unwrap(), |_| true))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
