//! Rows of `kubectl get svc` (`-o wide` adds SELECTOR, `-A` NAMESPACE, `get all` names rows
//! `service/web`), `get endpoints`, `get endpointslices` and `get sa` into pieces, as
//! kubectl's printers print them (`printService`, `printEndpoints`, `printEndpointSlice`,
//! `printServiceAccount`).

use super::values::{address_list, is_none, selector, service_ports};
use super::{EndpointPiece, Fidelity, Pieces};
use crate::evidence::{Endpoint, EndpointPort, Endpoints, Service, ServiceAccount};
use crate::sources::text::clean::Line;
use crate::sources::text::kinds::Kind;

/// The cells of a row by the words of its header. Every header word of these tables is one
/// word and no cell has a space but `+ N more...`, so rows split on white space (a table
/// pasted with its spacing squeezed still reads). `get endpoints` leaves ENDPOINTS empty for
/// an object whose addresses are all not ready: the one cell a row may lack. `None` when
/// the row does not fit the header.
pub fn cells<'h>(header: &[&'h str], line: &str) -> Option<Vec<(&'h str, String)>> {
    let mut tokens: Vec<String> = Vec::new();
    let mut words = line.split_whitespace();
    while let Some(w) = words.next() {
        // `+ 2 more...` belongs to the list before it.
        if w == "+"
            && let Some(last) = tokens.last_mut()
        {
            let (n, more) = (words.next()?, words.next()?);
            last.push_str(&format!(" + {n} {more}"));
            continue;
        }
        tokens.push(w.to_string());
    }
    if tokens.len() + 1 == header.len() && !header.contains(&"ADDRESSTYPE") {
        let i = header.iter().position(|h| *h == "ENDPOINTS")?;
        tokens.insert(i, String::new());
    }
    (tokens.len() == header.len()).then(|| header.iter().copied().zip(tokens).collect())
}

/// The columns of `kind`'s table as kubectl prints them, for rows without their header
/// (`--no-headers`, `| grep`): NAMESPACE first with `-A`, SELECTOR last with `-o wide`.
pub fn default_header(kind: &Kind, all_namespaces: bool, wide: bool) -> Vec<&'static str> {
    let mut header = Vec::new();
    if all_namespaces {
        header.push("NAMESPACE");
    }
    header.extend(kind.columns);
    header.push("AGE");
    if wide && kind.kind == "Service" {
        header.push("SELECTOR");
    }
    header
}

/// Reads `-o name` output (`service/web`): Services and ServiceAccounts by name (nothing
/// of endpoints). Returns how many it read.
pub fn names(kind: &str, rows: &[Line], namespace: Option<&str>, pieces: &mut Pieces) -> usize {
    let mut read = 0;
    for line in rows {
        let Some((_, name)) = line.text.trim().split_once('/') else {
            continue;
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            continue;
        }
        let (namespace, name) = (namespace.unwrap_or_default().to_string(), name.to_string());
        match kind {
            "Service" => pieces.services.push(Service {
                namespace,
                name,
                ..Default::default()
            }),
            "ServiceAccount" => pieces.accounts.push(ServiceAccount { namespace, name }),
            _ => continue,
        }
        read += 1;
    }
    read
}

/// Reads the rows of a table of `kind` laid out by `header`, in `namespace` unless they have
/// a NAMESPACE column; rows that do not fit the header are skipped. Returns how many rows it
/// read.
pub fn read(
    kind: &'static str,
    header: &[&str],
    rows: &[Line],
    namespace: Option<&str>,
    pieces: &mut Pieces,
) -> usize {
    let output = matches!(kind, "Endpoints" | "EndpointSlice").then(|| pieces.output(kind));
    let mut read = 0;
    for line in rows {
        let Some(cells) = cells(header, &line.text) else {
            continue;
        };
        let get = |h: &str| cells.iter().find(|(k, _)| *k == h).map(|(_, v)| v.as_str());
        // `service/web` in `get all`, `endpointslice.discovery.k8s.io/web-x2k4p`.
        let Some(name) = get("NAME").and_then(|n| n.rsplit('/').next()) else {
            continue;
        };
        let namespace = get("NAMESPACE")
            .or(namespace)
            .unwrap_or_default()
            .to_string();
        let name = name.to_string();
        match (kind, output) {
            ("Service", _) => pieces.services.push(service(namespace, name, &get)),
            ("ServiceAccount", _) => pieces.accounts.push(ServiceAccount { namespace, name }),
            ("Endpoints", Some(output)) => {
                let Some(endpoints) = get("ENDPOINTS").and_then(ready_listed) else {
                    continue;
                };
                pieces.endpoints.push(EndpointPiece {
                    namespace,
                    service: Some(name),
                    slice: None,
                    fidelity: Fidelity::EndpointsRow,
                    endpoints: Some(endpoints),
                    output,
                });
            }
            ("EndpointSlice", Some(output)) => {
                // ENDPOINTS lists addresses whatever their readiness: only `<unset>` (none
                // at all) says something about them.
                let none = get("ENDPOINTS").is_some_and(|e| e == "<unset>");
                pieces.endpoints.push(EndpointPiece {
                    namespace,
                    service: None,
                    slice: Some(name),
                    fidelity: Fidelity::SliceRow,
                    endpoints: none.then(|| Endpoints {
                        ports: get("PORTS").map(slice_ports).unwrap_or_default(),
                        ..Default::default()
                    }),
                    output,
                });
            }
            _ => continue,
        }
        read += 1;
    }
    read
}

