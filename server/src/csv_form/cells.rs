//! Cells of the CSV form: reading one record's columns, the schedule cells, and naming the
//! column a limits path comes from.

use super::{split_list, split_positional, PHONE_LABEL};
use crate::model::{Checked, I18nText, Phone, Reception, ReceptionKind};
use bussola_hours::{Period, WeeklyHours};
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

pub(super) struct Cells<'a> {
    pub(super) header: &'a [String],
    pub(super) record: &'a csv::StringRecord,
}

impl Cells<'_> {
    pub(super) fn get(&self, col: &str) -> &str {
        self.header
            .iter()
            .position(|h| h == col)
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }
    pub(super) fn opt(&self, col: &str) -> Option<String> {
        Some(self.get(col))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }
    pub(super) fn i18n(&self, col: &str) -> I18nText {
        let prefix = format!("{col}@");
        I18nText(
            self.header
                .iter()
                .zip(self.record.iter())
                .filter_map(|(h, v)| {
                    h.strip_prefix(&prefix)
                        .filter(|_| !v.trim().is_empty())
                        .map(|l| (l.to_owned(), v.to_owned()))
                })
                .collect(),
        )
    }
    /// When a person last confirmed each of `fields` (`{field}_verified_at`, RFC 3339).
    pub(super) fn verified(
        &self,
        fields: &[Checked],
        bad: &mut dyn FnMut(&str, String),
    ) -> BTreeMap<Checked, DateTime<Utc>> {
        let mut out = BTreeMap::new();
        for f in fields {
            let col = verified_column(*f);
            let Some(v) = self.opt(&col) else { continue };
            match DateTime::parse_from_rfc3339(&v) {
                Ok(t) => {
                    out.insert(*f, t.with_timezone(&Utc));
                }
                Err(_) => bad(&col, format!("{v:?} is not an RFC 3339 timestamp")),
            }
        }
        out
    }
    /// A reception centre's kind and capacity (`reception_kind`, `reception_capacity`): both
    /// or neither.
    pub(super) fn reception(&self, bad: &mut dyn FnMut(&str, String)) -> Option<Reception> {
        let (kind, capacity) = (self.get("reception_kind"), self.get("reception_capacity"));
        if kind.is_empty() && capacity.is_empty() {
            return None;
        }
        let parsed: Option<ReceptionKind> =
            serde_json::from_value(serde_json::Value::String(kind.to_ascii_lowercase())).ok();
        let Some(kind) = parsed else {
            bad("reception_kind", format!("{kind:?} is not cas, sai or cpa"));
            return None;
        };
        match capacity.parse::<u32>() {
            Ok(capacity) => Some(Reception { kind, capacity }),
            Err(_) => {
                bad(
                    "reception_capacity",
                    format!("{capacity:?} is not a whole number of places"),
                );
                None
            }
        }
    }
    /// Phone numbers with their labels (`phone_label@lang`, one item per number).
    pub(super) fn phones(&self, bad: &mut dyn FnMut(&str, String)) -> Vec<Phone> {
        let mut phones: Vec<Phone> = split_list(self.get("phones"))
            .into_iter()
            .map(|number| Phone {
                number,
                label: I18nText::default(),
            })
            .collect();
        let prefix = format!("{PHONE_LABEL}@");
        for (h, v) in self.header.iter().zip(self.record.iter()) {
            let Some(lang) = h.strip_prefix(&prefix) else {
                continue;
            };
            if v.is_empty() {
                continue;
            }
            let items = split_positional(v);
            if items.len() != phones.len() {
                bad(
                    h,
                    format!(
                        "has {} labels for {} phone numbers; give one per number, empty ones too",
                        items.len(),
                        phones.len()
                    ),
                );
                continue;
            }
            for (p, label) in phones.iter_mut().zip(items) {
                if !label.trim().is_empty() {
                    p.label.0.insert(lang.to_owned(), label);
                }
            }
        }
        phones
    }
}

/// The column of a field's verified date: `hours_verified_at`.
pub(super) fn verified_column(f: Checked) -> String {
    format!("{}_verified_at", f.as_str())
}

pub(super) fn parse_hours_cell(s: &str) -> Result<WeeklyHours, bussola_hours::HoursError> {
    if s.trim() == "off" {
        Ok(WeeklyHours::default())
    } else {
        s.parse()
    }
}

pub(super) fn parse_seasonal(s: &str) -> Result<Period, String> {
    let (range, hours) = s
        .split_once(' ')
        .ok_or_else(|| format!("{s:?}: expected `FROM..TO hours`"))?;
    let (from, to) = range
        .split_once("..")
        .ok_or_else(|| format!("{range:?}: expected FROM..TO"))?;
    let date = |x: &str| -> Result<Option<NaiveDate>, String> {
        if x.is_empty() {
            Ok(None)
        } else {
            parse_date(x).map(Some)
        }
    };
    Ok(Period {
        valid_from: date(from)?,
        valid_to: date(to)?,
        hours: parse_hours_cell(hours).map_err(|e| e.to_string())?,
    })
}

/// A `YYYY-MM-DD` date, saying whether the text is malformed or names no real day.
pub(super) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.parse::<NaiveDate>().map_err(|e| match e.kind() {
        chrono::format::ParseErrorKind::OutOfRange | chrono::format::ParseErrorKind::Impossible => {
            format!("{s:?} is not a date that exists")
        }
        _ => format!("{s:?} is not a YYYY-MM-DD date"),
    })
}

/// The trimmed cell of `col` in a raw record.
pub(super) fn record_cell(header: &[String], record: &csv::StringRecord, col: &str) -> String {
    header
        .iter()
        .position(|h| h == col)
        .and_then(|i| record.get(i))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// `lang.rest` of a limits path as `column@lang`.
fn i18n_column(col: &str, rest: &str) -> String {
    format!("{col}@{rest}")
}

/// The column a sportello field (as [`limits::location`] names it) comes from.
pub(super) fn column_of_location(field: &str) -> String {
    let (head, rest) = field.split_once('.').unwrap_or((field, ""));
    match head {
        "name" => i18n_column("sportello_name", rest),
        "description" => i18n_column("sportello_description", rest),
        "accessibility" => i18n_column("accessibility", rest),
        "address" => rest.to_owned(),
        h if h.starts_with("phones[") => match rest.split_once('.') {
            Some(("label", lang)) => format!("{PHONE_LABEL}@{lang}{}", &h[6..]),
            _ => h.to_owned(),
        },
        "provenance" => super::provenance::column(rest),
        _ => field.to_owned(),
    }
}

/// The column a service field (as [`limits::service`] names it) comes from.
pub(super) fn column_of_service(field: &str) -> String {
    let (head, rest) = field.split_once('.').unwrap_or((field, ""));
    match head {
        "name" => i18n_column("service_name", rest),
        "description" => i18n_column("service_description", rest),
        "cost_note" | "documents" => i18n_column(head, rest),
        "phone" | "email" | "url" => format!("service_{head}"),
        "provenance" => super::provenance::column(rest),
        _ => field.to_owned(),
    }
}
