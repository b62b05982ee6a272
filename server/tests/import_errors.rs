//! Bad files through the real `bussola` binary, on both backends: each is refused with exit
//! code 3 and a message naming the place (feature, line, byte offset) and the field; the
//! `--dry-run` says the same; the store is unchanged afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::Backend;

/// A small valid dataset: one organisation, one sportello with one service.
fn base() -> Value {
    json!({
        "type": "FeatureCollection",
        "bussola": {"format": "bussola-dataset/1", "organizations": [{"id": "org-a", "name": "A"}]},
        "features": [feature("loc-a")],
    })
}

fn feature(id: &str) -> Value {
    json!({
        "type": "Feature", "id": id,
        "geometry": {"type": "Point", "coordinates": [12.24, 45.49]},
        "properties": {
            "organization_id": "org-a", "name": {"it": "Sportello"},
            "address": {"street": "Via Roma 1", "comune_istat": "027042"},
            "services": [{
                "id": "svc-a", "name": {"it": "Servizio"}, "categories": ["legal-aid"],
                "schedule": {"periods": [{"hours": "Mo-Fr 09:00-12:00"}]}
            }]
        }
    })
}

fn csv_header() -> &'static str {
    "sportello_id,organization_id,comune_istat,lon,lat,sportello_name@it,service_id,service_name@it,categories\n"
}

struct Case<'a> {
    b: &'a Backend,
    dir: tempfile::TempDir,
}

impl<'a> Case<'a> {
    /// A backend holding the base dataset.
    fn new(b: &'a Backend) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let case = Case { b, dir };
        let base = case.write("base.geojson", base().to_string().as_bytes());
        let (code, _, err) = b.run(&["import", "services", &base]);
        assert_eq!(code, 0, "{err}");
        case
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    }

    fn snapshot(&self) -> (String, String) {
        let (c1, services, e1) = self.b.run(&["export", "services"]);
        let (c2, comuni, e2) = self.b.run(&["export", "comuni"]);
        assert_eq!((c1, c2), (0, 0), "{e1}{e2}");
        (services, comuni)
    }

    /// `import KIND FILE ARGS…` must exit 3 naming every `expected` text, the dry run must say
    /// the same, and the store must not change.
    fn refused(&self, kind: &str, name: &str, bytes: &[u8], args: &[&str], expected: &[&str]) {
        let path = self.write(name, bytes);
        let before = self.snapshot();
        let mut argv = vec!["import", kind, path.as_str()];
        argv.extend_from_slice(args);
        let (code, _, err) = self.b.run(&argv);
        assert_eq!(
            code, 3,
            "{name}: a rejected file exits with code 3; stderr: {err}"
        );
        for e in expected {
            assert!(err.contains(e), "{name}: expected {e:?} in:\n{err}");
        }
        argv.push("--dry-run");
        let (dry_code, _, dry_err) = self.b.run(&argv);
        assert_eq!(
            (dry_code, &dry_err),
            (code, &err),
            "{name}: --dry-run must report the same"
        );
        assert!(
            self.snapshot() == before,
            "{name}: the store must be unchanged"
        );
    }

    fn accepted(&self, kind: &str, name: &str, bytes: &[u8]) -> String {
        let path = self.write(name, bytes);
        let (code, _, err) = self.b.run(&["import", kind, &path]);
        assert_eq!(code, 0, "{name}: {err}");
        err
    }
}

async fn type_errors_name_the_field(b: Backend) {
    let case = Case::new(&b);
    let mut d = base();
    let fs = d["features"].as_array_mut().unwrap();
    let mut f1 = feature("loc-b");
    f1["properties"]["name"] = json!({"it": 42});
    let mut f2 = feature("loc-c");
    f2["properties"]["name"] = json!(42);
    let mut f3 = feature("loc-d");
    f3["properties"]["services"][0]["schedule"]["closed_on"] = json!(["2026-02-30"]);
    let mut f4 = feature("loc-e");
    f4["id"] = json!(7);
    let mut f5 = feature("loc-f");
    f5["properties"]["services"][0]["appointment_required"] = json!("yes");
    fs.extend([f1, f2, f3, f4, f5]);
    d["bussola"]["organizations"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "org-b", "name": 42}));
    case.refused(
        "services",
        "types.geojson",
        d.to_string().as_bytes(),
        &[],
        &[
            "6 problem(s)",
            "feature 1 (loc-b): properties.name.it: expected a string, found the number 42",
            "feature 2 (loc-c): properties.name: expected an object, found the number 42",
            "feature 3 (loc-d): properties.services[0].schedule.closed_on[0]: \"2026-02-30\" is not a date that exists",
            "feature 4 (no id): id: the id must be a string, found the number 7",
            "feature 5 (loc-f): properties.services[0].appointment_required: expected true or false, found the text \"yes\"",
            "organizations[1] (org-b): name: expected a string, found the number 42",
        ],
    );
}
on_both_backends!(type_errors, type_errors_name_the_field);

