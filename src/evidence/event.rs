//! A Kubernetes event, reduced to what a diagnosis quotes.

use jiff::Timestamp;

/// One event (possibly a series: `count` times between `first_seen` and `last_seen`).
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// `Normal` or `Warning`.
    pub type_: String,
    pub reason: String,
    pub message: String,
    pub count: i32,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    /// The container named in `involvedObject.fieldPath` (`spec.containers{app}`).
    pub container: Option<String>,
    /// `kind/name` of the involved object, lower-case kind.
    pub object: String,
    /// Reporting component (`kubelet`, `default-scheduler`, ...).
    pub source: String,
    /// The host in an old-style source (`kubelet, worker-1`).
    pub source_host: Option<String>,
    /// The age as pasted text shows it (`3m2s`), when there is no timestamp.
    pub age: Option<String>,
}

impl Event {
    /// The line a report quotes: `Warning BackOff (x23): Back-off restarting failed container`.
    pub fn describe(&self) -> String {
        if self.reason.is_empty() {
            // A message pasted without its row.
            return self.message.trim().to_string();
        }
        let count = if self.count > 1 {
            format!(" (x{})", self.count)
        } else {
            String::new()
        };
        format!(
            "{} {}{}: {}",
            self.type_,
            self.reason,
            count,
            self.message.trim()
        )
    }
}
