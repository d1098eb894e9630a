//! From effect to cause (issue 21 §4): a pod that cannot reach a Service with a finding gets
//! the chain once, a finding that carries the Service's cause id and quotes its finding
//! ("cannot reach `shop/api`: service.no-pods — ..."), so the client joins the Service's group
//! and the problem is reported once. A pass after both pods and Services are diagnosed.
//!
//! Which Service a pod reaches is decided by the shape of its addresses ([`addresses`]): a
//! literal env value, or an address written in one of its failure lines (`NAME.NS.svc`,
//! `NAME.NS`, `NAME:PORT` of a Service of its namespace, or `IP:PORT` / `[IPv6]:PORT` where
//! the IP is a Service's cluster IP, in any namespace: cluster IPs are unique cluster-wide,
//! and a resolved name is all a client's error may print). Which log lines are failed
//! connections is the Service playbook's `clients.failures`; how many a Running, ready pod
//! must log is `clients.repeated` — the documented exception to "a healthy pod is never a
//! problem". Every Service's `clients` lists the pods whose env names it and the pods that
//! got its chain.

use super::addresses::{ServiceLookup, candidates};
use super::finding::{EvidenceKind, EvidenceLine, Finding, PodDiagnosis, ServiceDiagnosis};
use crate::evidence::{Evidence, Pod};
use crate::playbook::{Clients, Playbooks, Severity};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

/// Failure lines quoted at most.
const MAX_QUOTES: usize = 3;

/// Adds the chain to the clients of Services with a finding, and fills every Service's
/// `clients`. Linear: Services are indexed by namespace and name, pods are read once.
pub fn apply(
    evidence: &Evidence,
    playbooks: &Playbooks,
    pods: &mut [PodDiagnosis],
    services: &mut [ServiceDiagnosis],
) {
    // Text that is mostly prose shows no pod failing to connect.
    if services.is_empty() || evidence.mostly_prose {
        return;
    }
    // Logs are read only when some Service has a finding to chain to.
    let rules = playbooks
        .files
        .iter()
        .find_map(|f| f.clients.as_ref())
        .filter(|_| services.iter().any(|s| s.top().is_some()));
    let index: HashMap<(String, String), usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.namespace.clone(), s.name.clone()), i))
        .collect();
    let by_name: HashMap<(&str, &str), &Pod> = evidence
        .pods
        .iter()
        .map(|p| ((p.namespace.as_str(), p.name.as_str()), p))
        .collect();
    let lookup = ServiceLookup::new(evidence);
    let by_ip = by_cluster_ip(evidence, &index);
    let mut clients: Vec<Vec<String>> = vec![Vec::new(); services.len()];
    for d in pods.iter_mut() {
        let Some(pod) = by_name.get(&(d.namespace.as_str(), d.name.as_str())) else {
            continue;
        };
        let named = env_targets(pod, evidence, &lookup, &index);
        for (i, _) in &named {
            push_once(&mut clients[*i], d.key());
        }
        // A pod whose status nothing shows (a log alone) is not shown to fail.
        let (Some(rules), true) = (rules, d.status.known) else {
            continue;
        };
        let healthy = d.status.healthy;
        let target = Target {
            evidence,
            lookup: &lookup,
            index: &index,
            by_ip: &by_ip,
            services,
        };
        let Some(chain) = reach(pod, &target, &named, healthy, rules) else {
            continue;
        };
        push_once(&mut clients[chain.service], d.key());
        add_chain(d, chain, services, rules);
    }
    for (s, c) in services.iter_mut().zip(clients) {
        s.clients = c;
    }
}

fn push_once(list: &mut Vec<String>, key: String) {
    if !list.contains(&key) {
        list.push(key);
    }
}

/// The Services the pod's literal env values name, with the env line that names each.
fn env_targets(
    pod: &Pod,
    evidence: &Evidence,
    lookup: &ServiceLookup,
    index: &HashMap<(String, String), usize>,
) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for c in pod.all_containers() {
        for (var, value) in &c.env {
            for a in candidates(value) {
                let Some(key) = lookup.target(evidence, &pod.namespace, &a.host) else {
                    continue;
                };
                if let Some(&i) = index.get(&key)
                    && !found.iter().any(|(j, _)| *j == i)
                {
                    found.push((i, format!("env `{var}` = `{}`", a.quoted)));
                }
            }
        }
    }
    found
}

/// A chain to add: the Service reached, how the pod names it, its failure lines.
struct Chain {
    service: usize,
    named_by: String,
    container: String,
    failures: Vec<EvidenceLine>,
    count: usize,
}

/// The Service with a finding that the pod's failed connections are to, when its log shows
/// enough of them (one for a pod that is failing, `repeated` for a healthy one).
/// What finding a pod's Services takes.
struct Target<'a> {
    evidence: &'a Evidence,
    lookup: &'a ServiceLookup,
    index: &'a HashMap<(String, String), usize>,
    /// The Services (by index) of each cluster IP; see [`by_cluster_ip`].
    by_ip: &'a HashMap<IpAddr, Vec<usize>>,
    services: &'a [ServiceDiagnosis],
}

