//! Update campaigns (`docs/campaigns.md`): a coordinator asks every organisation of a
//! territory, by e-mail, whether its entries still hold for a period; each answers through
//! a personal link to a no-login form (`api::campaign`).
//!
//! - [`model`]: campaigns, recipients, links, progress per comune;
//! - [`tokens`]: the links' tokens (256 random bits, stored as SHA-256 only);
//! - [`mail`]: the transport Config chooses (SMTP, a directory of `.eml` files, or none) and
//!   the e-mail itself;
//! - [`entries`]: who is asked (organisations with sportelli in the territory) and what
//!   about (their sportelli and the services there);
//! - [`limit`]: link use rate-limited per token and per client address.

pub mod entries;
pub mod limit;
pub mod mail;
pub mod model;
pub mod tokens;

use crate::access::Viewer;
use crate::config::Config;
use crate::model::Role;
use std::time::Duration;

/// What the campaign routes share: the mail transport, the link rules and the limiter.
pub struct Campaigns {
    pub mailer: mail::Mailer,
    /// A link lasts this long at most (and never past its campaign's period).
    pub link_ttl: Duration,
    pub limit: limit::Limiter,
}

impl Campaigns {
    /// From the configuration; a mail transport that cannot be set up is logged, and
    /// sending then answers why.
    pub fn new(config: &Config) -> Self {
        let mailer = mail::Mailer::from_config(config).unwrap_or_else(|e| {
            tracing::error!(error = %e, "campaign e-mail cannot be sent");
            mail::Mailer::Broken(e.to_string())
        });
        Campaigns {
            mailer,
            link_ttl: Duration::from_secs(config.campaign_link_ttl_secs.max(1)),
            limit: limit::Limiter::new(
                config.campaign_uses_per_link,
                config.campaign_uses_per_address,
                Duration::from_secs(config.campaign_refill_secs),
            ),
        }
    }
}

/// May this viewer run a campaign over `comuni` (empty: the whole territory)? Admins
/// anywhere; a coordinator when every comune is in their territory.
pub fn may_run(viewer: &Viewer, comuni: &[String]) -> bool {
    viewer.roles().iter().any(|r| match r {
        Role::Admin => true,
        Role::Coordinator { comuni: t } => {
            !comuni.is_empty() && comuni.iter().all(|c| t.contains(c))
        }
        _ => false,
    })
}

/// The user name a campaign's answers are made under (`campaign.<id>`), in the history.
pub fn author(campaign_id: &str) -> String {
    format!("campaign.{campaign_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Credential;
    use crate::model::{Id, Username};

    fn signed(role: Role) -> Viewer {
        Viewer::Signed {
            username: Username::parse("u").unwrap(),
            roles: vec![role],
            via: Credential::Session,
        }
    }

    #[test]
    fn coordinators_run_campaigns_inside_their_territory_only() {
        let venezia = vec!["027042".to_owned()];
        let both = vec!["027042".to_owned(), "027008".to_owned()];
        let coord = signed(Role::Coordinator {
            comuni: venezia.clone(),
        });
        assert!(may_run(&coord, &venezia));
        assert!(!may_run(&coord, &both));
        assert!(!may_run(&coord, &[]), "the whole territory is an admin's");
        assert!(may_run(&signed(Role::Admin), &[]));
        let op = signed(Role::Operator {
            organization: Id::parse("org-a").unwrap(),
        });
        assert!(!may_run(&op, &venezia));
        assert!(!may_run(&Viewer::Anonymous, &venezia));
    }
}
