//! Evaluating compiled matchers against a subject (a pod, its node, a container), collecting the evidence lines they
//! matched and the named captures of their regexes.

use super::finding::{EvidenceKind, EvidenceLine};
use super::subject::Subject;
use crate::evidence::{Container, ContainerState, Event, LogExcerpt};
use crate::playbook::{EventMatcher, EventScope, Field, Matcher};
use regex::Regex;
use std::collections::BTreeMap;

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

    fn capture(&mut self, re: &Regex, text: &str) {
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
    match field {
        // Without a node list, nothing is known about any node; a node known only from its
        // journal or events (no conditions) has unknown conditions, taints and flags.
        Field::NodeCondition
        | Field::NodeConditionMessage
        | Field::NodeTaint
        | Field::NodeUnschedulable => {
            return ctx.node.is_none_or(|n| n.conditions.is_empty())
                && !(ctx.evidence.coverage.nodes && ctx.node.is_none());
        }
        Field::NodeMissing => return !ctx.evidence.coverage.nodes,
        // `kubectl describe pod` does not show finalizers.
        Field::PodFinalizer => return !ctx.pod.finalizers_known,
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
        Field::PodRestartPolicy | Field::PodImagePullSecret => true,
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

fn pod_line(text: String) -> EvidenceLine {
    EvidenceLine {
        source: EvidenceKind::Pod,
        text,
        at: None,
    }
}

fn container_line(c: &Container) -> EvidenceLine {
    // The source label already says `container`.
    let mut text = format!("`{}`{}", c.name, if c.init { " (init)" } else { "" });
    if let Some(st) = &c.status {
        text.push_str(&format!(": {}", st.state.describe()));
        if st.last_state != ContainerState::None {
            text.push_str(&format!("; last state {}", st.last_state.describe()));
        }
        text.push_str(&format!(
            "; ready {}, restarts {}",
            st.ready, st.restart_count
        ));
    } else {
        text.push_str(": no status reported");
    }
    EvidenceLine {
        source: EvidenceKind::Container,
        text,
        at: None,
    }
}

fn node_line(ctx: &Subject, what: String) -> EvidenceLine {
    let name = ctx.pod.node_name.as_deref().unwrap_or("?");
    EvidenceLine {
        source: EvidenceKind::Node,
        text: format!("`{name}`: {what}"),
        at: None,
    }
}

/// Tests `re` on a value per the field's kind (whole-value regexes are anchored at compile).
fn hit(re: &Regex, value: &str) -> bool {
    re.is_match(value)
}

fn text(field: Field, re: &Regex, ctx: &Subject, out: &mut Outcome) -> bool {
    match field {
        Field::Log | Field::LogCurrent | Field::LogPrevious => {
            return ctx.container.is_some_and(|c| log(field, re, ctx, c, out));
        }
        Field::Journal => return journal(re, ctx, out),
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

/// (value, evidence line) pairs of a field with few values.
fn field_values(field: Field, ctx: &Subject) -> Vec<(String, EvidenceLine)> {
    let pod = ctx.pod;
    let c = ctx.container;
    match field {
        Field::PodStatus => ctx
            .status
            .keys
            .iter()
            .map(|k| {
                let st = ctx.status;
                let line = pod_line(format!(
                    "status `{}` (ready {}/{}, restarts {})",
                    st.display, st.ready, st.total, st.restarts
                ));
                (k.clone(), line)
            })
            .collect(),
        Field::PodPhase => vec![(
            pod.phase.clone(),
            pod_line(format!("phase `{}`", pod.phase)),
        )],
        Field::PodReason | Field::PodMessage => {
            let value = if field == Field::PodReason {
                pod.reason.clone()
            } else {
                pod.message.clone()
            };
            let line = pod_line(match (&pod.reason, &pod.message) {
                (Some(r), Some(m)) => format!("status.reason `{r}`: {}", m.trim()),
                (Some(r), None) => format!("status.reason `{r}`"),
                (None, Some(m)) => format!("status.message: {}", m.trim()),
                (None, None) => String::new(),
            });
            value.into_iter().map(|v| (v, line.clone())).collect()
        }
        Field::PodCondition | Field::PodConditionMessage => pod
            .conditions
            .iter()
            .map(|cd| {
                let value = if field == Field::PodCondition {
                    format!("{}={}", cd.type_, cd.status)
                } else {
                    cd.message.clone().unwrap_or_default()
                };
                let mut t = format!("condition {}={}", cd.type_, cd.status);
                if let Some(r) = &cd.reason {
                    t.push_str(&format!(" ({r})"));
                }
                if let Some(m) = cd.message.as_deref().filter(|m| !m.is_empty()) {
                    t.push_str(&format!(": {m}"));
                }
                (value, pod_line(t))
            })
            .collect(),
        Field::PodFinalizer => pod
            .finalizers
            .iter()
            .map(|f| (f.clone(), pod_line(format!("finalizer `{f}`"))))
            .collect(),
        Field::PodAnnotation => pod
            .annotations
            .keys()
            .map(|k| (k.clone(), pod_line(format!("annotation `{k}`"))))
            .collect(),
        Field::PodOwnerKind => pod
            .owner
            .iter()
            .map(|o| {
                (
                    o.kind.clone(),
                    pod_line(format!("controlled by `{}`", o.reference())),
                )
            })
            .collect(),
        Field::PodRestartPolicy => vec![(
            pod.restart_policy.clone(),
            pod_line(format!("restartPolicy `{}`", pod.restart_policy)),
        )],
        Field::PodImagePullSecret => pod
            .image_pull_secrets
            .iter()
            .map(|s| (s.clone(), pod_line(format!("imagePullSecrets `{s}`"))))
            .collect(),
        Field::PodClaim => pod
            .claims
            .iter()
            .map(|c| {
                let value = format!("{}={}", c.name, c.phase);
                (
                    value,
                    pod_line(format!("PersistentVolumeClaim {}", c.describe())),
                )
            })
            .collect(),
        Field::PodRolloutChange => pod
            .rollout
            .iter()
            .flat_map(|r| r.changes().map(move |c| (c, pod_line(r.describe()))))
            .collect(),
        Field::PodVolume => pod
            .volumes
            .iter()
            .map(|(name, src)| (src.clone(), pod_line(format!("volume `{name}`: {src}"))))
            .collect(),
        Field::ContainerName
        | Field::ContainerState
        | Field::ContainerReason
        | Field::ContainerMessage
        | Field::ContainerExitCode
        | Field::ContainerLastReason
        | Field::ContainerLastMessage
        | Field::ContainerLastExitCode
        | Field::ContainerImage
        | Field::ContainerPullPolicy
        | Field::ContainerProbe => {
            let Some(c) = c else {
                return Vec::new();
            };
            container_values(field, c)
                .into_iter()
                .map(|v| (v, container_line(c)))
                .collect()
        }
        Field::NodeCondition | Field::NodeConditionMessage => ctx
            .node
            .iter()
            .flat_map(|n| n.conditions.iter())
            .map(|cd| {
                let value = if field == Field::NodeCondition {
                    format!("{}={}", cd.type_, cd.status)
                } else {
                    cd.message.clone().unwrap_or_default()
                };
                (
                    value,
                    node_line(ctx, format!("condition {}", cd.describe())),
                )
            })
            .collect(),
        Field::NodeTaint => ctx
            .node
            .iter()
            .flat_map(|n| n.taints.iter())
            .map(|t| {
                (
                    t.describe(),
                    node_line(ctx, format!("taint `{}`", t.describe())),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Fields that say what kind of pod or container this is (its owner's kind, restart
/// policy, name, pull policy, probes), not what went wrong: they narrow a cause but are
/// never quoted as its evidence, so a cause whose real evidence the source lacks is not
/// reported on them alone.
fn is_context(field: Field) -> bool {
    matches!(
        field,
        Field::PodOwnerKind
            | Field::PodRestartPolicy
            | Field::ContainerName
            | Field::ContainerPullPolicy
            | Field::ContainerProbe
    )
}

fn container_values(field: Field, c: &Container) -> Vec<String> {
    let st = c.status.as_ref();
    let state = st.map(|s| &s.state);
    let last = st.map(|s| &s.last_state);
    let opt = |v: Option<String>| v.into_iter().collect::<Vec<_>>();
    match field {
        Field::ContainerName => vec![c.name.clone()],
        Field::ContainerState => opt(state.map(|s| s.name().to_string())),
        Field::ContainerReason => opt(state.and_then(|s| s.reason()).map(str::to_string)),
        Field::ContainerMessage => opt(state.and_then(|s| s.message()).map(str::to_string)),
        Field::ContainerExitCode => opt(state.and_then(|s| s.exit_code()).map(|c| c.to_string())),
        Field::ContainerLastReason => opt(last.and_then(|s| s.reason()).map(str::to_string)),
        Field::ContainerLastMessage => opt(last.and_then(|s| s.message()).map(str::to_string)),
        Field::ContainerLastExitCode => {
            opt(last.and_then(|s| s.exit_code()).map(|c| c.to_string()))
        }
        Field::ContainerImage => vec![c.image.clone()],
        Field::ContainerPullPolicy => vec![c.image_pull_policy.clone()],
        Field::ContainerProbe => [
            ("liveness", c.liveness.is_some()),
            ("readiness", c.readiness.is_some()),
            ("startup", c.startup.is_some()),
        ]
        .iter()
        .filter(|(_, has)| *has)
        .map(|(n, _)| n.to_string())
        .collect(),
        _ => Vec::new(),
    }
}

fn log(field: Field, re: &Regex, ctx: &Subject, c: &Container, out: &mut Outcome) -> bool {
    let sources: Vec<(bool, &LogExcerpt)> = match field {
        Field::LogCurrent => c.logs.iter().map(|l| (false, l)).collect(),
        Field::LogPrevious => c.previous_logs.iter().map(|l| (true, l)).collect(),
        _ => c
            .previous_logs
            .iter()
            .map(|l| (true, l))
            .chain(c.logs.iter().map(|l| (false, l)))
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

fn journal(re: &Regex, ctx: &Subject, out: &mut Outcome) -> bool {
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

/// True when an event of the same reason as every hit, newer than all of them, says
/// something the matcher does not (the scheduler's latest message is the present reason).
fn superseded(
    hits: &[&Event],
    events: &[&Event],
    message: &Regex,
    now: Option<jiff::Timestamp>,
) -> bool {
    let Some(newest_hit) = hits.iter().filter_map(|e| e.seconds_ago(now)).min() else {
        return false;
    };
    hits.iter().all(|h| {
        events.iter().any(|e| {
            e.reason == h.reason
                && !e.reason.is_empty()
                && !restates_reason(&e.message)
                && !message.is_match(&e.message)
                && e.seconds_ago(now).is_some_and(|age| age < newest_hit)
        })
    })
}

/// The kubelet follows a detailed `Failed` event with `Error: ErrImagePull` (its `Error: %v`
/// of the container's waiting reason): that restates, it does not contradict.
fn restates_reason(message: &str) -> bool {
    message
        .strip_prefix("Error: ")
        .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()))
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

/// Whether an event passes a matcher's filters (type, count, reason, message).
fn event_matches(m: &EventMatcher, e: &Event) -> bool {
    m.type_.as_deref().is_none_or(|t| t == e.type_)
        && e.count >= m.min_count
        // A pasted message without its reason matches on the message alone.
        && m.reason.as_ref().is_none_or(|r| {
            r.is_match(&e.reason) || (e.reason.is_empty() && m.message.is_some())
        })
        && m.message.as_ref().is_none_or(|r| r.is_match(&e.message))
}

/// The owner-scoped hits of a matcher: the events of every object related to the pod (its
/// owners and claims), each object's matched once per run through the memo.
fn owner_hits<'e>(
    m: &EventMatcher,
    ctx: &Subject<'e>,
    superseded_all: &mut bool,
) -> Vec<&'e Event> {
    let mut hits = Vec::new();
    let pod = ctx.pod;
    for object in pod.related_objects() {
        let events = ctx.evidence.object_events.of(&pod.namespace, &object);
        if events.is_empty() {
            continue;
        }
        let found = ctx.memo.object_hits(m, &pod.namespace, &object, || {
            let indices: Vec<usize> = events
                .iter()
                .enumerate()
                .filter(|(_, e)| event_matches(m, e))
                .map(|(i, _)| i)
                .collect();
            let refs: Vec<&Event> = indices.iter().map(|&i| &events[i]).collect();
            let all: Vec<&Event> = events.iter().collect();
            let superseded = m.message.as_ref().is_some_and(|re| {
                superseded(
                    &refs[..refs.len().min(MAX_QUOTES)],
                    &all,
                    re,
                    ctx.evidence.observed_at,
                )
            });
            (indices, superseded)
        });
        if !found.0.is_empty() {
            *superseded_all &= found.1;
        }
        hits.extend(found.0.iter().map(|&i| &events[i]));
    }
    hits.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
    hits
}

fn event(m: &EventMatcher, ctx: &Subject, out: &mut Outcome) -> bool {
    let subject = ctx.container.map(|c| c.name.as_str());
    // Pasted text often shows an event without the object it is about: it may be the
    // controller's as well as the pod's.
    let loose_owner = m.on == EventScope::Owner
        && ctx.pod.partial
        && ctx.pod.events.iter().any(|e| e.object.is_empty());
    let mut is_superseded = false;
    let hits: Vec<&Event> = match m.on {
        EventScope::Owner if !loose_owner => {
            let mut all = true;
            let hits = owner_hits(m, ctx, &mut all);
            is_superseded = !hits.is_empty() && all;
            hits
        }
        _ => {
            let events: Vec<&Event> = match m.on {
                EventScope::Pod => ctx.pod.events.iter().collect(),
                EventScope::Owner => ctx
                    .pod
                    .related_objects()
                    .flat_map(|o| ctx.evidence.object_events.of(&ctx.pod.namespace, &o))
                    .chain(ctx.pod.events.iter().filter(|e| e.object.is_empty()))
                    .collect(),
                EventScope::Node => ctx.node.map_or(Vec::new(), |n| n.events.iter().collect()),
            };
            let hits: Vec<&Event> = events
                .iter()
                .copied()
                .filter(|e| match (m.on, subject, e.container.as_deref()) {
                    (EventScope::Pod, Some(s), Some(ec)) => s == ec,
                    _ => true,
                })
                .filter(|e| event_matches(m, e))
                .take(MAX_QUOTES)
                .collect();
            if let Some(re) = &m.message
                && !hits.is_empty()
            {
                is_superseded = superseded(&hits, &events, re, ctx.evidence.observed_at);
            }
            hits
        }
    };
    let hits: Vec<&Event> = hits.into_iter().take(MAX_QUOTES).collect();
    if is_superseded {
        out.superseded += 1;
    }
    let Some(newest) = hits.first() else {
        return false;
    };
    if let Some(re) = &m.message {
        out.capture(re, &newest.message);
    }
    if let Some(re) = &m.reason {
        out.capture(re, &newest.reason);
    }
    for e in hits {
        let mut text = e.describe();
        if m.on != EventScope::Pod {
            text = format!("{}: {text}", e.object);
        }
        out.push(EvidenceLine {
            source: EvidenceKind::Event,
            text,
            at: e
                .last_seen
                .map(|t| t.to_string())
                .or_else(|| e.age.as_ref().map(|a| format!("{a} ago"))),
        });
    }
    true
}
