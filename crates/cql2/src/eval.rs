//! Evaluating an expression against a feature.

use crate::array::ArrayOperand;
use crate::ast::{CmpOp, Expr, Literal, Operand, SpatialOp};
use crate::geometry::Geometry;
use crate::like::LikePattern;
use crate::temporal::{self, Bound, TemporalOperand};
use std::borrow::Cow;
use std::cmp::Ordering;

/// A property value. `List` is a multi-valued property (languages spoken, categories): a
/// comparison holds when it holds for any element (`<>`: for none equal).
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(f64),
    Str(Cow<'a, str>),
    List(Vec<Value<'a>>),
}

/// What a filter can ask of a feature.
pub trait Feature {
    /// A property by name; `Null` when absent.
    fn property(&self, name: &str) -> Value<'_>;
    /// A geometry property by name.
    fn geometry(&self, name: &str) -> Option<Geometry>;
}

fn literal(l: &Literal) -> Value<'_> {
    match l {
        Literal::Str(s) => Value::Str(Cow::Borrowed(s)),
        Literal::Number(n) => Value::Number(*n),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Temporal { text, .. } => Value::Str(Cow::Borrowed(text)),
        Literal::Geometry(_) => Value::Null,
    }
}

fn value<'a>(o: &'a Operand, f: &'a impl Feature) -> Value<'a> {
    match o {
        Operand::Property { name, .. } => f.property(name),
        Operand::Literal(l) => literal(l),
        Operand::Fold { fold, operand } => folded(*fold, value(operand, f)),
    }
}

/// A value with its text folded (each element of a list); other values are unchanged.
fn folded(fold: crate::fold::Fold, v: Value<'_>) -> Value<'_> {
    match v {
        Value::Str(s) => Value::Str(Cow::Owned(fold.apply(&s))),
        Value::List(items) => Value::List(items.into_iter().map(|x| folded(fold, x)).collect()),
        other => other,
    }
}

fn order(a: &Value<'_>, b: &Value<'_>) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::Str(x), Value::Str(y)) => Some(x.as_ref().cmp(y.as_ref())),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn scalars<'v, 'a>(v: &'v Value<'a>) -> Vec<&'v Value<'a>> {
    match v {
        Value::List(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn compare(op: CmpOp, a: &Value<'_>, b: &Value<'_>) -> bool {
    let holds = |x: &Value<'_>, y: &Value<'_>| match order(x, y) {
        None => false,
        Some(o) => match op {
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::Ne => o != Ordering::Equal,
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::Ge => o != Ordering::Less,
        },
    };
    if matches!(a, Value::Null) || matches!(b, Value::Null) {
        return false;
    }
    let (xs, ys) = (scalars(a), scalars(b));
    if op == CmpOp::Ne && (xs.len() > 1 || ys.len() > 1) {
        return !xs
            .iter()
            .any(|x| ys.iter().any(|y| order(x, y) == Some(Ordering::Equal)));
    }
    xs.iter().any(|x| ys.iter().any(|y| holds(x, y)))
}

fn geometry(o: &Operand, f: &impl Feature) -> Option<Geometry> {
    match o {
        Operand::Property { name, .. } => f.geometry(name),
        Operand::Literal(Literal::Geometry(g)) => Some(g.clone()),
        Operand::Literal(_) | Operand::Fold { .. } => None,
    }
}

/// True when the feature satisfies the expression. Comparisons with `NULL` are *unknown*,
/// as in SQL: `NOT` of unknown is unknown, and only a definite true selects a feature (test
/// for missing values with `IS NULL`).
pub fn evaluate(e: &Expr, f: &impl Feature) -> bool {
    evaluate_counting(e, f, &mut 0)
}

/// As [`evaluate`], adding the work done to `steps`: one per expression node, one per
/// `LIKE` matcher step, and one per vertex pair a spatial test may look at. The count is
/// bounded by the sizes of the expression and of the feature's values, never by their
/// content, so it is what a budget is checked against.
pub fn evaluate_counting(e: &Expr, f: &impl Feature, steps: &mut u64) -> bool {
    eval3(e, f, steps) == Some(true)
}

fn as_instant<'a>(v: Value<'a>) -> Value<'a> {
    match v {
        Value::Str(s) => Value::Str(Cow::Owned(temporal::instant(&s))),
        Value::List(items) => Value::List(items.into_iter().map(as_instant).collect()),
        other => other,
    }
}

fn is_temporal(o: &Operand) -> bool {
    matches!(o, Operand::Literal(Literal::Temporal { .. }))
}

/// Values of two operands, compared as instants when either is a temporal literal.
fn pair<'a>(a: &'a Operand, b: &'a Operand, f: &'a impl Feature) -> (Value<'a>, Value<'a>) {
    let (x, y) = (value(a, f), value(b, f));
    if is_temporal(a) || is_temporal(b) {
        (as_instant(x), as_instant(y))
    } else {
        (x, y)
    }
}

