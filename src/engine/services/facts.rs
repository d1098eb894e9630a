//! What the evidence says about one Service, worked out once for every cause that reads it:
//! the pods its selector matches (or the nearest one), its ready endpoints, the ports and
//! protocols the selected containers serve. Each fact carries the evidence line that quotes
//! it. Unknown stays unknown: a selector the source did not show, a namespace whose pods were
//! not listed, a `targetPort` `get svc` does not print.

use super::index::{PodIndex, Selection};
use crate::engine::{EvidenceKind, EvidenceLine, PodDiagnosis};
use crate::evidence::{Evidence, Pod, Service, TargetPort};
use crate::playbook::Field;
use std::collections::{BTreeMap, HashMap};

/// A text field's values, each with its line.
type Values = Vec<(String, EvidenceLine)>;

/// The facts of one Service.
pub struct ServiceFacts {
    has_selector: Option<(bool, EvidenceLine)>,
    selects: Option<(i64, EvidenceLine)>,
    unmatched: Option<(bool, EvidenceLine)>,
    ready_endpoints: Option<(i64, EvidenceLine)>,
    type_: Values,
    not_ready: Values,
    unserved: Values,
    protocol: Values,
    /// Template variables (`service`, `selector`, `nearest_pod`, ...).
    pub vars: BTreeMap<String, String>,
    /// The selected pods, as `namespace/name`.
    pub pods: Vec<String>,
}

/// How a selected pod stands: its diagnosis, when it has one.
pub type Diagnoses<'a> = HashMap<(&'a str, &'a str), &'a PodDiagnosis>;

impl ServiceFacts {
    pub fn new(
        svc: &Service,
        evidence: &Evidence,
        index: &PodIndex,
        diagnoses: &Diagnoses,
    ) -> ServiceFacts {
        let name = crate::words::qualified(&svc.namespace, &svc.name);
        let line = |text: String| EvidenceLine {
            source: EvidenceKind::Service,
            text: format!("`{name}`: {text}"),
            at: None,
        };
        let mut vars = BTreeMap::new();
        vars.insert("service".to_string(), svc.name.clone());
        let selection = svc
            .selector
            .as_ref()
            .map(|s| index.select(&svc.namespace, s));
        let listed = evidence.pods_listed.covers(&svc.namespace);
        let has_selector = svc.selector.as_ref().map(|s| {
            let text = if s.is_empty() {
                "no selector: its endpoints are managed by hand".to_string()
            } else {
                format!("selector `{}`", terms(s))
            };
            (!s.is_empty(), line(text))
        });
        if let Some(s) = &svc.selector {
            vars.insert("selector".into(), terms(s));
        }
        let selects = match (&svc.selector, &selection) {
            (Some(s), Some(sel)) if !s.is_empty() => {
                selects_fact(s, sel, listed, &svc.namespace).map(|(n, t)| (n, line(t)))
            }
            _ => None,
        };
        let mut pods = Vec::new();
        let mut not_ready = Vec::new();
        let mut ready_pods = 0;
        if let Some(sel) = &selection {
            vars.insert("listed_pods".into(), sel.listed.to_string());
            vars.insert(
                "selected_pods".into(),
                sel.matched
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            if let Some(n) = &sel.nearest {
                let has = match n.has {
                    Some(v) => format!("it has `{}={v}`", n.term.0),
                    None => format!("it has no `{}` label", n.term.0),
                };
                vars.insert(
                    "nearest".into(),
                    format!(
                        "The nearest pod is `{}`: the selector wants `{}={}`, {has}.",
                        n.pod.name, n.term.0, n.term.1
                    ),
                );
            } else if sel.matched.is_empty() {
                vars.insert(
                    "nearest".into(),
                    "No pod there has any of the selector's labels.".into(),
                );
            }
            for p in &sel.matched {
                pods.push(crate::words::qualified(&p.namespace, &p.name));
                let d = diagnoses.get(&(p.namespace.as_str(), p.name.as_str()));
                if d.is_some_and(|d| is_ready(d)) {
                    ready_pods += 1;
                    continue;
                }
                let how = d.map_or("not ready".to_string(), |d| standing(d));
                not_ready.push((p.name.clone(), line(format!("selects `{}`, {how}", p.name))));
            }
        }
        if !not_ready.is_empty() {
            let names: Vec<String> = not_ready
                .iter()
                .map(|(n, l)| {
                    let how = l.text.split_once(", ").map_or("", |(_, h)| h);
                    format!("`{n}` ({how})")
                })
                .collect();
            vars.insert("not_ready_pods".into(), names.join(", "));
        }
        let ready_endpoints = match &svc.endpoints {
            Some(e) => Some((
                e.ready.len() as i64,
                line(format!(
                    "{} ready and {} not-ready endpoint addresses",
                    e.ready.len(),
                    e.not_ready.len()
                )),
            )),
            None if selection.as_ref().is_some_and(|s| !s.matched.is_empty()) => Some((
                ready_pods,
                line(format!("{ready_pods} of the selected pods are ready")),
            )),
            None => None,
        };
        let selected: &[&Pod] = selection.as_ref().map_or(&[], |s| &s.matched);
        let ports = served(selected);
        if !ports.declared.is_empty() || !ports.probed.is_empty() {
            vars.insert("served_ports".into(), ports.describe());
        }
        let (unserved, protocol) = if selected.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            port_facts(svc, &ports, &line)
        };
        let unmatched = selects.as_ref().map(|(n, l)| (*n == 0, l.clone()));
        ServiceFacts {
            has_selector,
            selects,
            unmatched,
            ready_endpoints,
            type_: if svc.type_.is_empty() {
                Vec::new()
            } else {
                vec![(svc.type_.clone(), line(format!("type {}", svc.type_)))]
            },
            not_ready,
            unserved,
            protocol,
            vars,
            pods,
        }
    }

