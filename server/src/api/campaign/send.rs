//! Sending: each recipient with an address gets an e-mail carrying a fresh personal link
//! (stored as its hash before the e-mail goes out); a reminder is the same with a fresh link,
//! which revokes the one before. A refused address marks the recipient `bounced`. The log
//! names the campaign and the organisation, never the link.

use super::campaign_for;
use crate::access::Viewer;
use crate::accounts::Secret;
use crate::api::edit::answer as json_answer;
use crate::api::error::{Error, Result};
use crate::api::AppState;
use crate::campaign::mail::{letter, MailError, Mailer};
use crate::campaign::model::{Campaign, Link, Recipient, RecipientState};
use crate::campaign::{entries, tokens};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

/// What one e-mail came to.
pub enum Outcome {
    Sent,
    Bounced,
    Failed,
}

/// Sends one recipient its e-mail with a fresh link made at `now`; `base` is the public
/// origin. What `send`, `remind` and the scheduled reminders (`remind.rs`) all go through.
pub async fn deliver(
    state: &AppState,
    c: &Campaign,
    r: &Recipient,
    base: &str,
    reminder: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Outcome> {
    let Some(address) = r.email.as_deref() else {
        return Ok(Outcome::Failed);
    };
    let catalog = state.directory.catalog();
    let Some(org) = catalog.organizations.get(&r.organization_id) else {
        return Ok(Outcome::Failed);
    };
    let (token, token_hash) = tokens::fresh()?;
    let ttl = chrono::Duration::from_std(state.campaigns.link_ttl)
        .unwrap_or_else(|_| chrono::Duration::days(30));
    let expires_at = (now + ttl).min(c.ends_at());
    let link = Link {
        token_hash,
        campaign_id: c.id.clone(),
        organization_id: r.organization_id.clone(),
        created_at: now,
        expires_at,
        revoked_at: None,
        used_at: None,
    };
    let store = state.directory.store().campaigns();
    let state_after = if reminder {
        RecipientState::Reminded
    } else {
        RecipientState::Sent
    };
    store.issue_link(&link, state_after).await?;
    let url = Secret::new(format!("{base}/campaign/{}", token.expose()));
    let sportelli = entries::sportelli_of(&catalog, c, &r.organization_id);
    let last_day = crate::model::notice::rome_date(expires_at - chrono::Duration::seconds(1));
    let l = letter(c, org, &sportelli, &url, last_day, reminder);
    match state
        .campaigns
        .mailer
        .send(address, &l.subject, l.text, l.html)
        .await
    {
        Ok(()) => {
            tracing::info!(campaign = %c.id, organization = %r.organization_id, reminder, "campaign e-mail sent");
            Ok(Outcome::Sent)
        }
        Err(e) => {
            store
                .revoke_links(&c.id, Some(&r.organization_id), now)
                .await?;
            let bounced = matches!(e, MailError::Address { .. });
            store
                .set_state(
                    &c.id,
                    &r.organization_id,
                    if bounced {
                        RecipientState::Bounced
                    } else {
                        r.state
                    },
                )
                .await?;
            tracing::warn!(campaign = %c.id, organization = %r.organization_id, error = %e, "campaign e-mail not sent");
            Ok(if bounced {
                Outcome::Bounced
            } else {
                Outcome::Failed
            })
        }
    }
}

/// A mail transport that can send (503 naming the variables to set otherwise): checked
/// before anything is marked sent.
pub fn mail_ready(state: &AppState) -> Result<()> {
    let why = match &state.campaigns.mailer {
        Mailer::Broken(why) => Some(MailError::Config(why.clone())),
        Mailer::None => Some(MailError::NotConfigured),
        _ => None,
    };
    match why {
        Some(why) => Err(Error::Rejected {
            status: StatusCode::SERVICE_UNAVAILABLE,
            detail: why.to_string(),
        }),
        None => Ok(()),
    }
}

/// Sends to every recipient `pick` chooses; answers the counts.
async fn send_to(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    headers: &HeaderMap,
    reminder: bool,
) -> Result<Response> {
    let c = campaign_for(state, viewer, id).await?;
    if !c.is_open() {
        return Err(Error::Conflict {
            detail: format!("campaign {} is closed: it sends nothing more", c.id),
            changes: None,
            meanwhile: None,
        });
    }
    mail_ready(state)?;
    let base = state.origin.base(headers);
    let recipients = state
        .directory
        .store()
        .campaigns()
        .recipients(&c.id)
        .await?;
    let (mut sent, mut bounced, mut failed) = (0u32, 0u32, 0u32);
    for r in &recipients {
        let wanted = if reminder {
            matches!(r.state, RecipientState::Sent | RecipientState::Reminded)
        } else {
            r.state == RecipientState::Waiting
        };
        if !wanted {
            continue;
        }
        match deliver(state, &c, r, &base, reminder, chrono::Utc::now()).await? {
            Outcome::Sent => sent += 1,
            Outcome::Bounced => bounced += 1,
            Outcome::Failed => failed += 1,
        }
    }
    let key = if reminder { "reminded" } else { "sent" };
    Ok(json_answer(
        StatusCode::OK,
        &json!({ key: sent, "bounced": bounced, "failed": failed }),
    ))
}

/// `POST /api/campaigns/{id}/send`: e-mails every recipient not sent to yet.
pub async fn send_all(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    send_to(&state, &viewer, &id, &headers, false).await
}

/// `POST /api/campaigns/{id}/remind`: a fresh link to every recipient sent to who has not
/// answered (the link before is revoked).
pub async fn remind(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    send_to(&state, &viewer, &id, &headers, true).await
}
