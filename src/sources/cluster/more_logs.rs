//! A second round of log fetches, after the lists: the current logs of pods the first
//! round (decided by each pod's status alone) skipped but a diagnosis of the lists names
//! (the healthy clients of a Service with a finding). `--concurrency` at a time, with the
//! same bounds, timeouts and 403 notes as the first round.

use super::connect::Connection;
use super::fetch::{Fetch, LogFetch};
use super::gather::{fetch_all, sort_out};
use super::plan::Progress;
use crate::sources::raw::LogText;

/// A container whose current log to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentLog {
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

/// Fetches the current logs of `wanted`; the logs and a note per refused namespace.
pub async fn fetch_current_logs(
    conn: &Connection,
    wanted: Vec<CurrentLog>,
    concurrency: usize,
    progress: &dyn Progress,
) -> (Vec<LogText>, Vec<String>) {
    let fetches = wanted
        .into_iter()
        .map(|w| {
            Fetch::Log(LogFetch {
                namespace: w.namespace,
                pod: w.pod,
                container: w.container,
                previous: false,
            })
        })
        .collect();
    let fetched = fetch_all(conn, fetches, concurrency, progress).await;
    let mut notes = Vec::new();
    let (logs, _) = sort_out(fetched, &mut notes);
    (logs, notes)
}
