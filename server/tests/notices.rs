//! Dated notices, through the real router: a closure changes "open now", the next change and
//! the `open_at` filter; a notice in force today is in the features and the HTML view, one
//! that ended yesterday is nowhere, one that starts tomorrow travels in the offline bundle
//! with its dates but is not shown as in force.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::Router;
use bussola::model::{rome_date, Location, ServiceAtLocation};
use bussola::store::ChangeSet;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Rome;
use serde_json::{json, Value};
use support::client::{get, ids};
use support::oracle;

/// A Tuesday with no holiday in 2027, and the Tuesday after.
const CLOSED_TUESDAY: &str = "2027-03-02";
const OPEN_TUESDAY: &str = "2027-03-09";

struct Fixture {
    _dir: tempfile::TempDir,
    app: Router,
    sportello: String,
    service: String,
    today: NaiveDate,
}

/// The demo app with one Venezia sportello (one the oracle finds open on Tuesday mornings)
/// given notices: a closure over today and tomorrow, a closure over [`CLOSED_TUESDAY`], a
/// message that ended yesterday and one that starts tomorrow; and a "full" notice on its
/// first service, in force today.
async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let config = support::test_config(dir.path());
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let demo = oracle::demo();
    let tuesday = |d: &str| {
        let d: NaiveDate = d.parse().unwrap();
        Rome.from_local_datetime(&d.and_hms_opt(10, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let (f, s) = oracle::public_offers(&demo)
        .into_iter()
        .find(|(f, s)| {
            f["properties"]["address"]["comune_istat"] == "027042"
                && oracle::open_in(&s["schedule"], "027042", tuesday(OPEN_TUESDAY))
                && oracle::open_in(&s["schedule"], "027042", tuesday(CLOSED_TUESDAY))
        })
        .expect("a Venezia service open on Tuesday mornings");
    let sportello = f["id"].as_str().unwrap().to_owned();
    let service = s["id"].as_str().unwrap().to_owned();
    let catalog = directory.catalog();
    let here = catalog.sportello(&sportello).unwrap();
    let today = rome_date(Utc::now());
    let day = |n: i64| (today + Duration::days(n)).to_string();
    let mut loc = serde_json::to_value(&*here.location).unwrap();
    loc["notices"] = json!([
        {"kind": "closed", "from": day(0), "until": day(1),
         "message": {"it": "Chiuso per inventario", "en": "Closed for stocktaking"}},
        {"kind": "closed", "from": CLOSED_TUESDAY, "until": CLOSED_TUESDAY},
        {"kind": "message", "from": day(-10), "until": day(-1), "message": {"it": "Avviso scaduto ieri"}},
        {"kind": "message", "from": day(1), "message": {"it": "Nuovo ingresso da domani"}},
    ]);
    let loc: Location = serde_json::from_value(loc).unwrap();
    let offer = here
        .offers
        .iter()
        .find(|o| o.service.id.as_str() == service)
        .unwrap();
    let mut sal = serde_json::to_value(&*offer.sal).unwrap();
    sal["notices"] = json!([{"kind": "saturation", "places": "full", "from": day(-3), "until": day(40),
        "message": {"it": "Corso pieno"}}]);
    let sal: ServiceAtLocation = serde_json::from_value(sal).unwrap();
    let mut change = ChangeSet::default();
    change.dataset.locations.push(loc);
    change.dataset.service_at_locations.push(sal);
    directory.apply(&change).await.unwrap();
    Fixture {
        _dir: dir,
        app: bussola::api::router(directory, &config),
        sportello,
        service,
        today,
    }
}

fn offer<'a>(feature: &'a Value, service: &str) -> &'a Value {
    feature["properties"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == service)
        .unwrap()
}

#[tokio::test]
async fn a_closure_closes_now_and_moves_the_next_opening_past_it() {
    let f = fixture().await;
    let r = get(
        &f.app,
        &format!("/api/collections/sportelli/items/{}", f.sportello),
    )
    .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["properties"]["open_now"], false, "closed today");
    for s in v["properties"]["services"].as_array().unwrap() {
        assert_eq!(s["open_now"], false, "{}", s["id"]);
        if let Some(at) = s["next_change"]["at"].as_str() {
            let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
            assert!(
                rome_date(at.with_timezone(&Utc)) >= f.today + Duration::days(2),
                "{}: the next opening is after the closure, not {at}",
                s["id"]
            );
            assert_eq!(s["next_change"]["opens"], true);
        }
    }
    // The same through the list, pre-rendered.
    let list = get(
        &f.app,
        "/api/collections/sportelli/items?comune=027042&limit=1000",
    )
    .await;
    let mine = list.json()["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == f.sportello.as_str())
        .cloned()
        .unwrap();
    assert_eq!(mine, v);
}

