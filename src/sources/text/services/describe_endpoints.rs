//! `kubectl describe endpoints` (`describeEndpoints`: `Subsets:` with `Addresses:`,
//! `NotReadyAddresses:` and a `Name Port Protocol` table each) and `kubectl describe
//! endpointslice` (`describeEndpointSliceV1`: the `kubernetes.io/service-name` label,
//! a `Ports:` table, and `Endpoints:` items `- Addresses:` with `Conditions:` / `Ready:`,
//! `TargetRef: Pod/NAME` and `NodeName:`).

use super::values::{add_port, addresses, endpoint_port_row, is_none};
use crate::evidence::{Endpoint, Endpoints};
use crate::sources::text::clean::{Line, indent};
use crate::sources::text::describe_pod::key_value;

/// The label an EndpointSlice names its Service with.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// The margin key a line belongs to: each line with the last key at the margin before it.
fn sections(block: &[Line]) -> impl Iterator<Item = (&str, &str)> {
    let mut current = "";
    block.iter().map(move |l| {
        if indent(&l.text) == 0
            && let Some((k, _)) = l.text.split_once(':')
        {
            current = k;
        }
        (current, l.text.as_str())
    })
}

/// The addresses and ports of a described Endpoints object (all its subsets); no subsets is
/// no addresses at all.
pub fn endpoints(block: &[Line]) -> Endpoints {
    let mut e = Endpoints::default();
    for (section, text) in sections(block) {
        if section != "Subsets" || indent(text) == 0 {
            continue;
        }
        match key_value(text) {
            Some((k, v)) if k == "Addresses" || k == "NotReadyAddresses" => {
                let found = addresses(&v)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|address| Endpoint {
                        address,
                        ..Default::default()
                    });
                if k == "Addresses" {
                    e.ready.extend(found);
                } else {
                    e.not_ready.extend(found);
                }
            }
            Some(_) => {}
            None => {
                if let Some(p) = endpoint_port_row(text) {
                    add_port(&mut e.ports, p);
                }
            }
        }
    }
    e
}

/// A described EndpointSlice: its endpoints by readiness (an unset `Ready` counts as ready,
/// as the API says to read it) and the Service its label names.
pub fn slice(block: &[Line]) -> (Endpoints, Option<String>) {
    let mut e = Endpoints::default();
    let mut service = None;
    // The endpoint being read: its address and whether it is ready.
    let mut open: Option<(Endpoint, bool)> = None;
    let label = format!("{SERVICE_NAME_LABEL}=");
    for (section, text) in sections(block) {
        let value = key_value(text).map(|(_, v)| v);
        match section {
            "Labels" => {
                let t = value
                    .as_deref()
                    .filter(|_| indent(text) == 0)
                    .unwrap_or(text.trim());
                if let Some(name) = t.strip_prefix(&label) {
                    service = Some(name.to_string()).filter(|n| !n.is_empty());
                }
            }
            "Ports" if indent(text) > 0 => {
                if let Some(p) = endpoint_port_row(text) {
                    add_port(&mut e.ports, p);
                }
            }
            "Endpoints" if indent(text) > 0 => {
                let t = text.trim();
                if let Some(list) = t.strip_prefix("- Addresses:") {
                    close(&mut e, open.take());
                    let address = list.split(',').next().unwrap_or_default().trim();
                    if !is_none(address) {
                        open = Some((
                            Endpoint {
                                address: address.to_string(),
                                ..Default::default()
                            },
                            true,
                        ));
                    }
                    continue;
                }
                let (Some((endpoint, ready)), Some((k, v))) = (open.as_mut(), key_value(t)) else {
                    continue;
                };
                match k.as_str() {
                    "Ready" => *ready = v != "false",
                    "TargetRef" => {
                        endpoint.pod = v.strip_prefix("Pod/").map(str::to_string);
                    }
                    "NodeName" if !is_none(&v) => endpoint.node = Some(v),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    close(&mut e, open);
    (e, service)
}

fn close(e: &mut Endpoints, open: Option<(Endpoint, bool)>) {
    match open {
        Some((endpoint, true)) => e.ready.push(endpoint),
        Some((endpoint, false)) => e.not_ready.push(endpoint),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::EndpointPort;

    fn lines(text: &str) -> Vec<Line> {
        text.lines().map(Line::output).collect()
    }

    #[test]
    fn subsets_ready_not_ready_and_ports() {
        let e = endpoints(&lines(
            "Name:         web
Namespace:    shop
Labels:       app=web
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2026-11-20T10:00:00Z
Subsets:
  Addresses:          10.244.1.5,10.244.2.7
  NotReadyAddresses:  10.244.3.9
  Ports:
    Name  Port  Protocol
    ----  ----  --------
    http  8080  TCP

Events:  <none>",
        ));
        assert_eq!(e.ready.len(), 2);
        assert_eq!(e.not_ready[0].address, "10.244.3.9");
        assert_eq!(
            e.ports,
            [EndpointPort {
                name: Some("http".into()),
                port: 8080,
                protocol: "TCP".into()
            }]
        );
        let none = endpoints(&lines("Name:  web\nSubsets:\nEvents:  <none>"));
        assert_eq!(none, Endpoints::default());
    }

    #[test]
    fn slice_endpoints_by_readiness_with_pods_and_nodes() {
        let (e, service) = slice(&lines(
            "Name:         web-x2k4p
Namespace:    shop
Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=web
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2026-11-20T10:00:00Z
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  8080  TCP
Endpoints:
  - Addresses:  10.244.1.5
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-7d9c5b8f6-x2k4p
    NodeName:   node-1
    Zone:       <unset>
  - Addresses:  10.244.2.7
    Conditions:
      Ready:    false
    Hostname:   <unset>
    TargetRef:  Pod/web-7d9c5b8f6-q8w7e
    NodeName:   node-2
    Zone:       <unset>
Events:         <none>",
        ));
        assert_eq!(service.as_deref(), Some("web"));
        assert_eq!(e.ready.len(), 1);
        assert_eq!(e.ready[0].pod.as_deref(), Some("web-7d9c5b8f6-x2k4p"));
        assert_eq!(e.not_ready[0].node.as_deref(), Some("node-2"));
        assert_eq!(e.ports[0].port, 8080);
        let (e, service) = slice(&lines(
            "Name:         db-7fz2q\nLabels:       kubernetes.io/service-name=db\nAddressType:  IPv4\n\
             Ports: <unset>\nEndpoints: <none>\nEvents:  <none>",
        ));
        assert_eq!((e, service.as_deref()), (Endpoints::default(), Some("db")));
    }
}
