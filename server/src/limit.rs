//! Rate limits held in memory, with `governor` (GCRA): sign-in attempts, the public's
//! feedback and the use of campaign links each take from buckets of this one kind.
//!
//! Memory is bounded by construction: keys (names, link hashes, client addresses) are hashed
//! with a per-process random key, so collisions cannot be aimed, into a fixed number of
//! slots, so a flood of distinct keys shares slots rather than growing the table; slots that
//! have refilled are dropped by [`Buckets::sweep`]. Nothing here is stored or logged.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::hash::{BuildHasher, Hash};
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::time::Duration;

/// The most slots one set of buckets keeps.
pub const SLOTS: u64 = 1 << 16;

/// One bucket per key (per slot): `burst` takes at once, one more every `refill`.
pub struct Buckets {
    limiter: DefaultKeyedRateLimiter<u64>,
    keys: std::collections::hash_map::RandomState,
    clock: DefaultClock,
}

impl Buckets {
    pub fn new(burst: u32, refill: Duration) -> Self {
        let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(refill.max(Duration::from_millis(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Buckets {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            keys: Default::default(),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one from `key`'s bucket, or says how many whole seconds (at least 1) to wait.
    pub fn take(&self, key: impl Hash) -> Result<(), u64> {
        let slot = self.keys.hash_one(key) % SLOTS;
        self.limiter
            .check_key(&slot)
            .map_err(|n| (n.wait_time_from(self.clock.now()).as_secs_f64().ceil() as u64).max(1))
    }

    /// Forgets slots that have refilled; returns how many remain.
    pub fn sweep(&self) -> usize {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
        self.limiter.len()
    }
}

/// A client address as it is limited: IPv4 whole (an IPv4-mapped IPv6 address as its IPv4),
/// IPv6 by its /64 (one household or host).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Address {
    V4(Ipv4Addr),
    V6Net([u16; 4]),
}

impl From<IpAddr> for Address {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Address::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Address::V4(v4),
                None => {
                    let s = v6.segments();
                    Address::V6Net([s[0], s[1], s[2], s[3]])
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Address {
        s.parse::<IpAddr>().unwrap().into()
    }

    #[test]
    fn a_key_past_its_burst_waits_and_others_do_not() {
        let b = Buckets::new(2, Duration::from_secs(60));
        assert!(b.take("a").is_ok());
        assert!(b.take("a").is_ok());
        let wait = b.take("a").unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(b.take("b").is_ok());
    }

    #[test]
    fn ipv6_is_limited_by_its_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(ip("2001:db8::1"), ip("2001:db8::2"));
        assert_ne!(ip("2001:db8::1"), ip("2001:db8:0:1::1"));
        assert_eq!(ip("::ffff:192.0.2.1"), ip("192.0.2.1"));
        assert_ne!(ip("192.0.2.1"), ip("192.0.2.2"));
    }

    #[test]
    fn the_sweep_forgets_slots_once_they_have_refilled() {
        let b = Buckets::new(2, Duration::from_millis(5));
        for i in 1..=3u8 {
            let _ = b.take(Address::from(IpAddr::from([192, 0, 2, i])));
        }
        assert_eq!(b.sweep(), 3, "just used: every slot is kept");
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(b.sweep(), 0, "refilled: none is kept");
        assert!(b.take("x").is_ok());
        assert_eq!(b.sweep(), 1);
    }

    #[test]
    fn memory_stays_bounded_under_many_keys() {
        let b = Buckets::new(1, Duration::from_secs(60));
        for i in 0..200_000u32 {
            let _ = b.take(i);
        }
        assert!(b.sweep() as u64 <= SLOTS);
    }
}
