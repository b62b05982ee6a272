//! What a campaign form asks, entry by entry, and how it is written: "nothing changed"
//! confirms the entry's tracked fields (the code behind `POST …/verify`, published at once,
//! like any "still correct"); a temporary closure, new hours for the period and a message
//! become dated notices decided by [`crate::api::edit::records::prepare`] as the
//! organisation's operator's edits, so they are reviewed unless the organisation is trusted.
//! The whole answer is one commit (one revision), all or nothing; its origin is the campaign
//! (`source: campaign`, author `campaign.<id>`).

use crate::access::{Credential, Viewer};
use crate::api::edit::fields::pointer;
use crate::api::edit::record::Record;
use crate::api::edit::records::{prepare, Edit, Prepared};
use crate::api::edit::verify::{checked_fields, confirm};
use crate::api::error::{Error, FieldProblem, Result};
use crate::api::AppState;
use crate::campaign::model::Campaign;
use crate::index::Sportello;
use crate::model::{
    ChangeAction, Dataset, I18nText, Id, Notice, NoticeKind, Origin, RecordKind, Role, Source,
    Username,
};
use crate::store::{ChangeSet, Expectation};
use bussola_hours::WeeklyHours;
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Longest message.
pub const MAX_MESSAGE: usize = 1000;

/// One entry's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice {
    Unchanged,
    Closed {
        from: NaiveDate,
        until: NaiveDate,
    },
    /// Replacement hours for the campaign's period, per offer.
    Hours(Vec<(Id, WeeklyHours)>),
    Message(String),
}

impl Choice {
    fn name(&self) -> &'static str {
        match self {
            Choice::Unchanged => "unchanged",
            Choice::Closed { .. } => "closed",
            Choice::Hours(_) => "hours",
            Choice::Message(_) => "message",
        }
    }
}

/// Why a form is refused.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// A field names a record the link does not cover (tampered): nothing is written.
    NotCovered,
    /// Fields to correct: (field name, message).
    Invalid(Vec<(String, String)>),
}

/// The form's fields read against the link's sportelli: a choice per sportello.
pub fn read(
    fields: &[(String, String)],
    sportelli: &[&Sportello],
) -> std::result::Result<Vec<(Id, Choice)>, Refused> {
    let locations: BTreeSet<&str> = sportelli.iter().map(|s| s.location.id.as_str()).collect();
    let offers: BTreeSet<&str> = sportelli
        .iter()
        .flat_map(|s| s.offers.iter().map(|o| o.sal.id.as_str()))
        .collect();
    for (k, _) in fields {
        let Some((prefix, id)) = k.split_once('.') else {
            continue;
        };
        let covered = match prefix {
            "choice" | "closed_from" | "closed_until" | "message" => locations.contains(id),
            "hours" => offers.contains(id),
            _ => true,
        };
        if !covered {
            return Err(Refused::NotCovered);
        }
    }
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    let all = value("all") == "unchanged";
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for s in sportelli {
        let loc = s.location.id.as_str();
        let choice = if all {
            "unchanged"
        } else {
            value(&format!("choice.{loc}"))
        };
        let c = match choice {
            "" | "unchanged" => Some(Choice::Unchanged),
            "closed" => {
                let (f, u) = (format!("closed_from.{loc}"), format!("closed_until.{loc}"));
                let day = |name: &str, errors: &mut Vec<(String, String)>| {
                    let d = value(name).parse::<NaiveDate>().ok();
                    if d.is_none() {
                        errors.push((
                            name.to_owned(),
                            "a day is required (YYYY-MM-DD) / serve una data".into(),
                        ));
                    }
                    d
                };
                match (day(&f, &mut errors), day(&u, &mut errors)) {
                    (Some(from), Some(until)) if until >= from => {
                        Some(Choice::Closed { from, until })
                    }
                    (Some(_), Some(_)) => {
                        errors.push((
                            u,
                            "the last day is before the first / l'ultimo giorno è prima del primo"
                                .into(),
                        ));
                        None
                    }
                    _ => None,
                }
            }
            "hours" => {
                let mut hours = Vec::new();
                for o in &s.offers {
                    let name = format!("hours.{}", o.sal.id);
                    let text = value(&name);
                    if text.is_empty() {
                        continue;
                    }
                    match text.parse::<WeeklyHours>() {
                        Ok(h) if !h.is_empty() => hours.push((o.sal.id.clone(), h)),
                        Ok(_) => errors.push((
                            name,
                            "at least one opening / almeno un orario di apertura".into(),
                        )),
                        Err(e) => errors.push((name, e.to_string())),
                    }
                }
                if hours.is_empty() && !errors.iter().any(|(k, _)| k.starts_with("hours.")) {
                    let first = s
                        .offers
                        .first()
                        .map_or(format!("choice.{loc}"), |o| format!("hours.{}", o.sal.id));
                    errors.push((first, "write the new hours of at least one service / scrivete il nuovo orario di almeno un servizio".into()));
                }
                Some(Choice::Hours(hours))
            }
            "message" => {
                let name = format!("message.{loc}");
                let text = value(&name);
                if text.is_empty() || text.chars().count() > MAX_MESSAGE {
                    errors.push((name, format!("a message of 1 to {MAX_MESSAGE} characters / un messaggio da 1 a {MAX_MESSAGE} caratteri")));
                    None
                } else {
                    Some(Choice::Message(text.to_owned()))
                }
            }
            other => {
                errors.push((
                    format!("choice.{loc}"),
                    format!("{other:?} is not a choice of this form"),
                ));
                None
            }
        };
        if let Some(c) = c {
            out.push((s.location.id.clone(), c));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Refused::Invalid(errors))
    }
}

