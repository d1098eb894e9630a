//! `kubectl describe svc` (kubectl's `describeService`, 1.20 to 1.33): the Service, its
//! cluster IPs (`IP:`, and `IPs:` joined with commas) and the ready endpoints its
//! `Endpoints:` lines show.
//!
//! Each `Port:` line (`http  80/TCP`, `<unset>  80/TCP`) opens a port; the `TargetPort:`
//! (`8080/TCP`, `http/TCP`), `NodePort:` and `Endpoints:` lines after it belong to it. The
//! `Endpoints:` line lists only ready addresses (from the Endpoints object before kubectl
//! 1.31, from the EndpointSlices since; not-ready ones are skipped by both), at most three
//! then `+ N more...`; empty or `<none>` when none is ready.

use super::values::{add_port, address_list, is_none, port_protocol, selector};
use crate::evidence::{Endpoint, EndpointPort, Endpoints, Service, ServicePort, TargetPort};
use crate::sources::text::clean::{Line, indent};
use crate::sources::text::describe_pod::key_value;

/// A described Service (name and namespace as printed, possibly empty) and its ready
/// endpoints, when it has a port (a Service without ports prints no `Endpoints:` line).
pub fn service(block: &[Line]) -> (Service, Option<Endpoints>) {
    let mut s = Service::default();
    let mut endpoints: Option<Endpoints> = None;
    for line in block.iter().filter(|l| indent(&l.text) == 0) {
        let Some((key, value)) = key_value(&line.text) else {
            continue;
        };
        match key.as_str() {
            "Name" => s.name = value,
            "Namespace" => s.namespace = value,
            "Selector" => s.selector = selector(&value),
            "Type" => s.type_ = value,
            "IP" => {
                s.headless |= value == "None";
                s.add_cluster_ip(&value);
            }
            // Every cluster IP, comma-separated (two on a dual-stack Service).
            "IPs" => {
                for ip in value.split(',') {
                    s.add_cluster_ip(ip);
                }
            }
            "External Name" if !is_none(&value) => s.external_name = Some(value),
            "Port" => {
                if let Some(p) = port_line(&value) {
                    s.ports.push(p);
                }
            }
            "TargetPort" => {
                if let Some(p) = s.ports.last_mut() {
                    let number = value.rsplit_once('/').map_or(value.as_str(), |(n, _)| n);
                    p.target_port = TargetPort::parse(number);
                }
            }
            "NodePort" => {
                let port = value.split_whitespace().last().and_then(port_protocol);
                if let (Some(p), Some((n, _))) = (s.ports.last_mut(), port) {
                    p.node_port = Some(n).filter(|n| *n != 0);
                }
            }
            "Endpoints" => {
                let Some(list) = address_list(&value) else {
                    continue;
                };
                let e = endpoints.get_or_insert_with(Endpoints::default);
                for address in list.addresses {
                    if !e.ready.iter().any(|x| x.address == address) {
                        e.ready.push(Endpoint {
                            address,
                            ..Default::default()
                        });
                    }
                }
                let Some(sp) = s.ports.last() else {
                    continue;
                };
                for port in list.ports {
                    add_port(
                        &mut e.ports,
                        EndpointPort {
                            name: sp.name.clone(),
                            port,
                            protocol: sp.protocol.clone(),
                        },
                    );
                }
            }
            "Events" => break,
            _ => {}
        }
    }
    (s, endpoints)
}

/// `http  80/TCP`, `<unset>  80/TCP` (a port without a name), or `80/TCP` alone.
fn port_line(value: &str) -> Option<ServicePort> {
    let words: Vec<&str> = value.split_whitespace().collect();
    let (name, number) = match words[..] {
        [name, number] => (Some(name).filter(|n| !is_none(n)), number),
        [number] => (None, number),
        _ => return None,
    };
    let (port, protocol) = port_protocol(number)?;
    Some(ServicePort {
        name: name.map(str::to_string),
        port,
        target_port: None,
        protocol,
        node_port: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines().map(Line::output).collect()
    }

    const TWO_PORTS: &str = "Name:                     web
Namespace:                shop
Labels:                   app=web
                          tier=fe
Annotations:              <none>
Selector:                 app=web,tier=fe
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.14.20
IPs:                      10.96.14.20
Port:                     http  80/TCP
TargetPort:               http/TCP
NodePort:                 http  30080/TCP
Endpoints:                10.244.1.5:8080,10.244.2.7:8080
Port:                     <unset>  9090/TCP
TargetPort:               9090/TCP
NodePort:                 <unset>  31090/TCP
Endpoints:                10.244.1.5:9090,10.244.2.7:9090
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>";

    #[test]
    fn ports_pair_with_their_target_node_port_and_endpoints() {
        let (s, e) = service(&lines(TWO_PORTS));
        assert_eq!((s.name.as_str(), s.namespace.as_str()), ("web", "shop"));
        assert_eq!(s.selector.as_ref().map(|m| m.len()), Some(2));
        assert_eq!(s.cluster_ips, ["10.96.14.20"], "`IP:` and `IPs:` once");
        assert_eq!(s.ports.len(), 2);
        assert_eq!(s.ports[0].name.as_deref(), Some("http"));
        assert_eq!(
            s.ports[0].target_port,
            Some(TargetPort::Name("http".into()))
        );
        assert_eq!(s.ports[0].node_port, Some(30080));
        assert_eq!(s.ports[1].name, None);
        assert_eq!(s.ports[1].target_port, Some(TargetPort::Number(9090)));
        let e = e.unwrap();
        assert_eq!(e.ready.len(), 2);
        assert!(e.not_ready.is_empty());
        let ports: Vec<_> = e
            .ports
            .iter()
            .map(|p| (p.name.as_deref(), p.port))
            .collect();
        assert_eq!(ports, [(Some("http"), 8080), (None, 9090)]);
    }

    #[test]
    fn headless_selectorless_and_without_ready_endpoints() {
        let (s, e) = service(&lines(
            "Name:              db\nNamespace:         shop\nSelector:          <none>\nType:              ClusterIP\n\
             IP:                None\nIPs:               None\nPort:              <unset>  5432/TCP\n\
             TargetPort:        5432/TCP\nEndpoints:         \nSession Affinity:  None\nEvents:            <none>",
        ));
        assert!(s.headless);
        assert!(s.cluster_ips.is_empty(), "a headless Service has no IP");
        assert_eq!(s.selector, Some(Default::default()));
        assert_eq!(e, Some(Endpoints::default()));
        let (s, e) = service(&lines(
            "Name:              ext\nType:              ExternalName\nIP Families:       <none>\n\
             IP:                \nIPs:               <none>\nExternal Name:     db.example.com\nSession Affinity:  None",
        ));
        assert_eq!(s.external_name.as_deref(), Some("db.example.com"));
        assert!(s.cluster_ips.is_empty());
        assert_eq!(e, None);
    }

    #[test]
    fn a_dual_stack_service_shows_both_ips() {
        let (s, _) = service(&lines(
            "Name:              api\nNamespace:         shop\nSelector:          app=api\nType:              ClusterIP\n\
             IP Family Policy:  PreferDualStack\nIP Families:       IPv4,IPv6\nIP:                10.96.140.9\n\
             IPs:               10.96.140.9,fd00:10:96::8c09\nPort:              <unset>  80/TCP\n\
             TargetPort:        8080/TCP\nEndpoints:         <none>\nSession Affinity:  None\nEvents:            <none>",
        ));
        assert_eq!(s.cluster_ips, ["10.96.140.9", "fd00:10:96::8c09"]);
    }
}
