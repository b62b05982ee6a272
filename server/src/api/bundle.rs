//! `GET /api/bundle`: the offline bundle (every sportello the viewer may see with all its
//! translations, organisations, the taxonomy, the gazetteer, the comuni and the holidays, in
//! the dataset format), built once per revision and viewer scope, off the async workers, and
//! kept with its gzip and brotli forms, so a request (GET or HEAD) only picks the bytes its
//! `Accept-Encoding` allows.

use super::error::Result;
use super::http::{self, GEOJSON};
use super::params::QueryParams;
use super::web::GAZETTEER;
use super::AppState;
use crate::access::Viewer;
use crate::export;
use crate::freshness::Thresholds;
use crate::index::{Catalog, Filter};
use crate::model::{
    effective_schedule, rome_date, Checked, Dataset, Meta, Notice, Provenance, Taxonomy,
};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};
use std::io::Write;
use std::sync::Arc;

/// Seconds clients may keep the bundle.
const MAX_AGE: u32 = 300;

/// The bundle of one revision in each encoding.
pub struct Built {
    revision: i64,
    /// The Rome day it was built for: notices over by then are left out.
    day: NaiveDate,
    tag: String,
    identity: Bytes,
    gzip: Bytes,
    br: Bytes,
}

/// The last bundle built for each viewer scope (the public's and, while the revision lasts,
/// those of signed-in viewers). Requests for a new revision wait for one build instead of
/// each building their own.
#[derive(Default)]
pub struct Cache {
    slots: tokio::sync::Mutex<std::collections::HashMap<String, Arc<Built>>>,
}

impl Cache {
    /// The bundle of `catalog`'s revision for `viewer`, building it if needed. The build runs
    /// in a task of its own, so a client that gives up (or a request timeout) does not waste
    /// it: the next request finds it done.
    async fn get(
        self: &Arc<Self>,
        state: &AppState,
        catalog: Arc<Catalog>,
        viewer: Viewer,
    ) -> Result<Arc<Built>> {
        let this = self.clone();
        let gate = state.heavy.clone();
        let taxonomy = state.directory.taxonomy().clone();
        let freshness = state.freshness.clone();
        let day = rome_date(chrono::Utc::now());
        let task = tokio::spawn(async move {
            let mut slots = this.slots.lock().await;
            let scope = viewer.scope_key();
            if let Some(b) = slots.get(&scope) {
                if b.revision == catalog.revision && b.day == day {
                    return Ok(b.clone());
                }
            }
            // Bundles of older revisions are of no use to anyone any more.
            slots.retain(|_, b| b.revision == catalog.revision && b.day == day);
            let filter = Filter {
                viewer,
                ..Filter::default()
            };
            let started = std::time::Instant::now();
            // The bundle is the territory's whole dataset: it is not cut short by the query
            // deadline, but it takes a heavy slot like any other heavy work.
            let built = gate
                .run(move |_| Ok(build(&catalog, &filter, &taxonomy, &freshness, day)))
                .await?;
            tracing::info!(
                revision = built.revision,
                bytes = built.identity.len(),
                gzip = built.gzip.len(),
                br = built.br.len(),
                ms = started.elapsed().as_millis() as u64,
                "built the offline bundle"
            );
            super::metrics::bundle_built();
            let built = Arc::new(built);
            slots.insert(scope, built.clone());
            Ok(built)
        });
        task.await
            .map_err(|e| super::error::Error::Internal(anyhow::anyhow!("bundle build: {e}")))?
    }
}

