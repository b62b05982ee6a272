//! Where absolute links point. Never at the request's `Host` (any client can write
//! `Host: evil.example` and have it cached or mailed as a link): at the configured public URL
//! when there is one, and otherwise at the bind address — or at what a *trusted* proxy says
//! in `Forwarded` / `X-Forwarded-Proto` / `X-Forwarded-Host`. Forwarding headers from any
//! other peer, or from anyone when a public URL is set, are removed before a handler runs.

use crate::config::{Config, TrustedProxy};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;

/// The forwarding headers links may be made from (from a trusted proxy only).
const FORWARDING: [&str; 4] = [
    "forwarded",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
];

/// The link policy, from the configuration.
#[derive(Clone, Debug)]
pub struct Origin {
    public: Option<String>,
    /// `http://` and the bind address.
    fallback_host: String,
    trusted: Vec<TrustedProxy>,
}

impl Origin {
    /// The policy `config` describes.
    pub fn new(config: &Config) -> Self {
        Origin {
            public: config.public_url.as_ref().map(|u| u.as_str().to_owned()),
            fallback_host: config.bind.to_string(),
            trusted: config.trusted_proxies.clone(),
        }
    }

    /// True when `peer`'s forwarding headers are believed.
    fn believes(&self, peer: Option<SocketAddr>) -> bool {
        self.public.is_none()
            && peer.is_some_and(|p| self.trusted.iter().any(|t| t.contains(p.ip())))
    }

    /// The base of absolute links (`scheme://host[/prefix]`, no trailing slash), from headers
    /// that went through [`sift`].
    pub fn base(&self, headers: &HeaderMap) -> String {
        if let Some(public) = &self.public {
            return public.clone();
        }
        let (proto, host) = forwarded(headers);
        format!(
            "{}://{}",
            proto.unwrap_or("http"),
            host.unwrap_or(&self.fallback_host)
        )
    }
}

/// Middleware: drops forwarding headers unless the peer is a trusted proxy.
pub async fn sift(State(origin): State<Arc<Origin>>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !origin.believes(peer) {
        for name in FORWARDING {
            req.headers_mut().remove(name);
        }
    }
    next.run(req).await
}

/// The scheme and host a proxy forwarded: `Forwarded` (RFC 7239, first element) first, then
/// `X-Forwarded-Proto` / `X-Forwarded-Host` (first value). Values that are not a plain scheme
/// or host are ignored.
fn forwarded(headers: &HeaderMap) -> (Option<&'static str>, Option<&str>) {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let mut proto = None;
    let mut host = None;
    if let Some(first) = text("forwarded").and_then(|v| v.split(',').next()) {
        for pair in first.split(';') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_lowercase().as_str() {
                "proto" => proto = scheme(value),
                "host" => host = Some(value).filter(|h| is_host(h)),
                _ => {}
            }
        }
    }
    let first = |v: &'static str| text(v).and_then(|v| v.split(',').next()).map(str::trim);
    (
        proto.or_else(|| first("x-forwarded-proto").and_then(scheme)),
        host.or_else(|| first("x-forwarded-host").filter(|h| is_host(h))),
    )
}

fn scheme(s: &str) -> Option<&'static str> {
    match s.to_ascii_lowercase().as_str() {
        "http" => Some("http"),
        "https" => Some("https"),
        _ => None,
    }
}

/// A host name or address with an optional port: nothing that could end or escape a URL.
fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn origin(public: Option<&str>, trusted: &[&str]) -> Origin {
        Origin {
            public: public.map(str::to_owned),
            fallback_host: "127.0.0.1:8080".into(),
            trusted: trusted.iter().map(|t| t.parse().unwrap()).collect(),
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_trusted_peers_are_believed_and_never_with_a_public_url() {
        let proxy: SocketAddr = "10.0.0.1:5000".parse().unwrap();
        let other: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        let o = origin(None, &["10.0.0.0/8"]);
        assert!(o.believes(Some(proxy)));
        assert!(!o.believes(Some(other)));
        assert!(!o.believes(None));
        assert!(!origin(Some("https://b.example.org"), &["10.0.0.0/8"]).believes(Some(proxy)));
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_and_bad_values_are_ignored() {
        let o = origin(None, &[]);
        let h = headers(&[
            (
                "forwarded",
                "for=1.2.3.4;proto=https;host=\"b.example.org\", for=5.6.7.8",
            ),
            ("x-forwarded-host", "other.example"),
        ]);
        assert_eq!(o.base(&h), "https://b.example.org");
        let h = headers(&[
            ("x-forwarded-proto", "https, http"),
            ("x-forwarded-host", "b.example.org:8443"),
        ]);
        assert_eq!(o.base(&h), "https://b.example.org:8443");
        let h = headers(&[
            ("x-forwarded-proto", "javascript"),
            ("x-forwarded-host", "evil.example/x?"),
        ]);
        assert_eq!(o.base(&h), "http://127.0.0.1:8080");
        assert_eq!(
            origin(Some("https://b.example.org/dir"), &[]).base(&h),
            "https://b.example.org/dir"
        );
    }
}
