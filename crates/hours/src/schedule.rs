//! A schedule: periods (an undated one, seasonal ones that override it), closures and the
//! public-holiday policy, evaluated in Europe/Rome, nationally or in one comune (whose patron
//! day is then a holiday too).

use crate::holidays::is_holiday_in;
use crate::weekly::{HoursError, Interval, WeeklyHours};
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};
use chrono_tz::Europe::Rome;
use serde::{Deserialize, Serialize};

/// Weekly hours valid between two dates (inclusive); no dates means "the rest of the year".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    pub hours: WeeklyHours,
}

impl Period {
    fn is_dated(&self) -> bool {
        self.valid_from.is_some() || self.valid_to.is_some()
    }
    fn covers(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| date >= f) && self.valid_to.is_none_or(|t| date <= t)
    }
}

/// Whether a sportello opens on public holidays (national ones and its comune's patron day).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HolidayPolicy {
    #[default]
    Closed,
    Open,
}

/// A change of state: at `at`, the service opens (`opens`) or closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub at: DateTime<Utc>,
    pub opens: bool,
}

/// Opening hours with seasons, closures and holidays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    #[serde(default)]
    pub periods: Vec<Period>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_on: Vec<NaiveDate>,
    #[serde(default)]
    pub public_holidays: HolidayPolicy,
}

/// The years a schedule is evaluated in; outside them a service is closed and its state
/// never changes (chrono's calendar ends in year 262142, and nobody plans hours that far).
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// The instant in Rome's wall-clock time, if it lies within [`YEARS`].
fn rome(instant: DateTime<Utc>) -> Option<DateTime<chrono_tz::Tz>> {
    YEARS
        .contains(&instant.year())
        .then(|| instant.with_timezone(&Rome))
}

/// The instant a local wall-clock time in Rome names; in the spring-forward gap, the first
/// valid instant after it; in the autumn overlap, the earlier of the two.
fn rome_instant(date: NaiveDate, minute: u16) -> DateTime<Utc> {
    let (days, m) = (i64::from(minute / 1440), u32::from(minute % 1440));
    let naive = NaiveDateTime::new(
        date,
        NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN),
    ) + Duration::days(days);
    let mut probe = naive;
    for _ in 0..120 {
        if let Some(t) = Rome.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&Utc);
        }
        probe += Duration::minutes(1);
    }
    Utc.from_utc_datetime(&naive)
}

impl Schedule {
    /// Checks dates and that at most one period is undated.
    pub fn validate(&self) -> Result<(), HoursError> {
        let err = |message: String| HoursError {
            text: String::new(),
            position: 0,
            message,
        };
        if self.periods.iter().filter(|p| !p.is_dated()).count() > 1 {
            return Err(err("only one period may be without dates".into()));
        }
        for p in &self.periods {
            if let (Some(f), Some(t)) = (p.valid_from, p.valid_to) {
                if t < f {
                    return Err(err(format!("period {f}..{t} ends before it starts")));
                }
            }
        }
        Ok(())
    }

    /// The period in force on `date`: the latest-starting dated period covering it, else the
    /// undated one.
    fn period_on(&self, date: NaiveDate) -> Option<&Period> {
        self.periods
            .iter()
            .filter(|p| p.is_dated() && p.covers(date))
            .max_by_key(|p| p.valid_from.unwrap_or(NaiveDate::MIN))
            .or_else(|| self.periods.iter().find(|p| !p.is_dated()))
    }

    /// The schedule as kept in the comune with ISTAT code `comune`, whose patron day is a
    /// holiday there; the methods on [`Schedule`] itself know the national holidays only.
    pub fn in_comune<'a>(&'a self, comune: &'a str) -> InComune<'a> {
        InComune {
            schedule: self,
            comune: Some(comune),
        }
    }

