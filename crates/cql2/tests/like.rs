//! The `LIKE` matcher against an independent reference, and its work bound.
#![allow(clippy::unwrap_used)]

use bussola_cql2::{evaluate, evaluate_counting, parse, Feature, Geometry, LikePattern, Value};
use proptest::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum P {
    Any,
    One,
    Lit(char),
}

/// The textbook dynamic-programming matcher: `m[i][j]` is "the first `i` pattern elements
/// match the first `j` characters". Written from the definition of LIKE, not from the crate.
fn reference(text: &str, pattern: &str) -> bool {
    let mut p = Vec::new();
    let mut cs = pattern.chars();
    while let Some(c) = cs.next() {
        p.push(match c {
            '%' => P::Any,
            '_' => P::One,
            '\\' => P::Lit(cs.next().unwrap_or('\\')),
            c => P::Lit(c),
        });
    }
    let t: Vec<char> = text.chars().collect();
    let mut m = vec![vec![false; t.len() + 1]; p.len() + 1];
    m[0][0] = true;
    for i in 1..=p.len() {
        for j in 0..=t.len() {
            m[i][j] = match p[i - 1] {
                P::Any => m[i - 1][j] || (j > 0 && m[i][j - 1]),
                P::One => j > 0 && m[i - 1][j - 1],
                P::Lit(c) => j > 0 && t[j - 1] == c && m[i - 1][j - 1],
            };
        }
    }
    m[p.len()][t.len()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn agrees_with_the_reference(
        pattern in "[ab%_\\\\é]{0,12}",
        text in "[ab%_\\\\é]{0,16}",
    ) {
        prop_assert_eq!(LikePattern::new(&pattern).matches(&text), reference(&text, &pattern),
            "{:?} LIKE {:?}", text, pattern);
    }

    #[test]
    fn agrees_on_matching_texts(pattern in "[ab%_é]{0,10}", fill in "[abé]{0,4}") {
        // Texts built from the pattern, so matches are common and not only failures.
        let text: String = pattern.chars().map(|c| match c {
            '%' => fill.clone(),
            '_' => "é".into(),
            c => c.to_string(),
        }).collect();
        prop_assert!(LikePattern::new(&pattern).matches(&text), "{:?} LIKE {:?}", text, pattern);
        prop_assert!(reference(&text, &pattern));
    }
}

fn bound(pattern: &str, text: &str) -> u64 {
    (pattern.chars().count() as u64 + 1) * (text.chars().count() as u64 + 1)
}

#[test]
fn thirty_wildcards_over_ten_thousand_characters_stay_within_the_bound() {
    let text = "a".repeat(10_000);
    for pattern in [
        format!("{}x", "%".repeat(30)),
        format!("{}x", "%a".repeat(30)),
        format!("{}%", "%_".repeat(30)),
        format!("{}b%", "a%".repeat(30)),
    ] {
        let mut steps = 0;
        let matched = LikePattern::new(&pattern).matches_counting(&text, &mut steps);
        assert_eq!(matched, reference(&text, &pattern), "{pattern}");
        assert!(
            steps <= bound(&pattern, &text),
            "{pattern}: {steps} steps, bound {}",
            bound(&pattern, &text)
        );
    }
    // The case that used to take minutes: consecutive wildcards cost one pass.
    let mut steps = 0;
    assert!(!LikePattern::new(&format!("{}x", "%".repeat(30))).matches_counting(&text, &mut steps));
    assert!(steps <= 3 * 10_001, "{steps} steps for %%%…x");
}

struct Named(String);
impl Feature for Named {
    fn property(&self, name: &str) -> Value<'_> {
        match name {
            "name" => Value::Str(self.0.as_str().into()),
            _ => Value::Null,
        }
    }
    fn geometry(&self, _: &str) -> Option<Geometry> {
        None
    }
}

#[test]
fn evaluation_of_the_attack_filter_is_bounded() {
    let e = parse(&format!("name LIKE '{}x'", "%".repeat(30))).unwrap();
    let f = Named("Sportello immigrazione ".repeat(400));
    let mut steps = 0;
    assert!(!evaluate_counting(&e, &f, &mut steps));
    assert!(steps < 3 * 10_000, "{steps}");
    assert!(evaluate(&parse("name LIKE '%immigrazione%'").unwrap(), &f));
}