/// The elements of an array operand; `None` when a property is missing. A single value is
/// an array of one.
fn elements<'a>(a: &'a ArrayOperand, f: &'a impl Feature) -> Option<Vec<Value<'a>>> {
    let one = |o: &'a Operand| match value(o, f) {
        Value::Null => None,
        Value::List(items) => Some(items),
        v => Some(vec![v]),
    };
    match a {
        ArrayOperand::Value(o) => one(o),
        ArrayOperand::List(v) => v.iter().map(|o| known_value(value(o, f))).collect(),
    }
}

fn known_value(v: Value<'_>) -> Option<Value<'_>> {
    known(&v).then_some(v)
}

/// One end of a temporal operand; `None` when it is unknown (a missing property, or a
/// value that is not a date or timestamp).
fn bound(o: &Operand, f: &impl Feature, start: bool) -> Option<Bound> {
    match value(o, f) {
        Value::Str(s) => Some(Bound::from_text(&s, start)),
        _ => None,
    }
}

/// A temporal operand as `[start, end]`; an instant is both.
fn span(t: &TemporalOperand, f: &impl Feature) -> Option<[Bound; 2]> {
    match t {
        TemporalOperand::Instant(o) => {
            let b = bound(o, f, true)?;
            Some([b.clone(), b])
        }
        TemporalOperand::Interval(a, b) => Some([bound(a, f, true)?, bound(b, f, false)?]),
    }
}

fn known(v: &Value<'_>) -> bool {
    !matches!(v, Value::Null)
}

fn eval3(e: &Expr, f: &impl Feature, steps: &mut u64) -> Option<bool> {
    *steps += 1;
    match e {
        Expr::Bool(b) => Some(*b),
        Expr::And(v) => {
            let mut unknown = false;
            for x in v {
                match eval3(x, f, steps) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            (!unknown).then_some(true)
        }
        Expr::Or(v) => {
            let mut unknown = false;
            for x in v {
                match eval3(x, f, steps) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            (!unknown).then_some(false)
        }
        Expr::Not(x) => eval3(x, f, steps).map(|b| !b),
        Expr::Compare { op, left, right } => {
            let (a, b) = pair(left, right, f);
            (known(&a) && known(&b)).then(|| compare(*op, &a, &b))
        }
        Expr::Like {
            operand,
            pattern,
            negated,
        } => {
            let (v, pat) = (value(operand, f), value(pattern, f));
            let Value::Str(pat) = pat else { return None };
            if !known(&v) {
                return None;
            }
            let pat = LikePattern::new(&pat);
            let any = scalars(&v)
                .iter()
                .any(|x| matches!(x, Value::Str(s) if pat.matches_counting(s, steps)));
            Some(any != *negated)
        }
        Expr::In {
            operand,
            list,
            negated,
        } => {
            let temporal = is_temporal(operand) || list.iter().any(is_temporal);
            fn conv(v: Value<'_>, temporal: bool) -> Value<'_> {
                if temporal {
                    as_instant(v)
                } else {
                    v
                }
            }
            let v = conv(value(operand, f), temporal);
            if !known(&v) {
                return None;
            }
            let any = list
                .iter()
                .any(|item| compare(CmpOp::Eq, &v, &conv(value(item, f), temporal)));
            Some(any != *negated)
        }
        Expr::Between {
            operand,
            low,
            high,
            negated,
        } => {
            let (v, lo) = pair(operand, low, f);
            let (_, hi) = pair(operand, high, f);
            if !known(&v) || !known(&lo) || !known(&hi) {
                return None;
            }
            let inside = compare(CmpOp::Ge, &v, &lo) && compare(CmpOp::Le, &v, &hi);
            Some(inside != *negated)
        }
        Expr::IsNull { operand, negated } => {
            let null = match operand.unfolded() {
                Operand::Property { name, .. } => {
                    matches!(f.property(name), Value::Null) && f.geometry(name).is_none()
                }
                _ => false,
            };
            Some(null != *negated)
        }
        Expr::Array { op, left, right } => {
            let (a, b) = (elements(left, f)?, elements(right, f)?);
            *steps += (a.len() as u64 + 1) * (b.len() as u64 + 1);
            Some(op.holds(&a, &b, |x, y| compare(CmpOp::Eq, x, y)))
        }
        Expr::Temporal { op, left, right } => {
            let (a, b) = (span(left, f)?, span(right, f)?);
            Some(op.holds([&a[0], &a[1]], [&b[0], &b[1]]))
        }
        Expr::Spatial { op, left, right } => match (geometry(left, f), geometry(right, f)) {
            (Some(a), Some(b)) => Some({
                *steps += (a.vertex_count() as u64) * (b.vertex_count() as u64);
                match op {
                    SpatialOp::Intersects => a.intersects(&b),
                    SpatialOp::Disjoint => !a.intersects(&b),
                    SpatialOp::Within => a.within(&b),
                    SpatialOp::Contains => b.within(&a),
                }
            }),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    struct F;
    impl Feature for F {
        fn property(&self, name: &str) -> Value<'_> {
            match name {
                "n" => Value::Number(5.0),
                "s" => Value::Str("Sportello_1 %A".into()),
                "langs" => Value::List(vec![Value::Str("it".into()), Value::Str("ar".into())]),
                "b" => Value::Bool(true),
                _ => Value::Null,
            }
        }
        fn geometry(&self, name: &str) -> Option<Geometry> {
            (name == "geometry").then_some(Geometry::Point([12.0, 45.0]))
        }
    }

    fn ok(text: &str) -> bool {
        evaluate(&parse(text).unwrap(), &F)
    }

    #[test]
    fn comparisons_and_nulls() {
        assert!(ok(
            "n = 5 AND n <> 4 AND n < 6 AND n <= 5 AND n > 4 AND n >= 5"
        ));
        assert!(!ok("n = '5'"), "number vs string is false");
        assert!(!ok("missing = 1") && !ok("missing <> 1"));
        assert!(!ok("NOT (missing = 1)"), "unknown stays unknown under NOT");
        assert!(ok("NOT (missing = 1) OR n = 5"), "unknown OR true is true");
        assert!(
            ok("b AND NOT n = 4"),
            "a bare boolean property is a predicate"
        );
        assert!(ok(
            "missing IS NULL AND n IS NOT NULL AND geometry IS NOT NULL"
        ));
        assert!(ok("b = TRUE AND NOT b = FALSE"));
        assert!(ok("n BETWEEN 1 AND 5 AND n NOT BETWEEN 6 AND 9"));
        assert!(ok("n IN (1, 5) AND n NOT IN (2, 3)"));
    }

    #[test]
    fn lists_match_any_element() {
        assert!(ok("langs = 'ar'"));
        assert!(ok("langs IN ('ur', 'it')"));
        assert!(!ok("langs <> 'ar'"));
        assert!(ok("langs <> 'zh'"));
        assert!(ok("langs LIKE 'a%'"));
    }

    #[test]
    fn like_wildcards_and_escapes() {
        assert!(ok("s LIKE 'Sport%'"));
        assert!(ok("s LIKE 'Sportello\\_1 \\%_'"));
        assert!(!ok("s LIKE 'SportelloX1%'"));
        assert!(ok("s NOT LIKE 'x%'"));
        assert!(ok("s LIKE '%'"));
    }

    #[test]
    fn spatial() {
        assert!(ok("S_INTERSECTS(geometry, BBOX(11, 44, 13, 46))"));
        assert!(!ok("S_INTERSECTS(geometry, BBOX(13, 44, 14, 46))"));
        assert!(ok("S_DISJOINT(geometry, POINT(1 1))"));
        assert!(ok(
            "S_WITHIN(geometry, POLYGON((11 44, 13 44, 13 46, 11 46, 11 44)))"
        ));
        assert!(ok(
            "S_CONTAINS(POLYGON((11 44, 13 44, 13 46, 11 46, 11 44)), geometry)"
        ));
        assert!(!ok("S_INTERSECTS(nogeom, BBOX(11, 44, 13, 46))"));
    }
}
