//! Jobs as far as a diagnosis needs them: which CronJob created each (a CronJob's runs are
//! one workload) and how each run ended, so a failed run that a later run made good is told
//! apart from a failure that is still the newest word.

use jiff::Timestamp;

/// One Job; what the source did not show is `None` (unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Job {
    pub namespace: String,
    pub name: String,
    /// The CronJob that controls it (its controller ownerReference, `Controlled By:
    /// CronJob/NAME`); `None` when it has none or the source did not show it.
    pub cronjob: Option<String>,
    /// How the run ended; `None` while it runs, or when the source does not say.
    pub outcome: Option<JobOutcome>,
    /// When it ended: the `Complete` or `Failed` condition's transition (or
    /// `completionTime`).
    pub finished_at: Option<Timestamp>,
    /// `status.startTime`.
    pub started_at: Option<Timestamp>,
}

/// How a finished Job ended (its `Complete` or `Failed` condition is True).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Succeeded,
    Failed,
}
