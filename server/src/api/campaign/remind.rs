//! Scheduled reminders: every `BUSSOLA_CAMPAIGN_REMIND_CHECK_SECS` the server looks for
//! recipients of open campaigns with `remind_every_days` who were sent a link, have not
//! answered, and whose last e-mail is at least that many days old, and reminds each through
//! the code behind `POST …/remind` ([`send::deliver`]: a fresh link, the one before revoked).
//!
//! Several replicas may run this at once: each recipient is claimed in the store first
//! ([`crate::store::CampaignStore::claim_reminder`], one conditional update), so only the
//! replica whose claim took reminds it; the claim is the "last e-mail" the next check reads,
//! so a restart sends nothing twice. An e-mail the transport could not send gives its claim
//! back, to be tried at the next check. A closed campaign, or one whose period is over (its
//! links expire then), reminds nobody.

use super::send::{self, Outcome};
use crate::api::error::Result;
use crate::api::AppState;
use crate::campaign::model::{Campaign, RecipientState};
use axum::http::HeaderMap;
use chrono::{DateTime, Duration, Utc};

/// What one check came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reminded {
    pub reminded: u32,
    pub bounced: u32,
    pub failed: u32,
}

/// Whether `c` reminds anyone at `now`, and if so the latest last e-mail that is due.
fn due_before(c: &Campaign, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let days = c.remind_every_days.filter(|d| *d > 0)?;
    (c.is_open() && now < c.ends_at()).then(|| now - Duration::days(days))
}

/// Reminds, at `now`, every recipient due (what the background task calls; tests call it
/// with a `now` days ahead). Without a mail transport nothing is claimed or sent.
pub async fn remind_due(state: &AppState, now: DateTime<Utc>) -> Result<Reminded> {
    let mut out = Reminded::default();
    if send::mail_ready(state).is_err() {
        return Ok(out);
    }
    let store = state.directory.store().campaigns();
    let base = state.origin.base(&HeaderMap::new());
    for c in store.campaigns().await? {
        let Some(cutoff) = due_before(&c, now) else {
            continue;
        };
        for r in store.recipients(&c.id).await? {
            let last = r.reminded_at.or(r.sent_at);
            let waiting = matches!(r.state, RecipientState::Sent | RecipientState::Reminded);
            if !waiting || last.is_none_or(|t| t > cutoff) {
                continue;
            }
            if !store
                .claim_reminder(&c.id, &r.organization_id, cutoff, now)
                .await?
            {
                continue; // another replica has it, or it answered meanwhile
            }
            match send::deliver(state, &c, &r, &base, true, now).await? {
                Outcome::Sent => out.reminded += 1,
                Outcome::Bounced => out.bounced += 1,
                Outcome::Failed => {
                    store
                        .release_reminder(&c.id, &r.organization_id, now, r.reminded_at)
                        .await?;
                    out.failed += 1
                }
            }
        }
    }
    Ok(out)
}

/// The background task: a check every `every`, until the server stops.
pub async fn run(state: AppState, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match remind_due(&state, Utc::now()).await {
            Ok(r) if r != Reminded::default() => tracing::info!(
                reminded = r.reminded,
                bounced = r.bounced,
                failed = r.failed,
                "scheduled campaign reminders"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "scheduled campaign reminders failed; will retry"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn campaign(every: Option<i64>) -> Campaign {
        Campaign {
            id: "cmp-1".into(),
            title: "t".into(),
            comuni: vec![],
            from: NaiveDate::from_ymd_opt(2027, 6, 1).unwrap(),
            until: NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
            opened_by: "u".into(),
            created_at: Utc::now(),
            sent_at: None,
            closed_at: None,
            remind_every_days: every,
        }
    }

    #[test]
    fn only_an_open_campaign_with_an_interval_reminds_until_its_period_ends() {
        let at = |d: u32| {
            NaiveDate::from_ymd_opt(2027, 6, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
                .and_utc()
        };
        let c = campaign(Some(7));
        assert_eq!(due_before(&c, at(20)), Some(at(13)));
        assert_eq!(due_before(&c, at(30) + Duration::days(1)), None, "over");
        assert_eq!(due_before(&campaign(None), at(20)), None);
        let mut closed = c.clone();
        closed.closed_at = Some(at(2));
        assert_eq!(due_before(&closed, at(20)), None);
    }
}
