//! Temporary information with dates, on a sportello or on one service there: a closure,
//! replacement hours, a message, or how full a service is ("the Italian course is full until
//! September"). Each notice holds from its first day to its last (`until`, inclusive, open
//! when absent) on the Rome calendar, and is switched on and off by the date alone, so a
//! phone offline for weeks still decides right.
//!
//! A closure, replacement hours or a change in places is also *announced* from
//! [`UPCOMING_DAYS`] days before its first day ("Closed 10–24 August"), so nobody finds the
//! door shut for want of a warning; a message is shown only while in force. The web app
//! decides the same by its own today (`web/src/freshness.ts`), and both pass the shared
//! cases of `tests/fixtures/hours.json` (`notice_days`).
//!
//! Closures and replacement hours change when a service is open: [`effective_schedule`]
//! compiles them into the [`Schedule`] the hours crate and the web app already evaluate
//! (closed days; dated periods that override), so both keep one logic.

use super::I18nText;
use bussola_hours::{Period, Schedule, WeeklyHours};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How many places a service has left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Places {
    Available,
    WaitingList,
    /// Full (until the notice's `until`, when given).
    Full,
}

/// What a notice says, with the parts its kind needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeKind {
    /// Temporarily closed.
    Closed,
    /// Opening hours that replace the usual ones on these dates.
    Hours { hours: WeeklyHours },
    /// Just the message.
    Message,
    /// Places available, a waiting list, or full.
    Saturation { places: Places },
}

impl NoticeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            NoticeKind::Closed => "closed",
            NoticeKind::Hours { .. } => "hours",
            NoticeKind::Message => "message",
            NoticeKind::Saturation { .. } => "saturation",
        }
    }
}

/// One dated notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub from: NaiveDate,
    /// The last day it holds (inclusive); none: until further notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub message: I18nText,
    #[serde(flatten)]
    pub kind: NoticeKind,
}

impl Notice {
    /// Over on `today` (its last day has passed): dropped wherever it would be shown.
    pub fn is_over(&self, today: NaiveDate) -> bool {
        self.until.is_some_and(|u| u < today)
    }

    /// In force on `today`.
    pub fn is_active(&self, today: NaiveDate) -> bool {
        self.from <= today && !self.is_over(today)
    }

    /// Announced on `today`: a closure, replacement hours or places that begin within the
    /// next [`UPCOMING_DAYS`] days (a message waits until it is in force).
    pub fn is_upcoming(&self, today: NaiveDate) -> bool {
        !matches!(self.kind, NoticeKind::Message)
            && self.from > today
            && (self.from - today).num_days() <= UPCOMING_DAYS
            && self.until.is_none_or(|u| u >= self.from)
    }

    /// What is wrong with this notice, as `(field, reason)`; `field` is relative to the
    /// notice (`until`, `message/it`, `hours`).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(u) = self.until {
            if u < self.from {
                out.push(("until", format!("{u} is before from ({})", self.from)));
            }
        }
        let italian = self
            .message
            .0
            .get("it")
            .is_some_and(|v| !v.trim().is_empty());
        if matches!(self.kind, NoticeKind::Message) && self.message.is_empty() {
            out.push(("message", "a message notice needs its message".into()));
        } else if !self.message.is_empty() && !italian {
            out.push(("message/it", "an Italian (\"it\") value is required".into()));
        }
        if let NoticeKind::Hours { hours } = &self.kind {
            if hours.is_empty() {
                out.push((
                    "hours",
                    "replacement hours need at least one opening (a closure is kind \"closed\")"
                        .into(),
                ));
            }
        }
        out
    }
}

/// How many days before its first day a closure, replacement hours or places are announced.
pub const UPCOMING_DAYS: i64 = 14;

/// The date on the Rome calendar at `instant`: the day notices are switched by.
pub fn rome_date(instant: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    use chrono::Datelike;
    // chrono cannot move its last instants to Rome time; nobody plans notices there.
    if !bussola_hours::YEARS.contains(&instant.year()) {
        return instant.date_naive();
    }
    instant.with_timezone(&chrono_tz::Europe::Rome).date_naive()
}

/// Closures up to this many days are compiled to closed days (named as closures in the week
/// views); longer or open-ended ones to an empty dated period.
const CLOSED_DAYS_AT_MOST: i64 = 400;

/// `base` with the closures and replacement hours of `notices` compiled in: a closure with an
/// end closes each of its days (`closed_on`); replacement hours (and an open-ended closure)
/// become dated periods, placed after the usual ones and cut where a usual period starts, so
/// that under the evaluators' rule (the latest-starting dated period wins, the last on a
/// tie) the notice wins on each of its days. Later notices win over earlier ones.
pub fn effective_schedule<'a>(
    base: &Schedule,
    notices: impl IntoIterator<Item = &'a Notice>,
) -> Schedule {
    let mut s = base.clone();
    let starts: Vec<NaiveDate> = base.periods.iter().filter_map(|p| p.valid_from).collect();
    for n in notices {
        match &n.kind {
            NoticeKind::Closed => match n.until {
                Some(u) if u >= n.from && (u - n.from).num_days() < CLOSED_DAYS_AT_MOST => {
                    s.closed_on
                        .extend(n.from.iter_days().take_while(|d| *d <= u));
                }
                Some(u) if u < n.from => {}
                until => push_override(&mut s, &starts, n.from, until, WeeklyHours::default()),
            },
            NoticeKind::Hours { hours } => {
                if n.until.is_none_or(|u| u >= n.from) {
                    push_override(&mut s, &starts, n.from, n.until, hours.clone());
                }
            }
            NoticeKind::Message | NoticeKind::Saturation { .. } => {}
        }
    }
    s.closed_on.sort();
    s.closed_on.dedup();
    s
}

