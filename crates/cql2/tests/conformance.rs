//! Conformance against public CQL2 test material read at test time from
//! `../shared/data/cql2-conformance` (never copied into the repository):
//! - cql2-rs `operators_expected.txt`: 159 filters with the expected matching rows of
//!   `cql2testdata.ndjson`: every filter must parse and match exactly its rows, except those
//!   listed in [`OUTSIDE_OPERATORS`] (by their opening text, with how many filters each entry
//!   covers and why), which must *fail* to parse;
//! - the OGC standard's examples, text and JSON pairs (`examples/text/NAME.txt`, with
//!   `NAME-alt01.txt` an alternative spelling of `examples/json/NAME.json`): the text and the
//!   JSON must parse to the same tree (precedence checked against the JSON form, which has
//!   none to get wrong), and the canonical text must parse back to it; except the files listed
//!   in [`OUTSIDE_EXAMPLES`], which must fail to parse in both encodings.
//!
//! Any other parse failure fails the test, and so does a listed filter that starts to parse
//! (the list is then out of date).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bussola_cql2::{evaluate, parse, parse_json, Expr, Feature, Geometry, Value};
use serde_json::Value as J;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

fn corpus(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cql2-conformance")
        .join(rel);
    assert!(
        p.exists(),
        "missing {} — the shared CQL2 test material must sit beside the repository",
        p.display()
    );
    p
}

/// Filters of `operators_expected.txt` outside the subset: (the filter's opening text, how many
/// filters start so, why).
const OUTSIDE_OPERATORS: &[(&str, usize, &str)] = &[
    ("floatfield + ", 1, "arithmetic"),
    ("floatfield - ", 1, "arithmetic"),
    ("floatfield * ", 1, "arithmetic"),
    ("floatfield / ", 1, "arithmetic"),
    ("floatfield % ", 1, "arithmetic"),
    ("intfield ^ ", 1, "arithmetic"),
    (
        "in(textfield",
        1,
        "IN written as a function, a cql2-rs extension",
    ),
    (
        "like(textfield",
        3,
        "LIKE written as a function, a cql2-rs extension",
    ),
    (
        "floatfield between -23 and 40 and in(",
        1,
        "IN written as a function",
    ),
    ("s_equals(", 1, "spatial relation S_EQUALS"),
    ("s_touches(", 1, "spatial relation S_TOUCHES"),
    ("s_overlaps(", 1, "spatial relation S_OVERLAPS"),
    (
        "s_crosses(",
        1,
        "spatial relation S_CROSSES with a LINESTRING",
    ),
];

/// OGC examples outside the subset, by file stem, and why.
const OUTSIDE_EXAMPLES: &[(&str, &str)] = &[
    ("clause6_01", "function avg"),
    ("clause6_02b", "function avg"),
    ("clause6_02c", "arithmetic"),
    ("clause7_10", "S_CROSSES"),
    ("clause7_16", "S_CROSSES"),
    ("clause7_18", "function Buffer"),
    ("clause7_19", "array literal as a value"),
    ("example46", "S_EQUALS"),
    ("example46-alt01", "S_EQUALS"),
    ("example48", "S_TOUCHES"),
    ("example50", "S_OVERLAPS"),
    ("example51", "S_CROSSES"),
    ("example68", "custom function Foo"),
    ("example69", "custom function Bar"),
    ("example72", "arithmetic"),
    ("example73", "arithmetic"),
    ("example74", "arithmetic"),
    ("example75", "arithmetic"),
    ("example76", "arithmetic"),
    ("example77", "arithmetic"),
    ("example78", "array literal as a value"),
    ("example83", "S_EQUALS"),
    ("example84", "S_EQUALS"),
    ("example85", "arithmetic"),
    ("example85-alt01", "arithmetic"),
];

struct Row(J);

fn coords(v: &J) -> Vec<[f64; 2]> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
        .collect()
}

impl Feature for Row {
    fn property(&self, name: &str) -> Value<'_> {
        fn conv(v: &J) -> Value<'_> {
            match v {
                J::Null => Value::Null,
                J::Bool(b) => Value::Bool(*b),
                J::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
                J::String(s) => Value::Str(Cow::Borrowed(s)),
                J::Array(a) => Value::List(a.iter().map(conv).collect()),
                J::Object(_) => Value::Null,
            }
        }
        self.0.get(name).map(conv).unwrap_or(Value::Null)
    }
    fn geometry(&self, name: &str) -> Option<Geometry> {
        let g = self.0.get(name)?;
        let c = &g["coordinates"];
        match g["type"].as_str()? {
            "Point" => Some(Geometry::Point([c[0].as_f64()?, c[1].as_f64()?])),
            "Polygon" => Some(Geometry::Polygon(
                c.as_array()?.iter().map(coords).collect(),
            )),
            "MultiPolygon" => Some(Geometry::MultiPolygon(
                c.as_array()?
                    .iter()
                    .map(|p| p.as_array().unwrap().iter().map(coords).collect())
                    .collect(),
            )),
            _ => None,
        }
    }
}

