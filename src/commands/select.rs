//! Narrowing evidence to the pods a command asked for: namespace, selector and targets (pod
//! names, `deployment/web`, `node/worker-1`, `service/web`, ...), the same way for a bundle,
//! pasted text and a live cluster. A target that matches nothing is an error; an empty
//! namespace or selector is a note, so a typo is visible.
//!
//! Services in scope are those in the namespace; with targets or a selector, those the
//! targets name and those that select a targeted pod. A Service target (`service/NAME`,
//! `svc/NAME`) selects the Service, the pods its selector matches and its clients. Clients
//! are only known once the engine has read every pod's configured addresses, so with a
//! Service target the engine sees every pod in scope and [`Narrowing::after_engine`] keeps
//! the targets' pods, the Service's pods and its clients afterwards.

use crate::cli::SelectArgs;
use crate::engine::{PodDiagnosis, ServiceDiagnosis};
use crate::error::RunError;
use crate::evidence::{Evidence, Listed, Pod, Service, SourceKind};
use crate::selector::Selector;
use crate::sources::cluster::Target;
use std::collections::{HashMap, HashSet};

/// One target of the command line: what [`Target`] parses, or a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wanted {
    Target(Target),
    /// `service/NAME` or `svc/NAME` (`NAME` may be `namespace/name`), as typed.
    Service {
        name: String,
        typed: String,
    },
}

/// Whether a target names a Service (`service/`, `services/`, `svc/`).
pub fn is_service_target(s: &str) -> bool {
    s.split_once('/').is_some_and(|(kind, _)| {
        matches!(kind.to_lowercase().as_str(), "service" | "services" | "svc")
    })
}

fn parse(s: &str) -> Result<Wanted, RunError> {
    if is_service_target(s) {
        let name = s.split_once('/').map_or("", |(_, n)| n);
        if name.is_empty() {
            return Err(RunError::Usage(format!(
                "`{s}` names no Service: use service/NAME"
            )));
        }
        return Ok(Wanted::Service {
            name: name.to_string(),
            typed: s.to_string(),
        });
    }
    Target::parse(s).map(Wanted::Target).map_err(RunError::from)
}

/// The scope a live run gathers: a Service target is not something the cluster lists pods
/// by (its clients may be any pod of the namespace), so with one the run gathers every pod
/// of the namespace and narrows afterwards like a bundle. The namespace is `-n`; else the
/// one `svc/NS/NAME` names when every Service target names the same; else every namespace
/// when the targets name several, or with a node target (whose pods may be anywhere); else
/// the context's.
///
/// A target that names a namespace other than `-n`'s is an error before anything is asked.
pub fn gather_scope(scope: &SelectArgs) -> Result<SelectArgs, RunError> {
    check_namespaces(scope)?;
    let mut scope = scope.clone();
    if !scope.pods.iter().any(|t| is_service_target(t)) {
        return Ok(scope);
    }
    if scope.namespace.is_none() && !scope.all_namespaces {
        let mut named = HashSet::new();
        for t in &scope.pods {
            match parse(t) {
                Ok(Wanted::Service { name, .. }) => {
                    named.insert(name.split_once('/').map(|(ns, _)| ns.to_string()));
                }
                Ok(Wanted::Target(Target::Node(_))) => scope.all_namespaces = true,
                // `shop/web-1` beside a Service: its namespace is gathered too.
                Ok(Wanted::Target(t)) if t.namespace().is_some() => {
                    named.insert(t.namespace().map(str::to_string));
                }
                _ => {}
            }
        }
        let mut named = named.into_iter();
        match (named.next(), named.next()) {
            (Some(Some(ns)), None) => scope.namespace = Some(ns),
            (_, Some(_)) => scope.all_namespaces = true,
            _ => {}
        }
    }
    scope.pods.clear();
    Ok(scope)
}

/// The namespace a target names: `NS/NAME`, `KIND/NS/NAME`, `svc/NS/NAME`.
fn named_namespace(w: &Wanted) -> Option<&str> {
    match w {
        Wanted::Target(t) => t.namespace(),
        Wanted::Service { name, .. } => name.split_once('/').map(|(ns, _)| ns),
    }
}

