//! The tables and columns records are written to, described once for both backends.

use super::codec::{boundary_to_geojson, encode};
use super::ChangeSet;
use crate::model::{Meta, Status, Visibility};
use chrono::{DateTime, Utc};

/// A value to bind; each backend knows how to bind each kind and how to spell geometry.
#[derive(Clone, Debug)]
pub enum Val {
    Text(String),
    OptText(Option<String>),
    OptInt(Option<i64>),
    Real(f64),
    OptTs(Option<DateTime<Utc>>),
    /// The record document (JSON text).
    Doc(String),
    /// A geometry as GeoJSON text.
    Geometry(String),
}

/// One row to upsert: its id and its columns other than the store-managed ones.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    pub cols: Vec<(&'static str, Val)>,
}

/// The rows of one table.
pub struct TableRows {
    pub table: &'static str,
    /// Tables with records carry version/created_at and a document; `comune` does not.
    pub versioned: bool,
    pub rows: Vec<Row>,
}

fn status(s: Status) -> Val {
    Val::Text(
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    )
}

fn visibility(v: Visibility) -> Val {
    Val::Text(
        serde_json::to_value(v)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    )
}

fn meta_cols(meta: &Meta) -> [(&'static str, Val); 2] {
    [
        ("status", status(meta.status)),
        ("visibility", visibility(meta.visibility)),
    ]
}

fn name_it(t: &crate::model::I18nText) -> Val {
    Val::Text(t.get("it").map(|(_, v)| v.to_owned()).unwrap_or_default())
}

/// Every row a change set writes, table by table, in an order that keeps references readable.
pub fn rows_of(changes: &ChangeSet) -> Vec<TableRows> {
    let d = &changes.dataset;
    let orgs = d
        .organizations
        .iter()
        .map(|o| Row {
            id: o.id.to_string(),
            cols: [("name", Val::Text(o.name.clone()))]
                .into_iter()
                .chain(meta_cols(&o.meta))
                .chain([("doc", Val::Doc(encode(o)))])
                .collect(),
        })
        .collect();
    let locations = d
        .locations
        .iter()
        .map(|l| Row {
            id: l.id.to_string(),
            cols: [
                ("organization_id", Val::Text(l.organization_id.to_string())),
                ("name", name_it(&l.name)),
                ("comune_istat", Val::Text(l.address.comune_istat.clone())),
                ("lon", Val::Real(l.point.lon())),
                ("lat", Val::Real(l.point.lat())),
                ("last_verified_at", Val::OptTs(l.meta.last_verified_at)),
            ]
            .into_iter()
            .chain(meta_cols(&l.meta))
            .chain([("doc", Val::Doc(encode(l)))])
            .collect(),
        })
        .collect();
    let services = d
        .services
        .iter()
        .map(|s| Row {
            id: s.id.to_string(),
            cols: [
                ("organization_id", Val::Text(s.organization_id.to_string())),
                ("name", name_it(&s.name)),
                ("last_verified_at", Val::OptTs(s.meta.last_verified_at)),
            ]
            .into_iter()
            .chain(meta_cols(&s.meta))
            .chain([("doc", Val::Doc(encode(s)))])
            .collect(),
        })
        .collect();
    let sals = d
        .service_at_locations
        .iter()
        .map(|s| Row {
            id: s.id.to_string(),
            cols: [
                ("service_id", Val::Text(s.service_id.to_string())),
                ("location_id", Val::Text(s.location_id.to_string())),
            ]
            .into_iter()
            .chain(meta_cols(&s.meta))
            .chain([("doc", Val::Doc(encode(s)))])
            .collect(),
        })
        .collect();
    let projects = d
        .projects
        .iter()
        .map(|p| Row {
            id: p.id.to_string(),
            cols: [
                ("code", Val::OptText(p.code.clone())),
                (
                    "lead_organization_id",
                    Val::OptText(p.lead_organization_id.as_ref().map(|i| i.to_string())),
                ),
            ]
            .into_iter()
            .chain(meta_cols(&p.meta))
            .chain([("doc", Val::Doc(encode(p)))])
            .collect(),
        })
        .collect();
    let comuni = changes
        .comuni
        .iter()
        .map(|c| Row {
            id: c.istat.clone(),
            cols: vec![
                ("name", Val::Text(c.name.clone())),
                ("province", Val::OptText(c.province.clone())),
                ("population", Val::OptInt(c.population.map(|p| p as i64))),
                (
                    "foreign_population",
                    Val::OptInt(c.foreign_population.map(|p| p as i64)),
                ),
                ("geom", Val::Geometry(boundary_to_geojson(&c.boundary))),
            ],
        })
        .collect();
    let t = |table, versioned, rows| TableRows {
        table,
        versioned,
        rows,
    };
    vec![
        t("organization", true, orgs),
        t("location", true, locations),
        t("service", true, services),
        t("service_at_location", true, sals),
        t("project", true, projects),
        t("comune", false, comuni),
    ]
}

/// Builds a multi-row upsert for `rows` (all of one table, same columns).
///
/// Binds per row, in order: the key, each column of [`Row::cols`], then the revision and the
/// commit time. `ph(n)` spells the n-th placeholder (1-based); `wrap(val, p)` lets a backend
/// wrap a placeholder (a geometry, a JSON document); `distinct` is the backend's null-safe
/// "differs" operator. A row whose columns are all unchanged is left alone, version included.
pub fn upsert_sql(
    table: &TableRows,
    rows: &[Row],
    ph: &dyn Fn(usize) -> String,
    wrap: &dyn Fn(&Val, String) -> String,
    distinct: &str,
) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let key = if table.table == "comune" {
        "istat"
    } else {
        "id"
    };
    let names: Vec<&str> = first.cols.iter().map(|(n, _)| *n).collect();
    let mut n = 0;
    let mut next = || {
        n += 1;
        ph(n)
    };
    let values: Vec<String> = rows
        .iter()
        .map(|row| {
            let mut parts = vec![next()];
            parts.extend(row.cols.iter().map(|(_, v)| wrap(v, next())));
            let (revision, now) = (next(), next());
            if table.versioned {
                parts.extend([revision, now.clone(), "1".to_owned(), now]);
            } else {
                parts.extend([revision, now]);
            }
            format!("({})", parts.join(", "))
        })
        .collect();
    let store_cols = if table.versioned {
        ", revision, updated_at, version, created_at"
    } else {
        ", revision, updated_at"
    };
    let t = table.table;
    let sets: Vec<String> = names
        .iter()
        .chain(&["revision", "updated_at"])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let version = if table.versioned {
        format!(", version = {t}.version + 1")
    } else {
        String::new()
    };
    let old: Vec<String> = names.iter().map(|c| format!("{t}.{c}")).collect();
    let new: Vec<String> = names.iter().map(|c| format!("excluded.{c}")).collect();
    format!(
        "INSERT INTO {t} ({key}, {cols}{store_cols}) VALUES {values} \
         ON CONFLICT ({key}) DO UPDATE SET {sets}{version} \
         WHERE ({old}) {distinct} ({new})",
        cols = names.join(", "),
        values = values.join(", "),
        sets = sets.join(", "),
        old = old.join(", "),
        new = new.join(", "),
    )
}

/// Most rows one statement carries, so binds stay under SQLite's and PostgreSQL's limits.
pub fn chunk_size(table: &TableRows) -> usize {
    let per_row = table.rows.first().map_or(1, |r| r.cols.len() + 3);
    (30_000 / per_row).clamp(1, 500)
}

/// For a file that replaces its sportelli's offers: the sportelli it names and every offer it
/// keeps (offers of those sportelli outside the second list are archived).
pub fn replaced_offers(changes: &ChangeSet) -> (Vec<String>, Vec<String>) {
    let d = &changes.dataset;
    (
        d.locations.iter().map(|l| l.id.to_string()).collect(),
        d.service_at_locations
            .iter()
            .map(|s| s.id.to_string())
            .collect(),
    )
}