/// What writing an answer came to.
#[derive(Debug, Default)]
pub struct Written {
    /// Something was published at once (confirmations, a trusted organisation's notices).
    pub published: bool,
    /// Something waits for a coordinator's review.
    pub reviewed: bool,
    /// The answer as the campaign keeps it.
    pub detail: Value,
}

/// The organisation's operator, as the campaign acts for it.
fn acting(campaign: &Campaign, org: &Id) -> Result<Viewer> {
    let username = Username::parse(&crate::campaign::author(&campaign.id))
        .map_err(|e| Error::Internal(anyhow::anyhow!("campaign author: {e}")))?;
    Ok(Viewer::Signed {
        username,
        roles: vec![Role::Operator {
            organization: org.clone(),
        }],
        via: Credential::Token,
    })
}

fn notice(from: NaiveDate, until: NaiveDate, message: &str, kind: NoticeKind) -> Notice {
    Notice {
        from,
        until: Some(until),
        message: if message.is_empty() {
            I18nText::default()
        } else {
            I18nText::it(message)
        },
        kind,
    }
}

/// Adds `d`'s records to `into`.
fn absorb(into: &mut Dataset, d: Dataset) {
    into.organizations.extend(d.organizations);
    into.locations.extend(d.locations);
    into.services.extend(d.services);
    into.service_at_locations.extend(d.service_at_locations);
    into.projects.extend(d.projects);
}

