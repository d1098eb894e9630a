//! Playbooks compiling on a thread while the evidence is read: a 2 MB paste takes about as
//! long to read as the playbooks take to compile, and the two do not depend on each other
//! (a live run waits for them first: they decide what to fetch). While text is read the
//! thread has time to spare, so [`Warm::LogPatterns`] also compiles the set of every log
//! pattern there (nearly every text holds a log), off the path the run waits on. The
//! causes' own regexes still compile on first use: compiling all of them costs more time
//! and memory than the few a run tries.

use super::{PlaybookError, Playbooks};
use std::path::PathBuf;
use std::thread::JoinHandle;

/// The embedded playbooks plus those of `dirs`, being compiled.
pub struct Loading(JoinHandle<Result<Playbooks, PlaybookError>>);

/// How much the loading thread compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warm {
    /// Only what loading needs: each regex compiles on first use.
    Lazily,
    /// The log-pattern set too (the run reads text meanwhile).
    LogPatterns,
}

impl Loading {
    /// Starts compiling on a thread of its own.
    pub fn start(dirs: Vec<PathBuf>, warm: Warm) -> Loading {
        Loading(std::thread::spawn(move || {
            let playbooks = Playbooks::with_dirs(&dirs)?;
            if warm == Warm::LogPatterns {
                playbooks.log_patterns.compile_now();
            }
            Ok(playbooks)
        }))
    }

    /// Waits for the playbooks. A panic on the thread is the caller's panic.
    pub fn wait(self) -> Result<Playbooks, PlaybookError> {
        self.0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}
