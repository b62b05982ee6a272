//! The items query string, as `/api/collections/{id}/items` reads it: decoding into
//! parameters, then every parameter parser (and the CQL2 filter in either language).
//! Nothing panics; whatever is refused is refused with the name of a parameter.
#![no_main]

use bussola::api::params;
use bussola::model::Taxonomy;
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn taxonomy() -> &'static Taxonomy {
    static T: OnceLock<Taxonomy> = OnceLock::new();
    T.get_or_init(|| Taxonomy::builtin().expect("the built-in taxonomy"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(p) = params::from_query(query) else {
        return;
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let _ = params::format(&p, &["json", "geojson"]);
    let _ = params::near(&p);
    let _ = params::radius(&p);
    let _ = params::bbox(&p);
    let _ = params::limit(&p);
    let _ = params::offset(&p);
    let _ = params::datetime(&p);
    let _ = params::filter(&p, taxonomy(), now);
    if let Some(f) = p.get("filter") {
        match p.get("filter-lang").map(String::as_str) {
            Some("cql2-json") => drop(bussola_cql2::parse_json(f)),
            _ => drop(bussola_cql2::parse(f)),
        }
    }
});
