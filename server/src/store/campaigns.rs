//! Campaign storage: update campaigns, the organisations they ask and their personal links,
//! on both backends (`migrations/*/0004_campaigns.sql`).
//!
//! Campaigns sit beside the directory, like accounts: their writes take no revision. What an
//! answer changes in the directory goes through `Directory::apply` like any edit; here is
//! only who was asked, by which link, and what they said. A link is stored as the SHA-256 of
//! its token; the token itself exists only in the e-mail.

use super::Result;
use crate::campaign::model::{Answer, Campaign, Link, Recipient, RecipientState};
use crate::model::Id;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The campaign verbs both backends implement.
#[async_trait]
pub trait CampaignStore: Send + Sync + 'static {
    /// Stores a new campaign with its recipients, in one transaction; `Ok(false)` (and
    /// nothing written) when the id is taken.
    async fn create_campaign(&self, campaign: &Campaign, recipients: &[Recipient]) -> Result<bool>;
    /// One campaign.
    async fn campaign(&self, id: &str) -> Result<Option<Campaign>>;
    /// Every campaign, newest first.
    async fn campaigns(&self) -> Result<Vec<Campaign>>;
    /// A campaign's recipients, by organisation id.
    async fn recipients(&self, campaign: &str) -> Result<Vec<Recipient>>;
    /// Stores a fresh link and records the e-mail that carries it (`Sent` or `Reminded` at
    /// `link.created_at`), in one transaction: the recipient's earlier links are revoked.
    async fn issue_link(&self, link: &Link, state: RecipientState) -> Result<()>;
    /// Sets a recipient's state (a bounce).
    async fn set_state(
        &self,
        campaign: &str,
        organization: &Id,
        state: RecipientState,
    ) -> Result<()>;
    /// The link whose token hashes to `token_hash`.
    async fn link(&self, token_hash: &str) -> Result<Option<Link>>;
    /// Revokes the unused links of a campaign (of one organisation, or all); how many.
    async fn revoke_links(
        &self,
        campaign: &str,
        organization: Option<&Id>,
        at: DateTime<Utc>,
    ) -> Result<u64>;
    /// Marks a link used at `at` if it is still usable then (unused, unrevoked, unexpired):
    /// `Ok(false)` when it is not, so two submits with one link cannot both pass.
    async fn claim_link(&self, token_hash: &str, at: DateTime<Utc>) -> Result<bool>;
    /// Gives a claimed link back (its answer could not be written).
    async fn release_link(&self, token_hash: &str) -> Result<()>;
    /// Records an organisation's answer.
    async fn record_answer(
        &self,
        campaign: &str,
        organization: &Id,
        answer: Answer,
        detail: &serde_json::Value,
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// Claims a recipient for a scheduled reminder at `at`, in one conditional statement: only
    /// while it still awaits an answer (`sent` or `reminded`) and its last e-mail went out at
    /// or before `last_mail_by`. `Ok(false)` when it is not (another replica claimed it first,
    /// or it answered meanwhile), so replicas racing remind it once.
    async fn claim_reminder(
        &self,
        campaign: &str,
        organization: &Id,
        last_mail_by: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<bool>;
    /// Gives back a reminder claimed at `claimed_at` whose e-mail could not be sent: the last
    /// e-mail is again `previous` (so the next check tries again), unless something else
    /// happened to the recipient meanwhile.
    async fn release_reminder(
        &self,
        campaign: &str,
        organization: &Id,
        claimed_at: DateTime<Utc>,
        previous: Option<DateTime<Utc>>,
    ) -> Result<()>;
    /// Closes a campaign and revokes its links; `Ok(false)` when it was already closed or
    /// does not exist.
    async fn close_campaign(&self, id: &str, at: DateTime<Utc>) -> Result<bool>;
}
