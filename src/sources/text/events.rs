//! Event rows as kubectl prints them: the Events section of `kubectl describe`
//! (`Type Reason Age From Message`), `kubectl get events` tables (default, `-A`, `-o wide`,
//! and the old column order), and bare event messages.

use crate::evidence::Event;
use crate::sources::objects::convert::InvolvedObject;
use regex::Regex;
use std::sync::LazyLock;

/// A describe Events row. Works whether columns are padded or collapsed to one space:
/// the age has a fixed shape, reasons have no spaces, and the source is one word or
/// `kubelet, NODE` (before 1.20).
static DESCRIBE_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?P<type>Normal|Warning)\s+(?P<reason>[A-Za-z][\w.-]*)\s+(?P<age><invalid>|<unknown>|\d[\dsmhdy]*)(?:\s*\(x(?P<count>\d+) over (?P<over>[^)]+)\))?\s+(?P<from>[\w./:@-]+(?:,\s*[\w./:@-]+)?)\s+(?P<message>.*)$",
    )
    .expect("valid event row regex")
});

/// `3m2s (x5 over 10m)` and friends: is this line a describe event row?
pub fn is_describe_row(line: &str) -> bool {
    DESCRIBE_ROW.is_match(line)
}

static ROW_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:Normal|Warning)\s+[A-Z][\w.-]*(?:\s|$)").expect("valid row start regex")
});

/// True when a line begins like an Events row (it may be wrapped before its message).
pub fn starts_row(line: &str) -> bool {
    ROW_START.is_match(line)
}