/// `GET /api/bundle`.
pub async fn bundle(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(_p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let catalog = state.directory.catalog();
    let day = rome_date(chrono::Utc::now());
    let tag = tag_of(&viewer.scope_key(), catalog.revision, day);
    if let Some(r) = http::not_modified_response(&headers, &tag, MAX_AGE, None, &viewer) {
        return Ok(r);
    }
    let built = state.bundle.get(&state, catalog, viewer.clone()).await?;
    let (bytes, encoding) = match preferred_encoding(&headers) {
        Encoding::Br => (built.br.clone(), Some("br")),
        Encoding::Gzip => (built.gzip.clone(), Some("gzip")),
        Encoding::Identity => (built.identity.clone(), None),
    };
    let body = Body::from(bytes);
    let mut response = http::with_body(&built.tag, GEOJSON, MAX_AGE, None, &viewer, body);
    if let Some(e) = encoding {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    Ok(response)
}

fn tag_of(scope: &str, revision: i64, day: NaiveDate) -> String {
    http::etag((scope, revision, day.to_string(), "bundle"))
}

/// The content codings a bundle is kept in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

/// The best coding `Accept-Encoding` allows (RFC 9110 §12.5.3): brotli, then gzip, else none.
/// A coding with `q=0` is refused; `*` stands for any coding not named.
fn preferred_encoding(headers: &HeaderMap) -> Encoding {
    let mut br = None;
    let mut gzip = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match name.as_str() {
                "br" => br = Some(q),
                "gzip" | "x-gzip" => gzip = Some(q),
                "*" => any = Some(q),
                _ => {}
            }
        }
    }
    let accepts = |q: Option<f32>| q.or(any).is_some_and(|q| q > 0.0);
    if accepts(br) {
        Encoding::Br
    } else if accepts(gzip) {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Builds the bundle of `c` for `f`'s viewer and compresses it.
fn build(
    c: &Catalog,
    f: &Filter,
    taxonomy: &Taxonomy,
    freshness: &Thresholds,
    day: NaiveDate,
) -> Built {
    let identity = document(c, f, taxonomy, freshness, day);
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(identity.len() / 6),
        flate2::Compression::new(6),
    );
    let gzip = gz
        .write_all(&identity)
        .and_then(|_| gz.finish())
        .unwrap_or_default();
    let mut brw =
        brotli::CompressorWriter::new(Vec::with_capacity(identity.len() / 8), 4096, 5, 22);
    let br = brw
        .write_all(&identity)
        .and_then(|_| brw.flush())
        .map(|_| brw.into_inner())
        .unwrap_or_default();
    Built {
        revision: c.revision,
        day,
        tag: tag_of(&f.viewer.scope_key(), c.revision, day),
        identity: Bytes::from(identity),
        gzip: Bytes::from(gzip),
        br: Bytes::from(br),
    }
}

/// The bundle document: what `f`'s viewer may see on `day`. Notices over by then are left
/// out; the others travel with their dates (the app switches them by its own today, offline
/// for weeks if need be), and each offer's schedule is the one in force, with its closures
/// and replacement hours compiled in as closed days and dated periods.
fn document(
    c: &Catalog,
    f: &Filter,
    taxonomy: &Taxonomy,
    freshness: &Thresholds,
    day: NaiveDate,
) -> Vec<u8> {
    let year = day.year();
    let mut d = Dataset {
        metadata: c.metadata.clone(),
        ..Default::default()
    };
    let mut orgs = std::collections::BTreeSet::new();
    let mut services = std::collections::HashSet::new();
    for s in c.sportelli().iter().filter(|s| f.sees(s)) {
        let mut location = (*s.location).clone();
        current_notices(&mut location.notices, &mut location.meta, day);
        location.meta.translations.forget_authors();
        location.meta.provenance = location.meta.provenance.map(public_credit);
        d.locations.push(location);
        orgs.insert(s.location.organization_id.clone());
        for o in s.offers.iter().filter(|o| f.sees_offer(s, o)) {
            if services.insert(o.service.id.clone()) {
                let mut service = (*o.service).clone();
                service.meta.translations.forget_authors();
                service.meta.provenance = service.meta.provenance.map(public_credit);
                d.services.push(service);
                orgs.insert(o.service.organization_id.clone());
            }
            let mut sal = (*o.sal).clone();
            current_notices(&mut sal.notices, &mut sal.meta, day);
            sal.meta.translations.forget_authors();
            let notices = s.location.notices.iter().chain(&sal.notices);
            let notices = notices.filter(|n| !n.is_over(day));
            sal.schedule.rules = effective_schedule(&sal.schedule.rules, notices);
            d.service_at_locations.push(sal);
        }
    }
    d.organizations = orgs
        .iter()
        .filter_map(|id| c.organizations.get(id))
        .map(|o| {
            let mut o = (**o).clone();
            o.meta.translations.forget_authors();
            o.meta.provenance = None;
            o
        })
        .collect();
    let gazetteer: Value = serde_json::from_str(GAZETTEER).unwrap_or(json!({"places": []}));
    let comuni: Vec<_> = c
        .comuni
        .values()
        .map(|x| json!({"istat": x.istat, "name": x.name}))
        .collect();
    let mut out = Vec::new();
    let written = export::write_dataset_geojson_with(
        &d,
        &mut out,
        |extra| {
            extra["taxonomy"] = serde_json::to_value(taxonomy).unwrap_or_default();
            extra["gazetteer"] = gazetteer;
            extra["comuni"] = json!(comuni);
            extra["generated_at"] = json!(super::render::rfc3339(&chrono::Utc::now()));
            extra["revision"] = json!(c.revision);
            // When a confirmed field may be out of date: the app says so by its own today.
            extra["freshness_days"] = Checked::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), json!(freshness.days(*k))))
                .collect::<serde_json::Map<_, _>>()
                .into();
            extra["public_holidays"] = json!(public_holidays(year));
            add_local_holidays(extra, year);
        },
        |f| {
            compile_feature_hours(f);
            credit_once(f);
        },
    );
    if let Err(e) = written {
        tracing::error!(error = %e, "writing the bundle failed");
    }
    out
}