async fn wrong_files_are_refused(b: Backend) {
    let case = Case::new(&b);
    let mut v2 = base();
    v2["bussola"]["format"] = json!("bussola-dataset/2");
    case.refused(
        "services",
        "v2.geojson",
        v2.to_string().as_bytes(),
        &[],
        &["file: bussola.format: unknown format \"bussola-dataset/2\"; this version reads \"bussola-dataset/1\""],
    );

    let mut misspelt = base();
    let p = &mut misspelt["features"][0]["properties"];
    p["descrption"] = json!({"it": "x"});
    p["services"][0]["languagse"] = json!(["it"]);
    p["services"][0]["schedule"]["periods"][0]["hour"] = json!("Mo 09:00-12:00");
    case.refused(
        "services",
        "misspelt.geojson",
        misspelt.to_string().as_bytes(),
        &[],
        &[
            "feature 0 (loc-a): properties.descrption: unknown field",
            "feature 0 (loc-a): properties.services[0].languagse: unknown field",
            "feature 0 (loc-a): properties.services[0].schedule.periods[0].hour: unknown field",
        ],
    );

    let mut huge = base();
    let mut f = feature("loc-huge");
    f["properties"]["name"]["it"] = json!("x".repeat(50 * 1024 * 1024));
    huge["features"].as_array_mut().unwrap().push(f);
    case.refused(
        "services",
        "huge.geojson",
        huge.to_string().as_bytes(),
        &[],
        &["feature 1 (loc-huge): properties.name.it: is 52428800 characters long; at most 200 are allowed"],
    );

    let mut many = base();
    many["features"][0]["properties"]["services"][0]["languages"] = json!((0..51)
        .map(|i| format!("x{}", (b'a' + i % 26) as char))
        .collect::<Vec<_>>());
    many["features"][0]["properties"]["phones"] =
        json!([{"number": "1".repeat(41), "label": {"it": "ok"}}]);
    case.refused(
        "services",
        "many.geojson",
        many.to_string().as_bytes(),
        &[],
        &[
            "feature 0 (loc-a): properties.services[0].languages: has 51 items; at most 50 are allowed",
            "feature 0 (loc-a): properties.phones[0].number: is 41 characters long; at most 40 are allowed",
        ],
    );

    let text = base()
        .to_string()
        .replacen("Sportello", "Sportello \u{e9}", 1);
    let mut latin1 = text.into_bytes();
    let at = latin1.windows(2).position(|w| w == "é".as_bytes()).unwrap();
    latin1.splice(at..at + 2, [0xe9]);
    case.refused(
        "services",
        "latin1.geojson",
        &latin1,
        &[],
        &[&format!(
            "line 1 (byte offset {at}): not valid UTF-8: byte 0xe9"
        )],
    );

    let csv = format!(
        "{}loc-a,org-a,027042,12.2,45.4,Caf\u{e9},,,\n",
        csv_header()
    );
    let mut bad = csv.into_bytes();
    let at = bad.windows(2).position(|w| w == "é".as_bytes()).unwrap();
    bad.splice(at..at + 2, [0xe9]);
    let line_start = bad.iter().position(|&b| b == b'\n').unwrap() + 1;
    case.refused(
        "services",
        "latin1.csv",
        &bad,
        &[],
        &[&format!(
            "line 2 (byte offset {at}): not valid UTF-8: byte 0xe9, byte {} of the line",
            at - line_start + 1
        )],
    );

    let unknown = format!(
        "{},sportelo_descrizione@it\nloc-a,org-a,027042,12.2,45.4,Sportello,,,,x\n",
        csv_header().trim_end()
    );
    case.refused(
        "services",
        "unknown.csv",
        unknown.as_bytes(),
        &[],
        &["line 1: sportelo_descrizione@it: unknown column"],
    );

    let long = format!(
        "{},closed_on\nloc-a,org-a,027042,12.24,45.49,{},svc-a,Servizio,legal-aid,2026-02-30\n",
        csv_header().trim_end(),
        "n".repeat(201)
    );
    case.refused(
        "services",
        "long.csv",
        long.as_bytes(),
        &[],
        &[
            "line 2: sportello_name@it: is 201 characters long; at most 200 are allowed",
            "line 2: closed_on: \"2026-02-30\" is not a date that exists",
        ],
    );

    let notices = format!(
        "{},service_notices,service_notice_message@it,hours_verified_at,sportello_notices\nloc-a,org-a,027042,12.24,45.49,Sportello,svc-a,Servizio,legal-aid,closed 2027-08-10..2027-08-24 | ful 2027-09-01..,Ferie;,2026-13-01,message 2027-01-10..\n",
        csv_header().trim_end()
    );
    case.refused(
        "services",
        "notices.csv",
        notices.as_bytes(),
        &[],
        &[
            "line 2: service_notices: notice 2: \"ful\" is not closed, hours, message, full, waiting_list or available",
            "line 2: hours_verified_at: \"2026-13-01\" is not an RFC 3339 timestamp",
            "line 2: sportello_notice_message@it: notice 1: message: a message notice needs its message",
        ],
    );

    let row = "loc-a,org-a,027042,12.24,45.49,Sportello,svc-a,Servizio,legal-aid\n";
    let twice = format!("{}{row}{row}", csv_header());
    case.refused(
        "services",
        "twice.csv",
        twice.as_bytes(),
        &[],
        &["line 3: sportello_id/service_id: sportello loc-a with service svc-a is already on line 2"],
    );
}
on_both_backends!(wrong_files, wrong_files_are_refused);

