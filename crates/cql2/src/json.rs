//! CQL2-JSON (OGC 21-065, the `cql2.json` schema) into the same expression tree as the text,
//! for the same subset. Errors name the place with a JSON Pointer (RFC 6901), e.g.
//! `/args/1/op: unknown operator "s_crosses"`.

use crate::array::{ArrayOp, ArrayOperand};
use crate::ast::{CmpOp, Expr, Literal, Operand, SpatialOp};
use crate::fold::Fold;
use crate::geometry::Geometry;
use crate::parser::{MAX_DEPTH, MAX_NODES};
use crate::temporal::{TemporalOp, TemporalOperand};
use serde_json::{Map, Value as J};

/// Why a JSON document is not a filter; `pointer` is where (a JSON Pointer, `""` the root).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} at {}", if pointer.is_empty() { "the top level" } else { pointer.as_str() })]
pub struct JsonError {
    pub pointer: String,
    pub message: String,
}

/// Parses CQL2-JSON text into an expression.
pub fn parse_json(text: &str) -> Result<Expr, JsonError> {
    let doc: J = serde_json::from_str(text).map_err(|e| JsonError {
        pointer: String::new(),
        message: format!("not JSON: {e}"),
    })?;
    parse_json_value(&doc)
}

/// Parses an already-decoded CQL2-JSON document.
pub fn parse_json_value(doc: &J) -> Result<Expr, JsonError> {
    let mut r = Reader { nodes: 0 };
    r.expr(doc, "", 0)
}

struct Reader {
    nodes: usize,
}

fn err(pointer: &str, message: impl Into<String>) -> JsonError {
    JsonError {
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}

fn cmp_op(op: &str) -> Option<CmpOp> {
    Some(match op {
        "=" => CmpOp::Eq,
        "<>" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        _ => return None,
    })
}

fn spatial_op(op: &str) -> Option<SpatialOp> {
    Some(match op.to_ascii_lowercase().as_str() {
        "s_intersects" => SpatialOp::Intersects,
        "s_disjoint" => SpatialOp::Disjoint,
        "s_within" => SpatialOp::Within,
        "s_contains" => SpatialOp::Contains,
        _ => return None,
    })
}

/// `args` of an operation, checked for count.
fn args<'a>(
    obj: &'a Map<String, J>,
    at: &str,
    op: &str,
    n: Option<usize>,
) -> Result<&'a [J], JsonError> {
    let here = format!("{at}/args");
    let a = obj
        .get("args")
        .ok_or_else(|| err(at, format!("operator {op:?} needs \"args\"")))?
        .as_array()
        .ok_or_else(|| err(&here, "\"args\" must be an array"))?;
    match n {
        Some(n) if a.len() != n => Err(err(
            &here,
            format!("{op:?} takes {n} argument(s), found {}", a.len()),
        )),
        None if a.len() < 2 => Err(err(&here, format!("{op:?} takes at least 2 arguments"))),
        _ => Ok(a),
    }
}

