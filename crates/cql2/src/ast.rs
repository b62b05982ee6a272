//! The expression tree, and its canonical CQL2 text.

use crate::array::{ArrayOp, ArrayOperand};
use crate::geometry::Geometry;
use crate::temporal::{TemporalOp, TemporalOperand};
use std::fmt;

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    fn text(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Spatial predicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpatialOp {
    Intersects,
    Disjoint,
    Within,
    Contains,
}

impl SpatialOp {
    fn text(self) -> &'static str {
        match self {
            SpatialOp::Intersects => "S_INTERSECTS",
            SpatialOp::Disjoint => "S_DISJOINT",
            SpatialOp::Within => "S_WITHIN",
            SpatialOp::Contains => "S_CONTAINS",
        }
    }
}

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Str(String),
    Number(f64),
    Bool(bool),
    /// `DATE('…')` or `TIMESTAMP('…')`: compared as text (ISO 8601 sorts correctly).
    Temporal {
        kind: &'static str,
        text: String,
    },
    Geometry(Geometry),
}

/// A property reference (with its position in the text) or a literal. Two operands are equal
/// when they name the same property or literal, wherever they stood in their texts.
#[derive(Clone, Debug)]
pub enum Operand {
    Property {
        name: String,
        position: usize,
    },
    Literal(Literal),
    /// `CASEI(…)` or `ACCENTI(…)` around a value.
    Fold {
        fold: crate::fold::Fold,
        operand: Box<Operand>,
    },
}

impl Operand {
    /// The operand inside any folds.
    pub fn unfolded(&self) -> &Operand {
        match self {
            Operand::Fold { operand, .. } => operand.unfolded(),
            other => other,
        }
    }
}

impl PartialEq for Operand {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Operand::Property { name: a, .. }, Operand::Property { name: b, .. }) => a == b,
            (Operand::Literal(a), Operand::Literal(b)) => a == b,
            (
                Operand::Fold {
                    fold: f,
                    operand: a,
                },
                Operand::Fold {
                    fold: g,
                    operand: b,
                },
            ) => f == g && a == b,
            _ => false,
        }
    }
}

/// A boolean expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Bool(bool),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Compare {
        op: CmpOp,
        left: Operand,
        right: Operand,
    },
    Like {
        operand: Operand,
        pattern: Operand,
        negated: bool,
    },
    In {
        operand: Operand,
        list: Vec<Operand>,
        negated: bool,
    },
    Between {
        operand: Operand,
        low: Operand,
        high: Operand,
        negated: bool,
    },
    IsNull {
        operand: Operand,
        negated: bool,
    },
    Spatial {
        op: SpatialOp,
        left: Operand,
        right: Operand,
    },
    Temporal {
        op: TemporalOp,
        left: TemporalOperand,
        right: TemporalOperand,
    },
    Array {
        op: ArrayOp,
        left: ArrayOperand,
        right: ArrayOperand,
    },
}

impl Expr {
    /// Every property the expression reads, with its character position, in text order.
    pub fn properties(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        self.walk(&mut |o| {
            if let Operand::Property { name, position } = o.unfolded() {
                out.push((name.clone(), *position));
            }
        });
        out.sort_by_key(|(_, p)| *p);
        out
    }

    fn walk_mut(&mut self, f: &mut impl FnMut(&mut Operand)) {
        match self {
            Expr::Bool(_) => {}
            Expr::And(v) | Expr::Or(v) => v.iter_mut().for_each(|e| e.walk_mut(f)),
            Expr::Not(e) => e.walk_mut(f),
            Expr::Compare { left, right, .. } | Expr::Spatial { left, right, .. } => {
                f(left);
                f(right);
            }
            Expr::Like {
                operand, pattern, ..
            } => {
                f(operand);
                f(pattern);
            }
            Expr::In { operand, list, .. } => {
                f(operand);
                list.iter_mut().for_each(f);
            }
            Expr::Between {
                operand, low, high, ..
            } => {
                f(operand);
                f(low);
                f(high);
            }
            Expr::IsNull { operand, .. } => f(operand),
            Expr::Temporal { left, right, .. } => {
                for side in [left, right] {
                    match side {
                        TemporalOperand::Instant(o) => f(o),
                        TemporalOperand::Interval(a, b) => {
                            f(a);
                            f(b);
                        }
                    }
                }
            }
            Expr::Array { left, right, .. } => {
                for side in [left, right] {
                    match side {
                        ArrayOperand::Value(o) => f(o),
                        ArrayOperand::List(v) => v.iter_mut().for_each(&mut *f),
                    }
                }
            }
        }
    }

