//! Heavy work kept off the async workers: a cap on how many heavy requests run at once, a
//! deadline that really stops them, and bodies streamed a chunk at a time.
//!
//! A request is *heavy* when its cost grows with the data rather than with the page: a CQL2
//! filter, a large page, the services collection, the bundle. Such work runs on the blocking
//! pool ([`Gate::run`]) under a permit; past the cap the request waits a moment, then gets
//! 503 with `Retry-After` rather than piling up. The work checks its [`Deadline`] as it goes,
//! so a query that would run for minutes stops at the deadline and frees its thread, instead
//! of running on after the client has been told it timed out.

use super::error::{Error, Result};
use axum::body::{Body, Bytes};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The cap on concurrent heavy requests.
#[derive(Clone)]
pub struct Gate {
    permits: Arc<Semaphore>,
    /// How long a request may wait for a permit before it is turned away.
    wait: Duration,
    /// How long the work itself may take.
    deadline: Duration,
}

impl Gate {
    /// `permits` heavy requests at once; a further one waits up to `wait`, then is refused.
    pub fn new(permits: usize, wait: Duration, deadline: Duration) -> Self {
        Gate {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            wait,
            deadline,
        }
    }

    /// Heavy requests running now.
    pub fn in_use(&self, total: usize) -> usize {
        total.saturating_sub(self.permits.available_permits())
    }

    async fn enter(&self) -> Result<OwnedSemaphorePermit> {
        match tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                ::metrics::counter!("bussola_rejected_requests_total", "reason" => "heavy_cap")
                    .increment(1);
                Err(Error::Busy)
            }
        }
    }

    /// Runs `work` on the blocking pool under a permit, with this gate's deadline.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Deadline) -> Result<T> + Send + 'static,
    {
        let permit = self.enter().await?;
        let deadline = Deadline::after(self.deadline);
        let outcome = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(deadline)
        })
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("heavy work panicked: {e}")))?;
        if matches!(outcome, Err(Error::Timeout(_))) {
            ::metrics::counter!("bussola_rejected_requests_total", "reason" => "deadline")
                .increment(1);
        }
        outcome
    }
}

/// When heavy work must stop.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    /// `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Deadline {
            at: Instant::now() + budget,
            budget,
        }
    }

    /// No limit (for callers outside HTTP, and tests).
    pub fn none() -> Self {
        Deadline::after(Duration::from_secs(365 * 24 * 3600))
    }

    /// An error once the deadline has passed.
    pub fn check(&self) -> Result<()> {
        if Instant::now() >= self.at {
            Err(Error::Timeout(self.budget))
        } else {
            Ok(())
        }
    }

    /// A checker for loops: [`Ticker::tick`] reads the clock every 256 calls.
    pub fn ticker(self) -> Ticker {
        Ticker {
            deadline: self,
            count: 0,
            expired: false,
        }
    }
}

/// Counts loop iterations and looks at the clock now and then.
pub struct Ticker {
    deadline: Deadline,
    count: u32,
    expired: bool,
}

impl Ticker {
    /// False once the deadline has passed (and from then on).
    pub fn tick(&mut self) -> bool {
        self.count = self.count.wrapping_add(1);
        if !self.expired && self.count.is_multiple_of(256) {
            self.expired = self.deadline.check().is_err();
        }
        !self.expired
    }

    /// The timeout error if the deadline passed while ticking.
    pub fn finish(&self) -> Result<()> {
        if self.expired {
            Err(Error::Timeout(self.deadline.budget))
        } else {
            Ok(())
        }
    }
}

/// Roughly how many bytes one streamed chunk holds.
pub const CHUNK: usize = 64 * 1024;

/// A body written `head`, then the items rendered a chunk at a time as the client reads, then
/// `tail`. Memory per response is one chunk plus the item list, whatever the page size and
/// however slowly the client reads.
pub fn stream<T, R>(head: Vec<u8>, items: Vec<T>, tail: &'static [u8], mut render: R) -> Body
where
    T: Send + 'static,
    R: FnMut(&T, &mut Vec<u8>) + Send + 'static,
{
    let mut items = items.into_iter();
    let mut head = Some(head);
    let mut done = false;
    let chunks = futures::stream::poll_fn(move |_| {
        if done {
            return std::task::Poll::Ready(None);
        }
        let mut out = head.take().unwrap_or_default();
        out.reserve(CHUNK + CHUNK / 4);
        while out.len() < CHUNK {
            match items.next() {
                Some(item) => render(&item, &mut out),
                None => {
                    out.extend_from_slice(tail);
                    done = true;
                    break;
                }
            }
        }
        std::task::Poll::Ready(Some(Ok::<_, std::convert::Infallible>(Bytes::from(out))))
    });
    Body::from_stream(chunks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn streamed_body_is_head_items_tail_in_bounded_chunks() {
        let items: Vec<u32> = (0..50_000).collect();
        let body = stream(b"[".to_vec(), items, b"]", |i, out| {
            if *i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(i.to_string().as_bytes());
        });
        let mut frames = 0;
        let mut all = Vec::new();
        let mut body = body;
        while let Some(frame) = body.frame().await {
            let data = frame.expect("frame").into_data().expect("data");
            assert!(data.len() <= CHUNK + 16, "chunk of {} bytes", data.len());
            all.extend_from_slice(&data);
            frames += 1;
        }
        assert!(frames > 3, "{frames} frames");
        let parsed: Vec<u32> = serde_json::from_slice(&all).expect("valid JSON");
        assert_eq!(parsed, (0..50_000).collect::<Vec<_>>());
    }

    #[test]
    fn ticker_stops_after_the_deadline() {
        let mut t = Deadline::after(Duration::from_millis(0)).ticker();
        let mut n = 0;
        while t.tick() {
            n += 1;
            assert!(n < 10_000, "never expired");
        }
        assert!(n < 256, "expired after {n} ticks");
        assert!(matches!(t.finish(), Err(Error::Timeout(_))));
        let mut ok = Deadline::none().ticker();
        assert!((0..10_000).all(|_| ok.tick()));
        assert!(ok.finish().is_ok());
    }

    #[tokio::test]
    async fn gate_turns_away_past_the_cap() {
        let gate = Gate::new(1, Duration::from_millis(50), Duration::from_secs(5));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let g = gate.clone();
        let first = tokio::spawn(async move {
            g.run(move |_| {
                let _ = rx.recv();
                Ok(1)
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let second = gate.run(|_| Ok(2)).await;
        assert!(matches!(second, Err(Error::Busy)), "{second:?}");
        tx.send(()).expect("release");
        assert_eq!(first.await.expect("join").expect("first runs"), 1);
        assert_eq!(gate.run(|_| Ok(3)).await.expect("free again"), 3);
    }
}