impl Reader {
    fn node(&mut self, at: &str) -> Result<(), JsonError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(err(
                at,
                format!("filter too complex (more than {MAX_NODES} terms)"),
            ));
        }
        Ok(())
    }

    fn expr(&mut self, v: &J, at: &str, depth: usize) -> Result<Expr, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(err(
                at,
                format!("filter too complex (nested deeper than {MAX_DEPTH})"),
            ));
        }
        self.node(at)?;
        let obj = match v {
            J::Bool(b) => return Ok(Expr::Bool(*b)),
            J::Object(o) => o,
            _ => {
                return Err(err(
                    at,
                    "expected a boolean expression (an object with \"op\")",
                ))
            }
        };
        let Some(op) = obj.get("op") else {
            if obj.contains_key("property") {
                // A bare boolean property, as in the text form.
                let operand = self.operand(v, at)?;
                return Ok(Expr::Compare {
                    op: CmpOp::Eq,
                    left: operand,
                    right: Operand::Literal(Literal::Bool(true)),
                });
            }
            return Err(err(at, "expected an object with \"op\" and \"args\""));
        };
        let op = op
            .as_str()
            .ok_or_else(|| err(&format!("{at}/op"), "\"op\" must be a string"))?;
        let arg = |i: usize| format!("{at}/args/{i}");
        match op {
            "and" | "or" => {
                let a = args(obj, at, op, None)?;
                let parts = a
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.expr(x, &arg(i), depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if op == "and" {
                    Expr::And(parts)
                } else {
                    Expr::Or(parts)
                })
            }
            "not" => {
                let a = args(obj, at, op, Some(1))?;
                Ok(Expr::Not(Box::new(self.expr(&a[0], &arg(0), depth + 1)?)))
            }
            "like" => {
                let a = args(obj, at, op, Some(2))?;
                Ok(Expr::Like {
                    operand: self.operand(&a[0], &arg(0))?,
                    pattern: self.operand(&a[1], &arg(1))?,
                    negated: false,
                })
            }
            "in" => {
                let a = args(obj, at, op, Some(2))?;
                let items = a[1]
                    .as_array()
                    .ok_or_else(|| err(&arg(1), "the IN list must be an array"))?;
                if items.is_empty() {
                    return Err(err(&arg(1), "the IN list is empty"));
                }
                let mut list = Vec::with_capacity(items.len());
                for (i, x) in items.iter().enumerate() {
                    let here = format!("{}/{i}", arg(1));
                    self.node(&here)?;
                    list.push(self.operand(x, &here)?);
                }
                Ok(Expr::In {
                    operand: self.operand(&a[0], &arg(0))?,
                    list,
                    negated: false,
                })
            }
            "between" => {
                let a = args(obj, at, op, Some(3))?;
                Ok(Expr::Between {
                    operand: self.operand(&a[0], &arg(0))?,
                    low: self.operand(&a[1], &arg(1))?,
                    high: self.operand(&a[2], &arg(2))?,
                    negated: false,
                })
            }
            "isNull" => {
                let a = args(obj, at, op, Some(1))?;
                Ok(Expr::IsNull {
                    operand: self.operand(&a[0], &arg(0))?,
                    negated: false,
                })
            }
            _ => {
                if let Some(c) = cmp_op(op) {
                    let a = args(obj, at, op, Some(2))?;
                    return Ok(Expr::Compare {
                        op: c,
                        left: self.operand(&a[0], &arg(0))?,
                        right: self.operand(&a[1], &arg(1))?,
                    });
                }
                if let Some(s) = spatial_op(op) {
                    let a = args(obj, at, op, Some(2))?;
                    return Ok(Expr::Spatial {
                        op: s,
                        left: self.operand(&a[0], &arg(0))?,
                        right: self.operand(&a[1], &arg(1))?,
                    });
                }
                if let Some(a_op) = ArrayOp::from_name(op) {
                    let a = args(obj, at, op, Some(2))?;
                    return Ok(Expr::Array {
                        op: a_op,
                        left: self.array(&a[0], &arg(0))?,
                        right: self.array(&a[1], &arg(1))?,
                    });
                }
                if let Some(t) = TemporalOp::from_name(op) {
                    let a = args(obj, at, op, Some(2))?;
                    return Ok(Expr::Temporal {
                        op: t,
                        left: self.temporal(&a[0], &arg(0))?,
                        right: self.temporal(&a[1], &arg(1))?,
                    });
                }
                Err(err(
                    &format!("{at}/op"),
                    format!("unsupported operator {op:?}"),
                ))
            }
        }
    }

    /// A value or a JSON array of values.
    fn array(&mut self, v: &J, at: &str) -> Result<ArrayOperand, JsonError> {
        let Some(items) = v.as_array() else {
            return Ok(ArrayOperand::Value(self.operand(v, at)?));
        };
        let mut list = Vec::with_capacity(items.len());
        for (i, x) in items.iter().enumerate() {
            let here = format!("{at}/{i}");
            self.node(&here)?;
            list.push(self.operand(x, &here)?);
        }
        Ok(ArrayOperand::List(list))
    }

    /// An instant or `{"interval": [start, end]}`.
    fn temporal(&mut self, v: &J, at: &str) -> Result<TemporalOperand, JsonError> {
        let Some(iv) = v.get("interval") else {
            return Ok(TemporalOperand::Instant(self.operand(v, at)?));
        };
        let here = format!("{at}/interval");
        match iv.as_array().map(Vec::as_slice) {
            Some([a, b]) => Ok(TemporalOperand::Interval(
                self.operand(a, &format!("{here}/0"))?,
                self.operand(b, &format!("{here}/1"))?,
            )),
            _ => Err(err(&here, "an interval is an array of 2 instants")),
        }
    }

    fn operand(&mut self, v: &J, at: &str) -> Result<Operand, JsonError> {
        Ok(Operand::Literal(match v {
            J::String(s) => Literal::Str(s.clone()),
            J::Number(n) => Literal::Number(
                n.as_f64()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| err(at, "number out of range"))?,
            ),
            J::Bool(b) => Literal::Bool(*b),
            J::Object(o) => {
                if let Some(p) = o.get("property") {
                    let name = p
                        .as_str()
                        .filter(|s| !s.is_empty())
                        .ok_or_else(|| err(&format!("{at}/property"), "must be a property name"))?;
                    return Ok(Operand::Property {
                        name: name.to_owned(),
                        position: 0,
                    });
                }
                for kind in ["date", "timestamp"] {
                    if let Some(t) = o.get(kind) {
                        let text = t
                            .as_str()
                            .ok_or_else(|| err(&format!("{at}/{kind}"), "must be a string"))?;
                        return Ok(Operand::Literal(Literal::Temporal {
                            kind: if kind == "date" { "DATE" } else { "TIMESTAMP" },
                            text: text.to_owned(),
                        }));
                    }
                }
                if let Some(b) = o.get("bbox") {
                    return Ok(Operand::Literal(Literal::Geometry(bbox(b, at)?)));
                }
                if o.contains_key("type") {
                    return Ok(Operand::Literal(Literal::Geometry(geometry(o, at)?)));
                }
                if let Some(fold) = o.get("op").and_then(J::as_str).and_then(Fold::from_name) {
                    let name = if fold == Fold::Case {
                        "casei"
                    } else {
                        "accenti"
                    };
                    let a = args(o, at, name, Some(1))?;
                    let inner = self.operand(&a[0], &format!("{at}/args/0"))?;
                    return Ok(Operand::Fold {
                        fold,
                        operand: Box::new(inner),
                    });
                }
                if o.contains_key("op") {
                    return Err(err(at, "expected a value, found an operation"));
                }
                return Err(err(
                    at,
                    "expected a value (string, number, boolean, property, date, timestamp, geometry or bbox)",
                ));
            }
            J::Null => return Err(err(at, "null is not a value here; use isNull")),
            J::Array(_) => return Err(err(at, "an array is a value only in IN")),
        }))
    }
}