    fn walk(&self, f: &mut impl FnMut(&Operand)) {
        match self {
            Expr::Bool(_) => {}
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.walk(f)),
            Expr::Not(e) => e.walk(f),
            Expr::Compare { left, right, .. } | Expr::Spatial { left, right, .. } => {
                f(left);
                f(right);
            }
            Expr::Like {
                operand, pattern, ..
            } => {
                f(operand);
                f(pattern);
            }
            Expr::In { operand, list, .. } => {
                f(operand);
                list.iter().for_each(f);
            }
            Expr::Between {
                operand, low, high, ..
            } => {
                f(operand);
                f(low);
                f(high);
            }
            Expr::IsNull { operand, .. } => f(operand),
            Expr::Temporal { left, right, .. } => {
                left.operands().into_iter().for_each(&mut *f);
                right.operands().into_iter().for_each(f);
            }
            Expr::Array { left, right, .. } => {
                left.operands().into_iter().for_each(&mut *f);
                right.operands().into_iter().for_each(f);
            }
        }
    }

    /// How many nodes the tree has: one per predicate, `NOT`, `AND` and `OR`, plus one per
    /// `IN` list item and array literal element. Both parsers refuse trees larger than [`crate::MAX_NODES`].
    pub fn size(&self) -> usize {
        match self {
            Expr::And(v) | Expr::Or(v) => 1 + v.iter().map(Expr::size).sum::<usize>(),
            Expr::Not(e) => 1 + e.size(),
            Expr::In { list, .. } => 1 + list.len(),
            Expr::Array { left, right, .. } => {
                1 + [left, right]
                    .iter()
                    .map(|s| match s {
                        ArrayOperand::List(v) => v.len(),
                        ArrayOperand::Value(_) => 0,
                    })
                    .sum::<usize>()
            }
            _ => 1,
        }
    }

    /// The depth of the tree: 1 for a predicate, one more for each `NOT`, `AND`, `OR` above
    /// it. Both parsers refuse trees deeper than [`crate::MAX_DEPTH`].
    pub fn depth(&self) -> usize {
        match self {
            Expr::And(v) | Expr::Or(v) => 1 + v.iter().map(Expr::depth).max().unwrap_or(0),
            Expr::Not(e) => 1 + e.depth(),
            _ => 1,
        }
    }

    /// The same expression with meaning-preserving spelling differences removed, so two
    /// encodings of one filter compare equal: `NOT` over `LIKE`/`IN`/`BETWEEN`/`IS NULL`
    /// becomes the negated predicate (CQL2-JSON has only the `not` form), and an `AND` inside
    /// an `AND` (an `OR` inside an `OR`) is flattened. Precedence is untouched: an `OR` under
    /// an `AND` stays there.
    pub fn normalized(&self) -> Expr {
        let mut e = self.structure_normalized();
        // A timestamp is spelled one way (`…00.000Z` → `…00Z`).
        e.walk_mut(&mut |o| {
            if let Operand::Literal(Literal::Temporal { text, .. }) = o {
                *text = crate::temporal::instant(text);
            }
        });
        e
    }

    fn structure_normalized(&self) -> Expr {
        let flat = |v: &[Expr], and: bool| {
            let mut out = Vec::new();
            for e in v.iter().map(Expr::structure_normalized) {
                match e {
                    Expr::And(inner) if and => out.extend(inner),
                    Expr::Or(inner) if !and => out.extend(inner),
                    other => out.push(other),
                }
            }
            out
        };
        match self {
            Expr::And(v) => Expr::And(flat(v, true)),
            Expr::Or(v) => Expr::Or(flat(v, false)),
            Expr::Not(inner) => match inner.structure_normalized() {
                Expr::Like {
                    operand,
                    pattern,
                    negated,
                } => Expr::Like {
                    operand,
                    pattern,
                    negated: !negated,
                },
                Expr::In {
                    operand,
                    list,
                    negated,
                } => Expr::In {
                    operand,
                    list,
                    negated: !negated,
                },
                Expr::Between {
                    operand,
                    low,
                    high,
                    negated,
                } => Expr::Between {
                    operand,
                    low,
                    high,
                    negated: !negated,
                },
                Expr::IsNull { operand, negated } => Expr::IsNull {
                    operand,
                    negated: !negated,
                },
                other => Expr::Not(Box::new(other)),
            },
            Expr::Temporal { op, left, right } => {
                let side = |t: &TemporalOperand| match t {
                    TemporalOperand::Instant(o) => TemporalOperand::Instant(instant_operand(o)),
                    TemporalOperand::Interval(a, b) => {
                        TemporalOperand::Interval(instant_operand(a), instant_operand(b))
                    }
                };
                Expr::Temporal {
                    op: *op,
                    left: side(left),
                    right: side(right),
                }
            }
            other => other.clone(),
        }
    }

    /// Canonical CQL2 text, parenthesised only where the tree needs it (an `OR` under an
    /// `AND` or an `OR`, an `AND` under an `AND`, an `AND`/`OR` under `NOT`); it parses back
    /// to an equal expression, of the same size and depth.
    pub fn to_text(&self) -> String {
        self.to_string()
    }
}

