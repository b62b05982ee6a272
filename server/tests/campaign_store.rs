//! Campaign storage conformance: campaigns, recipients and personal links, run unchanged on
//! embedded SQLite and on a real PostGIS database. Each case takes a fresh, migrated store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::campaign::model::{Answer, Campaign, Link, Recipient, RecipientState};
use bussola::model::Id;
use bussola::store::Store;
use chrono::{DateTime, Duration, NaiveDate, SubsecRound, TimeZone, Utc};
use serde_json::json;
use std::sync::Arc;

/// A fixed instant with nanoseconds: both backends must keep the same microseconds.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap() + Duration::nanoseconds(123_456_789)
}

fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

fn id(s: &str) -> Id {
    Id::parse(s).unwrap()
}

fn campaign(n: &str) -> Campaign {
    Campaign {
        id: format!("cmp-{n}"),
        title: "Orari estivi «2027»".into(),
        comuni: vec!["027023".into(), "027042".into()],
        from: NaiveDate::from_ymd_opt(2027, 6, 1).unwrap(),
        until: NaiveDate::from_ymd_opt(2027, 9, 15).unwrap(),
        opened_by: "coord.venezia".into(),
        created_at: t0(),
        sent_at: None,
        closed_at: None,
        remind_every_days: Some(7),
    }
}

fn recipient(c: &Campaign, org: &str, email: Option<&str>, comuni: &[&str]) -> Recipient {
    Recipient {
        campaign_id: c.id.clone(),
        organization_id: id(org),
        email: email.map(str::to_owned),
        comuni: comuni.iter().map(|s| s.to_string()).collect(),
        state: if email.is_some() {
            RecipientState::Waiting
        } else {
            RecipientState::NoAddress
        },
        sent_at: None,
        reminded_at: None,
        answered_at: None,
        answer: None,
        answer_detail: None,
    }
}

fn link(c: &Campaign, org: &str, hash: &str, at: DateTime<Utc>) -> Link {
    Link {
        token_hash: hash.into(),
        campaign_id: c.id.clone(),
        organization_id: id(org),
        created_at: at,
        expires_at: at + Duration::days(30),
        revoked_at: None,
        used_at: None,
    }
}

async fn a_campaign_reads_back_with_its_recipients(s: Arc<dyn Store>) {
    let store = s.campaigns();
    let c = campaign("a");
    let rs = vec![
        recipient(&c, "org-b", None, &["027042"]),
        recipient(&c, "org-a", Some("a@example.org"), &["027023", "027042"]),
    ];
    assert!(store.create_campaign(&c, &rs).await.unwrap());
    assert!(
        !store.create_campaign(&c, &[]).await.unwrap(),
        "a taken id writes nothing"
    );
    let mut expected = c.clone();
    expected.created_at = micros(c.created_at);
    assert_eq!(
        store.campaign("cmp-a").await.unwrap(),
        Some(expected.clone())
    );
    assert_eq!(store.campaign("cmp-nope").await.unwrap(), None);
    let mut later = campaign("b");
    later.created_at = t0() + Duration::hours(1);
    later.comuni = vec![];
    store.create_campaign(&later, &[]).await.unwrap();
    let ids: Vec<String> = store
        .campaigns()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["cmp-b", "cmp-a"], "newest first");
    let back = store.recipients("cmp-a").await.unwrap();
    assert_eq!(
        back,
        vec![rs[1].clone(), rs[0].clone()],
        "by organisation id"
    );
}

async fn a_link_is_issued_claimed_once_and_released(s: Arc<dyn Store>) {
    let store = s.campaigns();
    let c = campaign("l");
    store
        .create_campaign(
            &c,
            &[recipient(&c, "org-a", Some("a@example.org"), &["027023"])],
        )
        .await
        .unwrap();
    let at = t0();
    store
        .issue_link(&link(&c, "org-a", "h1", at), RecipientState::Sent)
        .await
        .unwrap();
    let l = store.link("h1").await.unwrap().unwrap();
    assert_eq!(l.expires_at, micros(at + Duration::days(30)));
    assert_eq!(l.used_at, None);
    assert_eq!(store.link("h2").await.unwrap(), None);
    let r = &store.recipients("cmp-l").await.unwrap()[0];
    assert_eq!(r.state, RecipientState::Sent);
    assert_eq!(r.sent_at, Some(micros(at)));
    assert_eq!(
        store.campaign("cmp-l").await.unwrap().unwrap().sent_at,
        Some(micros(at))
    );

    let now = at + Duration::hours(1);
    assert!(store.claim_link("h1", now).await.unwrap());
    assert!(!store.claim_link("h1", now).await.unwrap(), "only once");
    assert_eq!(
        store.link("h1").await.unwrap().unwrap().used_at,
        Some(micros(now))
    );
    store.release_link("h1").await.unwrap();
    assert!(store.claim_link("h1", now).await.unwrap(), "given back");
    assert!(
        !store.claim_link("h-unknown", now).await.unwrap(),
        "no such link"
    );

    // Expired: not claimed.
    store
        .issue_link(&link(&c, "org-a", "h3", at), RecipientState::Reminded)
        .await
        .unwrap();
    assert!(!store
        .claim_link("h3", at + Duration::days(31))
        .await
        .unwrap());
    assert!(store
        .claim_link("h3", at + Duration::days(29))
        .await
        .unwrap());
}

