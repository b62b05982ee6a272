//! Notices in the CSV form: `sportello_notices` (the sportello's, repeated on each of its
//! lines) and `service_notices` (the service's there), each a `|`-separated list of
//! `KIND FROM..UNTIL`, `UNTIL` left empty for "until further notice":
//!
//! `closed 2027-08-10..2027-08-24 | hours 2027-07-01..2027-08-31 Mo-Fr 09:00-12:00 | full 2026-11-01..2027-09-13`
//!
//! Kinds: `closed`, `hours` (followed by the replacement hours), `message`, and the places of a
//! saturation notice, `full`, `waiting_list`, `available`. Their messages are
//! `sportello_notice_message@lang` / `service_notice_message@lang`: a `;`-separated list with
//! one item per notice, in the same order (empty items for notices without one), as phone
//! labels are.

use super::cells::{parse_date, parse_hours_cell, Cells};
use super::{join_list, split_positional};
use crate::model::{I18nText, Notice, NoticeKind, Places};
use std::collections::BTreeSet;

/// The message column of a notices column (`sportello_notices` → `sportello_notice_message`).
pub(super) fn message_column(col: &str) -> &'static str {
    if col == "sportello_notices" {
        "sportello_notice_message"
    } else {
        "service_notice_message"
    }
}

/// One notice of a cell, without its message.
fn parse_one(item: &str) -> Result<Notice, String> {
    let (kind, rest) = item
        .split_once(' ')
        .ok_or_else(|| format!("{item:?}: expected `KIND FROM..UNTIL`"))?;
    let rest = rest.trim_start();
    let (range, extra) = rest.split_once(' ').unwrap_or((rest, ""));
    let (from, until) = range
        .split_once("..")
        .ok_or_else(|| format!("{range:?}: expected FROM..UNTIL (UNTIL may be empty)"))?;
    let from = parse_date(from)?;
    let until = match until {
        "" => None,
        u => Some(parse_date(u)?),
    };
    let kind = match kind {
        "closed" => NoticeKind::Closed,
        "message" => NoticeKind::Message,
        "hours" => NoticeKind::Hours {
            hours: parse_hours_cell(extra).map_err(|e| format!("{item:?}: {e}"))?,
        },
        "full" => NoticeKind::Saturation {
            places: Places::Full,
        },
        "waiting_list" => NoticeKind::Saturation {
            places: Places::WaitingList,
        },
        "available" => NoticeKind::Saturation {
            places: Places::Available,
        },
        other => {
            return Err(format!(
                "{other:?} is not closed, hours, message, full, waiting_list or available"
            ))
        }
    };
    if !matches!(kind, NoticeKind::Hours { .. }) && !extra.trim().is_empty() {
        return Err(format!(
            "{item:?}: only hours notices take hours after the dates"
        ));
    }
    Ok(Notice {
        from,
        until,
        message: I18nText::default(),
        kind,
    })
}

/// The notices of column `col` with their messages; each problem is reported with the
/// column it comes from.
pub(super) fn read(c: &Cells, col: &str, bad: &mut dyn FnMut(&str, String)) -> Vec<Notice> {
    let mut notices = Vec::new();
    let mut ok = true;
    let items = c
        .get(col)
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty());
    for (i, item) in items.enumerate() {
        match parse_one(item) {
            Ok(n) => notices.push(n),
            Err(e) => {
                bad(col, format!("notice {}: {e}", i + 1));
                ok = false;
            }
        }
    }
    if !ok {
        return Vec::new();
    }
    let prefix = format!("{}@", message_column(col));
    for (h, v) in c.header.iter().zip(c.record.iter()) {
        let Some(lang) = h.strip_prefix(&prefix) else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        let messages = split_positional(v);
        if messages.len() != notices.len() {
            bad(
                h,
                format!(
                    "has {} messages for {} notices in {col}; give one per notice, empty ones too",
                    messages.len(),
                    notices.len()
                ),
            );
            continue;
        }
        for (n, m) in notices.iter_mut().zip(messages) {
            if !m.trim().is_empty() {
                n.message.0.insert(lang.to_owned(), m);
            }
        }
    }
    for (i, n) in notices.iter().enumerate() {
        for (part, reason) in n.problems() {
            let column = match part.split_once('/') {
                Some(("message", lang)) => format!("{}@{lang}", message_column(col)),
                _ if part == "message" => format!("{}@it", message_column(col)),
                _ => col.to_owned(),
            };
            bad(&column, format!("notice {}: {part}: {reason}", i + 1));
        }
    }
    notices
}

