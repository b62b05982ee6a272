//! Update campaigns over HTTP (`docs/campaigns.md`).
//!
//! - this file: the coordinators' routes under `/api/campaigns` — open a campaign for a
//!   territory and a period, see who it asks (and who has no address), send it, remind the
//!   unanswered, revoke a link, close it, read its progress per comune;
//! - [`send`]: one e-mail with a fresh personal link;
//! - [`remind`]: the scheduled reminders the server's background task sends;
//! - [`form`], [`page`] and [`answer`]: the no-login form at `/campaign/{token}`, its HTML,
//!   and what each choice writes through the one write path.
//!
//! Every route takes the [`Viewer`]: 401 for the public, 403 for viewers and operators, 404
//! for a campaign outside the coordinator's territory.

pub mod answer;
pub mod form;
pub mod page;
pub mod remind;
pub mod send;

use crate::access::Viewer;
use crate::api::edit::{answer as json_answer, body, editor};
use crate::api::error::{Error, FieldProblem, Result};
use crate::api::AppState;
use crate::campaign::model::{progress, Campaign, Recipient};
use crate::campaign::{entries, may_run};
use crate::model::{Id, Role};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use serde::Deserialize;
use serde_json::{json, Value};

/// The campaign routes with their methods (for the OpenAPI document and the role matrix).
pub fn route_list() -> Vec<(
    &'static str,
    &'static [&'static str],
    MethodRouter<AppState>,
)> {
    vec![
        ("/api/campaigns", &["get", "post"], get(list).post(create)),
        ("/api/campaigns/{id}", &["get"], get(one)),
        ("/api/campaigns/{id}/send", &["post"], post(send::send_all)),
        ("/api/campaigns/{id}/remind", &["post"], post(send::remind)),
        ("/api/campaigns/{id}/revoke", &["post"], post(revoke)),
        ("/api/campaigns/{id}/close", &["post"], post(close)),
    ]
}

/// The API routes, for the API router; the form's routes are [`form::routes`].
pub fn routes() -> axum::Router<AppState> {
    route_list()
        .into_iter()
        .fold(axum::Router::new(), |r, (path, _, handler)| {
            r.route(path, handler)
        })
}

/// A coordinator or an admin: 401 for the public, 403 for anyone else.
pub fn coordinator(viewer: &Viewer) -> Result<()> {
    editor(viewer)?;
    let runs = viewer
        .roles()
        .iter()
        .any(|r| matches!(r, Role::Admin | Role::Coordinator { .. }));
    if runs {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "campaigns are run by coordinators and admins".into(),
        ))
    }
}

/// A campaign this viewer runs (404 for one they may not see, as for one that never existed).
pub async fn campaign_for(state: &AppState, viewer: &Viewer, id: &str) -> Result<Campaign> {
    coordinator(viewer)?;
    let missing = || Error::NotFound(format!("no campaign {id}"));
    let c = state
        .directory
        .store()
        .campaigns()
        .campaign(id)
        .await?
        .ok_or_else(missing)?;
    if may_run(viewer, &c.comuni) {
        Ok(c)
    } else {
        Err(missing())
    }
}

/// A recipient as the API shows it: with its organisation's name.
fn recipient_json(state: &AppState, r: &Recipient) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
    let name = state
        .directory
        .catalog()
        .organizations
        .get(&r.organization_id)
        .map(|o| o.name.clone());
    if let Some(map) = v.as_object_mut() {
        map.insert("organization_name".into(), json!(name));
        map.remove("campaign_id");
    }
    v
}

/// A campaign with its recipients and progress.
async fn whole(state: &AppState, c: &Campaign) -> Result<Value> {
    let recipients = state
        .directory
        .store()
        .campaigns()
        .recipients(&c.id)
        .await?;
    let rows = progress(&recipients);
    Ok(json!({
        "campaign": c,
        "recipients": recipients.iter().map(|r| recipient_json(state, r)).collect::<Vec<_>>(),
        "progress": rows,
    }))
}

/// `GET /api/campaigns`: the campaigns the viewer runs, newest first.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response> {
    coordinator(&viewer)?;
    let all = state.directory.store().campaigns().campaigns().await?;
    let mine: Vec<&Campaign> = all.iter().filter(|c| may_run(&viewer, &c.comuni)).collect();
    Ok(json_answer(StatusCode::OK, &json!({ "campaigns": mine })))
}

/// `POST /api/campaigns` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCampaign {
    title: String,
    #[serde(default)]
    comuni: Vec<String>,
    from: String,
    until: String,
    #[serde(default)]
    remind_every_days: Option<i64>,
}

/// Longest campaign title.
const MAX_TITLE: usize = 200;

