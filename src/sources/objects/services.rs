//! Services, their endpoints and ServiceAccounts, from the wire types ([`wire::service`])
//! into the evidence model, and the join of endpoints to their Services.
//!
//! The endpoints of a Service come from its EndpointSlices (all of them merged: one per
//! address family, and more past 100 endpoints), or from its core/v1 Endpoints object on a
//! cluster that serves no slices. A Service for which nothing was found has no endpoints
//! only when the endpoints of its namespace were listed; otherwise they are unknown.

use super::wire::service as wire;
use crate::evidence::{
    Endpoint, EndpointPort, Endpoints, Listed, Pod, Service, ServiceAccount, ServicePort,
    TargetPort,
};
use std::collections::{HashMap, HashSet};

/// The label an EndpointSlice names its Service with.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// The endpoints one EndpointSlice or Endpoints object holds for a Service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceEndpoints {
    pub namespace: String,
    pub service: String,
    pub endpoints: Endpoints,
}

/// A Service, without its endpoints (see [`attach_endpoints`]).
pub fn service(s: wire::Service) -> Service {
    let namespace = namespace_of(s.metadata.namespace);
    let name = s.metadata.name.unwrap_or_default();
    let Some(spec) = s.spec else {
        // A fragment without a spec: nothing of it is known.
        return Service {
            namespace,
            name,
            ..Service::default()
        };
    };
    let mut service = Service {
        namespace,
        name,
        type_: spec.type_.unwrap_or_default(),
        headless: spec.cluster_ip.as_deref() == Some("None"),
        external_name: spec.external_name.filter(|n| !n.is_empty()),
        // The API leaves out an empty selector: a spec without one has none.
        selector: Some(spec.selector.unwrap_or_default()),
        ports: spec
            .ports
            .unwrap_or_default()
            .into_iter()
            .map(|p| ServicePort {
                name: p.name.filter(|n| !n.is_empty()),
                port: p.port,
                target_port: p
                    .target_port
                    .and_then(|t| TargetPort::parse(&t.to_string())),
                protocol: protocol(p.protocol),
                node_port: p.node_port.filter(|&n| n != 0),
            })
            .collect(),
        cluster_ips: Vec::new(),
        endpoints: None,
    };
    // `clusterIP` is the first of `clusterIPs`; an older server sends `clusterIP` alone.
    let ips = spec
        .cluster_ip
        .into_iter()
        .chain(spec.cluster_ips.unwrap_or_default());
    for ip in ips {
        service.add_cluster_ip(&ip);
    }
    service
}

/// The endpoints of one EndpointSlice; `None` for a slice that names no Service.
pub fn endpoint_slice(s: wire::EndpointSlice) -> Option<ServiceEndpoints> {
    let mut labels = s.metadata.labels.unwrap_or_default();
    let service = labels
        .remove(SERVICE_NAME_LABEL)
        .filter(|n| !n.is_empty())?;
    let mut endpoints = Endpoints {
        ports: ports(s.ports),
        ..Endpoints::default()
    };
    for e in s.endpoints.unwrap_or_default() {
        // The addresses of one endpoint are interchangeable and kube-proxy uses the first:
        // one endpoint is one address (one pod).
        let Some(address) = e.addresses.into_iter().find(|a| !a.is_empty()) else {
            continue;
        };
        let endpoint = Endpoint {
            address,
            pod: pod_of(e.target_ref),
            node: e.node_name.filter(|n| !n.is_empty()),
        };
        if e.conditions.and_then(|c| c.ready).unwrap_or(true) {
            endpoints.ready.push(endpoint);
        } else {
            endpoints.not_ready.push(endpoint);
        }
    }
    Some(ServiceEndpoints {
        namespace: namespace_of(s.metadata.namespace),
        service,
        endpoints,
    })
}

/// The endpoints of a core/v1 Endpoints object (named like its Service); `None` without a
/// name.
pub fn endpoints(e: wire::Endpoints) -> Option<ServiceEndpoints> {
    let service = e.metadata.name.filter(|n| !n.is_empty())?;
    let mut endpoints = Endpoints::default();
    for subset in e.subsets.unwrap_or_default() {
        let address = |a: wire::EndpointAddress| {
            (!a.ip.is_empty()).then(|| Endpoint {
                address: a.ip,
                pod: pod_of(a.target_ref),
                node: a.node_name.filter(|n| !n.is_empty()),
            })
        };
        let ready = subset.addresses.unwrap_or_default();
        endpoints
            .ready
            .extend(ready.into_iter().filter_map(address));
        let not_ready = subset.not_ready_addresses.unwrap_or_default();
        endpoints
            .not_ready
            .extend(not_ready.into_iter().filter_map(address));
        merge_ports(&mut endpoints.ports, ports(subset.ports));
    }
    Some(ServiceEndpoints {
        namespace: namespace_of(e.metadata.namespace),
        service,
        endpoints,
    })
}

