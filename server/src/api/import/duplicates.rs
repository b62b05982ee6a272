//! Likely duplicates: an incoming sportello that is new to the directory, within
//! [`RADIUS_M`] of an existing one the uploader can see, whose name is similar
//! ([`similarity`] at least [`THRESHOLD`] in any pair of languages).
//!
//! The 25 m search is the read model's R-tree (`Catalog::nearest`), never a scan of the
//! store. Names are compared as sets of trigrams (as PostgreSQL's `pg_trgm` does) after
//! folding case, accents and punctuation: `Sportello Immigrati – Mestre` and `sportello
//! immigrati mestre` are the same name, `Sportello Casa Mestre` and `Sportello Lavoro Mestre`
//! are not.

use crate::access::Viewer;
use crate::index::{Catalog, Filter};
use crate::model::{Dataset, Id, Location};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How near an existing sportello must be to count, in metres.
pub const RADIUS_M: f64 = 25.0;
/// How similar the names must be (0 to 1).
pub const THRESHOLD: f64 = 0.6;

/// One likely duplicate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Duplicate {
    /// The incoming sportello.
    pub sportello_id: String,
    pub name: String,
    /// The existing sportello it may be.
    pub existing_id: String,
    pub existing_name: String,
    pub distance_m: f64,
    pub similarity: f64,
}

/// Lower case, accents and punctuation folded, words separated by one space.
fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The trigrams of each word, padded as `pg_trgm` pads them (two spaces before, one after).
fn trigrams(name: &str) -> BTreeSet<[char; 3]> {
    let mut set = BTreeSet::new();
    for word in normalise(name).split(' ').filter(|w| !w.is_empty()) {
        let chars: Vec<char> = "  "
            .chars()
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        for w in chars.windows(3) {
            set.insert([w[0], w[1], w[2]]);
        }
    }
    set
}

/// Shared trigrams over all trigrams of the two names (1: the same name once normalised).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (trigrams(a), trigrams(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// The best similarity over the two records' names in every language.
fn best(a: &Location, b: &Location) -> (f64, String, String) {
    let mut top = (0.0, String::new(), String::new());
    for x in a.name.0.values() {
        for y in b.name.0.values() {
            let s = similarity(x, y);
            if s > top.0 {
                top = (s, x.clone(), y.clone());
            }
        }
    }
    top
}

/// Existing sportelli the viewer can see within [`RADIUS_M`] of `l` with a similar name,
/// nearest first: (id, distance in metres, similarity, incoming name, existing name).
pub fn candidates(
    l: &Location,
    viewer: &Viewer,
    c: &Catalog,
) -> Vec<(Id, f64, f64, String, String)> {
    let filter = Filter {
        viewer: viewer.clone(),
        ..Filter::default()
    };
    c.nearest(l.point, &filter, 8, Some(RADIUS_M))
        .into_iter()
        .filter(|(s, _)| s.location.id != l.id)
        .filter_map(|(s, d)| {
            let (sim, ours, theirs) = best(l, &s.location);
            (sim >= THRESHOLD).then(|| (s.location.id.clone(), d, sim, ours, theirs))
        })
        .collect()
}

/// Every likely duplicate among the dataset's new sportelli.
pub fn find(d: &Dataset, viewer: &Viewer, c: &Catalog) -> Vec<Duplicate> {
    let known: BTreeSet<&Id> = c.all_locations().map(|l| &l.id).collect();
    d.locations
        .iter()
        .filter(|l| !known.contains(&l.id))
        .flat_map(|l| {
            candidates(l, viewer, c)
                .into_iter()
                .map(|(id, dist, sim, name, existing_name)| Duplicate {
                    sportello_id: l.id.to_string(),
                    name,
                    existing_id: id.to_string(),
                    existing_name,
                    distance_m: (dist * 10.0).round() / 10.0,
                    similarity: (sim * 100.0).round() / 100.0,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_accents_and_punctuation() {
        assert_eq!(
            similarity("Sportello Immigrati – Mestre", "sportello immigrati mestre"),
            1.0
        );
        assert!(similarity("Caffè sociale", "CAFFE' SOCIALE") > 0.99);
    }

    #[test]
    fn different_desks_in_one_building_are_not_alike() {
        let s = similarity("Sportello Casa Mestre", "Sportello Lavoro Mestre");
        assert!(s < THRESHOLD, "{s}");
        let t = similarity("CPIA Venezia sede di Mestre", "CPIA Venezia – sede Mestre");
        assert!(t >= THRESHOLD, "{t}");
    }
}
