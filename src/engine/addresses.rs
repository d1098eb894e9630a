//! In-cluster addresses in a pod's environment: which literal env values have the shape of
//! a Service's address (`NAME.NS.svc`, `NAME.NS.svc.cluster.local`, `NAME.NS`, a bare
//! `NAME`; alone, as `host:port` or inside a URL) and whether the Service they name exists
//! and exposes the port. Decided by the value's shape, never by the variable's name.
//!
//! What `pod.address_unknown_service` and `pod.address_unexposed_port` read. The Services
//! are indexed once per run ([`ServiceLookup`]), so a pod costs its env values, not the
//! cluster's Services.

use crate::evidence::{Evidence, Pod, Service};
use std::collections::{HashMap, HashSet};

/// Values longer than this are not addresses (a certificate, a JSON document).
const MAX_VALUE: usize = 4096;
/// A list longer than this is not a list of addresses.
const MAX_PARTS: usize = 32;

/// One address found in an env value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The address as written, with a URL's password replaced by `[REDACTED]`.
    pub quoted: String,
    /// The host, lower case, without a trailing dot.
    pub host: String,
    /// The explicit port, else the default of a URL's scheme (`http` 80, `https` 443).
    pub port: Option<u16>,
}

/// Splits an env value into the addresses it holds: a URL
/// (`scheme://[user[:pass]@]host[:port][/...]`), `host:port` or a bare host, or a
/// comma-separated list of them. Anything else (IPv6 literals, paths, prose) gives nothing.
pub fn candidates(value: &str) -> Vec<Candidate> {
    if value.len() > MAX_VALUE {
        return Vec::new();
    }
    value
        .split(',')
        .take(MAX_PARTS + 1)
        .enumerate()
        .filter(|(i, _)| *i < MAX_PARTS)
        .filter_map(|(_, part)| candidate(part.trim()))
        .collect()
}

fn candidate(part: &str) -> Option<Candidate> {
    if part.is_empty() || part.chars().any(char::is_whitespace) {
        return None;
    }
    let (quoted, authority, default_port) = match part.split_once("://") {
        Some((scheme, rest)) => {
            let valid_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
            if !valid_scheme {
                return None;
            }
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(end);
            let (userinfo, hostport) = match authority.rsplit_once('@') {
                Some((u, h)) => (Some(u), h),
                None => (None, authority),
            };
            let userinfo = userinfo.map(|u| match u.split_once(':') {
                Some((user, _)) => format!("{user}:{}@", crate::redact::REDACTED),
                None => format!("{u}@"),
            });
            let quoted = format!(
                "{scheme}://{}{hostport}{tail}",
                userinfo.unwrap_or_default()
            );
            let default_port = match scheme.to_ascii_lowercase().as_str() {
                "http" | "ws" => Some(80),
                "https" | "wss" => Some(443),
                _ => None,
            };
            (quoted, hostport, default_port)
        }
        // Without a scheme: `host` or `host:port`, nothing more (no path, no credentials).
        None if part.contains(['/', '@', '?', '#']) => return None,
        None => (part.to_string(), part, None),
    };
    let (host, port) = match authority.split_once(':') {
        // A second colon is an IPv6 literal or junk.
        Some((_, p)) if p.contains(':') => return None,
        Some((h, p)) => (h, Some(p.parse::<u16>().ok().filter(|&p| p > 0)?)),
        None => (authority, default_port),
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let valid_host = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    valid_host.then_some(Candidate { quoted, host, port })
}

/// A DNS label a Service or namespace can be named by.
fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The Services of the evidence by namespace and name (those in scope, then those of other
/// namespaces looked up by name), and the namespaces it knows.
#[derive(Debug, Default)]
pub struct ServiceLookup {
    /// (namespace, name) to an index into `Evidence::services` followed by
    /// `Evidence::services_elsewhere`.
    services: HashMap<(String, String), usize>,
    /// Namespaces with a pod or a Service in the evidence.
    namespaces: HashSet<String>,
}

impl ServiceLookup {
    pub fn new(evidence: &Evidence) -> ServiceLookup {
        let services = evidence
            .services
            .iter()
            .chain(&evidence.services_elsewhere)
            .enumerate()
            .map(|(i, s)| ((s.namespace.clone(), s.name.clone()), i))
            .collect();
        let namespaces = evidence
            .pods
            .iter()
            .map(|p| &p.namespace)
            .chain(evidence.services.iter().map(|s| &s.namespace))
            .chain(evidence.services_listed.namespaces.iter())
            .filter(|ns| !ns.is_empty())
            .cloned()
            .collect();
        ServiceLookup {
            services,
            namespaces,
        }
    }

    fn get<'e>(&self, evidence: &'e Evidence, ns: &str, name: &str) -> Option<&'e Service> {
        let i = *self.services.get(&(ns.to_string(), name.to_string()))?;
        match evidence.services.get(i) {
            Some(s) => Some(s),
            None => evidence.services_elsewhere.get(i - evidence.services.len()),
        }
    }

    /// Whether the Service is known not to exist: its namespace's Services were listed
    /// without it, or a lookup by name found none.
    fn absent(&self, evidence: &Evidence, ns: &str, name: &str) -> bool {
        evidence.services_listed.covers(ns)
            || evidence
                .services_absent
                .iter()
                .any(|(n, s)| n == ns && s == name)
    }

    /// The Services that addresses in the pods' env name in namespaces whose Services were
    /// not listed, and that nothing else shows: what a live run looks up by name. Only the
    /// unambiguous forms (`NAME.NS.svc`, `NAME.NS.svc.cluster.local`) count.
    pub fn unlisted(&self, evidence: &Evidence) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for pod in &evidence.pods {
            for (_, value) in pod.all_containers().flat_map(|c| c.env.iter()) {
                for a in candidates(value) {
                    if !a.host.contains(".svc") {
                        continue;
                    }
                    let Some((ns, name)) = self.target(evidence, &pod.namespace, &a.host) else {
                        continue;
                    };
                    let known = self.get(evidence, &ns, &name).is_some()
                        || self.absent(evidence, &ns, &name);
                    if !known && !out.contains(&(ns.clone(), name.clone())) {
                        out.push((ns, name));
                    }
                }
            }
        }
        out
    }

    /// The Service (namespace, name) a host names by its shape, if any.
    pub fn target(
        &self,
        evidence: &Evidence,
        pod_ns: &str,
        host: &str,
    ) -> Option<(String, String)> {
        let labels: Vec<&str> = host.split('.').collect();
        let (name, ns) = match labels.as_slice() {
            [name, ns, "svc"] | [name, ns, "svc", "cluster", "local"] => (*name, *ns),
            // `NAME.NS` only where NS is a namespace of the evidence (else a domain).
            [name, ns] if self.namespaces.contains(*ns) => (*name, *ns),
            // A bare name only when it is a Service of the pod's namespace.
            [name] if self.get(evidence, pod_ns, name).is_some() => (*name, pod_ns),
            _ => return None,
        };
        (is_label(name) && is_label(ns)).then(|| (ns.to_string(), name.to_string()))
    }
}