/// A ServiceAccount, by name.
pub fn service_account(a: wire::ServiceAccount) -> ServiceAccount {
    ServiceAccount {
        namespace: namespace_of(a.metadata.namespace),
        name: a.metadata.name.unwrap_or_default(),
    }
}

/// Gives every Service its endpoints: those of all its slices (or Endpoints objects)
/// merged; none when nothing names it and the endpoints of its namespace were `listed`;
/// unknown (`None`) otherwise.
pub fn attach_endpoints(services: &mut [Service], found: Vec<ServiceEndpoints>, listed: &Listed) {
    let mut by_service: HashMap<(String, String), Endpoints> = HashMap::new();
    for f in found {
        let merged = by_service.entry((f.namespace, f.service)).or_default();
        merged.ready.extend(f.endpoints.ready);
        merged.not_ready.extend(f.endpoints.not_ready);
        merge_ports(&mut merged.ports, f.endpoints.ports);
    }
    for s in services {
        s.endpoints = by_service
            .remove(&(s.namespace.clone(), s.name.clone()))
            .or_else(|| listed.covers(&s.namespace).then(Endpoints::default));
    }
}

/// The cluster DNS and kube-proxy pods among `system` (`k8s-app` `kube-dns` or
/// `kube-proxy` in `kube-system`) that are not among `pods` already.
pub fn system_pods(pods: &[Pod], system: Vec<Pod>) -> Vec<Pod> {
    if system.is_empty() {
        return system;
    }
    let known: HashSet<(&str, &str)> = pods
        .iter()
        .map(|p| (p.namespace.as_str(), p.name.as_str()))
        .collect();
    let mut seen = HashSet::new();
    let keep: Vec<bool> = system
        .iter()
        .map(|p| {
            is_system_pod(p)
                && !known.contains(&(p.namespace.as_str(), p.name.as_str()))
                && seen.insert((p.namespace.clone(), p.name.clone()))
        })
        .collect();
    let mut keep = keep.into_iter();
    system
        .into_iter()
        .filter(|_| keep.next().unwrap_or(false))
        .collect()
}

/// The label selector of the system pods a run consults.
pub const SYSTEM_PODS_SELECTOR: &str = "k8s-app in (kube-dns,kube-proxy)";

/// The namespace of the system pods.
pub const SYSTEM_NAMESPACE: &str = "kube-system";

fn is_system_pod(p: &Pod) -> bool {
    p.namespace == SYSTEM_NAMESPACE
        && p.labels
            .get("k8s-app")
            .is_some_and(|a| a == "kube-dns" || a == "kube-proxy")
}

fn namespace_of(ns: Option<String>) -> String {
    ns.filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".into())
}

fn protocol(p: Option<String>) -> String {
    p.filter(|p| !p.is_empty()).unwrap_or_else(|| "TCP".into())
}

/// The pod an endpoint's `targetRef` names (other kinds are not pods).
fn pod_of(r: Option<wire::ObjectRef>) -> Option<String> {
    let r = r?;
    if r.kind.as_deref().is_some_and(|k| k != "Pod") {
        return None;
    }
    r.name.filter(|n| !n.is_empty())
}

/// Endpoint ports with a number (a port without one, "every port", is only in hand-made
/// slices and has no number to compare).
fn ports(p: Option<Vec<wire::EndpointPort>>) -> Vec<EndpointPort> {
    p.unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            Some(EndpointPort {
                port: p.port?,
                name: p.name.filter(|n| !n.is_empty()),
                protocol: protocol(p.protocol),
            })
        })
        .collect()
}

