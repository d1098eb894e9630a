//! Joining what a text shows of Services: the pieces of one Service (a `get svc` row, a
//! `describe svc`, its YAML) become one; its endpoints come from the most telling output
//! that shows them (slices over Endpoints objects over `describe svc`'s `Endpoints:` lines
//! over `get endpoints` rows over `get endpointslices` rows), the slices of that kind added
//! up; ServiceAccounts are counted once.
//!
//! A piece without a namespace (a command without `-n`) is the same object as a piece of
//! that name with one. Endpoints attach only to a Service the text shows: a slice by its
//! `kubernetes.io/service-name` label, or where `get` does not print it, by its name (the
//! controller names slices `<service>-` and five characters of the API server's
//! random-name alphabet, the prefix cut to 58 characters). Outputs of endpoints that belong
//! to no Service shown are counted as not used.

use crate::evidence::{Endpoints, Listed, Service, ServiceAccount, ServicePort};
use crate::sources::text::services::values::add_port;
use crate::sources::text::services::{EndpointPiece, Pieces};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What the text shows of Services and ServiceAccounts, joined.
#[derive(Debug, Default)]
pub struct Joined {
    pub services: Vec<Service>,
    pub accounts: Vec<ServiceAccount>,
    pub services_listed: Listed,
    pub accounts_listed: Listed,
}

/// Joins the pieces; outputs of endpoints of no Service shown are counted in `not_used`.
pub fn join(p: Pieces, not_used: &mut BTreeMap<&'static str, usize>) -> Joined {
    let mut services: Vec<Service> = Vec::new();
    let mut index = Index::default();
    for s in p.services.into_iter().filter(|s| !s.name.is_empty()) {
        match index.find(&s.namespace, &s.name) {
            Some(i) => merge(&mut services[i], s),
            None => {
                index.add(&s.namespace, &s.name, services.len());
                services.push(s);
            }
        }
    }
    let mut by_service: Vec<Vec<EndpointPiece>> = vec![Vec::new(); services.len()];
    let mut used = BTreeSet::new();
    let mut shown = BTreeSet::new();
    for piece in p.endpoints {
        shown.insert(piece.output);
        if let Some(i) = service_of(&piece, &services, &index) {
            used.insert(piece.output);
            by_service[i].push(piece);
        }
    }
    for output in shown.difference(&used) {
        if let Some(kind) = p.outputs.get(*output) {
            *not_used.entry(kind).or_default() += 1;
        }
    }
    for (s, pieces) in services.iter_mut().zip(by_service) {
        s.endpoints = if pieces.is_empty() {
            // Listed without them: the Service has none (no object, no slice).
            p.endpoints_listed
                .covers(&s.namespace)
                .then(Endpoints::default)
        } else {
            best(pieces)
        };
    }
    // ServiceAccounts once each; one without a namespace is one of that name with one.
    let mut seen = HashSet::new();
    let mut accounts: Vec<ServiceAccount> = p
        .accounts
        .into_iter()
        .filter(|a| !a.name.is_empty() && seen.insert((a.namespace.clone(), a.name.clone())))
        .collect();
    let namespaced: HashSet<String> = accounts
        .iter()
        .filter(|a| !a.namespace.is_empty())
        .map(|a| a.name.clone())
        .collect();
    accounts.retain(|a| !a.namespace.is_empty() || !namespaced.contains(&a.name));
    Joined {
        services,
        accounts,
        services_listed: p.services_listed,
        accounts_listed: p.accounts_listed,
    }
}

/// Namespaces that may be the same: equal, or one of them unknown.
fn compatible(a: &str, b: &str) -> bool {
    a.is_empty() || b.is_empty() || a == b
}

/// Adds what a later piece shows of a Service: what it shows replaces what an earlier one
/// showed; what it does not show (a `get svc` row's selector and targetPorts) stays.
fn merge(into: &mut Service, s: Service) {
    if into.namespace.is_empty() {
        into.namespace = s.namespace;
    }
    if !s.type_.is_empty() {
        into.type_ = s.type_;
    }
    into.headless |= s.headless;
    for ip in &s.cluster_ips {
        into.add_cluster_ip(ip);
    }
    if s.external_name.is_some() {
        into.external_name = s.external_name;
    }
    if s.selector.is_some() {
        into.selector = s.selector;
    }
    for port in s.ports {
        merge_port(&mut into.ports, port);
    }
}

