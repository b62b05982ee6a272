//! Dates and instants as each UI language writes them in full, after CLDR 48 (what
//! `Intl.DateTimeFormat(lang, {dateStyle: "long"})` gives in the web app, and with
//! `timeStyle: "short"` on the 24-hour clock): the day, the month's name in the case the
//! language puts it in after a day (Ukrainian's genitive), the year, in the digits the pages use
//! for numbers (Bengali its own). Instants are shown on the Europe/Rome wall clock, the
//! directory's. The data's own `YYYY-MM-DD` dates and RFC 3339 instants are recognised; any
//! other text is left as it is.

use super::format;
use super::strings::Ui;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Rome;

const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
const MONTHS_UR: [&str; 12] = [
    "جنوری",
    "فروری",
    "مارچ",
    "اپریل",
    "مئی",
    "جون",
    "جولائی",
    "اگست",
    "ستمبر",
    "اکتوبر",
    "نومبر",
    "دسمبر",
];
const MONTHS_BN: [&str; 12] = [
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
];
/// Genitive: "24 листопада".
const MONTHS_UK: [&str; 12] = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
];

/// "24 novembre 2026", "November 24, 2026", "2026年11月24日".
pub fn date(ui: Ui, d: NaiveDate) -> String {
    let n = |x: u32| format::digits(ui, &x.to_string());
    let (day, year, m) = (
        n(d.day()),
        format::digits(ui, &d.year().to_string()),
        d.month0() as usize,
    );
    match ui.code() {
        "en" => format!("{} {day}, {year}", MONTHS_EN[m]),
        "fr" => format!("{day} {} {year}", MONTHS_FR[m]),
        "ar" => format!("{day} {} {year}", MONTHS_AR[m]),
        "ur" => format!("{day} {}، {year}", MONTHS_UR[m]),
        "bn" => format!("{day} {}, {year}", MONTHS_BN[m]),
        "uk" => format!("{day} {} {year} р.", MONTHS_UK[m]),
        "zh" => format!("{year}年{}月{day}日", n(d.month())),
        _ => format!("{day} {} {year}", MONTHS_IT[m]),
    }
}

/// The date and the time on Rome's wall clock: "24 novembre 2026 alle ore 10:05".
pub fn instant(ui: Ui, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Rome);
    let time = format::digits(ui, &format!("{:02}:{:02}", local.hour(), local.minute()));
    let at = match ui.code() {
        "en" => " at ",
        "fr" => " à ",
        "ar" => " في ",
        "ur" => " کو ",
        "bn" => " এ ",
        "uk" => " о ",
        "zh" => " ",
        _ => " alle ore ",
    };
    format!("{}{at}{time}", date(ui, local.date_naive()))
}

/// A `YYYY-MM-DD` date or an RFC 3339 instant in the page's language; None for other text.
pub fn written(ui: Ui, text: &str) -> Option<String> {
    let looks_dated = text.len() >= 10
        && text.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !looks_dated {
        return None;
    }
    if text.len() == 10 {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .map(|d| date(ui, d));
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| instant(ui, t.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are what Node 20 (ICU 78.2, CLDR 48) prints for
    /// `new Intl.DateTimeFormat(lang, {dateStyle: "long", timeZone: "UTC"})` and, for the
    /// instant, with `timeStyle: "short", hourCycle: "h23", timeZone: "Europe/Rome"`.
    fn case(lang: &str, day: &str, january: &str, instant: &str) {
        let ui = Ui::for_tag(lang);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(date(ui, d("2026-11-04")), day, "{lang}");
        assert!(date(ui, d("2026-01-04")).contains(january), "{lang}");
        assert_eq!(written(ui, "2026-11-04").as_deref(), Some(day), "{lang}");
        assert_eq!(
            written(ui, "2026-11-24T09:05:00Z").as_deref(),
            Some(instant),
            "{lang}: 09:05 UTC is 10:05 in Rome"
        );
    }

    #[test]
    fn italian() {
        case(
            "it",
            "4 novembre 2026",
            "gennaio",
            "24 novembre 2026 alle ore 10:05",
        );
    }

    #[test]
    fn english() {
        case(
            "en",
            "November 4, 2026",
            "January",
            "November 24, 2026 at 10:05",
        );
    }

    #[test]
    fn french() {
        case(
            "fr",
            "4 novembre 2026",
            "janvier",
            "24 novembre 2026 à 10:05",
        );
    }

    #[test]
    fn arabic() {
        case("ar", "4 نوفمبر 2026", "يناير", "24 نوفمبر 2026 في 10:05");
    }

    #[test]
    fn urdu() {
        case("ur", "4 نومبر، 2026", "جنوری", "24 نومبر، 2026 کو 10:05");
    }

    #[test]
    fn bengali() {
        case("bn", "৪ নভেম্বর, ২০২৬", "জানুয়ারি", "২৪ নভেম্বর, ২০২৬ এ ১০:০৫");
    }

    #[test]
    fn ukrainian() {
        case(
            "uk",
            "4 листопада 2026 р.",
            "січня",
            "24 листопада 2026 р. о 10:05",
        );
    }

    #[test]
    fn chinese() {
        case(
            "zh",
            "2026年11月4日",
            "2026年1月4日",
            "2026年11月24日 10:05",
        );
    }

    #[test]
    fn summer_time_and_other_text() {
        let it = Ui::for_tag("it");
        assert_eq!(
            written(it, "2026-07-01T22:30:00Z").as_deref(),
            Some("2 luglio 2026 alle ore 00:30"),
            "CEST is UTC+2, past midnight in Rome"
        );
        for other in [
            "Mo-Fr 09:00-12:30",
            "2026-13-01",
            "2026-11-04x",
            "20261104",
            "",
        ] {
            assert_eq!(written(it, other), None, "{other:?}");
        }
    }
}