/// A target naming a namespace other than `-n`'s is a usage error, as kubectl refuses an
/// object whose namespace differs from `--namespace`; with `-A` each target keeps its own.
pub fn check_namespaces(scope: &SelectArgs) -> Result<(), RunError> {
    let Some(ns) = scope.namespace.as_deref().filter(|_| !scope.all_namespaces) else {
        return Ok(());
    };
    for t in &scope.pods {
        if let Some(named) = named_namespace(&parse(t)?).filter(|n| *n != ns) {
            return Err(RunError::Usage(format!(
                "`{t}` names namespace `{named}` but -n says `{ns}`: drop -n, or name the \
                 target without its namespace"
            )));
        }
    }
    Ok(())
}

/// With a Service target, that every Service the targets name is among `services` (what a
/// live run listed): checked before a capture writes anything.
pub fn check_services(
    services: &[Service],
    listed: &Listed,
    source: SourceKind,
    scope: &SelectArgs,
) -> Result<(), RunError> {
    let ns = scope.namespace.as_deref().filter(|_| !scope.all_namespaces);
    for t in &scope.pods {
        if let Wanted::Service { name, typed } = parse(t)? {
            named_services(services, listed, source, &name, &typed, ns)?;
        }
    }
    Ok(())
}

/// `namespace/name` of the Services a target names (`NAME` or `NS/NAME`) in scope; an error
/// saying what to do when there is none.
fn named_services(
    services: &[Service],
    listed: &Listed,
    source: SourceKind,
    name: &str,
    typed: &str,
    ns: Option<&str>,
) -> Result<Vec<String>, RunError> {
    let in_namespace = |namespace: &str| ns.is_none_or(|n| namespace == n);
    let found: Vec<String> = services
        .iter()
        .filter(|s| in_namespace(&s.namespace) && (s.name == *name || service_key(s) == *name))
        .map(service_key)
        .collect();
    if found.is_empty() {
        return Err(RunError::Usage(missing_service(
            services, listed, source, typed, name, ns,
        )));
    }
    Ok(found)
}

/// What is left to narrow once the engine has run: the pods of Service targets.
#[derive(Debug, Default)]
pub struct Narrowing {
    /// `namespace/name` of the Services the targets name; empty: nothing to narrow.
    services: HashSet<String>,
    /// `namespace/name` of the pods the targets select: by name, owner or node, and by a
    /// targeted Service's selector.
    pods: HashSet<String>,
}

impl Narrowing {
    /// With a Service target: keeps the pods the targets select, the pods the Service's
    /// diagnosis names (those it selects, its clients) and drops the rest.
    pub fn after_engine(&self, pods: &mut Vec<PodDiagnosis>, services: &[ServiceDiagnosis]) {
        if self.services.is_empty() {
            return;
        }
        let mut keep: HashSet<&str> = self.pods.iter().map(String::as_str).collect();
        for s in services.iter().filter(|s| self.services.contains(&s.key())) {
            keep.extend(s.pods.iter().map(String::as_str));
            keep.extend(s.clients.iter().map(String::as_str));
        }
        pods.retain(|d| keep.contains(d.key().as_str()));
    }

    /// A note for each targeted Service without a finding, which the report would otherwise
    /// leave out (a healthy object is never a problem): what it selects, so the user sees
    /// the target was looked at.
    pub fn healthy_notes(
        &self,
        pods: &[PodDiagnosis],
        services: &[ServiceDiagnosis],
    ) -> Vec<String> {
        let healthy: HashSet<String> = pods
            .iter()
            .filter(|d| d.status.healthy)
            .map(PodDiagnosis::key)
            .collect();
        let mut keys: Vec<&ServiceDiagnosis> = services
            .iter()
            .filter(|s| self.services.contains(&s.key()) && s.findings.is_empty())
            .collect();
        keys.sort_by_key(|s| s.key());
        keys.into_iter()
            .map(|s| {
                let ready = s.pods.iter().filter(|p| healthy.contains(*p)).count();
                let mut note = format!(
                    "Service `{}` ({}): no finding; it selects {}",
                    s.key(),
                    if s.type_.is_empty() {
                        "type not shown"
                    } else {
                        &s.type_
                    },
                    crate::words::count(s.pods.len() as u64, "pod", "pods"),
                );
                if !s.pods.is_empty() {
                    note.push_str(&format!(", {ready} healthy"));
                }
                if !s.clients.is_empty() {
                    note.push_str(&format!(
                        "; {} name it",
                        crate::words::count(s.clients.len() as u64, "client", "clients")
                    ));
                }
                note
            })
            .collect()
    }
}

