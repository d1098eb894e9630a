//! Checking a playbook file and compiling it: every regex compiled once, every field and
//! template variable resolved, so the engine never meets a malformed rule.

use super::PlaybookError;
use super::fields::Field;
use super::format::{
    About, CauseSpec, ClientsSpec, InferSpec, PlaybookSpec, Severity, SubjectKind,
};
use super::pattern::Pattern;
use super::template::Template;
use super::variables::BUILTIN_VARS;
use detail::Detail;
use matchers::matcher;
use node_reasons::NodeReasons;
use regex::Regex;
use serde_json::Value;
use std::collections::BTreeSet;

/// One compiled playbook file.
#[derive(Debug, Clone)]
pub struct Playbook {
    /// File name (`crash-loop.yaml`).
    pub file: String,
    /// What the causes are about: pods, or Services.
    pub subject: SubjectKind,
    /// Status globs as written (`CrashLoopBackOff`, `Init:*`).
    pub statuses: Vec<String>,
    pub summary: String,
    /// Statuses the evidence implies when the source showed none.
    pub infer: Vec<InferRule>,
    pub causes: Vec<Cause>,
    /// The YAML text, for `kubedoctor playbooks show`.
    pub source: String,
    /// How this file's messages count nodes per reason (the scheduler's).
    pub node_reasons: Option<NodeReasons>,
    /// (`subject: service`) What shows that a pod cannot reach a Service.
    pub clients: Option<Clients>,
}

/// The compiled `clients:` of a Service playbook (see `engine::chain`).
#[derive(Debug, Clone)]
pub struct Clients {
    /// A log line that shows a failed connection matches one of these.
    pub failures: Vec<Regex>,
    /// Failed connections a Running, ready pod must log.
    pub repeated: usize,
    /// Pod cause ids the chain outranks.
    pub outranks: Vec<String>,
}

