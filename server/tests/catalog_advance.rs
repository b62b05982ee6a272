//! A catalog advanced delta by delta answers exactly like one built from scratch from the
//! final state: for random sequences of edits over the demo data (sportelli created, moved,
//! archived and brought back, handed to another organisation, turned into reception centres;
//! notices on sportelli and on offers; services edited, archived, created and offered at
//! several sportelli; offers moved, archived and switched to another service; organisations,
//! projects and comuni renamed), after every delta: the records, the sportelli in order with
//! their offers and compiled hours, the handles, nearest and bounding-box hits for several
//! viewers, the reception layer, the per-comune counts and extents, project areas, and every
//! sportello's pre-rendered feature (rendered through the advanced catalog's cache, which it
//! inherited from the catalogs before it, against a fresh serialisation).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::access::{Credential, Viewer};
use bussola::api::render::{sportello, write_sportello};
use bussola::index::{Catalog, Filter};
use bussola::model::{
    Bbox, Comune, Dataset, Id, Location, LonLat, Organization, Project, Role, Service,
    ServiceAtLocation, Username,
};
use bussola::store::Snapshot;
use chrono::{TimeZone, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Instant;

async fn demo_snapshot() -> Snapshot {
    let dir = tempfile::tempdir().unwrap();
    let config = support::test_config(dir.path());
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    directory.store().load().await.unwrap()
}

/// The directory as records by id: what the store would hold.
#[derive(Clone, Default)]
struct World {
    revision: i64,
    organizations: BTreeMap<Id, Organization>,
    locations: BTreeMap<Id, Location>,
    services: BTreeMap<Id, Service>,
    sals: BTreeMap<Id, ServiceAtLocation>,
    projects: BTreeMap<Id, Project>,
    comuni: BTreeMap<String, Comune>,
}

impl World {
    fn of(s: &Snapshot) -> World {
        let mut w = World::default();
        w.apply(s);
        w
    }

    fn apply(&mut self, s: &Snapshot) {
        self.revision = self.revision.max(s.revision);
        let d = &s.dataset;
        for r in &d.organizations {
            self.organizations.insert(r.id.clone(), r.clone());
        }
        for r in &d.locations {
            self.locations.insert(r.id.clone(), r.clone());
        }
        for r in &d.services {
            self.services.insert(r.id.clone(), r.clone());
        }
        for r in &d.service_at_locations {
            self.sals.insert(r.id.clone(), r.clone());
        }
        for r in &d.projects {
            self.projects.insert(r.id.clone(), r.clone());
        }
        for c in &s.comuni {
            self.comuni.insert(c.istat.clone(), c.clone());
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            revision: self.revision,
            dataset: Dataset {
                organizations: self.organizations.values().cloned().collect(),
                locations: self.locations.values().cloned().collect(),
                services: self.services.values().cloned().collect(),
                service_at_locations: self.sals.values().cloned().collect(),
                projects: self.projects.values().cloned().collect(),
                ..Default::default()
            },
            comuni: self.comuni.values().cloned().collect(),
        }
    }
}

/// `r` with its JSON changed by `f` and its version bumped, as a store write would.
fn tweak<T: Serialize + DeserializeOwned>(r: &T, f: impl FnOnce(&mut Value)) -> T {
    let mut v = serde_json::to_value(r).unwrap();
    f(&mut v);
    let version = v["version"].as_i64().unwrap_or(1);
    v["version"] = json!(version + 1);
    serde_json::from_value(v).unwrap()
}

fn pick<'a, K, V>(m: &'a BTreeMap<K, V>, rng: &mut SmallRng) -> &'a V {
    m.values().nth(rng.gen_range(0..m.len())).unwrap()
}

fn point(rng: &mut SmallRng) -> Value {
    json!([
        12.0 + rng.gen_range(0.0..0.6),
        45.25 + rng.gen_range(0.0..0.4)
    ])
}

