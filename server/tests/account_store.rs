//! Account storage conformance: every `AccountStore` verb, run unchanged on embedded SQLite and
//! on a real PostGIS database. Each case takes a fresh, migrated store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::model::{AccountStatus, Id, Role, SessionRecord, TokenRecord, User, Username};
use bussola::store::{AccountStore, Store};
use chrono::{DateTime, Duration, SubsecRound, TimeZone, Utc};
use std::sync::Arc;

/// A fixed instant with nanoseconds, so the cases also check that both backends keep the
/// same microseconds.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap() + Duration::nanoseconds(123_456_789)
}

fn name(s: &str) -> Username {
    Username::parse(s).unwrap()
}

fn user(n: &str, roles: Vec<Role>) -> User {
    User {
        username: name(n),
        display_name: format!("{n} (test)"),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$salt${n}"),
        roles,
        status: AccountStatus::Active,
        created_at: t0(),
        updated_at: t0(),
    }
}

/// What the store gives back: timestamps at microsecond precision.
fn as_stored(mut u: User) -> User {
    u.created_at = u.created_at.trunc_subsecs(6);
    u.updated_at = u.updated_at.trunc_subsecs(6);
    u
}

fn session(id: &str, n: &str, expires_in: Duration) -> SessionRecord {
    SessionRecord {
        id_hash: format!("{id:0>64}"),
        username: name(n),
        csrf_hash: format!("{:f>64}", id),
        created_at: t0(),
        expires_at: t0() + expires_in,
        last_seen_at: t0(),
    }
}

fn token(id: &str, n: &str, role: Role, created: DateTime<Utc>) -> TokenRecord {
    TokenRecord {
        id: id.to_owned(),
        username: name(n),
        name: format!("token {id}"),
        secret_hash: format!("{id:e>64}"),
        role,
        created_at: created,
        expires_at: Some(created + Duration::days(90)),
        last_used_at: None,
        revoked_at: None,
    }
}

fn viewer() -> Role {
    Role::Viewer {
        comuni: vec!["027042".into(), "027033".into()],
    }
}

fn operator() -> Role {
    Role::Operator {
        organization: Id::parse("org-a").unwrap(),
    }
}

async fn users_are_created_once_and_listed_by_name(s: Arc<dyn AccountStore>) {
    let zeta = user("zeta", vec![Role::Admin]);
    let alfa = user("alfa.b", vec![viewer(), operator()]);
    assert!(s.create_user(&zeta).await.unwrap());
    assert!(s.create_user(&alfa).await.unwrap());
    let mut again = user("zeta", vec![]);
    again.display_name = "Someone else".into();
    assert!(
        !s.create_user(&again).await.unwrap(),
        "a taken name is refused"
    );
    assert_eq!(
        s.user(&name("zeta")).await.unwrap(),
        Some(as_stored(zeta.clone())),
        "the refused duplicate wrote nothing"
    );
    assert_eq!(
        s.user(&name("alfa.b")).await.unwrap(),
        Some(as_stored(alfa.clone()))
    );
    assert_eq!(s.user(&name("nobody")).await.unwrap(), None);
    let names: Vec<String> = s
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username.to_string())
        .collect();
    assert_eq!(names, ["alfa.b", "zeta"]);
}

async fn a_user_is_updated_in_place(s: Arc<dyn AccountStore>) {
    let mut u = user("m.rossi", vec![viewer()]);
    assert!(!s.update_user(&u).await.unwrap(), "no such user yet");
    assert!(s.create_user(&u).await.unwrap());
    u.display_name = "Maria Rossi".into();
    u.password_hash = "$argon2id$v=19$new".into();
    u.roles = vec![Role::Coordinator {
        comuni: vec!["027042".into()],
    }];
    u.updated_at = t0() + Duration::hours(1);
    assert!(s.update_user(&u).await.unwrap());
    let back = s.user(&u.username).await.unwrap().unwrap();
    assert_eq!(back, as_stored(u.clone()));
    assert_eq!(back.created_at, t0().trunc_subsecs(6), "created_at is kept");
}

