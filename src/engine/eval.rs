//! Evaluating compiled matchers against a subject (a pod, its node, a container), collecting the evidence lines they
//! matched and the named captures of their regexes.

use super::finding::{EvidenceKind, EvidenceLine};
use super::subject::Subject;
use crate::evidence::{Container, LogExcerpt};
use crate::playbook::{Field, Matcher, Pattern};
use events::event;

use std::collections::BTreeMap;
use values::{container_line, field_values, is_context, node_line, pod_line};

mod events;
mod values;

/// How many lines one matcher quotes at most (the newest).
const MAX_QUOTES: usize = 3;

/// What a successful evaluation produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub evidence: Vec<EvidenceLine>,
    pub captures: BTreeMap<String, String>,
    /// Leaf matchers that held.
    pub leaves: usize,
    /// Leaf matchers the evidence could not decide (the source lacked the field).
    pub unknowns: usize,
    /// Event matchers whose events a newer event of the same reason contradicts.
    pub superseded: usize,
}

impl Outcome {
    pub fn merge(&mut self, other: Outcome) {
        for e in other.evidence {
            self.push(e);
        }
        for (k, v) in other.captures {
            self.captures.entry(k).or_insert(v);
        }
        self.leaves += other.leaves;
        self.unknowns += other.unknowns;
        self.superseded += other.superseded;
    }

    fn push(&mut self, line: EvidenceLine) {
        if !self.evidence.contains(&line) {
            self.evidence.push(line);
        }
    }

    /// Fills template variables from the named groups of `re` matched on `text` (a pattern
    /// without names has nothing to give, and is not compiled for it).
    fn capture(&mut self, re: &Pattern, text: &str) {
        if !re.has_names() {
            return;
        }
        let Some(caps) = re.captures(text) else {
            return;
        };
        for name in re.capture_names().flatten() {
            if let Some(m) = caps.name(name) {
                self.captures
                    .entry(name.to_string())
                    .or_insert_with(|| m.as_str().to_string());
            }
        }
    }
}

/// The value of a matcher: evidence the source did not have is `Unknown`, not false.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl From<bool> for Truth {
    fn from(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }
}

/// All matchers (a `when` list or an `all`): false if one is false, unknown if one is
/// unknown, else true. Evidence and captures accumulate in `out`.
pub fn eval_all(matchers: &[Matcher], ctx: &Subject, out: &mut Outcome) -> Truth {
    let mut result = Truth::True;
    for m in matchers {
        match eval(m, ctx, out) {
            Truth::False => return Truth::False,
            Truth::Unknown => result = Truth::Unknown,
            Truth::True => {}
        }
    }
    result
}

fn eval(m: &Matcher, ctx: &Subject, out: &mut Outcome) -> Truth {
    let leaf = match m {
        Matcher::All(ms) => return eval_all(ms, ctx, out),
        Matcher::Any(ms) => {
            let mut result = Truth::False;
            let mut unknowns = 0;
            for m in ms {
                let mut o = Outcome::default();
                match eval(m, ctx, &mut o) {
                    Truth::True => {
                        out.merge(o);
                        result = Truth::True;
                    }
                    Truth::Unknown => unknowns = unknowns.max(o.unknowns),
                    Truth::False => {}
                }
            }
            if result == Truth::False && unknowns > 0 {
                out.unknowns += unknowns;
                return Truth::Unknown;
            }
            return result;
        }
        Matcher::Known(m) => {
            let mut inner = Outcome::default();
            return match eval(m, ctx, &mut inner) {
                Truth::True => {
                    out.merge(inner);
                    Truth::True
                }
                _ => Truth::False,
            };
        }
        Matcher::Not(m) => {
            let mut scratch = Outcome::default();
            let t = eval(m, ctx, &mut scratch);
            return match t {
                Truth::True => Truth::False,
                Truth::False => Truth::True,
                Truth::Unknown => {
                    out.unknowns += scratch.unknowns;
                    Truth::Unknown
                }
            };
        }
        Matcher::Text { field, .. }
        | Matcher::Flag { field, .. }
        | Matcher::AtLeast { field, .. }
            if unknown(*field, ctx) =>
        {
            Truth::Unknown
        }
        Matcher::Event(_) if !ctx.evidence.coverage.events => Truth::Unknown,
        Matcher::Text { field, re } => text(*field, re, ctx, out).into(),
        Matcher::Flag { field, value } => (flag(*field, ctx, out) == Some(*value)).into(),
        Matcher::AtLeast { field, min } => at_least(*field, *min, ctx, out).into(),
        Matcher::Event(e) => event(e, ctx, out).into(),
    };
    match leaf {
        Truth::True => out.leaves += 1,
        Truth::Unknown => out.unknowns += 1,
        Truth::False => {}
    }
    leaf
}