fn compile_clients(spec: &ClientsSpec) -> Result<Clients, (String, String)> {
    if spec.failures.is_empty() {
        return Err(("clients.failures".into(), "lists no regex".into()));
    }
    if spec.repeated == 0 {
        return Err(("clients.repeated".into(), "must be at least 1".into()));
    }
    let failures = spec
        .failures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            Regex::new(f).map_err(|e| (format!("clients.failures[{i}]"), format!("bad regex: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(bad) = spec.outranks.iter().find(|id| !is_valid_id(id)) {
        return Err(("clients.outranks".into(), format!("bad cause id `{bad}`")));
    }
    Ok(Clients {
        failures,
        repeated: spec.repeated,
        outranks: spec.outranks.clone(),
    })
}

/// A compiled inference rule: when its matchers hold for a pod whose status is unknown, the
/// pod is taken to have `status`.
#[derive(Debug, Clone)]
pub struct InferRule {
    pub status: String,
    pub stage: u8,
    pub when: Vec<Matcher>,
}

impl Playbook {
    /// True when a cause of this file reads container logs.
    pub fn reads_logs(&self) -> bool {
        self.causes.iter().any(|c| c.reads_logs)
    }

    /// True when any of the pod's status keys matches one of the file's status globs.
    /// A pod whose status is unknown (`*`) is served only by files for any status.
    pub fn serves(&self, keys: &[String]) -> bool {
        serves(&self.statuses, keys)
    }
}

/// Whether a cause is tried once per pod or once per container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriedOn {
    Pod,
    Container,
}

/// One `severity_by` entry: the severity when the pod's status matches `status` (if given)
/// and every matcher of `when` holds (unknown counts as not holding).
#[derive(Debug, Clone)]
pub struct SeverityRule {
    pub status: Option<Regex>,
    pub when: Vec<Matcher>,
    pub severity: Severity,
}

/// One compiled cause.
#[derive(Debug, Clone)]
pub struct Cause {
    /// The template variables used by explain, fixes, tell_apart and group_by.
    pub variables: BTreeSet<String>,
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: f64,
    pub rank_first: bool,
    /// Tried only when no other cause matched the pod.
    pub fallback: bool,
    /// Severity by status key (whole-match regexes) and matchers, before `severity`.
    pub severity_by: Vec<SeverityRule>,
    pub when: Vec<Matcher>,
    pub boost: Vec<(Matcher, f64)>,
    pub explain: Template,
    pub fixes: Vec<Fix>,
    pub group_by: Vec<String>,
    pub docs: Option<String>,
    pub about: Option<About>,
    pub tell_apart: Option<Template>,
    pub tried_on: TriedOn,
    /// A matcher of this cause reads container logs.
    pub reads_logs: bool,
    /// A `when` matcher reads container logs (a log can decide this cause).
    pub decided_by_logs: bool,
    /// The playbook file it came from.
    pub file: String,
    /// One word more about each finding (JSON `detail`).
    pub detail: Option<Detail>,
    /// The nodes a per-node reason of this cause is about (see `node_reasons`).
    pub on_nodes: Option<Matcher>,
}

impl Cause {
    /// The regexes a message of this cause must match: those of its event messages and pod
    /// condition messages (what a reason of `node_reasons` is compared with).
    pub fn message_regexes(&self) -> Vec<&Pattern> {
        let mut leaves = Vec::new();
        self.when.iter().for_each(|m| m.leaves(&mut leaves));
        leaves
            .into_iter()
            .filter_map(|l| match l {
                Matcher::Event(e) => e.message.as_ref(),
                Matcher::Text {
                    field: Field::PodConditionMessage | Field::PodMessage,
                    re,
                } => Some(re),
                _ => None,
            })
            .collect()
    }
}

/// A compiled fix.
#[derive(Debug, Clone)]
pub struct Fix {
    pub text: Template,
    pub command: Option<Template>,
    /// Offered only when these hold (unknown counts as not holding).
    pub when: Vec<Matcher>,
}

/// A compiled matcher.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A text field against a regex (whole or search, per the field).
    Text {
        field: Field,
        re: Pattern,
    },
    Flag {
        field: Field,
        value: bool,
    },
    AtLeast {
        field: Field,
        min: i64,
    },
    Event(EventMatcher),
    All(Vec<Matcher>),
    Any(Vec<Matcher>),
    Not(Box<Matcher>),
    /// Holds only when the evidence shows it holds: unknown counts as false (for causes
    /// whose fix is risky on a guess, such as a force delete).
    Known(Box<Matcher>),
}

/// Which events an event matcher reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventScope {
    Pod,
    Owner,
    Node,
}

/// `event: {reason, message, type, min_count, on}`.
#[derive(Debug, Clone)]
pub struct EventMatcher {
    pub reason: Option<Pattern>,
    pub message: Option<Pattern>,
    pub type_: Option<String>,
    pub min_count: i32,
    pub on: EventScope,
}

