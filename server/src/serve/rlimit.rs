//! The open-file limit, which bounds how many connections the process can hold. At start-up
//! the soft limit is raised as far as needed and allowed (the hard limit), and the connection
//! cap is lowered to fit under it, leaving room for the database, the log and the listener:
//! past the limit `accept` fails and every client waits, which is what finding 2 saw.

use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};

/// File descriptors kept for everything but client connections: the listener, stdio, the
/// runtime's own, the database pool (PostgreSQL sockets, or SQLite's file, WAL and SHM per
/// connection), and a connection being turned away at the cap.
pub const RESERVED_FDS: u64 = 64;

/// The connection cap that fits `configured` under a soft open-file limit of `limit`.
pub fn fit(configured: usize, limit: Option<u64>) -> usize {
    match limit {
        None => configured.max(1),
        Some(n) => {
            let room = if n > 2 * RESERVED_FDS {
                n - RESERVED_FDS
            } else {
                n / 2
            };
            configured
                .min(usize::try_from(room).unwrap_or(usize::MAX))
                .max(1)
        }
    }
}

/// Raises the soft open-file limit towards what `connections` need (never past the hard
/// limit) and returns the soft limit in force afterwards (`None`: unlimited).
pub fn raise_for(connections: usize) -> Option<u64> {
    let Rlimit { current, maximum } = getrlimit(Resource::Nofile);
    let want = (connections as u64).saturating_add(RESERVED_FDS);
    let target = match maximum {
        Some(hard) => want.min(hard),
        None => want,
    };
    match current {
        Some(soft) if soft < target => {
            let raised = Rlimit {
                current: Some(target),
                maximum,
            };
            match setrlimit(Resource::Nofile, raised) {
                Ok(()) => {
                    tracing::info!(from = soft, to = target, "raised the open-file limit");
                    Some(target)
                }
                Err(e) => {
                    tracing::warn!(limit = soft, error = %e, "cannot raise the open-file limit");
                    Some(soft)
                }
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_open_file_limit() {
        assert_eq!(fit(4096, Some(1024)), 1024 - RESERVED_FDS as usize);
        assert_eq!(fit(500, Some(1024)), 500);
        assert_eq!(fit(4096, Some(100)), 50);
        assert_eq!(fit(4096, Some(1)), 1);
        assert_eq!(fit(4096, None), 4096);
    }
}
