//! Pre-rendered bytes per sportello and language, built on first use and kept for one day (a
//! new day starts afresh, since dated notices switch on and off with the date) and for as long
//! as the sportello's rendering cannot change: a write that touches a sportello (its record,
//! its offers, a service offered there, its organisation) gives it fresh cells in the next
//! catalog, every other sportello keeps its bytes. The API layer decides what the bytes are;
//! this only stores them, within a memory budget.

use arc_swap::ArcSwap;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Language slots per sportello (the UI languages of the taxonomy).
pub const SLOTS: usize = 8;
/// Most bytes kept per day (by all the catalogs that share them); past it, fragments are built for each request and dropped.
pub const BUDGET: usize = 512 << 20;

/// Byte chunks that make up one rendering.
pub type Chunks = Arc<[Box<[u8]>]>;

/// The scope key of the anonymous public, whose fragments sit in lock-free slots.
pub const PUBLIC: &str = "public";

/// The renderings of one sportello: the public's in lock-free slots, the other scopes' (by
/// scope key and language slot) behind a lock.
#[derive(Default)]
struct Cells {
    public: [OnceLock<Chunks>; SLOTS],
    scoped: Mutex<HashMap<(String, usize), Chunks>>,
    /// Bytes held here (counted in [`Fragments::used`] too).
    bytes: AtomicUsize,
}

impl Cells {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, usize), Chunks>> {
        // A panic while holding the lock leaves a usable map (entries are whole values).
        self.scoped.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Renderings are kept per sportello handle and viewer scope: what a signed-in viewer may see
/// (internal fields, say) never reaches the public's bytes. A catalog advanced by an edit
/// shares the cells of every sportello the edit did not touch with the catalog before it
/// ([`Fragments::patched`]), so an edit costs the re-rendering of what it changed only.
#[derive(Default)]
pub struct Fragments {
    cells: imbl::Vector<Arc<Cells>>,
    /// Bytes held by these cells and by every catalog's of the same day that shares them.
    used: Arc<AtomicUsize>,
}

impl Fragments {
    /// Empty cells for handles `0..n`.
    pub fn new(n: usize) -> Self {
        Fragments {
            cells: (0..n).map(|_| Arc::default()).collect(),
            used: Arc::default(),
        }
    }

    /// These renderings for a catalog `len` handles long, without those of `changed` handles
    /// (fresh, empty cells instead); every other handle's cells are shared.
    pub fn patched(&self, changed: impl IntoIterator<Item = usize>, len: usize) -> Self {
        let mut cells = self.cells.clone();
        cells.truncate(len);
        while cells.len() < len {
            cells.push_back(Arc::default());
        }
        for i in changed {
            if i < len {
                let old = cells.set(i, Arc::default());
                self.used
                    .fetch_sub(old.bytes.load(Ordering::Relaxed), Ordering::Relaxed);
            }
        }
        Fragments {
            cells,
            used: self.used.clone(),
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
        let Some(cells) = self.cells.get(index).filter(|_| slot < SLOTS) else {
            return build().into();
        };
        if scope != PUBLIC {
            return self.get_or_build_scoped(cells, slot, scope, build);
        }
        let cell = &cells.public[slot];
        if let Some(c) = cell.get() {
            return c.clone();
        }
        let chunks: Chunks = build().into();
        let size: usize = chunks.iter().map(|c| c.len()).sum();
        if self.reserve(size) {
            // Another thread may have won the race; either value is the same bytes.
            cells.bytes.fetch_add(size, Ordering::Relaxed);
            return cell.get_or_init(|| chunks).clone();
        }
        chunks
    }

    fn get_or_build_scoped(
        &self,
        cells: &Cells,
        slot: usize,
        scope: &str,
        build: impl FnOnce() -> Vec<Box<[u8]>>,
    ) -> Chunks {
        let key = (scope.to_owned(), slot);
        if let Some(c) = cells.lock().get(&key) {
            return c.clone();
        }
        // Built outside the lock: another request may build the same bytes meanwhile.
        let chunks: Chunks = build().into();
        let size: usize = chunks.iter().map(|c| c.len()).sum();
        if self.reserve(size) {
            cells.bytes.fetch_add(size, Ordering::Relaxed);
            return cells.lock().entry(key).or_insert(chunks).clone();
        }
        chunks
    }

    /// Counts `size` more bytes if they fit the budget.
    fn reserve(&self, size: usize) -> bool {
        if self.used.fetch_add(size, Ordering::Relaxed) + size <= BUDGET {
            return true;
        }
        self.used.fetch_sub(size, Ordering::Relaxed);
        false
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

    /// The fragments of a catalog advanced from this one: the same day's, for `len` handles,
    /// without the renderings of the `changed` handles.
    pub fn patched(&self, changed: impl IntoIterator<Item = usize>, len: usize) -> Self {
        let current = self.current.load_full();
        Daily {
            sportelli: len,
            current: ArcSwap::from_pointee((current.0, Arc::new(current.1.patched(changed, len)))),
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
