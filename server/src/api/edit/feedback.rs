//! The public's "was this right?": `POST /api/feedback` needs no sign-in and holds no
//! personal data (a sportello, one of three words, the time); it is rate-limited per client
//! address with `governor`, keyed by a hash the server keeps only in memory (the address is
//! never stored). `GET /api/feedback` shows it to the sportello's organisation and the
//! coordinators of its comune.

use super::{answer, editor};
use crate::access::Viewer;
use crate::api::error::{Error, FieldProblem, Result};
use crate::api::AppState;
use crate::index::Filter;
use crate::limit::{Address, Buckets};
use crate::model::{Feedback, FeedbackKind, Id};
use crate::store::FeedbackFilter;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::Extensions;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// The per-address limit on feedback: `burst` reports per address, one more every `refill`.
pub struct Limiter(Buckets);

impl Limiter {
    pub fn new(burst: u32, refill: Duration) -> Self {
        Limiter(Buckets::new(burst, refill))
    }

    /// Takes one report for `client`, or says how many seconds to wait.
    pub fn take(&self, client: IpAddr) -> std::result::Result<(), u64> {
        self.0.take(Address::from(client))
    }

    /// Forgets slots that have refilled (run by the server's periodic sweep, so addresses
    /// seen once do not stay in memory); returns how many slots remain.
    pub fn sweep(&self) -> usize {
        self.0.sweep()
    }
}

/// What the public sends: nothing else is accepted (no text, no contact, no position).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    location_id: String,
    kind: String,
}

/// `POST /api/feedback`.
pub async fn submit(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let client = crate::accounts::throttle::client_address(
        extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0),
        &headers,
        state.accounts.trusted_proxies(),
    );
    state
        .feedback
        .take(client)
        .map_err(|retry_after| Error::TooManyRequests {
            what: "too many reports from this address".into(),
            retry_after,
        })?;
    let r: Report = super::body(&body)?;
    let mut problems = Vec::new();
    let kind = FeedbackKind::parse(&r.kind);
    if kind.is_none() {
        problems.push(FieldProblem {
            pointer: "/kind".into(),
            detail: format!("{:?} is not right, wrong or closed", r.kind),
        });
    }
    let catalog = state.directory.catalog();
    // Only what the public sees can be reported on.
    let sportello = catalog
        .sportello(&r.location_id)
        .filter(|s| Filter::default().sees(s));
    if sportello.is_none() {
        problems.push(FieldProblem {
            pointer: "/location_id".into(),
            detail: "no such sportello".into(),
        });
    }
    let (Some(kind), Some(s)) = (kind, sportello) else {
        return Err(Error::Invalid(problems));
    };
    let feedback = Feedback {
        location_id: s.location.id.clone(),
        organization_id: s.location.organization_id.clone(),
        comune_istat: s.location.address.comune_istat.clone(),
        kind,
        at: chrono::Utc::now(),
    };
    state
        .directory
        .store()
        .edits()
        .add_feedback(&feedback)
        .await?;
    Ok(answer(StatusCode::ACCEPTED, &json!({ "accepted": true })))
}

/// `GET /api/feedback` parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub location: Option<String>,
    pub organization: Option<String>,
}

/// `GET /api/feedback`: what the public said about the sportelli the viewer follows.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    editor(&viewer)?;
    let id = |name: &str, v: &Option<String>| -> Result<Option<Id>> {
        v.as_deref()
            .map(|s| Id::parse(s).map_err(|e| Error::bad(name, e.to_string())))
            .transpose()
    };
    let filter = FeedbackFilter {
        location: id("location", &q.location)?,
        organization: id("organization", &q.organization)?,
        ..Default::default()
    };
    let items: Vec<Feedback> = state
        .directory
        .store()
        .edits()
        .feedback(&filter)
        .await?
        .into_iter()
        .filter(|f| viewer.follows(&f.organization_id, std::slice::from_ref(&f.comune_istat)))
        .collect();
    Ok(answer(StatusCode::OK, &json!({ "feedback": items })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_past_its_burst_waits_and_others_do_not() {
        let l = Limiter::new(2, Duration::from_secs(60));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(l.take(a).is_ok());
        assert!(l.take(a).is_ok());
        let wait = l.take(a).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(l.take("192.0.2.2".parse().unwrap()).is_ok());
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        assert!(l.take(v6).is_ok());
        assert!(l.take("2001:db8::2".parse().unwrap()).is_ok());
        assert!(l.take("2001:db8::3".parse().unwrap()).is_err(), "same /64");
    }
}