fn merge_port(ports: &mut Vec<ServicePort>, port: ServicePort) {
    let Some(p) = ports
        .iter_mut()
        .find(|p| p.port == port.port && p.protocol == port.protocol)
    else {
        ports.push(port);
        return;
    };
    if port.name.is_some() {
        p.name = port.name;
    }
    if port.target_port.is_some() {
        p.target_port = port.target_port;
    }
    if port.node_port.is_some() {
        p.node_port = port.node_port;
    }
}

/// Services by namespace and name (a session may show thousands).
#[derive(Default)]
struct Index {
    exact: HashMap<(String, String), usize>,
    /// Every Service of a name, for a piece without a namespace.
    by_name: HashMap<String, Vec<usize>>,
}

impl Index {
    fn add(&mut self, namespace: &str, name: &str, i: usize) {
        self.exact
            .entry((namespace.to_string(), name.to_string()))
            .or_insert(i);
        self.by_name.entry(name.to_string()).or_default().push(i);
    }

    /// The Service `name` in `namespace` (either side's unknown namespace matches any).
    fn find(&self, namespace: &str, name: &str) -> Option<usize> {
        let exact = |ns: &str| self.exact.get(&(ns.to_string(), name.to_string())).copied();
        if namespace.is_empty() {
            return self.by_name.get(name).and_then(|ids| ids.first().copied());
        }
        exact(namespace).or_else(|| exact(""))
    }
}

/// The Service shown that a piece of endpoints is of.
fn service_of(piece: &EndpointPiece, services: &[Service], index: &Index) -> Option<usize> {
    let ns = piece.namespace.as_str();
    match (&piece.service, &piece.slice) {
        (Some(name), _) => index.find(ns, name),
        (None, Some(slice)) => {
            // `<service>-xxxxx`; a prefix cut to 58 characters names a longer Service.
            let base = slice
                .get(..slice.len().saturating_sub(5))
                .unwrap_or_default();
            let candidate = base
                .strip_suffix('-')
                .and_then(|name| index.find(ns, name))
                .filter(|&i| generated_for(slice, &services[i].name));
            candidate.or_else(|| {
                (base.len() == 58).then(|| {
                    services
                        .iter()
                        .position(|s| compatible(&s.namespace, ns) && generated_for(slice, &s.name))
                })?
            })
        }
        (None, None) => None,
    }
}

/// The characters the API server draws generated name suffixes from.
const SUFFIX_ALPHABET: &str = "bcdfghjklmnpqrstvwxz2456789";

/// Whether `slice` is a name the API server generated for a slice of `service`:
/// `generateName` `<service>-` (cut to 58 characters) and five random characters.
pub fn generated_for(slice: &str, service: &str) -> bool {
    let Some(base) = slice.len().checked_sub(5).and_then(|n| slice.get(..n)) else {
        return false;
    };
    let suffix = &slice[base.len()..];
    let prefix = format!("{service}-");
    let prefix = prefix.get(..prefix.len().min(58)).unwrap_or(&prefix);
    !service.is_empty() && base == prefix && suffix.chars().all(|c| SUFFIX_ALPHABET.contains(c))
}

