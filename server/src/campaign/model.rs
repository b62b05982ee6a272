//! What a campaign is: a question put to every organisation of a territory ("are your
//! entries still right for this period?"), the organisations asked, and the personal links
//! they answer with. Only the hash of a link's token is ever stored (`tokens.rs`).

use crate::model::Id;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One update campaign ("summer hours 2027").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: String,
    pub title: String,
    /// The comuni asked (ISTAT codes); empty: the whole territory.
    pub comuni: Vec<String>,
    /// The period the answers are about, first and last day (inclusive).
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// The user who opened it.
    pub opened_by: String,
    pub created_at: DateTime<Utc>,
    /// When the e-mails first went out.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was closed (every link revoked).
    pub closed_at: Option<DateTime<Utc>>,
    /// Remind the unanswered this many days after the last e-mail (none: only on request).
    pub remind_every_days: Option<i64>,
}

impl Campaign {
    /// True while links work and e-mails may go out.
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// The instant the period ends: the day after `until`, at midnight UTC.
    pub fn ends_at(&self) -> DateTime<Utc> {
        let next = self.until.succ_opt().unwrap_or(self.until);
        next.and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or_else(Utc::now)
    }
}

/// Where an organisation stands in a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientState {
    /// No contact e-mail: the coordinator must chase it another way.
    NoAddress,
    /// Has an address, not sent yet.
    Waiting,
    Sent,
    Reminded,
    Answered,
    /// The mail server refused the address.
    Bounced,
}

impl RecipientState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientState::NoAddress => "no_address",
            RecipientState::Waiting => "waiting",
            RecipientState::Sent => "sent",
            RecipientState::Reminded => "reminded",
            RecipientState::Answered => "answered",
            RecipientState::Bounced => "bounced",
        }
    }

    /// Not answered yet and reachable by e-mail.
    pub fn awaits_answer(self) -> bool {
        matches!(
            self,
            RecipientState::Waiting | RecipientState::Sent | RecipientState::Reminded
        )
    }
}

/// What an organisation answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Nothing changed: every entry confirmed as it is.
    Unchanged,
    /// A closure, new hours or a message for at least one entry.
    Changed,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Unchanged => "unchanged",
            Answer::Changed => "changed",
        }
    }
}

/// One organisation asked by a campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recipient {
    pub campaign_id: String,
    pub organization_id: Id,
    /// The contact address the e-mail goes to (none: `no_address`).
    pub email: Option<String>,
    /// The comuni of its sportelli when the campaign was opened.
    pub comuni: Vec<String>,
    pub state: RecipientState,
    pub sent_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer: Option<Answer>,
    /// What was asked, entry by entry (the form's choices).
    pub answer_detail: Option<serde_json::Value>,
}

/// A personal link, as stored: the SHA-256 of its token, never the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub token_hash: String,
    pub campaign_id: String,
    pub organization_id: Id,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub used_at: Option<DateTime<Utc>>,
}

/// Why a link does not open the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such link (or not a token at all).
    Unknown,
    Expired,
    Revoked,
    /// Already used for an answer.
    Used,
}

impl Link {
    /// Whether the link opens the form at `now`.
    pub fn usable(&self, now: DateTime<Utc>) -> Result<(), Refusal> {
        if self.used_at.is_some() {
            Err(Refusal::Used)
        } else if self.revoked_at.is_some() {
            Err(Refusal::Revoked)
        } else if self.expires_at <= now {
            Err(Refusal::Expired)
        } else {
            Ok(())
        }
    }
}

/// One comune's row of a campaign's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ComuneProgress {
    pub comune: String,
    /// Organisations with a sportello there that were asked (with or without an address).
    pub recipients: u32,
    pub answered: u32,
    pub unchanged: u32,
    pub changed: u32,
    pub no_address: u32,
}

/// Progress per comune, by ISTAT code: an organisation counts in every comune it has a
/// sportello in.
pub fn progress(recipients: &[Recipient]) -> Vec<ComuneProgress> {
    let mut by: std::collections::BTreeMap<&str, ComuneProgress> = Default::default();
    for r in recipients {
        for c in &r.comuni {
            let p = by.entry(c).or_insert_with(|| ComuneProgress {
                comune: c.clone(),
                ..Default::default()
            });
            p.recipients += 1;
            if r.state == RecipientState::NoAddress {
                p.no_address += 1;
            }
            match r.answer {
                Some(Answer::Unchanged) => {
                    p.answered += 1;
                    p.unchanged += 1
                }
                Some(Answer::Changed) => {
                    p.answered += 1;
                    p.changed += 1
                }
                None => {}
            }
        }
    }
    by.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipient(
        org: &str,
        comuni: &[&str],
        state: RecipientState,
        a: Option<Answer>,
    ) -> Recipient {
        Recipient {
            campaign_id: "cmp-1".into(),
            organization_id: Id::parse(org).unwrap(),
            email: None,
            comuni: comuni.iter().map(|c| c.to_string()).collect(),
            state,
            sent_at: None,
            reminded_at: None,
            answered_at: None,
            answer: a,
            answer_detail: None,
        }
    }

    #[test]
    fn an_organisation_counts_in_each_of_its_comuni() {
        let p = progress(&[
            recipient(
                "a",
                &["027042", "027023"],
                RecipientState::Answered,
                Some(Answer::Unchanged),
            ),
            recipient(
                "b",
                &["027042"],
                RecipientState::Answered,
                Some(Answer::Changed),
            ),
            recipient("c", &["027042"], RecipientState::NoAddress, None),
            recipient("d", &["027023"], RecipientState::Sent, None),
        ]);
        let mira = ComuneProgress {
            comune: "027023".into(),
            recipients: 2,
            answered: 1,
            unchanged: 1,
            changed: 0,
            no_address: 0,
        };
        let venezia = ComuneProgress {
            comune: "027042".into(),
            recipients: 3,
            answered: 2,
            unchanged: 1,
            changed: 1,
            no_address: 1,
        };
        assert_eq!(p, [mira, venezia]);
    }

    #[test]
    fn a_used_link_is_used_before_it_is_revoked_or_expired() {
        let t = Utc::now();
        let mut l = Link {
            token_hash: "h".into(),
            campaign_id: "c".into(),
            organization_id: Id::parse("o").unwrap(),
            created_at: t,
            expires_at: t + chrono::Duration::hours(1),
            revoked_at: None,
            used_at: None,
        };
        assert_eq!(l.usable(t), Ok(()));
        assert_eq!(
            l.usable(t + chrono::Duration::hours(2)),
            Err(Refusal::Expired)
        );
        l.revoked_at = Some(t);
        assert_eq!(l.usable(t), Err(Refusal::Revoked));
        l.used_at = Some(t);
        assert_eq!(l.usable(t), Err(Refusal::Used));
    }
}
