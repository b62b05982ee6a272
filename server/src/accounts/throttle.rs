//! Sign-in throttling, per account and per client address, with `governor` (GCRA).
//!
//! Every sign-in attempt takes a cell from both its account's and its address's bucket;
//! once either is empty the attempt is refused with 429 and `Retry-After` before any
//! password is checked — the right password included, so guessing cannot go on by luck.
//! Buckets refill one attempt per configured period.
//!
//! Memory is bounded by construction: names and addresses are hashed (with a per-process
//! random key, so collisions cannot be aimed) into a fixed number of slots, so a flood of
//! distinct names or addresses shares slots rather than growing the table; idle slots are
//! dropped by [`Throttle::sweep`].

use super::error::{Error, Result};
use crate::config::TrustedProxy;
use axum::http::HeaderMap;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::hash::BuildHasher;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

/// The most slots each limiter keeps.
pub const SLOTS: u64 = 1 << 16;

/// The two limiters.
pub struct Throttle {
    accounts: DefaultKeyedRateLimiter<u64>,
    addresses: DefaultKeyedRateLimiter<u64>,
    keys: std::collections::hash_map::RandomState,
    clock: DefaultClock,
}

fn quota(burst: u32, refill: Duration) -> Quota {
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(refill.max(Duration::from_millis(1)))
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Throttle {
    /// `per_account` and `per_address` attempts in a burst, each refilled one per `refill`.
    pub fn new(per_account: u32, per_address: u32, refill: Duration) -> Self {
        Throttle {
            accounts: DefaultKeyedRateLimiter::keyed(quota(per_account, refill)),
            addresses: DefaultKeyedRateLimiter::keyed(quota(per_address, refill)),
            keys: Default::default(),
            clock: DefaultClock::default(),
        }
    }

    fn slot(&self, kind: u8, text: &str) -> u64 {
        self.keys.hash_one((kind, text)) % SLOTS
    }

    /// Takes one attempt for `account` from `client`, or says how long to wait.
    pub fn attempt(&self, account: &str, client: IpAddr) -> Result<()> {
        let account = account.trim().to_ascii_lowercase();
        let address = self.slot(1, &address_key(client));
        let wait = |n: governor::NotUntil<_>| {
            let secs = n.wait_time_from(self.clock.now()).as_secs_f64().ceil() as u64;
            Error::Throttled {
                retry_after: secs.max(1),
            }
        };
        self.addresses.check_key(&address).map_err(wait)?;
        self.accounts
            .check_key(&self.slot(0, &account))
            .map_err(wait)?;
        Ok(())
    }

    /// Forgets slots that have fully refilled; returns how many slots remain.
    pub fn sweep(&self) -> usize {
        self.accounts.retain_recent();
        self.addresses.retain_recent();
        self.accounts.len() + self.addresses.len()
    }
}

/// Addresses as they are throttled: IPv4 whole, IPv6 by its /64 (one household or host).
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
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
    fn memory_stays_bounded_under_many_names() {
        let t = Throttle::new(5, 1_000_000, Duration::from_secs(60));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for i in 0..200_000u32 {
            let _ = t.attempt(&format!("user{i}"), ip);
        }
        assert!(t.accounts.len() as u64 <= SLOTS, "{}", t.accounts.len());
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
