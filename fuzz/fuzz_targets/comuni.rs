//! The comuni boundary reader (`bussola import comuni FILE.geojson`): any text is read or
//! refused without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = bussola::import::ComuniOptions {
        population_field: Some("population".into()),
        ..Default::default()
    };
    let _ = bussola::import::parse_comuni(text, &opts);
});
