//! The provenance columns of the CSV form: where the records of a line came from (`source`,
//! `licence`, `source_attribution`, `source_url`, `imported_at`, `import_id`). The writer
//! gives the sportello's on each of its lines; the reader gives a line's to its sportello,
//! its service (the service's first line's, when lines differ) and the service there.

use super::cells::Cells;
use crate::model::Provenance;
use chrono::{DateTime, Utc};

/// The provenance columns, in header order.
pub(super) const COLUMNS: [&str; 6] = [
    "source",
    "licence",
    "source_attribution",
    "source_url",
    "imported_at",
    "import_id",
];

/// The cells of `p` (none when absent).
pub(super) fn cells(p: Option<&Provenance>) -> Vec<(&'static str, String)> {
    let Some(p) = p else { return Vec::new() };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        ("source", p.source.clone()),
        ("licence", opt(&p.licence)),
        ("source_attribution", opt(&p.attribution)),
        ("source_url", opt(&p.url)),
        (
            "imported_at",
            p.imported_at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .unwrap_or_default(),
        ),
        ("import_id", opt(&p.import)),
    ]
}

/// A line's provenance: none when its columns are all empty; `source` is required when any
/// other is filled.
pub(super) fn read(c: &Cells, bad: &mut dyn FnMut(&str, String)) -> Option<Provenance> {
    if COLUMNS.iter().all(|col| c.get(col).is_empty()) {
        return None;
    }
    let Some(source) = c.opt("source") else {
        bad(
            "source",
            "is required when another provenance column is filled".into(),
        );
        return None;
    };
    let imported_at = match c
        .opt("imported_at")
        .map(|s| DateTime::parse_from_rfc3339(&s))
    {
        None => None,
        Some(Ok(t)) => Some(t.with_timezone(&Utc)),
        Some(Err(_)) => {
            bad("imported_at", "is not an RFC 3339 timestamp".into());
            return None;
        }
    };
    Some(Provenance {
        source,
        licence: c.opt("licence"),
        attribution: c.opt("source_attribution"),
        url: c.opt("source_url"),
        imported_at,
        import: c.opt("import_id"),
    })
}

/// The column a provenance member (`source`, `attribution`…, as `model::limits` names it
/// after `provenance.`) is read from.
pub(super) fn column(member: &str) -> String {
    match member {
        "attribution" | "url" => format!("source_{member}"),
        "import" => "import_id".to_owned(),
        other => other.to_owned(),
    }
}
