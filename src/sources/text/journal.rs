//! Kubelet journal text (`journalctl -u kubelet`, short, short-iso, short-precise or json
//! output) into journal entries: the time as printed and the message after the
//! `host unit[pid]: ` prefix.

use crate::evidence::JournalEntry;
use regex::Regex;
use std::sync::LazyLock;

/// A klog header (`E0507 11:59:34.926448    8691 pod_workers.go:1298] `) or a journald
/// line of the kubelet or the container runtime.
static JOURNAL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\]|\s(?:kubelet|containerd|crio|dockerd|k3s|kubelite)(?:\[\d+\])?: |^\{.*"(?:MESSAGE|_SYSTEMD_UNIT)""#)
        .expect("valid journal line regex")
});

/// True when a line is a kubelet (or runtime) journal line.
pub fn is_journal_line(line: &str) -> bool {
    JOURNAL_LINE.is_match(line)
}

static SHORT: LazyLock<Regex> = LazyLock::new(|| {
    // `May 07 11:59:34 node01 kubelet[8691]: msg` or
    // `2024-05-07T11:59:34+0000 node01 kubelet[8691]: msg` (short-iso, short-precise)
    Regex::new(
        r"^(?P<time>[A-Z][a-z]{2} [ 0-9]?\d \d{2}:\d{2}:\d{2}(?:\.\d+)?|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) (?P<host>\S+) [^\s:\[]+(?:\[\d+\])?: (?P<msg>.*)$",
    )
    .expect("journal prefix regex is valid")
});

/// Parses journal text, one entry per line; `-- Logs begin at ...` banners are skipped.
pub fn parse(text: &str) -> Vec<JournalEntry> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with("-- "))
        .map(parse_line)
        .collect()
}

pub fn parse_line(line: &str) -> JournalEntry {
    if line.starts_with('{')
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
    {
        let message = v
            .get("MESSAGE")
            .and_then(|m| m.as_str())
            .unwrap_or(line)
            .to_string();
        let time = v
            .get("__REALTIME_TIMESTAMP")
            .and_then(|t| t.as_str())
            .and_then(|t| t.parse::<i64>().ok())
            .and_then(|us| jiff::Timestamp::from_microsecond(us).ok())
            .map(|t| t.to_string());
        let host = v
            .get("_HOSTNAME")
            .and_then(|h| h.as_str())
            .map(str::to_string);
        return JournalEntry {
            time,
            host,
            message,
        };
    }
    match SHORT.captures(line) {
        Some(c) => JournalEntry {
            time: Some(c["time"].to_string()),
            host: Some(c["host"].to_string()),
            message: c["msg"].to_string(),
        },
        None => JournalEntry {
            time: None,
            host: None,
            message: line.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_iso_and_json_lines() {
        let text = "-- Logs begin at Mon 2024-05-06 --\n\
May 07 11:59:34 node01 kubelet[8691]: E0507 11:59:34.926448    8691 pod_workers.go:1298] \"Error syncing pod\"\n\
2024-05-07T11:59:35+0000 node01 kubelet[8691]: I0507 hello\n\
{\"__REALTIME_TIMESTAMP\":\"1715083175000000\",\"MESSAGE\":\"from json\"}\n\
free text line\n";
        let e = parse(text);
        assert_eq!(e.len(), 4);
        assert_eq!(e[0].time.as_deref(), Some("May 07 11:59:34"));
        assert!(e[0].message.starts_with("E0507 11:59:34.926448"));
        assert_eq!(e[1].time.as_deref(), Some("2024-05-07T11:59:35+0000"));
        assert_eq!(e[1].message, "I0507 hello");
        assert_eq!(e[2].message, "from json");
        assert_eq!(e[2].time.as_deref(), Some("2024-05-07T11:59:35Z"));
        assert_eq!(e[3].time, None);
        assert_eq!(e[3].message, "free text line");
    }
}
