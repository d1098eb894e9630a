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

/// Column names of an events header, when the line is one: `kubectl get events` (upper
/// case, any version's column order) or a describe Events header, modern (`Type Reason Age
/// From Message`) or old (`FirstSeen LastSeen Count From SubobjectPath Type Reason
/// Message`). Names are given in the `get events` spelling.
pub fn table_header(line: &str) -> Option<Vec<String>> {
    let cols: Vec<String> = split_columns(line).iter().map(|c| column_name(c)).collect();
    let has = |n: &str| cols.iter().any(|c| c == n);
    (has("REASON") && has("MESSAGE") && (has("TYPE") || has("KIND"))).then_some(cols)
}

/// `FirstSeen` -> `FIRST SEEN`, `From` -> `SOURCE`, `Age` -> `LAST SEEN`.
fn column_name(c: &str) -> String {
    let upper = c.trim().to_uppercase();
    match upper.replace(' ', "").as_str() {
        "FIRSTSEEN" => "FIRST SEEN".into(),
        "LASTSEEN" | "AGE" => "LAST SEEN".into(),
        "FROM" => "SOURCE".into(),
        "SUBOBJECTPATH" => "SUBOBJECT".into(),
        _ => upper,
    }
}

/// True for the modern describe Events header (`Type Reason Age From Message`), whose rows
/// [`describe_row`] reads by shape (an age may hold `(x5 over 10m)`).
pub fn is_describe_header(columns: &[String]) -> bool {
    columns == ["TYPE", "REASON", "LAST SEEN", "SOURCE", "MESSAGE"]
}

/// An event row in any other layout, found by its `Normal|Warning Reason` pair: a `get
/// events` row without its header (any version's column order), a row whose columns are
/// separated by ` - ` or ` | `. Columns before the pair give age, count and object; after it,
/// object, subobject and source come before the message.
static LOOSE_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<pre>(?:.*?\s)?)(?P<type>Normal|Warning)(?:\s+|\s+[-|]\s+)(?P<reason>[A-Z][A-Za-z]+(?: [A-Z][a-z]+)*)(?P<post>(?:\s+|\s+[-|]\s+)\S.*)$",
    )
    .expect("valid loose row regex")
});

static FIELD_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s{2,}|\s+[-|]\s+").expect("valid"));
static OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<kind>[a-z][a-z.]*)/(?P<name>[a-z0-9][\w.-]*)$").expect("valid")
});
static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:kubelet(?:,\s*\S+)?|default-scheduler|[\w-]*(?:controller|scheduler|manager|provisioner|autoscaler)[\w-]*|\{[^}]*\}|[a-z][\w-]*\.[\w.-]+/[\w.-]+)$")
        .expect("valid")
});
static AGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+[smhdy](?:\d+[smhdy])*|<unknown>|<invalid>)(?:\s*\(x(?P<count>\d+) over [^)]+\))?$")
        .expect("valid")
});

/// The object an event is about from the event's own name (`web-1.17a3f9c2b4d5e6f7`): the
/// API names events `<object>.<hex>`.
pub fn object_of_event_name(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((object, hash)) if hash.len() >= 10 && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
            object
        }
        _ => name,
    }
}

