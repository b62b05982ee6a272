//! Where in an uploaded file a problem is: the import's reports name places as text
//! (`line 7`, `feature 3 (loc-x)`, `sportello loc-x service svc-y`); an upload's report names
//! the CSV line and column, or the GeoJSON feature and a JSON Pointer into it, so the console
//! can show a table and the uploader can exclude exactly those rows.
//!
//! Excluding rows keeps every other row where it was: a CSV line is blanked (the CSV reader
//! skips empty lines, so line numbers do not move), a GeoJSON feature is dropped and the
//! others keep their original index through a map.

use crate::import::Problem;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// The two file forms an upload may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    Csv,
    Geojson,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Csv => "csv",
            Form::Geojson => "geojson",
        }
    }
}

/// One problem of an upload: its CSV line (`row`, the header is line 1) or its GeoJSON
/// feature (`feature`, from 0), the field (a CSV column, or a JSON Pointer into the feature
/// or the file), and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
pub struct RowProblem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<u64>,
    /// A feature's id (the sportello), so a problem of a file read into features (an HSDS
    /// dataset's) names its record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    pub field: String,
    pub reason: String,
}

impl RowProblem {
    /// The row or feature it is on, if it is on one.
    pub fn unit(&self) -> Option<u64> {
        self.row.or(self.feature)
    }
}

/// Where each sportello and service sits in the file.
#[derive(Debug, Default)]
pub struct Locator {
    form: Option<Form>,
    /// Sportello id → its first row or feature.
    sportelli: HashMap<String, u64>,
    /// (sportello, service) → its row, or its feature and position in `services`.
    offers: HashMap<(String, String), (u64, usize)>,
    /// Service id → where it first appears.
    services: HashMap<String, (u64, usize)>,
    /// GeoJSON after exclusions: position in the reduced file → original feature index.
    kept: Vec<u64>,
    /// GeoJSON: original feature index → the feature's id.
    ids: HashMap<u64, String>,
}

impl Locator {
    /// The locator of a CSV file (rows blanked by [`without`] are not in it).
    pub fn csv(text: &str) -> Locator {
        let mut l = Locator {
            form: Some(Form::Csv),
            ..Locator::default()
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(crate::import::text::strip_bom(text).as_bytes());
        let header: Vec<String> = match rdr.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
            Err(_) => return l,
        };
        let col = |name: &str| header.iter().position(|h| h == name);
        let (loc, svc) = (col("sportello_id"), col("service_id"));
        let mut record = csv::StringRecord::new();
        loop {
            let line = rdr.position().line();
            match rdr.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) | Err(_) => break,
            }
            let cell = |c: Option<usize>| {
                c.and_then(|i| record.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            };
            let (s, v) = (cell(loc), cell(svc));
            l.sportelli.entry(s.clone()).or_insert(line);
            if !v.is_empty() {
                l.services.entry(v.clone()).or_insert((line, 0));
            }
            l.offers.entry((s, v)).or_insert((line, 0));
        }
        l
    }

    /// The locator of a GeoJSON file whose features are `features` (after exclusions),
    /// `kept[i]` being the original index of `features[i]`.
    pub fn geojson(features: &[serde_json::Value], kept: Vec<u64>) -> Locator {
        let mut l = Locator {
            form: Some(Form::Geojson),
            ..Locator::default()
        };
        for (i, f) in features.iter().enumerate() {
            let at = kept.get(i).copied().unwrap_or(i as u64);
            let Some(id) = f.get("id").and_then(|v| v.as_str()) else {
                continue;
            };
            l.ids.insert(at, id.to_owned());
            l.sportelli.entry(id.to_owned()).or_insert(at);
            let services = f
                .pointer("/properties/services")
                .and_then(|s| s.as_array())
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (j, s) in services.iter().enumerate() {
                if let Some(sid) = s.get("id").and_then(|v| v.as_str()) {
                    l.services.entry(sid.to_owned()).or_insert((at, j));
                    l.offers
                        .entry((id.to_owned(), sid.to_owned()))
                        .or_insert((at, j));
                }
            }
        }
        l.kept = kept;
        l
    }

    /// A problem of the import's reader or validator, placed in the file.
    pub fn place(&self, problem: &Problem) -> RowProblem {
        let csv = self.form == Some(Form::Csv);
        let at = problem.at.as_str();
        let field = problem.field.as_str();
        let (unit, service, field) = if let Some(n) = at.strip_prefix("line ") {
            // The CSV reader's own places name the line and the column already.
            (n.trim().parse().ok(), None, field.to_owned())
        } else if let Some(rest) = at.strip_prefix("feature ") {
            let (n, id) = match rest.split_once(" (") {
                Some((n, id)) => (n, id.trim_end_matches(')')),
                None => (rest, ""),
            };
            let unit = self.sportelli.get(id).copied().or_else(|| {
                n.parse::<usize>().ok().map(|i| {
                    if csv {
                        i as u64
                    } else {
                        self.kept.get(i).copied().unwrap_or(i as u64)
                    }
                })
            });
            (unit, None, location_field(csv, field))
        } else if let Some(rest) = at.strip_prefix("sportello ") {
            let (loc, svc) = rest.split_once(" service ").unwrap_or((rest, ""));
            let hit = self.offers.get(&(loc.to_owned(), svc.to_owned())).copied();
            (
                hit.map(|h| h.0),
                hit.map(|h| h.1),
                service_field(csv, field),
            )
        } else if let Some(svc) = at.strip_prefix("service ") {
            let hit = self.services.get(svc).copied();
            (
                hit.map(|h| h.0),
                hit.map(|h| h.1),
                service_field(csv, field),
            )
        } else {
            // Organisations, projects, the file as a whole.
            let prefix = match at.split_once(" (") {
                Some((head, _)) => head,
                None => at,
            };
            let whole = if prefix.starts_with("organizations[") || prefix.starts_with("projects[") {
                format!("bussola.{prefix}.{field}")
            } else {
                field.to_owned()
            };
            (None, None, if csv { whole } else { pointer(&whole) })
        };
        let field = match (csv, service, unit) {
            (false, Some(j), Some(_)) => format!("/properties/services/{j}{field}"),
            _ => field,
        };
        let reason = if unit.is_none() && !at.is_empty() {
            format!("{at}: {}", problem.reason)
        } else {
            problem.reason.clone()
        };
        let mut p = RowProblem {
            row: None,
            feature: None,
            record: None,
            field,
            reason,
        };
        match (unit, csv) {
            (Some(n), true) => p.row = Some(n),
            (Some(n), false) => {
                p.feature = Some(n);
                p.record = self.ids.get(&n).cloned();
            }
            (None, _) => {}
        }
        p
    }
}

