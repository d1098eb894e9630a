//! A container: the spec parts a diagnosis needs, its status and its logs.

use super::LogExcerpt;
use jiff::Timestamp;

/// One container (init or app) of a pod.
#[derive(Debug, Clone, Default)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub image_pull_policy: String,
    /// An init container.
    pub init: bool,
    /// A restartable init container (sidecar, `restartPolicy: Always`).
    pub sidecar: bool,
    pub command: Vec<String>,
    pub resources: Resources,
    // Boxed, like the logs below: most containers have few of them, and a container is
    // stored for every pod of a cluster.
    pub liveness: Option<Box<Probe>>,
    pub readiness: Option<Box<Probe>>,
    pub startup: Option<Box<Probe>>,
    /// Secrets and ConfigMaps the environment refers to, as `secret/name` or `configMap/name`.
    pub env_refs: Vec<String>,
    pub host_ports: Vec<i32>,
    /// The ports the container declares (`ports:`); empty when it declares none or the
    /// source did not show them.
    pub ports: Vec<super::ContainerPort>,
    /// Literal environment values (`env: - name: X value: Y`) as (name, value); values from
    /// Secrets or ConfigMaps are not read. A value can hold a credential (a URL's password):
    /// the report redacts what it quotes.
    pub env: Vec<(String, String)>,
    pub status: Option<ContainerStatus>,
    pub logs: Option<Box<LogExcerpt>>,
    pub previous_logs: Option<Box<LogExcerpt>>,
}

/// Requests and limits as the API spells them (`128Mi`, `500m`).
#[derive(Debug, Clone, Default)]
pub struct Resources {
    pub requests: Quantities,
    pub limits: Quantities,
}

/// Resource quantities by name (`cpu`, `memory`, `nvidia.com/gpu`): a handful per container,
/// kept in a small vector (a map node would cost half a kilobyte per container).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quantities(Vec<(String, String)>);

impl Quantities {
    pub fn get(&self, name: &str) -> Option<&String> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets a quantity, replacing one of the same name.
    pub fn insert(&mut self, name: String, value: String) {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, String)> for Quantities {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut q = Quantities::default();
        for (k, v) in iter {
            q.insert(k, v);
        }
        q
    }
}

/// A probe, rendered the way `kubectl describe` shows it.
#[derive(Debug, Clone, Default)]
pub struct Probe {
    /// `http-get http://:8080/healthz`, `tcp-socket :5432`, `exec [cat /tmp/ok]`, `grpc <pod>:9090`.
    pub action: String,
    pub initial_delay_seconds: i32,
    pub timeout_seconds: i32,
    pub period_seconds: i32,
    pub failure_threshold: i32,
}

/// What the kubelet reports for a container.
#[derive(Debug, Clone, Default)]
pub struct ContainerStatus {
    pub ready: bool,
    pub started: Option<bool>,
    pub restart_count: i32,
    pub state: ContainerState,
    pub last_state: ContainerState,
}

/// A container state, as in `containerStatuses[].state`.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum ContainerState {
    /// No state reported.
    #[default]
    None,
    Waiting {
        reason: Option<String>,
        message: Option<String>,
    },
    Running {
        started_at: Option<Timestamp>,
    },
    Terminated {
        reason: Option<String>,
        message: Option<String>,
        exit_code: i32,
        signal: Option<i32>,
        started_at: Option<Timestamp>,
        finished_at: Option<Timestamp>,
    },
}

impl ContainerState {
    /// `waiting`, `running`, `terminated` or empty.
    pub fn name(&self) -> &'static str {
        match self {
            ContainerState::None => "",
            ContainerState::Waiting { .. } => "waiting",
            ContainerState::Running { .. } => "running",
            ContainerState::Terminated { .. } => "terminated",
        }
    }

    /// The waiting or terminated reason.
    pub fn reason(&self) -> Option<&str> {
        match self {
            ContainerState::Waiting { reason, .. } | ContainerState::Terminated { reason, .. } => {
                reason.as_deref()
            }
            _ => None,
        }
    }

    /// The waiting or terminated message.
    pub fn message(&self) -> Option<&str> {
        match self {
            ContainerState::Waiting { message, .. }
            | ContainerState::Terminated { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// The exit code of a terminated state.
    pub fn exit_code(&self) -> Option<i32> {
        match self {
            ContainerState::Terminated { exit_code, .. } => Some(*exit_code),
            _ => None,
        }
    }

    /// A one-line description in the words of `kubectl describe`:
    /// `Terminated (OOMKilled), exit code 137`.
    pub fn describe(&self) -> String {
        match self {
            ContainerState::None => "no state".to_string(),
            ContainerState::Waiting { reason, message } => {
                let mut s = format!("Waiting ({})", reason.as_deref().unwrap_or("no reason"));
                if let Some(m) = message.as_deref().filter(|m| !m.is_empty()) {
                    s.push_str(": ");
                    s.push_str(m);
                }
                s
            }
            ContainerState::Running { .. } => "Running".to_string(),
            ContainerState::Terminated {
                reason,
                exit_code,
                signal,
                message,
                ..
            } => {
                let mut s = format!(
                    "Terminated ({}), exit code {exit_code}",
                    reason.as_deref().unwrap_or("no reason")
                );
                if let Some(sig) = signal.filter(|s| *s != 0) {
                    s.push_str(&format!(", signal {sig}"));
                }
                if let Some(m) = message.as_deref().filter(|m| !m.is_empty()) {
                    s.push_str(": ");
                    s.push_str(m.trim());
                }
                s
            }
        }
    }
}

impl Container {
    /// True when the container runs and is ready, or an init container finished well.
    pub fn is_healthy(&self) -> bool {
        let Some(st) = &self.status else {
            return false;
        };
        match &st.state {
            ContainerState::Running { .. } => st.ready || (self.init && self.sidecar),
            ContainerState::Terminated { exit_code: 0, .. } => true,
            _ => false,
        }
    }

    /// The restart count, 0 when no status.
    pub fn restarts(&self) -> i32 {
        self.status.as_ref().map_or(0, |s| s.restart_count)
    }
}

#[cfg(test)]
mod tests {
    use super::Quantities;

    #[test]
    fn a_quantity_set_twice_keeps_the_last_value() {
        let mut q: Quantities = [("cpu".to_string(), "100m".to_string())]
            .into_iter()
            .collect();
        q.insert("memory".into(), "128Mi".into());
        q.insert("cpu".into(), "250m".into());
        assert_eq!(q.get("cpu").map(String::as_str), Some("250m"));
        assert!(q.contains_key("memory") && !q.contains_key("nvidia.com/gpu"));
    }
}