/// A temporal operand's literal with its instant spelled one way (`…00.000Z` → `…00Z`).
fn instant_operand(o: &Operand) -> Operand {
    match o {
        Operand::Literal(Literal::Temporal { kind, text }) => Operand::Literal(Literal::Temporal {
            kind,
            text: crate::temporal::instant(text),
        }),
        Operand::Literal(Literal::Str(s)) if s.trim() != ".." => {
            Operand::Literal(Literal::Str(crate::temporal::instant(s)))
        }
        other => other.clone(),
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn ident(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':'))
        && !crate::lexer::is_keyword(s);
    if plain {
        s.to_owned()
    } else {
        format!("\"{}\"", s.replace('"', "\"\""))
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Property { name, .. } => f.write_str(&ident(name)),
            Operand::Literal(Literal::Str(s)) => f.write_str(&quote(s)),
            Operand::Literal(Literal::Number(n)) => write!(f, "{n}"),
            Operand::Literal(Literal::Bool(b)) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Operand::Literal(Literal::Temporal { kind, text }) => {
                write!(f, "{kind}({})", quote(text))
            }
            Operand::Literal(Literal::Geometry(g)) => write!(f, "{g}"),
            Operand::Fold { fold, operand } => write!(f, "{fold}({operand})"),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let not = |n: &bool| if *n { "NOT " } else { "" };
        match self {
            Expr::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Expr::And(v) | Expr::Or(v) => {
                let and = matches!(self, Expr::And(_));
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(if and { " AND " } else { " OR " })?;
                    }
                    let wrap = matches!(e, Expr::Or(_)) || (and && matches!(e, Expr::And(_)));
                    if wrap {
                        write!(f, "({e})")?;
                    } else {
                        write!(f, "{e}")?;
                    }
                }
                Ok(())
            }
            Expr::Not(e) if matches!(**e, Expr::And(_) | Expr::Or(_)) => write!(f, "NOT ({e})"),
            Expr::Not(e) => write!(f, "NOT {e}"),
            Expr::Compare { op, left, right } => write!(f, "{left} {} {right}", op.text()),
            Expr::Like {
                operand,
                pattern,
                negated,
            } => write!(f, "{operand} {}LIKE {pattern}", not(negated)),
            Expr::In {
                operand,
                list,
                negated,
            } => {
                let items: Vec<String> = list.iter().map(ToString::to_string).collect();
                write!(f, "{operand} {}IN ({})", not(negated), items.join(", "))
            }
            Expr::Between {
                operand,
                low,
                high,
                negated,
            } => {
                write!(f, "{operand} {}BETWEEN {low} AND {high}", not(negated))
            }
            Expr::IsNull { operand, negated } => write!(f, "{operand} IS {}NULL", not(negated)),
            Expr::Spatial { op, left, right } => write!(f, "{}({left}, {right})", op.text()),
            Expr::Temporal { op, left, right } => write!(f, "{}({left}, {right})", op.text()),
            Expr::Array { op, left, right } => write!(f, "{}({left}, {right})", op.text()),
        }
    }
}
