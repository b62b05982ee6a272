//! Link use, rate-limited per token and per client address ([`crate::limit::Buckets`], like
//! sign-in and feedback): a guessed or leaked link cannot be hammered, and one address cannot
//! try many.

use crate::limit::{Address, Buckets};
use std::net::IpAddr;
use std::time::Duration;

pub struct Limiter {
    per_link: Buckets,
    per_address: Buckets,
}

impl Limiter {
    /// `per_link` uses of one link and `per_address` from one address in a burst, one more
    /// of each every `refill`.
    pub fn new(per_link: u32, per_address: u32, refill: Duration) -> Self {
        Limiter {
            per_link: Buckets::new(per_link, refill),
            per_address: Buckets::new(per_address, refill),
        }
    }

    /// Takes one use of the link `token_hash` from `client`, or says how many seconds to
    /// wait.
    pub fn take(&self, token_hash: &str, client: IpAddr) -> Result<(), u64> {
        self.per_address.take(Address::from(client))?;
        self.per_link.take(token_hash)
    }

    /// Forgets slots that have refilled (the server's periodic sweep); how many remain.
    pub fn sweep(&self) -> usize {
        self.per_link.sweep() + self.per_address.sweep()
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
