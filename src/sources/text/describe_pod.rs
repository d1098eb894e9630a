//! `kubectl describe pod` text (kubectl 1.20 to 1.33; one or many pods) into evidence pods.
//!
//! The parser walks lines with a section state (top level, containers, conditions,
//! volumes, events) driven by known keys and indentation, so it copes with pastes that start
//! in the middle (a container's `State:` block, only the `Events:` section), lines that a
//! terminal wrapped, and collapsed spacing. What it does not know it skips.

use super::clean::{Line, indent};
use super::events::{describe_row, is_describe_row};
use crate::evidence::{Container, Event, Owner, Pod, PodCondition};
use container::StateBuilder;
use keys::{CONTAINER_KEYS, STATE_KEYS, TOP_KEYS};
use values::deletion;

mod container;
pub(crate) mod keys;
mod sections;
mod values;

pub use values::parse_time;

/// A parsed pod and how many lines it used.
pub struct Parsed {
    pub pod: Pod,
    /// The pod's `Node:` came with its events' old `kubelet, NODE` source.
    pub consumed: usize,
    /// The paste had the pod's `Status:` line (else the status is unknown).
    pub has_status: bool,
    /// The paste had an `Events:` section (possibly `<none>`).
    pub has_events: bool,
}

/// True when the line starts a describe-pod text (or a recognisable part of one).
pub fn looks_like(lines: &[Line]) -> bool {
    let mut name = false;
    for l in lines.iter().take(40) {
        let Some((k, _)) = key_value(&l.text) else {
            continue;
        };
        match k.as_str() {
            "Name" if indent(&l.text) == 0 => name = true,
            "Namespace" | "Containers" | "Init Containers" | "Controlled By" | "QoS Class"
                if name || indent(&l.text) == 0 =>
            {
                return true;
            }
            "State" | "Last State" | "Restart Count" | "Exit Code" => return true,
            _ => {}
        }
    }
    false
}

/// True when a line can start a fragment of a container block (`Last State:`, `State:`,
/// `Restart Count:`) or of a state (`Reason:` then `Exit Code:`).
pub fn starts_fragment(line: &str) -> bool {
    key_value(line).is_some_and(|(k, _)| {
        (CONTAINER_KEYS.contains(&k.as_str()) && !TOP_KEYS.contains(&k.as_str()))
            || matches!(k.as_str(), "Reason" | "Exit Code")
    })
}

/// `Key:   value` -> (`Key`, `value`); keys are words with spaces and dashes.
pub fn key_value(line: &str) -> Option<(String, String)> {
    let t = line.trim_start();
    let colon = t.find(':')?;
    let key = &t[..colon];
    if key.is_empty()
        || key.len() > 40
        || !key.chars().all(|c| {
            c.is_ascii_alphanumeric() || c == ' ' || c == '-' || c == '_' || c == '.' || c == '/'
        })
    {
        return None;
    }
    let rest = &t[colon + 1..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None; // `http://x`, `a:b`
    }
    Some((key.to_string(), rest.trim().to_string()))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Top,
    InitContainers,
    Containers,
    Conditions,
    Volumes,
    Events,
    Labels,
    Annotations,
    NodeSelectors,
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sub {
    State,
    LastState,
    Limits,
    Requests,
    Environment,
    EnvFrom,
    Command,
    Other,
}

/// Parses one pod from the start of `lines` (up to the next `Name:` at the top level).
pub fn parse(lines: &[Line]) -> Parsed {
    let mut p = Parser::default();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.prompt && i > 0 {
            break;
        }
        // The next object; after an Events section even when this one's `Name:` was not
        // pasted (a paste that starts inside the Events table).
        if i > 0
            && (p.saw_name || p.section() == Section::Events)
            && indent(&line.text) == 0
            && line.text.starts_with("Name:")
        {
            break;
        }
        // Events is the last section: a blank line after it ends this pod's text.
        if p.section() == Section::Events && line.text.trim().is_empty() {
            break;
        }
        p.line(&line.text);
        i += 1;
    }
    p.finish(i)
}

#[derive(Default)]
struct Parser {
    pod: Pod,
    section: Option<SectionState>,
    sub: Option<Sub>,
    container: Option<Container>,
    last_state: Option<StateBuilder>,
    which_state: Option<Sub>,
    volume: Option<(String, String)>,
    saw_name: bool,
    has_status: bool,
    has_events: bool,
    events: Vec<Event>,
    status_text: String,
    grace: Option<String>,
    ready_flags: Vec<bool>,
    /// The last line was the pod's `Message:`: indented lines without a key continue it.
    message_open: bool,
    /// Indentation of the open `State:`/`Last State:` line.
    state_indent: usize,
    /// An old-style Events header (`FirstSeen  LastSeen  Count  From ...`): rows by column.
    event_table: Option<super::events::Table>,
    /// A top-level `Reason:`/`Message:` just read: it may open a state block cut from its
    /// `State:` line (`Reason: OOMKilled` then `Exit Code: 137`).
    loose_reason: bool,
    /// Indentation of the first variable of the open `Environment:` block: deeper lines
    /// continue a multi-line value.
    env_indent: Option<usize>,
    /// The last variable read has a literal value (a continuation line extends it).
    env_open: bool,
    /// The annotation whose value kubectl printed on the lines below its key (a long or
    /// multi-line value: `key:` then indented lines).
    annotation_open: Option<String>,
}

