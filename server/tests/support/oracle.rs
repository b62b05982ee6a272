//! Independent expectations for the API tests, computed from the demo GeoJSON itself
//! (`data/demo/venezia.geojson`) and written without the server's code: a different distance
//! formula, an opening-hours evaluator that steps minute by minute through the Rome wall
//! clock, and the law's holiday list. When the server and this module disagree, one of them
//! is wrong; neither is the reference for the other.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Rome;
use serde_json::Value;

/// The demo dataset, parsed.
pub fn demo() -> Value {
    let path = super::repo_file("data/demo/venezia.geojson");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("demo dataset")).expect("JSON")
}

/// Sportelli anyone may see: published and public.
pub fn public_sportelli(demo: &Value) -> Vec<&Value> {
    demo["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| {
            f["properties"]["status"] == "published" && f["properties"]["visibility"] == "public"
        })
        .collect()
}

/// (sportello, service) pairs anyone may see: both published.
pub fn public_offers(demo: &Value) -> Vec<(&Value, &Value)> {
    public_sportelli(demo)
        .into_iter()
        .flat_map(|f| {
            f["properties"]["services"]
                .as_array()
                .expect("services")
                .iter()
                .filter(|s| s["status"] == "published")
                .map(move |s| (f, s))
        })
        .collect()
}

/// The demo sportello with this id.
pub fn sportello<'a>(demo: &'a Value, id: &str) -> &'a Value {
    demo["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no sportello {id} in the demo data"))
}

/// The demo service with this id at this sportello.
pub fn service<'a>(demo: &'a Value, sportello_id: &str, service_id: &str) -> &'a Value {
    sportello(demo, sportello_id)["properties"]["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["id"] == service_id)
        .unwrap_or_else(|| panic!("no service {service_id} at {sportello_id}"))
}

/// [lon, lat] of a GeoJSON point feature.
pub fn lon_lat(f: &Value) -> (f64, f64) {
    let c = &f["geometry"]["coordinates"];
    (c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat"))
}

/// Metres of great circle on the sphere of radius 6,371,008.8 m (the IUGG mean radius the
/// API documents), by the atan2 form of the spherical Vincenty formula (the server uses the
/// haversine).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.1.to_radians(), b.1.to_radians());
    let dl = (b.0 - a.0).to_radians();
    let y = (p2.cos() * dl.sin()).hypot(p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos());
    let x = p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos();
    6_371_008.8 * y.atan2(x)
}

/// Easter Sunday from a published table (not computed).
const EASTER: [(i32, u32, u32); 7] = [
    (2024, 3, 31),
    (2025, 4, 20),
    (2026, 4, 5),
    (2027, 3, 28),
    (2028, 4, 16),
    (2029, 4, 1),
    (2030, 4, 21),
];

/// Italian national holidays (Legge 260/1949 as amended; 4 October from 2026 by Legge
/// 151/2025), for the years of the Easter table.
pub fn is_holiday(d: NaiveDate) -> bool {
    let fixed = [
        (1, 1),
        (1, 6),
        (4, 25),
        (5, 1),
        (6, 2),
        (8, 15),
        (11, 1),
        (12, 8),
        (12, 25),
        (12, 26),
    ];
    let (y, m, day) = (d.year(), d.month(), d.day());
    let (_, em, ed) = EASTER
        .iter()
        .copied()
        .find(|e| e.0 == y)
        .unwrap_or_else(|| panic!("no Easter date for {y} in the test's table"));
    let easter = NaiveDate::from_ymd_opt(y, em, ed).expect("date");
    fixed.contains(&(m, day))
        || (y >= 2026 && (m, day) == (10, 4))
        || d == easter
        || d == easter + Duration::days(1)
}

