//! Container log excerpts and kubelet journal entries.

/// The tail of one container log (current or previous instance).
#[derive(Debug, Clone, Default)]
pub struct LogExcerpt {
    pub lines: Vec<LogLine>,
    /// Lines before the kept tail that were not read (large logs are read as a tail).
    pub skipped_lines: u64,
}

/// One log line; kept as text, never interpreted beyond matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogLine {
    pub text: String,
}

/// One kubelet journal line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalEntry {
    /// The time as the journal printed it (`May 07 11:59:34`, `2024-05-07T11:59:34+0000`).
    pub time: Option<String>,
    /// The host the journal names (`node01` in `May 07 11:59:34 node01 kubelet[8691]:`).
    pub host: Option<String>,
    /// The message after the journald prefix (klog header included).
    pub message: String,
}