/// Keeps only the pods and Services in scope; returns what is left to narrow after the
/// engine (the pods of Service targets).
pub fn apply(evidence: &mut Evidence, scope: &SelectArgs) -> Result<Narrowing, RunError> {
    let selector = scope
        .selector
        .as_deref()
        .map(Selector::parse)
        .transpose()
        .map_err(RunError::Usage)?;
    check_namespaces(scope)?;
    let ns = scope.namespace.as_deref().filter(|_| !scope.all_namespaces);
    let wanted = scope
        .pods
        .iter()
        .map(|t| parse(t))
        .collect::<Result<Vec<_>, _>>()?;
    let targets: Vec<Target> = wanted
        .iter()
        .filter_map(|w| match w {
            Wanted::Target(t) => Some(t.clone()),
            Wanted::Service { .. } => None,
        })
        .collect();
    let in_namespace = |namespace: &str| ns.is_none_or(|n| namespace == n);
    // A live cluster already said whether a workload exists (its GET failed, or the run
    // stopped); one with no pods now is a note. A node is checked against the node list,
    // live as in a bundle. In a bundle or a paste the evidence is all there is.
    let live = evidence.source.kind == SourceKind::Cluster;
    let verified = |t: &Target| live && matches!(t, Target::Workload { .. });
    for t in targets.iter().filter(|t| !verified(t)) {
        let node_listed = |n: &str| evidence.nodes.iter().any(|node| node.name == n);
        let found = match t {
            // Live, a node's pods are listed by node: the node list decides (when listed).
            Target::Node(n) if live => !evidence.coverage.nodes || node_listed(n),
            _ => {
                evidence
                    .pods
                    .iter()
                    .any(|p| in_namespace(&p.namespace) && matches(t, p))
                    || matches!(t, Target::Node(n) if node_listed(n))
            }
        };
        if !found {
            let hint = nearest_to(t, evidence, ns)
                .map_or_else(String::new, |near| format!("did you mean `{near}`? "));
            let list = if live {
                match t {
                    Target::Node(_) => "`kubectl get nodes`".to_string(),
                    _ => "`kubectl get pods`".to_string(),
                }
            } else {
                format!("`{}`", crate::invocation::command("diagnose --from DIR"))
            };
            return Err(RunError::Usage(format!(
                "{} not found in {}; {hint}list what is there with {list}",
                describe(t),
                where_(t.namespace().or(ns))
            )));
        }
    }
    // The Services the targets name, each an error when the evidence lacks it.
    let mut named: HashSet<String> = HashSet::new();
    for w in &wanted {
        let Wanted::Service { name, typed } = w else {
            continue;
        };
        named.extend(named_services(
            &evidence.services,
            &evidence.services_listed,
            evidence.source.kind,
            name,
            typed,
            ns,
        )?);
    }
    let in_scope = |p: &Pod| {
        in_namespace(&p.namespace) && selector.as_ref().is_none_or(|s| s.matches(&p.labels))
    };
    // The pods the targets select: by name, owner or node, and by a named Service's selector.
    let mut targeted: HashSet<String> = HashSet::new();
    if !named.is_empty() {
        let services: Vec<&Service> = evidence
            .services
            .iter()
            .filter(|s| named.contains(&service_key(s)))
            .collect();
        for p in evidence.pods.iter().filter(|p| in_scope(p)) {
            if targets.iter().any(|t| matches(t, p)) || services.iter().any(|s| selects(s, p)) {
                targeted.insert(p.key());
            }
        }
    }
    let before = evidence.pods.len();
    // What a typo was probably meant to be, from the pods before narrowing.
    let near = (!evidence.pods.iter().any(&in_scope))
        .then(|| nearest_scope(&evidence.pods, ns, selector.as_ref()))
        .flatten();
    // With a Service target every pod in scope stays for the engine (any may be a client).
    evidence.pods.retain(|p| {
        in_scope(p)
            && (wanted.is_empty() || !named.is_empty() || targets.iter().any(|t| matches(t, p)))
    });
    // Services: every one in the namespace; with targets or a selector, those named and
    // those selecting a pod of the other targets (or, without targets, a pod the selector kept).
    let narrowed = !wanted.is_empty() || selector.is_some();
    let selecting = if narrowed {
        let pods: Vec<&Pod> = evidence
            .pods
            .iter()
            .filter(|p| {
                (targets.is_empty() && named.is_empty()) || targets.iter().any(|t| matches(t, p))
            })
            .collect();
        services_selecting(&evidence.services, &pods)
    } else {
        HashSet::new()
    };
    let mut index = 0;
    evidence.services.retain(|s| {
        let i = index;
        index += 1;
        in_namespace(&s.namespace)
            && (!narrowed || named.contains(&service_key(s)) || selecting.contains(&i))
    });
    if evidence.pods.is_empty() && before > 0 {
        evidence
            .notes
            .push(empty_note(ns, scope.selector.as_deref(), &targets, near));
    }
    Ok(Narrowing {
        services: named,
        pods: targeted,
    })
}

