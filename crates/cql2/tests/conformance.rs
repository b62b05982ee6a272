//! Conformance against public CQL2 test material read at test time from
//! `../shared/data/cql2-conformance` (never copied into the repository):
//! - cql2-rs `operators_expected.txt`: filters with the expected matching rows of
//!   `cql2testdata.ndjson` — every filter inside our subset must match exactly;
//! - the OGC standard's text examples: every example inside our subset must parse and
//!   round-trip through the canonical text.
//!
//! Filters outside the subset are recognised by the constructs they use (listed below) and
//! counted; the counts have floors so the test fails if support silently shrinks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bussola_cql2::{evaluate, parse, Feature, Geometry, Value};
use serde_json::Value as J;
use std::borrow::Cow;
use std::path::PathBuf;

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

/// Constructs outside the supported subset: temporal and array functions, arithmetic,
/// case/accent-insensitivity, other geometry types and spatial relations, 3D coordinates,
/// and function calls other than ours (including the prefix forms `in(…)`, `like(…)`).
const UNSUPPORTED: &[&str] = &[
    "T_",
    "A_",
    "CASEI",
    "ACCENTI",
    "INTERVAL",
    "S_CROSSES",
    "S_TOUCHES",
    "S_OVERLAPS",
    "S_EQUALS",
    "LINESTRING",
    "MULTIPOINT",
    "GEOMETRYCOLLECTION",
    " DIV ",
    "POLYGON Z",
    "POINT Z",
    "[",
    "^",
];
const OUR_FUNCTIONS: &[&str] = &[
    "S_INTERSECTS",
    "S_DISJOINT",
    "S_WITHIN",
    "S_CONTAINS",
    "POINT",
    "POLYGON",
    "MULTIPOLYGON",
    "BBOX",
    "DATE",
    "TIMESTAMP",
    "NOT",
];

fn unsupported(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    if UNSUPPORTED.iter().any(|k| upper.contains(k)) {
        return true;
    }
    let chars: Vec<char> = upper.chars().collect();
    // Arithmetic: an operator between a value and a number.
    let arithmetic = chars.windows(3).any(|w| {
        (w[0].is_alphanumeric() || w[0] == ')' || w[0] == ' ')
            && "+-*/%".contains(w[1])
            && (w[2].is_ascii_digit() || w[2] == ' ' || w[2] == '(')
            && !(w[0] == ' ' && w[1] == '-' && w[2].is_ascii_digit())
    });
    // A word followed by '(' that is not one of our functions.
    let mut foreign_call = false;
    let mut word = String::new();
    for c in chars.iter().chain(std::iter::once(&' ')) {
        if c.is_alphanumeric() || *c == '_' {
            word.push(*c);
        } else {
            if *c == '('
                && !word.is_empty()
                && !OUR_FUNCTIONS.contains(&word.as_str())
                && !["AND", "OR", "IN"].contains(&word.as_str())
            {
                foreign_call = true;
            }
            if *c == '(' && word == "IN" && chars.first() == Some(&'I') && upper.starts_with("IN(")
            {
                foreign_call = true;
            }
            if !c.is_whitespace() || !word.is_empty() {
                word.clear();
            }
        }
    }
    arithmetic || foreign_call || upper.starts_with("IN(") || upper.contains(" IN(TEXTFIELD")
}

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

#[test]
fn operators_match_the_expected_rows() {
    let rows: Vec<Row> = std::fs::read_to_string(corpus("cql2-rs/tests/cql2testdata.ndjson"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Row(serde_json::from_str(l).unwrap()))
        .collect();
    assert_eq!(rows.len(), 112);
    let text = std::fs::read_to_string(corpus("cql2-rs/tests/operators_expected.txt")).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    let (mut checked, mut skipped, mut failures) = (0, 0, Vec::new());
    for pair in lines.chunks(2) {
        let [filter, expected] = pair else { continue };
        if filter.trim().is_empty() {
            continue;
        }
        let expr = match parse(filter) {
            Ok(e) => e,
            Err(e) if unsupported(filter) => {
                let _ = e;
                skipped += 1;
                continue;
            }
            Err(e) => {
                failures.push(format!("{filter}: does not parse: {e}"));
                continue;
            }
        };
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
    assert!(
        failures.is_empty(),
        "{} of {checked} filters disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("operators: {checked} checked, {skipped} outside the subset");
    assert!(
        checked >= 60,
        "only {checked} filters were inside the subset"
    );
}

#[test]
fn standard_text_examples_parse_and_round_trip() {
    let dir = corpus("ogc/cql2/standard/schema/examples/text");
    let (mut parsed, mut skipped, mut failures) = (0, 0, Vec::new());
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.trim();
        match parse(text) {
            Ok(e) => {
                let again = parse(&e.to_text()).unwrap_or_else(|err| {
                    panic!("{}: canonical text does not parse: {err}", path.display())
                });
                assert_eq!(
                    again,
                    e,
                    "{}: round trip changed the expression",
                    path.display()
                );
                parsed += 1;
            }
            Err(_) if unsupported(text) => skipped += 1,
            Err(e) => failures.push(format!(
                "{}: {text}: {e}",
                path.file_name().unwrap().to_string_lossy()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} examples inside the subset failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("examples: {parsed} parsed, {skipped} outside the subset");
    assert!(parsed >= 58, "only {parsed} examples parsed");
}
