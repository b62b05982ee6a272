//! Sportello features from pre-rendered bytes: each sportello's feature is rendered once per
//! UI language, catalog and day (the notices in force), with the parts that depend on the moment and the request (open
//! state, next change, distance, which services) cut out and written per request.

use super::{rfc3339, sportello, NextChange, OfferView};
use crate::index::{Catalog, Offer, Sportello};
use crate::model::rome_date;
use chrono::{DateTime, Utc};

/// Languages whose sportello renderings are kept pre-rendered, in fragment slot order.
const CACHED_LANGS: [&str; crate::index::SLOTS] = ["it", "en", "fr", "ar", "ur", "bn", "uk", "zh"];
/// Where a sportello's time-dependent state and its services go, in its rendering without them.
const PROPS_MARK: &[u8] = br#""open_now":false,"services":[]"#;
/// Where an offer's time-dependent state goes.
const OFFER_MARK: &[u8] = br#""open_now":false,"next_change":null"#;

/// The bytes before and after a mark.
type Halves = (Box<[u8]>, Box<[u8]>);

fn split_at_mark(bytes: &[u8], mark: &[u8]) -> Option<Halves> {
    let at = bytes.windows(mark.len()).position(|w| w == mark)?;
    Some((bytes[..at].into(), bytes[at + mark.len()..].into()))
}

/// The chunks of a sportello in `lang`: `[head, tail, offer₀ before, offer₀ after, …]`, i.e. its
/// feature with the open state, the distance and the services cut out, and each offer with its
/// open state cut out. Empty if the marks are not found (the caller then renders in full).
/// The notices in them are those in force on `now`'s day.
fn sportello_chunks(
    s: &Sportello,
    catalog: &Catalog,
    lang: &str,
    now: DateTime<Utc>,
) -> Vec<Box<[u8]>> {
    let Ok(whole) = serde_json::to_vec(&sportello(s, catalog, lang, now, None, |_| false)) else {
        return Vec::new();
    };
    let Some((head, tail)) = split_at_mark(&whole, PROPS_MARK) else {
        return Vec::new();
    };
    let mut chunks = vec![head, tail];
    for o in &s.offers {
        let mut v = OfferView::at_sportello(o, s, lang, now);
        v.open_now = false;
        v.next_change = None;
        let Some((before, after)) = serde_json::to_vec(&v)
            .ok()
            .and_then(|b| split_at_mark(&b, OFFER_MARK))
        else {
            return Vec::new();
        };
        chunks.push(before);
        chunks.push(after);
    }
    chunks
}

/// Writes a sportello feature, the same bytes as serialising [`sportello`], from its
/// pre-rendered chunks when `lang` is one of the UI languages: only the open state, the next
/// change and the distance are computed per request. The chunks are kept per viewer scope
/// (`scope`, a [`crate::access::Viewer::scope_key`]); `offers` picks the services shown.
#[allow(clippy::too_many_arguments)]
pub fn write_sportello(
    out: &mut Vec<u8>,
    s: &Sportello,
    catalog: &Catalog,
    lang: &str,
    now: DateTime<Utc>,
    distance_m: Option<f64>,
    scope: &str,
    offers: impl Fn(&Offer) -> bool,
) {
    let chunks = CACHED_LANGS
        .iter()
        .position(|l| *l == lang)
        .map(|slot| {
            catalog.fragments(s, slot, scope, rome_date(now), || {
                sportello_chunks(s, catalog, lang, now)
            })
        })
        .filter(|c| c.len() == 2 + 2 * s.offers.len());
    let Some(chunks) = chunks else {
        let feature = sportello(s, catalog, lang, now, distance_m, offers);
        let _ = serde_json::to_writer(&mut *out, &feature);
        return;
    };
    // The open state of each included service first: the sportello's comes before them.
    let states: Vec<(usize, bool, Option<bussola_hours::Change>)> = s
        .offers
        .iter()
        .enumerate()
        .filter(|(_, o)| offers(o))
        .map(|(i, o)| {
            let rules = o.schedule.in_comune(&s.location.address.comune_istat);
            (i, rules.is_open_at(now), rules.next_change(now, 14))
        })
        .collect();
    out.extend_from_slice(&chunks[0]);
    if let Some(d) = distance_m {
        out.extend_from_slice(br#""distance_m":"#);
        let _ = serde_json::to_writer(&mut *out, &((d * 10.0).round() / 10.0));
        out.push(b',');
    }
    out.extend_from_slice(if states.iter().any(|(_, open, _)| *open) {
        br#""open_now":true,"services":["#
    } else {
        br#""open_now":false,"services":["#
    });
    for (k, (i, open, next)) in states.into_iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&chunks[2 + 2 * i]);
        out.extend_from_slice(if open {
            br#""open_now":true,"next_change":"#
        } else {
            br#""open_now":false,"next_change":"#
        });
        match next {
            Some(c) => {
                let next = NextChange {
                    at: rfc3339(&c.at),
                    opens: c.opens,
                };
                let _ = serde_json::to_writer(&mut *out, &next);
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(&chunks[3 + 2 * i]);
    }
    out.push(b']');
    out.extend_from_slice(&chunks[1]);
}