#[tokio::test]
async fn open_at_leaves_out_a_sportello_closed_that_day() {
    let f = fixture().await;
    let at = |d: &str| {
        format!("/api/collections/sportelli/items?comune=027042&limit=1000&open_at={d}T10:00:00%2B01:00")
    };
    let open = ids(&get(&f.app, &at(OPEN_TUESDAY)).await.json());
    assert!(open.contains(&f.sportello), "open the Tuesday after");
    let closed = ids(&get(&f.app, &at(CLOSED_TUESDAY)).await.json());
    assert!(!closed.contains(&f.sportello), "closed on {CLOSED_TUESDAY}");
    assert!(!closed.is_empty(), "other sportelli stay open");
}

#[tokio::test]
async fn only_notices_in_force_today_are_shown_and_the_bundle_carries_the_coming_ones() {
    let f = fixture().await;
    let item = format!("/api/collections/sportelli/items/{}", f.sportello);
    let v = get(&f.app, &item).await.json();
    let notices = v["properties"]["notices"].as_array().unwrap();
    let messages: Vec<&str> = notices
        .iter()
        .filter_map(|n| n["message"].as_str())
        .collect();
    assert_eq!(messages, ["Chiuso per inventario"], "{notices:?}");
    assert_eq!(notices[0]["kind"], "closed");
    assert_eq!(
        notices[0]["until"],
        (f.today + Duration::days(1)).to_string()
    );
    let full = &offer(&v, &f.service)["notices"][0];
    assert_eq!(full["kind"], "saturation");
    assert_eq!(full["places"], "full");
    assert_eq!(full["until"], (f.today + Duration::days(40)).to_string());
    // English, with the Italian fallback named.
    let en = get(&f.app, &format!("{item}?lang=en")).await.json();
    assert_eq!(
        en["properties"]["notices"][0]["message"],
        "Closed for stocktaking"
    );
    assert_eq!(
        offer(&en, &f.service)["fallback"]["notices[0].message"],
        "it"
    );

    let html = get(&f.app, &format!("{item}?f=html")).await;
    let page = String::from_utf8_lossy(&html.body);
    assert!(page.contains("Chiuso per inventario"), "in force today");
    assert!(page.contains("Corso pieno"));
    assert!(!page.contains("Avviso scaduto ieri"), "ended yesterday");
    assert!(
        !page.contains("Nuovo ingresso da domani"),
        "starts tomorrow"
    );

    let bundle = get(&f.app, "/api/bundle").await.json();
    let mine = bundle["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == f.sportello.as_str())
        .unwrap();
    let carried: Vec<(&str, &str)> = mine["properties"]["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["kind"].as_str().unwrap(), n["from"].as_str().unwrap()))
        .collect();
    let tomorrow = (f.today + Duration::days(1)).to_string();
    let today = f.today.to_string();
    assert_eq!(
        carried,
        [
            ("closed", today.as_str()),
            ("closed", CLOSED_TUESDAY),
            ("message", tomorrow.as_str())
        ],
        "the one over is left out, the coming ones travel with their dates"
    );
    let svc = offer(mine, &f.service);
    assert_eq!(svc["notices"][0]["places"], "full");
    // The closures are compiled into the schedule the app evaluates.
    let closed_on: Vec<&str> = svc["schedule"]["closed_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    for d in [today.as_str(), tomorrow.as_str(), CLOSED_TUESDAY] {
        assert!(closed_on.contains(&d), "{d} in {closed_on:?}");
    }
}

/// A Venezia sportello with a closure beginning in 5 days and one in 20, and a "full" notice
/// beginning in 3 days on its first service; the app and the bundle built on it.
async fn announced() -> (tempfile::TempDir, Router, String, String, NaiveDate) {
    let dir = tempfile::tempdir().unwrap();
    let config = support::test_config(dir.path());
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let catalog = directory.catalog();
    let here = catalog
        .sportelli()
        .iter()
        .find(|s| s.location.address.comune_istat == "027042" && !s.offers.is_empty())
        .cloned()
        .unwrap();
    let today = rome_date(Utc::now());
    let day = |n: i64| (today + Duration::days(n)).to_string();
    let mut loc = serde_json::to_value(&*here.location).unwrap();
    loc["notices"] = json!([
        {"kind": "closed", "from": day(5), "until": day(12), "message": {"it": "Chiuso per ferie"}},
        {"kind": "closed", "from": day(20), "until": day(21), "message": {"it": "Chiusura lontana"}},
    ]);
    let loc: Location = serde_json::from_value(loc).unwrap();
    let offer = &here.offers[0];
    let mut sal = serde_json::to_value(&*offer.sal).unwrap();
    sal["notices"] = json!([{"kind": "saturation", "places": "full", "from": day(3),
        "message": {"it": "Corso pieno da lunedì"}}]);
    let sal: ServiceAtLocation = serde_json::from_value(sal).unwrap();
    let mut change = ChangeSet::default();
    change.dataset.locations.push(loc);
    change.dataset.service_at_locations.push(sal);
    directory.apply(&change).await.unwrap();
    let sportello = here.location.id.to_string();
    let service = offer.service.id.to_string();
    (
        dir,
        bussola::api::router(directory, &config),
        sportello,
        service,
        today,
    )
}

#[tokio::test]
async fn closures_and_places_are_announced_14_days_ahead_in_the_features_and_the_html_view() {
    let (_dir, app, sportello, service, today) = announced().await;
    let item = format!("/api/collections/sportelli/items/{sportello}");
    let v = get(&app, &item).await.json();
    assert!(
        v["properties"].get("notices").is_none(),
        "nothing is in force today"
    );
    let coming: Vec<(&str, &str)> = v["properties"]["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["kind"].as_str().unwrap(), n["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        coming,
        [("closed", "Chiuso per ferie")],
        "in 5 days, not in 20"
    );
    let first = &v["properties"]["upcoming"][0];
    assert_eq!(first["from"], (today + Duration::days(5)).to_string());
    assert_eq!(first["until"], (today + Duration::days(12)).to_string());
    let svc = offer(&v, &service);
    assert_eq!(svc["upcoming"][0]["places"], "full");
    assert!(svc.get("notices").is_none());

    for (lang, heading, closed, full) in [
        ("it", "In arrivo", "Chiuso", "Posti esauriti"),
        ("ar", "قريبًا", "مغلق", "لا توجد أماكن شاغرة"),
    ] {
        let html = get(&app, &format!("{item}?f=html&lang={lang}")).await;
        let page = String::from_utf8_lossy(&html.body).into_owned();
        let section = page
            .split("<section class=\"notice upcoming\" id=\"upcoming\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{lang}: a section announces them"))
            .split("</section>")
            .next()
            .unwrap()
            .to_owned();
        assert!(section.contains(&format!("<h2>{heading}</h2>")), "{lang}");
        assert!(
            section.contains(&format!("<strong>{closed}</strong>")),
            "{lang}"
        );
        assert!(
            section.contains(&format!("<strong>{full}</strong>")),
            "{lang}"
        );
        assert!(section.contains("Chiuso per ferie"), "{lang}");
        assert!(section.contains("Corso pieno da lunedì"), "{lang}");
        assert!(!page.contains("Chiusura lontana"), "{lang}: 20 days ahead");
        assert!(page.contains(&format!("<html lang=\"{lang}\"")));
    }
    // The Italian dates, written by hand from the rule ("5 agosto 2027 – 12 agosto 2027").
    let months = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    let it = |d: NaiveDate| {
        use chrono::Datelike;
        format!("{} {} {}", d.day(), months[d.month0() as usize], d.year())
    };
    let html = get(&app, &format!("{item}?f=html&lang=it")).await;
    let page = String::from_utf8_lossy(&html.body).into_owned();
    let range = format!(
        "<strong>Chiuso</strong>: {} – {}",
        it(today + Duration::days(5)),
        it(today + Duration::days(12))
    );
    assert!(page.contains(&range), "{range}");
    let from = format!(
        "<strong>Posti esauriti</strong>: dal giorno {}",
        it(today + Duration::days(3))
    );
    assert!(page.contains(&from), "{from}");
}

#[tokio::test]
async fn the_offline_bundle_carries_every_coming_notice_with_its_dates() {
    let (_dir, app, sportello, service, today) = announced().await;
    let bundle = get(&app, "/api/bundle").await.json();
    let mine = bundle["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == sportello.as_str())
        .unwrap();
    let froms: Vec<&str> = mine["properties"]["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["from"].as_str().unwrap())
        .collect();
    let (d5, d20) = (
        (today + Duration::days(5)).to_string(),
        (today + Duration::days(20)).to_string(),
    );
    assert_eq!(
        froms,
        [d5.as_str(), d20.as_str()],
        "both, so the app announces the later one when its day comes, offline"
    );
    let svc = offer(mine, &service);
    assert_eq!(svc["notices"][0]["places"], "full");
    assert_eq!(
        svc["notices"][0]["from"],
        (today + Duration::days(3)).to_string()
    );
}