fn number(v: &J, at: &str) -> Result<f64, JsonError> {
    v.as_f64()
        .filter(|x| x.is_finite())
        .ok_or_else(|| err(at, "expected a number"))
}

fn position(v: &J, at: &str) -> Result<[f64; 2], JsonError> {
    match v.as_array().map(Vec::as_slice) {
        // A third (z) coordinate is accepted and ignored, as in the text form.
        Some([x, y]) | Some([x, y, _]) => Ok([
            number(x, &format!("{at}/0"))?,
            number(y, &format!("{at}/1"))?,
        ]),
        _ => Err(err(at, "a position is an array of 2 (or 3) numbers")),
    }
}

fn ring(v: &J, at: &str) -> Result<Vec<[f64; 2]>, JsonError> {
    let pts = v
        .as_array()
        .ok_or_else(|| err(at, "a ring is an array of positions"))?
        .iter()
        .enumerate()
        .map(|(i, p)| position(p, &format!("{at}/{i}")))
        .collect::<Result<Vec<_>, _>>()?;
    if pts.len() < 4 || pts.first() != pts.last() {
        return Err(err(
            at,
            "a polygon ring needs at least 4 positions, the last equal to the first",
        ));
    }
    Ok(pts)
}

fn polygon(v: &J, at: &str) -> Result<Vec<Vec<[f64; 2]>>, JsonError> {
    let rings = v
        .as_array()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| err(at, "a polygon is a non-empty array of rings"))?;
    rings
        .iter()
        .enumerate()
        .map(|(i, r)| ring(r, &format!("{at}/{i}")))
        .collect()
}