/// One random delta of 1 to 4 edits (the next revision), written the way the store would
/// return it: each record whole, at most once.
fn random_delta(w: &World, rng: &mut SmallRng, n: usize) -> Snapshot {
    let mut next = w.clone();
    let mut d = World {
        revision: w.revision + 1,
        ..Default::default()
    };
    let notices: Vec<Value> = w
        .locations
        .values()
        .map(|l| serde_json::to_value(&l.notices).unwrap())
        .chain(
            w.sals
                .values()
                .map(|s| serde_json::to_value(&s.notices).unwrap()),
        )
        .filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
        .collect();
    let receptions: Vec<&Location> = w.locations.values().filter(|l| l.is_reception()).collect();
    for k in 0..rng.gen_range(1..=4) {
        let tag = format!("{}-{n}-{k}", w.revision);
        match rng.gen_range(0..15) {
            0 => {
                let l = tweak(pick(&next.locations, rng), |v| v["point"] = point(rng));
                d.locations.insert(l.id.clone(), l.clone());
                next.locations.insert(l.id.clone(), l);
            }
            1 => {
                let l = tweak(pick(&next.locations, rng), |v| {
                    v["status"] = json!(if v["status"] == "archived" {
                        "published"
                    } else {
                        "archived"
                    })
                });
                d.locations.insert(l.id.clone(), l.clone());
                next.locations.insert(l.id.clone(), l);
            }
            2 => {
                let n = notices.get(rng.gen_range(0..notices.len().max(1))).cloned();
                let clear = rng.gen_bool(0.3);
                let l = tweak(pick(&next.locations, rng), |v| {
                    v["notices"] = if clear {
                        json!([])
                    } else {
                        n.unwrap_or(json!([]))
                    }
                });
                d.locations.insert(l.id.clone(), l.clone());
                next.locations.insert(l.id.clone(), l);
            }
            3 => {
                let new_id = format!("loc-new-{tag}");
                let org = pick(&next.organizations, rng).id.clone();
                let l = tweak(pick(&next.locations, rng), |v| {
                    v["id"] = json!(new_id);
                    v["point"] = point(rng);
                    v["organization_id"] = json!(org);
                    v["status"] = json!("published");
                });
                d.locations.insert(l.id.clone(), l.clone());
                next.locations.insert(l.id.clone(), l);
            }
            4 => {
                let org = pick(&next.organizations, rng).id.clone();
                let l = tweak(pick(&next.locations, rng), |v| {
                    v["organization_id"] = json!(org)
                });
                d.locations.insert(l.id.clone(), l.clone());
                next.locations.insert(l.id.clone(), l);
            }
            5 => {
                let text = format!("servizio {tag}");
                let archive = rng.gen_bool(0.2);
                let s = tweak(pick(&next.services, rng), |v| {
                    v["name"]["it"] = json!(text);
                    if archive {
                        v["status"] = json!("archived");
                    }
                });
                d.services.insert(s.id.clone(), s.clone());
                next.services.insert(s.id.clone(), s);
            }
            6 | 7 => {
                // A new service, offered at two or three sportelli.
                let new_id = format!("svc-new-{tag}");
                let s = tweak(pick(&next.services, rng), |v| v["id"] = json!(new_id));
                for j in 0..rng.gen_range(2..=3) {
                    let loc = pick(&next.locations, rng).id.clone();
                    let sal = tweak(pick(&next.sals, rng), |v| {
                        v["id"] = json!(format!("{loc}~new-{tag}-{j}"));
                        v["location_id"] = json!(loc);
                        v["service_id"] = json!(new_id);
                        v["status"] = json!("published");
                    });
                    d.sals.insert(sal.id.clone(), sal.clone());
                    next.sals.insert(sal.id.clone(), sal);
                }
                d.services.insert(s.id.clone(), s.clone());
                next.services.insert(s.id.clone(), s);
            }
            8 => {
                let sal = tweak(pick(&next.sals, rng), |v| {
                    v["status"] = json!(if v["status"] == "archived" {
                        "published"
                    } else {
                        "archived"
                    })
                });
                d.sals.insert(sal.id.clone(), sal.clone());
                next.sals.insert(sal.id.clone(), sal);
            }
            9 => {
                // An offer moved to another sportello, or switched to another service.
                let loc = pick(&next.locations, rng).id.clone();
                let svc = pick(&next.services, rng).id.clone();
                let move_it = rng.gen_bool(0.5);
                let sal = tweak(pick(&next.sals, rng), |v| {
                    if move_it {
                        v["location_id"] = json!(loc);
                    } else {
                        v["service_id"] = json!(svc);
                    }
                });
                d.sals.insert(sal.id.clone(), sal.clone());
                next.sals.insert(sal.id.clone(), sal);
            }
            10 => {
                let n = notices.get(rng.gen_range(0..notices.len().max(1))).cloned();
                let schedule = serde_json::to_value(&pick(&next.sals, rng).schedule).unwrap();
                let sal = tweak(pick(&next.sals, rng), |v| {
                    v["notices"] = n.unwrap_or(json!([]));
                    v["schedule"] = schedule;
                });
                d.sals.insert(sal.id.clone(), sal.clone());
                next.sals.insert(sal.id.clone(), sal);
            }
            11 => {
                let name = format!("Ente {tag}");
                let o = tweak(pick(&next.organizations, rng), |v| v["name"] = json!(name));
                d.organizations.insert(o.id.clone(), o.clone());
                next.organizations.insert(o.id.clone(), o);
            }
            12 if !receptions.is_empty() => {
                // A sportello becomes a reception centre, or a centre a sportello.
                let r = receptions[rng.gen_range(0..receptions.len())];
                let reception = serde_json::to_value(&r.reception).unwrap();
                let visibility = serde_json::to_value(r.meta.visibility).unwrap();
                let l = tweak(pick(&next.locations, rng), |v| {
                    if v.get("reception").is_some() {
                        v.as_object_mut().unwrap().remove("reception");
                        v["visibility"] = json!("public");
                    } else {
                        v["reception"] = reception;
                        v["visibility"] = visibility;
                    }
                });
                d.locations.insert(l.id.clone(), l.clone());
                next.locations.insert(l.id.clone(), l);
            }
            13 if !next.projects.is_empty() => {
                let comuni: Vec<String> = next
                    .comuni
                    .keys()
                    .take(rng.gen_range(0..4))
                    .cloned()
                    .collect();
                let p = tweak(pick(&next.projects, rng), |v| {
                    v["territory"] = json!(comuni)
                });
                d.projects.insert(p.id.clone(), p.clone());
                next.projects.insert(p.id.clone(), p);
            }
            14 if rng.gen_bool(0.3) => {
                let mut c = pick(&next.comuni, rng).clone();
                c.name = format!("Comune {tag}");
                d.comuni.insert(c.istat.clone(), c.clone());
                next.comuni.insert(c.istat.clone(), c);
            }
            _ => {
                let v = pick(&next.locations, rng).meta.visibility;
                let l = tweak(pick(&next.locations, rng), |x| {
                    x["visibility"] = serde_json::to_value(v).unwrap()
                });
                d.locations.insert(l.id.clone(), l.clone());
                next.locations.insert(l.id.clone(), l);
            }
        }
    }
    d.snapshot()
}

