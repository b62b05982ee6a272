//! Temporal functions (`T_BEFORE`, `T_DURING`, … — OGC 21-065 §7.11): Allen's interval
//! relations over instants and intervals, an instant being the interval from itself to
//! itself. Values are ISO 8601 dates or UTC timestamps; `'..'` is an open end.

use crate::ast::Operand;
use std::cmp::Ordering;
use std::fmt;

/// The temporal predicates, named as in CQL2 text (upper case) and JSON (camel case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemporalOp {
    After,
    Before,
    Contains,
    Disjoint,
    During,
    Equals,
    FinishedBy,
    Finishes,
    Intersects,
    Meets,
    MetBy,
    OverlappedBy,
    Overlaps,
    StartedBy,
    Starts,
}

const OPS: [(TemporalOp, &str, &str); 15] = [
    (TemporalOp::After, "T_AFTER", "t_after"),
    (TemporalOp::Before, "T_BEFORE", "t_before"),
    (TemporalOp::Contains, "T_CONTAINS", "t_contains"),
    (TemporalOp::Disjoint, "T_DISJOINT", "t_disjoint"),
    (TemporalOp::During, "T_DURING", "t_during"),
    (TemporalOp::Equals, "T_EQUALS", "t_equals"),
    (TemporalOp::FinishedBy, "T_FINISHEDBY", "t_finishedBy"),
    (TemporalOp::Finishes, "T_FINISHES", "t_finishes"),
    (TemporalOp::Intersects, "T_INTERSECTS", "t_intersects"),
    (TemporalOp::Meets, "T_MEETS", "t_meets"),
    (TemporalOp::MetBy, "T_METBY", "t_metBy"),
    (TemporalOp::OverlappedBy, "T_OVERLAPPEDBY", "t_overlappedBy"),
    (TemporalOp::Overlaps, "T_OVERLAPS", "t_overlaps"),
    (TemporalOp::StartedBy, "T_STARTEDBY", "t_startedBy"),
    (TemporalOp::Starts, "T_STARTS", "t_starts"),
];

impl TemporalOp {
    /// The operator a name denotes, in any letter case (`T_METBY`, `t_metBy`).
    pub fn from_name(name: &str) -> Option<TemporalOp> {
        OPS.iter()
            .find(|(_, text, _)| text.eq_ignore_ascii_case(name))
            .map(|(op, _, _)| *op)
    }
    /// The CQL2 text name.
    pub fn text(self) -> &'static str {
        OPS.iter().find(|(o, _, _)| *o == self).map_or("", |o| o.1)
    }
    /// Every name of the text form, for the lexer's keyword list.
    pub(crate) fn names() -> impl Iterator<Item = &'static str> {
        OPS.iter().map(|(_, text, _)| *text)
    }

    /// Allen's relation between `a` and `b` (each `[start, end]`, start ≤ end assumed).
    pub(crate) fn holds(self, a: [&Bound; 2], b: [&Bound; 2]) -> bool {
        let [s, e] = a;
        let [bs, be] = b;
        use Ordering::{Equal as Eq, Greater as Gt, Less as Lt};
        let c = |x: &Bound, y: &Bound| x.cmp(y);
        match self {
            TemporalOp::After => c(s, be) == Gt,
            TemporalOp::Before => c(e, bs) == Lt,
            TemporalOp::Contains => c(s, bs) == Lt && c(e, be) == Gt,
            TemporalOp::Disjoint => c(e, bs) == Lt || c(s, be) == Gt,
            TemporalOp::During => c(s, bs) == Gt && c(e, be) == Lt,
            TemporalOp::Equals => c(s, bs) == Eq && c(e, be) == Eq,
            TemporalOp::FinishedBy => c(s, bs) == Lt && c(e, be) == Eq,
            TemporalOp::Finishes => c(s, bs) == Gt && c(e, be) == Eq,
            TemporalOp::Intersects => c(s, be) != Gt && c(e, bs) != Lt,
            TemporalOp::Meets => c(e, bs) == Eq,
            TemporalOp::MetBy => c(s, be) == Eq,
            TemporalOp::OverlappedBy => c(s, bs) == Gt && c(s, be) == Lt && c(e, be) == Gt,
            TemporalOp::Overlaps => c(s, bs) == Lt && c(e, bs) == Gt && c(e, be) == Lt,
            TemporalOp::StartedBy => c(s, bs) == Eq && c(e, be) == Gt,
            TemporalOp::Starts => c(s, bs) == Eq && c(e, be) == Lt,
        }
    }
}

/// One side of a temporal predicate: an instant, or an interval between two instants.
#[derive(Clone, Debug, PartialEq)]
pub enum TemporalOperand {
    Instant(Operand),
    Interval(Operand, Operand),
}

impl TemporalOperand {
    /// The operands inside, in text order.
    pub fn operands(&self) -> Vec<&Operand> {
        match self {
            TemporalOperand::Instant(o) => vec![o],
            TemporalOperand::Interval(a, b) => vec![a, b],
        }
    }
}

impl fmt::Display for TemporalOperand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemporalOperand::Instant(o) => write!(f, "{o}"),
            TemporalOperand::Interval(a, b) => write!(f, "INTERVAL({a}, {b})"),
        }
    }
}

/// A point on the time line: before everything, an instant, or after everything.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Bound {
    Start,
    At(String),
    End,
}

impl Bound {
    /// An interval end from its text: `'..'` is open (`start` says which end), anything
    /// else an instant.
    pub(crate) fn from_text(text: &str, start: bool) -> Bound {
        match (text.trim(), start) {
            ("..", true) => Bound::Start,
            ("..", false) => Bound::End,
            (t, _) => Bound::At(instant(t)),
        }
    }
}

/// A date or timestamp as a UTC instant whose text sorts in time order:
/// `2020-01-02` → `2020-01-02T00:00:00Z`, `+00:00` → `Z`, and a zero fraction dropped.
pub(crate) fn instant(text: &str) -> String {
    let t = text.trim();
    if t.len() == 10 {
        return format!("{t}T00:00:00Z");
    }
    let t = t.replace("+00:00", "Z");
    match t.split_once('.') {
        Some((whole, frac))
            if frac.ends_with('Z') && frac[..frac.len() - 1].bytes().all(|b| b == b'0') =>
        {
            format!("{whole}Z")
        }
        _ => t,
    }
}
