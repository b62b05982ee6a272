//! Italian public holidays, read from `data/holidays.json` (embedded at build time): national
//! holidays as fixed dates or movable rules, each with the years it applies from and to and its
//! legal source (Legge 260/1949 as amended, the latest Legge 151/2025, which makes 4 October a
//! national holiday from 2026), and a partial list of comuni's patron days. A change of law is
//! an edit of that file, not of this code.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The holiday data shipped in the crate.
pub const DATA: &str = include_str!("../../../data/holidays.json");

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

/// A day of the year, `MM-DD` in the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let bad = || serde::de::Error::custom(format!("{s:?} is not a MM-DD date"));
        let (m, dd) = s.split_once('-').ok_or_else(bad)?;
        let (month, day) = (
            m.parse().map_err(|_| bad())?,
            dd.parse().map_err(|_| bad())?,
        );
        // 2024 is a leap year, so 02-29 is accepted.
        NaiveDate::from_ymd_opt(2024, month, day).ok_or_else(bad)?;
        Ok(MonthDay { month, day })
    }
}

impl MonthDay {
    fn is(&self, date: NaiveDate) -> bool {
        (date.month(), date.day()) == (self.month, self.day)
    }
}

/// A holiday whose date moves with Easter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Movable {
    EasterSunday,
    EasterMonday,
}

/// One national holiday: a fixed `date` or a movable `rule`, from year `from` to year `to`
/// (inclusive; `None` while in force).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Holiday {
    #[serde(default)]
    pub date: Option<MonthDay>,
    #[serde(default)]
    pub rule: Option<Movable>,
    /// Its name by language (`it`, `en`).
    pub name: BTreeMap<String, String>,
    pub from: i32,
    pub to: Option<i32>,
    /// The law that makes it a holiday.
    pub source: String,
}

impl Holiday {
    fn applies_in(&self, year: i32) -> bool {
        year >= self.from && self.to.is_none_or(|t| year <= t)
    }
    /// True when this holiday falls on `date`.
    pub fn falls_on(&self, date: NaiveDate) -> bool {
        if !self.applies_in(date.year()) {
            return false;
        }
        match (self.date, self.rule) {
            (Some(md), _) => md.is(date),
            (None, Some(Movable::EasterSunday)) => date == easter_sunday(date.year()),
            (None, Some(Movable::EasterMonday)) => {
                Some(date) == easter_sunday(date.year()).succ_opt()
            }
            (None, None) => false,
        }
    }
}

/// The day a comune's municipal offices close for its patron saint.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PatronDay {
    /// 6-digit ISTAT code of the comune.
    pub comune: String,
    pub comune_name: String,
    pub date: MonthDay,
    pub name: BTreeMap<String, String>,
    /// Where the date comes from.
    pub source: String,
}

/// The whole holiday data.
#[derive(Clone, Debug, Deserialize)]
pub struct Calendar {
    /// The first year the national list is complete for.
    pub covers_from: i32,
    pub national: Vec<Holiday>,
    /// Partial: only comuni whose patron day is known with a source.
    pub patron_days: Vec<PatronDay>,
}

impl Calendar {
    /// Parses holiday data, refusing a holiday with both or neither of `date` and `rule`.
    pub fn parse(text: &str) -> Result<Calendar, String> {
        let c: Calendar = serde_json::from_str(text).map_err(|e| e.to_string())?;
        for (i, h) in c.national.iter().enumerate() {
            if h.date.is_some() == h.rule.is_some() {
                return Err(format!(
                    "national[{i}]: give exactly one of `date` and `rule`"
                ));
            }
            if h.to.is_some_and(|t| t < h.from) {
                return Err(format!("national[{i}]: `to` is before `from`"));
            }
        }
        Ok(c)
    }
}

/// The shipped calendar (`data/holidays.json`), parsed once.
pub fn calendar() -> &'static Calendar {
    static CALENDAR: OnceLock<Calendar> = OnceLock::new();
    CALENDAR.get_or_init(|| {
        Calendar::parse(DATA).expect("data/holidays.json is valid (checked by the crate's tests)")
    })
}

/// The national holiday on `date`, if any (Sundays aside).
pub fn public_holiday(date: NaiveDate) -> Option<&'static Holiday> {
    calendar().national.iter().find(|h| h.falls_on(date))
}