async fn a_fresh_link_revokes_the_one_before(s: Arc<dyn Store>) {
    let store = s.campaigns();
    let c = campaign("r");
    store
        .create_campaign(
            &c,
            &[
                recipient(&c, "org-a", Some("a@example.org"), &["027023"]),
                recipient(&c, "org-b", Some("b@example.org"), &["027042"]),
            ],
        )
        .await
        .unwrap();
    let at = t0();
    store
        .issue_link(&link(&c, "org-a", "a1", at), RecipientState::Sent)
        .await
        .unwrap();
    store
        .issue_link(&link(&c, "org-b", "b1", at), RecipientState::Sent)
        .await
        .unwrap();
    let later = at + Duration::days(3);
    store
        .issue_link(&link(&c, "org-a", "a2", later), RecipientState::Reminded)
        .await
        .unwrap();
    assert_eq!(
        store.link("a1").await.unwrap().unwrap().revoked_at,
        Some(micros(later))
    );
    assert_eq!(store.link("b1").await.unwrap().unwrap().revoked_at, None);
    assert!(!store.claim_link("a1", later).await.unwrap(), "revoked");
    let a = store.recipients("cmp-r").await.unwrap().remove(0);
    assert_eq!(a.state, RecipientState::Reminded);
    assert_eq!(
        (a.sent_at, a.reminded_at),
        (Some(micros(at)), Some(micros(later)))
    );

    assert_eq!(
        store
            .revoke_links("cmp-r", Some(&id("org-b")), later)
            .await
            .unwrap(),
        1
    );
    assert!(!store.claim_link("b1", later).await.unwrap());
    assert!(store.claim_link("a2", later).await.unwrap());
    assert_eq!(
        store.revoke_links("cmp-r", None, later).await.unwrap(),
        0,
        "a used link is not revoked"
    );
    store
        .set_state("cmp-r", &id("org-b"), RecipientState::Bounced)
        .await
        .unwrap();
    assert_eq!(
        store.recipients("cmp-r").await.unwrap()[1].state,
        RecipientState::Bounced
    );
}

async fn an_answer_is_recorded_and_closing_revokes_every_link(s: Arc<dyn Store>) {
    let store = s.campaigns();
    let c = campaign("c");
    store
        .create_campaign(
            &c,
            &[
                recipient(&c, "org-a", Some("a@example.org"), &["027023"]),
                recipient(&c, "org-b", Some("b@example.org"), &["027042"]),
            ],
        )
        .await
        .unwrap();
    let at = t0();
    for (org, h) in [("org-a", "ca"), ("org-b", "cb")] {
        store
            .issue_link(&link(&c, org, h, at), RecipientState::Sent)
            .await
            .unwrap();
    }
    let detail = json!({"entries": [{"sportello": "loc-1", "choice": "unchanged"}]});
    store
        .record_answer("cmp-c", &id("org-a"), Answer::Unchanged, &detail, at)
        .await
        .unwrap();
    let a = store.recipients("cmp-c").await.unwrap().remove(0);
    assert_eq!(a.state, RecipientState::Answered);
    assert_eq!(a.answer, Some(Answer::Unchanged));
    assert_eq!(a.answered_at, Some(micros(at)));
    assert_eq!(a.answer_detail, Some(detail));

    let closed = at + Duration::days(1);
    assert!(store.close_campaign("cmp-c", closed).await.unwrap());
    assert!(!store.close_campaign("cmp-c", closed).await.unwrap());
    assert!(!store.close_campaign("cmp-none", closed).await.unwrap());
    assert_eq!(
        store.campaign("cmp-c").await.unwrap().unwrap().closed_at,
        Some(micros(closed))
    );
    for h in ["ca", "cb"] {
        assert_eq!(
            store.link(h).await.unwrap().unwrap().revoked_at,
            Some(micros(closed)),
            "{h}"
        );
    }
}

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let (_dir, s) = super::support::sqlite().await;
                    super::$case(s).await;
                }
            )*
        }
        mod postgis {
            $(
                #[tokio::test]
                async fn $case() {
                    let s = super::support::postgres().await;
                    assert_eq!(s.backend(), bussola::store::Backend::Postgres);
                    super::$case(s).await;
                }
            )*
        }
    };
}

on_both!(
    a_campaign_reads_back_with_its_recipients,
    a_link_is_issued_claimed_once_and_released,
    a_fresh_link_revokes_the_one_before,
    an_answer_is_recorded_and_closing_revokes_every_link,
);