/// Compiles one playbook file's text.
pub fn compile_file(file: &str, text: &str) -> Result<Playbook, PlaybookError> {
    let err = |cause: Option<&str>, field: Option<&str>, message: String| PlaybookError {
        file: file.to_string(),
        cause: cause.map(str::to_string),
        field: field.map(str::to_string),
        message,
    };
    let spec: PlaybookSpec =
        serde_saphyr::from_str(text).map_err(|e| err(None, None, e.to_string()))?;
    if spec.status.is_empty() && spec.subject == SubjectKind::Pod {
        return Err(err(None, Some("status"), "lists no status".into()));
    }
    let infer = spec
        .infer
        .iter()
        .enumerate()
        .map(|(i, r)| {
            compile_infer(r, &spec.status).map_err(|m| err(None, Some(&format!("infer[{i}]")), m))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let node_reasons = spec
        .node_reasons
        .as_ref()
        .map(node_reasons::compile)
        .transpose()
        .map_err(|(field, m)| err(None, Some(&field), m))?;
    if spec.clients.is_some() && spec.subject != SubjectKind::Service {
        return Err(err(
            None,
            Some("clients"),
            "belongs in a `subject: service` file".into(),
        ));
    }
    let clients = spec
        .clients
        .as_ref()
        .map(compile_clients)
        .transpose()
        .map_err(|(field, m)| err(None, Some(&field), m))?;
    let mut causes = Vec::new();
    for (i, raw) in spec.causes.into_iter().enumerate() {
        let id = raw
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{}", i + 1));
        let cs: CauseSpec =
            serde_json::from_value(raw).map_err(|e| err(Some(&id), None, e.to_string()))?;
        let cause =
            compile_cause(file, cs).map_err(|(field, m)| err(Some(&id), Some(&field), m))?;
        subject::check(spec.subject, &cause).map_err(|m| err(Some(&id), Some("when"), m))?;
        causes.push(cause);
    }
    Ok(Playbook {
        file: file.to_string(),
        subject: spec.subject,
        statuses: spec.status,
        summary: spec.summary,
        infer,
        causes,
        source: text.to_string(),
        node_reasons,
        clients,
    })
}

fn compile_infer(r: &InferSpec, statuses: &[String]) -> Result<InferRule, String> {
    if !serves(statuses, std::slice::from_ref(&r.status)) {
        return Err(format!(
            "infers status `{}`, which this file does not serve",
            r.status
        ));
    }
    if r.when.is_empty() {
        return Err("needs at least one matcher".into());
    }
    let when = r.when.iter().map(matcher).collect::<Result<Vec<_>, _>>()?;
    Ok(InferRule {
        status: r.status.clone(),
        stage: r.stage,
        when,
    })
}

/// True when a status key matches one of the status globs.
fn serves(statuses: &[String], keys: &[String]) -> bool {
    statuses
        .iter()
        .any(|g| keys.iter().any(|k| crate::glob::matches(g, k)))
}

type FieldErr = (String, String);

fn compile_cause(file: &str, cs: CauseSpec) -> Result<Cause, FieldErr> {
    if !is_valid_id(&cs.id) {
        return Err((
            "id".into(),
            "ids are lower-case `group.name` (letters, digits, `-`)".into(),
        ));
    }
    if !(0.0..=1.0).contains(&cs.confidence) {
        return Err(("confidence".into(), "must be between 0 and 1".into()));
    }
    if cs.when.is_empty() {
        return Err(("when".into(), "needs at least one matcher".into()));
    }
    let when = cs
        .when
        .iter()
        .enumerate()
        .map(|(i, v)| matcher(v).map_err(|m| (format!("when[{i}]"), m)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut boost = Vec::new();
    for (i, v) in cs.boost.iter().enumerate() {
        let path = format!("boost[{i}]");
        let Value::Object(map) = v else {
            return Err((path, "a boost is a matcher plus `weight`".into()));
        };
        let mut map = map.clone();
        let weight = map
            .remove("weight")
            .and_then(|w| w.as_f64())
            .ok_or_else(|| (path.clone(), "needs a numeric `weight`".to_string()))?;
        let m = matcher(&Value::Object(map)).map_err(|m| (path.clone(), m))?;
        boost.push((m, weight));
    }

    let detail = cs.detail.as_ref().map(detail::compile).transpose()?;
    let on_nodes = cs
        .on_nodes
        .as_ref()
        .map(|v| node_reasons::node_matcher(v).map_err(|m| ("on_nodes".to_string(), m)))
        .transpose()?;
    let mut known: BTreeSet<String> = BUILTIN_VARS.iter().map(|v| v.name.to_string()).collect();
    for m in when.iter().chain(boost.iter().map(|(m, _)| m)) {
        for re in m.regexes() {
            known.extend(re.capture_names().flatten().map(str::to_string));
        }
    }
    if let Some(d) = &detail {
        let mut all = known.clone();
        all.extend(d.captures());
        for t in d.templates() {
            if let Some(v) = t.variables().find(|v| !all.contains(*v)) {
                return Err((
                    "detail".into(),
                    format!(
                        "unknown template variable `{{{v}}}` (not built in, not captured by a regex of this cause or its detail)"
                    ),
                ));
            }
        }
    }
    let tmpl = |field: &str, s: &str| -> Result<Template, FieldErr> {
        let t = Template::parse(s).map_err(|e| (field.to_string(), e))?;
        if let Some(v) = t.variables().find(|v| !known.contains(*v)) {
            return Err((
                field.to_string(),
                format!(
                    "unknown template variable `{{{v}}}` (not built in, not captured by a regex of this cause)"
                ),
            ));
        }
        Ok(t)
    };
    let explain = tmpl("explain", &cs.explain)?;
    let mut fixes = Vec::new();
    for (i, f) in cs.fixes.iter().enumerate() {
        let when = f
            .when
            .iter()
            .enumerate()
            .map(|(j, v)| matcher(v).map_err(|m| (format!("fixes[{i}].when[{j}]"), m)))
            .collect::<Result<Vec<_>, _>>()?;
        fixes.push(Fix {
            text: tmpl(&format!("fixes[{i}].text"), &f.text)?,
            command: f
                .command
                .as_deref()
                .map(|c| tmpl(&format!("fixes[{i}].command"), c))
                .transpose()?,
            when,
        });
    }
    let tell_apart = cs
        .tell_apart
        .as_deref()
        .map(|t| tmpl("tell_apart", t))
        .transpose()?;
    let group_by = cs
        .group_by
        .unwrap_or_else(|| vec!["namespace".into(), "owner".into()]);
    if let Some(v) = group_by.iter().find(|v| !known.contains(*v)) {
        return Err(("group_by".into(), format!("unknown variable `{v}`")));
    }
    let tried_on = if when
        .iter()
        .chain(boost.iter().map(|(m, _)| m))
        .any(Matcher::per_container)
    {
        TriedOn::Container
    } else {
        TriedOn::Pod
    };
    let mut variables: BTreeSet<String> = explain.variables().map(str::to_string).collect();
    for f in &fixes {
        variables.extend(f.text.variables().map(str::to_string));
        variables.extend(
            f.command
                .iter()
                .flat_map(|c| c.variables().map(str::to_string)),
        );
    }
    variables.extend(
        tell_apart
            .iter()
            .flat_map(|t| t.variables().map(str::to_string)),
    );
    variables.extend(group_by.iter().cloned());
    let reads = |m: &Matcher| {
        let mut leaves = Vec::new();
        m.leaves(&mut leaves);
        leaves.iter().any(|l| {
            matches!(
                l,
                Matcher::Text {
                    field: Field::Log | Field::LogCurrent | Field::LogPrevious,
                    ..
                }
            )
        })
    };
    let decided_by_logs = when.iter().any(reads);
    let reads_logs = decided_by_logs || boost.iter().any(|(m, _)| reads(m));
    let severity_by = cs
        .severity_by
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.status.is_none() && s.when.is_empty() {
                return Err((
                    format!("severity_by[{i}]"),
                    "needs a `status` or a `when`".into(),
                ));
            }
            let status = s
                .status
                .as_ref()
                .map(|st| Regex::new(&format!("^(?:{st})$")))
                .transpose()
                .map_err(|e| {
                    (
                        format!("severity_by[{i}].status"),
                        format!("bad regex: {e}"),
                    )
                })?;
            let when = s
                .when
                .iter()
                .map(matcher)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|m| (format!("severity_by[{i}].when"), m))?;
            Ok(SeverityRule {
                status,
                when,
                severity: s.severity,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Cause {
        reads_logs,
        decided_by_logs,
        fallback: cs.fallback,
        severity_by,
        variables,
        id: cs.id,
        title: cs.title,
        severity: cs.severity,
        confidence: cs.confidence,
        rank_first: cs.rank_first,
        when,
        boost,
        explain,
        fixes,
        group_by,
        docs: cs.docs,
        about: cs.about,
        tell_apart,
        tried_on,
        file: file.to_string(),
        detail,
        on_nodes,
    })
}

fn is_valid_id(id: &str) -> bool {
    let Some((group, name)) = id.split_once('.') else {
        return false;
    };
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    ok(group) && ok(name)
}

pub mod detail;
mod matchers;
pub mod node_reasons;
mod subject;
#[cfg(test)]
mod tests;
