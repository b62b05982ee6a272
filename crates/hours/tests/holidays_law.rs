//! The national public holidays against the law's own list, written out here, and Easter
//! against a published table — never against the table the code iterates.
//!
//! Legge 27 maggio 1949, n. 260, art. 2, as amended (Legge 5 marzo 1977, n. 54; D.P.R. 28
//! dicembre 1985, n. 792; Legge 20 novembre 2000, n. 336), and Legge 8 ottobre 2025, n. 151
//! (Gazzetta Ufficiale n. 236 of 10 October 2025, in force 1 January 2026), which inserts
//! "il 4 ottobre: festa nazionale di San Francesco d'Assisi, patrono d'Italia" into art. 2.
//! Every Sunday is a holiday too; the list below is the dated ones, plus Easter Sunday.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use bussola_hours::{easter_sunday, is_public_holiday};
use chrono::NaiveDate;

/// Easter Sunday, Gregorian, from the published tables (e.g. the Conferenza Episcopale
/// Italiana's liturgical calendars; the same dates as the US Naval Observatory's table).
const EASTER: [(i32, u32, u32); 7] = [
    (2024, 3, 31),
    (2025, 4, 20),
    (2026, 4, 5),
    (2027, 3, 28),
    (2028, 4, 16),
    (2029, 4, 1),
    (2030, 4, 21),
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The law's dated holidays of `year`, from the list in the module comment.
fn by_law(year: i32, easter: NaiveDate) -> Vec<NaiveDate> {
    let mut days = vec![
        d(year, 1, 1),              // Capodanno
        d(year, 1, 6),              // Epifania
        easter,                     // Pasqua
        easter.succ_opt().unwrap(), // Lunedì dell'Angelo
        d(year, 4, 25),             // Festa della Liberazione
        d(year, 5, 1),              // Festa del lavoro
        d(year, 6, 2),              // Festa della Repubblica
        d(year, 8, 15),             // Assunzione
        d(year, 11, 1),             // Ognissanti
        d(year, 12, 8),             // Immacolata Concezione
        d(year, 12, 25),            // Natale
        d(year, 12, 26),            // Santo Stefano
    ];
    if year >= 2026 {
        days.push(d(year, 10, 4)); // San Francesco d'Assisi, Legge 151/2025
    }
    days.sort();
    days
}

#[test]
fn easter_matches_the_published_table() {
    for (y, m, day) in EASTER {
        assert_eq!(easter_sunday(y), d(y, m, day), "Easter {y}");
    }
}

#[test]
fn every_day_of_2024_to_2030_is_a_holiday_exactly_when_the_law_says_so() {
    for (y, m, day) in EASTER {
        let want = by_law(y, d(y, m, day));
        let got: Vec<NaiveDate> = d(y, 1, 1)
            .iter_days()
            .take_while(|x| *x <= d(y, 12, 31))
            .filter(|x| is_public_holiday(*x))
            .collect();
        assert_eq!(got, want, "public holidays of {y}");
    }
}

#[test]
fn san_francesco_is_a_holiday_from_2026_only() {
    assert!(!is_public_holiday(d(2025, 10, 4)), "not yet in 2025");
    assert!(is_public_holiday(d(2026, 10, 4)));
    assert!(is_public_holiday(d(2027, 10, 4)), "a Monday in 2027");
    // Days people often take for holidays but the law does not list.
    for (m, day) in [(12, 24), (12, 31), (11, 2), (3, 19), (4, 24)] {
        assert!(!is_public_holiday(d(2026, m, day)), "2026-{m:02}-{day:02}");
    }
}
