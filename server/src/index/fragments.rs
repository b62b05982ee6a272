//! Pre-rendered bytes per sportello and language, built on first use and kept for the life of
//! one catalog and one day (a write builds a new catalog, and a new day starts afresh, since
//! dated notices switch on and off with the date: nothing here can go stale). The API layer
//! decides what the bytes are; this only stores them, within a memory budget.

use arc_swap::ArcSwap;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Language slots per sportello (the UI languages of the taxonomy).
pub const SLOTS: usize = 8;
/// Most bytes kept per catalog; past it, fragments are built for each request and dropped.
pub const BUDGET: usize = 512 << 20;

/// Byte chunks that make up one rendering.
pub type Chunks = Arc<[Box<[u8]>]>;

/// The scope key of the anonymous public, whose fragments sit in lock-free slots.
pub const PUBLIC: &str = "public";

/// Renderings for viewers who see more than the public, by (scope key, sportello, slot).
type Scoped = HashMap<(String, usize, usize), Chunks>;

/// Renderings are kept per viewer scope: what a signed-in viewer may see (internal fields,
/// say) never reaches the public's bytes. The public's sit in lock-free slots; the others in
/// a map behind a lock, within the same budget.
#[derive(Default)]
pub struct Fragments {
    slots: Vec<[OnceLock<Chunks>; SLOTS]>,
    scoped: Mutex<Scoped>,
    used: AtomicUsize,
}

impl Fragments {
    /// Empty slots for `n` sportelli.
    pub fn new(n: usize) -> Self {
        Fragments {
            slots: (0..n).map(|_| Default::default()).collect(),
            scoped: Mutex::default(),
            used: AtomicUsize::new(0),
        }
    }

    /// The chunks of sportello `index` in language `slot` for viewers of `scope`, built by
    /// `build` the first time.
    pub fn get_or_build(
        &self,
        index: usize,
        slot: usize,
        scope: &str,
        build: impl FnOnce() -> Vec<Box<[u8]>>,
    ) -> Chunks {
        if scope != PUBLIC {
            return self.get_or_build_scoped(index, slot, scope, build);
        }
        let Some(cell) = self.slots.get(index).and_then(|s| s.get(slot)) else {
            return build().into();
        };
        if let Some(c) = cell.get() {
            return c.clone();
        }
        let chunks: Chunks = build().into();
        let size: usize = chunks.iter().map(|c| c.len()).sum();
        if self.used.fetch_add(size, Ordering::Relaxed) + size <= BUDGET {
            // Another thread may have won the race; either value is the same bytes.
            return cell.get_or_init(|| chunks).clone();
        }
        self.used.fetch_sub(size, Ordering::Relaxed);
        chunks
    }

    fn get_or_build_scoped(
        &self,
        index: usize,
        slot: usize,
        scope: &str,
        build: impl FnOnce() -> Vec<Box<[u8]>>,
    ) -> Chunks {
        if index >= self.slots.len() || slot >= SLOTS {
            return build().into();
        }
        let key = (scope.to_owned(), index, slot);
        if let Some(c) = self.lock().get(&key) {
            return c.clone();
        }
        // Built outside the lock: another request may build the same bytes meanwhile.
        let chunks: Chunks = build().into();
        let size: usize = chunks.iter().map(|c| c.len()).sum();
        if self.used.fetch_add(size, Ordering::Relaxed) + size <= BUDGET {
            return self.lock().entry(key).or_insert(chunks).clone();
        }
        self.used.fetch_sub(size, Ordering::Relaxed);
        chunks
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Scoped> {
        // A panic while holding the lock leaves a usable map (entries are whole values).
        self.scoped.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes held now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }
}

/// The fragments of one catalog for the current day: a request of a later day replaces
/// them with empty ones; a late request of an earlier day builds its bytes without keeping
/// them.
#[derive(Default)]
pub struct Daily {
    sportelli: usize,
    current: ArcSwap<(NaiveDate, Arc<Fragments>)>,
}

impl Daily {
    /// Empty fragments for `n` sportelli.
    pub fn new(n: usize) -> Self {
        Daily {
            sportelli: n,
            current: ArcSwap::from_pointee((NaiveDate::MIN, Arc::new(Fragments::new(n)))),
        }
    }

    /// The fragments of `day`.
    pub fn on(&self, day: NaiveDate) -> Arc<Fragments> {
        let current = self.current.load();
        if current.0 == day {
            return current.1.clone();
        }
        let fresh = Arc::new((day, Arc::new(Fragments::new(self.sportelli))));
        if day < current.0 {
            return fresh.1.clone();
        }
        // Another request may have moved to the same day meanwhile: keep whichever won.
        let previous = self.current.compare_and_swap(&*current, fresh.clone());
        if std::ptr::eq(&**previous, &**current) {
            fresh.1.clone()
        } else {
            self.on(day)
        }
    }

    /// Bytes held now.
    pub fn used(&self) -> usize {
        self.current.load().1.used()
    }
}
