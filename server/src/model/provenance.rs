//! Where a record came from: the source and licence of the import that last wrote its
//! content (`docs/imports.md`, "Provenance"). It says where the facts came from, not who
//! edited them (the history says that), so an operator's later edit keeps it.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

/// The source of a record, set by the import that wrote it (never by the write API).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The dataset or file it came from ("Bussola demo data, fictional", "elenco.csv").
    pub source: String,
    /// Its licence (an SPDX id such as `CC-BY-4.0`, or text); absent: not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// The credit the licence asks for, when it is not the source itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Where the source is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_at: Option<DateTime<Utc>>,
    /// The API import that wrote it (`imp-…`), if it came through `/api/imports`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<String>,
}

impl Provenance {
    /// A provenance naming `source` and `licence` (blank: not stated), imported at `at` (to
    /// the second).
    pub fn new(source: &str, licence: Option<&str>, at: DateTime<Utc>) -> Self {
        Provenance {
            source: source.trim().to_owned(),
            licence: licence
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
            attribution: None,
            url: None,
            imported_at: Some(at.trunc_subsecs(0)),
            import: None,
        }
    }

    /// The short credit the public sees: "source · licence" (the attribution, when given,
    /// instead of the source).
    pub fn credit(&self) -> String {
        let who = self.attribution.as_deref().unwrap_or(&self.source);
        match &self.licence {
            Some(l) => format!("{who} · {l}"),
            None => who.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credit_names_the_attribution_or_the_source_and_the_licence() {
        let at = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let mut p = Provenance::new(" Regione Veneto ", Some("CC-BY-4.0"), at);
        assert_eq!(p.credit(), "Regione Veneto · CC-BY-4.0");
        p.attribution = Some("© Regione del Veneto".into());
        assert_eq!(p.credit(), "© Regione del Veneto · CC-BY-4.0");
        assert_eq!(Provenance::new("x.csv", Some("  "), at).credit(), "x.csv");
    }
}