/// True when the source did not have the field: the status of a partial pod (only events,
/// logs or a manifest were given) and the states of its containers.
fn unknown(field: Field, ctx: &Subject) -> bool {
    if field.of_service() {
        return ctx.service.is_none_or(|s| s.unknown(field));
    }
    match field {
        // Without a node list, nothing is known about any node; a node known only from its
        // journal or events (no conditions) has unknown conditions, taints and flags.
        Field::NodeCondition
        | Field::NodeConditionMessage
        | Field::NodeTaint
        | Field::NodeLabel
        | Field::NodeUnschedulable => {
            return ctx.node.is_none_or(|n| n.conditions.is_empty())
                && !(ctx.evidence.coverage.nodes && ctx.node.is_none());
        }
        Field::NodeMissing => return !ctx.evidence.coverage.nodes,
        // Absence decides nothing: DNS or kube-proxy pods the evidence lacks may exist
        // (kube-system not listed), or kube-proxy may be replaced (eBPF).
        Field::ClusterDnsPods | Field::ClusterDnsReady | Field::ClusterDnsNotReady => {
            return ctx.system().dns.is_empty();
        }
        Field::PodKubeProxyReady => {
            return ctx
                .system()
                .proxy_on(ctx.pod.node_name.as_deref())
                .is_none();
        }
        // A Service missing from no complete list may exist.
        Field::PodAddressUnknownService => return ctx.evidence.services_listed.is_empty(),
        // `kubectl describe pod` does not show finalizers.
        Field::PodFinalizer => return !ctx.pod.finalizers_known,
        // `kubectl describe pod` does not show imagePullSecrets; a manifest (no status) does
        // not show those the service account adds at admission.
        Field::PodImagePullSecret | Field::PodImagePullSecrets => {
            return !ctx.pod.image_pull_secrets_known || ctx.pod.partial;
        }
        Field::PodNodeSelector => return ctx.pod.scheduling.selector.is_none(),
        Field::PodSchedulerName => return ctx.pod.scheduling.scheduler_name.is_none(),
        Field::PodNodeAffinity => return ctx.pod.scheduling.required_affinity.is_none(),
        // How long the pod has existed needs its creation and the moment of the evidence.
        Field::PodAgeSeconds => {
            return ctx.pod.created_at.is_none() || ctx.evidence.observed_at.is_none();
        }
        Field::PodRestartPolicy if ctx.pod.restart_policy.is_empty() => return true,
        // Pasted text does not say when it was taken: how long ago is unknown.
        Field::PodDeletingForSeconds => {
            return ctx
                .pod
                .deletion
                .is_some_and(|d| d.seconds_before(ctx.evidence.observed_at).is_none());
        }
        _ => {}
    }
    if !ctx.pod.partial {
        return false;
    }
    let pod = ctx.pod;
    match field {
        // The STATUS column (or a status inferred from the evidence) tells whether it is healthy.
        Field::PodStatus | Field::PodHealthy => !ctx.status.known,
        // What a partial pod shows is known; what it does not show is not.
        Field::PodPhase => pod.phase.is_empty(),
        Field::PodReason => pod.reason.is_none(),
        Field::PodMessage => pod.message.is_none(),
        Field::PodCondition | Field::PodConditionMessage => pod.conditions.is_empty(),
        Field::PodRestartPolicy => true,
        Field::PodNode => pod.node_name.is_none(),
        Field::ContainerState
        | Field::ContainerReason
        | Field::ContainerMessage
        | Field::ContainerExitCode
        | Field::ContainerLastReason
        | Field::ContainerLastMessage
        | Field::ContainerLastExitCode
        | Field::ContainerReady
        | Field::ContainerRestarts => ctx.container.is_none_or(|c| c.status.is_none()),
        _ => false,
    }
}

/// Tests `re` on a value per the field's kind (whole-value regexes are anchored at compile).
fn hit(re: &Pattern, value: &str) -> bool {
    re.is_match(value)
}

