//! The containers of a `kubectl describe pod`: each container's keys, its ports, its
//! `Environment:` block, its `State:` and `Last State:` blocks (also when a paste starts
//! inside one), and flushing it into the pod.

use super::values::{
    env_literal, env_ref, env_var, is_dns_name, leading_number, parse_probe, parse_time,
};
use super::{CONTAINER_KEYS, Parser, STATE_KEYS, Section, SectionState, Sub};
use crate::evidence::{Container, ContainerState, ContainerStatus};
use crate::sources::text::services::values::container_ports;
use jiff::Timestamp;

#[derive(Default, Clone)]
pub(super) struct StateBuilder {
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
    pub(super) fn set(&mut self, key: &str, value: &str) {
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

    pub(super) fn build(self) -> ContainerState {
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
    pub(super) fn container_line(&mut self, text: &str, ind: usize, kv: Option<(String, String)>) {
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
        if self.container.is_none() {
            return;
        }
        if self.sub == Some(Sub::Environment) && self.env_line(text, ind) {
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
            _ => {}
        }
        self.close_state();
        let c = self.container.as_mut().expect("checked above");
        self.sub = Some(Sub::Other);
        match k.as_str() {
            "Image" => c.image = v,
            "Port" | "Ports" => c.ports = container_ports(&v),
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
            "Environment" => {
                self.sub = Some(Sub::Environment);
                self.env_indent = None;
                self.env_open = false;
            }
            "Environment Variables from" => self.sub = Some(Sub::EnvFrom),
            "Liveness" | "Readiness" | "Startup" => {
                let probe = Some(Box::new(parse_probe(&v)));
                match k.as_str() {
                    "Liveness" => c.liveness = probe,
                    "Readiness" => c.readiness = probe,
                    _ => c.startup = probe,
                }
            }
            _ => {}
        }
    }

    /// A line of a container's `Environment:` block (`describeContainerEnvVars`): `NAME:
    /// value` (a literal value, kept), `NAME:  <set to the key 'k' in secret 's'>  Optional:
    /// false` or `NAME:   (v1:metadata.name)` (references: only the Secret's or ConfigMap's
    /// name is kept), or a further line of a multi-line literal value (indented past the
    /// names). False for a line that is none of these (a container key ends the block).
    fn env_line(&mut self, text: &str, ind: usize) -> bool {
        let Some(c) = self.container.as_mut() else {
            return false;
        };
        if self.env_indent.is_some_and(|first| ind > first) {
            if self.env_open
                && let Some((_, value)) = c.env.last_mut()
            {
                value.push('\n');
                value.push_str(text.trim());
            }
            return true;
        }
        let Some((name, value)) = env_var(text) else {
            return false;
        };
        if CONTAINER_KEYS.contains(&name) {
            return false;
        }
        self.env_indent.get_or_insert(ind);
        if let Some(r) = env_ref(value) {
            c.env_refs.push(r);
        }
        let literal = env_literal(value);
        self.env_open = literal.is_some();
        if let Some(v) = literal {
            c.env.push((name.to_string(), v.to_string()));
        }
        true
    }

    /// True when `key` at this indentation belongs to an open state block (a fragment whose
    /// indentation was lost: `State: Waiting` then `Reason: CrashLoopBackOff` at column 0).
    pub(super) fn state_key_here(&self, key: &str, ind: usize) -> bool {
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
    pub(super) fn open_loose_state(&mut self) {
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
    pub(super) fn close_state(&mut self) {
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

    pub(super) fn flush_container(&mut self) {
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
}