    /// The schedule with the national holidays only (a place in no known comune).
    pub fn nationally(&self) -> InComune<'_> {
        InComune {
            schedule: self,
            comune: None,
        }
    }

    /// Local opening intervals on `date` (empty on closures and, unless open, national holidays).
    pub fn intervals_on(&self, date: NaiveDate) -> Vec<Interval> {
        self.nationally().intervals_on(date)
    }

    /// Open at this instant (Europe/Rome wall-clock time)? Outside [`YEARS`], never.
    pub fn is_open_at(&self, instant: DateTime<Utc>) -> bool {
        self.nationally().is_open_at(instant)
    }

    /// The next opening or closing after `instant`, looking `horizon_days` ahead.
    pub fn next_change(&self, instant: DateTime<Utc>, horizon_days: u32) -> Option<Change> {
        self.nationally().next_change(instant, horizon_days)
    }

    /// The seven days from `monday` with their local intervals, for display.
    pub fn week(&self, monday: NaiveDate) -> [(NaiveDate, Vec<Interval>); 7] {
        self.nationally().week(monday)
    }

    /// True when no period has any opening at all.
    pub fn is_always_closed(&self) -> bool {
        self.periods.iter().all(|p| p.hours.is_empty())
    }
}

/// A schedule evaluated where its sportello is: national holidays and, for a comune, its patron
/// day ([`Schedule::in_comune`]).
#[derive(Clone, Copy, Debug)]
pub struct InComune<'a> {
    schedule: &'a Schedule,
    comune: Option<&'a str>,
}

impl<'a> InComune<'a> {
    /// Local opening intervals on `date` (empty on closures and, unless open, holidays).
    pub fn intervals_on(&self, date: NaiveDate) -> Vec<Interval> {
        self.day(date).to_vec()
    }