fn text(field: Field, re: &Pattern, ctx: &Subject, out: &mut Outcome) -> bool {
    match field {
        Field::Log | Field::LogCurrent | Field::LogPrevious => {
            return ctx.container.is_some_and(|c| log(field, re, ctx, c, out));
        }
        Field::Journal => return journal(re, ctx, out),
        f if f.of_service() => {
            let mut matched = false;
            for (value, line) in ctx.service.map_or(&[][..], |s| s.values(f)) {
                if hit(re, value) {
                    out.capture(re, value);
                    out.push(line.clone());
                    matched = true;
                }
            }
            return matched;
        }
        _ => {}
    }
    // The values of a field (and the evidence line of each) are the same for every cause
    // that reads it: built once per pod and container.
    let values = ctx
        .fields
        .values(field, ctx.container, || field_values(field, ctx));
    let mut matched = false;
    for (value, line) in values.iter() {
        if hit(re, value) {
            out.capture(re, value);
            if !is_context(field) {
                out.push(line.clone());
            }
            matched = true;
        }
    }
    matched
}

fn log(field: Field, re: &Pattern, ctx: &Subject, c: &Container, out: &mut Outcome) -> bool {
    let sources: Vec<(bool, &LogExcerpt)> = match field {
        Field::LogCurrent => c.logs.iter().map(|l| (false, &**l)).collect(),
        Field::LogPrevious => c.previous_logs.iter().map(|l| (true, &**l)).collect(),
        _ => c
            .previous_logs
            .iter()
            .map(|l| (true, &**l))
            .chain(c.logs.iter().map(|l| (false, &**l)))
            .collect(),
    };
    let pattern = ctx.patterns.position(re.as_str());
    let mut matched = false;
    for (previous, excerpt) in sources {
        let which = if previous { "previous" } else { "current" };
        // The newest matching lines are the most telling: from the end. The log was scanned
        // once for every pattern; scan again only for a regex outside the set.
        let hits: Vec<&str> = match (pattern, ctx.log_hits.get(&(c.name.clone(), previous))) {
            (Some(p), Some(h)) => h
                .lines(p)
                .iter()
                .rev()
                .filter_map(|&n| excerpt.line(n as usize))
                .take(MAX_QUOTES)
                .collect(),
            _ => excerpt
                .lines()
                .rev()
                .filter(|l| re.is_match(l))
                .take(MAX_QUOTES)
                .collect(),
        };
        if let Some(newest) = hits.first() {
            out.capture(re, newest);
            matched = true;
        }
        for l in hits.into_iter().rev() {
            out.push(EvidenceLine {
                source: EvidenceKind::Log,
                text: if c.name.is_empty() {
                    format!("[{which}] {}", l.trim_end())
                } else {
                    format!("[{} {which}] {}", c.name, l.trim_end())
                },
                at: None,
            });
        }
    }
    matched
}

fn journal(re: &Pattern, ctx: &Subject, out: &mut Outcome) -> bool {
    let Some(node) = ctx.node else {
        return false;
    };
    let hits: Vec<_> = node
        .journal
        .iter()
        .rev()
        .filter(|e| re.is_match(&e.message))
        .take(MAX_QUOTES)
        .collect();
    let Some(newest) = hits.first() else {
        return false;
    };
    out.capture(re, &newest.message);
    for e in hits.into_iter().rev() {
        out.push(EvidenceLine {
            source: EvidenceKind::Journal,
            text: format!("[{}] {}", node.name, e.message),
            at: e.time.clone(),
        });
    }
    true
}