fn signed(roles: Vec<Role>) -> Viewer {
    Viewer::Signed {
        username: Username::parse("t").unwrap(),
        roles,
        via: Credential::Session,
    }
}

fn filters(c: &Catalog) -> Vec<Filter> {
    let org = c.organizations.keys().next().cloned().unwrap();
    vec![
        Filter::default(),
        Filter {
            viewer: signed(vec![Role::Admin]),
            ..Default::default()
        },
        Filter {
            viewer: signed(vec![Role::Operator { organization: org }]),
            ..Default::default()
        },
        Filter {
            viewer: signed(vec![Role::Viewer {
                comuni: vec!["027042".into()],
            }]),
            categories: vec!["legal-aid".into(), "health".into()],
            ..Default::default()
        },
    ]
}

/// Everything a reader can ask the catalog, written out.
fn answers(c: &Catalog) -> Vec<String> {
    let mut out = vec![format!("revision {}", c.revision)];
    out.extend(c.organizations.values().map(|r| format!("{r:?}")));
    out.extend(c.services.values().map(|r| format!("{r:?}")));
    out.extend(c.projects.values().map(|r| format!("{r:?}")));
    out.extend(c.comuni.values().map(|r| format!("{} {}", r.istat, r.name)));
    out.extend(c.all_locations().map(|r| format!("{r:?}")));
    out.extend(c.all_service_at_locations().map(|r| format!("{r:?}")));
    out.push(format!("{} sportelli", c.sportelli().len()));
    for s in c.sportelli() {
        out.push(format!("sportello {:?}", s.location));
        for o in &s.offers {
            out.push(format!(
                "  offer {} {} {:?}",
                o.service.id.as_str(),
                o.sal.id.as_str(),
                o.schedule
            ));
        }
        let handle = c.index_of(s).unwrap();
        assert!(std::ptr::eq(c.sportelli().get(handle).unwrap(), s));
    }
    for l in c.all_locations() {
        out.push(format!(
            "by id {} {:?}",
            l.id.as_str(),
            c.sportello(l.id.as_str()).map(|s| s.location.meta.version)
        ));
    }
    out.extend(c.reception().iter().map(|l| format!("reception {l:?}")));
    let from = [(12.33, 45.44), (12.24, 45.49), (12.05, 45.3), (12.5, 45.6)];
    let boxes = [
        (12.2, 45.4, 12.4, 45.55),
        (12.0, 45.2, 12.7, 45.7),
        (12.3, 45.45, 12.31, 45.46),
    ];
    for f in filters(c) {
        for (lon, lat) in from {
            let p = LonLat::new(lon, lat).unwrap();
            for (n, max) in [(1, None), (7, None), (1000, None), (50, Some(4000.0))] {
                let hits: Vec<String> = c
                    .nearest(p, &f, n, max)
                    .into_iter()
                    .map(|(s, d)| format!("{}@{d:.6}", s.location.id.as_str()))
                    .collect();
                out.push(format!("nearest {lon},{lat} {n} {max:?}: {hits:?}"));
            }
        }
        for (a, b, x, y) in boxes {
            let bbox = Bbox {
                min: LonLat::new(a, b).unwrap(),
                max: LonLat::new(x, y).unwrap(),
            };
            let hits: Vec<&str> = c
                .within(&bbox, &f)
                .into_iter()
                .map(|s| s.location.id.as_str())
                .collect();
            out.push(format!("within {a},{b},{x},{y}: {hits:?}"));
        }
        for istat in c.comuni.keys() {
            out.push(format!("in {istat}: {}", c.sportelli_in(istat, &f)));
        }
        out.push(format!("extent {:?}", c.sportelli_extent(&f)));
    }
    for (id, area) in c.project_areas().iter().collect::<BTreeMap<_, _>>() {
        out.push(format!("area {} {}", id.as_str(), area.0.len()));
    }
    out
}

