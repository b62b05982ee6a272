//! CQL2 filters (OGC API - Features Part 3), in text or JSON, over a collection's queryables
//! (declared with the collection, in [`super::collection`]).

use super::error::{Error, Result};
use bussola_cql2::Expr;

/// Most characters a filter may have.
pub const MAX_FILTER_LEN: usize = 4096;

/// The encodings `filter-lang` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterLang {
    /// `cql2-text`, the default.
    Text,
    /// `cql2-json`.
    Json,
}

/// Reads `filter-lang` (absent: CQL2 text).
pub fn filter_lang(value: Option<&str>) -> Result<FilterLang> {
    match value {
        None | Some("cql2-text") => Ok(FilterLang::Text),
        Some("cql2-json") => Ok(FilterLang::Json),
        Some(other) => Err(Error::bad(
            "filter-lang",
            format!("unknown filter language {other:?}; use cql2-text or cql2-json"),
        )),
    }
}

/// Parses `filter` in `lang` and checks every property against `queryables`; errors name the
/// position (text) or the JSON Pointer (JSON).
pub fn parse(text: &str, lang: FilterLang, queryables: &[&str]) -> Result<Expr> {
    if text.chars().count() > MAX_FILTER_LEN {
        return Err(Error::bad(
            "filter",
            format!("longer than {MAX_FILTER_LEN} characters"),
        ));
    }
    let expr = match lang {
        FilterLang::Text => bussola_cql2::parse(text).map_err(|e| {
            Error::bad(
                "filter",
                format!("{} at position {}", e.message, e.position),
            )
        })?,
        FilterLang::Json => bussola_cql2::parse_json(text)
            .map_err(|e| Error::bad("filter", format!("CQL2-JSON: {e}")))?,
    };
    for (name, position) in expr.properties() {
        if !queryables.contains(&name.as_str()) {
            let at = match lang {
                FilterLang::Text => format!(" at position {position}"),
                FilterLang::Json => String::new(),
            };
            return Err(Error::bad(
                "filter",
                format!("unknown property {name:?}{at}; see the collection's /queryables"),
            ));
        }
    }
    Ok(expr)
}
