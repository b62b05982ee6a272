//! Array functions (`A_EQUALS`, `A_CONTAINS`, `A_CONTAINEDBY`, `A_OVERLAPS` — OGC 21-065
//! §7.13) over multi-valued properties (the languages spoken, the categories) and array
//! literals `(…, …)`.

use crate::ast::Operand;
use std::fmt;

/// The array predicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayOp {
    /// The same elements in the same order.
    Equals,
    /// Every element of the right array is in the left one.
    Contains,
    /// Every element of the left array is in the right one.
    ContainedBy,
    /// At least one element in common.
    Overlaps,
}

const OPS: [(ArrayOp, &str); 4] = [
    (ArrayOp::Equals, "A_EQUALS"),
    (ArrayOp::Contains, "A_CONTAINS"),
    (ArrayOp::ContainedBy, "A_CONTAINEDBY"),
    (ArrayOp::Overlaps, "A_OVERLAPS"),
];

impl ArrayOp {
    /// The operator a name denotes, in any letter case (`A_CONTAINEDBY`, `a_containedBy`).
    pub fn from_name(name: &str) -> Option<ArrayOp> {
        OPS.iter()
            .find(|(_, text)| text.eq_ignore_ascii_case(name))
            .map(|(op, _)| *op)
    }
    /// The CQL2 text name.
    pub fn text(self) -> &'static str {
        OPS.iter().find(|(o, _)| *o == self).map_or("", |o| o.1)
    }
    pub(crate) fn names() -> impl Iterator<Item = &'static str> {
        OPS.iter().map(|(_, text)| *text)
    }

    /// Whether the relation holds, given element equality `eq`.
    pub(crate) fn holds<T>(self, a: &[T], b: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
        let within = |x: &[T], y: &[T]| x.iter().all(|e| y.iter().any(|f| eq(e, f)));
        match self {
            ArrayOp::Equals => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y)),
            ArrayOp::Contains => within(b, a),
            ArrayOp::ContainedBy => within(a, b),
            ArrayOp::Overlaps => a.iter().any(|e| b.iter().any(|f| eq(e, f))),
        }
    }
}

/// One side of an array predicate: a value (a multi-valued property) or a list literal.
#[derive(Clone, Debug, PartialEq)]
pub enum ArrayOperand {
    Value(Operand),
    List(Vec<Operand>),
}

impl ArrayOperand {
    /// The operands inside, in text order.
    pub fn operands(&self) -> Vec<&Operand> {
        match self {
            ArrayOperand::Value(o) => vec![o],
            ArrayOperand::List(v) => v.iter().collect(),
        }
    }
}

impl fmt::Display for ArrayOperand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArrayOperand::Value(o) => write!(f, "{o}"),
            ArrayOperand::List(v) => {
                f.write_str("(")?;
                for (i, o) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{o}")?;
                }
                f.write_str(")")
            }
        }
    }
}
