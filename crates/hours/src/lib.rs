//! Opening hours of a service at a sportello: a weekly pattern in a subset of the
//! OpenStreetMap `opening_hours` syntax (`Mo-Fr 09:00-12:30; Tu,Th 14:30-17:00`), seasonal
//! periods that override it, one-off closures, and Italian public holidays — national ones
//! everywhere, and a comune's patron day in that comune ([`Schedule::in_comune`]) — all
//! evaluated in Europe/Rome local time.
//!
//! ```
//! use bussola_hours::Schedule;
//! use chrono::{TimeZone, Utc};
//! let s: Schedule = serde_json::from_str(
//!     r#"{"periods": [{"valid_from": null, "valid_to": null, "hours": "Mo-Fr 09:00-12:30"}]}"#,
//! ).unwrap();
//! // Tuesday 24 November 2026, 10:00 in Rome is 09:00 UTC.
//! assert!(s.is_open_at(Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()));
//! // Christmas Day is a public holiday.
//! assert!(!s.is_open_at(Utc.with_ymd_and_hms(2026, 12, 25, 9, 0, 0).unwrap()));
//! // Thursday 11 June 2026 is the patron day of Chioggia (ISTAT 027008), not of Venezia.
//! let june_11 = Utc.with_ymd_and_hms(2026, 6, 11, 8, 0, 0).unwrap();
//! assert!(!s.in_comune("027008").is_open_at(june_11));
//! assert!(s.in_comune("027042").is_open_at(june_11));
//! ```

mod holidays;
mod schedule;
mod weekly;

pub use holidays::{
    calendar, easter_sunday, is_holiday_in, is_public_holiday, patron_day, patron_day_on,
    public_holiday, Calendar, Holiday, MonthDay, Movable, PatronDay,
};
pub use schedule::{Change, HolidayPolicy, InComune, Period, Schedule, YEARS};
pub use weekly::{HoursError, Interval, WeeklyHours};
