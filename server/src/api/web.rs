//! What the bussola web app needs besides the OGC API: its configuration, the taxonomy and the
//! offline bundle (every public sportello of the territory in one document).

use super::error::Result;
use super::http::{self, GEOJSON, JSON};
use super::params::QueryParams;
use super::AppState;
use crate::export;
use crate::index::Filter;
use crate::model::Dataset;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Datelike;
use serde_json::{json, Value};

/// The gazetteer shipped in the binary (comuni, frazioni, localities).
pub const GAZETTEER: &str = include_str!("../../../data/gazetteer.json");

/// `GET /api/config`.
pub async fn config(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let c = state.directory.catalog();
    let bbox = c.sportelli_extent();
    let territory = c
        .metadata
        .as_ref()
        .and_then(|m| m.0.get("territory").cloned());
    let body = json!({
        "basemap_style": state.basemap_style,
        "territory": {"name": territory, "bbox": bbox},
        "demo": c.metadata.as_ref().is_some_and(|m| m.is_demo()),
    });
    let tag = http::etag((c.revision, "config", &state.basemap_style));
    Ok(http::respond(&headers, &tag, JSON, 300, None, || {
        body.to_string().into_bytes()
    }))
}

/// `GET /api/taxonomy`.
pub async fn taxonomy(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let body = serde_json::to_vec(state.directory.taxonomy()).unwrap_or_default();
    Ok(http::respond(
        &headers,
        &http::etag(("taxonomy", body.len())),
        JSON,
        3600,
        None,
        || body,
    ))
}

/// `GET /api/bundle`: public sportelli with all their translations, organisations, the
/// taxonomy, the gazetteer and the comuni list, in the dataset format.
pub async fn bundle(
    State(state): State<AppState>,
    QueryParams(_p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let c = state.directory.catalog();
    let tag = http::etag((c.revision, "bundle"));
    let taxonomy = state.directory.taxonomy().clone();
    let body = move || {
        let public = Filter::default();
        let sportelli: Vec<_> = c.sportelli().iter().filter(|s| public.matches(s)).collect();
        let mut d = Dataset {
            metadata: c.metadata.clone(),
            ..Default::default()
        };
        let mut orgs = std::collections::BTreeSet::new();
        let mut services = std::collections::HashSet::new();
        for s in &sportelli {
            d.locations.push((*s.location).clone());
            orgs.insert(s.location.organization_id.clone());
            for o in s.offers.iter().filter(|o| public.offer_matches(o)) {
                if services.insert(o.service.id.clone()) {
                    d.services.push((*o.service).clone());
                    orgs.insert(o.service.organization_id.clone());
                }
                d.service_at_locations.push((*o.sal).clone());
            }
        }
        d.organizations = orgs
            .iter()
            .filter_map(|id| c.organizations.get(id))
            .map(|o| (**o).clone())
            .collect();
        let mut v = export::dataset_geojson(&d);
        compile_hours(&mut v);
        let gazetteer: serde_json::Value =
            serde_json::from_str(GAZETTEER).unwrap_or(json!({"places": []}));
        let comuni: Vec<_> = c
            .comuni
            .values()
            .map(|x| json!({"istat": x.istat, "name": x.name}))
            .collect();
        let extra = &mut v[crate::import::dataset::MEMBER];
        extra["taxonomy"] = serde_json::to_value(&taxonomy).unwrap_or_default();
        extra["gazetteer"] = gazetteer;
        extra["comuni"] = json!(comuni);
        extra["generated_at"] = json!(super::render::rfc3339(&chrono::Utc::now()));
        extra["revision"] = json!(c.revision);
        extra["public_holidays"] = json!(public_holidays(chrono::Utc::now().year()));
        serde_json::to_vec(&v).unwrap_or_default()
    };
    Ok(http::respond(&headers, &tag, GEOJSON, 300, None, body))
}

/// Adds to every schedule period of the bundle its weekly hours as minutes since midnight,
/// Monday first (`"week": [[[510, 750]], [], ...]`), so the app evaluates opening hours offline
/// without parsing the hours syntax.
fn compile_hours(v: &mut Value) {
    let Some(features) = v.get_mut("features").and_then(Value::as_array_mut) else {
        return;
    };
    for f in features {
        let Some(services) = f
            .pointer_mut("/properties/services")
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for s in services {
            let Some(periods) = s
                .pointer_mut("/schedule/periods")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for p in periods {
                let hours = p.get("hours").and_then(Value::as_str).unwrap_or("");
                let Ok(weekly) = hours.parse::<bussola_hours::WeeklyHours>() else {
                    continue;
                };
                let week: Vec<Vec<[u16; 2]>> = [
                    chrono::Weekday::Mon,
                    chrono::Weekday::Tue,
                    chrono::Weekday::Wed,
                    chrono::Weekday::Thu,
                    chrono::Weekday::Fri,
                    chrono::Weekday::Sat,
                    chrono::Weekday::Sun,
                ]
                .iter()
                .map(|d| weekly.day(*d).iter().map(|i| [i.start, i.end]).collect())
                .collect();
                p["week"] = json!(week);
            }
        }
    }
}

/// National public holidays from last year to the year after next, as `YYYY-MM-DD`.
fn public_holidays(year: i32) -> Vec<String> {
    let mut out = Vec::new();
    for y in year - 1..=year + 2 {
        let mut d = chrono::NaiveDate::from_ymd_opt(y, 1, 1);
        while let Some(day) = d.filter(|x| x.year() == y) {
            if bussola_hours::is_public_holiday(day) {
                out.push(day.to_string());
            }
            d = day.succ_opt();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_hours_are_minutes_monday_first() {
        let mut v = json!({"features": [{"properties": {"services": [{"schedule": {"periods": [
            {"hours": "Mo-Fr 08:30-12:30; Tu 14:30-16:00"}
        ]}}]}}]});
        compile_hours(&mut v);
        let week = &v
            .pointer("/features/0/properties/services/0/schedule/periods/0/week")
            .unwrap();
        assert_eq!(week[0], json!([[510, 750]]));
        assert_eq!(week[1], json!([[510, 750], [870, 960]]));
        assert_eq!(week[6], json!([]));
    }

    #[test]
    fn holidays_include_easter_monday_and_christmas() {
        let h = public_holidays(2026);
        assert!(h.contains(&"2026-04-06".to_string()));
        assert!(h.contains(&"2027-12-25".to_string()));
        assert!(!h.contains(&"2026-04-07".to_string()));
        // 2025 has 12 dated holidays (Easter Sunday included); from 2026, 13 with 4 October.
        assert!(h.contains(&"2026-10-04".to_string()));
        assert_eq!(h.len(), 12 + 3 * 13);
    }
}