/// Appends `hours` from `from` to `until` as dated periods, split at each usual period's start
/// inside the range, so each piece starts no earlier than any usual period covering its days.
fn push_override(
    s: &mut Schedule,
    starts: &[NaiveDate],
    from: NaiveDate,
    until: Option<NaiveDate>,
    hours: WeeklyHours,
) {
    let mut cuts: Vec<NaiveDate> = starts
        .iter()
        .copied()
        .filter(|c| *c > from && until.is_none_or(|u| *c <= u))
        .collect();
    cuts.sort();
    cuts.dedup();
    let mut start = from;
    for c in cuts {
        s.periods.push(Period {
            valid_from: Some(start),
            valid_to: c.pred_opt(),
            hours: hours.clone(),
        });
        start = c;
    }
    s.periods.push(Period {
        valid_from: Some(start),
        valid_to: until,
        hours,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use chrono_tz::Europe::Rome;

    fn notice(json: &str) -> Notice {
        serde_json::from_str(json).expect("notice")
    }
    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }
    fn rome(y: i32, mo: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
        Rome.with_ymd_and_hms(y, mo, d, h, 0, 0)
            .single()
            .expect("time")
            .with_timezone(&Utc)
    }
    fn schedule(json: &str) -> Schedule {
        serde_json::from_str(json).expect("schedule")
    }

    #[test]
    fn notices_read_and_write_their_kinds() {
        let n = notice(
            r#"{"kind": "saturation", "places": "full", "from": "2026-06-01", "until": "2026-09-14",
                "message": {"it": "Corso pieno"}}"#,
        );
        assert_eq!(
            n.kind,
            NoticeKind::Saturation {
                places: Places::Full
            }
        );
        let back: Notice =
            serde_json::from_str(&serde_json::to_string(&n).expect("json")).expect("round trip");
        assert_eq!(back, n);
        let h = notice(r#"{"kind": "hours", "hours": "Mo-Fr 09:00-12:00", "from": "2026-08-01"}"#);
        assert!(matches!(h.kind, NoticeKind::Hours { .. }));
        assert!(
            serde_json::from_str::<Notice>(r#"{"kind": "saturation", "from": "2026-06-01"}"#)
                .is_err()
        );
        assert!(
            serde_json::from_str::<Notice>(r#"{"kind": "party", "from": "2026-06-01"}"#).is_err()
        );
        assert!(serde_json::from_str::<Notice>(
            r#"{"kind": "hours", "hours": "Mo 9-12", "from": "2026-06-01"}"#
        )
        .is_err());
    }

    #[test]
    fn a_notice_holds_from_its_first_to_its_last_day() {
        let n = notice(r#"{"kind": "closed", "from": "2026-08-10", "until": "2026-08-21"}"#);
        assert!(!n.is_active(date("2026-08-09")));
        assert!(n.is_active(date("2026-08-10")));
        assert!(n.is_active(date("2026-08-21")));
        assert!(!n.is_active(date("2026-08-22")));
        assert!(n.is_over(date("2026-08-22")));
        assert!(!n.is_over(date("2026-08-09")), "not begun is not over");
        let open = notice(r#"{"kind": "closed", "from": "2026-08-10"}"#);
        assert!(open.is_active(date("2030-01-01")));
    }

    #[test]
    fn problems_name_their_fields() {
        let fields = |json: &str| -> Vec<&'static str> {
            notice(json)
                .problems()
                .into_iter()
                .map(|(f, _)| f)
                .collect()
        };
        assert_eq!(
            fields(r#"{"kind": "closed", "from": "2026-08-10", "until": "2026-08-01"}"#),
            ["until"]
        );
        assert_eq!(
            fields(r#"{"kind": "message", "from": "2026-08-10"}"#),
            ["message"]
        );
        assert_eq!(
            fields(r#"{"kind": "message", "from": "2026-08-10", "message": {"en": "Moved"}}"#),
            ["message/it"]
        );
        assert_eq!(
            fields(r#"{"kind": "hours", "hours": "", "from": "2026-08-10"}"#),
            ["hours"]
        );
        assert!(fields(
            r#"{"kind": "saturation", "places": "waiting_list", "from": "2026-08-10", "message": {"it": "Lista d'attesa"}}"#
        )
        .is_empty());
    }

    const OFFICE: &str = r#"{"periods": [
        {"hours": "Mo-Fr 09:00-17:00"},
        {"valid_from": "2026-07-01", "valid_to": "2026-08-31", "hours": "Mo-Fr 09:00-12:00"}]}"#;

    #[test]
    fn a_closure_closes_its_days_and_no_other() {
        let n = notice(r#"{"kind": "closed", "from": "2026-11-24", "until": "2026-11-25"}"#);
        let s = effective_schedule(&schedule(OFFICE), [&n]);
        assert!(schedule(OFFICE).is_open_at(rome(2026, 11, 24, 10)));
        assert!(!s.is_open_at(rome(2026, 11, 24, 10)));
        assert!(!s.is_open_at(rome(2026, 11, 25, 10)));
        assert!(s.is_open_at(rome(2026, 11, 26, 10)));
        let next = s.next_change(rome(2026, 11, 23, 18), 14).expect("change");
        assert_eq!(next.at, rome(2026, 11, 26, 9), "reopens the day after");
        let open_ended = notice(r#"{"kind": "closed", "from": "2026-11-24"}"#);
        let s = effective_schedule(&schedule(OFFICE), [&open_ended]);
        assert!(!s.is_open_at(rome(2026, 11, 30, 10)));
        assert!(
            !s.is_open_at(rome(2027, 7, 5, 10)),
            "a later season does not reopen it"
        );
        assert!(s.is_open_at(rome(2026, 11, 23, 10)));
    }

    #[test]
    fn replacement_hours_win_over_a_season_that_starts_within_them() {
        let n = notice(
            r#"{"kind": "hours", "hours": "Mo-Fr 14:00-16:00", "from": "2026-06-15", "until": "2026-07-15"}"#,
        );
        let s = effective_schedule(&schedule(OFFICE), [&n]);
        assert!(
            !s.is_open_at(rome(2026, 6, 16, 10)),
            "June: the notice's hours"
        );
        assert!(s.is_open_at(rome(2026, 6, 16, 15)));
        assert!(
            s.is_open_at(rome(2026, 7, 7, 15)),
            "July, inside the summer season"
        );
        assert!(!s.is_open_at(rome(2026, 7, 7, 10)));
        assert!(
            s.is_open_at(rome(2026, 7, 16, 10)),
            "after it: the summer season"
        );
        assert!(!s.is_open_at(rome(2026, 7, 16, 15)));
        assert!(
            s.is_open_at(rome(2026, 6, 12, 15)),
            "before it: the usual hours"
        );
        // A closure inside replacement hours still closes.
        let c = notice(r#"{"kind": "closed", "from": "2026-06-22", "until": "2026-06-22"}"#);
        let s = effective_schedule(&schedule(OFFICE), [&n, &c]);
        assert!(!s.is_open_at(rome(2026, 6, 22, 15)));
        assert!(s.validate().is_ok());
    }

    /// The shared hours fixtures' notice schedules (`tests/fixtures/hours.json`, whose cases
    /// the hours crate and the web app both pass) are what compiling their notices gives.
    #[test]
    fn the_shared_fixtures_notice_schedules_are_compiled_from_their_notices() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/hours.json");
        let text = std::fs::read_to_string(path).expect("fixtures");
        let f: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let compiled = f["notices"].as_object().expect("notices");
        let mut checked = 0;
        for (name, spec) in compiled.iter().filter(|(k, _)| *k != "about") {
            let base: Schedule = serde_json::from_value(
                f["schedules"][spec["base"].as_str().expect("base")].clone(),
            )
            .expect("base schedule");
            let notices: Vec<Notice> =
                serde_json::from_value(spec["notices"].clone()).expect("notices");
            let want: Schedule =
                serde_json::from_value(f["schedules"][name].clone()).expect("schedule");
            assert_eq!(effective_schedule(&base, &notices), want, "{name}");
            checked += 1;
        }
        assert!(checked >= 2, "a closure and replacement hours");
    }

    /// The shared cases of which notices are in force, announced or not shown on a day
    /// (`tests/fixtures/hours.json`, `notice_days`, which the web app passes too).
    #[test]
    fn the_shared_notice_days_are_decided_alike() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/hours.json");
        let text = std::fs::read_to_string(path).expect("fixtures");
        let f: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let days = &f["notice_days"];
        assert_eq!(days["upcoming_days"], UPCOMING_DAYS, "the same constant");
        let cases = days["cases"].as_array().expect("cases");
        for c in cases {
            let n: Notice = serde_json::from_value(c["notice"].clone()).expect("notice");
            let on = date(c["on"].as_str().expect("on"));
            let got = if n.is_active(on) {
                "in_force"
            } else if n.is_upcoming(on) {
                "upcoming"
            } else {
                "none"
            };
            assert_eq!(got, c["shown"], "{}", c["why"]);
        }
        assert!(cases.len() >= 8, "{}", cases.len());
    }

    #[test]
    fn messages_and_saturation_leave_the_hours_alone() {
        let m = notice(
            r#"{"kind": "message", "from": "2026-06-15", "message": {"it": "Nuovo ingresso"}}"#,
        );
        let f = notice(r#"{"kind": "saturation", "places": "full", "from": "2026-06-15"}"#);
        assert_eq!(
            effective_schedule(&schedule(OFFICE), [&m, &f]),
            schedule(OFFICE)
        );
    }
}