/// Indexes (in `services`) of the Services whose selector matches one of `pods`: each
/// Service looks only at the pods that carry its selector's first label.
fn services_selecting(services: &[Service], pods: &[&Pod]) -> HashSet<usize> {
    let mut by_label: HashMap<(&str, &str, &str), Vec<&Pod>> = HashMap::new();
    for p in pods {
        for (k, v) in &p.labels {
            by_label
                .entry((p.namespace.as_str(), k.as_str(), v.as_str()))
                .or_default()
                .push(p);
        }
    }
    services
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let Some((k, v)) = s.selector.as_ref().and_then(|sel| sel.iter().next()) else {
                return false;
            };
            by_label
                .get(&(s.namespace.as_str(), k.as_str(), v.as_str()))
                .is_some_and(|candidates| candidates.iter().any(|p| selects(s, p)))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether a Service's selector matches a pod: same namespace, every label of a non-empty
/// selector (an empty one selects nothing: its endpoints are managed by hand; an unknown one
/// is left to the engine).
fn selects(service: &Service, pod: &Pod) -> bool {
    service.namespace == pod.namespace
        && service.selector.as_ref().is_some_and(|sel| {
            !sel.is_empty() && sel.iter().all(|(k, v)| pod.labels.get(k) == Some(v))
        })
}

/// `namespace/name` of a Service.
fn service_key(s: &Service) -> String {
    crate::words::qualified(&s.namespace, &s.name)
}

/// Whether a pod is one of a target's pods: by name, by an owner anywhere up its chain
/// (`deployment/web` owns the pods of its ReplicaSets), or by the node it runs on; in the
/// namespace the target names, if any (a pod whose namespace is unknown, from pasted text,
/// may be in it).
fn matches(target: &Target, pod: &Pod) -> bool {
    let in_ns = target
        .namespace()
        .is_none_or(|n| pod.namespace == n || pod.namespace.is_empty());
    match target {
        Target::Pod { name, .. } => in_ns && pod.name == *name,
        Target::Node(name) => pod.node_name.as_deref() == Some(name.as_str()),
        Target::Workload { kind, name, .. } => {
            let reference = format!("{kind}/{name}");
            in_ns
                && pod
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.reference() == reference || o.chain.contains(&reference))
        }
    }
}

/// The name in the evidence nearest to a target that matched nothing: a pod's among the
/// pods of its namespace, a workload's among the owners of its kind, a node's among the
/// nodes.
fn nearest_to(target: &Target, evidence: &Evidence, ns: Option<&str>) -> Option<String> {
    let ns = target.namespace().or(ns);
    let pods = || {
        evidence
            .pods
            .iter()
            .filter(move |p| ns.is_none_or(|n| p.namespace == n))
    };
    match target {
        Target::Node(n) => {
            crate::words::nearest(n, evidence.nodes.iter().map(|node| node.name.as_str()))
                .map(str::to_string)
        }
        Target::Pod { name, .. } => {
            crate::words::nearest(name, pods().map(|p| p.name.as_str())).map(str::to_string)
        }
        Target::Workload { kind, name, .. } => {
            let prefix = format!("{kind}/");
            let owners: HashSet<&str> = pods()
                .filter_map(|p| p.owner.as_ref())
                .flat_map(|o| o.chain.iter())
                .filter_map(|r| r.strip_prefix(&prefix))
                .collect();
            crate::words::nearest(name, owners).map(|n| format!("{kind}/{n}"))
        }
    }
}

fn describe(target: &Target) -> String {
    match target {
        Target::Pod { name, namespace } => format!(
            "pod `{}`",
            crate::words::qualified(namespace.as_deref().unwrap_or(""), name)
        ),
        Target::Node(name) => format!("node `{name}`"),
        Target::Workload {
            kind,
            namespace,
            name,
        } => match namespace {
            Some(n) => format!("`{kind}/{n}/{name}`"),
            None => format!("`{kind}/{name}`"),
        },
    }
}

