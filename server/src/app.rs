//! The directory: the store plus the read model, and the one write path between them.
//!
//! Every write goes through [`Directory::apply`]: commit to the store, then catch the read model
//! up from the store. Other replicas on the same PostGIS catch up the same way when the store
//! announces a revision ([`Directory::follow`]), so nothing lives only in one process's memory.

use crate::index::{Catalog, ReadModel};
use crate::model::Taxonomy;
use crate::store::{self, ChangeSet, Committed, Store};
use futures::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// The store, the read model and the taxonomy, shared by the HTTP handlers and the CLI.
pub struct Directory {
    store: Arc<dyn Store>,
    model: ReadModel,
    taxonomy: Taxonomy,
    /// Serialises catch-ups so deltas are applied in order.
    sync_lock: Mutex<()>,
    ready: std::sync::atomic::AtomicBool,
}

impl Directory {
    /// A directory over `store`, with an empty read model until [`Directory::load`].
    pub fn new(store: Arc<dyn Store>, taxonomy: Taxonomy) -> Self {
        Directory {
            store,
            model: ReadModel::default(),
            taxonomy,
            sync_lock: Mutex::new(()),
            ready: false.into(),
        }
    }

    /// Loads the whole store into the read model and marks the directory ready.
    pub async fn load(&self) -> store::Result<()> {
        let _guard = self.sync_lock.lock().await;
        let snapshot = self.store.load().await?;
        self.model.replace(Catalog::from_snapshot(snapshot));
        self.ready.store(true, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    /// True once the read model has been loaded.
    pub fn is_ready(&self) -> bool {
        self.ready.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The current catalog.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.model.catalog()
    }

    /// The taxonomy of needs and audiences.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The write path: commits `changes` atomically, then brings the read model up to date.
    pub async fn apply(&self, changes: &ChangeSet) -> store::Result<Committed> {
        let committed = self.store.apply(changes).await?;
        self.catch_up().await?;
        Ok(committed)
    }

    /// Applies every change committed since the read model's revision (by anyone).
    pub async fn catch_up(&self) -> store::Result<i64> {
        let _guard = self.sync_lock.lock().await;
        let current = self.model.catalog();
        let delta = self.store.changes_since(current.revision).await?;
        if delta.revision > current.revision {
            self.model.replace(current.advance(delta));
        }
        Ok(self.model.catalog().revision)
    }

    /// Follows other processes' commits: on every announced revision newer than ours, and at
    /// least every `poll` as a safety net for a dropped connection, catch up. Runs forever.
    pub async fn follow(self: Arc<Self>, poll: Duration) {
        let mut announcements = match self.store.listen().await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for changes; polling only");
                None
            }
        };
        let mut tick = tokio::time::interval(poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let announced = match announcements.as_mut() {
                Some(stream) => tokio::select! {
                    rev = stream.next() => match rev {
                        Some(rev) => Some(rev),
                        None => {
                            tracing::warn!("change announcements ended; polling until they resume");
                            announcements = None;
                            None
                        }
                    },
                    _ = tick.tick() => None,
                },
                None => {
                    tick.tick().await;
                    if let Ok(s) = self.store.listen().await {
                        announcements = s;
                    }
                    None
                }
            };
            if announced.is_some_and(|r| r <= self.catalog().revision) {
                continue;
            }
            if let Err(e) = self.catch_up().await {
                tracing::warn!(error = %e, "catching up with the store failed; will retry");
            }
        }
    }
}
