//! Lines that no block parser placed, read one by one for what their shape says: an event
//! row in any layout, a `get pods` row without its header, a node condition row, a status
//! with its message (`CreateContainerConfigError (configmap "x" not found)`, `OutOfmemory:
//! Node didn't have enough resource...`), kubectl's `pod "x" deleted`, or a Kubernetes
//! component's log line (klog) about a pod.

use super::events::{describe_row, loose_row};
use super::names::{self, Named};
use super::pods_table;
use crate::evidence::{Event, JournalEntry, NodeCondition, Pod};
use crate::status::vocabulary::{self, ReasonLevel};
use regex::Regex;
use std::sync::LazyLock;

/// What one line turned out to be.
#[derive(Debug, Clone)]
pub enum Loose {
    Event(Event),
    PodRow(Box<Pod>),
    NodeCondition(NodeCondition),
    /// A status and its message; `level` says whether the reason is a container's or the
    /// pod's (or an event's).
    Status {
        reason: String,
        message: String,
        level: ReasonLevel,
    },
    Deleted(String),
    /// A component log line (klog), with the message it carries about a pod (the pod it
    /// names, or none when it names no pod but reports an error), and the container states
    /// the kubelet's sync errors spell out.
    Component {
        entry: JournalEntry,
        about: Option<(Option<Named>, Event)>,
        states: Vec<SyncFailure>,
    },
}

/// Reads one line; `None` when its shape says nothing.
pub fn read(line: &str) -> Option<Loose> {
    let t = line.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(name) = names::deleted(t) {
        return Some(Loose::Deleted(name));
    }
    if let Some(c) = component(t) {
        return Some(c);
    }
    if let Some(e) = describe_row(line)
        .or_else(|| loose_row(t))
        .or_else(|| json_event(t))
    {
        return Some(Loose::Event(e));
    }
    if let Some(p) = pods_table::row(t) {
        return Some(Loose::PodRow(Box::new(p)));
    }
    if let Some(c) = node_condition(t) {
        return Some(Loose::NodeCondition(c));
    }
    status_line(t)
}

/// One JSON object per line that carries an event's fields (`kubectl get events -o json |
/// jq -c '.items[] | {reason, message, ...}'`): its reason, message and the object it names.
fn json_event(t: &str) -> Option<Event> {
    if !t.starts_with('{') || !t.ends_with('}') {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    let message = v.get("message")?.as_str()?.to_string();
    let reason = v.get("reason").and_then(|r| r.as_str()).unwrap_or_default();
    let type_ = v.get("type").and_then(|r| r.as_str());
    if reason.is_empty() && type_.is_none() {
        return None;
    }
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let io = v.get("involvedObject");
    let name = text("pod")
        .or_else(|| text("name"))
        .or_else(|| io.and_then(|o| o.get("name")?.as_str().map(str::to_string)));
    let kind = text("kind")
        .or_else(|| io.and_then(|o| o.get("kind")?.as_str().map(str::to_string)))
        .unwrap_or_else(|| "pod".into());
    let count = v
        .get("count")
        .and_then(serde_json::Value::as_i64)
        .and_then(|c| i32::try_from(c).ok())
        .unwrap_or(1);
    Some(Event {
        type_: type_.unwrap_or("Warning").to_string(),
        reason: reason.to_string(),
        message,
        count,
        object: name
            .map(|n| format!("{}/{n}", kind.to_lowercase()))
            .unwrap_or_default(),
        ..Default::default()
    })
}

/// `Ready  False  Tue, 10 Feb 2026 09:14:02 +0000  ...  KubeletNotReady  PLEG is not
/// healthy ...`: a `kubectl describe node` Conditions row (the timestamps tell it from a
/// pod's `Ready  False`).
static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<type>Ready|MemoryPressure|DiskPressure|PIDPressure|NetworkUnavailable|[A-Z][A-Za-z]+)\s+(?P<status>True|False|Unknown)\s+(?:\w{3}, \d{1,2} \w{3} \d{4} [\d:]+ [+-]\d{4}\s+){1,2}(?P<reason>[A-Z]\w*)\s+(?P<message>.*)$",
    )
    .expect("valid condition row regex")
});

