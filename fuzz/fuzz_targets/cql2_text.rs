//! CQL2 text: parsing never panics, and an accepted filter prints to a canonical text that
//! parses back to the same tree and prints the same again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(e) = bussola_cql2::parse(text) else {
        return;
    };
    let printed = e.to_text();
    let again = bussola_cql2::parse(&printed)
        .unwrap_or_else(|err| panic!("canonical text {printed:?} does not parse: {err}"));
    assert_eq!(again, e, "{text:?} printed as {printed:?}");
    assert_eq!(again.to_text(), printed, "printing is not stable");
});
