//! Recursive-descent parser: `OR` < `AND` < `NOT` < predicates. Geometry literals are read
//! in [`wkt`].

mod wkt;

use crate::array::{ArrayOp, ArrayOperand};
use crate::ast::{CmpOp, Expr, Literal, Operand, SpatialOp};
use crate::lexer::{is_keyword, tokens, Tok};
use crate::temporal::{TemporalOp, TemporalOperand};

/// Deepest expression tree accepted (a predicate is depth 1; `NOT`, `AND`, `OR` add one).
pub const MAX_DEPTH: usize = 32;
/// Most expression nodes accepted: predicates, `NOT`, `AND`, `OR` and `IN` list items
/// (see [`Expr::size`]). Text and JSON count alike, so a filter accepted in one encoding is
/// accepted when printed in the other.
pub const MAX_NODES: usize = 256;
/// Deepest parenthesis and `NOT` nesting the recursive descent follows (a stack guard):
/// twice [`MAX_DEPTH`], so the canonical text of any accepted tree parses again.
pub const MAX_NESTING: usize = 2 * MAX_DEPTH;

/// Why a text is not a filter; `position` counts characters from 0.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} at position {position}")]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    at: usize,
    depth: usize,
    nodes: usize,
}

/// Parses CQL2 text into an expression.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        toks: tokens(text)?,
        at: 0,
        depth: 0,
        nodes: 0,
    };
    if p.peek() == &Tok::End {
        return Err(p.err("empty filter"));
    }
    let e = p.or()?;
    match p.peek() {
        Tok::End if e.depth() > MAX_DEPTH => Err(ParseError {
            position: 0,
            message: format!("filter too complex (nested deeper than {MAX_DEPTH})"),
        }),
        Tok::End => Ok(e),
        _ => Err(p.err(&format!("unexpected {}", p.describe()))),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.at].0
    }
    fn pos(&self) -> usize {
        self.toks[self.at].1
    }
    fn next(&mut self) -> (Tok, usize) {
        let t = self.toks[self.at].clone();
        if self.at + 1 < self.toks.len() {
            self.at += 1;
        }
        t
    }
    fn err(&self, message: &str) -> ParseError {
        ParseError {
            position: self.pos(),
            message: message.to_owned(),
        }
    }
    fn describe(&self) -> String {
        match self.peek() {
            Tok::End => "end of filter".into(),
            Tok::Word(w) | Tok::Quoted(w) => format!("{w:?}"),
            Tok::Str(s) => format!("string '{s}'"),
            Tok::Number(n) => format!("number {n}"),
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::Comma => "','".into(),
            Tok::Cmp(_) => "comparison operator".into(),
        }
    }
    fn is_word(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
    fn eat_word(&mut self, kw: &str) -> bool {
        if self.is_word(kw) {
            self.next();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, t: Tok, what: &str) -> Result<(), ParseError> {
        if self.peek() == &t {
            self.next();
            Ok(())
        } else {
            Err(self.err(&format!("expected {what}, found {}", self.describe())))
        }
    }
    fn node(&mut self) -> Result<(), ParseError> {
        self.nodes_add(1)
    }
    fn nodes_add(&mut self, n: usize) -> Result<(), ParseError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(self.err(&format!("filter too complex (more than {MAX_NODES} terms)")));
        }
        Ok(())
    }
    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.err(&format!(
                "filter too complex (nested deeper than {MAX_DEPTH})"
            )));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let mut parts = vec![self.and()?];
        while self.eat_word("OR") {
            parts.push(self.and()?);
        }
        self.depth -= 1;
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            self.node()?;
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut parts = vec![self.not()?];
        while self.eat_word("AND") {
            parts.push(self.not()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            self.node()?;
            Expr::And(parts)
        })
    }

    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.eat_word("NOT") {
            self.node()?;
            self.enter()?;
            let e = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        self.predicate()
    }

    fn predicate(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == &Tok::LParen {
            self.next();
            let e = self.or()?;
            self.expect(Tok::RParen, "')'")?;
            return Ok(e);
        }
        self.node()?;
        let spatial = [
            ("S_INTERSECTS", SpatialOp::Intersects),
            ("S_DISJOINT", SpatialOp::Disjoint),
            ("S_WITHIN", SpatialOp::Within),
            ("S_CONTAINS", SpatialOp::Contains),
        ];
        if let Some((_, op)) = spatial.iter().find(|(k, _)| self.is_word(k)) {
            let op = *op;
            self.next();
            self.expect(Tok::LParen, "'('")?;
            let left = self.operand()?;
            self.expect(Tok::Comma, "','")?;
            let right = self.operand()?;
            self.expect(Tok::RParen, "')'")?;
            return Ok(Expr::Spatial { op, left, right });
        }
        let temporal = match self.peek() {
            Tok::Word(w) => TemporalOp::from_name(w),
            _ => None,
        };
        if let Some(op) = temporal {
            self.next();
            self.expect(Tok::LParen, "'('")?;
            let left = self.temporal_operand()?;
            self.expect(Tok::Comma, "','")?;
            let right = self.temporal_operand()?;
            self.expect(Tok::RParen, "')'")?;
            return Ok(Expr::Temporal { op, left, right });
        }
        let array = match self.peek() {
            Tok::Word(w) => ArrayOp::from_name(w),
            _ => None,
        };
        if let Some(op) = array {
            self.next();
            self.expect(Tok::LParen, "'('")?;
            let left = self.array_operand()?;
            self.expect(Tok::Comma, "','")?;
            let right = self.array_operand()?;
            self.expect(Tok::RParen, "')'")?;
            return Ok(Expr::Array { op, left, right });
        }
        let operand = self.operand()?;
        let continues = matches!(self.peek(), Tok::Cmp(_))
            || ["IS", "IN", "NOT", "LIKE", "BETWEEN"]
                .iter()
                .any(|k| self.is_word(k));
        if !continues {
            match operand {
                Operand::Literal(Literal::Bool(b)) => return Ok(Expr::Bool(b)),
                // A bare (boolean) property used as a predicate: `flag` means `flag = TRUE`.
                Operand::Property { .. } => {
                    return Ok(Expr::Compare {
                        op: CmpOp::Eq,
                        left: operand,
                        right: Operand::Literal(Literal::Bool(true)),
                    })
                }
                _ => {}
            }
        }
        if let Tok::Cmp(op) = self.peek().clone() {
            self.next();
            let right = self.operand()?;
            return Ok(Expr::Compare {
                op,
                left: operand,
                right,
            });
        }
        if self.eat_word("IS") {
            let negated = self.eat_word("NOT");
            if !self.eat_word("NULL") {
                return Err(self.err(&format!("expected NULL, found {}", self.describe())));
            }
            return Ok(Expr::IsNull { operand, negated });
        }
        let negated = self.eat_word("NOT");
        if self.eat_word("LIKE") {
            let pattern = self.operand()?;
            return Ok(Expr::Like {
                operand,
                pattern,
                negated,
            });
        }
        if self.eat_word("IN") {
            self.expect(Tok::LParen, "'(' after IN")?;
            let mut list = vec![self.operand()?];
            while self.peek() == &Tok::Comma {
                self.next();
                list.push(self.operand()?);
            }
            self.expect(Tok::RParen, "')' closing the IN list")?;
            self.nodes_add(list.len())?;
            return Ok(Expr::In {
                operand,
                list,
                negated,
            });
        }
        if self.eat_word("BETWEEN") {
            let low = self.operand()?;
            if !self.eat_word("AND") {
                return Err(self.err(&format!(
                    "expected AND in BETWEEN, found {}",
                    self.describe()
                )));
            }
            let high = self.operand()?;
            return Ok(Expr::Between {
                operand,
                low,
                high,
                negated,
            });
        }
        Err(self.err(&format!(
            "expected a comparison (=, <>, <, <=, >, >=, LIKE, IN, BETWEEN, IS NULL), found {}",
            self.describe()
        )))
    }

    /// A value or a list literal `(a, b, …)` (possibly empty).
    fn array_operand(&mut self) -> Result<ArrayOperand, ParseError> {
        if self.peek() != &Tok::LParen {
            return Ok(ArrayOperand::Value(self.operand()?));
        }
        self.next();
        let mut list = Vec::new();
        if self.peek() != &Tok::RParen {
            list.push(self.operand()?);
            while self.peek() == &Tok::Comma {
                self.next();
                list.push(self.operand()?);
            }
        }
        self.expect(Tok::RParen, "')' closing the array")?;
        self.nodes_add(list.len())?;
        Ok(ArrayOperand::List(list))
    }

    /// An instant (a property or a literal) or `INTERVAL(start, end)`.
    fn temporal_operand(&mut self) -> Result<TemporalOperand, ParseError> {
        if !self.eat_word("INTERVAL") {
            return Ok(TemporalOperand::Instant(self.operand()?));
        }
        self.expect(Tok::LParen, "'(' after INTERVAL")?;
        let start = self.operand()?;
        self.expect(Tok::Comma, "','")?;
        let end = self.operand()?;
        self.expect(Tok::RParen, "')' closing INTERVAL")?;
        Ok(TemporalOperand::Interval(start, end))
    }

    fn operand(&mut self) -> Result<Operand, ParseError> {
        let (tok, position) = self.next();
        match tok {
            Tok::Str(s) => Ok(Operand::Literal(Literal::Str(s))),
            Tok::Number(n) => Ok(Operand::Literal(Literal::Number(n))),
            Tok::Quoted(name) => Ok(Operand::Property { name, position }),
            Tok::Word(w) => {
                let upper = w.to_ascii_uppercase();
                match upper.as_str() {
                    "TRUE" => Ok(Operand::Literal(Literal::Bool(true))),
                    "FALSE" => Ok(Operand::Literal(Literal::Bool(false))),
                    "DATE" | "TIMESTAMP" => {
                        self.expect(Tok::LParen, "'('")?;
                        let text = match self.next() {
                            (Tok::Str(s), _) => s,
                            (_, p) => {
                                return Err(ParseError {
                                    position: p,
                                    message: format!("expected a quoted {upper}"),
                                })
                            }
                        };
                        self.expect(Tok::RParen, "')'")?;
                        let kind = if upper == "DATE" { "DATE" } else { "TIMESTAMP" };
                        Ok(Operand::Literal(Literal::Temporal { kind, text }))
                    }
                    "CASEI" | "ACCENTI" => {
                        self.expect(Tok::LParen, "'('")?;
                        self.enter()?;
                        let inner = self.operand()?;
                        self.depth -= 1;
                        self.expect(Tok::RParen, "')'")?;
                        Ok(Operand::Fold {
                            fold: crate::fold::Fold::from_name(&upper)
                                .unwrap_or(crate::fold::Fold::Case),
                            operand: Box::new(inner),
                        })
                    }
                    "POINT" | "POLYGON" | "MULTIPOLYGON" | "BBOX" => {
                        // `POINT Z (…)`: the third coordinate is read and ignored.
                        if upper != "BBOX" && self.is_word("Z") {
                            self.next();
                        }
                        Ok(Operand::Literal(Literal::Geometry(self.geometry(&upper)?)))
                    }
                    _ if is_keyword(&w) => Err(ParseError {
                        position,
                        message: format!("unexpected keyword {w:?}"),
                    }),
                    _ if self.peek() == &Tok::LParen => Err(ParseError {
                        position,
                        message: format!("unsupported function {w:?}"),
                    }),
                    _ => Ok(Operand::Property { name: w, position }),
                }
            }
            Tok::End => Err(ParseError {
                position,
                message: "unexpected end of filter, expected a value".into(),
            }),
            Tok::Cmp(_) => Err(ParseError {
                position,
                message: "unexpected comparison operator, expected a value".into(),
            }),
            Tok::LParen | Tok::RParen | Tok::Comma => Err(ParseError {
                position,
                message: "unexpected punctuation, expected a value".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_not_and_or() {
        let e = parse("a = 1 OR b = 2 AND NOT c = 3").unwrap();
        match e {
            Expr::Or(v) => {
                assert!(matches!(v[0], Expr::Compare { op: CmpOp::Eq, .. }));
                assert!(matches!(&v[1], Expr::And(w) if matches!(w[1], Expr::Not(_))));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_positions() {
        assert_eq!(parse("category = ").unwrap_err().position, 11);
        assert_eq!(parse("a == 1").unwrap_err().position, 3);
        assert_eq!(parse("a = 1 AND (b = 2").unwrap_err().position, 16);
        assert_eq!(parse("a = 'x").unwrap_err().position, 4);
        assert_eq!(parse("a LIKE").unwrap_err().position, 6);
        assert_eq!(parse("a = 1 b").unwrap_err().position, 6);
        assert_eq!(parse("").unwrap_err().message, "empty filter");
        assert_eq!(
            parse("foo(a) = 1").unwrap_err().message,
            "unsupported function \"foo\""
        );
        assert_eq!(
            parse("S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0)")
                .unwrap_err()
                .position,
            51
        );
    }

    #[test]
    fn limits() {
        let parens = |n| format!("{}a = 1{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&parens(40)).is_ok(), "parentheses alone add no depth");
        assert!(parse(&parens(70))
            .unwrap_err()
            .message
            .contains("too complex"));
        let nots = |n| format!("{}a = 1", "NOT ".repeat(n));
        assert_eq!(parse(&nots(31)).unwrap().depth(), 32);
        assert!(parse(&nots(32))
            .unwrap_err()
            .message
            .contains("too complex"));
        let wide = (0..300)
            .map(|i| format!("a = {i}"))
            .collect::<Vec<_>>()
            .join(" OR ");
        assert!(parse(&wide).unwrap_err().message.contains("too complex"));
    }

    #[test]
    fn canonical_text_round_trips() {
        for text in [
            "cost = 'free'",
            "NOT (a <> 1) AND b >= 2.5 OR c IS NOT NULL",
            "name LIKE 'Sport%' AND language IN ('ar', 'ur') AND n NOT BETWEEN 1 AND 3",
            "\"odd name\" = 'it''s'",
            "updated > TIMESTAMP('2026-01-01T00:00:00Z') AND d < DATE('2026-02-01')",
            "S_INTERSECTS(geometry, BBOX(12, 45, 13, 46)) OR S_WITHIN(geometry, POLYGON((0 0, 1 0, 1 1, 0 0), (0.2 0.1, 0.3 0.1, 0.3 0.2, 0.2 0.1)))",
            "S_DISJOINT(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))) AND S_CONTAINS(geometry, POINT(1 2))",
            "TRUE",
            "flag = FALSE",
            "T_DURING(INTERVAL(start_date, end_date), INTERVAL('2026-01-01', '..')) OR T_BEFORE(updated, DATE('2026-02-01'))",
            "S_WITHIN(geometry, POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1)))",
            "NOT (a = 1 OR b = 2) AND (c = 3 OR NOT d = 4) AND ((e = 5 AND f = 6) OR g = 7)",
        ] {
            let e = parse(text).unwrap_or_else(|err| panic!("{text}: {err}"));
            let back = parse(&e.to_text()).unwrap_or_else(|err| panic!("{}: {err}", e.to_text()));
            assert_eq!(back, e, "{text} → {}", e.to_text());
        }
    }

    #[test]
    fn properties_with_positions() {
        let e = parse("a = 1 AND \"b c\" LIKE 'x%' OR S_INTERSECTS(geometry, POINT(1 2))").unwrap();
        let names: Vec<_> = e.properties();
        assert_eq!(
            names,
            vec![("a".into(), 0), ("b c".into(), 10), ("geometry".into(), 42)]
        );
    }
}