/// Keeps the notices not over on `day`, and the translations' provenance of their messages
/// under their new places (`notices/3/message/en` becomes `notices/1/…` when the two before
/// it are over), so the app finds whose text each message is.
fn current_notices(notices: &mut Vec<Notice>, meta: &mut Meta, day: NaiveDate) {
    let mut place = Vec::with_capacity(notices.len());
    let mut kept = 0;
    for n in notices.iter() {
        place.push((!n.is_over(day)).then_some(kept));
        if !n.is_over(day) {
            kept += 1;
        }
    }
    notices.retain(|n| !n.is_over(day));
    let entries = std::mem::take(&mut meta.translations.0);
    meta.translations.0 = entries
        .into_iter()
        .filter_map(|(key, t)| {
            let Some(rest) = key.strip_prefix("notices/") else {
                return Some((key, t));
            };
            let (i, tail) = rest.split_once('/')?;
            let to = place.get(i.parse::<usize>().ok()?).copied().flatten()?;
            Some((format!("notices/{to}/{tail}"), t))
        })
        .collect();
}

/// What the public app needs of a provenance: the credit (source, licence, attribution,
/// URL), not when or through which import it came.
fn public_credit(p: Provenance) -> Provenance {
    Provenance {
        imported_at: None,
        import: None,
        ..p
    }
}

/// A service from where its sportello came from leaves its provenance out (the app takes
/// the sportello's); one from nowhere known at a sportello with one says `null`.
fn credit_once(f: &mut Value) {
    let own = f.pointer("/properties/provenance").cloned();
    let Some(services) = f
        .pointer_mut("/properties/services")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for s in services.iter_mut().filter_map(Value::as_object_mut) {
        match (s.get("provenance"), &own) {
            (mine, Some(_)) if mine == own.as_ref() => {
                s.remove("provenance");
            }
            (None, Some(_)) => {
                s.insert("provenance".into(), Value::Null);
            }
            _ => {}
        }
    }
}

