//! Properties over generated expression trees: the canonical text parses back to the same
//! tree (and prints the same again), and evaluation stays within a work budget set by sizes.
#![allow(clippy::unwrap_used)]

use bussola_cql2::{
    evaluate_counting, parse, ArrayOp, ArrayOperand, CmpOp, Expr, Feature, Fold, Geometry, Literal,
    Operand, SpatialOp, TemporalOp, TemporalOperand, Value,
};
use proptest::prelude::*;

fn property() -> impl Strategy<Value = Operand> {
    prop_oneof![
        Just("name"),
        Just("cost"),
        Just("language"),
        Just("n"),
        Just("updated"),
        Just("geometry"),
        Just("odd name"),
        Just("città"),
        Just("and"),
        Just("eo:cloud_cover"),
        Just("a.b"),
        Just("say \"hi\""),
    ]
    .prop_map(|n| Operand::Property {
        name: n.to_owned(),
        position: 0,
    })
}

fn coordinate() -> impl Strategy<Value = f64> {
    (-180_000i32..180_000).prop_map(|x| f64::from(x) / 1000.0)
}

fn geometry() -> impl Strategy<Value = Geometry> {
    prop_oneof![
        (coordinate(), coordinate()).prop_map(|(x, y)| Geometry::Point([x, y])),
        (coordinate(), coordinate(), 0.0..5.0f64, 0.0..5.0f64)
            .prop_map(|(x, y, w, h)| Geometry::Envelope([x, y, x + w, y + h])),
        (coordinate(), coordinate(), 0.001..5.0f64).prop_map(|(x, y, d)| Geometry::Polygon(vec![
            vec![[x, y], [x + d, y], [x + d, y + d], [x, y]]
        ])),
    ]
}

fn literal() -> impl Strategy<Value = Operand> {
    prop_oneof![
        "[a-zA-Z0-9 '%_\\\\éàß日]{0,12}".prop_map(Literal::Str),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Literal::Number),
        (-1000i64..1000).prop_map(|n| Literal::Number(n as f64 / 8.0)),
        any::<bool>().prop_map(Literal::Bool),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]".prop_map(|text| Literal::Temporal { kind: "DATE", text }),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z".prop_map(|text| {
            Literal::Temporal {
                kind: "TIMESTAMP",
                text,
            }
        }),
        geometry().prop_map(Literal::Geometry),
    ]
    .prop_map(Operand::Literal)
}

fn operand() -> impl Strategy<Value = Operand> {
    let plain = || prop_oneof![property(), literal()];
    prop_oneof![
        4 => plain(),
        1 => (any::<bool>(), plain()).prop_map(|(case, o)| Operand::Fold {
            fold: if case { Fold::Case } else { Fold::Accent },
            operand: Box::new(o),
        }),
    ]
}

fn temporal_operand() -> impl Strategy<Value = TemporalOperand> {
    prop_oneof![
        operand().prop_map(TemporalOperand::Instant),
        (operand(), operand()).prop_map(|(a, b)| TemporalOperand::Interval(a, b)),
    ]
}

const CMP: [CmpOp; 6] = [
    CmpOp::Eq,
    CmpOp::Ne,
    CmpOp::Lt,
    CmpOp::Le,
    CmpOp::Gt,
    CmpOp::Ge,
];
const SPATIAL: [SpatialOp; 4] = [
    SpatialOp::Intersects,
    SpatialOp::Disjoint,
    SpatialOp::Within,
    SpatialOp::Contains,
];

