//! Services, EndpointSlices, Endpoints and ServiceAccounts pasted as YAML or JSON (`kubectl
//! get svc -o yaml`, a List, one object): the few fields a diagnosis reads, decoded from the
//! document's values. A field the object does not have is what the API defaults it to
//! (protocol TCP, a slice endpoint's unset `ready` is ready); an object without a name is
//! skipped.

use super::describe_endpoints::SERVICE_NAME_LABEL;
use super::values::add_port;
use super::{EndpointPiece, Fidelity, Pieces};
use crate::evidence::{
    Endpoint, EndpointPort, Endpoints, Service, ServiceAccount, ServicePort, TargetPort,
};
use serde_json::Value;

fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

fn int(v: &Value, pointer: &str) -> Option<i32> {
    v.pointer(pointer)
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

fn list<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn protocol(v: &Value) -> String {
    text(v, "/protocol").unwrap_or("TCP").to_string()
}

/// Reads one object of `kind`; `namespace` is the command's, for an object without one.
/// `output` numbers the output for endpoints.
pub fn read(kind: &str, item: &Value, namespace: Option<&str>, output: usize, out: &mut Pieces) {
    let Some(name) = text(item, "/metadata/name").filter(|n| !n.is_empty()) else {
        return;
    };
    let name = name.to_string();
    let namespace = text(item, "/metadata/namespace")
        .or(namespace)
        .unwrap_or_default()
        .to_string();
    match kind {
        "Service" => out.services.push(service(item, namespace, name)),
        "ServiceAccount" => out.accounts.push(ServiceAccount { namespace, name }),
        "Endpoints" => out.endpoints.push(EndpointPiece {
            namespace,
            service: Some(name),
            slice: None,
            fidelity: Fidelity::EndpointsObject,
            endpoints: Some(endpoints(item)),
            output,
        }),
        "EndpointSlice" => out.endpoints.push(EndpointPiece {
            namespace,
            service: item
                .pointer("/metadata/labels")
                .and_then(|l| l.get(SERVICE_NAME_LABEL))
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            slice: Some(name),
            fidelity: Fidelity::Slice,
            endpoints: Some(slice(item)),
            output,
        }),
        _ => {}
    }
}

fn service(item: &Value, namespace: String, name: String) -> Service {
    let Some(spec) = item.get("spec") else {
        return Service {
            namespace,
            name,
            ..Default::default()
        };
    };
    let selector = spec.get("selector").and_then(Value::as_object).map(|m| {
        m.iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect()
    });
    let mut service = Service {
        namespace,
        name,
        type_: text(spec, "/type").unwrap_or_default().to_string(),
        headless: text(spec, "/clusterIP") == Some("None"),
        external_name: text(spec, "/externalName")
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        // The API leaves an empty selector out: a spec without one has none.
        selector: Some(selector.unwrap_or_default()),
        ports: list(spec, "/ports")
            .iter()
            .filter_map(|p| {
                Some(ServicePort {
                    name: text(p, "/name")
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                    port: int(p, "/port")?,
                    target_port: match p.get("targetPort") {
                        Some(Value::String(s)) => TargetPort::parse(s),
                        Some(n) => n
                            .as_i64()
                            .and_then(|n| i32::try_from(n).ok())
                            .map(TargetPort::Number),
                        None => None,
                    },
                    protocol: protocol(p),
                    node_port: int(p, "/nodePort").filter(|n| *n != 0),
                })
            })
            .collect(),
        cluster_ips: Vec::new(),
        endpoints: None,
    };
    // `clusterIP` is the first of `clusterIPs` (`None` for a headless Service).
    let ips = text(spec, "/clusterIP")
        .into_iter()
        .chain(list(spec, "/clusterIPs").iter().filter_map(Value::as_str));
    for ip in ips {
        service.add_cluster_ip(ip);
    }
    service
}

fn ports(v: &Value, pointer: &str) -> Vec<EndpointPort> {
    let mut out = Vec::new();
    for p in list(v, pointer) {
        if let Some(port) = int(p, "/port") {
            add_port(
                &mut out,
                EndpointPort {
                    name: text(p, "/name")
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                    port,
                    protocol: protocol(p),
                },
            );
        }
    }
    out
}

fn pod_of(target: Option<&Value>) -> Option<String> {
    let t = target?;
    (text(t, "/kind") == Some("Pod"))
        .then(|| text(t, "/name").map(str::to_string))
        .flatten()
}

/// An Endpoints object: every subset's ready and not-ready addresses and ports.
fn endpoints(item: &Value) -> Endpoints {
    let mut e = Endpoints::default();
    for subset in list(item, "/subsets") {
        let read = |pointer: &str| -> Vec<Endpoint> {
            list(subset, pointer)
                .iter()
                .filter_map(|a| {
                    Some(Endpoint {
                        address: text(a, "/ip").filter(|ip| !ip.is_empty())?.to_string(),
                        pod: pod_of(a.get("targetRef")),
                        node: text(a, "/nodeName").map(str::to_string),
                    })
                })
                .collect()
        };
        e.ready.extend(read("/addresses"));
        e.not_ready.extend(read("/notReadyAddresses"));
        for p in ports(subset, "/ports") {
            add_port(&mut e.ports, p);
        }
    }
    e
}

/// An EndpointSlice: each endpoint by its first address (kube-proxy uses the first) and
/// its readiness.
fn slice(item: &Value) -> Endpoints {
    let mut e = Endpoints {
        ports: ports(item, "/ports"),
        ..Default::default()
    };
    for endpoint in list(item, "/endpoints") {
        let Some(address) = list(endpoint, "/addresses")
            .iter()
            .find_map(Value::as_str)
            .filter(|a| !a.is_empty())
        else {
            continue;
        };
        let found = Endpoint {
            address: address.to_string(),
            pod: pod_of(endpoint.get("targetRef")),
            node: text(endpoint, "/nodeName").map(str::to_string),
        };
        let ready = endpoint
            .pointer("/conditions/ready")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        if ready {
            e.ready.push(found);
        } else {
            e.not_ready.push(found);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_service_object() {
        let mut p = Pieces::default();
        let svc = json!({"kind": "Service", "metadata": {"name": "web"},
            "spec": {"type": "ClusterIP", "clusterIP": "None", "selector": {"app": "web"},
                     "ports": [{"name": "http", "port": 80, "targetPort": "http"},
                               {"port": 9090, "targetPort": 9091, "protocol": "UDP"}]}});
        read("Service", &svc, Some("shop"), 0, &mut p);
        let s = &p.services[0];
        assert_eq!((s.namespace.as_str(), s.headless), ("shop", true));
        assert!(s.cluster_ips.is_empty(), "a headless Service has no IP");
        assert_eq!(
            s.ports[0].target_port,
            Some(TargetPort::Name("http".into()))
        );
        assert_eq!(s.ports[1].target_port, Some(TargetPort::Number(9091)));
        assert_eq!(
            (s.ports[0].protocol.as_str(), s.ports[1].protocol.as_str()),
            ("TCP", "UDP")
        );
        let bare = json!({"kind": "Service", "metadata": {"name": "x"}, "spec": {"ports": []}});
        read("Service", &bare, None, 0, &mut p);
        assert_eq!(p.services[1].selector, Some(Default::default()));
        let dual = json!({"kind": "Service", "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"clusterIP": "10.96.140.9", "clusterIPs": ["10.96.140.9", "fd00:10:96::8c09"],
                     "ports": [{"port": 80, "targetPort": 8080}]}});
        read("Service", &dual, None, 0, &mut p);
        assert_eq!(
            p.services[2].cluster_ips,
            ["10.96.140.9", "fd00:10:96::8c09"]
        );
    }

    #[test]
    fn slices_and_endpoints_objects() {
        let mut p = Pieces::default();
        let slice = json!({"kind": "EndpointSlice",
            "metadata": {"name": "web-x2k4p", "namespace": "shop",
                         "labels": {"kubernetes.io/service-name": "web"}},
            "addressType": "IPv4", "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
            "endpoints": [
                {"addresses": ["10.244.1.5"], "conditions": {"ready": true},
                 "targetRef": {"kind": "Pod", "name": "web-1"}, "nodeName": "n1"},
                {"addresses": ["10.244.2.7"], "conditions": {"ready": false}},
                {"addresses": ["10.244.3.1"], "conditions": {}}]});
        read("EndpointSlice", &slice, None, 0, &mut p);
        let piece = &p.endpoints[0];
        assert_eq!(piece.service.as_deref(), Some("web"));
        let e = piece.endpoints.as_ref().unwrap();
        assert_eq!((e.ready.len(), e.not_ready.len()), (2, 1));
        assert_eq!(e.ready[0].pod.as_deref(), Some("web-1"));
        assert_eq!(e.ports[0].name, None);
        let ep = json!({"kind": "Endpoints", "metadata": {"name": "web"},
            "subsets": [{"addresses": [{"ip": "10.244.1.5"}],
                         "notReadyAddresses": [{"ip": "10.244.2.7"}],
                         "ports": [{"port": 8080}]}]});
        read("Endpoints", &ep, Some("shop"), 1, &mut p);
        let e = p.endpoints[1].endpoints.as_ref().unwrap();
        assert_eq!(
            (
                e.ready.len(),
                e.not_ready.len(),
                e.ports[0].protocol.as_str()
            ),
            (1, 1, "TCP")
        );
        read(
            "ServiceAccount",
            &json!({"metadata": {"namespace": "shop"}}),
            None,
            2,
            &mut p,
        );
        assert!(p.accounts.is_empty());
    }
}
