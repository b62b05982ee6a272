//! A CQL2-text subset (OGC API - Features Part 3, OGC 21-065) for filtering features:
//! comparisons, `LIKE`, `IN`, `BETWEEN`, `IS NULL`, `AND`/`OR`/`NOT`, `DATE`/`TIMESTAMP`
//! literals, the temporal functions `T_AFTER` … `T_STARTS` over instants and `INTERVAL`s, and
//! the array functions `A_EQUALS`, `A_CONTAINS`, `A_CONTAINEDBY`, `A_OVERLAPS`, and the spatial
//! functions `S_INTERSECTS`, `S_WITHIN`, `S_CONTAINS`, `S_DISJOINT`
//! with WKT points, polygons, multipolygons and `BBOX(...)`.
//!
//! Errors carry the character position where parsing failed, so an API can answer
//! "unexpected ')' at position 17". Expressions are bounded in depth and size.
//!
//! ```
//! use bussola_cql2::{evaluate, parse, Feature, Geometry, Value};
//! struct Desk;
//! impl Feature for Desk {
//!     fn property(&self, name: &str) -> Value<'_> {
//!         match name {
//!             "cost" => Value::Str("free".into()),
//!             "language" => Value::List(vec![Value::Str("it".into()), Value::Str("ar".into())]),
//!             _ => Value::Null,
//!         }
//!     }
//!     fn geometry(&self, _: &str) -> Option<Geometry> { Some(Geometry::Point([12.24, 45.49])) }
//! }
//! let e = parse("cost = 'free' AND language IN ('ar', 'ur') AND S_INTERSECTS(geometry, BBOX(12, 45, 13, 46))").unwrap();
//! assert!(evaluate(&e, &Desk));
//! let err = parse("cost = 'free' AND").unwrap_err();
//! assert_eq!(err.position, 17);
//! ```

mod array;
mod ast;
mod eval;
mod fold;
mod geometry;
mod json;
mod lexer;
mod like;
mod parser;
mod temporal;

pub use array::{ArrayOp, ArrayOperand};
pub use ast::{CmpOp, Expr, Literal, Operand, SpatialOp};
pub use eval::{evaluate, evaluate_counting, Feature, Value};
pub use fold::Fold;
pub use geometry::Geometry;
pub use json::{parse_json, parse_json_value, JsonError};
pub use like::{like, LikePattern};
pub use parser::{parse, ParseError, MAX_DEPTH, MAX_NESTING, MAX_NODES};
pub use temporal::{TemporalOp, TemporalOperand};