/// Adds the ports not already in `into`.
fn merge_ports(into: &mut Vec<EndpointPort>, ports: Vec<EndpointPort>) {
    for p in ports {
        if !into.contains(&p) {
            into.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::objects::{json, parse_list_with};

    fn slice(json_text: &str) -> Option<ServiceEndpoints> {
        endpoint_slice(serde_json::from_str(json_text).unwrap())
    }

    #[test]
    fn a_service_keeps_its_ports_selector_and_kind() {
        let s: wire::Service = serde_json::from_str(
            r#"{"metadata": {"name": "web", "namespace": "shop"},
                "spec": {"type": "NodePort", "clusterIP": "10.0.0.7", "selector": {"app": "web"},
                         "ports": [{"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080},
                                   {"port": 9090, "targetPort": 9090, "protocol": "UDP"},
                                   {"port": 53}]}}"#,
        )
        .unwrap();
        let s = service(s);
        assert_eq!((s.namespace.as_str(), s.name.as_str()), ("shop", "web"));
        assert_eq!(s.type_, "NodePort");
        assert!(!s.headless);
        assert_eq!(
            s.cluster_ips,
            ["10.0.0.7"],
            "an older server's `clusterIP` alone"
        );
        assert_eq!(s.selector.unwrap()["app"], "web");
        assert_eq!(
            s.ports[0].target_port,
            Some(TargetPort::Name("http".into()))
        );
        assert_eq!(s.ports[0].node_port, Some(30080));
        assert_eq!(s.ports[0].protocol, "TCP");
        assert_eq!(s.ports[1].target_port, Some(TargetPort::Number(9090)));
        assert_eq!(s.ports[1].protocol, "UDP");
        assert_eq!(s.ports[2].target_port, None, "not shown: the API's default");
        assert_eq!(s.endpoints, None);
    }

    #[test]
    fn headless_external_name_and_selectorless_services() {
        let headless = service(
            serde_json::from_str(
                r#"{"metadata": {"name": "db", "namespace": "shop"},
                    "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}}"#,
            )
            .unwrap(),
        );
        assert!(headless.headless);
        assert!(
            headless.cluster_ips.is_empty(),
            "a headless Service has no IP"
        );
        let external = service(
            serde_json::from_str(
                r#"{"metadata": {"name": "mail", "namespace": "shop"},
                    "spec": {"type": "ExternalName", "externalName": "mail.example.org"}}"#,
            )
            .unwrap(),
        );
        assert_eq!(external.external_name.as_deref(), Some("mail.example.org"));
        assert_eq!(external.selector, Some(Default::default()));
        assert!(external.ports.is_empty());
        // Without a spec nothing is known, not even that there is no selector.
        let bare = service(serde_json::from_str(r#"{"metadata": {"name": "x"}}"#).unwrap());
        assert_eq!((bare.namespace.as_str(), bare.selector), ("default", None));
    }

    #[test]
    fn a_dual_stack_service_has_both_cluster_ips_once() {
        let s = service(
            serde_json::from_str(
                r#"{"metadata": {"name": "api", "namespace": "shop"},
                    "spec": {"clusterIP": "10.96.140.9", "clusterIPs": ["10.96.140.9", "fd00:10:96::8c09"],
                             "ipFamilies": ["IPv4", "IPv6"], "ports": [{"port": 80}]}}"#,
            )
            .unwrap(),
        );
        assert_eq!(s.cluster_ips, ["10.96.140.9", "fd00:10:96::8c09"]);
        let external = service(
            serde_json::from_str(
                r#"{"metadata": {"name": "mail"},
                    "spec": {"type": "ExternalName", "externalName": "mail.example.org", "clusterIP": ""}}"#,
            )
            .unwrap(),
        );
        assert!(external.cluster_ips.is_empty());
    }

    #[test]
    fn a_slice_sorts_endpoints_by_readiness() {
        let s = slice(
            r#"{"metadata": {"name": "api-x1", "namespace": "shop",
                             "labels": {"kubernetes.io/service-name": "api"}},
                "addressType": "IPv4",
                "endpoints": [
                  {"addresses": ["10.1.0.5"], "conditions": {"ready": true},
                   "targetRef": {"kind": "Pod", "name": "api-1"}, "nodeName": "worker-1"},
                  {"addresses": ["10.1.0.6", "10.1.0.60"], "conditions": {"ready": false},
                   "targetRef": {"kind": "Pod", "name": "api-2"}},
                  {"addresses": ["10.1.0.7"]},
                  {"addresses": []}],
                "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "all"}]}"#,
        )
        .unwrap();
        assert_eq!((s.namespace.as_str(), s.service.as_str()), ("shop", "api"));
        let e = &s.endpoints;
        assert_eq!(e.ready.len(), 2, "no conditions: ready");
        assert_eq!(e.ready[0].pod.as_deref(), Some("api-1"));
        assert_eq!(e.ready[0].node.as_deref(), Some("worker-1"));
        assert_eq!(e.ready[1].address, "10.1.0.7");
        assert_eq!(e.not_ready.len(), 1);
        assert_eq!(e.not_ready[0].address, "10.1.0.6", "the first address only");
        assert_eq!(
            e.ports,
            [EndpointPort {
                name: Some("http".into()),
                port: 8080,
                protocol: "TCP".into()
            }]
        );
        // A slice that names no Service is not joined to any.
        assert_eq!(slice(r#"{"metadata": {"name": "orphan"}}"#), None);
    }

    #[test]
    fn endpoints_objects_read_ready_and_not_ready_addresses() {
        let e = endpoints(
            serde_json::from_str(
                r#"{"metadata": {"name": "web", "namespace": "shop"},
                    "subsets": [{"addresses": [{"ip": "10.1.0.9", "nodeName": "worker-2",
                                                "targetRef": {"kind": "Pod", "name": "web-1"}}],
                                 "notReadyAddresses": [{"ip": "10.1.0.10"}],
                                 "ports": [{"name": "http", "port": 8080}]},
                                {"addresses": [{"ip": "fd00::9"}],
                                 "ports": [{"name": "http", "port": 8080}]}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(e.service, "web");
        assert_eq!(e.endpoints.ready.len(), 2);
        assert_eq!(e.endpoints.ready[0].pod.as_deref(), Some("web-1"));
        assert_eq!(e.endpoints.not_ready[0].address, "10.1.0.10");
        assert_eq!(e.endpoints.ports.len(), 1, "the same port once");
    }

    #[test]
    fn slices_merge_and_unlisted_namespaces_stay_unknown() {
        let (found, bad) = parse_list_with(
            r#"{"items": [
              {"metadata": {"namespace": "shop", "labels": {"kubernetes.io/service-name": "web"}},
               "addressType": "IPv4", "endpoints": [{"addresses": ["10.1.0.1"]}],
               "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]},
              {"metadata": {"namespace": "shop", "labels": {"kubernetes.io/service-name": "web"}},
               "addressType": "IPv6", "endpoints": [{"addresses": ["fd00::1"], "conditions": {"ready": false}}],
               "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]}"#,
            "discovery.k8s.io/v1",
            "EndpointSlice",
            json(endpoint_slice),
        )
        .unwrap();
        assert!(bad.is_empty());
        let named = |ns: &str, name: &str| Service {
            namespace: ns.into(),
            name: name.into(),
            ..Service::default()
        };
        let mut services = vec![named("shop", "web"), named("shop", "db"), named("ops", "x")];
        let mut listed = Listed::default();
        listed.add("shop");
        attach_endpoints(
            &mut services,
            found.into_iter().flatten().collect(),
            &listed,
        );
        let web = services[0].endpoints.as_ref().unwrap();
        assert_eq!((web.ready.len(), web.not_ready.len()), (1, 1));
        assert_eq!(web.ports.len(), 1);
        assert_eq!(services[1].endpoints, Some(Endpoints::default()));
        assert_eq!(services[2].endpoints, None, "`ops` was not listed");
    }

    #[test]
    fn system_pods_are_dns_and_proxy_pods_not_already_listed() {
        let pod = |ns: &str, name: &str, app: &str| Pod {
            namespace: ns.into(),
            name: name.into(),
            labels: [("k8s-app".to_string(), app.to_string())].into(),
            ..Pod::default()
        };
        let pods = vec![pod("kube-system", "coredns-a", "kube-dns")];
        let system = vec![
            pod("kube-system", "coredns-a", "kube-dns"),
            pod("kube-system", "coredns-b", "kube-dns"),
            pod("kube-system", "coredns-b", "kube-dns"),
            pod("kube-system", "kube-proxy-x", "kube-proxy"),
            pod("kube-system", "metrics", "metrics-server"),
            pod("shop", "fake-dns", "kube-dns"),
        ];
        let kept: Vec<String> = system_pods(&pods, system)
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(kept, ["coredns-b", "kube-proxy-x"]);
    }
}