/// Each sportello rendered through `c`'s fragment cache, in two languages, for the public
/// and for an admin, against a fresh serialisation.
fn check_renderings(c: &Catalog, context: &str) {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap();
    let admin = signed(vec![Role::Admin]).scope_key();
    for s in c.sportelli() {
        for lang in ["it", "ar"] {
            for scope in [bussola::index::PUBLIC, admin.as_str()] {
                let want = serde_json::to_vec(&sportello(s, c, lang, now, None, |_| true)).unwrap();
                let mut got = Vec::new();
                write_sportello(&mut got, s, c, lang, now, None, scope, |_| true);
                assert_eq!(
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(&want),
                    "{context}: {} in {lang} for {scope}",
                    s.location.id.as_str()
                );
            }
        }
    }
}

fn assert_same(advanced: &Catalog, fresh: &Catalog, context: &str) {
    let (a, b) = (answers(advanced), answers(fresh));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{context}: the advanced catalog differs");
    }
    assert_eq!(a.len(), b.len(), "{context}: answers of another length");
    check_renderings(advanced, context);
}

#[tokio::test]
async fn an_advanced_catalog_answers_like_one_built_from_the_final_state() {
    let base = demo_snapshot().await;
    assert!(base.dataset.locations.len() > 60);
    for seed in 0..6u64 {
        let mut rng = SmallRng::seed_from_u64(seed);
        let mut world = World::of(&base);
        let mut catalog = Catalog::from_snapshot(base.clone());
        check_renderings(&catalog, "the first catalog");
        for step in 0..40 {
            let delta = random_delta(&world, &mut rng, step);
            world.apply(&delta);
            catalog = catalog.advance(delta);
            let fresh = Catalog::from_snapshot(world.snapshot());
            assert_same(&catalog, &fresh, &format!("seed {seed}, step {step}"));
        }
    }
}