fn reach(
    pod: &Pod,
    t: &Target,
    named: &[(usize, String)],
    healthy: bool,
    rules: &Clients,
) -> Option<Chain> {
    let services = t.services;
    let broken = |i: usize| services[i].top().is_some();
    let env = named.iter().find(|(i, _)| broken(*i));
    // (service, how named, container, line, previous)
    let mut hits: Vec<(usize, String, String, String, bool)> = Vec::new();
    for c in pod.all_containers() {
        for (previous, excerpt) in [(true, &c.previous_logs), (false, &c.logs)] {
            let Some(excerpt) = excerpt else {
                continue;
            };
            for line in excerpt.lines() {
                if !rules.failures.iter().any(|re| re.is_match(line)) {
                    continue;
                }
                let target = log_target(line, pod, t)
                    .filter(|i| broken(*i))
                    .map(|i| (i, "its log".to_string()))
                    .or_else(|| env.cloned());
                if let Some((i, how)) = target {
                    hits.push((
                        i,
                        how,
                        c.name.clone(),
                        line.trim_end().to_string(),
                        previous,
                    ));
                }
            }
        }
    }
    // The most severe Service among those the failures reach; its lines only.
    let (service, named_by, container) = hits
        .iter()
        .max_by_key(|(i, ..)| services[*i].severity())
        .map(|(i, how, c, ..)| (*i, how.clone(), c.clone()))?;
    let mine: Vec<_> = hits.into_iter().filter(|h| h.0 == service).collect();
    let count = mine.len();
    let needed = if healthy { rules.repeated } else { 1 };
    if count < needed {
        return None;
    }
    let named_by = named
        .iter()
        .find(|(i, _)| *i == service)
        .map_or(named_by, |(_, how)| how.clone());
    let failures = mine
        .iter()
        .rev()
        .take(MAX_QUOTES)
        .rev()
        .map(|(_, _, c, line, previous)| EvidenceLine {
            source: EvidenceKind::Log,
            text: format!(
                "[{c} {}] {line}",
                if *previous { "previous" } else { "current" }
            ),
            at: None,
        })
        .collect();
    Some(Chain {
        service,
        named_by,
        container,
        failures,
        count,
    })
}

/// The Service with an index entry that an address in a failure line names. A bare name
/// counts only with a port (`api:8080`, `http://api/`): a word is not an address. A line
/// that names no Service by name may name one by its cluster IP ([`ip_target`]).
fn log_target(line: &str, pod: &Pod, t: &Target) -> Option<usize> {
    name_target(line, pod, t).or_else(|| ip_target(line, pod, t))
}

/// The Service a failure line names by name (`NAME.NS.svc`, `NAME.NS`, `NAME:PORT`).
fn name_target(line: &str, pod: &Pod, t: &Target) -> Option<usize> {
    let (evidence, lookup, index) = (t.evidence, t.lookup, t.index);
    let tokens = line
        .split(|c: char| c.is_whitespace() || "\"'()[]<>,;`".contains(c))
        .map(|t| t.trim_end_matches([':', '.']))
        .filter(|t| t.contains(['.', ':']));
    for token in tokens {
        for a in candidates(token) {
            if !a.host.contains('.') && a.port.is_none() {
                continue;
            }
            let Some(key) = lookup.target(evidence, &pod.namespace, &a.host) else {
                continue;
            };
            if let Some(&i) = index.get(&key) {
                return Some(i);
            }
        }
    }
    None
}

/// The Services of the evidence by cluster IP, as indexes into the diagnosed Services
/// (`index`); once per run. Two Services with one IP (pastes from two clusters) are both
/// kept, and the pod's own namespace is preferred.
fn by_cluster_ip(
    evidence: &Evidence,
    index: &HashMap<(String, String), usize>,
) -> HashMap<IpAddr, Vec<usize>> {
    let mut by_ip: HashMap<IpAddr, Vec<usize>> = HashMap::new();
    for s in &evidence.services {
        let Some(&i) = index.get(&(s.namespace.clone(), s.name.clone())) else {
            continue;
        };
        for ip in s.cluster_ips.iter().filter_map(|ip| ip.parse().ok()) {
            let at = by_ip.entry(ip).or_default();
            if !at.contains(&i) {
                at.push(i);
            }
        }
    }
    by_ip
}

/// The Service whose cluster IP a failure line dials: an `IP:PORT` (`10.96.0.10:53`) or a
/// bracketed `[IPv6]:PORT`, alone, after a URL's scheme or before its path. Only the
/// address's shape is read here; which lines are failures is the playbook's. An IP without a
/// port is not taken: a version number or a pod IP in prose is not a dialled address.
fn ip_target(line: &str, pod: &Pod, t: &Target) -> Option<usize> {
    if t.by_ip.is_empty() {
        return None;
    }
    line.split(|c: char| c.is_whitespace() || "\"'()<>,;`".contains(c))
        .filter_map(socket_address)
        .find_map(|ip| {
            let found = t.by_ip.get(&ip)?;
            let own = |i: &&usize| t.services[**i].namespace == pod.namespace;
            found.iter().find(own).or(found.first()).copied()
        })
}

