//! The connection layer, as nginx does it: `axum::serve` has no header-read timeout, no idle
//! timeout and no cap on connections, so we run hyper (HTTP/1.1) over our own accept loop.
//!
//! - a request head must arrive within the header timeout; an idle kept-alive connection is
//!   closed after the keep-alive timeout; a client that stops reading its response is dropped
//!   after the send timeout ([`activity`]);
//! - at most `max_connections` are open, fitted under the open-file limit ([`rlimit`]); at the
//!   cap the least recently active idle connection makes room, and only when all are busy is a
//!   new one refused with a 503 ([`registry`]);
//! - shutdown stops accepting, closes idle connections at once, lets requests in flight finish
//!   and closes everything still open when the shutdown timeout is up.
//!
//! HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a reverse proxy terminates and
//! which speaks HTTP/1.1 to us, as nginx does to its upstreams.

mod activity;
mod connection;
mod registry;
pub mod rlimit;

use crate::api::metrics;
use crate::config::Config;
use registry::Registry;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

/// The connection limits in force (the configured ones, the cap fitted to the file limit).
#[derive(Clone, Debug)]
pub struct Limits {
    pub header_timeout: Duration,
    pub keepalive_timeout: Duration,
    pub send_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_timeout: Duration,
}

impl Limits {
    /// The configured limits, with the open-file limit raised as allowed and the connection
    /// cap lowered below it; both are logged.
    pub fn from_config(config: &Config) -> Self {
        let files = rlimit::raise_for(config.max_connections);
        let max_connections = rlimit::fit(config.max_connections, files);
        if max_connections < config.max_connections {
            tracing::warn!(
                open_file_limit = files,
                configured = config.max_connections,
                max_connections,
                "connection cap lowered to fit the open-file limit"
            );
        }
        let limits = Limits {
            header_timeout: config.header_timeout(),
            keepalive_timeout: config.keepalive_timeout(),
            send_timeout: config.send_timeout(),
            max_connections,
            shutdown_timeout: config.shutdown_timeout(),
        };
        tracing::info!(
            open_file_limit = files,
            max_connections,
            header_timeout_secs = limits.header_timeout.as_secs(),
            keepalive_timeout_secs = limits.keepalive_timeout.as_secs(),
            send_timeout_secs = limits.send_timeout.as_secs(),
            shutdown_timeout_secs = limits.shutdown_timeout.as_secs(),
            "connection limits"
        );
        metrics::connection_limit(max_connections);
        limits
    }
}

/// Where a server is in its life; every connection watches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Running,
    /// Not accepting; idle connections close, requests in flight finish.
    Draining,
    /// The shutdown timeout is up: every connection closes now.
    Force,
}

/// The answer to a connection that finds every slot busy (written without reading the
/// request, so it costs nothing).
const FULL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
content-type: application/problem+json\r\n\
retry-after: 1\r\n\
connection: close\r\n\
content-length: 147\r\n\
\r\n\
{\"type\":\"https://bussola.example/problems/overloaded\",\"title\":\"Overloaded\",\"status\":503,\"detail\":\"every connection is busy; try again in a second\"}";

/// Serves `router` on `listener` until `shutdown` resolves, then shuts down within
/// `limits.shutdown_timeout` whatever the clients do.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let registry = Registry::new(limits.max_connections);
    let limits = Arc::new(limits);
    let (phase_tx, phase_rx) = watch::channel(Phase::Running);
    let (running_tx, mut running_rx) = mpsc::channel::<()>(1);
    let turning_away = Arc::new(AtomicUsize::new(0));
    tokio::pin!(shutdown);
    loop {
        // Evicted connections close on their own tasks; let them before taking more, so the
        // cap holds and the descriptors kept in reserve stay free.
        while registry.len() > limits.max_connections + EVICTION_SLACK {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(conn) => conn,
            Err(e) if is_per_connection(&e) => continue,
            Err(e) => {
                // Out of file descriptors (or memory): make room and back off a little rather
                // than spin, as nginx does.
                tracing::warn!(error = %e, open = registry.len(), "accept failed");
                registry.evict_one();
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(slot) = registry.admit() else {
            metrics::rejected("connection_cap");
            turn_away(stream, &turning_away);
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection::serve(
            stream,
            peer,
            router.clone(),
            slot,
            limits.clone(),
            phase_rx.clone(),
            running_tx.clone(),
        ));
    }
    drop(listener);
    drop(running_tx);
    tracing::info!(
        open = registry.len(),
        "stopped accepting; finishing requests in flight"
    );
    let _ = phase_tx.send(Phase::Draining);
    if tokio::time::timeout(limits.shutdown_timeout, running_rx.recv())
        .await
        .is_err()
    {
        tracing::warn!(
            open = registry.len(),
            "shutdown timeout reached: closing the remaining connections"
        );
        let _ = phase_tx.send(Phase::Force);
        let _ = tokio::time::timeout(Duration::from_secs(1), running_rx.recv()).await;
    }
}

/// How many evicted connections may still be closing before accepting pauses.
const EVICTION_SLACK: usize = 16;

/// Connections being turned away at once, at most (each holds a descriptor for a moment).
const MAX_TURNING_AWAY: usize = 16;

/// Answers [`FULL`] and closes. The request is read (and dropped) for up to a second first,
/// so that closing does not reset the connection before the client reads the 503.
fn turn_away(stream: tokio::net::TcpStream, turning_away: &Arc<AtomicUsize>) {
    if stream.try_write(FULL).is_err() {
        return;
    }
    if turning_away.fetch_add(1, Ordering::AcqRel) >= MAX_TURNING_AWAY {
        turning_away.fetch_sub(1, Ordering::AcqRel);
        return;
    }
    let turning_away = turning_away.clone();
    tokio::spawn(async move {
        let mut stream = stream;
        let _ = stream.shutdown().await;
        let mut sink = [0u8; 4096];
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        })
        .await;
        turning_away.fetch_sub(1, Ordering::AcqRel);
    });
}

/// Errors that concern only the connection being accepted (the client gave up already).
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_full_answer_is_a_well_formed_problem() {
        let text = std::str::from_utf8(super::FULL).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(length, body.len());
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["status"], 503);
        assert!(head.contains("retry-after: 1"));
    }
}