fn geometry(o: &Map<String, J>, at: &str) -> Result<Geometry, JsonError> {
    let c = o
        .get("coordinates")
        .ok_or_else(|| err(at, "a geometry needs \"coordinates\""))?;
    let here = format!("{at}/coordinates");
    match o.get("type").and_then(J::as_str) {
        Some("Point") => Ok(Geometry::Point(position(c, &here)?)),
        Some("Polygon") => Ok(Geometry::Polygon(polygon(c, &here)?)),
        Some("MultiPolygon") => Ok(Geometry::MultiPolygon(
            c.as_array()
                .filter(|m| !m.is_empty())
                .ok_or_else(|| err(&here, "a multipolygon is a non-empty array of polygons"))?
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(p, &format!("{here}/{i}")))
                .collect::<Result<_, _>>()?,
        )),
        Some(other) => Err(err(
            &format!("{at}/type"),
            format!("unsupported geometry type {other:?} (Point, Polygon, MultiPolygon)"),
        )),
        None => Err(err(&format!("{at}/type"), "must be a geometry type")),
    }
}

fn bbox(v: &J, at: &str) -> Result<Geometry, JsonError> {
    let here = format!("{at}/bbox");
    let n = v
        .as_array()
        .ok_or_else(|| err(&here, "a bbox is an array of 4 (or 6) numbers"))?
        .iter()
        .enumerate()
        .map(|(i, x)| number(x, &format!("{here}/{i}")))
        .collect::<Result<Vec<_>, _>>()?;
    let b = match n.len() {
        4 => [n[0], n[1], n[2], n[3]],
        6 => [n[0], n[1], n[3], n[4]],
        _ => return Err(err(&here, "a bbox is an array of 4 (or 6) numbers")),
    };
    if b[0] > b[2] || b[1] > b[3] {
        return Err(err(&here, "bbox minimum exceeds maximum"));
    }
    Ok(Geometry::Envelope(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn same_tree_as_the_text() {
        let j = r#"{"op":"and","args":[
            {"op":"like","args":[{"property":"name"},"Sport%"]},
            {"op":"in","args":[{"property":"language"},["ar","ur"]]},
            {"op":">=","args":[{"property":"updated"},{"timestamp":"2026-01-01T00:00:00Z"}]},
            {"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[12,45,13,46]}]}]}"#;
        let t = "name LIKE 'Sport%' AND language IN ('ar', 'ur') AND updated >= TIMESTAMP('2026-01-01T00:00:00Z') AND S_INTERSECTS(geometry, BBOX(12, 45, 13, 46))";
        assert_eq!(parse_json(j).unwrap(), parse(t).unwrap());
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse_json(r#"{"op":"and","args":[true,{"op":"s_crosses","args":[1,2]}]}"#)
            .unwrap_err();
        assert_eq!(e.pointer, "/args/1/op");
        assert_eq!(
            e.to_string(),
            "unsupported operator \"s_crosses\" at /args/1/op"
        );
        let e = parse_json(r#"{"op":"=","args":[{"property":"a"}]}"#).unwrap_err();
        assert_eq!(e.pointer, "/args");
        assert!(parse_json("{").unwrap_err().message.starts_with("not JSON"));
        assert_eq!(parse_json("3").unwrap_err().pointer, "");
        let e = parse_json(r#"{"op":"s_within","args":[{"property":"g"},{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}]}"#).unwrap_err();
        assert_eq!(e.pointer, "/args/1/coordinates/0");
    }

    #[test]
    fn limits() {
        let mut deep = String::from("true");
        for _ in 0..40 {
            deep = format!(r#"{{"op":"not","args":[{deep}]}}"#);
        }
        assert!(parse_json(&deep)
            .unwrap_err()
            .message
            .contains("too complex"));
    }
}