/// True on a national public holiday (the dated ones and Easter; every Sunday is one too,
/// which weekly hours already say).
pub fn is_public_holiday(date: NaiveDate) -> bool {
    public_holiday(date).is_some()
}

/// The patron day of `comune` (ISTAT code) when it falls on `date`, if the data knows it.
pub fn patron_day_on(comune: &str, date: NaiveDate) -> Option<&'static PatronDay> {
    calendar()
        .patron_days
        .iter()
        .find(|p| p.comune == comune && p.date.is(date))
}

/// True when the public offices of `comune` close on `date`: a national holiday, or its patron
/// day (the national collective agreements for public employees, e.g. CCNL Funzioni centrali
/// and Funzioni locali, make the patron saint's day of the place of work a holiday). `None`
/// (a place in no known comune) counts the national holidays alone.
pub fn is_holiday_in(comune: Option<&str>, date: NaiveDate) -> bool {
    is_public_holiday(date) || comune.is_some_and(|c| patron_day_on(c, date).is_some())
}

/// The patron day of the comune with ISTAT code `comune` in `year`, if the data knows it.
pub fn patron_day(comune: &str, year: i32) -> Option<NaiveDate> {
    calendar()
        .patron_days
        .iter()
        .find(|p| p.comune == comune)
        .and_then(|p| NaiveDate::from_ymd_opt(year, p.date.month, p.date.day))
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

    #[test]
    fn the_shipped_data_parses_and_every_entry_has_a_source() {
        let c = Calendar::parse(DATA).unwrap();
        assert!(c.national.iter().all(|h| !h.source.trim().is_empty()));
        assert!(c.patron_days.iter().all(|p| !p.source.trim().is_empty()));
        assert!(c
            .patron_days
            .iter()
            .all(|p| p.comune.len() == 6 && p.comune.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn a_holiday_applies_only_between_its_years() {
        let text = r#"{"covers_from": 2000, "patron_days": [], "national": [
            {"date": "03-19", "name": {"it": "San Giuseppe"}, "from": 1949, "to": 1976, "source": "L. 260/1949"}]}"#;
        let c = Calendar::parse(text).unwrap();
        assert!(c.national[0].falls_on(d(1976, 3, 19)));
        assert!(!c.national[0].falls_on(d(1977, 3, 19)));
        assert!(!c.national[0].falls_on(d(1948, 3, 19)));
    }

    #[test]
    fn bad_data_is_refused_with_the_entry_named() {
        let both = r#"{"covers_from": 2000, "patron_days": [], "national": [
            {"date": "01-01", "rule": "easter-monday", "name": {}, "from": 1949, "to": null, "source": "x"}]}"#;
        assert!(Calendar::parse(both).unwrap_err().contains("national[0]"));
        let bad_date = r#"{"covers_from": 2000, "patron_days": [], "national": [
            {"date": "02-30", "name": {}, "from": 1949, "to": null, "source": "x"}]}"#;
        assert!(Calendar::parse(bad_date).unwrap_err().contains("02-30"));
    }

    #[test]
    fn venice_and_chioggia_have_their_patron_days() {
        assert_eq!(patron_day("027042", 2027), Some(d(2027, 4, 25)));
        assert_eq!(patron_day("027008", 2027), Some(d(2027, 6, 11)));
        assert_eq!(
            patron_day("027012", 2027),
            None,
            "Dolo is not in the partial list"
        );
    }

    #[test]
    fn a_comunes_offices_close_on_its_patron_day_only() {
        let june_11 = d(2026, 6, 11);
        assert!(is_holiday_in(Some("027008"), june_11), "Chioggia");
        assert_eq!(
            patron_day_on("027008", june_11).map(|p| p.name["it"].as_str()),
            Some("Santi Felice e Fortunato")
        );
        assert!(!is_holiday_in(Some("027042"), june_11), "Venezia");
        assert!(!is_holiday_in(None, june_11), "no comune");
        assert!(!is_holiday_in(Some("027008"), d(2026, 6, 12)));
        assert!(is_holiday_in(Some("027042"), d(2026, 12, 25)), "national");
    }
}
