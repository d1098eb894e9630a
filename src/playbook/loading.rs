//! Playbooks compiling on a thread while the evidence is read: a 2 MB paste takes about as
//! long to read as the playbooks take to compile, and the two do not depend on each other
//! (a live run waits for them first: they decide what to fetch).

use super::{PlaybookError, Playbooks};
use std::path::PathBuf;
use std::thread::JoinHandle;

/// The embedded playbooks plus those of `dirs`, being compiled.
pub struct Loading(JoinHandle<Result<Playbooks, PlaybookError>>);

impl Loading {
    /// Starts compiling on a thread of its own.
    pub fn start(dirs: Vec<PathBuf>) -> Loading {
        Loading(std::thread::spawn(move || Playbooks::with_dirs(&dirs)))
    }

    /// Waits for the playbooks. A panic on the thread is the caller's panic.
    pub fn wait(self) -> Result<Playbooks, PlaybookError> {
        self.0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}
