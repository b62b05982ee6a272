//! The CSV form (see [`crate::csv_form`]).

pub use crate::csv_form::read as parse_csv;
