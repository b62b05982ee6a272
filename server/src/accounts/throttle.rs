//! Sign-in throttling, per account and per client address ([`crate::limit::Buckets`]).
//!
//! Every sign-in attempt takes from both its account's and its address's bucket; once either
//! is empty the attempt is refused with 429 and `Retry-After` before any password is checked
//! — the right password included, so guessing cannot go on by luck. Buckets refill one
//! attempt per configured period; memory is bounded (see [`crate::limit`]).

use super::error::{Error, Result};
use crate::config::TrustedProxy;
use crate::limit::{Address, Buckets};
use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// The two sets of buckets.
pub struct Throttle {
    accounts: Buckets,
    addresses: Buckets,
}

impl Throttle {
    /// `per_account` and `per_address` attempts in a burst, each refilled one per `refill`.
    pub fn new(per_account: u32, per_address: u32, refill: Duration) -> Self {
        Throttle {
            accounts: Buckets::new(per_account, refill),
            addresses: Buckets::new(per_address, refill),
        }
    }

    /// Takes one attempt for `account` from `client`, or says how long to wait.
    pub fn attempt(&self, account: &str, client: IpAddr) -> Result<()> {
        let wait = |retry_after| Error::Throttled { retry_after };
        self.addresses.take(Address::from(client)).map_err(wait)?;
        self.accounts
            .take(account.trim().to_ascii_lowercase())
            .map_err(wait)
    }

    /// Forgets slots that have fully refilled; returns how many slots remain.
    pub fn sweep(&self) -> usize {
        self.accounts.sweep() + self.addresses.sweep()
    }
}

/// The client's address: the connection's peer, or — when the peer is a trusted proxy — the
/// last address in `X-Forwarded-For` (or `Forwarded: for=`) that is not itself a trusted proxy.
pub fn client_address(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted: &[TrustedProxy],
) -> IpAddr {
    let unspecified = IpAddr::from([0, 0, 0, 0]);
    let Some(peer) = peer.map(|p| p.ip()) else {
        return unspecified;
    };
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let mut hops: Vec<IpAddr> = Vec::new();
    for v in headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for element in v.split(',') {
            for pair in element.split(';') {
                if let Some((k, val)) = pair.split_once('=') {
                    if k.trim().eq_ignore_ascii_case("for") {
                        if let Some(ip) = parse_node(val) {
                            hops.push(ip);
                        }
                    }
                }
            }
        }
    }
    if hops.is_empty() {
        for v in headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            hops.extend(v.split(',').filter_map(parse_node));
        }
    }
    hops.into_iter()
        .rev()
        .find(|ip| !is_trusted(*ip))
        .unwrap_or(peer)
}

/// `1.2.3.4`, `"[2001:db8::1]:4711"`, `1.2.3.4:80` → the address.
fn parse_node(s: &str) -> Option<IpAddr> {
    let s = s.trim().trim_matches('"');
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(sa.ip());
    }
    s.strip_prefix('[')
        .and_then(|r| r.split(']').next())
        .and_then(|r| r.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_attempt_past_the_burst_is_refused_with_a_wait() {
        let t = Throttle::new(3, 100, Duration::from_secs(60));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            t.attempt("m.rossi", ip).unwrap();
        }
        match t.attempt("M.Rossi", ip) {
            Err(Error::Throttled { retry_after }) => assert!((1..=60).contains(&retry_after)),
            other => panic!("{other:?}"),
        }
        t.attempt("someone.else", ip).unwrap();
    }

    #[test]
    fn addresses_are_throttled_across_names() {
        let t = Throttle::new(100, 2, Duration::from_secs(60));
        let ip: IpAddr = "2001:db8::1".parse().unwrap();
        let same_64: IpAddr = "2001:db8::ffff".parse().unwrap();
        t.attempt("a", ip).unwrap();
        t.attempt("b", same_64).unwrap();
        assert!(t.attempt("c", ip).is_err());
        t.attempt("d", "2001:db8:1::1".parse().unwrap()).unwrap();
    }

    #[test]
    fn only_trusted_proxies_may_name_the_client() {
        let trusted: Vec<TrustedProxy> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.7, 203.0.113.5, 10.0.0.2"),
        );
        let proxy: SocketAddr = "10.0.0.1:443".parse().unwrap();
        let stranger: SocketAddr = "192.0.2.9:443".parse().unwrap();
        assert_eq!(
            client_address(Some(proxy), &h, &trusted),
            "203.0.113.5".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_address(Some(stranger), &h, &trusted), stranger.ip());
        assert_eq!(client_address(Some(stranger), &h, &[]), stranger.ip());
        h.insert(
            "forwarded",
            HeaderValue::from_static("for=\"[2001:db8::7]:1\""),
        );
        assert_eq!(
            client_address(Some(proxy), &h, &trusted),
            "2001:db8::7".parse::<IpAddr>().unwrap()
        );
    }
}