fn predicate() -> impl Strategy<Value = Expr> {
    prop_oneof![
        any::<bool>().prop_map(Expr::Bool),
        (0..6usize, operand(), operand()).prop_map(|(i, left, right)| Expr::Compare {
            op: CMP[i],
            left,
            right
        }),
        (operand(), operand(), any::<bool>()).prop_map(|(operand, pattern, negated)| {
            Expr::Like {
                operand,
                pattern,
                negated,
            }
        }),
        (
            operand(),
            prop::collection::vec(operand(), 1..4),
            any::<bool>()
        )
            .prop_map(|(operand, list, negated)| Expr::In {
                operand,
                list,
                negated
            }),
        (operand(), operand(), operand(), any::<bool>()).prop_map(
            |(operand, low, high, negated)| Expr::Between {
                operand,
                low,
                high,
                negated
            }
        ),
        (operand(), any::<bool>()).prop_map(|(operand, negated)| Expr::IsNull { operand, negated }),
        (0..4usize, operand(), operand()).prop_map(|(i, left, right)| Expr::Spatial {
            op: SPATIAL[i],
            left,
            right
        }),
        (0..15usize, temporal_operand(), temporal_operand()).prop_map(|(i, left, right)| {
            let names = [
                "T_AFTER",
                "T_BEFORE",
                "T_CONTAINS",
                "T_DISJOINT",
                "T_DURING",
                "T_EQUALS",
                "T_FINISHEDBY",
                "T_FINISHES",
                "T_INTERSECTS",
                "T_MEETS",
                "T_METBY",
                "T_OVERLAPPEDBY",
                "T_OVERLAPS",
                "T_STARTEDBY",
                "T_STARTS",
            ];
            Expr::Temporal {
                op: TemporalOp::from_name(names[i]).unwrap(),
                left,
                right,
            }
        }),
    ]
}

fn array() -> impl Strategy<Value = Expr> {
    let side = || {
        prop_oneof![
            operand().prop_map(ArrayOperand::Value),
            prop::collection::vec(operand(), 0..4).prop_map(ArrayOperand::List),
        ]
    };
    (0..4usize, side(), side()).prop_map(|(i, left, right)| Expr::Array {
        op: ArrayOp::from_name(["A_EQUALS", "A_CONTAINS", "A_CONTAINEDBY", "A_OVERLAPS"][i])
            .unwrap(),
        left,
        right,
    })
}

fn expr() -> impl Strategy<Value = Expr> {
    prop_oneof![4 => predicate(), 1 => array()].prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::Or),
            inner.prop_map(|e| Expr::Not(Box::new(e))),
        ]
    })
}

struct Desk;
const NAME: &str = "Sportello Unico Immigrazione – Città metropolitana di Venezia";

impl Feature for Desk {
    fn property(&self, name: &str) -> Value<'_> {
        match name {
            "name" | "odd name" => Value::Str(NAME.into()),
            "cost" => Value::Str("free".into()),
            "n" => Value::Number(42.0),
            "updated" => Value::Str("2026-11-24T10:00:00Z".into()),
            "language" => Value::List(
                ["it", "en", "ar", "ur"]
                    .iter()
                    .map(|l| Value::Str((*l).into()))
                    .collect(),
            ),
            _ => Value::Null,
        }
    }
    fn geometry(&self, name: &str) -> Option<Geometry> {
        (name == "geometry").then_some(Geometry::Point([12.2388, 45.4384]))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn canonical_text_parses_back_to_the_same_tree(e in expr()) {
        let text = e.to_text();
        let again = parse(&text).map_err(|err| TestCaseError::fail(format!("{text:?}: {err}")))?;
        prop_assert_eq!(&again, &e, "{}", text);
        prop_assert_eq!(again.to_text(), text);
    }

    #[test]
    fn evaluation_stays_within_its_budget(e in expr()) {
        let text = e.to_text();
        let e = parse(&text).unwrap();
        let mut steps = 0;
        let _ = evaluate_counting(&e, &Desk, &mut steps);
        // Per node: LIKE looks at each of 4 list values with the longest text and pattern;
        // a spatial test at each vertex pair; both bounded by the filter's length.
        let n = text.chars().count() as u64 + 1;
        let longest = NAME.chars().count() as u64 + 1;
        let budget = e.size() as u64 * (4 * longest * n + n);
        prop_assert!(steps <= budget, "{}: {} steps, budget {}", text, steps, budget);
    }
}

#[test]
fn the_corpus_prints_and_parses_back() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cql2-conformance/cql2-rs/tests/operators_expected.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut n = 0;
    for filter in text.split('\n').step_by(2).filter(|l| !l.trim().is_empty()) {
        let Ok(e) = parse(filter) else { continue };
        let printed = e.to_text();
        assert_eq!(parse(&printed).unwrap(), e, "{filter} → {printed}");
        n += 1;
    }
    assert!(n >= 144, "only {n} corpus filters parsed");
}