/// One notice as its cell writes it (without its message).
fn write_one(n: &Notice) -> String {
    let range = format!(
        "{}..{}",
        n.from,
        n.until.map(|u| u.to_string()).unwrap_or_default()
    );
    match &n.kind {
        NoticeKind::Closed => format!("closed {range}"),
        NoticeKind::Message => format!("message {range}"),
        NoticeKind::Hours { hours } => format!("hours {range} {}", super::write::hours_cell(hours)),
        NoticeKind::Saturation { places } => {
            let p = match places {
                Places::Full => "full",
                Places::WaitingList => "waiting_list",
                Places::Available => "available",
            };
            format!("{p} {range}")
        }
    }
}

/// The cells of `notices` for column `col`: the list, and its messages per language.
pub(super) fn cells(col: &str, notices: &[Notice]) -> Vec<(String, String)> {
    if notices.is_empty() {
        return Vec::new();
    }
    let list: Vec<String> = notices.iter().map(write_one).collect();
    let mut out = vec![(col.to_owned(), list.join(" | "))];
    for lang in languages(notices) {
        let items: Vec<&str> = notices
            .iter()
            .map(|n| n.message.0.get(&lang).map(String::as_str).unwrap_or(""))
            .collect();
        out.push((format!("{}@{lang}", message_column(col)), join_list(&items)));
    }
    out
}

/// The languages of the notices' messages.
pub(super) fn languages(notices: &[Notice]) -> BTreeSet<String> {
    notices
        .iter()
        .flat_map(|n| n.message.0.keys().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_cells(header: &[&str], row: &[&str]) -> (Vec<Notice>, Vec<(String, String)>) {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let record = csv::StringRecord::from(row.to_vec());
        let c = Cells {
            header: &header,
            record: &record,
        };
        let mut problems = Vec::new();
        let n = read(&c, "service_notices", &mut |f, r| {
            problems.push((f.to_owned(), r))
        });
        (n, problems)
    }

    #[test]
    fn every_kind_reads_and_writes_back() {
        let cell = "closed 2027-08-10..2027-08-24 | hours 2027-07-01.. Mo-Fr 09:00-12:00 | full 2026-11-01..2027-09-13 | waiting_list 2026-11-01.. | available 2027-09-14.. | message 2027-01-10..2027-01-31";
        let (n, problems) = read_cells(
            &["service_notices", "service_notice_message@it"],
            &[cell, ";;Corso pieno\\; riapre a settembre;;;Nuovo ingresso"],
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(n.len(), 6);
        assert_eq!(n[2].message.0["it"], "Corso pieno; riapre a settembre");
        assert!(n[1].until.is_none());
        let back = cells("service_notices", &n);
        assert_eq!(back[0], ("service_notices".into(), cell.into()));
        assert_eq!(back[1].0, "service_notice_message@it");
        let (again, _) = read_cells(
            &["service_notices", "service_notice_message@it"],
            &[&back[0].1, &back[1].1],
        );
        assert_eq!(again, n);
    }

    #[test]
    fn problems_name_the_notice_and_the_column() {
        let (_, p) = read_cells(&["service_notices"], &["closd 2027-08-10.."]);
        assert_eq!(p[0].0, "service_notices");
        assert!(
            p[0].1.starts_with("notice 1: \"closd\" is not closed"),
            "{p:?}"
        );
        let (_, p) = read_cells(&["service_notices"], &["closed 2027-08-10..2027-08-01"]);
        assert!(p[0].1.contains("until"), "{p:?}");
        let (_, p) = read_cells(&["service_notices"], &["closed 2027-02-30.."]);
        assert!(p[0].1.contains("not a date that exists"), "{p:?}");
        let (_, p) = read_cells(&["service_notices"], &["message 2027-01-10.."]);
        assert_eq!(p[0].0, "service_notice_message@it", "{p:?}");
        let (_, p) = read_cells(
            &["service_notices", "service_notice_message@it"],
            &["closed 2027-08-10.. | full 2027-08-10..", "Solo uno"],
        );
        assert_eq!(p[0].0, "service_notice_message@it");
        assert!(p[0].1.contains("1 messages for 2 notices"), "{p:?}");
        let (_, p) = read_cells(&["service_notices"], &["hours 2027-07-01.. Mo 9-12"]);
        assert_eq!(p[0].0, "service_notices");
        let (_, p) = read_cells(
            &["service_notices"],
            &["full 2027-07-01.. Mo-Fr 09:00-12:00"],
        );
        assert!(p[0].1.contains("only hours notices"), "{p:?}");
    }
}