async fn a_byte_order_mark_is_ignored_in_both_forms(b: Backend) {
    let case = Case::new(&b);
    let mut geojson = "\u{feff}".as_bytes().to_vec();
    let mut d = base();
    d["features"][0]["properties"]["name"]["en"] = json!("Desk");
    geojson.extend(d.to_string().as_bytes());
    let err = case.accepted("services", "bom.geojson", &geojson);
    assert!(err.contains("1 sportelli"), "{err}");
    let csv = format!(
        "\u{feff}{}loc-z,org-a,027042,12.2,45.4,Zeta,,,\n",
        csv_header()
    );
    let err = case.accepted("services", "bom.csv", csv.as_bytes());
    assert!(err.contains("1 sportelli"), "{err}");
    let (services, _) = case.snapshot();
    assert!(
        services.contains("\"Desk\"") && services.contains("\"loc-z\""),
        "{services}"
    );
}
on_both_backends!(byte_order_mark, a_byte_order_mark_is_ignored_in_both_forms);

fn venice_boundaries() -> Value {
    let p27 = support::shared_data("istat-boundaries/limits_P_27_municipalities.geojson");
    serde_json::from_str(&std::fs::read_to_string(p27).unwrap()).unwrap()
}

async fn bad_comuni_are_refused(b: Backend) {
    let case = Case::new(&b);
    let mut v = venice_boundaries();
    v["features"].as_array_mut().unwrap().truncate(3);
    let three = v.to_string();
    case.accepted("comuni", "three.geojson", three.as_bytes());

    case.refused(
        "comuni",
        "p27.geojson",
        three.as_bytes(),
        &["--population-field", "popolazione"],
        &[
            "3 problem(s)",
            "feature 0 (Annone Veneto): properties.popolazione: missing (named by --population-field)",
        ],
    );
    let mut numeric_name = v.clone();
    numeric_name["features"][2]["properties"]["name"] = json!(27003);
    case.refused(
        "comuni",
        "name.geojson",
        numeric_name.to_string().as_bytes(),
        &[],
        &["feature 2: properties.name: expected a string, found the number 27003"],
    );
    case.refused(
        "comuni",
        "p27.geojson",
        three.as_bytes(),
        &["--population-field", "com_istat_code"],
        &["feature 0 (Annone Veneto): properties.com_istat_code: expected a whole number of residents, found the text \"027001\""],
    );

    let mut bowtie = v.clone();
    bowtie["features"][1]["geometry"] = json!({"type": "Polygon", "coordinates": [[
        [12.0, 45.0], [12.1, 45.1], [12.1, 45.0], [12.0, 45.1], [12.0, 45.0]
    ]]});
    // Every code new, so a partial write would show.
    for f in bowtie["features"].as_array_mut().unwrap() {
        let code = f["properties"]["com_istat_code"]
            .as_str()
            .unwrap()
            .to_owned();
        f["properties"]["com_istat_code"] = json!(format!("9{}", &code[1..]));
    }
    case.refused(
        "comuni",
        "bowtie.geojson",
        bowtie.to_string().as_bytes(),
        &[],
        &["1 problem(s)", "geometry.coordinates[0]: the ring crosses or touches itself: the segment from position 0 [12, 45] meets the one from position 2 [12.1, 45]"],
    );
}
on_both_backends!(bad_comuni, bad_comuni_are_refused);

