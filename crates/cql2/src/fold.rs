//! `CASEI(…)` and `ACCENTI(…)` (OGC 21-065 §7.5, §7.6): comparing text regardless of letter
//! case or of accents, so `CASEI(name) LIKE CASEI('%città%')` finds "CITTA'" and "Città".

use std::fmt;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Which difference a fold removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// `CASEI`: Unicode lower case.
    Case,
    /// `ACCENTI`: canonical decomposition without its combining marks (`è` → `e`).
    Accent,
}

impl Fold {
    /// The fold a function name denotes, in any letter case.
    pub fn from_name(name: &str) -> Option<Fold> {
        if name.eq_ignore_ascii_case("CASEI") {
            Some(Fold::Case)
        } else if name.eq_ignore_ascii_case("ACCENTI") {
            Some(Fold::Accent)
        } else {
            None
        }
    }

    /// The folded text.
    pub fn apply(self, text: &str) -> String {
        match self {
            Fold::Case => text.to_lowercase(),
            Fold::Accent => text
                .nfd()
                .filter(|c| !is_combining_mark(*c))
                .nfc()
                .collect(),
        }
    }
}

impl fmt::Display for Fold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fold::Case => "CASEI",
            Fold::Accent => "ACCENTI",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents() {
        assert_eq!(
            Fold::Case.apply("CITTÀ Metropolitana"),
            "città metropolitana"
        );
        assert_eq!(
            Fold::Accent.apply("Città, perché, Fossò, Ærø"),
            "Citta, perche, Fosso, Ærø"
        );
        assert_eq!(Fold::Accent.apply("Cafe\u{301}"), "Cafe");
    }
}
