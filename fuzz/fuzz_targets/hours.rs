//! Opening hours: the weekly syntax parses without panicking and its canonical text parses
//! back to the same hours; a schedule (JSON) validates and evaluates at any instant chrono
//! can represent without panicking. Input: 8 bytes of instant (seconds since 1970, any i64),
//! then either weekly hours text or, if it starts with `{`, a schedule document.
#![no_main]

use bussola_hours::{Schedule, WeeklyHours};
use chrono::{DateTime, Datelike, Duration, Utc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (secs, rest) = match data.split_first_chunk::<8>() {
        Some((head, rest)) => (i64::from_le_bytes(*head), rest),
        None => (1_764_000_000, data),
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let schedule: Schedule = if text.trim_start().starts_with('{') {
        match serde_json::from_str::<Schedule>(text) {
            Ok(s) if s.validate().is_ok() => s,
            _ => return,
        }
    } else {
        let Ok(w) = text.parse::<WeeklyHours>() else {
            return;
        };
        let printed = w.to_string();
        let again: WeeklyHours = printed.parse().unwrap_or_else(|e| {
            panic!("{text:?} printed as {printed:?}, which does not parse: {e}")
        });
        assert_eq!(again, w, "{text:?} printed as {printed:?}");
        serde_json::from_value(serde_json::json!({"periods": [{"hours": printed}]}))
            .expect("a schedule of valid hours")
    };
    // Out-of-range seconds saturate, so the ends of the calendar are tried often.
    let at = DateTime::from_timestamp(secs, 0).unwrap_or(if secs < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    });
    let open = schedule.is_open_at(at);
    if let Some(change) = schedule.next_change(at, 14) {
        assert!(change.at > at, "the next change is after the instant");
        assert_ne!(change.opens, open, "a change changes the state");
    }
    let date = at.date_naive();
    if let Some(monday) = date.checked_sub_signed(Duration::days(i64::from(
        date.weekday().num_days_from_monday(),
    ))) {
        let _ = schedule.week(monday);
    }
    let _ = schedule.is_always_closed();
});
