//! Container log excerpts and kubelet journal entries.

/// The tail of one container log (current or previous instance): one text, each line
/// ending in `\n`, with the offsets of its lines, so a log is stored and scanned as a whole
/// and a line is quoted without a copy per line. Lines are never interpreted beyond matching.
#[derive(Debug, Clone, Default)]
pub struct LogExcerpt {
    text: String,
    /// Start offset of each line in `text`.
    starts: Vec<usize>,
    /// Bytes before the kept tail that were not read (large logs are read as a tail).
    pub skipped_bytes: u64,
}

impl LogExcerpt {
    /// An excerpt of a log text (CRLF line ends become LF).
    pub fn from_text(text: &str, skipped_bytes: u64) -> LogExcerpt {
        let mut e = LogExcerpt {
            skipped_bytes,
            ..Default::default()
        };
        e.extend(text.lines());
        e
    }

    /// An excerpt that takes over a log's text (no copy when its lines end in `\n` alone).
    pub fn from_string(mut text: String, skipped_bytes: u64) -> LogExcerpt {
        if text.contains('\r') {
            return LogExcerpt::from_text(&text, skipped_bytes);
        }
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let mut starts = Vec::with_capacity(text.len() / 64);
        let mut at = 0;
        for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
            starts.push(at);
            at = i + 1;
        }
        LogExcerpt {
            text,
            starts,
            skipped_bytes,
        }
    }

    /// Adds lines at the end.
    pub fn extend<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) {
        for l in lines {
            self.starts.push(self.text.len());
            self.text.push_str(l.trim_end_matches('\r'));
            self.text.push('\n');
        }
    }

    /// The whole text, one `\n`-terminated line after another.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Line `n` (from 0), without its line end.
    pub fn line(&self, n: usize) -> Option<&str> {
        let start = *self.starts.get(n)?;
        let end = self.starts.get(n + 1).copied().unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches('\n'))
    }

    /// Every line, without line ends.
    pub fn lines(&self) -> impl DoubleEndedIterator<Item = &str> {
        (0..self.starts.len()).filter_map(|n| self.line(n))
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
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

#[cfg(test)]
mod tests {
    use super::LogExcerpt;

    #[test]
    fn lines_are_kept_in_one_text() {
        let mut e = LogExcerpt::from_text("one\r\ntwo\n\nfour", 9);
        assert_eq!(e.lines().collect::<Vec<_>>(), ["one", "two", "", "four"]);
        assert_eq!(e.text(), "one\ntwo\n\nfour\n");
        e.extend(["five"]);
        let f = LogExcerpt::from_string("a\nb".to_string(), 0);
        assert_eq!((f.text(), f.line(1), f.len()), ("a\nb\n", Some("b"), 2));
        assert_eq!((e.line(4), e.line(5), e.len()), (Some("five"), None, 5));
        assert_eq!(e.skipped_bytes, 9);
    }
}
