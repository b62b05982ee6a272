//! Pre-rendered bytes per sportello and language, built on first use and kept for the life of
//! one catalog (a write builds a new catalog, so nothing here can go stale). The API layer
//! decides what the bytes are; this only stores them, within a memory budget.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Language slots per sportello (the UI languages of the taxonomy).
pub const SLOTS: usize = 8;
/// Most bytes kept per catalog; past it, fragments are built for each request and dropped.
pub const BUDGET: usize = 512 << 20;

/// Byte chunks that make up one rendering.
pub type Chunks = Arc<[Box<[u8]>]>;

#[derive(Default)]
pub struct Fragments {
    slots: Vec<[OnceLock<Chunks>; SLOTS]>,
    used: AtomicUsize,
}

impl Fragments {
    /// Empty slots for `n` sportelli.
    pub fn new(n: usize) -> Self {
        Fragments {
            slots: (0..n).map(|_| Default::default()).collect(),
            used: AtomicUsize::new(0),
        }
    }

    /// The chunks of sportello `index` in language `slot`, built by `build` the first time.
    pub fn get_or_build(
        &self,
        index: usize,
        slot: usize,
        build: impl FnOnce() -> Vec<Box<[u8]>>,
    ) -> Chunks {
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

    /// Bytes held now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }
}