/// The endpoints of one Service from its pieces: those of the most telling kind; pieces of
/// the same slice (or object) replace each other, different slices add up. Unknown when one
/// of them shows addresses without their readiness.
fn best(pieces: Vec<EndpointPiece>) -> Option<Endpoints> {
    let top = pieces.iter().map(|p| p.fidelity).max()?;
    let mut latest: Vec<(Option<String>, Option<Endpoints>)> = Vec::new();
    for p in pieces.into_iter().filter(|p| p.fidelity == top) {
        match latest.iter_mut().find(|(slice, _)| *slice == p.slice) {
            Some(entry) => entry.1 = p.endpoints,
            None => latest.push((p.slice, p.endpoints)),
        }
    }
    let mut all = Endpoints::default();
    for (_, e) in latest {
        let e = e?;
        for x in e.ready {
            if !all.ready.iter().any(|y| y.address == x.address) {
                all.ready.push(x);
            }
        }
        for x in e.not_ready {
            if !all.not_ready.iter().any(|y| y.address == x.address) {
                all.not_ready.push(x);
            }
        }
        for port in e.ports {
            add_port(&mut all.ports, port);
        }
    }
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Endpoint, TargetPort};
    use crate::sources::text::services::Fidelity;

    fn ready(addresses: &[&str]) -> Endpoints {
        Endpoints {
            ready: addresses
                .iter()
                .map(|a| Endpoint {
                    address: a.to_string(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn piece(
        service: Option<&str>,
        slice: Option<&str>,
        fidelity: Fidelity,
        endpoints: Option<Endpoints>,
        output: usize,
    ) -> EndpointPiece {
        EndpointPiece {
            namespace: "shop".into(),
            service: service.map(str::to_string),
            slice: slice.map(str::to_string),
            fidelity,
            endpoints,
            output,
        }
    }

    #[test]
    fn slice_names_the_controller_generates() {
        assert!(generated_for("web-x2k4p", "web"));
        assert!(!generated_for("web-api-x2k4p", "web"));
        assert!(!generated_for("web-aeiou", "web"));
        assert!(!generated_for("web", "web"));
        let long = "a".repeat(60);
        assert!(generated_for(&format!("{}x2k4p", &long[..58]), &long));
    }

    #[test]
    fn pieces_of_one_service_merge_and_the_best_endpoints_win() {
        let row = Service {
            namespace: String::new(),
            name: "web".into(),
            type_: "ClusterIP".into(),
            ports: vec![ServicePort {
                port: 80,
                protocol: "TCP".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let described = Service {
            namespace: "shop".into(),
            name: "web".into(),
            selector: Some([("app".to_string(), "web".to_string())].into()),
            ports: vec![ServicePort {
                name: Some("http".into()),
                port: 80,
                protocol: "TCP".into(),
                target_port: Some(TargetPort::Name("http".into())),
                node_port: None,
            }],
            ..Default::default()
        };
        let pieces = Pieces {
            services: vec![row, described],
            endpoints: vec![
                piece(
                    Some("web"),
                    None,
                    Fidelity::EndpointsRow,
                    Some(ready(&["10.0.0.1"])),
                    0,
                ),
                piece(
                    None,
                    Some("web-x2k4p"),
                    Fidelity::Slice,
                    Some(ready(&["10.0.0.2"])),
                    1,
                ),
                piece(
                    None,
                    Some("web-b7c9d"),
                    Fidelity::Slice,
                    Some(ready(&["10.0.0.3"])),
                    2,
                ),
                piece(
                    Some("gone"),
                    None,
                    Fidelity::EndpointsObject,
                    Some(ready(&[])),
                    3,
                ),
            ],
            outputs: vec!["Endpoints", "EndpointSlice", "EndpointSlice", "Endpoints"],
            ..Default::default()
        };
        let mut not_used = BTreeMap::new();
        let j = join(pieces, &mut not_used);
        assert_eq!(j.services.len(), 1);
        let s = &j.services[0];
        assert_eq!(
            (s.namespace.as_str(), s.type_.as_str()),
            ("shop", "ClusterIP")
        );
        assert_eq!(s.ports.len(), 1);
        assert_eq!(
            s.ports[0].target_port,
            Some(TargetPort::Name("http".into()))
        );
        let addresses: Vec<_> = s
            .endpoints
            .as_ref()
            .unwrap()
            .ready
            .iter()
            .map(|e| e.address.as_str())
            .collect();
        assert_eq!(addresses, ["10.0.0.2", "10.0.0.3"]);
        assert_eq!(not_used.get("Endpoints"), Some(&1));
    }

    #[test]
    fn endpoints_unknown_unless_shown_or_listed() {
        let svc = |name: &str| Service {
            namespace: "shop".into(),
            name: name.into(),
            ..Default::default()
        };
        let mut pieces = Pieces {
            services: vec![svc("web"), svc("db")],
            endpoints: vec![piece(None, Some("web-x2k4p"), Fidelity::SliceRow, None, 0)],
            outputs: vec!["EndpointSlice"],
            ..Default::default()
        };
        pieces.endpoints_listed.add("shop");
        let j = join(pieces, &mut BTreeMap::new());
        assert_eq!(j.services[0].endpoints, None);
        assert_eq!(j.services[1].endpoints, Some(Endpoints::default()));
    }

    #[test]
    fn a_slice_of_a_long_named_service_by_its_cut_name() {
        let name = format!("checkout-{}", "x".repeat(55));
        let slice = format!("{}b7c9d", &format!("{name}-")[..58]);
        let pieces = Pieces {
            services: vec![Service {
                namespace: "shop".into(),
                name: name.clone(),
                ..Default::default()
            }],
            endpoints: vec![piece(
                None,
                Some(&slice),
                Fidelity::SliceRow,
                Some(ready(&[])),
                0,
            )],
            outputs: vec!["EndpointSlice"],
            ..Default::default()
        };
        let j = join(pieces, &mut BTreeMap::new());
        assert_eq!(j.services[0].endpoints, Some(Endpoints::default()));
    }
}