async fn sessions_expire_and_slide(s: Arc<dyn AccountStore>) {
    s.create_user(&user("anna", vec![viewer()])).await.unwrap();
    let rec = session("a1", "anna", Duration::milliseconds(500));
    s.create_session(&rec).await.unwrap();
    let (found, who) = s
        .session(&rec.id_hash, t0() + Duration::milliseconds(499))
        .await
        .unwrap()
        .expect("valid until its expiry");
    assert_eq!(found.username, rec.username);
    assert_eq!(found.csrf_hash, rec.csrf_hash);
    assert_eq!(found.created_at, t0().trunc_subsecs(6));
    assert_eq!(found.expires_at, rec.expires_at.trunc_subsecs(6));
    assert_eq!(who.username.as_str(), "anna");
    for late in [Duration::milliseconds(500), Duration::seconds(2)] {
        assert!(
            s.session(&rec.id_hash, t0() + late)
                .await
                .unwrap()
                .is_none(),
            "expired at {late}"
        );
    }
    assert!(s.session("unknown", t0()).await.unwrap().is_none());
    // Sliding expiry: activity moves the end.
    let seen = t0() + Duration::seconds(1);
    s.touch_session(&rec.id_hash, seen, seen + Duration::hours(8))
        .await
        .unwrap();
    let (found, _) = s
        .session(&rec.id_hash, t0() + Duration::hours(8))
        .await
        .unwrap()
        .expect("touched session lives on");
    assert_eq!(found.last_seen_at, seen.trunc_subsecs(6));
    assert_eq!(
        found.expires_at,
        (seen + Duration::hours(8)).trunc_subsecs(6)
    );
    s.delete_session(&rec.id_hash).await.unwrap();
    assert!(s.session(&rec.id_hash, t0()).await.unwrap().is_none());
}