pub fn node_condition(t: &str) -> Option<NodeCondition> {
    let c = CONDITION.captures(t)?;
    Some(NodeCondition {
        type_: c["type"].to_string(),
        status: c["status"].to_string(),
        reason: Some(c["reason"].to_string()),
        message: Some(c["message"].trim().to_string()),
        last_transition: None,
    })
}

/// `Reason (message)` or `Reason: message`, the reason in the API's CamelCase.
static STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<reason>Init:[\w:/-]+|[A-Z][a-z]+(?:[A-Z][a-z]*|-[a-z]+)+|OOMKilled|Error|Completed|Evicted)\s*(?:\((?P<paren>.+)\)|:\s+(?P<colon>.+))$",
    )
    .expect("valid status line regex")
});

fn status_line(t: &str) -> Option<Loose> {
    let c = STATUS.captures(t)?;
    let reason = c["reason"].to_string();
    let message = c
        .name("paren")
        .or(c.name("colon"))
        .map_or("", |m| m.as_str())
        .trim()
        .to_string();
    let level = vocabulary::level(&reason);
    // `Error: secret "x" not found` is the kubelet's `Failed` event message, not a status.
    if reason == "Error" && level == ReasonLevel::Container && c.name("colon").is_some() {
        return None;
    }
    Some(Loose::Status {
        reason,
        message,
        level,
    })
}

/// A klog line (`E0507 11:59:34.926448    8691 file.go:123] msg`), with or without the
/// journald prefix.
static KLOG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|\s)(?P<level>[IWEF])(?P<date>\d{4}) (?P<time>\d{2}:\d{2}:\d{2}\.\d+)\s+\d+ (?P<file>[\w./-]+:\d+)\] (?P<msg>.*)$",
    )
    .expect("valid klog regex")
});

/// A logrus line (containerd, CRI-O, Docker): `time="..." level=error msg="..." error="..."`.
static LOGRUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|\s)time="[^"]*" level=(?P<level>\w+) (?P<msg>msg=.*)$"#)
        .expect("valid logrus regex")
});

/// A component's log line: a journal entry, and when it names a pod, the message it
/// carries as an event about that pod (structured lines: `err=` or the message itself).
fn component(t: &str) -> Option<Loose> {
    let (msg, level, file): (String, &str, String) = if let Some(c) = KLOG.captures(t) {
        (
            c["msg"].to_string(),
            match &c["level"] {
                "E" | "F" => "E",
                "W" => "W",
                _ => "I",
            },
            c["file"].split(':').next().unwrap_or_default().to_string(),
        )
    } else if let Some(c) = LOGRUS.captures(t) {
        let level = match &c["level"] {
            "error" | "fatal" | "panic" => "E",
            "warning" | "warn" => "W",
            _ => "I",
        };
        // `msg="..." error="..."` reads like a structured klog line without its text.
        (format!("\"\" {}", &c["msg"]), level, "runtime".into())
    } else {
        return None;
    };
    let entry = super::journal::parse_line(t);
    let named = names::pod_in(&msg);
    let (text, err) = structured(&msg);
    // A line that names no pod still reports an error of the pod the text is about when it
    // carries one (`"PullImage from image service failed" err="..."`, an old kubelet's
    // unstructured error line).
    let relevant = named.is_some() || err.is_some() || matches!(level, "E" | "W");
    // The error when there is one; else the whole structured message, whose keys
    // (`probeType="Liveness"`) say what it is about.
    let message = match err {
        Some(err) if text.is_empty() => err,
        Some(err) => format!("{text}: {err}"),
        None if msg.starts_with('"') && !text.is_empty() => msg.clone(),
        None => text,
    };
    let states = sync_failures(&message);
    let about = relevant.then(|| {
        let message = unescape_quotes(&message);
        let event = Event {
            type_: if level == "I" { "Normal" } else { "Warning" }.into(),
            message,
            count: 1,
            source: file,
            age: None,
            ..Default::default()
        };
        (named, event)
    });
    Some(Loose::Component {
        entry,
        about,
        states,
    })
}

/// One failed step of a pod sync as the kubelet reports it (`pkg/kubelet/container/
/// sync_result.go`: `failed to "%v" for "%v" with %v: %q`): the action (`StartContainer`,
/// `CreatePodSandbox`, `KillPodSandbox`), its target (a container name or the pod's uid),
/// the error's reason and message — what the container's waiting state says too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailure {
    pub action: String,
    pub target: String,
    pub reason: String,
    pub message: String,
}