    /// The intervals of `date`, borrowed (sorted and merged, as the weekly hours keep them).
    fn day(&self, date: NaiveDate) -> &'a [Interval] {
        let s = self.schedule;
        if s.closed_on.contains(&date)
            || (s.public_holidays == HolidayPolicy::Closed && is_holiday_in(self.comune, date))
        {
            return &[];
        }
        s.period_on(date)
            .map(|p| p.hours.day(date.weekday()))
            .unwrap_or_default()
    }

    /// Open at this instant (Europe/Rome wall-clock time)? Outside [`YEARS`], never.
    pub fn is_open_at(&self, instant: DateTime<Utc>) -> bool {
        let Some(local) = rome(instant) else {
            return false;
        };
        let minute = (local.hour() * 60 + local.minute()) as u16;
        self.day(local.date_naive())
            .iter()
            .any(|iv| iv.contains(minute))
    }

    /// The next opening or closing after `instant`, looking `horizon_days` ahead.
    pub fn next_change(&self, instant: DateTime<Utc>, horizon_days: u32) -> Option<Change> {
        let open = self.is_open_at(instant);
        let local = rome(instant)?;
        let today = local.date_naive();
        let minute_now = (local.hour() * 60 + local.minute()) as u16;
        for offset in 0..=i64::from(horizon_days) {
            let Some(date) = today
                .checked_add_signed(Duration::days(offset))
                .filter(|d| YEARS.contains(&d.year()))
            else {
                break;
            };
            // Sorted and disjoint intervals: their bounds come in order.
            let bounds = self.day(date).iter().flat_map(|iv| [iv.start, iv.end]);
            for b in bounds {
                // Earlier wall-clock times today are earlier instants: skip them unconverted.
                if offset == 0 && b < minute_now {
                    continue;
                }
                let at = rome_instant(date, b);
                if at <= instant {
                    continue;
                }
                let after = self.is_open_at(at);
                if after != open {
                    return Some(Change { at, opens: after });
                }
            }
        }
        None
    }

    /// The seven days from `monday` with their local intervals, for display.
    pub fn week(&self, monday: NaiveDate) -> [(NaiveDate, Vec<Interval>); 7] {
        std::array::from_fn(
            |i| match monday.checked_add_signed(Duration::days(i as i64)) {
                Some(d) if YEARS.contains(&d.year()) => (d, self.intervals_on(d)),
                // Past the end of the calendar: a closed day, dated the last day there is.
                Some(d) => (d, Vec::new()),
                None => (NaiveDate::MAX, Vec::new()),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sched(json: &str) -> Schedule {
        serde_json::from_str(json).unwrap()
    }
    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }
    fn rome(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Rome.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn instants_at_the_ends_of_the_calendar_do_not_panic() {
        // Found by the `hours` fuzz target: with_timezone(Rome) panicked near chrono's last
        // instant, and the day loops overflowed.
        let s = sched(BASIC);
        for at in [
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::MAX_UTC - Duration::days(2),
            DateTime::<Utc>::MIN_UTC,
            utc(9999, 12, 31, 23, 0),
        ] {
            assert!(!s.is_open_at(at) || at.year() == 9999);
            if let Some(c) = s.next_change(at, 14) {
                assert!(c.at > at);
            }
        }
        let last = s.week(NaiveDate::MAX - Duration::days(3));
        assert!(last.iter().all(|(_, v)| v.is_empty()));
        assert_eq!(s.next_change(utc(9999, 12, 31, 12, 0), u32::MAX), None);
        assert!(s.next_change(utc(2026, 11, 24, 8, 0), 14).is_some());
    }

    const BASIC: &str = r#"{"periods": [{"valid_from": null, "valid_to": null, "hours": "Mo-Fr 09:00-12:30; Tu,Th 14:30-17:00"}],
        "closed_on": ["2026-12-24"], "public_holidays": "closed"}"#;

    #[test]
    fn open_and_closed_in_rome_time() {
        let s = sched(BASIC);
        assert!(s.is_open_at(rome(2026, 11, 24, 9, 0)), "Tuesday 09:00");
        assert!(
            !s.is_open_at(rome(2026, 11, 24, 12, 30)),
            "closing minute is closed"
        );
        assert!(s.is_open_at(rome(2026, 11, 24, 16, 59)));
        assert!(
            !s.is_open_at(rome(2026, 11, 25, 15, 0)),
            "Wednesday afternoon"
        );
        assert!(!s.is_open_at(rome(2026, 11, 28, 10, 0)), "Saturday");
        assert!(!s.is_open_at(rome(2026, 12, 24, 10, 0)), "closed_on");
        assert!(!s.is_open_at(rome(2026, 12, 8, 10, 0)), "Immacolata");
        assert!(!s.is_open_at(rome(2026, 4, 6, 10, 0)), "Easter Monday");
        // 08:30 UTC on a winter Tuesday is 09:30 in Rome.
        assert!(s.is_open_at(utc(2026, 11, 24, 8, 30)));
    }

    #[test]
    fn a_patron_day_closes_only_its_comune() {
        let s = sched(BASIC);
        // Thursday 11 June 2026: Santi Felice e Fortunato, patron saints of Chioggia.
        let chioggia = s.in_comune("027008");
        assert!(!chioggia.is_open_at(rome(2026, 6, 11, 10, 0)));
        assert_eq!(
            chioggia.next_change(rome(2026, 6, 10, 13, 0), 14),
            Some(Change {
                at: rome(2026, 6, 12, 9, 0),
                opens: true
            }),
            "from Wednesday afternoon to Friday morning"
        );
        assert!(
            chioggia.week(NaiveDate::from_ymd_opt(2026, 6, 8).unwrap())[3]
                .1
                .is_empty()
        );
        assert!(s.in_comune("027042").is_open_at(rome(2026, 6, 11, 10, 0)));
        assert!(s.is_open_at(rome(2026, 6, 11, 10, 0)), "nationally");
        let open =
            sched(r#"{"periods": [{"hours": "Mo-Su 09:00-12:00"}], "public_holidays": "open"}"#);
        assert!(open
            .in_comune("027008")
            .is_open_at(rome(2026, 6, 11, 10, 0)));
    }

    #[test]
    fn seasonal_periods_override() {
        let s = sched(
            r#"{"periods": [
                {"hours": "Mo-Fr 09:00-17:00"},
                {"valid_from": "2026-06-15", "valid_to": "2026-09-11", "hours": "Mo-Fr 09:00-12:00"},
                {"valid_from": "2026-08-10", "valid_to": "2026-08-21", "hours": ""}]}"#,
        );
        assert!(s.is_open_at(rome(2026, 6, 12, 15, 0)));
        assert!(!s.is_open_at(rome(2026, 6, 15, 15, 0)));
        assert!(s.is_open_at(rome(2026, 6, 15, 11, 0)));
        assert!(
            !s.is_open_at(rome(2026, 8, 11, 10, 0)),
            "the later-starting period wins"
        );
        assert!(s.is_open_at(rome(2026, 9, 14, 15, 0)));
    }

    #[test]
    fn holidays_open_when_the_policy_says_so() {
        let s =
            sched(r#"{"periods": [{"hours": "Mo-Su 00:00-24:00"}], "public_holidays": "open"}"#);
        assert!(s.is_open_at(rome(2026, 12, 25, 3, 0)));
        assert_eq!(
            s.next_change(rome(2026, 12, 25, 3, 0), 14),
            None,
            "always open never changes"
        );
    }

    #[test]
    fn dst_days() {
        let s = sched(r#"{"periods": [{"hours": "Su 01:00-04:00,09:00-10:00"}]}"#);
        // 29 March 2026: clocks jump 02:00 → 03:00; 25 October 2026: 03:00 → 02:00.
        assert!(s.is_open_at(rome(2026, 3, 29, 9, 30)));
        assert!(
            s.is_open_at(utc(2026, 3, 29, 7, 30)),
            "09:30 CEST is 07:30 UTC"
        );
        assert!(!s.is_open_at(utc(2026, 3, 29, 8, 30)));
        assert!(
            s.is_open_at(utc(2026, 10, 25, 8, 30)),
            "09:30 CET is 08:30 UTC"
        );
        // Closing at 04:00 local on the autumn night: 03:00 UTC.
        let c = s.next_change(utc(2026, 10, 25, 2, 30), 1).unwrap();
        assert_eq!(
            c,
            Change {
                at: utc(2026, 10, 25, 3, 0),
                opens: false
            }
        );
    }

    #[test]
    fn next_change_skips_weekends_holidays_and_midnight_joins() {
        let s = sched(BASIC);
        // Friday 4 December 17:00 → next opening Monday 7 December 09:00 (8 Dec is a holiday, 7th is not).
        let c = s.next_change(rome(2026, 12, 4, 17, 0), 14).unwrap();
        assert_eq!(
            c,
            Change {
                at: rome(2026, 12, 7, 9, 0),
                opens: true
            }
        );
        // Monday 7 December 12:00 → closes 12:30.
        assert_eq!(
            s.next_change(rome(2026, 12, 7, 12, 0), 14).unwrap(),
            Change {
                at: rome(2026, 12, 7, 12, 30),
                opens: false
            }
        );
        // Then the 8th is a holiday: next opening is Wednesday 9th 09:00.
        assert_eq!(
            s.next_change(rome(2026, 12, 7, 13, 0), 14).unwrap(),
            Change {
                at: rome(2026, 12, 9, 9, 0),
                opens: true
            }
        );
        let night = sched(r#"{"periods": [{"hours": "Mo 20:00-24:00; Tu 00:00-02:00"}]}"#);
        let c = night.next_change(rome(2026, 11, 23, 21, 0), 3).unwrap();
        assert_eq!(
            c,
            Change {
                at: rome(2026, 11, 24, 2, 0),
                opens: false
            },
            "24:00 joins 00:00"
        );
    }

    #[test]
    fn validation_and_serde() {
        assert!(sched(
            r#"{"periods": [{"hours": "Mo 09:00-10:00"}, {"hours": "Tu 09:00-10:00"}]}"#
        )
        .validate()
        .is_err());
        assert!(sched(
            r#"{"periods": [{"valid_from": "2026-02-01", "valid_to": "2026-01-01", "hours": ""}]}"#
        )
        .validate()
        .is_err());
        let s = sched(BASIC);
        assert!(s.validate().is_ok());
        let back: Schedule = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let bad =
            serde_json::from_str::<Schedule>(r#"{"periods": [{"hours": "Mo 9-12"}]}"#).unwrap_err();
        assert!(
            bad.to_string().contains("expected HH:MM at position 3"),
            "{bad}"
        );
        assert!(Schedule::default().is_always_closed());
    }
}
