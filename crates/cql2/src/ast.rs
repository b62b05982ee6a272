//! The expression tree, and its canonical CQL2 text.

use crate::geometry::Geometry;
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
    Property { name: String, position: usize },
    Literal(Literal),
}

impl PartialEq for Operand {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Operand::Property { name: a, .. }, Operand::Property { name: b, .. }) => a == b,
            (Operand::Literal(a), Operand::Literal(b)) => a == b,
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
}

impl Expr {
    /// Every property the expression reads, with its character position, in text order.
    pub fn properties(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        self.walk(&mut |o| {
            if let Operand::Property { name, position } = o {
                out.push((name.clone(), *position));
            }
        });
        out.sort_by_key(|(_, p)| *p);
        out
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
        }
    }

    /// Canonical CQL2 text (fully parenthesised where precedence could matter); it parses
    /// back to an equal expression.
    pub fn to_text(&self) -> String {
        self.to_string()
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
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let not = |n: &bool| if *n { "NOT " } else { "" };
        match self {
            Expr::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Expr::And(v) | Expr::Or(v) => {
                let sep = if matches!(self, Expr::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                let parts: Vec<String> = v.iter().map(|e| format!("({e})")).collect();
                f.write_str(&parts.join(sep))
            }
            Expr::Not(e) => write!(f, "NOT ({e})"),
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
        }
    }
}