async fn sessions_are_ended_per_user_and_purged_when_expired(s: Arc<dyn AccountStore>) {
    s.create_user(&user("anna", vec![])).await.unwrap();
    s.create_user(&user("bruno", vec![])).await.unwrap();
    for (id, who, life) in [
        ("a1", "anna", Duration::minutes(1)),
        ("a2", "anna", Duration::hours(1)),
        ("b1", "bruno", Duration::minutes(1)),
        ("b2", "bruno", Duration::hours(1)),
    ] {
        s.create_session(&session(id, who, life)).await.unwrap();
    }
    assert_eq!(s.delete_sessions_of(&name("anna")).await.unwrap(), 2);
    assert_eq!(s.delete_sessions_of(&name("anna")).await.unwrap(), 0);
    let b2 = session("b2", "bruno", Duration::hours(1));
    assert!(s.session(&b2.id_hash, t0()).await.unwrap().is_some());
    // At exactly its expiry a session is refused, so the purge takes it too.
    assert_eq!(
        s.purge_expired_sessions(t0() + Duration::minutes(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.purge_expired_sessions(t0() + Duration::minutes(1))
            .await
            .unwrap(),
        0
    );
    assert!(s.session(&b2.id_hash, t0()).await.unwrap().is_some());
    assert_eq!(s.delete_sessions_of(&name("bruno")).await.unwrap(), 1);
}

async fn disabling_a_user_ends_its_sessions_and_revokes_its_tokens(s: Arc<dyn AccountStore>) {
    let mut anna = user("anna", vec![viewer()]);
    s.create_user(&anna).await.unwrap();
    s.create_user(&user("bruno", vec![viewer()])).await.unwrap();
    let mine = session("a1", "anna", Duration::hours(1));
    let theirs = session("b1", "bruno", Duration::hours(1));
    s.create_session(&mine).await.unwrap();
    s.create_session(&theirs).await.unwrap();
    s.create_token(&token("tka", "anna", viewer(), t0()))
        .await
        .unwrap();
    s.create_token(&token("tkb", "bruno", viewer(), t0()))
        .await
        .unwrap();

    anna.status = AccountStatus::Disabled;
    anna.updated_at = t0() + Duration::minutes(5);
    assert!(s.update_user(&anna).await.unwrap());
    assert!(s.session(&mine.id_hash, t0()).await.unwrap().is_none());
    let (tka, owner) = s.token("tka").await.unwrap().unwrap();
    assert_eq!(tka.revoked_at, Some(anna.updated_at.trunc_subsecs(6)));
    assert_eq!(owner.status, AccountStatus::Disabled);
    // Re-enabling does not bring the old session back: it was deleted, not hidden.
    anna.status = AccountStatus::Active;
    assert!(s.update_user(&anna).await.unwrap());
    assert!(s.session(&mine.id_hash, t0()).await.unwrap().is_none());
    assert_eq!(s.delete_sessions_of(&anna.username).await.unwrap(), 0);
    assert!(s
        .token("tka")
        .await
        .unwrap()
        .unwrap()
        .0
        .revoked_at
        .is_some());
    // Nobody else is touched.
    assert!(s.session(&theirs.id_hash, t0()).await.unwrap().is_some());
    assert!(s
        .token("tkb")
        .await
        .unwrap()
        .unwrap()
        .0
        .revoked_at
        .is_none());
}

async fn a_disabled_users_session_is_refused(s: Arc<dyn AccountStore>) {
    let mut anna = user("anna", vec![]);
    s.create_user(&anna).await.unwrap();
    let mine = session("a1", "anna", Duration::hours(1));
    s.create_session(&mine).await.unwrap();
    anna.status = AccountStatus::Disabled;
    s.update_user(&anna).await.unwrap();
    // Even a session written after the disabling (a race with a sign-in) is refused.
    s.create_session(&mine).await.unwrap();
    assert!(s.session(&mine.id_hash, t0()).await.unwrap().is_none());
}

async fn tokens_are_listed_touched_and_revoked_once(s: Arc<dyn AccountStore>) {
    s.create_user(&user("anna", vec![viewer(), operator()]))
        .await
        .unwrap();
    s.create_user(&user("bruno", vec![Role::Admin]))
        .await
        .unwrap();
    let first = token("tk1", "anna", viewer(), t0());
    let second = token("tk2", "anna", operator(), t0() + Duration::hours(1));
    let other = token("tk3", "bruno", Role::Admin, t0() + Duration::hours(2));
    for t in [&first, &second, &other] {
        assert!(s.create_token(t).await.unwrap());
    }
    let mut clash = token("tk1", "bruno", Role::Admin, t0());
    clash.name = "clash".into();
    assert!(
        !s.create_token(&clash).await.unwrap(),
        "a taken id is refused"
    );

    let (back, owner) = s.token("tk1").await.unwrap().unwrap();
    assert_eq!(back.username.as_str(), "anna");
    assert_eq!(back.name, "token tk1");
    assert_eq!(back.secret_hash, first.secret_hash);
    assert_eq!(back.role, viewer());
    assert_eq!(back.created_at, t0().trunc_subsecs(6));
    assert_eq!(
        back.expires_at,
        first.expires_at.map(|t| t.trunc_subsecs(6))
    );
    assert_eq!((back.last_used_at, back.revoked_at), (None, None));
    assert_eq!(owner.username.as_str(), "anna");
    assert!(s.token("nope").await.unwrap().is_none());

    let ids = |v: Vec<TokenRecord>| v.into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(ids(s.tokens(None).await.unwrap()), ["tk3", "tk2", "tk1"]);
    assert_eq!(
        ids(s.tokens(Some(&name("anna"))).await.unwrap()),
        ["tk2", "tk1"]
    );
    assert!(s.tokens(Some(&name("carla"))).await.unwrap().is_empty());

    let used = t0() + Duration::minutes(3);
    s.touch_token("tk2", used).await.unwrap();
    assert_eq!(
        s.token("tk2").await.unwrap().unwrap().0.last_used_at,
        Some(used.trunc_subsecs(6))
    );

    let at = t0() + Duration::minutes(10);
    assert!(s.revoke_token("tk1", at).await.unwrap());
    assert!(
        !s.revoke_token("tk1", at + Duration::minutes(1))
            .await
            .unwrap(),
        "the second revoke says it did nothing"
    );
    assert!(!s.revoke_token("nope", at).await.unwrap());
    let (revoked, _) = s.token("tk1").await.unwrap().unwrap();
    assert_eq!(
        revoked.revoked_at,
        Some(at.trunc_subsecs(6)),
        "the first revoke's time stays"
    );
    assert!(s
        .token("tk2")
        .await
        .unwrap()
        .unwrap()
        .0
        .revoked_at
        .is_none());
}

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let (_dir, s) = super::support::sqlite().await;
                    super::$case(super::Store::accounts(&*s)).await;
                }
            )*
        }
        mod postgis {
            $(
                #[tokio::test]
                async fn $case() {
                    let s = super::support::postgres().await;
                    assert_eq!(s.backend(), bussola::store::Backend::Postgres);
                    super::$case(super::Store::accounts(&*s)).await;
                }
            )*
        }
    };
}

on_both!(
    users_are_created_once_and_listed_by_name,
    a_user_is_updated_in_place,
    sessions_expire_and_slide,
    sessions_are_ended_per_user_and_purged_when_expired,
    disabling_a_user_ends_its_sessions_and_revokes_its_tokens,
    a_disabled_users_session_is_refused,
    tokens_are_listed_touched_and_revoked_once,
);
