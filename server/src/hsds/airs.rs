//! The mapping from the AIRS/211 taxonomy (the codes most HSDS publishers in North America
//! use, e.g. `FT-3600` "Immigration/Naturalization Legal Services") to Bussola's categories of
//! need and audiences. A code takes the entry with the longest prefix it starts with; codes
//! that match none bring no category. `docs/hsds.md` prints this table.

/// (AIRS code prefix, Bussola categories).
pub const CATEGORIES: &[(&str, &[&str])] = &[
    // Immigration and citizenship offices and their legal help: the paperwork of a permit.
    ("FT-3500", &["residence-permits"]),
    ("FT-3600", &["residence-permits", "legal-aid"]),
    ("FT-1000.3300", &["residence-permits"]),
    ("HL-8500.1400", &["residence-permits"]),
    ("HH-0500.1500", &["residence-permits"]),
    // Legal services; domestic-violence legal services are protection.
    ("FT", &["legal-aid"]),
    ("FP", &["legal-aid"]),
    ("FT-3000.1750", &["legal-aid", "violence-trafficking"]),
    // English as a second language is the host country's language course: in Bussola,
    // the Italian course.
    ("HH-0500.8000-150", &["italian-language"]),
    ("HH-0500", &["adult-education"]),
    ("HH-4500", &["adult-education"]),
    ("HD", &["children-school"]),
    ("PH-1250", &["children-school"]),
    ("ND", &["employment"]),
    ("TB-0900.0650", &["microcredit-business"]),
    ("TB-0900.1000-800", &["microcredit-business"]),
    ("L", &["health"]),
    ("RM", &["health"]),
    ("RP", &["health"]),
    ("RX", &["health"]),
    ("RF", &["social-services"]),
    ("BH", &["housing"]),
    ("BH-1800.1500-330", &["reception"]),
    ("PH-1450.7000", &["reception"]),
    ("PH-3500", &["mediation-interpreting"]),
    // Violence and trafficking: shelters, hotlines, intervention programmes.
    ("BH-1800.1500-100", &["violence-trafficking", "housing"]),
    ("BH-1800.1500-308", &["violence-trafficking", "housing"]),
    ("FN-1500.2560", &["violence-trafficking"]),
    ("FN-1500.9100-180", &["violence-trafficking"]),
    ("RP-1500.1400-200", &["violence-trafficking"]),
    ("RP-1500.1400-300", &["violence-trafficking"]),
    ("RP-1400.8000-800", &["violence-trafficking", "health"]),
    ("BD", &["social-services"]),
    ("BM", &["social-services"]),
    ("NL", &["social-services"]),
    ("PH", &["social-services"]),
];

/// (AIRS target-population prefix, Bussola audiences).
pub const AUDIENCES: &[(&str, &[&str])] = &[
    ("YE-7000", &["refugees", "asylum-seekers"]),
    ("YX-1500.9000", &["victims-of-violence"]),
    ("YS-2000.9500", &["women"]),
    ("YB-8000", &["elderly"]),
];

fn lookup(table: &'static [(&str, &[&str])], code: &str) -> &'static [&'static str] {
    let code = code.trim();
    table
        .iter()
        .filter(|(prefix, _)| code.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map_or(&[], |(_, v)| *v)
}

/// The Bussola categories an AIRS code maps to (none when it maps to nothing).
pub fn categories(code: &str) -> &'static [&'static str] {
    lookup(CATEGORIES, code)
}

/// The Bussola audiences an AIRS target-population code maps to.
pub fn audiences(code: &str) -> &'static [&'static str] {
    lookup(AUDIENCES, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_wins_and_unknown_codes_map_to_nothing() {
        assert_eq!(
            categories("FT-3600.3300"),
            ["residence-permits", "legal-aid"]
        );
        assert_eq!(categories("FT-3200"), ["legal-aid"]);
        assert_eq!(categories("HH-0500.8000-150"), ["italian-language"]);
        assert_eq!(categories("HH-0500.0500"), ["adult-education"]);
        assert_eq!(
            categories("BH-1800.1500-100"),
            ["violence-trafficking", "housing"]
        );
        assert!(categories("PD-7600.0600").is_empty(), "animal shelters");
        assert_eq!(audiences("YE-7000"), ["refugees", "asylum-seekers"]);
    }

    #[test]
    fn every_mapped_term_is_in_the_builtin_taxonomy() {
        let t = crate::model::Taxonomy::builtin().unwrap();
        for (_, cats) in CATEGORIES {
            assert!(cats.iter().all(|c| t.has_category(c)), "{cats:?}");
        }
        for (_, auds) in AUDIENCES {
            assert!(auds.iter().all(|a| t.has_audience(a)), "{auds:?}");
        }
    }
}