/// The namespace (`namespace `shop``) or label (`label `app=web``) nearest to a namespace
/// or selector that matches no pod, among `pods`.
fn nearest_scope(pods: &[Pod], ns: Option<&str>, selector: Option<&Selector>) -> Option<String> {
    if let Some(n) = ns
        && !pods.iter().any(|p| p.namespace == n)
    {
        return nearest_namespace(n, pods.iter().map(|p| p.namespace.as_str()));
    }
    let pods: Vec<&Pod> = pods
        .iter()
        .filter(|p| ns.is_none_or(|n| p.namespace == n))
        .collect();
    for (k, v) in selector.into_iter().flat_map(Selector::equalities) {
        let values: HashSet<&str> = pods
            .iter()
            .filter_map(|p| p.labels.get(k).map(String::as_str))
            .collect();
        if values.is_empty() {
            let keys: HashSet<&str> = pods
                .iter()
                .flat_map(|p| p.labels.keys().map(String::as_str))
                .collect();
            if let Some(near) = crate::words::nearest(k, keys) {
                return Some(format!("label `{near}={v}`"));
            }
        } else if !values.contains(v)
            && let Some(near) = crate::words::nearest(v, values)
        {
            return Some(format!("label `{k}={near}`"));
        }
    }
    None
}

/// `namespace `shop``, the namespace nearest to `ns` among `names`.
pub fn nearest_namespace<'a>(ns: &str, names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let names: HashSet<&str> = names.into_iter().collect();
    crate::words::nearest(ns, names).map(|n| format!("namespace `{n}`"))
}

/// The note for a scope without pods: a typo shows. `near`: what it was probably meant to
/// be (`namespace `shop``).
pub fn empty_note(
    ns: Option<&str>,
    selector: Option<&str>,
    targets: &[Target],
    near: Option<String>,
) -> String {
    let mut what = Vec::new();
    if let Some(n) = ns {
        what.push(format!("in namespace `{n}`"));
    }
    if let Some(s) = selector {
        what.push(format!("matching `{s}`"));
    }
    if !targets.is_empty() {
        let names: Vec<String> = targets.iter().map(describe).collect();
        what.push(format!("of {}", names.join(", ")));
    }
    let near = near.map_or_else(String::new, |n| format!("; did you mean {n}?"));
    format!(
        "no pods {}: check the spelling (namespaces and labels are case-sensitive){near}",
        what.join(" ")
    )
}

/// `the evidence` or `namespace `shop``.
fn where_(ns: Option<&str>) -> String {
    ns.map_or_else(
        || "the evidence".to_string(),
        |n| format!("namespace `{n}`"),
    )
}

/// Why a Service target found nothing, and what to do: the Services were not listed, or
/// the name is not among them (with the nearest name in scope, when one is close).
fn missing_service(
    services: &[Service],
    listed: &Listed,
    source: SourceKind,
    typed: &str,
    name: &str,
    ns: Option<&str>,
) -> String {
    let unlisted = match ns {
        Some(n) => !listed.covers(n) && !services.iter().any(|s| s.namespace == n),
        None => services.is_empty() && listed.is_empty(),
    };
    if unlisted && source == SourceKind::Cluster {
        let (of, scope) = match ns {
            Some(n) => (
                format!("the Services of namespace `{n}`"),
                format!(" -n {n}"),
            ),
            None => ("any Services".to_string(), String::new()),
        };
        return format!(
            "`{typed}`: the cluster did not list {of}, so Service `{name}` cannot be looked \
             at; kubedoctor needs list on services (`kubectl auth can-i list services{scope}`)"
        );
    }
    if unlisted {
        return format!(
            "`{typed}`: the evidence holds no Services (a bundle captured before kubedoctor \
             captured Services, or text without `kubectl get svc`); capture the bundle again, \
             or add the output of `kubectl get svc {name} -o yaml` to the text"
        );
    }
    let (want_ns, want_name) = match name.split_once('/') {
        Some((n, rest)) => (Some(n), rest),
        None => (ns, name),
    };
    let nearest = crate::words::nearest(
        want_name,
        services
            .iter()
            .filter(|s| want_ns.is_none_or(|n| s.namespace == n))
            .map(|s| s.name.as_str()),
    );
    let hint = nearest.map_or_else(String::new, |n| format!("did you mean `{n}`? "));
    format!(
        "`{typed}`: Service `{name}` not found in {}; {hint}list the Services with `kubectl get svc{}`",
        where_(ns),
        ns.map_or_else(|| " -A".to_string(), |n| format!(" -n {n}"))
    )
}

#[cfg(test)]
mod tests;