/// A `get svc` row. Without `-o wide` the selector is unknown; `get svc` never shows a
/// targetPort, and shows only the first cluster IP of a dual-stack Service.
fn service<'a>(namespace: String, name: String, get: &dyn Fn(&str) -> Option<&'a str>) -> Service {
    let type_ = get("TYPE").unwrap_or_default().to_string();
    let external_name = (type_ == "ExternalName")
        .then(|| get("EXTERNAL-IP"))
        .flatten()
        .filter(|v| !is_none(v))
        .map(str::to_string);
    let mut s = Service {
        namespace,
        name,
        headless: get("CLUSTER-IP") == Some("None"),
        external_name,
        selector: get("SELECTOR").and_then(selector),
        ports: get("PORT(S)").map(service_ports).unwrap_or_default(),
        type_,
        cluster_ips: Vec::new(),
        endpoints: None,
    };
    // CLUSTER-IP is the first of `clusterIPs` (`None` headless, `<none>` ExternalName).
    if let Some(ip) = get("CLUSTER-IP") {
        s.add_cluster_ip(ip);
    }
    s
}

/// The ENDPOINTS cell of `get endpoints` (`formatEndpoints`): the ready addresses with their
/// ports (`<none>`: no addresses at all; empty: none ready). Port names and protocols are
/// not printed.
fn ready_listed(cell: &str) -> Option<Endpoints> {
    let list = address_list(cell)?;
    Some(Endpoints {
        ready: list
            .addresses
            .into_iter()
            .map(|address| Endpoint {
                address,
                ..Default::default()
            })
            .collect(),
        not_ready: Vec::new(),
        ports: list
            .ports
            .into_iter()
            .map(|port| EndpointPort {
                name: None,
                port,
                protocol: String::new(),
            })
            .collect(),
    })
}

