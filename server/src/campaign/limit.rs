//! Link use, rate-limited per token and per client address (in memory, like the feedback
//! limiter): a guessed or leaked link cannot be hammered, and one address cannot try many.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// Keys are hashed into this many slots, so a flood shares slots rather than memory.
const SLOTS: u64 = 1 << 16;

pub struct Limiter {
    per_link: DefaultKeyedRateLimiter<u64>,
    per_address: DefaultKeyedRateLimiter<u64>,
    keys: std::collections::hash_map::RandomState,
    clock: DefaultClock,
}

fn quota(burst: u32, refill: Duration) -> Quota {
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(refill.max(Duration::from_millis(1)))
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Limiter {
    /// `per_link` uses of one link and `per_address` from one address in a burst, one more
    /// of each every `refill`.
    pub fn new(per_link: u32, per_address: u32, refill: Duration) -> Self {
        Limiter {
            per_link: DefaultKeyedRateLimiter::keyed(quota(per_link, refill)),
            per_address: DefaultKeyedRateLimiter::keyed(quota(per_address, refill)),
            keys: Default::default(),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one use of the link `token_hash` from `client`, or says how many seconds to
    /// wait.
    pub fn take(&self, token_hash: &str, client: IpAddr) -> Result<(), u64> {
        let address = match client {
            IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                self.keys.hash_one((6u8, s[0], s[1], s[2], s[3]))
            }
            IpAddr::V6(v6) => self.keys.hash_one((4u8, v6.to_ipv4_mapped())),
            IpAddr::V4(v4) => self.keys.hash_one((4u8, Some(v4))),
        } % SLOTS;
        let link = self.keys.hash_one(token_hash) % SLOTS;
        let wait = |n: governor::NotUntil<_>| {
            (n.wait_time_from(self.clock.now()).as_secs_f64().ceil() as u64).max(1)
        };
        self.per_address.check_key(&address).map_err(wait)?;
        self.per_link.check_key(&link).map_err(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_and_an_address_each_have_their_burst() {
        let l = Limiter::new(2, 3, Duration::from_secs(60));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(l.take("x", a).is_ok());
        assert!(l.take("x", b).is_ok());
        assert!(l.take("x", a).is_err(), "third use of one link");
        assert!(l.take("y", a).is_ok());
        assert!(l.take("z", a).is_err(), "fourth use from one address");
        assert!(l.take("z", b).is_ok());
    }
}
