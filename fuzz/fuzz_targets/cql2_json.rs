//! CQL2 JSON: parsing never panics, and an accepted filter prints as CQL2 text that parses
//! to the same tree (the two encodings cover the same subset).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(e) = bussola_cql2::parse_json(text) else {
        return;
    };
    let printed = e.to_text();
    let again = bussola_cql2::parse(&printed).unwrap_or_else(|err| {
        panic!("{text:?} printed as {printed:?}, which does not parse: {err}")
    });
    assert_eq!(again, e, "{text:?} printed as {printed:?}");
});