fn rows() -> Vec<Row> {
    let rows: Vec<Row> = std::fs::read_to_string(corpus("cql2-rs/tests/cql2testdata.ndjson"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Row(serde_json::from_str(l).unwrap()))
        .collect();
    assert_eq!(rows.len(), 112);
    rows
}

#[test]
fn operators_match_the_expected_rows() {
    let rows = rows();
    let text = std::fs::read_to_string(corpus("cql2-rs/tests/operators_expected.txt")).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    let mut covered = vec![0; OUTSIDE_OPERATORS.len()];
    let (mut checked, mut outside, mut failures) = (0, 0, Vec::new());
    for pair in lines.chunks(2) {
        let [filter, expected] = pair else { continue };
        if filter.trim().is_empty() {
            continue;
        }
        let listed = OUTSIDE_OPERATORS
            .iter()
            .position(|(start, _, _)| filter.starts_with(start));
        match (parse(filter), listed) {
            (Err(_), Some(i)) => {
                covered[i] += 1;
                outside += 1;
            }
            (Ok(_), Some(i)) => failures.push(format!(
                "{filter}: listed as outside the subset ({}) but parses",
                OUTSIDE_OPERATORS[i].2
            )),
            (Err(e), None) => failures.push(format!("{filter}: does not parse: {e}")),
            (Ok(expr), None) => {
                let got: Vec<String> = rows
                    .iter()
                    .filter(|r| evaluate(&expr, *r))
                    .map(|r| {
                        r.0["intfield"]
                            .as_i64()
                            .map(|i| i.to_string())
                            .unwrap_or_else(|| "null".into())
                    })
                    .collect();
                let want: Vec<String> = expected.split_whitespace().map(str::to_owned).collect();
                if got != want {
                    failures.push(format!(
                        "{filter}\n   got  {}\n   want {}",
                        got.join(" "),
                        want.join(" ")
                    ));
                }
                checked += 1;
            }
        }
    }
    for ((start, n, why), got) in OUTSIDE_OPERATORS.iter().zip(&covered) {
        if got != n {
            failures.push(format!(
                "{start:?} ({why}): listed for {n} filters, covers {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems ({checked} filters checked):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        checked + outside,
        159,
        "every filter is either checked or listed"
    );
    eprintln!("operators: {checked} checked, {outside} listed as outside the subset");
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn standard_examples_text_and_json_agree() {
    let dir = corpus("ogc/cql2/standard/schema/examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir.join("text"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 120);
    let mut seen = vec![false; OUTSIDE_EXAMPLES.len()];
    let (mut agreed, mut failures) = (0, Vec::new());
    for path in &paths {
        let name = stem(path);
        let json_name = name.trim_end_matches("-alt01");
        let text = std::fs::read_to_string(path).unwrap();
        let json = std::fs::read_to_string(dir.join("json").join(format!("{json_name}.json")))
            .unwrap_or_else(|e| panic!("{name}: no JSON pair: {e}"));
        let listed = OUTSIDE_EXAMPLES.iter().position(|(n, _)| *n == name);
        match (parse(text.trim()), parse_json(&json), listed) {
            (Err(_), Err(_), Some(i)) => seen[i] = true,
            (t, j, Some(i)) => failures.push(format!(
                "{name}: listed as outside ({}) but text {} and JSON {}",
                OUTSIDE_EXAMPLES[i].1,
                if t.is_ok() { "parses" } else { "fails" },
                if j.is_ok() { "parses" } else { "fails" },
            )),
            (Ok(t), Ok(j), None) => {
                if t.normalized() != j.normalized() {
                    failures.push(format!(
                        "{name}: text and JSON differ\n   text {t:?}\n   json {j:?}"
                    ));
                    continue;
                }
                let printed = t.to_text();
                match parse(&printed) {
                    Ok(again) if again == t => agreed += 1,
                    Ok(again) => failures.push(format!(
                        "{name}: canonical text {printed:?} parses to {again:?}"
                    )),
                    Err(e) => failures.push(format!(
                        "{name}: canonical text {printed:?} does not parse: {e}"
                    )),
                }
            }
            (t, j, None) => failures.push(format!(
                "{name}: text: {}; JSON: {}",
                t.map(|_| "ok".to_owned()).unwrap_or_else(|e| e.to_string()),
                j.map(|_| "ok".to_owned()).unwrap_or_else(|e| e.to_string()),
            )),
        }
    }
    for ((n, why), s) in OUTSIDE_EXAMPLES.iter().zip(&seen) {
        if !s {
            failures.push(format!("{n} ({why}): listed but not found"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems ({agreed} examples agree):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(agreed + OUTSIDE_EXAMPLES.len(), paths.len());
    eprintln!(
        "examples: {agreed} agree, {} listed as outside the subset",
        OUTSIDE_EXAMPLES.len()
    );
}

#[test]
fn a_precedence_mistake_would_be_caught() {
    // The check above compares trees, so it would see `a OR b AND c` read as `(a OR b) AND c`.
    let right = parse("a = 1 OR b = 2 AND c = 3").unwrap();
    let wrong = parse("(a = 1 OR b = 2) AND c = 3").unwrap();
    let json = parse_json(
        r#"{"op":"or","args":[{"op":"=","args":[{"property":"a"},1]},
            {"op":"and","args":[{"op":"=","args":[{"property":"b"},2]},{"op":"=","args":[{"property":"c"},3]}]}]}"#,
    )
    .unwrap();
    assert_eq!(right.normalized(), json.normalized());
    assert_ne!(wrong.normalized(), json.normalized());
    let _: fn(&Expr) -> Expr = Expr::normalized;
}