/// Writes the answer of `org` to `campaign` in **one** commit through `Directory::apply`:
/// every confirmation, every published notice and every change request, all or nothing.
/// The changed records are checked as the write API checks them first (422, nothing
/// written); a record that moved on since the form read it fails the whole commit (412).
pub async fn write(
    state: &AppState,
    campaign: &Campaign,
    org: &Id,
    sportelli: &[&Sportello],
    choices: &[(Id, Choice)],
) -> Result<Written> {
    let viewer = acting(campaign, org)?;
    let author = crate::campaign::author(&campaign.id);
    let reason = |what: &str| Some(format!("campaign «{}»: {what}", campaign.title));
    let catalog = state.directory.catalog();
    let mut written = Written::default();
    let mut commit = ChangeSet::default();
    // "Nothing changed": every tracked field of those entries confirmed now.
    let now = chrono::Utc::now();
    let mut services_done = BTreeSet::new();
    let add = |kind: RecordKind, id: &Id, set: &mut ChangeSet| {
        if let Some(mut r) = Record::stored(kind, id, &catalog) {
            set.expect.push(Expectation {
                kind,
                id: id.clone(),
                version: Some(r.meta().version),
            });
            confirm(&mut r, checked_fields(kind), now);
            absorb(&mut set.dataset, r.into_dataset());
        }
    };
    for (loc, choice) in choices {
        if *choice != Choice::Unchanged {
            continue;
        }
        let Some(s) = sportelli.iter().find(|s| &s.location.id == loc) else {
            continue;
        };
        add(RecordKind::Location, loc, &mut commit);
        for o in &s.offers {
            add(RecordKind::ServiceAtLocation, &o.sal.id, &mut commit);
            if &o.service.organization_id == org && services_done.insert(o.service.id.clone()) {
                add(RecordKind::Service, &o.service.id, &mut commit);
            }
        }
    }
    written.published = !commit.expect.is_empty();
    // The changes, each decided by the editing rules as the organisation's operator's edit.
    let mut edits: Vec<(Record, &'static str)> = Vec::new();
    for (loc, choice) in choices {
        match choice {
            Choice::Unchanged => {}
            Choice::Closed { .. } | Choice::Message(_) => {
                let Some(Record::Location(mut l)) =
                    Record::stored(RecordKind::Location, loc, &catalog)
                else {
                    continue;
                };
                let n = match choice {
                    Choice::Closed { from, until } => notice(*from, *until, "", NoticeKind::Closed),
                    Choice::Message(m) => {
                        notice(campaign.from, campaign.until, m, NoticeKind::Message)
                    }
                    _ => continue,
                };
                l.notices.push(n);
                edits.push((Record::Location(l), choice.name()));
            }
            Choice::Hours(list) => {
                for (offer, hours) in list {
                    let Some(Record::Offer(mut o)) =
                        Record::stored(RecordKind::ServiceAtLocation, offer, &catalog)
                    else {
                        continue;
                    };
                    o.notices.push(notice(
                        campaign.from,
                        campaign.until,
                        "",
                        NoticeKind::Hours {
                            hours: hours.clone(),
                        },
                    ));
                    edits.push((Record::Offer(o), "new hours"));
                }
            }
        }
    }
    // Every changed record as the write API checks it, before anything is written.
    let mut checked = Dataset::default();
    for (r, _) in &edits {
        absorb(&mut checked, r.clone().into_dataset());
    }
    let report = crate::import::validate(&checked, state.directory.taxonomy(), &catalog);
    if !report.0.is_empty() {
        return Err(Error::Invalid(
            report
                .0
                .into_iter()
                .map(|p| FieldProblem {
                    pointer: pointer(&p.field),
                    detail: format!("{}: {}", p.at, p.reason),
                })
                .collect(),
        ));
    }
    let mut what: Vec<&str> = Vec::new();
    if written.published {
        what.push("nothing changed");
    }
    for (mut record, name) in edits {
        let base = record.meta().version;
        let clean = record.meta().without_store_fields();
        *record.meta_mut() = clean;
        let edit = Edit {
            action: ChangeAction::Upsert,
            record,
            base: Some(base),
            source: Source::Campaign,
            reason: reason(name),
        };
        if let Prepared::Commit {
            pending, changes, ..
        } = prepare(state, &viewer, edit)?
        {
            if pending.is_some() {
                written.reviewed = true;
            } else {
                written.published = true;
            }
            absorb(&mut commit.dataset, changes.dataset);
            commit.expect.extend(changes.expect);
            commit.requests.extend(changes.requests);
        }
        if !what.contains(&name) {
            what.push(name);
        }
    }
    if !commit.expect.is_empty() {
        commit.origin = Origin {
            author: Some(author),
            reason: reason(&what.join(", ")),
            source: Source::Campaign,
            reviewer: None,
        };
        state.directory.apply(&commit).await?;
    }
    written.detail = json!({
        "entries": choices.iter().map(|(loc, c)| json!({"sportello": loc, "choice": c.name()})).collect::<Vec<_>>(),
        "published": written.published,
        "reviewed": written.reviewed,
    });
    Ok(written)
}
