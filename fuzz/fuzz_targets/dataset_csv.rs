//! The CSV dataset reader (`bussola import services FILE.csv`, `csv_form::read`): reading and
//! validating any text never panics.
#![no_main]

use bussola::index::Catalog;
use bussola::model::Taxonomy;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn taxonomy() -> &'static Taxonomy {
    static T: OnceLock<Taxonomy> = OnceLock::new();
    T.get_or_init(|| Taxonomy::builtin().expect("the built-in taxonomy"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = bussola::import::parse_csv(text) {
        let _ = bussola::import::validate(&d, taxonomy(), &Catalog::default());
    }
});
