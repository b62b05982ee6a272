//! One client connection: HTTP/1.1 by hyper over a [`Watched`] socket, closed by whichever
//! comes first of its deadline (header, keep-alive or send timeout), an eviction by the
//! connection cap, or the server's shutdown phases.

use super::activity::{InFlight, Timeout, Watched};
use super::registry::Slot;
use super::{Limits, Phase};
use crate::api::metrics;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use tower::ServiceExt;

/// Largest request head (request line and headers) read: a URI past the API's own limit still
/// fits, so it gets the API's 414 problem rather than hyper's bare 431.
const MAX_HEAD: usize = 64 * 1024;

/// Serves `stream` until it closes or must be closed. `_running` is dropped on return, which
/// is how the shutdown knows every connection has ended.
pub async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    slot: Slot,
    limits: Arc<Limits>,
    mut phase: watch::Receiver<Phase>,
    _running: mpsc::Sender<()>,
) {
    let activity = slot.activity.clone();
    let io = TokioIo::new(Watched::new(stream, activity.clone()));
    let requests = activity.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        let guard = InFlight::start(requests.clone());
        req.extensions_mut().insert(ConnectInfo(peer));
        let router = router.clone();
        async move {
            let response = router.oneshot(req.map(Body::new)).await?;
            Ok::<_, Infallible>(response.map(|inner| {
                Body::new(Guarded {
                    inner,
                    _guard: guard,
                })
            }))
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .max_buf_size(MAX_HEAD)
        .serve_connection(io, service);
    tokio::pin!(conn);
    loop {
        let deadline = activity.deadline(&limits);
        let expired = async {
            match deadline {
                Some((at, _)) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                return;
            }
            _ = activity.evict.notified() => {
                metrics::connection_closed("evicted");
                return;
            }
            _ = activity.changed.notified() => {}
            changed = phase.changed() => {
                let now = match changed {
                    Ok(()) => *phase.borrow_and_update(),
                    Err(_) => Phase::Force,
                };
                match now {
                    Phase::Running => {}
                    Phase::Draining if activity.is_idle() => {
                        metrics::connection_closed("shutdown_idle");
                        return;
                    }
                    // hyper finishes the response in flight, then closes.
                    Phase::Draining => conn.as_mut().graceful_shutdown(),
                    Phase::Force => {
                        metrics::connection_closed("shutdown_forced");
                        return;
                    }
                }
            }
            _ = expired => {
                if let Some((at, why)) = activity.deadline(&limits) {
                    if at <= Instant::now() {
                        // A kept-alive connection left idle is a normal end, not a refusal.
                        if why != Timeout::Keepalive {
                            metrics::rejected(why.as_str());
                        }
                        metrics::connection_closed(why.as_str());
                        return;
                    }
                }
            }
        }
    }
}

/// A response body that keeps its request counted as in flight until hyper is done with it.
struct Guarded {
    inner: Body,
    _guard: InFlight,
}

impl http_body::Body for Guarded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
