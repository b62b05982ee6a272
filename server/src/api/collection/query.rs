//! What an items or item request asks, parsed and checked against the collection, with who
//! is asking.

use super::Collection;
use crate::access::Viewer;
use crate::api::error::{Error, Result};
use crate::api::params::{self, Params};
use crate::api::{cql, lang};
use crate::index::Filter;
use crate::model::{Bbox, LonLat};
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};

/// Query parameters items requests accept; anything else is a 400 (OGC API - Features
/// requirement /req/core/query-param-unknown).
pub const KNOWN: &[&str] = &[
    "f",
    "lang",
    "limit",
    "offset",
    "bbox",
    "datetime",
    "near",
    "radius",
    "category",
    "language",
    "audience",
    "free",
    "appointment",
    "open_now",
    "open_at",
    "comune",
    "filter",
    "filter-lang",
    "filter-crs",
];

/// Parameters a single feature accepts.
pub const ONE: &[&str] = &["f", "lang"];

/// A request to a collection: paging, criteria, language, the moment, and the viewer (in
/// `filter.viewer`).
pub struct Query {
    pub limit: usize,
    pub offset: usize,
    pub bbox: Option<Bbox>,
    pub near: Option<LonLat>,
    pub radius: Option<f64>,
    pub datetime: Option<params::Interval>,
    pub filter: Filter,
    pub cql: Option<bussola_cql2::Expr>,
    pub lang: String,
    pub now: DateTime<Utc>,
    /// `filter.viewer`'s scope key, computed once per request.
    pub scope: String,
}

/// Refuses any parameter not in `known`.
pub fn only(p: &Params, known: &[&str]) -> Result<()> {
    match p.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(Error::bad(k, format!("unknown parameter {k:?}"))),
        None => Ok(()),
    }
}

impl Query {
    /// A query with no criteria (a single feature, say) for `viewer`.
    pub fn plain(viewer: Viewer, lang: String, now: DateTime<Utc>) -> Self {
        Query {
            limit: params::DEFAULT_LIMIT,
            offset: 0,
            bbox: None,
            near: None,
            radius: None,
            datetime: None,
            scope: viewer.scope_key(),
            filter: Filter {
                viewer,
                ..Filter::default()
            },
            cql: None,
            lang,
            now,
        }
    }

    /// An items request to `collection`, every parameter checked.
    pub fn parse(
        p: &Params,
        headers: &HeaderMap,
        collection: &dyn Collection,
        taxonomy: &crate::model::Taxonomy,
        viewer: Viewer,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        only(p, KNOWN)?;
        params::format(p, &["json", "geojson"])?;
        let filter_lang = cql::filter_lang(p.get("filter-lang").map(String::as_str))?;
        if let Some(crs) = p.get("filter-crs") {
            if crs != "http://www.opengis.net/def/crs/OGC/1.3/CRS84" {
                return Err(Error::bad("filter-crs", "only CRS84 is supported"));
            }
        }
        let near = params::near(p)?;
        if near.is_some() && !collection.service_filters() {
            return Err(Error::bad(
                "near",
                "proximity search is available on sportelli and services",
            ));
        }
        let radius = params::radius(p)?;
        if radius.is_some() && near.is_none() {
            return Err(Error::bad("radius", "radius needs near=LON,LAT"));
        }
        let mut filter = params::filter(p, taxonomy, now)?;
        if !collection.service_filters()
            && (filter.has_service_criteria() || filter.comune.is_some())
        {
            return Err(Error::bad(
                "category",
                "service filters apply to sportelli and services; use filter= (CQL2) here",
            ));
        }
        let (limit, offset, bbox) = (params::limit(p)?, params::offset(p)?, params::bbox(p)?);
        let datetime = params::datetime(p)?;
        let queryables = collection.queryables();
        let names: Vec<&str> = queryables.iter().map(|q| q.name).collect();
        let cql = p
            .get("filter")
            .map(|t| cql::parse(t, filter_lang, &names))
            .transpose()?;
        let scope = viewer.scope_key();
        filter.viewer = viewer;
        Ok(Query {
            limit,
            offset,
            bbox,
            near,
            radius,
            datetime,
            filter,
            cql,
            lang: lang::negotiate(p.get("lang").map(String::as_str), headers),
            now,
            scope,
        })
    }

    /// Does an update time fall in `datetime`?
    pub fn updated_ok(&self, t: Option<DateTime<Utc>>) -> bool {
        match (&self.datetime, t) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((from, to)), Some(t)) => from.is_none_or(|f| t >= f) && to.is_none_or(|e| t <= e),
        }
    }

    /// Does a feature pass the CQL2 filter (if any)?
    pub fn cql_ok(&self, f: &impl bussola_cql2::Feature) -> bool {
        self.cql
            .as_ref()
            .is_none_or(|e| bussola_cql2::evaluate(e, f))
    }
}