fn parse_minute(hhmm: &str) -> u32 {
    let (h, m) = hhmm.split_once(':').expect("HH:MM");
    h.parse::<u32>().expect("hour") * 60 + m.parse::<u32>().expect("minute")
}

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// Is minute `minute` of weekday `wd` (0 = Monday) inside the hours string? Reads the plain
/// subset the demo data uses: `Mo-Fr 09:00-12:30,14:00-16:00; Sa 09:00-12:00`, and
/// `Mo-Su off` alone for a period when the service is closed.
fn in_hours(hours: &str, wd: usize, minute: u32) -> bool {
    hours
        .split(';')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .any(|rule| {
            let (days, times) = rule.split_once(' ').expect("DAYS TIMES");
            if times == "off" {
                assert_eq!(hours, "Mo-Su off", "the oracle reads `off` only alone");
                return false;
            }
            let on_day = days.split(',').any(|d| match d.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (
                        DAYS.iter().position(|x| *x == a).expect("day"),
                        DAYS.iter().position(|x| *x == b).expect("day"),
                    );
                    (a..=b).contains(&wd)
                }
                None => DAYS.iter().position(|x| *x == d).expect("day") == wd,
            });
            on_day
                && times.split(',').any(|t| {
                    let (a, b) = t.trim().split_once('-').expect("HH:MM-HH:MM");
                    (parse_minute(a)..parse_minute(b)).contains(&minute)
                })
        })
}

/// Patron days of the comuni whose offices close for them (ISTAT code, month, day): Venezia's
/// San Marco and Chioggia's Santi Felice e Fortunato, from the cities' own feasts.
const PATRON_DAYS: [(&str, u32, u32); 2] = [("027042", 4, 25), ("027008", 6, 11)];

/// Open at `t` by the demo data's schedule object, with the national holidays only?
pub fn open_at(schedule: &Value, t: DateTime<Utc>) -> bool {
    open_in(schedule, "", t)
}

/// Open at `t` by the schedule of a sportello in `comune` (ISTAT code), where the patron day
/// is a holiday too?
pub fn open_in(schedule: &Value, comune: &str, t: DateTime<Utc>) -> bool {
    let local = t.with_timezone(&Rome);
    let date = local.date_naive();
    let day = date.to_string();
    if schedule["closed_on"]
        .as_array()
        .is_some_and(|c| c.iter().any(|d| d == &Value::String(day.clone())))
    {
        return false;
    }
    let patron = PATRON_DAYS
        .iter()
        .any(|(c, m, d)| *c == comune && (date.month(), date.day()) == (*m, *d));
    if schedule["public_holidays"] != "open" && (is_holiday(date) || patron) {
        return false;
    }
    let periods = schedule["periods"].as_array().expect("periods");
    let dated = |p: &&Value| !p["valid_from"].is_null() || !p["valid_to"].is_null();
    let covers = |p: &&Value| {
        p["valid_from"].as_str().is_none_or(|f| day.as_str() >= f)
            && p["valid_to"].as_str().is_none_or(|e| day.as_str() <= e)
    };
    let period = periods
        .iter()
        .filter(|p| dated(p) && covers(p))
        .max_by_key(|p| p["valid_from"].as_str().unwrap_or("").to_owned())
        .or_else(|| periods.iter().find(|p| !dated(p)));
    let Some(p) = period else { return false };
    let wd = date.weekday().num_days_from_monday() as usize;
    in_hours(
        p["hours"].as_str().expect("hours"),
        wd,
        local.hour() * 60 + local.minute(),
    )
}

/// The first whole minute after `t` at which the state changes, up to the end of the
/// fourteenth Rome day after today, stepping one minute at a time: (instant, opens).
/// `comune` as for [`open_in`].
pub fn next_change(
    schedule: &Value,
    comune: &str,
    t: DateTime<Utc>,
) -> Option<(DateTime<Utc>, bool)> {
    let now = open_in(schedule, comune, t);
    let last_day = t.with_timezone(&Rome).date_naive() + Duration::days(14);
    let start = t
        - Duration::seconds(i64::from(t.second()))
        - Duration::nanoseconds(i64::from(t.nanosecond()));
    let mut m = start + Duration::minutes(1);
    while m.with_timezone(&Rome).date_naive() <= last_day {
        let open = open_in(schedule, comune, m);
        if open != now {
            return Some((m, open));
        }
        m += Duration::minutes(1);
    }
    None
}

/// Public demo sportelli offering a published service of `category`, nearest first from
/// `from` by the oracle's distance (ties by id), from the demo GeoJSON.
pub fn demo_nearest(demo: &Value, from: (f64, f64), category: Option<&str>) -> Vec<(f64, String)> {
    let mut v: Vec<(f64, String)> = public_sportelli(demo)
        .into_iter()
        .filter(|f| {
            category.is_none_or(|c| {
                f["properties"]["services"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| {
                        s["status"] == "published"
                            && s["categories"].as_array().unwrap().iter().any(|x| x == c)
                    })
            })
        })
        .map(|f| {
            (
                distance_m(from, lon_lat(f)),
                f["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v
}