/// The IP of a token shaped `IP:PORT`, `[IPv6]:PORT`, `scheme://IP:PORT/path`, with the
/// trailing `:` or `.` of prose (`dial tcp 10.96.0.10:53: i/o timeout`) cut.
fn socket_address(token: &str) -> Option<IpAddr> {
    let token = token.rsplit("://").next().unwrap_or(token);
    let token = token.split('/').next().unwrap_or(token);
    let token = token.trim_end_matches([':', '.']);
    // `user@10.96.0.5:5432` (credentials never reach here: only the part after `@`).
    let token = token.rsplit('@').next().unwrap_or(token);
    token.parse::<SocketAddr>().ok().map(|a| a.ip())
}

/// Adds the chain finding to a pod's diagnosis: first when the pod is healthy (the only
/// problem it has) or its top finding is one the chain outranks, else after it.
fn add_chain(d: &mut PodDiagnosis, chain: Chain, services: &[ServiceDiagnosis], rules: &Clients) {
    let svc = &services[chain.service];
    let Some(top) = svc.top() else {
        return;
    };
    let healthy = d.status.healthy;
    let first = healthy || d.top().is_none_or(|f| rules.outranks.contains(&f.id));
    let severity = if healthy {
        Severity::Warning
    } else if first {
        d.severity()
            .unwrap_or(Severity::Critical)
            .max(Severity::Warning)
    } else {
        top.severity
    };
    let svc_key = svc.key();
    let mut evidence = vec![EvidenceLine {
        source: EvidenceKind::Service,
        text: format!(
            "cannot reach `{svc_key}`: {} — {}",
            top.id,
            top.explanation()
        ),
        at: None,
    }];
    evidence.extend(top.evidence.iter().cloned());
    evidence.push(EvidenceLine {
        source: EvidenceKind::Pod,
        text: format!("names `{svc_key}` by {}", chain.named_by),
        at: None,
    });
    evidence.extend(chain.failures);
    let standing = if healthy {
        format!(
            "`{}` is Running and ready, but its log shows {} failed connections",
            d.name, chain.count
        )
    } else {
        format!("`{}` ({})", d.name, d.status.display)
    };
    let finding = Finding {
        id: top.id.clone(),
        title: format!("Cannot reach Service `{svc_key}`: {}", top.title),
        severity,
        score: top.score,
        explain: format!(
            "{standing} to Service `{svc_key}`, which it names by {}. The Service is the cause: {}",
            chain.named_by,
            top.explanation()
        ),
        evidence,
        fixes: top.fixes.clone(),
        docs: top.docs.clone(),
        detail: None,
        said: Vec::new(),
        standing: Default::default(),
        tell_apart: None,
        container: Some(chain.container),
        // The Service's own key: the client joins the Service's group in the report.
        group_key: if top.group_key.is_empty() {
            svc_key
        } else {
            top.group_key.clone()
        },
        rank_first: false,
        specificity: top.specificity,
        order: top.order,
    };
    if healthy {
        // The exception: a Running, ready pod whose repeated failures a Service's finding
        // explains is reported (it counts as a problem, grouped with the Service).
        d.status.healthy = false;
    }
    let at = if first { 0 } else { d.findings.len().min(1) };
    d.findings.insert(at, finding);
}

#[cfg(test)]
mod tests;

/// The pods whose current logs a live run fetches after its lists though their status does
/// not ask for them (they are healthy, so the first round skipped them): those whose env
/// names a Service with a finding, or names a Service that does not exist or a port it does
/// not expose. Their logs decide whether they are failing because of it. Linear; a pod
/// without an address-shaped env value costs its env values only.
pub fn clients_to_read(evidence: &Evidence, services: &[ServiceDiagnosis]) -> Vec<usize> {
    let index: HashMap<(String, String), usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.namespace.clone(), s.name.clone()), i))
        .collect();
    let lookup = ServiceLookup::new(evidence);
    (0..evidence.pods.len())
        .filter(|&i| {
            let pod = &evidence.pods[i];
            if !names_an_address(pod) || !crate::status::pod_status(pod).healthy {
                return false;
            }
            let broken = env_targets(pod, evidence, &lookup, &index)
                .iter()
                .any(|(s, _)| services[*s].top().is_some());
            broken || !super::addresses::check(pod, evidence, &lookup).is_empty()
        })
        .collect()
}

/// The Services of namespaces whose Services were not listed that the pods' env values name
/// unambiguously (`NAME.NS.svc`): what a live run looks up by name.
pub fn services_to_look_up(evidence: &Evidence) -> Vec<(String, String)> {
    ServiceLookup::new(evidence).unlisted(evidence)
}

/// Whether any literal env value of the pod has the shape of an address.
pub fn names_an_address(pod: &Pod) -> bool {
    pod.all_containers()
        .flat_map(|c| c.env.iter())
        .any(|(_, value)| !candidates(value).is_empty())
}