static SYNC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"failed to \\?"(?P<action>\w+)\\?" for \\?"(?P<target>[^"\\]+)\\?" with (?P<reason>\w+): \\?"(?P<msg>(?:[^"\\]|\\.)*)"#,
    )
    .expect("valid sync failure regex")
});

/// The sync failures a kubelet message reports.
pub fn sync_failures(message: &str) -> Vec<SyncFailure> {
    SYNC.captures_iter(message)
        .map(|c| SyncFailure {
            action: c["action"].to_string(),
            target: c["target"].to_string(),
            reason: c["reason"].to_string(),
            message: unescape_quotes(&c["msg"]),
        })
        .collect()
}

/// `secret \"db\" not found` -> `secret "db" not found`: one level of Go quoting, as a
/// nested `%q` leaves it.
pub fn unescape_quotes(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push(' '),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A structured klog message: `"text" key=value key="quoted \"value\""` -> (text, err).
fn structured(msg: &str) -> (String, Option<String>) {
    let Some(rest) = msg.strip_prefix('"') else {
        return (msg.to_string(), None);
    };
    let (mut text, mut rest) = unquote(rest);
    let mut err = None;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let after = &rest[eq + 1..];
        let (value, tail) = match after.strip_prefix('"') {
            Some(q) => unquote(q),
            None => {
                let end = after.find(' ').unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            }
        };
        match key {
            "err" | "error" => err = Some(value),
            // A logrus line: its `msg` is the text.
            "msg" if text.is_empty() => text = value,
            _ => {}
        }
        rest = tail;
    }
    (text, err)
}

/// Reads a Go-quoted string up to its closing quote: (value, rest after the quote).
fn unquote(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, &s[i + 1..]),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, other)) => out.push(other),
                None => {}
            },
            other => out.push(other),
        }
    }
    (out, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_single_lines() {
        match read("CreateContainerConfigError (configmap \"shop-settings\" not found)").unwrap() {
            Loose::Status {
                reason,
                message,
                level,
            } => {
                assert_eq!(reason, "CreateContainerConfigError");
                assert_eq!(message, "configmap \"shop-settings\" not found");
                assert_eq!(level, ReasonLevel::Container);
            }
            other => panic!("{other:?}"),
        }
        match read("OutOfmemory: Pod Node didn't have enough resource: memory, requested: 536870912, used: 7516192768, capacity: 8053063680")
            .unwrap()
        {
            Loose::Status { level, .. } => assert_eq!(level, ReasonLevel::Pod),
            other => panic!("{other:?}"),
        }
        assert!(read("Error: secret \"db\" not found").is_none());
        match read("  Ready                False   Tue, 10 Feb 2026 09:14:02 +0000   Tue, 10 Feb 2026 09:05:37 +0000   KubeletNotReady              PLEG is not healthy: pleg was last seen active 8m25.104s ago; threshold is 3m0s").unwrap() {
            Loose::NodeCondition(c) => {
                assert_eq!((c.type_.as_str(), c.status.as_str()), ("Ready", "False"));
                assert!(c.message.unwrap().starts_with("PLEG"));
            }
            other => panic!("{other:?}"),
        }
        match read(r#"I0212 07:31:05.204117       1 schedule_one.go:1004] "Unable to schedule pod; no fit; waiting" pod="shop/web-1" err="0/1 nodes are available: 1 Insufficient memory.""#).unwrap() {
            Loose::Component { about: Some((Some(n), e)), .. } => {
                assert_eq!(n.name, "web-1");
                assert_eq!(e.message, "Unable to schedule pod; no fit; waiting: 0/1 nodes are available: 1 Insufficient memory.");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read("pod \"x-1\" deleted"),
            Some(Loose::Deleted(_))
        ));
        let f = sync_failures(
            r#"failed to "StartContainer" for "api" with CreateContainerConfigError: "secret \"db\" not found""#,
        );
        assert_eq!(
            (
                f[0].action.as_str(),
                f[0].target.as_str(),
                f[0].reason.as_str(),
                f[0].message.as_str()
            ),
            (
                "StartContainer",
                "api",
                "CreateContainerConfigError",
                "secret \"db\" not found"
            )
        );
        assert!(read("The quick brown fox").is_none());
    }
}
