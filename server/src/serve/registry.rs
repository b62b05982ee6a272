//! The open connections and the cap on them. As nginx does when `worker_connections` run out,
//! a new connection at the cap takes the slot of the least recently active *idle* one (waiting
//! for a request, or dribbling a request head): idle and slowloris connections can never crowd
//! out real requests. Only when every connection is busy with a request is the new one refused.

use super::activity::Activity;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// The open connections.
#[derive(Debug)]
pub struct Registry {
    open: Mutex<HashMap<u64, Arc<Activity>>>,
    next: AtomicU64,
    cap: usize,
}

/// A connection's place in the registry; leaving it frees the slot.
#[derive(Debug)]
pub struct Slot {
    id: u64,
    registry: Arc<Registry>,
    pub activity: Arc<Activity>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.open().remove(&self.id);
        metrics::gauge!("bussola_open_connections").decrement(1.0);
    }
}

impl Registry {
    /// Room for `cap` connections (at least one).
    pub fn new(cap: usize) -> Arc<Self> {
        Arc::new(Registry {
            open: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            cap: cap.max(1),
        })
    }

    fn open(&self) -> MutexGuard<'_, HashMap<u64, Arc<Activity>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Open connections (including ones asked to leave that have not closed yet).
    pub(super) fn len(&self) -> usize {
        self.open().len()
    }

    /// A slot for a new connection, evicting the least recently active idle connection at the
    /// cap; `None` when the cap is reached and every connection is busy.
    pub fn admit(self: &Arc<Self>) -> Option<Slot> {
        let mut open = self.open();
        let staying = open.values().filter(|a| !a.is_evicted()).count();
        if staying >= self.cap {
            let victim = open
                .values()
                .filter(|a| !a.is_evicted() && a.is_idle())
                .min_by_key(|a| a.idle_since())?
                .clone();
            if victim.mark_evicted() {
                victim.evict.notify_one();
            }
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity::new());
        open.insert(id, activity.clone());
        metrics::gauge!("bussola_open_connections").increment(1.0);
        Some(Slot {
            id,
            registry: self.clone(),
            activity,
        })
    }

    /// Asks the least recently active idle connection to leave (used when the process runs
    /// out of file descriptors); false when none is idle.
    pub fn evict_one(&self) -> bool {
        let open = self.open();
        let Some(victim) = open
            .values()
            .filter(|a| !a.is_evicted() && a.is_idle())
            .min_by_key(|a| a.idle_since())
        else {
            return false;
        };
        if victim.mark_evicted() {
            victim.evict.notify_one();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::activity::InFlight;

    #[test]
    fn at_the_cap_the_oldest_idle_connection_makes_room() {
        let r = Registry::new(2);
        let first = r.admit().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        let second = r.admit().unwrap();
        let third = r.admit().expect("an idle connection makes room");
        assert!(first.activity.is_evicted(), "the oldest idle one leaves");
        assert!(!second.activity.is_evicted());
        // Everyone staying is now busy: the next connection is refused.
        let _busy2 = InFlight::start(second.activity.clone());
        let _busy3 = InFlight::start(third.activity.clone());
        assert!(r.admit().is_none());
        drop(first);
        assert_eq!(r.len(), 2);
    }
}
