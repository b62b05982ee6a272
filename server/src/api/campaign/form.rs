//! `GET` and `POST /campaign/{token}`: the no-login form a campaign e-mail links to.
//!
//! The token in the path is the credential: it is checked against the stored hash, must be
//! unused, unrevoked, unexpired and its campaign open, and covers only its organisation's
//! sportelli in the campaign (a form naming any other record is refused whole). A `POST`
//! passes the server's origin check (`accounts::csrf`) and claims the link atomically before
//! anything is written, so a second submit is refused; if writing fails the link is given
//! back. Use is rate-limited per link and per client address. The request log shows the path
//! as `/campaign/…` (`api::redact::path`), never the token.

use super::answer::{self, Refused};
use super::page::{self, Sent, Words};
use crate::api::error::{Error, Result};
use crate::api::AppState;
use crate::campaign::model::{Answer, Campaign, Link, Refusal};
use crate::campaign::{entries, tokens};
use crate::model::Organization;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// The form's routes, outside `/api` (HTML pages, like `/signin`).
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/campaign/{token}", get(show).post(submit))
}

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::HeaderName::from_static("x-robots-tag"),
                HeaderValue::from_static("noindex"),
            ),
        ],
        body,
    )
        .into_response()
}

fn refused(w: &Words, base: &str, why: Refusal) -> Response {
    let status = if why == Refusal::Unknown {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::GONE
    };
    html(status, page::refusal(w, base, why))
}

/// What a usable link opens.
struct Opened {
    link: Link,
    campaign: Campaign,
    org: Arc<Organization>,
}

/// The link a token names, if it opens the form now (else why not); rate-limited.
async fn open(
    state: &AppState,
    token: &str,
    extensions: &Extensions,
    headers: &HeaderMap,
) -> Result<std::result::Result<Opened, Refusal>> {
    let client = crate::accounts::throttle::client_address(
        extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0),
        headers,
        state.accounts.trusted_proxies(),
    );
    let hash = tokens::hash_of(token);
    state
        .campaigns
        .limit
        .take(hash.as_deref().unwrap_or("-"), client)
        .map_err(|retry_after| Error::TooManyRequests {
            what: "too many requests with campaign links from this address or for this link".into(),
            retry_after,
        })?;
    let Some(hash) = hash else {
        return Ok(Err(Refusal::Unknown));
    };
    let store = state.directory.store().campaigns();
    let Some(link) = store.link(&hash).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    if let Err(why) = link.usable(chrono::Utc::now()) {
        return Ok(Err(why));
    }
    let Some(campaign) = store.campaign(&link.campaign_id).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    if !campaign.is_open() {
        return Ok(Err(Refusal::Revoked));
    }
    let Some(org) = state
        .directory
        .catalog()
        .organizations
        .get(&link.organization_id)
        .cloned()
    else {
        return Ok(Err(Refusal::Unknown));
    };
    Ok(Ok(Opened {
        link,
        campaign,
        org,
    }))
}

/// `GET /campaign/{token}`: the form, or why the link does not open it.
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    extensions: Extensions,
    headers: HeaderMap,
) -> Result<Response> {
    let w = page::words(&crate::api::lang::negotiate(q.lang.as_deref(), &headers));
    let base = state.origin.base(&headers);
    let o = match open(&state, &token, &extensions, &headers).await? {
        Ok(o) => o,
        Err(why) => return Ok(refused(w, &base, why)),
    };
    let catalog = state.directory.catalog();
    let sportelli = entries::sportelli_of(&catalog, &o.campaign, &o.org.id);
    let action = format!("{base}/campaign/{token}");
    Ok(html(
        StatusCode::OK,
        page::form(
            w,
            &base,
            &action,
            &o.campaign,
            &o.org,
            &sportelli,
            &Sent::default(),
        ),
    ))
}

/// `POST /campaign/{token}`: the answer.
pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let lang = fields
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.clone())
        .or(q.lang);
    let w = page::words(&crate::api::lang::negotiate(lang.as_deref(), &headers));
    let base = state.origin.base(&headers);
    let o = match open(&state, &token, &extensions, &headers).await? {
        Ok(o) => o,
        Err(why) => return Ok(refused(w, &base, why)),
    };
    let catalog = state.directory.catalog();
    let sportelli = entries::sportelli_of(&catalog, &o.campaign, &o.org.id);
    let choices = match answer::read(&fields, &sportelli) {
        Ok(c) => c,
        Err(Refused::NotCovered) => {
            tracing::warn!(campaign = %o.campaign.id, organization = %o.org.id, "campaign form named an entry its link does not cover");
            return Ok(html(StatusCode::FORBIDDEN, page::not_covered(w, &base)));
        }
        Err(Refused::Invalid(errors)) => {
            let action = format!("{base}/campaign/{token}");
            let sent = Sent {
                fields: &fields,
                errors: &errors,
            };
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                page::form(w, &base, &action, &o.campaign, &o.org, &sportelli, &sent),
            ));
        }
    };
    let store = state.directory.store().campaigns();
    let now = chrono::Utc::now();
    if !store.claim_link(&o.link.token_hash, now).await? {
        return Ok(refused(w, &base, Refusal::Used));
    }
    let written = match answer::write(&state, &o.campaign, &o.org.id, &sportelli, &choices).await {
        Ok(w) => w,
        Err(e) => {
            store.release_link(&o.link.token_hash).await?;
            return Err(e);
        }
    };
    let kind = if choices.iter().all(|(_, c)| *c == answer::Choice::Unchanged) {
        Answer::Unchanged
    } else {
        Answer::Changed
    };
    store
        .record_answer(&o.campaign.id, &o.org.id, kind, &written.detail, now)
        .await?;
    tracing::info!(campaign = %o.campaign.id, organization = %o.org.id, answer = kind.as_str(), "campaign answered");
    Ok(html(
        StatusCode::OK,
        page::thanks(w, &base, written.published, written.reviewed),
    ))
}
