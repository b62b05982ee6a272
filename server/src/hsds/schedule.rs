//! HSDS schedules → Bussola opening hours: weekly rules (`freq=WEEKLY`, `byday`, `opens_at`,
//! `closes_at`, HSDS 1.x's `weekday`) grouped into periods by their `valid_from`/`valid_to`.
//! A period whose rows all carry the same weekly text in `description` (as Bussola's export
//! writes) is read from that text, so closed weeks survive; the notes Bussola writes (closures
//! on dates, the public-holiday policy) are read back too.

use super::to::weekday_of;
use bussola_hours::{HolidayPolicy, Period, Schedule, WeeklyHours};
use chrono::{NaiveDate, Weekday};
use serde_json::Value;
use std::collections::BTreeMap;

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

/// Minutes since midnight of `09:00`, `9:00am`, `9am`, `17:30:00`, `12:00 PM`.
pub fn minutes(t: &str) -> Option<u16> {
    let t = t.trim().to_ascii_lowercase().replace(' ', "");
    let (body, pm) = if let Some(b) = t.strip_suffix("pm") {
        (b.to_owned(), Some(true))
    } else if let Some(b) = t.strip_suffix("am") {
        (b.to_owned(), Some(false))
    } else {
        (t, None)
    };
    let mut parts = body.split(':');
    let h: u16 = parts.next()?.parse().ok()?;
    let m: u16 = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    if m > 59 {
        return None;
    }
    let h = match pm {
        Some(true) if (1..12).contains(&h) => h + 12,
        Some(false) if h == 12 => 0,
        Some(_) if !(1..=12).contains(&h) => return None,
        _ => h,
    };
    (h <= 24 && !(h == 24 && m > 0)).then_some(h * 60 + m)
}

fn weekday_name(name: &str) -> Option<Weekday> {
    weekday_of(name).or_else(|| name.trim().parse::<Weekday>().ok())
}

fn days(row: &Value) -> Result<Vec<Weekday>, String> {
    if let Some(byday) = s(row, "byday") {
        return byday
            .split(',')
            .map(|d| weekday_of(d).ok_or_else(|| format!("byday {d:?} is not MO…SU")))
            .collect();
    }
    if let Some(w) = s(row, "weekday") {
        return weekday_name(w)
            .map(|d| vec![d])
            .ok_or_else(|| format!("weekday {w:?} is not a day of the week"));
    }
    Err("a schedule gives no day (byday or weekday)".to_owned())
}

const DAY: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// Opening hours from the schedules of one service at one location.
pub fn read(rows: &[Value]) -> Result<Schedule, String> {
    let date = |row: &Value, k: &str| -> Result<Option<NaiveDate>, String> {
        s(row, k)
            .map(|d| {
                NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d")
                    .map_err(|_| format!("{k} {d:?} is not a YYYY-MM-DD date"))
            })
            .transpose()
    };
    let mut groups: BTreeMap<(Option<NaiveDate>, Option<NaiveDate>), Vec<&Value>> = BTreeMap::new();
    let mut out = Schedule::default();
    for row in rows {
        if let Some(notes) = s(row, "notes") {
            for part in notes.split(';').map(str::trim) {
                if part == "open on public holidays" {
                    out.public_holidays = HolidayPolicy::Open;
                } else if let Some(list) = part.strip_prefix("closed on ") {
                    for d in list.split(',') {
                        if let Ok(d) = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d") {
                            if !out.closed_on.contains(&d) {
                                out.closed_on.push(d);
                            }
                        }
                    }
                }
            }
        }
        groups
            .entry((date(row, "valid_from")?, date(row, "valid_to")?))
            .or_default()
            .push(row);
    }
    for ((valid_from, valid_to), rows) in groups {
        let texts: Vec<Option<&str>> = rows.iter().map(|r| s(r, "description")).collect();
        let whole = texts
            .first()
            .copied()
            .flatten()
            .filter(|t| texts.iter().all(|x| x == &Some(*t)))
            .and_then(|t| t.parse::<WeeklyHours>().ok());
        let hours = match whole {
            Some(h) => h,
            None => {
                let mut rules = Vec::new();
                for r in &rows {
                    let (Some(a), Some(b)) = (s(r, "opens_at"), s(r, "closes_at")) else {
                        return Err("a schedule has no opens_at/closes_at".to_owned());
                    };
                    let (Some(a), Some(b)) = (minutes(a), minutes(b)) else {
                        return Err(format!("opening hours {a:?}–{b:?} are not times of day"));
                    };
                    if b <= a {
                        return Err(format!(
                            "closes at {b:?} before it opens at {a:?} (overnight hours are not kept)"
                        ));
                    }
                    let names: Vec<&str> = days(r)?
                        .iter()
                        .map(|d| DAY[d.num_days_from_monday() as usize])
                        .collect();
                    rules.push(format!(
                        "{} {:02}:{:02}-{:02}:{:02}",
                        names.join(","),
                        a / 60,
                        a % 60,
                        b / 60,
                        b % 60
                    ));
                }
                rules
                    .join("; ")
                    .parse::<WeeklyHours>()
                    .map_err(|e| e.to_string())?
            }
        };
        out.periods.push(Period {
            valid_from,
            valid_to,
            hours,
        });
    }
    out.closed_on.sort();
    out.validate().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn twelve_hour_times_and_weekday_names_are_read() {
        assert_eq!(minutes("9:00am"), Some(540));
        assert_eq!(minutes("5:00pm"), Some(1020));
        assert_eq!(minutes("12:00 PM"), Some(720));
        assert_eq!(minutes("12:30am"), Some(30));
        assert_eq!(minutes("17:30:00"), Some(1050));
        assert_eq!(minutes("25:00"), None);
        let rows = vec![
            json!({"weekday": "Monday", "opens_at": "9:00am", "closes_at": "5:00pm"}),
            json!({"weekday": "Tuesday", "opens_at": "9:00am", "closes_at": "12:00pm"}),
        ];
        let s = read(&rows).unwrap();
        assert_eq!(s.periods.len(), 1);
        assert_eq!(
            s.periods[0].hours.to_string(),
            "Mo 09:00-17:00; Tu 09:00-12:00"
        );
    }

    #[test]
    fn bussola_schedules_read_back_as_they_were_written() {
        let text = r#"{"periods": [
            {"hours": "Mo-Fr 09:00-12:30; Tu,Th 14:30-17:00"},
            {"valid_from": "2026-08-01", "valid_to": "2026-08-31", "hours": "Mo-Su off"}],
            "closed_on": ["2026-12-24"], "public_holidays": "open"}"#;
        let doc = crate::model::ScheduleDoc {
            rules: serde_json::from_str(text).unwrap(),
            note: Default::default(),
        };
        let rows = crate::hsds::to::schedules(&doc, "x", "it");
        assert_eq!(read(&rows).unwrap(), doc.rules);
    }

    #[test]
    fn unreadable_hours_say_why() {
        let rows = vec![json!({"weekday": "Funday", "opens_at": "9:00", "closes_at": "10:00"})];
        assert!(read(&rows).unwrap_err().contains("Funday"));
        let rows = vec![json!({"byday": "MO", "opens_at": "22:00", "closes_at": "02:00"})];
        assert!(read(&rows).unwrap_err().contains("overnight"));
    }
}
