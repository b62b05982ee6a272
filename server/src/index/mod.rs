//! The in-memory read model: every query is answered from here, never by scanning the store.
//!
//! [`ReadModel`] holds the current [`Catalog`] behind an atomic pointer: readers take a cheap
//! snapshot, and the single write path swaps in a new catalog once the store has committed.
//! The new catalog shares every part the commit did not change with the old one
//! ([`Catalog::advance`]), so catching up costs what changed, not the size of the directory.

mod advance;
mod catalog;
mod filter;
mod fragments;
mod spatial;

pub use catalog::{Catalog, Offer, Sportelli, SportelliIter, Sportello};
pub use filter::Filter;
pub use fragments::{Chunks, Daily, Fragments, PUBLIC, SLOTS};
pub use spatial::{Hit, SpatialIndex};

use arc_swap::ArcSwap;
use std::sync::Arc;

/// The current catalog, swapped atomically.
#[derive(Default)]
pub struct ReadModel {
    current: ArcSwap<Catalog>,
}

impl ReadModel {
    /// A read model holding `catalog`.
    pub fn new(catalog: Catalog) -> Self {
        ReadModel {
            current: ArcSwap::from_pointee(catalog),
        }
    }
    /// The catalog as of now; stays valid (and unchanged) while held.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.current.load_full()
    }
    /// Replaces the catalog.
    pub fn replace(&self, catalog: Catalog) {
        self.current.store(Arc::new(catalog));
    }
}