    /// True when the evidence cannot say (the Service field's value is unknown).
    pub fn unknown(&self, field: Field) -> bool {
        match field {
            Field::ServiceType => self.type_.is_empty(),
            Field::ServiceSelector => self.has_selector.is_none(),
            Field::ServiceSelects => self.selects.is_none(),
            Field::ServiceUnmatched => self.unmatched.is_none(),
            Field::ServiceReadyEndpoints => self.ready_endpoints.is_none(),
            _ => false,
        }
    }

    /// The values of a text field.
    pub fn values(&self, field: Field) -> &[(String, EvidenceLine)] {
        match field {
            Field::ServiceType => &self.type_,
            Field::ServiceNotReadyPod => &self.not_ready,
            Field::ServiceUnservedPort => &self.unserved,
            Field::ServiceProtocolMismatch => &self.protocol,
            _ => &[],
        }
    }

    /// A flag's value and its line.
    pub fn flag(&self, field: Field) -> Option<&(bool, EvidenceLine)> {
        match field {
            Field::ServiceSelector => self.has_selector.as_ref(),
            Field::ServiceUnmatched => self.unmatched.as_ref(),
            _ => None,
        }
    }

    /// A count's value and its line.
    pub fn count(&self, field: Field) -> Option<&(i64, EvidenceLine)> {
        match field {
            Field::ServiceSelects => self.selects.as_ref(),
            Field::ServiceReadyEndpoints => self.ready_endpoints.as_ref(),
            _ => None,
        }
    }
}

/// `app=web,tier=fe`.
fn terms(selector: &BTreeMap<String, String>) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// How many pods the selector matches, in words; unknown when none matched and the
/// namespace's pods were not listed (they may be elsewhere).
fn selects_fact(
    selector: &BTreeMap<String, String>,
    sel: &Selection,
    listed: bool,
    namespace: &str,
) -> Option<(i64, String)> {
    let n = sel.matched.len();
    if n == 0 && !listed {
        return None;
    }
    let text = if n == 0 {
        format!(
            "selector `{}` matches none of the {} listed in `{namespace}`",
            terms(selector),
            crate::words::count(sel.listed as u64, "pod", "pods")
        )
    } else {
        format!(
            "selector `{}` matches {}",
            terms(selector),
            crate::words::count(n as u64, "pod", "pods")
        )
    };
    Some((n as i64, text))
}

/// Ready as an endpoint: every container ready, and not being deleted.
fn is_ready(d: &PodDiagnosis) -> bool {
    let s = &d.status;
    s.known && s.total > 0 && s.ready == s.total && s.display != "Terminating"
}

/// `CrashLoopBackOff: crash.oom`.
fn standing(d: &PodDiagnosis) -> String {
    match d.top() {
        Some(f) => format!("{}: {}", d.status.display, f.id),
        None => d.status.display.clone(),
    }
}

/// The ports the selected app containers declare, and those their probes reach.
struct Served {
    /// (port, name, protocol).
    declared: Vec<(i32, Option<String>, String)>,
    probed: Vec<i32>,
}

