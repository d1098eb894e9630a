//! `kubectl describe pod` text (kubectl 1.20 to 1.33; one or many pods) into evidence pods.
//!
//! The parser walks lines with a section state (top level, containers, conditions,
//! volumes, events) driven by known keys and indentation, so it copes with pastes that start
//! in the middle (a container's `State:` block, only the `Events:` section), lines that a
//! terminal wrapped, and collapsed spacing. What it does not know it skips.

use super::clean::{Line, indent};
use super::events::{describe_row, is_describe_row};
use crate::evidence::{
    Container, ContainerState, ContainerStatus, Event, Owner, Pod, PodCondition,
};
use jiff::Timestamp;

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

/// Keys of the top level of `kubectl describe pod`.
const TOP_KEYS: &[&str] = &[
    "Name",
    "Namespace",
    "Priority",
    "Priority Class Name",
    "Runtime Class Name",
    "Service Account",
    "Node",
    "Start Time",
    "Labels",
    "Annotations",
    "Status",
    "Reason",
    "Message",
    "SeccompProfile",
    "IP",
    "IPs",
    "Controlled By",
    "Init Containers",
    "Containers",
    "Ephemeral Containers",
    "Readiness Gates",
    "Conditions",
    "Volumes",
    "QoS Class",
    "Node-Selectors",
    "Tolerations",
    "Events",
    "Termination Grace Period",
    "Nominated Node Name",
    "Replication Controllers",
    "Topology Spread Constraints",
];

/// Keys of a container block.
const CONTAINER_KEYS: &[&str] = &[
    "Container ID",
    "Image",
    "Image ID",
    "Port",
    "Ports",
    "Host Port",
    "Host Ports",
    "Command",
    "Args",
    "State",
    "Last State",
    "Ready",
    "Restart Count",
    "Limits",
    "Requests",
    "Liveness",
    "Readiness",
    "Startup",
    "Environment",
    "Environment Variables from",
    "Mounts",
    "Devices",
    "Restart Policy",
    "SeccompProfile",
];

/// Keys inside a `State:` or `Last State:` block.
const STATE_KEYS: &[&str] = &[
    "Reason",
    "Message",
    "Exit Code",
    "Signal",
    "Started",
    "Finished",
];

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
        if i > 0 && p.saw_name && indent(&line.text) == 0 && line.text.starts_with("Name:") {
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
}

#[derive(Clone, Copy)]
struct SectionState(Section);

#[derive(Default, Clone)]
struct StateBuilder {
    kind: String,
    reason: Option<String>,
    message: Option<String>,
    exit_code: Option<i32>,
    signal: Option<i32>,
    started: Option<Timestamp>,
    finished: Option<Timestamp>,
}

impl StateBuilder {
    /// Sets one key of a state block.
    fn set(&mut self, key: &str, value: &str) {
        let v = value.to_string();
        match key {
            // Old kubelets put the error text in the reason: a reason has no spaces.
            "Reason" if v.contains(' ') => {
                self.message.get_or_insert(v);
            }
            "Reason" => self.reason = Some(v),
            "Message" => self.message = Some(v),
            "Exit Code" => self.exit_code = leading_number(value),
            "Signal" => self.signal = leading_number(value),
            "Started" => self.started = parse_time(value),
            "Finished" => self.finished = parse_time(value),
            _ => {}
        }
    }