#[derive(Clone, Copy)]
struct SectionState(Section);

impl Parser {
    fn section(&self) -> Section {
        self.section.map_or(Section::Top, |s| s.0)
    }

    fn line(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let ind = indent(text);
        let kv = key_value(text);
        // Events: rows, and continuation lines of a wrapped or multi-line message.
        if self.section() == Section::Events {
            self.event_line(text);
            return;
        }
        // `Reason:`/`Message:` then `Exit Code:`: a terminated state cut from its `State:`.
        if let Some((k, v)) = &kv
            && self.loose_reason
            && self.container.is_none()
            && matches!(k.as_str(), "Exit Code" | "Signal" | "Started" | "Finished")
        {
            self.open_loose_state();
            let s = self.last_state.get_or_insert_with(StateBuilder::default);
            s.set(k, v);
            return;
        }
        // A top-level key: known, at column 0 (`Name:` inside Volumes is a volume's).
        if let Some((k, v)) = &kv
            && TOP_KEYS.contains(&k.as_str())
            && ind == 0
            && !self.state_key_here(k, ind)
        {
            self.flush_container();
            self.loose_reason = matches!(k.as_str(), "Reason" | "Message") && !v.is_empty();
            self.message_open = k == "Message" && !v.is_empty();
            self.top(k, v);
            return;
        }
        // A long top-level `Message:` wrapped by the terminal or the paste: its indented
        // continuation lines.
        if kv.is_none() && ind > 0 && self.message_open {
            if let Some(m) = self.pod.message.as_mut() {
                m.push(' ');
                m.push_str(text.trim());
            }
            return;
        }
        self.message_open = false;
        // kubectl before 1.10 printed `No events.` for an empty Events section.
        if ind == 0 && text.trim() == "No events." {
            self.has_events = true;
            self.section = Some(SectionState(Section::Events));
            return;
        }
        self.loose_reason = false;
        match self.section() {
            Section::Labels | Section::Annotations => self.label_line(text),
            Section::NodeSelectors => {
                // Further selectors on indented lines, as describe prints labels.
                if let Some((k, v)) = text.trim().split_once('=')
                    && ind > 0
                    && let Some(selector) = self.pod.scheduling.selector.as_mut()
                {
                    selector.insert(k.to_string(), v.to_string());
                }
            }
            Section::Conditions => self.condition_line(text),
            Section::Volumes => self.volume_line(text, kv),
            Section::InitContainers | Section::Containers => self.container_line(text, ind, kv),
            Section::Top | Section::Other if describe_row(text).is_some() => {
                // Event rows without their `Events:` line (`| tail -4`).
                self.has_events = true;
                self.section = Some(SectionState(Section::Events));
                self.event_line(text);
            }
            Section::Top | Section::Other => {
                // A container block pasted without its `Containers:` header: `  web:`.
                if let Some((k, v)) = &kv
                    && v.is_empty()
                    && self.container.is_none()
                    && !k.is_empty()
                    && k.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    self.section = Some(SectionState(Section::Containers));
                    self.container_line(text, ind, kv);
                    return;
                }
                // A fragment that starts inside a container block (`Last State:` at any
                // indentation once the paste's own indentation is gone).
                if let Some((k, _)) = &kv
                    && CONTAINER_KEYS.contains(&k.as_str())
                    && (ind > 0 || !TOP_KEYS.contains(&k.as_str()))
                {
                    self.section = Some(SectionState(Section::Containers));
                    self.container = Some(Container::default());
                    self.container_line(text, ind, kv);
                }
            }
            Section::Events => {}
        }
    }

    fn top(&mut self, k: &str, v: &str) {
        self.section = Some(SectionState(Section::Top));
        let value = || (!v.is_empty() && v != "<none>").then(|| v.to_string());
        match k {
            "Name" => {
                self.saw_name = true;
                self.pod.name = v.to_string();
            }
            "Namespace" => self.pod.namespace = v.to_string(),
            "Node" => {
                self.pod.node_name = value().map(|n| n.split('/').next().unwrap_or(&n).to_string())
            }
            "Start Time" => self.pod.created_at = parse_time(v),
            "Labels" => {
                self.section = Some(SectionState(Section::Labels));
                self.label_line(&format!("  {v}"));
            }
            "Annotations" => {
                self.section = Some(SectionState(Section::Annotations));
                self.annotation_open = None;
                self.label_line(&format!("  {v}"));
            }
            "Status" => {
                self.has_status = true;
                self.status_text = v.to_string();
            }
            "Reason" => self.pod.reason = value(),
            "Message" => self.pod.message = value(),
            "Termination Grace Period" => self.grace = value(),
            // `Node-Selectors:  disktype=ssd` (more on indented lines), `<none>`: none.
            "Node-Selectors" => {
                let selector = self
                    .pod
                    .scheduling
                    .selector
                    .get_or_insert_with(Default::default);
                if let Some((k, v)) = value().as_deref().and_then(|v| v.split_once('=')) {
                    selector.insert(k.trim().to_string(), v.trim().to_string());
                }
                self.section = Some(SectionState(Section::NodeSelectors));
            }
            "Controlled By" => {
                if let Some((kind, name)) = v.split_once('/') {
                    let kind = kind.to_lowercase();
                    self.pod.owner = Some(Owner {
                        chain: vec![format!("{kind}/{name}")],
                        kind,
                        name: name.to_string(),
                    });
                }
            }
            "Init Containers" => self.section = Some(SectionState(Section::InitContainers)),
            "Containers" => self.section = Some(SectionState(Section::Containers)),
            "Conditions" => self.section = Some(SectionState(Section::Conditions)),
            "Volumes" => self.section = Some(SectionState(Section::Volumes)),
            "Events" => {
                self.has_events = true;
                self.section = Some(SectionState(Section::Events));
                // `Events: Liveness probe failed ...`: a condensed paste, message inline.
                if !v.is_empty() && v != "<none>" {
                    self.event_line(v);
                }
            }
            "Ephemeral Containers" | "Tolerations" | "IPs" | "Readiness Gates" => {
                self.section = Some(SectionState(Section::Other))
            }
            _ => {}
        }
    }

    /// A line of the Events section: a row (describe layout, or by the columns of an
    /// old-style header), a header, or the continuation of the previous message.
    fn event_line(&mut self, text: &str) {
        let t = text.trim();
        if let Some(columns) = super::events::table_header(t) {
            // `Type Reason Age From Message` rows parse by shape; any other header by column.
            if !super::events::is_describe_header(&columns) {
                self.event_table = Some(super::events::Table {
                    header_line: t.to_string(),
                    columns,
                });
            }
            return;
        }
        if t.starts_with("----") || t.chars().all(|c| c == '-' || c == ' ') {
            return;
        }
        if let Some(table) = &self.event_table
            && let Some((e, _)) = super::events::table_row(table, t)
        {
            self.events.push(e);
            return;
        }
        if let Some(e) = describe_row(text).or_else(|| super::events::loose_row(t)) {
            self.events.push(e);
            return;
        }
        match self.events.last_mut() {
            Some(last) => {
                last.message.push(' ');
                last.message.push_str(t);
            }
            None => self.events.push(super::events::bare_message(t)),
        }
    }

    fn finish(mut self, consumed: usize) -> Parsed {
        self.flush_container();
        let status = self.status_text.clone();
        let mut words = status.split_whitespace();
        match words.next() {
            Some("Terminating") => {
                self.pod.phase = "Running".into();
                self.pod.deletion = Some(deletion(&status, self.grace.as_deref()));
            }
            Some(phase) => self.pod.phase = phase.to_string(),
            None => {}
        }
        // describe does not print restartPolicy; these controllers only allow `Always`.
        if self.pod.owner.as_ref().is_some_and(|o| {
            matches!(
                o.kind.as_str(),
                "replicaset" | "statefulset" | "daemonset" | "replicationcontroller"
            )
        }) {
            self.pod.restart_policy = "Always".into();
        }
        if self.pod.conditions.is_empty() && self.has_status && !self.pod.containers.is_empty() {
            // No Conditions table pasted: Ready follows the containers.
            let ready = self
                .pod
                .containers
                .iter()
                .all(|c| c.status.as_ref().is_some_and(|s| s.ready));
            self.pod.conditions.push(PodCondition {
                type_: "Ready".into(),
                status: if ready { "True" } else { "False" }.into(),
                reason: None,
                message: None,
            });
        }
        if self.pod.node_name.is_none() {
            self.pod.node_name = self.events.iter().find_map(|e| e.source_host.clone());
        }
        resolve_owner(&mut self.pod);
        self.pod.partial = !self.has_status;
        for e in &mut self.events {
            e.object = format!("pod/{}", self.pod.name);
        }
        self.pod.events = self.events;
        Parsed {
            pod: self.pod,
            consumed,
            has_status: self.has_status,
            has_events: self.has_events,
        }
    }
}

/// `ReplicaSet/web-7d9c` with label `pod-template-hash=7d9c` -> `deployment/web`.
fn resolve_owner(pod: &mut Pod) {
    let Some(owner) = pod.owner.as_mut() else {
        return;
    };
    if owner.kind != "replicaset" {
        return;
    }
    let Some(hash) = pod.labels.get("pod-template-hash") else {
        return;
    };
    if let Some(deploy) = owner.name.strip_suffix(&format!("-{hash}")) {
        owner.chain.push(format!("deployment/{deploy}"));
        owner.kind = "deployment".into();
        owner.name = deploy.to_string();
    }
}

#[cfg(test)]
mod tests;

/// Whether a line is an Events row (re-exported for detection).
pub fn is_event_row(line: &str) -> bool {
    is_describe_row(line)
}
