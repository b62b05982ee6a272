//! What one connection is doing, as the timeouts and the connection cap need to know it:
//! requests in flight, when it went idle, when the next request head started arriving, whether
//! a write is stuck on a client that does not read. The socket wrapper [`Watched`] and the
//! request guard [`InFlight`] keep it current; [`Activity::deadline`] turns it into the one
//! moment the connection must be closed at.

use super::Limits;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Instant;

/// Which timeout closes a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeout {
    /// The request head did not arrive in time (nginx `client_header_timeout`).
    Header,
    /// Kept alive and idle too long (nginx `keepalive_timeout`).
    Keepalive,
    /// The client stopped reading the response (nginx `send_timeout`).
    Send,
}

impl Timeout {
    /// The metric label.
    pub fn as_str(self) -> &'static str {
        match self {
            Timeout::Header => "header_timeout",
            Timeout::Keepalive => "keepalive_timeout",
            Timeout::Send => "send_timeout",
        }
    }
}

#[derive(Debug)]
struct State {
    in_flight: usize,
    /// When the last request finished (or the connection opened).
    idle_since: Instant,
    /// First byte of the next request head, once any arrived while idle.
    head_started: Option<Instant>,
    /// Requests answered on this connection.
    served: u64,
    /// Since when a write has been waiting for the client to read.
    write_blocked_since: Option<Instant>,
}

/// One connection's activity, shared by its socket, its requests and its task.
#[derive(Debug)]
pub struct Activity {
    state: Mutex<State>,
    /// Signalled when the deadline may have moved.
    pub changed: Notify,
    /// Signalled when the connection cap needs this idle connection's slot.
    pub evict: Notify,
    evicted: AtomicBool,
}

impl Activity {
    /// A connection that has just been accepted.
    pub fn new() -> Self {
        Activity {
            state: Mutex::new(State {
                in_flight: 0,
                idle_since: Instant::now(),
                head_started: None,
                served: 0,
                write_blocked_since: None,
            }),
            changed: Notify::new(),
            evict: Notify::new(),
            evicted: AtomicBool::new(false),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is plain data; a panic elsewhere cannot leave it inconsistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// No request in flight and no response waiting on the client: closing loses nothing.
    pub fn is_idle(&self) -> bool {
        let s = self.state();
        s.in_flight == 0 && s.write_blocked_since.is_none()
    }

    /// When the connection last did something, for choosing whom to evict (oldest first).
    pub fn idle_since(&self) -> Instant {
        self.state().idle_since
    }

    /// Marks the connection as chosen for eviction; false if it already was.
    pub fn mark_evicted(&self) -> bool {
        !self.evicted.swap(true, Ordering::AcqRel)
    }

    /// True once chosen for eviction.
    pub fn is_evicted(&self) -> bool {
        self.evicted.load(Ordering::Acquire)
    }

    fn read_some(&self) {
        let mut s = self.state();
        if s.in_flight == 0 && s.head_started.is_none() {
            s.head_started = Some(Instant::now());
            drop(s);
            self.changed.notify_one();
        }
    }

    fn write_pending(&self) {
        let mut s = self.state();
        if s.write_blocked_since.is_none() {
            s.write_blocked_since = Some(Instant::now());
            drop(s);
            self.changed.notify_one();
        }
    }

    fn write_progressed(&self) {
        let mut s = self.state();
        if s.write_blocked_since.take().is_some() {
            drop(s);
            self.changed.notify_one();
        }
    }

    fn request_started(&self) {
        let mut s = self.state();
        s.in_flight += 1;
        s.head_started = None;
    }

    fn request_finished(&self) {
        let mut s = self.state();
        s.in_flight = s.in_flight.saturating_sub(1);
        if s.in_flight == 0 {
            s.idle_since = Instant::now();
            s.head_started = None;
            s.served += 1;
        }
        drop(s);
        self.changed.notify_one();
    }

    /// When, and why, the connection must be closed if nothing changes; `None` while a
    /// request is being handled (the request timeout bounds that).
    pub fn deadline(&self, limits: &Limits) -> Option<(Instant, Timeout)> {
        let s = self.state();
        if let Some(t) = s.write_blocked_since {
            return Some((t + limits.send_timeout, Timeout::Send));
        }
        if s.in_flight > 0 {
            return None;
        }
        Some(match (s.served, s.head_started) {
            // The first request: nginx counts client_header_timeout from the accept.
            (0, _) => (s.idle_since + limits.header_timeout, Timeout::Header),
            (_, Some(t)) => (t + limits.header_timeout, Timeout::Header),
            (_, None) => (s.idle_since + limits.keepalive_timeout, Timeout::Keepalive),
        })
    }
}

/// Held by a request from its head to the end of its response body.
pub struct InFlight(Arc<Activity>);

impl InFlight {
    /// Counts a request as started on this connection.
    pub fn start(activity: Arc<Activity>) -> Self {
        activity.request_started();
        InFlight(activity)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.request_finished();
    }
}

/// A socket that reports reads and stuck writes to its [`Activity`].
pub struct Watched<IO> {
    io: IO,
    activity: Arc<Activity>,
}

impl<IO> Watched<IO> {
    /// Wraps `io`.
    pub fn new(io: IO, activity: Arc<Activity>) -> Self {
        Watched { io, activity }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Watched<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let out = Pin::new(&mut this.io).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.read_some();
        }
        out
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Watched<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let out = Pin::new(&mut this.io).poll_write(cx, buf);
        this.note_write(&out);
        out
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let out = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.note_write(&out);
        out
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let out = Pin::new(&mut this.io).poll_flush(cx);
        this.note_write(&out);
        out
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

impl<IO> Watched<IO> {
    fn note_write<T>(&self, out: &Poll<T>) {
        match out {
            Poll::Pending => self.activity.write_pending(),
            Poll::Ready(_) => self.activity.write_progressed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limits() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            keepalive_timeout: Duration::from_secs(75),
            send_timeout: Duration::from_secs(60),
            max_connections: 10,
            shutdown_timeout: Duration::from_secs(10),
        }
    }

    /// The deadline's reason and how far from now it is, to the second.
    fn due(a: &Activity) -> Option<(u64, Timeout)> {
        a.deadline(&limits()).map(|(at, why)| {
            let left = at.saturating_duration_since(Instant::now()).as_millis() as u64;
            ((left + 500) / 1000, why)
        })
    }

    #[test]
    fn each_phase_has_its_own_timeout() {
        let a = Arc::new(Activity::new());
        assert_eq!(
            due(&a),
            Some((10, Timeout::Header)),
            "first request: header"
        );
        let req = InFlight::start(a.clone());
        assert_eq!(
            due(&a),
            None,
            "a request in flight has no connection deadline"
        );
        assert!(!a.is_idle());
        drop(req);
        assert!(a.is_idle());
        assert_eq!(due(&a), Some((75, Timeout::Keepalive)), "kept alive, idle");
        a.read_some();
        assert_eq!(
            due(&a),
            Some((10, Timeout::Header)),
            "the next head started"
        );
        a.write_pending();
        assert!(!a.is_idle());
        assert_eq!(
            due(&a),
            Some((60, Timeout::Send)),
            "a write waits on the client"
        );
        a.write_progressed();
        assert!(a.is_idle());
    }
}
