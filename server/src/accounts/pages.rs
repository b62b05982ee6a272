//! The sign-in and sign-out pages and `GET /api/me`.
//!
//! `GET /signin` is a plain HTML form (no script, the server's own stylesheet, the app's CSP)
//! in the language the app shell would choose (`lang=`, then Accept-Language). It sets a
//! short-lived pre-session token cookie that the form echoes in a hidden field: `POST /signin`
//! must bring both (and pass the origin check), so no other site can sign a browser in to an
//! account of its choosing (login CSRF). Success is a 303 to `next` when it is a local path,
//! else to `/`. A browser (Accept: text/html) that gets something wrong sees the form again
//! with an error summary linked to the fields; other clients get problem+json (400 naming the
//! field, 401, 403, 429 with Retry-After).

use super::error::Error;
use super::secret::Secret;
use super::session::{self, set_cookie};
use super::viewer::{bearer, Caller};
use super::words::{self, Words};
use super::{csrf, random};
use crate::access::Credential;
use crate::api::error::Error as ApiError;
use crate::api::AppState;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

/// The pre-session (login CSRF) cookie.
pub const SIGNIN_COOKIE: &str = "bussola_signin";
/// How long a sign-in form stays valid.
const FORM_SECS: i64 = 3600;

/// `GET /signin` parameters.
#[derive(Deserialize, Default)]
pub struct SigninQuery {
    pub next: Option<String>,
    pub lang: Option<String>,
}

/// `POST /signin` fields.
#[derive(Deserialize, Default)]
pub struct SigninForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: Secret<String>,
    #[serde(default)]
    pub csrf_token: Option<String>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// `next` when it is a local path (`/…`, not `//…` or `/\…`, no control characters), else `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.len() <= 2048
                && !n.chars().any(char::is_control) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn words_for(lang: Option<&str>, headers: &HeaderMap) -> &'static Words {
    words::for_tag(&crate::api::lang::negotiate(lang, headers))
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.split(',').next())
        .is_some_and(|first| first.trim().starts_with("text/html"))
}

fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.origin.base(headers).starts_with("https://")
}

/// `GET /signin`: the form.
pub async fn form(
    State(state): State<AppState>,
    Query(q): Query<SigninQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let w = words_for(q.lang.as_deref(), &headers);
    let next = safe_next(q.next.as_deref());
    page(&state, &headers, w, &next, "", &[])
}

/// The form, with `errors` (field id, message) in the summary; sets a fresh form token.
fn page(
    state: &AppState,
    headers: &HeaderMap,
    w: &Words,
    next: &str,
    username: &str,
    errors: &[(&str, String)],
) -> Result<Response, ApiError> {
    let token = random::hex(32).map_err(ApiError::from)?;
    let base = state.origin.base(headers);
    let html = render(w, &base, next, username, &token, errors);
    let cookie = set_cookie(
        SIGNIN_COOKIE,
        &token,
        "/signin",
        FORM_SECS,
        secure(state, headers),
        "Strict",
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::SET_COOKIE, header_value(&cookie)?),
        ],
        html,
    )
        .into_response())
}

fn header_value(s: &str) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(s).map_err(|e| ApiError::Internal(anyhow::anyhow!("header: {e}")))
}

/// The page's HTML; every text from the request is escaped.
pub fn render(
    w: &Words,
    base: &str,
    next: &str,
    username: &str,
    token: &str,
    errors: &[(&str, String)],
) -> String {
    let e = esc;
    let summary = if errors.is_empty() {
        String::new()
    } else {
        let items: String = errors
            .iter()
            .map(|(field, msg)| format!("<li><a href=\"#{field}\">{}</a></li>", e(msg)))
            .collect();
        format!(
            "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-title\" tabindex=\"-1\" autofocus>\
             <h2 id=\"error-title\">{}</h2><ul>{items}</ul></div>",
            e(w.problem)
        )
    };
    let field = |id: &str, label: &str, kind: &str, auto: &str, value: &str| {
        let err = errors.iter().find(|(f, _)| *f == id);
        let (invalid, described, msg) = match err {
            Some((_, m)) => (
                " aria-invalid=\"true\"",
                format!(" aria-describedby=\"{id}-error\""),
                format!("<p id=\"{id}-error\" class=\"field-error\">{}</p>", e(m)),
            ),
            None => ("", String::new(), String::new()),
        };
        format!(
            "<p><label for=\"{id}\">{}</label>{msg}<input id=\"{id}\" name=\"{id}\" type=\"{kind}\" \
             autocomplete=\"{auto}\" required dir=\"ltr\" value=\"{}\"{invalid}{described}></p>",
            e(label),
            e(value)
        )
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{base}/api/html/style.css\"></head>\
         <body><main><h1>{title}</h1>{summary}\
         <form method=\"post\" action=\"{base}/signin\" novalidate>\
         <input type=\"hidden\" name=\"{csrf}\" value=\"{token}\">\
         <input type=\"hidden\" name=\"next\" value=\"{next}\">\
         <input type=\"hidden\" name=\"lang\" value=\"{lang}\">\
         {user}{pass}<p><button type=\"submit\">{submit}</button></p></form></main></body></html>\n",
        lang = w.code,
        dir = if w.rtl { "rtl" } else { "ltr" },
        title = e(w.title),
        base = e(base),
        csrf = csrf::FIELD,
        token = e(token),
        next = e(next),
        user = field("username", w.username, "text", "username", username),
        pass = field("password", w.password, "password", "current-password", ""),
        submit = e(w.submit),
    )
}