/// Parses a describe Events row that a terminal or chat client may have wrapped onto the
/// next lines; returns the event and the lines used.
pub fn wrapped_row<'a>(lines: impl Iterator<Item = &'a str>) -> Option<(Event, usize)> {
    let mut joined = String::new();
    for (i, l) in lines.take(3).enumerate() {
        if i > 0 && (starts_row(l) || l.trim().is_empty()) {
            return None;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(if i == 0 { l } else { l.trim() });
        if let Some(e) = describe_row(&joined) {
            return Some((e, i + 1));
        }
    }
    None
}

/// Parses one describe Events row.
pub fn describe_row(line: &str) -> Option<Event> {
    let c = DESCRIBE_ROW.captures(line)?;
    let from = c["from"].to_string();
    Some(Event {
        type_: c["type"].to_string(),
        reason: c["reason"].to_string(),
        message: c["message"].trim().to_string(),
        count: c
            .name("count")
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(1),
        age: Some(c["age"].to_string()),
        source: from
            .split(',')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
        source_host: from
            .split_once(',')
            .map(|(_, h)| h.trim().to_string())
            .filter(|h| !h.is_empty()),
        ..Default::default()
    })
}

/// An event message pasted without its row: reason and type unknown.
pub fn bare_message(line: &str) -> Event {
    Event {
        message: line.trim().to_string(),
        count: 1,
        ..Default::default()
    }
}

/// Column names of a `kubectl get events` header, when the line is one.
pub fn table_header(line: &str) -> Option<Vec<String>> {
    let cols = split_columns(line);
    let has = |n: &str| cols.iter().any(|c| c == n);
    (has("REASON") && has("MESSAGE") && (has("TYPE") || has("KIND"))).then_some(cols)
}

static SEP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{2,}").expect("valid"));

/// Splits on runs of two or more spaces.
pub fn split_columns(line: &str) -> Vec<String> {
    positioned(line).into_iter().map(|(_, s)| s).collect()
}

/// Fields with their start offsets.
fn positioned(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = line.len() - line.trim_start().len();
    let trimmed_end = line.trim_end().len();
    for m in SEP.find_iter(&line[..trimmed_end]) {
        if m.start() > start {
            out.push((start, line[start..m.start()].to_string()));
        }
        start = m.end();
    }
    if start < trimmed_end {
        out.push((start, line[start..trimmed_end].to_string()));
    }
    out
}

/// A `kubectl get events` table: the header line (for offsets) and its columns.
pub struct Table {
    pub header_line: String,
    pub columns: Vec<String>,
}

/// Maps a row's fields to columns: by position when the counts agree, else by character
/// offset under the header (empty cells, such as a missing SUBOBJECT, shift the fields).
fn cells(table: &Table, line: &str) -> Vec<String> {
    let header = positioned(&table.header_line);
    let fields = positioned(line);
    let n = table.columns.len();
    let msg_idx = table
        .columns
        .iter()
        .position(|h| h == "MESSAGE")
        .unwrap_or(n - 1);
    let mut out = vec![String::new(); n];
    if fields.len() == n {
        for (i, (_, f)) in fields.into_iter().enumerate() {
            out[i] = f;
        }
        return out;
    }
    if fields.len() > n {
        // The message held runs of spaces: columns before and after it are fixed.
        let after = n - msg_idx - 1;
        for i in 0..msg_idx {
            out[i] = fields[i].1.clone();
        }
        let end = fields.len() - after;
        out[msg_idx] = fields[msg_idx..end]
            .iter()
            .map(|(_, f)| f.as_str())
            .collect::<Vec<_>>()
            .join("  ");
        for (j, i) in (msg_idx + 1..n).enumerate() {
            out[i] = fields[end + j].1.clone();
        }
        return out;
    }
    for (start, f) in fields {
        let col = header
            .iter()
            .rposition(|(h, _)| *h <= start + 1)
            .unwrap_or(0)
            .min(n - 1);
        if out[col].is_empty() {
            out[col] = f;
        } else {
            out[col].push_str("  ");
            out[col].push_str(&f);
        }
    }
    // A one-word column that ran into the next with a single space (an overlong reason):
    // give the next, empty column its word back.
    for i in 0..n.saturating_sub(1) {
        let one_word = matches!(
            table.columns[i].as_str(),
            "TYPE" | "REASON" | "OBJECT" | "NAMESPACE" | "KIND"
        );
        if one_word
            && out[i + 1].is_empty()
            && let Some((a, b)) = out[i].clone().split_once(' ')
        {
            out[i] = a.to_string();
            out[i + 1] = b.trim().to_string();
        }
    }
    out
}

/// Parses one row of a `kubectl get events` table.
pub fn table_row(table: &Table, line: &str) -> Option<(Event, InvolvedObject)> {
    let cols = cells(table, line);
    let get = |name: &str| -> Option<String> {
        let i = table.columns.iter().position(|h| h == name)?;
        cols.get(i).filter(|c| !c.is_empty()).cloned()
    };
    let type_ = get("TYPE")?;
    if type_ != "Normal" && type_ != "Warning" {
        return None;
    }
    let object = get("OBJECT").or_else(|| {
        let kind = get("KIND")?;
        let name = get("NAME")?;
        Some(format!("{}/{}", kind.to_lowercase(), name))
    });
    let (kind, name) = object
        .as_deref()
        .and_then(|o| o.split_once('/'))
        .map(|(k, n)| (capitalize_kind(k), n.to_string()))
        .unwrap_or_default();
    let count = get("COUNT")
        .and_then(|c| c.parse().ok())
        .or_else(|| {
            let seen = get("LAST SEEN")?;
            let (_, rest) = seen.split_once("(x")?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .unwrap_or(1);
    let event = Event {
        type_,
        reason: get("REASON").unwrap_or_default(),
        message: get("MESSAGE").unwrap_or_default(),
        count,
        age: get("LAST SEEN"),
        source: get("SOURCE").unwrap_or_default(),
        container: get("SUBOBJECT")
            .as_deref()
            .and_then(crate::sources::objects::convert::container_of_field_path),
        object: object.clone().unwrap_or_default(),
        ..Default::default()
    };
    let involved = InvolvedObject {
        kind,
        namespace: get("NAMESPACE").unwrap_or_default(),
        name,
        uid: None,
    };
    Some((event, involved))
}

/// `pod` -> `Pod`, `replicaset` -> `ReplicaSet`, as the API spells kinds.
fn capitalize_kind(k: &str) -> String {
    match k.to_lowercase().as_str() {
        "pod" => "Pod",
        "node" => "Node",
        "replicaset" => "ReplicaSet",
        "deployment" => "Deployment",
        "statefulset" => "StatefulSet",
        "daemonset" => "DaemonSet",
        "job" => "Job",
        "cronjob" => "CronJob",
        "persistentvolumeclaim" => "PersistentVolumeClaim",
        other => return other.to_string(),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_rows_padded_collapsed_and_old() {
        let e = describe_row("  Warning  BackOff    3m2s (x5 over 10m)    kubelet            Back-off restarting failed container").unwrap();
        assert_eq!(
            (e.reason.as_str(), e.count, e.age.as_deref()),
            ("BackOff", 5, Some("3m2s"))
        );
        assert_eq!(e.message, "Back-off restarting failed container");
        let e = describe_row("Warning Failed 2s kubelet Failed to pull image \"x\": not found")
            .unwrap();
        assert_eq!(e.message, "Failed to pull image \"x\": not found");
        let e = describe_row("  Warning  FailedMount  9s (x8 over 1m)  kubelet, ip-10-0-140-139.ec2.internal  MountVolume.SetUp failed").unwrap();
        assert_eq!(e.source, "kubelet");
        assert_eq!(
            e.source_host.as_deref(),
            Some("ip-10-0-140-139.ec2.internal")
        );
        assert_eq!(e.message, "MountVolume.SetUp failed");
        let e = describe_row("  Warning  FailedScheduling   <unknown>   default-scheduler   0/41 nodes are available: 35 Insufficient cpu.").unwrap();
        assert_eq!(e.age.as_deref(), Some("<unknown>"));
        assert!(describe_row("Name:   web-1").is_none());
    }

    #[test]
    fn get_events_tables() {
        let t = |h: &str| Table {
            header_line: h.to_string(),
            columns: table_header(h).unwrap(),
        };
        let h = t("LAST SEEN   TYPE      REASON    OBJECT               MESSAGE");
        let (e, io) = table_row(&h, "3m          Warning   Failed    pod/web-7d9c-x2k4q   Failed to pull image \"x\":  not found").unwrap();
        assert_eq!(
            (io.kind.as_str(), io.name.as_str()),
            ("Pod", "web-7d9c-x2k4q")
        );
        assert_eq!(e.message, "Failed to pull image \"x\":  not found");
        let h = t(
            "NAMESPACE   LAST SEEN   TYPE      REASON         OBJECT                      SUBOBJECT                SOURCE    MESSAGE                FIRST SEEN   COUNT   NAME",
        );
        let (e, io) = table_row(&h, "shop        2m          Warning   BackOff        pod/web-1                   spec.containers{app}     kubelet   Back-off restarting    10m          12      web-1.17a").unwrap();
        assert_eq!(
            (e.count, e.container.as_deref(), io.namespace.as_str()),
            (12, Some("app"), "shop")
        );
        assert_eq!(e.message, "Back-off restarting");
        let h = t(
            "LAST SEEN   FIRST SEEN   COUNT     NAME        KIND      SUBOBJECT   TYPE      REASON    SOURCE    MESSAGE",
        );
        let (e, io) = table_row(&h, "1m          5m           3         web-1       Pod                   Warning   Failed    kubelet   Error: ErrImagePull").unwrap();
        assert_eq!(
            (io.kind.as_str(), e.reason.as_str(), e.count),
            ("Pod", "Failed", 3)
        );
        // An overlong reason with one space before the object.
        let h = t(
            "NAMESPACE   LAST SEEN   TYPE      REASON              OBJECT                      MESSAGE",
        );
        let (e, io) = table_row(&h, "batch       10m         Warning   BackoffLimitExceeded job/nightly-export-29101440  Job has reached the specified backoff limit").unwrap();
        assert_eq!(
            (e.reason.as_str(), io.kind.as_str(), io.name.as_str()),
            ("BackoffLimitExceeded", "Job", "nightly-export-29101440")
        );
    }
}