    fn build(self) -> ContainerState {
        match self.kind.as_str() {
            "Waiting" => ContainerState::Waiting {
                reason: self.reason,
                message: self.message,
            },
            "Running" => ContainerState::Running {
                started_at: self.started,
            },
            "Terminated" => ContainerState::Terminated {
                reason: self.reason,
                message: self.message,
                exit_code: self.exit_code.unwrap_or(0),
                signal: self.signal,
                started_at: self.started,
                finished_at: self.finished,
            },
            _ => ContainerState::None,
        }
    }
}

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
                self.label_line(&format!("  {v}"));
            }
            "Status" => {
                self.has_status = true;
                self.status_text = v.to_string();
            }
            "Reason" => self.pod.reason = value(),
            "Message" => self.pod.message = value(),
            "Termination Grace Period" => self.grace = value(),
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
            "Ephemeral Containers"
            | "Tolerations"
            | "Node-Selectors"
            | "IPs"
            | "Readiness Gates" => self.section = Some(SectionState(Section::Other)),
            _ => {}
        }
    }

    fn label_line(&mut self, text: &str) {
        let t = text.trim();
        if t.is_empty() || t == "<none>" {
            return;
        }
        let annotations = self.section() == Section::Annotations;
        let pair = if annotations {
            t.split_once(": ").or_else(|| t.split_once(':'))
        } else {
            t.split_once('=')
        };
        if let Some((k, v)) = pair {
            let map = if annotations {
                &mut self.pod.annotations
            } else {
                &mut self.pod.labels
            };
            map.insert(k.trim().to_string(), v.trim().to_string());
        }
    }

    fn condition_line(&mut self, text: &str) {
        let cols: Vec<&str> = text.split_whitespace().collect();
        if cols.len() < 2 || cols[0] == "Type" {
            return;
        }
        if matches!(cols[1], "True" | "False" | "Unknown") {
            self.pod.conditions.push(PodCondition {
                type_: cols[0].to_string(),
                status: cols[1].to_string(),
                reason: None,
                message: None,
            });
        }
    }

    fn volume_line(&mut self, text: &str, kv: Option<(String, String)>) {
        let Some((k, v)) = kv else {
            return;
        };
        if v.is_empty() && indent(text) <= 2 {
            self.volume = Some((k, String::new()));
            return;
        }
        let Some((name, _)) = self.volume.clone() else {
            return;
        };
        let source = match k.as_str() {
            "SecretName" => format!("secret/{v}"),
            "ClaimName" => format!("pvc/{v}"),
            "Name" => format!("configMap/{v}"),
            "Type" if v.starts_with("EmptyDir") => "emptyDir".into(),
            "Type" if v.starts_with("HostPath") => "hostPath".into(),
            "Server" => format!("nfs/{v}"),
            _ => return,
        };
        self.pod.volumes.retain(|(n, _)| *n != name);
        self.pod.volumes.push((name, source));
    }

    fn container_line(&mut self, text: &str, ind: usize, kv: Option<(String, String)>) {
        // `  app:` starts a container.
        if let Some((k, v)) = &kv
            && v.is_empty()
            && !CONTAINER_KEYS.contains(&k.as_str())
            && !STATE_KEYS.contains(&k.as_str())
            && ind <= 2
            && is_dns_name(k)
        {
            self.flush_container();
            self.container = Some(Container {
                name: k.clone(),
                init: self.section() == Section::InitContainers,
                ..Default::default()
            });
            return;
        }
        let Some(c) = self.container.as_mut() else {
            return;
        };
        let Some((k, v)) = kv else {
            // A list item (command, args) or a wrapped value.
            let t = text.trim();
            match self.sub {
                Some(Sub::Command) => c.command.push(t.to_string()),
                Some(Sub::State) | Some(Sub::LastState) => {
                    if let Some(s) = self.last_state.as_mut()
                        && let Some(m) = s.message.as_mut()
                    {
                        m.push(' ');
                        m.push_str(t);
                    }
                }
                _ => {}
            }
            return;
        };
        // Inside State/Last State: its own keys.
        if matches!(self.sub, Some(Sub::State) | Some(Sub::LastState))
            && STATE_KEYS.contains(&k.as_str())
        {
            let s = self.last_state.get_or_insert_with(StateBuilder::default);
            s.set(&k, &v);
            return;
        }
        // `Exit Code:` with no `State:` before it: a cut-off terminated state.
        if matches!(k.as_str(), "Exit Code" | "Signal" | "Finished") && self.last_state.is_none() {
            self.which_state = Some(Sub::LastState);
            self.sub = Some(Sub::LastState);
            self.state_indent = ind.saturating_sub(1);
            let s = self.last_state.insert(StateBuilder {
                kind: "Terminated".into(),
                ..Default::default()
            });
            s.set(&k, &v);
            return;
        }
        match self.sub {
            Some(Sub::Limits) | Some(Sub::Requests) if !CONTAINER_KEYS.contains(&k.as_str()) => {
                let map = if self.sub == Some(Sub::Limits) {
                    &mut c.resources.limits
                } else {
                    &mut c.resources.requests
                };
                map.insert(k, v);
                return;
            }
            Some(Sub::Environment) if !CONTAINER_KEYS.contains(&k.as_str()) => {
                if let Some(r) = env_ref(&v) {
                    c.env_refs.push(r);
                }
                return;
            }
            _ => {}
        }
        self.close_state();
        let c = self.container.as_mut().expect("checked above");
        self.sub = Some(Sub::Other);
        match k.as_str() {
            "Image" => c.image = v,
            "Host Port" | "Host Ports" => {
                c.host_ports = v
                    .split(',')
                    .filter_map(|p| p.trim().split('/').next()?.parse().ok())
                    .filter(|p| *p != 0)
                    .collect()
            }
            "Command" | "Args" => self.sub = Some(Sub::Command),
            "State" | "Last State" => {
                self.sub = Some(if k == "State" {
                    Sub::State
                } else {
                    Sub::LastState
                });
                self.which_state = self.sub;
                self.state_indent = ind;
                self.last_state = Some(StateBuilder {
                    kind: v.split_whitespace().next().unwrap_or_default().to_string(),
                    ..Default::default()
                });
            }
            "Ready" => {
                let st = c.status.get_or_insert_with(ContainerStatus::default);
                st.ready = v == "True";
            }
            "Restart Count" => {
                let st = c.status.get_or_insert_with(ContainerStatus::default);
                st.restart_count = leading_number(&v).unwrap_or(0);
            }
            "Limits" => self.sub = Some(Sub::Limits),
            "Requests" => self.sub = Some(Sub::Requests),
            "Environment" => self.sub = Some(Sub::Environment),
            "Environment Variables from" => self.sub = Some(Sub::EnvFrom),
            "Liveness" | "Readiness" | "Startup" => {
                let probe = Some(parse_probe(&v));
                match k.as_str() {
                    "Liveness" => c.liveness = probe,
                    "Readiness" => c.readiness = probe,
                    _ => c.startup = probe,
                }
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

    /// True when `key` at this indentation belongs to an open state block (a fragment whose
    /// indentation was lost: `State: Waiting` then `Reason: CrashLoopBackOff` at column 0).
    fn state_key_here(&self, key: &str, ind: usize) -> bool {
        matches!(self.sub, Some(Sub::State) | Some(Sub::LastState))
            && self.container.is_some()
            && matches!(
                self.section(),
                Section::Containers | Section::InitContainers
            )
            && STATE_KEYS.contains(&key)
            && ind >= self.state_indent
    }

    /// Moves a top-level `Reason:`/`Message:` just read into a terminated state of a new
    /// container fragment: they were the state's, cut from their `State:` line.
    fn open_loose_state(&mut self) {
        let reason = self.pod.reason.take();
        let message = self.pod.message.take();
        self.section = Some(SectionState(Section::Containers));
        self.container = Some(Container::default());
        self.sub = Some(Sub::LastState);
        self.which_state = Some(Sub::LastState);
        self.state_indent = 0;
        self.loose_reason = false;
        self.last_state = Some(StateBuilder {
            kind: "Terminated".into(),
            reason,
            message,
            ..Default::default()
        });
    }

    /// Stores a finished State/Last State block on the current container.
    fn close_state(&mut self) {
        let (Some(s), Some(which), Some(c)) = (
            self.last_state.take(),
            self.which_state.take(),
            self.container.as_mut(),
        ) else {
            return;
        };
        let st = c.status.get_or_insert_with(ContainerStatus::default);
        if which == Sub::State {
            st.state = s.build();
        } else {
            st.last_state = s.build();
        }
    }

    fn flush_container(&mut self) {
        self.close_state();
        self.sub = None;
        if let Some(c) = self.container.take() {
            self.ready_flags
                .push(c.status.as_ref().is_some_and(|s| s.ready) || c.init);
            if c.init {
                self.pod.init_containers.push(c);
            } else {
                self.pod.containers.push(c);
            }
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

/// `143          <- SIGTERM` -> 143: the number a value starts with (people annotate).
fn leading_number(v: &str) -> Option<i32> {
    let t = v.trim();
    let end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map_or(t.len(), |(i, _)| i);
    t[..end].parse().ok()
}

fn is_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
        })
}

/// `<set to the key 'password' in secret 'db-credentials'>` -> `secret/db-credentials`.
fn env_ref(v: &str) -> Option<String> {
    let (kind, rest) = if let Some(r) = v.split_once(" in secret '") {
        ("secret", r.1)
    } else if let Some(r) = v.split_once(" of config map '") {
        ("configMap", r.1)
    } else {
        return None;
    };
    let name = rest.split('\'').next()?;
    Some(format!("{kind}/{name}"))
}

/// `http-get http://:8080/healthz delay=10s timeout=1s period=10s #success=1 #failure=3`.
fn parse_probe(v: &str) -> crate::evidence::Probe {
    let num = |key: &str| -> Option<i32> {
        v.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .map(|n| n.trim_end_matches('s'))
            .and_then(|n| n.parse().ok())
    };
    let action_end = v.find(" delay=").unwrap_or(v.len());
    crate::evidence::Probe {
        action: v[..action_end].trim().to_string(),
        initial_delay_seconds: num("delay=").unwrap_or(0),
        timeout_seconds: num("timeout=").unwrap_or(1),
        period_seconds: num("period=").unwrap_or(10),
        failure_threshold: num("#failure=").unwrap_or(3),
    }
}

/// `Wed, 20 Nov 2026 10:00:01 +0000` (kubectl's describe format).
pub fn parse_time(v: &str) -> Option<Timestamp> {
    let v = v.trim();
    // The weekday adds nothing and a hand-edited paste may get it wrong: drop it.
    let without_day = v.split_once(", ").map_or(v, |(_, rest)| rest);
    jiff::fmt::strtime::parse("%d %b %Y %H:%M:%S %z", without_day)
        .ok()
        .and_then(|t| t.to_timestamp().ok())
        .or_else(|| v.parse().ok())
}

/// `Terminating (expires Mon, 21 Mar 2016 16:42:16 -0400)` (the deletion time plus the
/// grace period), `Terminating (lasts 2d)` (how long before the text was taken), or just
/// `Terminating`.
fn deletion(status: &str, grace: Option<&str>) -> crate::evidence::Deletion {
    let inner = status
        .split_once('(')
        .map(|(_, rest)| rest.trim_end_matches(')'))
        .unwrap_or_default();
    if let Some(expires) = inner.strip_prefix("expires ") {
        let grace_secs: i64 = grace
            .and_then(|g| g.trim_end_matches('s').parse().ok())
            .unwrap_or(30);
        let at = parse_time(expires).and_then(|t| {
            t.checked_sub(jiff::SignedDuration::from_secs(grace_secs))
                .ok()
        });
        return crate::evidence::Deletion {
            at,
            age_seconds: None,
        };
    }
    crate::evidence::Deletion {
        at: None,
        age_seconds: inner
            .strip_prefix("lasts ")
            .and_then(crate::evidence::parse_age),
    }
}

#[cfg(test)]
mod tests;

/// Whether a line is an Events row (re-exported for detection).
pub fn is_event_row(line: &str) -> bool {
    is_describe_row(line)
}
