//! Who a campaign asks and about what, from the read model: every organisation with a
//! sportello (not archived) in the campaign's comuni, its contact e-mail, and its sportelli
//! there with the services offered at each.

use super::model::{Campaign, Recipient, RecipientState};
use crate::index::{Catalog, Sportello};
use crate::model::{Id, Status};
use std::collections::BTreeMap;

/// An organisation's sportelli a campaign is about.
pub fn sportelli_of<'c>(c: &'c Catalog, campaign: &Campaign, org: &Id) -> Vec<&'c Sportello> {
    c.sportelli()
        .iter()
        .filter(|s| &s.location.organization_id == org && in_scope(campaign, s))
        .collect()
}

fn in_scope(campaign: &Campaign, s: &Sportello) -> bool {
    s.location.meta.status != Status::Archived
        && (campaign.comuni.is_empty()
            || campaign.comuni.contains(&s.location.address.comune_istat))
}

/// The organisations a new campaign asks, by id: each with its contact e-mail — the
/// organisation's own, else the first of its sportelli's there (none: `no_address`) — and
/// the comuni of its sportelli in the campaign's territory.
pub fn recipients(c: &Catalog, campaign: &Campaign) -> Vec<Recipient> {
    let mut comuni: BTreeMap<&Id, Vec<String>> = BTreeMap::new();
    // A desk's own address, when the organisation has none: the first by sportello id.
    let mut desk: BTreeMap<&Id, &str> = BTreeMap::new();
    for s in c.sportelli().iter().filter(|s| in_scope(campaign, s)) {
        let org = &s.location.organization_id;
        let list = comuni.entry(org).or_default();
        if !list.contains(&s.location.address.comune_istat) {
            list.push(s.location.address.comune_istat.clone());
        }
        if let Some(e) = s.location.emails.iter().find(|e| e.contains('@')) {
            desk.entry(org).or_insert(e.as_str());
        }
    }
    comuni
        .into_iter()
        .map(|(org, mut comuni)| {
            comuni.sort();
            let email = c
                .organizations
                .get(org)
                .and_then(|o| o.email.clone())
                .map(|e| e.trim().to_owned())
                .filter(|e| e.contains('@'))
                .or_else(|| desk.get(org).map(|e| e.trim().to_owned()));
            Recipient {
                campaign_id: campaign.id.clone(),
                organization_id: org.clone(),
                state: if email.is_some() {
                    RecipientState::Waiting
                } else {
                    RecipientState::NoAddress
                },
                email,
                comuni,
                sent_at: None,
                reminded_at: None,
                answered_at: None,
                answer: None,
                answer_detail: None,
            }
        })
        .collect()
}