/// A sportello's field, as the validator names it (`properties.address.comune_istat`), in
/// the file's own terms.
fn location_field(csv: bool, field: &str) -> String {
    let inner = field.strip_prefix("properties.").unwrap_or(field);
    if !csv {
        return pointer(field);
    }
    match inner {
        "name" => "sportello_name@it".into(),
        "organization_id" => "organization_id".into(),
        f => match f.strip_prefix("address.") {
            Some(col) => col.to_owned(),
            None => match f.split_once('.') {
                Some(("name", lang)) => format!("sportello_name@{lang}"),
                _ => f.to_owned(),
            },
        },
    }
}

/// A service's (or an offer's) field, as the validator names it (`categories`), in the
/// file's own terms: a CSV column, or a pointer inside the service (its index prefixed by
/// the caller).
fn service_field(csv: bool, field: &str) -> String {
    if !csv {
        return pointer(field);
    }
    match field {
        "name" => "service_name@it".into(),
        "organization_id" => "service_organization_id".into(),
        "schedule" => "hours".into(),
        f => f.to_owned(),
    }
}

/// `properties.services[0].cost` as a JSON Pointer, `/properties/services/0/cost`.
pub fn pointer(dotted: &str) -> String {
    if dotted.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for part in dotted.split('.') {
        let mut rest = part;
        let name_end = rest.find('[').unwrap_or(rest.len());
        out.push('/');
        out.push_str(&rest[..name_end].replace('~', "~0").replace('/', "~1"));
        rest = &rest[name_end..];
        while let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').unwrap_or(r.len());
            out.push('/');
            out.push_str(&r[..close]);
            rest = r.get(close + 1..).unwrap_or("");
        }
    }
    out
}

/// A CSV file with the records that start on the `excluded` lines blanked (their newlines
/// kept, so every other record keeps its line number).
pub fn csv_without(text: &str, excluded: &BTreeSet<u64>) -> String {
    if excluded.is_empty() {
        return text.to_owned();
    }
    let body = crate::import::text::strip_bom(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut spans = Vec::new();
    let _ = rdr.headers();
    let mut record = csv::ByteRecord::new();
    loop {
        let start = rdr.position().clone();
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
        if excluded.contains(&start.line()) {
            let end = rdr.position().byte() as usize;
            spans.push((start.byte() as usize, end));
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (a, b) in spans {
        let (a, b) = (a.min(body.len()), b.min(body.len()));
        out.push_str(&body[at..a]);
        out.extend(body[a..b].chars().filter(|&c| c == '\n'));
        at = b;
    }
    out.push_str(&body[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_fields_become_pointers() {
        assert_eq!(
            pointer("properties.services[0].cost"),
            "/properties/services/0/cost"
        );
        assert_eq!(pointer("name.it"), "/name/it");
        assert_eq!(pointer(""), "");
    }

    #[test]
    fn blanked_csv_lines_keep_the_others_in_place() {
        let text = "a,b\n1,2\n\"x\ny\",3\n4,5\n";
        let out = csv_without(text, &[2, 3].into());
        assert_eq!(out, "a,b\n\n\n\n4,5\n");
        let mut rdr = csv::Reader::from_reader(out.as_bytes());
        let mut lines = Vec::new();
        let mut r = csv::StringRecord::new();
        loop {
            let line = rdr.position().line();
            if !rdr.read_record(&mut r).unwrap() {
                break;
            }
            lines.push((line, r.get(0).unwrap().to_owned()));
        }
        assert_eq!(lines.last().unwrap().1, "4");
        assert_eq!(lines.len(), 1);
    }

    #[test]
    fn validator_places_map_to_csv_rows_and_columns() {
        let text = "sportello_id,service_id\nloc-a,svc-1\nloc-b,svc-2\n";
        let l = Locator::csv(text);
        let p = |at: &str, field: &str| {
            l.place(&Problem {
                at: at.into(),
                field: field.into(),
                reason: "r".into(),
            })
        };
        let a = p("feature 1 (loc-b)", "properties.address.comune_istat");
        assert_eq!((a.row, a.field.as_str()), (Some(3), "comune_istat"));
        let b = p("sportello loc-a service svc-1", "categories");
        assert_eq!((b.row, b.field.as_str()), (Some(2), "categories"));
        let c = p("line 9", "hours");
        assert_eq!((c.row, c.field.as_str()), (Some(9), "hours"));
    }
}
