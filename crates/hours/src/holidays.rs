//! Italian national public holidays (Legge 27 maggio 1949, n. 260 and later amendments, the
//! latest Legge 8 ottobre 2025, n. 151, which makes 4 October a national holiday from 2026).

use chrono::{Datelike, NaiveDate};

/// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

/// Fixed-date national holidays, (month, day).
const FIXED: [(u32, u32); 10] = [
    (1, 1),
    (1, 6),
    (4, 25),
    (5, 1),
    (6, 2),
    (8, 15),
    (11, 1),
    (12, 8),
    (12, 25),
    (12, 26),
];

/// San Francesco d'Assisi, 4 October: a national holiday again from this year on (Legge
/// 151/2025, in force 1 January 2026).
const SAN_FRANCESCO: (u32, u32) = (10, 4);
const SAN_FRANCESCO_FROM: i32 = 2026;

/// True on a national public holiday: the fixed dates, 4 October from 2026, Easter Sunday
/// and Easter Monday.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let md = (date.month(), date.day());
    if FIXED.contains(&md) || (md == SAN_FRANCESCO && date.year() >= SAN_FRANCESCO_FROM) {
        return true;
    }
    let easter = easter_sunday(date.year());
    date == easter || Some(date) == easter.succ_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2038), d(2038, 4, 25));
        assert_eq!(easter_sunday(2285), d(2285, 3, 22));
    }
}
