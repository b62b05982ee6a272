//! The weekly pattern: which intervals of the day a service is open, Monday to Sunday.

use chrono::Weekday;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Minutes since local midnight, `start < end <= 1440`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: u16,
    pub end: u16,
}

impl Interval {
    /// True when `minute` (since midnight) falls inside, start included, end excluded.
    pub fn contains(&self, minute: u16) -> bool {
        self.start <= minute && minute < self.end
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// A malformed hours text or schedule; `position` is a byte offset into the text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} at position {position} of {text:?}")]
pub struct HoursError {
    pub text: String,
    pub position: usize,
    pub message: String,
}

/// Opening intervals for each day of the week, sorted and merged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct WeeklyHours {
    days: [Vec<Interval>; 7],
}

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

impl WeeklyHours {
    /// The intervals of one weekday.
    pub fn day(&self, weekday: Weekday) -> &[Interval] {
        &self.days[weekday.num_days_from_monday() as usize]
    }
    /// Closed every day.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }
    fn add(&mut self, day: usize, iv: Interval) {
        let v = &mut self.days[day];
        v.push(iv);
        v.sort();
        let mut merged: Vec<Interval> = Vec::with_capacity(v.len());
        for x in v.drain(..) {
            match merged.last_mut() {
                Some(last) if x.start <= last.end => last.end = last.end.max(x.end),
                _ => merged.push(x),
            }
        }
        *v = merged;
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> HoursError {
        HoursError {
            text: self.text.to_owned(),
            position: self.pos,
            message: message.into(),
        }
    }
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }
    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }
    fn eat(&mut self, c: char) -> bool {
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn day(&mut self) -> Result<usize, HoursError> {
        let found = DAYS.iter().position(|d| self.rest().starts_with(d));
        match found {
            Some(i) => {
                self.pos += 2;
                Ok(i)
            }
            None => Err(self.err("expected a day (Mo Tu We Th Fr Sa Su)")),
        }
    }
    fn days(&mut self) -> Result<Vec<usize>, HoursError> {
        let mut out = Vec::new();
        loop {
            let a = self.day()?;
            if self.eat('-') {
                let b = self.day()?;
                let mut d = a;
                loop {
                    out.push(d);
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            } else {
                out.push(a);
            }
            if !self.eat(',') {
                return Ok(out);
            }
        }
    }
    fn time(&mut self) -> Result<u16, HoursError> {
        let r = self.rest().as_bytes();
        let digit = |i: usize| {
            r.get(i)
                .filter(|b| b.is_ascii_digit())
                .map(|b| u16::from(b - b'0'))
        };
        match (digit(0), digit(1), r.get(2), digit(3), digit(4)) {
            (Some(h1), Some(h2), Some(b':'), Some(m1), Some(m2)) => {
                let (h, m) = (h1 * 10 + h2, m1 * 10 + m2);
                if m > 59 || h > 24 || (h == 24 && m > 0) {
                    return Err(self.err(format!("{h:02}:{m:02} is not a time of day")));
                }
                self.pos += 5;
                Ok(h * 60 + m)
            }
            _ => Err(self.err("expected HH:MM")),
        }
    }
    fn intervals(&mut self) -> Result<Vec<Interval>, HoursError> {
        let mut out = Vec::new();
        loop {
            let at = self.pos;
            let start = self.time()?;
            if !self.eat('-') {
                return Err(self.err("expected '-' between opening and closing time"));
            }
            let end = self.time()?;
            if end <= start {
                self.pos = at;
                return Err(self.err("the closing time must come after the opening time"));
            }
            out.push(Interval { start, end });
            if !self.eat(',') {
                return Ok(out);
            }
        }
    }
}

impl FromStr for WeeklyHours {
    type Err = HoursError;

    fn from_str(text: &str) -> Result<Self, HoursError> {
        let mut p = Parser { text, pos: 0 };
        let mut w = WeeklyHours::default();
        p.skip_ws();
        while p.pos < text.len() {
            let days = p.days()?;
            if !p.rest().starts_with(' ') {
                return Err(p.err("expected a space after the days"));
            }
            p.skip_ws();
            if p.rest().starts_with("off") {
                p.pos += 3;
                for d in &days {
                    w.days[*d].clear();
                }
            } else {
                for iv in p.intervals()? {
                    for d in &days {
                        w.add(*d, iv);
                    }
                }
            }
            p.skip_ws();
            if p.pos < text.len() && !p.eat(';') {
                return Err(p.err("expected ';' between rules"));
            }
            p.skip_ws();
        }
        Ok(w)
    }
}

/// Canonical text: days with the same intervals grouped, runs of days as ranges, rules in
/// order of their first day. `parse(display(x)) == x`.
/// A week closed every day is `Mo-Su off`, never an empty text.
impl fmt::Display for WeeklyHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("Mo-Su off");
        }
        let mut done = [false; 7];
        let mut first_rule = true;
        for d in 0..7 {
            if done[d] || self.days[d].is_empty() {
                continue;
            }
            let same: Vec<usize> = (d..7).filter(|&e| self.days[e] == self.days[d]).collect();
            same.iter().for_each(|&e| done[e] = true);
            if !first_rule {
                f.write_str("; ")?;
            }
            first_rule = false;
            let mut i = 0;
            let mut first_day = true;
            while i < same.len() {
                let mut j = i;
                while j + 1 < same.len() && same[j + 1] == same[j] + 1 {
                    j += 1;
                }
                if !first_day {
                    f.write_str(",")?;
                }
                first_day = false;
                if j > i {
                    write!(f, "{}-{}", DAYS[same[i]], DAYS[same[j]])?;
                } else {
                    f.write_str(DAYS[same[i]])?;
                }
                i = j + 1;
            }
            f.write_str(" ")?;
            for (k, iv) in self.days[d].iter().enumerate() {
                if k > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{iv}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for WeeklyHours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WeeklyHours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_week_closed_every_day_reads_mo_su_off_and_parses_back() {
        let closed = WeeklyHours::default();
        assert_eq!(closed.to_string(), "Mo-Su off");
        assert_eq!("Mo-Su off".parse::<WeeklyHours>().unwrap(), closed);
        let json = serde_json::to_string(&closed).unwrap();
        assert_eq!(json, r#""Mo-Su off""#);
    }

    #[test]
    fn parses_ranges_lists_and_several_rules() {
        let w: WeeklyHours = "Mo-Fr 09:00-12:30; Tu,Th 14:30-17:00".parse().unwrap();
        assert_eq!(
            w.day(Weekday::Mon),
            &[Interval {
                start: 540,
                end: 750
            }]
        );
        assert_eq!(
            w.day(Weekday::Tue),
            &[
                Interval {
                    start: 540,
                    end: 750
                },
                Interval {
                    start: 870,
                    end: 1020
                }
            ]
        );
        assert!(w.day(Weekday::Sat).is_empty());
        assert_eq!(
            w.to_string(),
            "Mo,We,Fr 09:00-12:30; Tu,Th 09:00-12:30,14:30-17:00"
        );
        let wrap: WeeklyHours = "Sa-Mo 10:00-24:00".parse().unwrap();
        assert_eq!(wrap.to_string(), "Mo,Sa-Su 10:00-24:00");
        let off: WeeklyHours = "Mo-Fr 09:00-12:00; We off".parse().unwrap();
        assert_eq!(off.to_string(), "Mo-Tu,Th-Fr 09:00-12:00");
        assert!("".parse::<WeeklyHours>().unwrap().is_empty());
    }

    #[test]
    fn overlapping_intervals_merge() {
        let w: WeeklyHours = "Mo 09:00-11:00,10:00-12:00; Mo 12:00-13:00"
            .parse()
            .unwrap();
        assert_eq!(w.to_string(), "Mo 09:00-13:00");
    }

    #[test]
    fn errors_say_where() {
        let e = "Mo-Fr 9:00-12:00".parse::<WeeklyHours>().unwrap_err();
        assert_eq!((e.position, e.message.as_str()), (6, "expected HH:MM"));
        let e = "Mo-Xx 09:00-12:00".parse::<WeeklyHours>().unwrap_err();
        assert_eq!(e.position, 3);
        let e = "Mo 12:00-09:00".parse::<WeeklyHours>().unwrap_err();
        assert_eq!(
            (e.position, e.message.as_str()),
            (3, "the closing time must come after the opening time")
        );
        let e = "Mo 09:00-12:60".parse::<WeeklyHours>().unwrap_err();
        assert_eq!(e.position, 9);
        let e = "Mo 09:00-12:00 Tu 10:00-11:00"
            .parse::<WeeklyHours>()
            .unwrap_err();
        assert_eq!(
            (e.position, e.message.as_str()),
            (15, "expected ';' between rules")
        );
        let e = "Mo09:00-12:00".parse::<WeeklyHours>().unwrap_err();
        assert_eq!(e.position, 2);
    }

    fn arb_weekly() -> impl Strategy<Value = WeeklyHours> {
        proptest::collection::vec((0usize..7, 0u16..1439, 1u16..240), 0..12).prop_map(|ivs| {
            let mut w = WeeklyHours::default();
            for (d, s, len) in ivs {
                w.add(
                    d,
                    Interval {
                        start: s,
                        end: (s + len).min(1440),
                    },
                );
            }
            w
        })
    }

    proptest! {
        #[test]
        fn display_round_trips(w in arb_weekly()) {
            let text = w.to_string();
            let back: WeeklyHours = text.parse().unwrap();
            prop_assert_eq!(back, w);
        }
    }
}