/// Adds to every schedule period of a bundle feature its weekly hours as minutes since
/// midnight, Monday first (`"week": [[[510, 750]], [], ...]`), so the app evaluates opening
/// hours offline without parsing the hours syntax.
fn compile_feature_hours(f: &mut Value) {
    let Some(services) = f
        .pointer_mut("/properties/services")
        .and_then(Value::as_array_mut)
    else {
        return;
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

/// Each known comune's patron day over the same years as the national holidays
/// (`local_holidays: {"027008": ["2026-06-11", …]}`), and the saint's name by language
/// (`patron_days: {"027008": {"it": "Santi Felice e Fortunato", …}}`) for the week view: a
/// sportello there that closes on public holidays closes on these days too.
fn add_local_holidays(extra: &mut Value, year: i32) {
    let mut dates = serde_json::Map::new();
    let mut names = serde_json::Map::new();
    for p in &bussola_hours::calendar().patron_days {
        let days: Vec<String> = (year - 1..=year + 2)
            .filter_map(|y| bussola_hours::patron_day(&p.comune, y))
            .map(|d| d.to_string())
            .collect();
        dates.insert(p.comune.clone(), json!(days));
        names.insert(p.comune.clone(), json!(p.name));
    }
    extra["local_holidays"] = Value::Object(dates);
    extra["patron_days"] = Value::Object(names);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_hours_are_minutes_monday_first() {
        let mut v = json!({"properties": {"services": [{"schedule": {"periods": [
            {"hours": "Mo-Fr 08:30-12:30; Tu 14:30-16:00"}
        ]}}]}});
        compile_feature_hours(&mut v);
        let week = &v
            .pointer("/properties/services/0/schedule/periods/0/week")
            .expect("week");
        assert_eq!(week[0], json!([[510, 750]]));
        assert_eq!(week[1], json!([[510, 750], [870, 960]]));
        assert_eq!(week[6], json!([]));
    }

    #[test]
    fn notices_over_leave_and_their_messages_provenance_follows_the_rest() {
        let notices: Vec<Notice> = serde_json::from_value(json!([
            {"kind": "message", "from": "2026-01-01", "until": "2026-01-31", "message": {"it": "a"}},
            {"kind": "message", "from": "2026-01-01", "message": {"it": "b", "en": "b"}},
        ]))
        .expect("notices");
        let mut meta: Meta = serde_json::from_value(json!({"translations": {
            "notices/0/message/en": {"by": "person"},
            "notices/1/message/en": {"by": "machine"},
            "schedule/note/en": {"by": "machine"},
        }}))
        .expect("meta");
        let mut kept = notices.clone();
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).expect("day");
        current_notices(&mut kept, &mut meta, day);
        assert_eq!(kept, notices[1..]);
        let keys: Vec<&str> = meta.translations.0.keys().map(String::as_str).collect();
        assert_eq!(keys, ["notices/0/message/en", "schedule/note/en"]);
        assert!(meta.translations.is_machine("notices/0/message", "en"));
    }

    #[test]
    fn a_service_names_its_source_only_when_not_its_sportellos() {
        let credit = json!({"source": "x", "licence": "CC0-1.0"});
        let mut f = json!({"properties": {"provenance": credit, "services": [
            {"id": "a", "provenance": credit}, {"id": "b", "provenance": {"source": "y"}}, {"id": "c"}
        ]}});
        credit_once(&mut f);
        let s = &f["properties"]["services"];
        assert!(s[0].get("provenance").is_none());
        assert_eq!(s[1]["provenance"], json!({"source": "y"}));
        assert_eq!(s[2]["provenance"], Value::Null);
        assert!(s[2].get("provenance").is_some());
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

    #[test]
    fn local_holidays_are_each_comunes_patron_day_over_the_same_years() {
        let mut extra = json!({});
        add_local_holidays(&mut extra, 2026);
        assert_eq!(
            extra["local_holidays"]["027008"],
            json!(["2025-06-11", "2026-06-11", "2027-06-11", "2028-06-11"])
        );
        assert_eq!(
            extra["patron_days"]["027008"]["it"],
            "Santi Felice e Fortunato"
        );
        assert_eq!(extra["local_holidays"]["027042"][1], "2026-04-25");
        assert!(
            extra["local_holidays"].get("027012").is_none(),
            "Dolo: unknown"
        );
    }

    fn accept(v: &str) -> Encoding {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(v).expect("header"),
        );
        preferred_encoding(&h)
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert_eq!(preferred_encoding(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(accept("gzip, deflate, br, zstd"), Encoding::Br);
        assert_eq!(accept("gzip"), Encoding::Gzip);
        assert_eq!(accept("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(accept("br;q=0, gzip;q=0"), Encoding::Identity);
        assert_eq!(accept("*"), Encoding::Br);
        assert_eq!(accept("*;q=0"), Encoding::Identity);
        assert_eq!(accept("identity"), Encoding::Identity);
        assert_eq!(accept("GZIP ; q=1"), Encoding::Gzip);
    }
}