/// Parses a row in a layout [`describe_row`] does not know (see [`LOOSE_ROW`]).
pub fn loose_row(line: &str) -> Option<Event> {
    let c = LOOSE_ROW.captures(line.trim())?;
    // A console shows reasons in words (`Failed Create`): the API's reason has none.
    let mut event = Event {
        type_: c["type"].to_string(),
        reason: c["reason"].replace(' ', ""),
        count: 1,
        ..Default::default()
    };
    // Before the pair: ages, a count, `NAME KIND` (old layout), a namespace.
    let pre: Vec<&str> = FIELD_SEP
        .split(c["pre"].trim())
        .filter(|f| !f.is_empty())
        .collect();
    let mut object: Option<String> = None;
    for (i, f) in pre.iter().enumerate() {
        if let Some(a) = AGE.captures(f) {
            if event.age.is_none() {
                event.age = Some(f.split_whitespace().next().unwrap_or(f).to_string());
            }
            if let Some(n) = a.name("count").and_then(|m| m.as_str().parse().ok()) {
                event.count = n;
            }
        } else if let Ok(n) = f.parse::<i32>() {
            event.count = n;
        } else if f.starts_with("spec.") {
            event.container = crate::sources::objects::convert::container_of_field_path(f);
        } else if let Some(o) = OBJECT.captures(f) {
            object = Some(format!("{}/{}", &o["kind"], &o["name"]));
        } else if i > 0
            && f.chars().next().is_some_and(char::is_uppercase)
            && !pre[i - 1].contains('/')
            && AGE.captures(pre[i - 1]).is_none()
        {
            object = Some(format!(
                "{}/{}",
                f.to_lowercase(),
                object_of_event_name(pre[i - 1])
            ));
        }
    }
    // After the pair: object, subobject, source, then the message.
    let post =
        c["post"].trim_start_matches(|ch: char| ch.is_whitespace() || ch == '-' || ch == '|');
    let mut rest = post;
    for _ in 0..3 {
        let (head, tail) = match FIELD_SEP.find(rest) {
            Some(m) => (&rest[..m.start()], &rest[m.end()..]),
            None => match rest.split_once(' ') {
                // Single-spaced: only an object can be told from the message's first word.
                Some((h, t)) if OBJECT.is_match(h) => (h, t),
                _ => break,
            },
        };
        if let Some(o) = OBJECT.captures(head) {
            object = Some(format!("{}/{}", &o["kind"], &o["name"]));
        } else if head.starts_with("spec.") {
            event.container = crate::sources::objects::convert::container_of_field_path(head);
        } else if SOURCE.is_match(head) {
            event.source = head.split(',').next().unwrap_or(head).trim().to_string();
        } else {
            break;
        }
        rest = tail;
    }
    event.message = rest.trim().to_string();
    if event.message.is_empty() {
        return None;
    }
    event.object = object.unwrap_or_default();
    Some(event)
}

/// The namespace in front of an event row printed with a NAMESPACE column (`kubectl get
/// events -A` whose header was cut off): a DNS label followed by the LAST SEEN age.
pub fn leading_namespace(line: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    let (first, second) = (words.next()?, words.next()?);
    let label = first.len() <= 63
        && first
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && first.starts_with(|c: char| c.is_ascii_alphanumeric())
        && first.ends_with(|c: char| c.is_ascii_alphanumeric());
    let age = crate::evidence::parse_age(second).is_some() || second == "<unknown>";
    (label && age && crate::evidence::parse_age(first).is_none()).then(|| first.to_string())
}

/// The involved object of an event that names one as `kind/name`.
pub fn involved(event: &Event, namespace: &str) -> Option<InvolvedObject> {
    let (kind, name) = event.object.split_once('/')?;
    Some(InvolvedObject {
        kind: capitalize_kind(kind),
        namespace: namespace.to_string(),
        name: name.to_string(),
        uid: None,
    })
}

/// Splits on runs of two or more spaces.
pub fn split_columns(line: &str) -> Vec<String> {
    positioned(line).into_iter().map(|(_, s)| s).collect()
}

/// Fields with their start offsets: text between runs of two or more white-space
/// characters (one pass over the line; every table row of a long paste goes through here).
fn positioned(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let body = line.trim_end();
    let mut start = line.len() - line.trim_start().len();
    if start >= body.len() {
        return out;
    }
    // The current run of white space: where it began and how many characters it has.
    let mut run: Option<(usize, usize)> = None;
    let first = start;
    for (i, c) in body[first..].char_indices().map(|(i, c)| (i + first, c)) {
        if c.is_whitespace() {
            let (begin, n) = run.unwrap_or((i, 0));
            run = Some((begin, n + 1));
            continue;
        }
        if let Some((begin, n)) = run.take()
            && n >= 2
        {
            if begin > start {
                out.push((start, body[start..begin].to_string()));
            }
            start = i;
        }
    }
    out.push((start, body[start..].to_string()));
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
        Some(format!(
            "{}/{}",
            kind.to_lowercase(),
            object_of_event_name(&name)
        ))
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

/// `pod` -> `Pod`, `rs` -> `ReplicaSet`, as the API spells kinds; an unknown kind as written.
fn capitalize_kind(k: &str) -> String {
    crate::evidence::api_kind(k).map_or_else(|| k.to_string(), str::to_string)
}

#[cfg(test)]
mod tests;