impl Served {
    fn describe(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        for (port, name, protocol) in &self.declared {
            let s = match name {
                Some(n) => format!("{port}/{protocol} ({n})"),
                None => format!("{port}/{protocol}"),
            };
            if !out.contains(&s) {
                out.push(s);
            }
        }
        for p in &self.probed {
            if !self.declared.iter().any(|(d, _, _)| d == p) {
                let s = format!("{p} (probed)");
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out.join(", ")
    }
}

fn served(pods: &[&Pod]) -> Served {
    let mut declared = Vec::new();
    let mut probed = Vec::new();
    for c in pods.iter().flat_map(|p| p.containers.iter()) {
        for port in &c.ports {
            declared.push((port.port, port.name.clone(), port.protocol.clone()));
        }
        for probe in [&c.liveness, &c.readiness, &c.startup]
            .into_iter()
            .flatten()
        {
            if let Some(p) = probe_port(&probe.action) {
                probed.push(p);
            }
        }
    }
    Served { declared, probed }
}

/// The port of a probe as kubedoctor writes its action (`http-get http://:8080/ready`,
/// `tcp-socket :5432`, `grpc :9090`): the digits after the last colon of its target.
fn probe_port(action: &str) -> Option<i32> {
    let (kind, target) = action.split_once(' ')?;
    if kind == "exec" {
        return None;
    }
    let after = &target[target.rfind(':')? + 1..];
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Ports whose target the selected containers do not serve, and ports whose protocol
/// differs from the container port's.
fn port_facts(
    svc: &Service,
    served: &Served,
    line: &dyn Fn(String) -> EvidenceLine,
) -> (Values, Values) {
    let mut unserved = Vec::new();
    let mut protocol = Vec::new();
    let no_endpoint_ports = svc
        .endpoints
        .as_ref()
        .is_some_and(|e| e.ports.is_empty() && !(e.ready.is_empty() && e.not_ready.is_empty()));
    let names_known = served.declared.iter().any(|(_, n, _)| n.is_some());
    // The endpoints' ports are the Service ports the controller could resolve, by the
    // Service port's name: where every endpoint port's name is known, a named Service port
    // missing among them has a targetPort no selected container names.
    let endpoint_port_names: Option<Vec<&str>> = svc.endpoints.as_ref().and_then(|e| {
        let has_endpoints = !e.ready.is_empty() || !e.not_ready.is_empty();
        let known =
            has_endpoints && !e.ports.is_empty() && e.ports.iter().all(|p| p.name.is_some());
        known.then(|| e.ports.iter().filter_map(|p| p.name.as_deref()).collect())
    });
    for p in &svc.ports {
        let Some(target) = &p.target_port else {
            continue;
        };
        let resolved: Vec<&(i32, Option<String>, String)> = match target {
            TargetPort::Number(n) => served.declared.iter().filter(|d| d.0 == *n).collect(),
            TargetPort::Name(name) => served
                .declared
                .iter()
                .filter(|d| d.1.as_deref() == Some(name))
                .collect(),
        };
        let unserved_here = match target {
            TargetPort::Number(n) => {
                !served.declared.is_empty() && resolved.is_empty() && !served.probed.contains(n)
            }
            TargetPort::Name(_) => {
                let not_resolved = p.name.as_deref().is_some_and(|name| {
                    endpoint_port_names
                        .as_ref()
                        .is_some_and(|names| !names.contains(&name))
                });
                resolved.is_empty() && (names_known || no_endpoint_ports || not_resolved)
            }
        };
        if unserved_here {
            let why = match target {
                TargetPort::Number(_) => "no selected container declares it",
                TargetPort::Name(_) if names_known => {
                    "no selected container has a port of that name"
                }
                TargetPort::Name(_) if no_endpoint_ports => {
                    "the endpoints have no ports: no selected container names it"
                }
                TargetPort::Name(_) => {
                    "the endpoints have no port of this Service port's name: no selected container names it"
                }
            };
            unserved.push((
                format!("{}->{target}", p.port),
                line(format!(
                    "port {}/{} sends to targetPort {target}: {why}",
                    p.port, p.protocol
                )),
            ));
            continue;
        }
        if !resolved.is_empty() && !resolved.iter().any(|d| d.2 == p.protocol) {
            let theirs = &resolved[0].2;
            protocol.push((
                format!("{}/{}->{theirs}", p.port, p.protocol),
                line(format!(
                    "port {}/{} sends to targetPort {target}, which the containers declare as {theirs}",
                    p.port, p.protocol
                )),
            ));
        }
    }
    (unserved, protocol)
}

#[cfg(test)]
mod tests {
    use super::probe_port;

    #[test]
    fn a_probe_port_is_read_from_its_action() {
        assert_eq!(probe_port("http-get http://:8080/ready"), Some(8080));
        assert_eq!(probe_port("tcp-socket :5432"), Some(5432));
        assert_eq!(probe_port("grpc <pod>:9090"), Some(9090));
        assert_eq!(probe_port("exec [cat /tmp/ok]"), None);
        assert_eq!(probe_port("http-get http://:http/ready"), None);
    }
}