#[tokio::test]
async fn a_large_delta_rebuilds_and_still_answers_like_a_fresh_catalog() {
    let base = demo_snapshot().await;
    let mut rng = SmallRng::seed_from_u64(99);
    let mut world = World::of(&base);
    let mut catalog = Catalog::from_snapshot(base.clone());
    // Thirty deltas merged into one: more than a quarter of the sportelli touched.
    let mut big = World {
        revision: world.revision,
        ..Default::default()
    };
    for step in 0..30 {
        let delta = random_delta(&world, &mut rng, step);
        world.apply(&delta);
        big.apply(&delta);
    }
    let touched = big.locations.len() + big.sals.len() + big.services.len();
    assert!(
        touched > catalog.sportelli().len() / 4,
        "{touched} records only"
    );
    check_renderings(&catalog, "before");
    catalog = catalog.advance(big.snapshot());
    let fresh = Catalog::from_snapshot(world.snapshot());
    assert_same(&catalog, &fresh, "one large delta");
}

#[tokio::test]
async fn an_unchanged_sportello_keeps_its_renderings_across_an_edit() {
    let base = demo_snapshot().await;
    let catalog = Catalog::from_snapshot(base.clone());
    check_renderings(&catalog, "first");
    let held = catalog.fragment_bytes();
    assert!(held > 0);
    // One service edited: only the sportelli offering it lose their renderings.
    let world = World::of(&base);
    let svc = world.services.values().next().unwrap();
    let edited = tweak(svc, |v| v["name"]["it"] = json!("Nuovo nome"));
    let next = catalog.advance(Snapshot {
        revision: world.revision + 1,
        dataset: Dataset {
            services: vec![edited],
            ..Default::default()
        },
        comuni: Vec::new(),
    });
    let kept = next.fragment_bytes();
    assert!(kept > held / 2, "{kept} of {held} bytes kept");
    assert!(
        kept < held,
        "the edited service's sportelli were not redrawn"
    );
    check_renderings(&next, "after the edit");
}

/// Timings at scale: `N=100000 cargo test --release -p bussola --test catalog_advance --
/// --ignored --nocapture` (the demo's records copied N / 68 times, points spread over Veneto).
#[tokio::test]
#[ignore]
async fn timings_at_scale() {
    let base = demo_snapshot().await;
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut rng = SmallRng::seed_from_u64(7);
    let mut big = World::of(&base);
    let copies = n / base.dataset.locations.len() + 1;
    for k in 0..copies {
        for l in &base.dataset.locations {
            let l = tweak(l, |v| {
                v["id"] = json!(format!("{}-x{k}", l.id.as_str()));
                v["point"] = point(&mut rng);
            });
            big.locations.insert(l.id.clone(), l);
        }
        for s in &base.dataset.service_at_locations {
            let s = tweak(s, |v| {
                v["id"] = json!(format!("{}-x{k}", s.id.as_str()));
                v["location_id"] = json!(format!("{}-x{k}", s.location_id.as_str()));
            });
            big.sals.insert(s.id.clone(), s);
        }
    }
    let snapshot = big.snapshot();
    let t = Instant::now();
    let catalog = Catalog::from_snapshot(snapshot.clone());
    println!(
        "from_snapshot: {} sportelli in {:?}",
        catalog.sportelli().len(),
        t.elapsed()
    );
    let svc = big.services.values().next().unwrap().clone();
    let mut c = catalog;
    let mut total = std::time::Duration::ZERO;
    let rounds = 50;
    for i in 0..rounds {
        let edited = tweak(&svc, |v| {
            v["description"] = json!({"it": format!("edit {i}")})
        });
        let delta = Snapshot {
            revision: c.revision + 1,
            dataset: Dataset {
                services: vec![edited],
                ..Default::default()
            },
            comuni: Vec::new(),
        };
        let t = Instant::now();
        c = c.advance(delta);
        total += t.elapsed();
    }
    println!(
        "advance (one service offered at {} sportelli): {:?} per edit",
        copies,
        total / rounds
    );
    let loc = big.locations.values().next().unwrap().clone();
    let t = Instant::now();
    let moved = tweak(&loc, |v| v["point"] = json!([12.3, 45.4]));
    let _ = c.advance(Snapshot {
        revision: c.revision + 1,
        dataset: Dataset {
            locations: vec![moved],
            ..Default::default()
        },
        comuni: Vec::new(),
    });
    println!("advance (one sportello moved): {:?}", t.elapsed());
}