fn flag(field: Field, ctx: &Subject, out: &mut Outcome) -> Option<bool> {
    if field.of_service() {
        let (value, line) = ctx.service?.flag(field)?;
        out.push(line.clone());
        return Some(*value);
    }
    let pod = ctx.pod;
    let value = match field {
        Field::PodDeleting => {
            // `kubectl get pods` shows a deleted pod as Terminating (its timestamp unknown).
            let hinted = pod.status_hint.as_deref() == Some("Terminating");
            let at = pod.deletion.and_then(|d| d.at);
            if at.is_none() && (hinted || pod.deletion.is_some()) {
                out.push(pod_line("status `Terminating`: deletion requested".into()));
            }
            let deleting = pod.deletion.is_some() || hinted;
            if let Some(t) = at {
                let mut line = pod_line(format!("deletionTimestamp {t}"));
                if !pod.finalizers.is_empty() {
                    line.text
                        .push_str(&format!(", finalizers {}", pod.finalizers.join(", ")));
                }
                out.push(line);
            }
            deleting
        }
        Field::PodHealthy => ctx.status.healthy,
        Field::PodKubeProxyReady => {
            let proxy = ctx.system().proxy_on(pod.node_name.as_deref())?;
            out.push(pod_line(format!(
                "kube-proxy of its node: {}",
                proxy.describe()
            )));
            proxy.ready
        }
        Field::PodNodeAffinity => {
            let required = pod.scheduling.required_affinity?;
            if required {
                out.push(pod_line(
                    "required node affinity (spec.affinity.nodeAffinity)".into(),
                ));
            }
            required
        }
        Field::PodImagePullSecrets => {
            let listed = !pod.image_pull_secrets.is_empty();
            out.push(pod_line(if listed {
                format!("imagePullSecrets `{}`", pod.image_pull_secrets.join("`, `"))
            } else {
                "no imagePullSecrets (spec.imagePullSecrets is empty)".into()
            }));
            listed
        }
        Field::ContainerInit => ctx.container?.init,
        Field::ContainerReady => ctx.container?.status.as_ref().is_some_and(|s| s.ready),
        Field::ContainerMemoryLimit => {
            let c = ctx.container?;
            c.resources.limits.contains_key("memory")
        }
        Field::NodeUnschedulable => {
            let n = ctx.node?;
            if n.unschedulable {
                out.push(node_line(ctx, "cordoned (spec.unschedulable)".into()));
            }
            n.unschedulable
        }
        Field::NodeMissing => {
            pod.node_name.as_deref()?;
            // A node known only from its journal (no object, no conditions) is missing too.
            let missing =
                ctx.evidence.coverage.nodes && ctx.node.is_none_or(|n| n.conditions.is_empty());
            if missing {
                out.push(node_line(
                    ctx,
                    "not in the node list: the node object is gone".into(),
                ));
            }
            missing
        }
        _ => return None,
    };
    Some(value)
}

fn at_least(field: Field, min: i64, ctx: &Subject, out: &mut Outcome) -> bool {
    if field.of_service() {
        let Some((n, line)) = ctx.service.and_then(|s| s.count(field)) else {
            return false;
        };
        if *n >= min {
            out.push(line.clone());
        }
        return *n >= min;
    }
    match field {
        Field::ContainerRestarts => {
            let Some(c) = ctx.container else {
                return false;
            };
            let held = i64::from(c.restarts()) >= min;
            if held {
                out.push(container_line(c));
            }
            held
        }
        Field::ClusterDnsPods | Field::ClusterDnsReady => {
            let system = ctx.system();
            let (n, what) = if field == Field::ClusterDnsPods {
                (system.dns.len(), "cluster DNS pods (`k8s-app=kube-dns`)")
            } else {
                (system.dns_ready(), "ready cluster DNS pods")
            };
            let held = n as i64 >= min;
            if held {
                out.push(pod_line(format!("{n} {what} in `kube-system`")));
            }
            held
        }
        Field::PodAgeSeconds => {
            let (Some(created), Some(now)) = (ctx.pod.created_at, ctx.evidence.observed_at) else {
                return false;
            };
            let secs = now.as_second().saturating_sub(created.as_second());
            let held = secs >= min;
            if held {
                out.push(pod_line(format!(
                    "created {} before the evidence was taken ({created})",
                    human_duration(secs)
                )));
            }
            held
        }
        Field::PodDeletingForSeconds => {
            let Some(d) = ctx.pod.deletion else {
                return false;
            };
            let Some(secs) = d.seconds_before(ctx.evidence.observed_at) else {
                return false;
            };
            let held = secs >= min;
            if held {
                let when = d.at.map(|t| format!(" ({t})")).unwrap_or_default();
                out.push(pod_line(format!(
                    "deletion requested {} before the evidence was taken{when}",
                    human_duration(secs)
                )));
            }
            held
        }
        _ => false,
    }
}

/// `3d4h`, `12m`, `45s`.
fn human_duration(secs: i64) -> String {
    let (d, h, m) = (secs / 86400, secs % 86400 / 3600, secs % 3600 / 60);
    if d > 0 {
        format!("{d}d{h}h")
    } else if h > 0 {
        format!("{h}h{m}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{secs}s")
    }
}