/// The PORTS cell of `get endpointslices` (`formatDiscoveryPorts`): port numbers (a name or
/// `*` where the number is unset, which is not kept); `<unset>` is none.
fn slice_ports(cell: &str) -> Vec<EndpointPort> {
    let list = cell.split(" + ").next().unwrap_or_default();
    list.split(',')
        .filter_map(|p| p.trim().parse().ok())
        .map(|port| EndpointPort {
            name: None,
            port,
            protocol: String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(kind: &'static str, text: &str, namespace: Option<&str>, p: &mut Pieces) -> usize {
        let lines: Vec<Line> = text.lines().map(Line::output).collect();
        let header: Vec<&str> = lines[0].text.split_whitespace().collect();
        read(kind, &header, &lines[1..], namespace, p)
    }

    #[test]
    fn get_svc_wide_and_all_namespaces() {
        let mut p = Pieces::default();
        table(
            "Service",
            "NAME       TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE   SELECTOR\n\
                 web        NodePort    10.96.14.20    <none>        80:30080/TCP   3d    app=web,tier=fe\n\
                 db         ClusterIP   None           <none>        5432/TCP       3d    app=db\n\
                 manual     ClusterIP   10.96.3.3      <none>        80/TCP         3d    <none>\n\
                 ext        ExternalName <none>        db.example.com <none>        3d    <none>",
            Some("shop"),
            &mut p,
        );
        let s = &p.services;
        assert_eq!(s.len(), 4);
        assert_eq!(
            (s[0].namespace.as_str(), s[0].type_.as_str()),
            ("shop", "NodePort")
        );
        assert_eq!(s[0].ports[0].node_port, Some(30080));
        assert_eq!(s[0].selector.as_ref().unwrap().len(), 2);
        assert!(s[1].headless && !s[0].headless);
        assert_eq!(s[0].cluster_ips, ["10.96.14.20"]);
        assert!(s[1].cluster_ips.is_empty(), "headless: no IP");
        assert_eq!(s[2].cluster_ips, ["10.96.3.3"]);
        assert!(s[3].cluster_ips.is_empty(), "ExternalName: `<none>`");
        assert_eq!(s[2].selector, Some(Default::default()));
        assert_eq!(s[3].external_name.as_deref(), Some("db.example.com"));
        assert!(s[3].ports.is_empty());

        let mut p = Pieces::default();
        table(
            "Service",
            "NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n\
                 kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   9d\n\
                 shop          service/web  ClusterIP   10.96.1.1    <none>        80/TCP                   1d",
            None,
            &mut p,
        );
        assert_eq!(p.services[0].namespace, "kube-system");
        assert_eq!(p.services[0].cluster_ips, ["10.96.0.10"]);
        assert_eq!(p.services[0].ports.len(), 3);
        assert_eq!(p.services[0].selector, None);
        assert_eq!(p.services[1].name, "web");
    }

    #[test]
    fn get_endpoints_ready_only_and_cut_lists() {
        let mut p = Pieces::default();
        table(
            "Endpoints",
            "NAME     ENDPOINTS                                               AGE\n\
                 web      10.244.1.5:8080,10.244.2.7:8080,10.244.3.2:8080 + 1 more...   3d\n\
                 db       <none>                                                  3d\n\
                 cache                                                            3d",
            Some("shop"),
            &mut p,
        );
        let e: Vec<_> = p
            .endpoints
            .iter()
            .map(|e| {
                let x = e.endpoints.as_ref().unwrap();
                (e.service.clone().unwrap(), x.ready.len(), x.ports.len())
            })
            .collect();
        assert_eq!(
            e,
            [
                ("web".into(), 3, 1),
                ("db".into(), 0, 0),
                ("cache".into(), 0, 0)
            ]
        );
        assert_eq!(p.outputs, ["Endpoints"]);
    }

    #[test]
    fn get_endpointslices_tell_only_when_there_are_none() {
        let mut p = Pieces::default();
        table(
            "EndpointSlice",
            "NAME        ADDRESSTYPE   PORTS     ENDPOINTS               AGE\n\
                 web-x2k4p   IPv4          8080      10.244.1.5,10.244.2.7   3d\n\
                 db-7fz2q    IPv4          <unset>   <unset>                 3d",
            Some("shop"),
            &mut p,
        );
        assert_eq!(p.endpoints[0].endpoints, None);
        assert_eq!(p.endpoints[0].slice.as_deref(), Some("web-x2k4p"));
        assert_eq!(p.endpoints[1].endpoints, Some(Endpoints::default()));
    }

    #[test]
    fn rows_that_do_not_fit_are_skipped() {
        let mut p = Pieces::default();
        table(
            "ServiceAccount",
            "NAME      SECRETS   AGE\ndefault   0         9d\nbroken row with too many cells",
            Some("shop"),
            &mut p,
        );
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].name, "default");
    }
}

#[cfg(test)]
mod headerless {
    use super::*;
    use crate::sources::text::kinds::by_kind;

    #[test]
    fn rows_without_a_header_and_names() {
        let kind = by_kind("Service").unwrap();
        let header = default_header(kind, true, true);
        let rows = [Line::output(
            "shop   web   ClusterIP   10.96.14.20   <none>   80/TCP   2d   app=web",
        )];
        let mut p = Pieces::default();
        assert_eq!(read("Service", &header, &rows, None, &mut p), 1);
        assert_eq!(p.services[0].namespace, "shop");
        assert_eq!(p.services[0].cluster_ips, ["10.96.14.20"]);
        assert!(p.services[0].selector.is_some());
        let rows = [Line::output("service/web"), Line::output("service/api")];
        assert_eq!(names("Service", &rows, Some("shop"), &mut p), 2);
        assert_eq!(names("Endpoints", &rows, Some("shop"), &mut p), 0);
        assert_eq!(p.services[2].name, "api");
    }
}
