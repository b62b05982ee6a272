//! CQL2 evaluation on a fixed feature: never panics, and the work stays within a budget set
//! by the sizes of the filter and of the feature, whatever the filter says.
#![no_main]

use bussola_cql2::{evaluate_counting, parse, Feature, Geometry, Value};
use libfuzzer_sys::fuzz_target;

struct Desk;

const NAME: &str = "Sportello Unico Immigrazione – Prefettura di Venezia (Città metropolitana)";
const LANGS: [&str; 4] = ["it", "en", "ar", "ur"];

impl Feature for Desk {
    fn property(&self, name: &str) -> Value<'_> {
        match name {
            "name" => Value::Str(NAME.into()),
            "cost" => Value::Str("free".into()),
            "n" => Value::Number(42.0),
            "b" => Value::Bool(true),
            "updated" => Value::Str("2026-11-24T10:00:00Z".into()),
            "language" => Value::List(LANGS.iter().map(|l| Value::Str((*l).into())).collect()),
            _ => Value::Null,
        }
    }
    fn geometry(&self, name: &str) -> Option<Geometry> {
        (name == "geometry").then_some(Geometry::Point([12.2388, 45.4384]))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(e) = parse(text) else {
        return;
    };
    let mut steps = 0;
    let _ = evaluate_counting(&e, &Desk, &mut steps);
    // Each node may look at every list element of the longest text with the longest literal
    // (LIKE), or at every vertex pair (spatial): both bounded by the input's length.
    let longest = NAME.chars().count() as u64 + 1;
    let n = text.chars().count() as u64 + 1;
    let budget = e.size() as u64 * (LANGS.len() as u64 * longest * n + n);
    assert!(steps <= budget, "{text:?}: {steps} steps, budget {budget}");
});