/// A new campaign from its body: 422 naming every bad field.
fn read_new(state: &AppState, b: NewCampaign, opened_by: &str) -> Result<Campaign> {
    let mut problems = Vec::new();
    let mut bad = |pointer: &str, detail: String| {
        problems.push(FieldProblem {
            pointer: pointer.into(),
            detail,
        })
    };
    let title = b.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        bad(
            "/title",
            format!("a title of 1 to {MAX_TITLE} characters is required"),
        );
    }
    let catalog = state.directory.catalog();
    for (i, c) in b.comuni.iter().enumerate() {
        if !catalog.comuni.contains_key(c) {
            bad(
                &format!("/comuni/{i}"),
                format!("{c:?} is not the ISTAT code of a comune of the territory"),
            );
        }
    }
    let day = |s: &str| s.parse::<chrono::NaiveDate>().ok();
    let (from, until) = (day(&b.from), day(&b.until));
    if from.is_none() {
        bad("/from", "the first day, as YYYY-MM-DD".into());
    }
    if until.is_none() {
        bad("/until", "the last day, as YYYY-MM-DD".into());
    }
    let today = crate::model::notice::rome_date(chrono::Utc::now());
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            bad("/until", format!("{u} is before from ({f})"));
        } else if u < today {
            bad(
                "/until",
                format!("the period is over: {u} is before today ({today})"),
            );
        }
    }
    if b.remind_every_days.is_some_and(|d| !(1..=90).contains(&d)) {
        bad("/remind_every_days", "between 1 and 90 days".into());
    }
    let (Some(from), Some(until), true) = (from, until, problems.is_empty()) else {
        return Err(Error::Invalid(problems));
    };
    let mut comuni = b.comuni;
    comuni.sort();
    comuni.dedup();
    Ok(Campaign {
        id: format!("cmp-{}", crate::accounts::random::hex(8)?),
        title,
        comuni,
        from,
        until,
        opened_by: opened_by.to_owned(),
        created_at: chrono::Utc::now(),
        sent_at: None,
        closed_at: None,
        remind_every_days: b.remind_every_days,
    })
}

/// `POST /api/campaigns`: opens a campaign (201 with its recipients; nothing is sent yet).
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    bytes: Bytes,
) -> Result<Response> {
    coordinator(&viewer)?;
    let name = editor(&viewer)?.to_string();
    let c = read_new(&state, body(&bytes)?, &name)?;
    if !may_run(&viewer, &c.comuni) {
        return Err(Error::ForbiddenField {
            pointer: "/comuni".into(),
            detail: "a coordinator's campaign names comuni of their own territory (the whole \
                     territory is an admin's)"
                .into(),
        });
    }
    let recipients = entries::recipients(&state.directory.catalog(), &c);
    let created = state
        .directory
        .store()
        .campaigns()
        .create_campaign(&c, &recipients)
        .await?;
    if !created {
        return Err(Error::Internal(anyhow::anyhow!(
            "campaign id {} taken",
            c.id
        )));
    }
    tracing::info!(campaign = %c.id, recipients = recipients.len(), "campaign opened");
    Ok(json_answer(StatusCode::CREATED, &whole(&state, &c).await?))
}

/// `GET /api/campaigns/{id}`: the campaign, its recipients and progress per comune.
pub async fn one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response> {
    let c = campaign_for(&state, &viewer, &id).await?;
    Ok(json_answer(StatusCode::OK, &whole(&state, &c).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Revoke {
    organization_id: String,
}

/// `POST /api/campaigns/{id}/revoke` `{"organization_id": …}`: that organisation's link no
/// longer works (a reminder sends a fresh one).
pub async fn revoke(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response> {
    let c = campaign_for(&state, &viewer, &id).await?;
    let r: Revoke = body(&bytes)?;
    let org = Id::parse(&r.organization_id).ok();
    let store = state.directory.store().campaigns();
    let asked = store.recipients(&c.id).await?;
    let Some(org) = org.filter(|o| asked.iter().any(|r| &r.organization_id == o)) else {
        return Err(Error::Invalid(vec![FieldProblem {
            pointer: "/organization_id".into(),
            detail: "not an organisation this campaign asks".into(),
        }]));
    };
    let n = store
        .revoke_links(&c.id, Some(&org), chrono::Utc::now())
        .await?;
    tracing::info!(campaign = %c.id, organization = %org, revoked = n, "campaign link revoked");
    Ok(json_answer(StatusCode::OK, &json!({ "revoked": n })))
}

/// `POST /api/campaigns/{id}/close`: no more e-mails, every link revoked.
pub async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _headers: HeaderMap,
) -> Result<Response> {
    let c = campaign_for(&state, &viewer, &id).await?;
    let closed = state
        .directory
        .store()
        .campaigns()
        .close_campaign(&c.id, chrono::Utc::now())
        .await?;
    if !closed {
        return Err(Error::Conflict {
            detail: format!("campaign {} is already closed", c.id),
            changes: None,
            meanwhile: None,
        });
    }
    tracing::info!(campaign = %c.id, "campaign closed");
    let c = campaign_for(&state, &viewer, &id).await?;
    Ok(json_answer(StatusCode::OK, &whole(&state, &c).await?))
}