#[test]
fn a_population_field_of_numbers_is_stored() {
    let b = Backend::sqlite();
    let case = Case {
        b: &b,
        dir: tempfile::tempdir().unwrap(),
    };
    let mut v = venice_boundaries();
    v["features"].as_array_mut().unwrap().truncate(2);
    for (i, f) in v["features"].as_array_mut().unwrap().iter_mut().enumerate() {
        f["properties"]["residenti"] = json!(1000 + i);
    }
    let path = case.write("pop.geojson", v.to_string().as_bytes());
    let (code, _, err) = b.run(&["import", "comuni", &path, "--population-field", "residenti"]);
    assert_eq!(code, 0, "{err}");
    let (_, comuni) = case.snapshot();
    let comuni: Value = serde_json::from_str(&comuni).unwrap();
    let pops: Vec<&Value> = comuni["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"]["population"])
        .collect();
    assert_eq!(pops, [&json!(1000), &json!(1001)]);
}

/// The ring check refuses no real boundary: every comune of Italy (ISTAT limits, one file
/// per province; four files of the set are empty GeometryCollections) reads without a
/// problem.
#[test]
fn every_real_italian_comune_passes_the_ring_check() {
    let dir = support::shared_data("istat-boundaries/italy-comuni-by-province");
    let (mut comuni, mut empty) = (0, 0);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if text.starts_with("{\"type\":\"GeometryCollection\"") {
            empty += 1;
            continue;
        }
        match bussola::import::parse_comuni(&text, &Default::default()) {
            Ok(c) => comuni += c.len(),
            Err(report) => panic!("{}: {report}", path.display()),
        }
    }
    assert_eq!(empty, 4);
    assert_eq!(comuni, 7_899);
}

/// A reception centre is confidential: a public one is refused in both forms, as is a zero
/// capacity or an unknown kind; a restricted one is accepted and round-trips through CSV.
async fn reception_centres_must_not_be_public(b: Backend) {
    let case = Case::new(&b);
    let mut d = base();
    let mut f = feature("loc-cas");
    f["properties"]["services"] = json!([]);
    f["properties"]["reception"] = json!({"kind": "cas", "capacity": 0});
    d["features"].as_array_mut().unwrap().push(f.clone());
    case.refused(
        "services",
        "public-cas.geojson",
        d.to_string().as_bytes(),
        &[],
        &[
            "feature 1 (loc-cas): properties.visibility: a reception centre's location is confidential",
            "feature 1 (loc-cas): properties.reception.capacity: must be at least 1",
        ],
    );
    let header = "sportello_id,organization_id,comune_istat,lon,lat,sportello_name@it,sportello_visibility,reception_kind,reception_capacity\n";
    case.refused(
        "services",
        "public-cas.csv",
        format!("{header}loc-cas,org-a,027042,12.24,45.49,CAS,public,cas,10\n").as_bytes(),
        &[],
        &["properties.visibility: a reception centre's location is confidential"],
    );
    case.refused(
        "services",
        "bad-kind.csv",
        format!("{header}loc-cas,org-a,027042,12.24,45.49,CAS,restricted,hotel,10\n").as_bytes(),
        &[],
        &["reception_kind: \"hotel\" is not cas, sai or cpa"],
    );
    case.accepted(
        "services",
        "cas.csv",
        format!("{header}loc-cas,org-a,027042,12.24,45.49,CAS,restricted,cas,10\n").as_bytes(),
    );
    let (code, csv, err) = b.run(&["export", "services", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let row = csv
        .lines()
        .find(|l| l.starts_with("loc-cas,"))
        .expect("the CAS row");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let cells: Vec<&str> = row.split(',').collect();
    let cell = |name: &str| cells[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(
        (
            cell("reception_kind"),
            cell("reception_capacity"),
            cell("sportello_visibility")
        ),
        ("cas", "10", "restricted")
    );
}
on_both_backends!(reception, reception_centres_must_not_be_public);
