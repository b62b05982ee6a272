//! Reading files into change sets: validate everything first, then commit all or nothing.
//!
//! A bad file never half-writes: parsing and validation produce either a complete
//! [`ChangeSet`] or a [`Report`] naming every bad row or feature, field and reason.

mod comuni;
mod csv_rows;
pub(crate) mod dataset;
mod fields;
mod hours_text;
pub mod provenance;
pub(crate) mod reasons;
mod rings;
pub mod text;
mod validate;

pub use comuni::{parse_comuni, ComuniOptions};
pub use csv_rows::parse_csv;
pub use dataset::{parse_dataset, FORMAT};
pub use text::decode;
pub use validate::{is_language_tag, validate};

use std::fmt;

/// One thing wrong with an input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: `feature 12 (loc-x)`, `line 7`, `organizations[3]`.
    pub at: String,
    /// Which field, dotted (`properties.services[0].cost`), or empty for the whole item.
    pub field: String,
    /// Why it is wrong.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.at, self.reason)
        } else {
            write!(f, "{}: {}: {}", self.at, self.field, self.reason)
        }
    }
}

/// Every problem found in a file; empty means the file is fine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report(pub Vec<Problem>);

impl Report {
    pub fn push(
        &mut self,
        at: impl Into<String>,
        field: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.0.push(Problem {
            at: at.into(),
            field: field.into(),
            reason: reason.into(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(value)` when nothing was reported.
    pub fn into_result<T>(self, value: T) -> Result<T, Report> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s):", self.0.len())?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

/// Import errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The file has problems; nothing was written.
    #[error("the file was rejected, nothing was written. {0}")]
    Invalid(Report),
    /// The store failed; the transaction was rolled back.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
}

/// A name or id as shown in a report's place: cut to 60 characters, so a huge value does
/// not make a huge report.
pub(crate) fn label(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        None => s.to_owned(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

/// A serde error from a JSON value, as a problem reason without serde's position noise.
pub(crate) fn serde_reason(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}