/// Text made safe for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `POST /signin`.
pub async fn submit(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    Form(f): Form<SigninForm>,
) -> Result<Response, ApiError> {
    let html = wants_html(&headers);
    let w = words_for(f.lang.as_deref(), &headers);
    let next = safe_next(f.next.as_deref());
    let again = |errors: &[(&str, String)]| page(&state, &headers, w, &next, &f.username, errors);
    let expected = session::cookie(&headers, SIGNIN_COOKIE);
    let form_ok = match (&expected, f.csrf_token.as_deref()) {
        (Some(c), Some(t)) => random::same(c.expose(), t),
        _ => false,
    };
    if !form_ok {
        if html {
            return again(&[("username", w.expired_form.to_owned())]);
        }
        return Err(ApiError::Forbidden(format!(
            "{}: the sign-in form's token is missing or does not match its cookie; load GET /signin first",
            csrf::FIELD
        )));
    }
    let mut missing = Vec::new();
    if f.username.trim().is_empty() {
        missing.push(("username", w.missing_username.to_owned()));
    }
    if f.password.expose().is_empty() {
        missing.push(("password", w.missing_password.to_owned()));
    }
    if let Some((field, _)) = missing.first() {
        if html {
            return again(&missing);
        }
        return Err(ApiError::bad(field, format!("{field} is required")));
    }
    let client = super::throttle::client_address(
        extensions.get::<ConnectInfo<SocketAddr>>().map(|p| p.0),
        &headers,
        state.accounts.trusted_proxies(),
    );
    match state
        .accounts
        .sign_in(&f.username, &f.password, client)
        .await
    {
        Ok(signed) => {
            let secure = secure(&state, &headers);
            let max_age = (signed.expires_at - chrono::Utc::now())
                .num_seconds()
                .max(0)
                .min(state.accounts.lifetimes().absolute.num_seconds());
            let session_cookie = set_cookie(
                session::COOKIE,
                signed.session_id.expose(),
                "/",
                max_age,
                secure,
                "Lax",
            );
            let clear = set_cookie(SIGNIN_COOKIE, "", "/signin", 0, secure, "Strict");
            let mut r = (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, header_value(&next)?)],
            )
                .into_response();
            let h = r.headers_mut();
            h.append(header::SET_COOKIE, header_value(&session_cookie)?);
            h.append(header::SET_COOKIE, header_value(&clear)?);
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(r)
        }
        Err(e) if html => {
            let msg = match &e {
                Error::WrongCredentials => w.wrong.to_owned(),
                Error::Throttled { retry_after } => w
                    .throttled
                    .replace("{n}", &retry_after.div_ceil(60).to_string()),
                Error::Busy => w.busy.to_owned(),
                _ => return Err(e.into()),
            };
            let mut r = again(&[("username", msg)])?;
            if let Error::Throttled { retry_after } = e {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            }
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /signout`: ends the session (the CSRF layer has checked the token), clears the
/// cookie and asks the browser to drop what it cached while signed in
/// (`Clear-Site-Data: "cache"`: the HTTP cache only, so the public app's offline copy in
/// Cache Storage stays); 303 to `/`.
pub async fn signout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(id) = session::cookie(&headers, session::COOKIE) {
        state.accounts.sign_out(&id).await?;
    }
    let clear = set_cookie(session::COOKIE, "", "/", 0, secure(&state, &headers), "Lax");
    let mut r = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, HeaderValue::from_static("/"))],
    )
        .into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, header_value(&clear)?);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(
        header::HeaderName::from_static("clear-site-data"),
        HeaderValue::from_static("\"cache\""),
    );
    Ok(r)
}

/// `GET /api/me`: who is asking, and for a session the CSRF token the web app must send.
pub async fn me(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let body = match viewer.username() {
        None => json!({ "signed_in": false }),
        Some(name) => {
            let user = state.accounts.store().user(name).await?;
            let mut body = json!({
                "signed_in": true,
                "username": name,
                "display_name": user.map(|u| u.display_name).unwrap_or_default(),
                "roles": viewer.roles(),
                "via": match &viewer {
                    crate::access::Viewer::Signed { via: Credential::Token, .. } => "token",
                    _ => "session",
                },
            });
            if bearer(&headers)?.is_none() {
                if let Some(id) = session::cookie(&headers, session::COOKIE) {
                    body["csrf_token"] = json!(session::csrf_token(&id).expose());
                }
            }
            body
        }
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::VARY,
                HeaderValue::from_static("cookie, authorization"),
            ),
        ],
        body.to_string(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_a_local_path_or_the_root() {
        for (given, expected) in [
            (Some("/#lang=ar&need=legal-aid"), "/#lang=ar&need=legal-aid"),
            (Some("/api/collections"), "/api/collections"),
            (Some("//evil.example/x"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("https://evil.example"), "/"),
            (Some("javascript:alert(1)"), "/"),
            (Some("/a\r\nSet-Cookie: x=1"), "/"),
            (None, "/"),
        ] {
            assert_eq!(safe_next(given), expected, "{given:?}");
        }
    }

    #[test]
    fn the_form_escapes_and_links_errors_to_fields() {
        let w = words::for_tag("ar-EG");
        let html = render(
            w,
            "http://h",
            "/x\"><script>",
            "<b>me</b>",
            "tok",
            &[("password", "bad".into())],
        );
        assert!(html.contains("lang=\"ar\" dir=\"rtl\""));
        assert!(!html.contains("<script>") && !html.contains("<b>"));
        assert!(html.contains("<a href=\"#password\">bad</a>"));
        assert!(html.contains("aria-describedby=\"password-error\""));
        assert!(html.contains("<label for=\"username\">"));
        assert!(!html.contains("style="));
        assert_eq!(words::for_tag("xx").code, "it");
    }
}
