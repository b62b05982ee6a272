//! Pre-rendered sportelli are byte for byte what serialising the feature gives, for every
//! demo sportello, in every UI language and another, at many instants, with and without a
//! distance and a service filter — and on a second use, from the cache.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::api::render::{sportello, write_sportello};
use chrono::{TimeZone, Utc};

#[tokio::test]
async fn pre_rendered_sportelli_equal_serialised_ones() {
    let dir = tempfile::tempdir().unwrap();
    let config = support::test_config(dir.path());
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let catalog = directory.catalog();
    assert!(catalog.sportelli().len() > 60);
    // Monday morning, Tuesday at lunch, a Sunday, Christmas Day, a summer evening.
    let instants = [
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 25, 9, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2027, 7, 15, 17, 0, 0).unwrap(),
    ];
    let mut compared = 0;
    for pass in 0..2 {
        for s in catalog.sportelli() {
            for lang in [
                "it", "en", "fr", "ar", "ur", "bn", "uk", "zh", "de", "fr-CA",
            ] {
                for now in instants {
                    for distance in [None, Some(1234.5678)] {
                        let only_legal = |o: &bussola::index::Offer| {
                            o.service.categories.iter().any(|c| c == "legal-aid")
                        };
                        let expected = serde_json::to_vec(&sportello(
                            s,
                            &catalog,
                            lang,
                            now,
                            distance,
                            |_| true,
                        ))
                        .unwrap();
                        let mut got = Vec::new();
                        write_sportello(
                            &mut got,
                            s,
                            &catalog,
                            lang,
                            now,
                            distance,
                            "public",
                            |_| true,
                        );
                        assert_eq!(
                            String::from_utf8_lossy(&got),
                            String::from_utf8_lossy(&expected),
                            "{} in {lang} at {now}",
                            s.location.id
                        );
                        let expected = serde_json::to_vec(&sportello(
                            s, &catalog, lang, now, distance, only_legal,
                        ))
                        .unwrap();
                        let mut got = Vec::new();
                        write_sportello(
                            &mut got, s, &catalog, lang, now, distance, "public", only_legal,
                        );
                        assert_eq!(got, expected, "{} (legal aid only)", s.location.id);
                        compared += 2;
                    }
                }
            }
        }
        if pass == 0 {
            assert!(
                catalog.fragment_bytes() > 0,
                "the first pass filled the cache"
            );
        }
    }
    assert!(compared > 10_000);
}
