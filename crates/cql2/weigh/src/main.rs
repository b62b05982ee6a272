//! `cargo run --release --features ours,theirs [-- N]`: parse time of a typical filter and
//! matching it over N (default 100,000) sportello-shaped features, with each enabled crate.
//! `cql2` matches JSON documents; bussola-cql2 evaluates typed records through its `Feature`
//! trait, as the server does over its read model.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use std::time::Instant;

const FILTER: &str = "cost = 'free' AND appointment_required = FALSE AND name LIKE 'Sportello%' \
    AND S_INTERSECTS(geometry, BBOX(12, 45, 13, 46))";
const PARSES: u32 = 20_000;

/// What the read model holds for one sportello (only what the filter can read).
struct Record {
    name: String,
    cost: &'static str,
    appointment_required: bool,
    lon: f64,
    lat: f64,
}

fn records(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| Record {
            name: format!("{} {i}", ["Sportello", "Ufficio", "CPIA"][i % 3]),
            cost: ["free", "fee"][i % 2],
            appointment_required: i % 5 == 0,
            lon: 11.5 + (i % 1000) as f64 / 500.0,
            lat: 45.0 + (i % 777) as f64 / 1000.0,
        })
        .collect()
}

fn as_json(r: &Record) -> Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
        "properties": {"name": r.name, "cost": r.cost, "appointment_required": r.appointment_required}
    })
}

fn report(what: &str, start: Instant, n: u32) {
    let t = start.elapsed();
    println!(
        "{what}: {:.1} ms total, {:.2} µs each",
        t.as_secs_f64() * 1e3,
        t.as_secs_f64() * 1e6 / f64::from(n)
    );
}

#[cfg(feature = "ours")]
mod ours {
    use super::*;
    use bussola_cql2::{evaluate, parse, Feature, Geometry, Value as V};

    impl Feature for Record {
        fn property(&self, name: &str) -> V<'_> {
            match name {
                "name" => V::Str(self.name.as_str().into()),
                "cost" => V::Str(self.cost.into()),
                "appointment_required" => V::Bool(self.appointment_required),
                _ => V::Null,
            }
        }
        fn geometry(&self, _: &str) -> Option<Geometry> {
            Some(Geometry::Point([self.lon, self.lat]))
        }
    }

    pub fn run(rs: &[Record]) -> usize {
        let t = Instant::now();
        for _ in 0..PARSES {
            std::hint::black_box(parse(std::hint::black_box(FILTER)).unwrap());
        }
        report("bussola-cql2 parse", t, PARSES);
        let e = parse(FILTER).unwrap();
        let t = Instant::now();
        let n = rs.iter().filter(|r| evaluate(&e, *r)).count();
        report("bussola-cql2 evaluate (typed records)", t, rs.len() as u32);
        n
    }
}

#[cfg(feature = "theirs")]
mod theirs {
    use super::*;

    pub fn run(rs: &[Record]) -> usize {
        let t = Instant::now();
        for _ in 0..PARSES {
            std::hint::black_box(cql2::parse_text(std::hint::black_box(FILTER)).unwrap());
        }
        report("cql2 parse_text", t, PARSES);
        let e = cql2::parse_text(FILTER).unwrap();
        let t = Instant::now();
        let docs: Vec<Value> = rs.iter().map(as_json).collect();
        report("building the JSON documents", t, rs.len() as u32);
        let t = Instant::now();
        let n = docs
            .iter()
            .filter(|d| e.clone().matches(Some(d)).unwrap())
            .count();
        report("cql2 Expr::matches (JSON documents)", t, rs.len() as u32);
        n
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(100_000);
    let rs = records(n);
    let _ = (as_json as fn(&Record) -> Value, &rs);
    #[cfg(feature = "ours")]
    println!("bussola-cql2 matched {}", ours::run(&rs));
    #[cfg(feature = "theirs")]
    println!("cql2 matched {}", theirs::run(&rs));
}