/// What is wrong with an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The Service does not exist (its namespace's Services were listed).
    UnknownService,
    /// The Service exists and exposes none of the port; its ports as `80/TCP, 443/TCP`.
    UnexposedPort(String),
}

/// One address of a pod's env that names a missing Service or port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub var: String,
    pub address: Candidate,
    pub namespace: String,
    pub service: String,
    pub problem: Problem,
    /// The Service's namespace was listed (else it was looked up by name).
    pub listed: bool,
}

impl Finding {
    /// The evidence line that quotes it.
    pub fn describe(&self) -> String {
        let head = format!("env `{}` = `{}` names", self.var, self.address.quoted);
        let svc = format!("Service `{}/{}`", self.namespace, self.service);
        match &self.problem {
            Problem::UnknownService if self.listed => format!(
                "{head} {svc}, which the Services listed in `{}` do not include",
                self.namespace
            ),
            Problem::UnknownService => {
                format!("{head} {svc}, which does not exist (looked up by name: not found)")
            }
            Problem::UnexposedPort(ports) => format!(
                "{head} port {} of {svc}, which exposes {ports}",
                self.address.port.unwrap_or_default()
            ),
        }
    }
}

/// The addresses of a pod's literal env values (every container's) that name a Service
/// that does not exist or a port it does not expose.
pub fn check(pod: &Pod, evidence: &Evidence, lookup: &ServiceLookup) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    for c in pod.all_containers() {
        for (var, value) in &c.env {
            for address in candidates(value) {
                let Some((ns, name)) = lookup.target(evidence, &pod.namespace, &address.host)
                else {
                    continue;
                };
                let problem = match lookup.get(evidence, &ns, &name) {
                    None if lookup.absent(evidence, &ns, &name) => Problem::UnknownService,
                    None => continue,
                    Some(svc) => match unexposed(svc, address.port) {
                        Some(ports) => Problem::UnexposedPort(ports),
                        None => continue,
                    },
                };
                let f = Finding {
                    var: var.clone(),
                    address,
                    listed: evidence.services_listed.covers(&ns),
                    namespace: ns,
                    service: name,
                    problem,
                };
                if !found.contains(&f) {
                    found.push(f);
                }
            }
        }
    }
    found
}

/// The Service's ports when it does not expose `port`. A headless or ExternalName Service
/// (DNS names other addresses, any port goes) or one whose ports the source did not show
/// exposes every port.
fn unexposed(svc: &Service, port: Option<u16>) -> Option<String> {
    let port = i32::from(port?);
    if svc.headless || svc.external_name.is_some() || svc.type_ == "ExternalName" {
        return None;
    }
    if svc.ports.is_empty() || svc.ports.iter().any(|p| p.port == port) {
        return None;
    }
    Some(
        svc.ports
            .iter()
            .map(|p| {
                let proto = if p.protocol.is_empty() {
                    "TCP"
                } else {
                    &p.protocol
                };
                format!("{}/{proto}", p.port)
            })
            .collect::<Vec<_>>()
            .join(", "),
    )
}

#[cfg(test)]
mod tests;
