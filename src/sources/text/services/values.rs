//! Values of Service, endpoint and container-port outputs as kubectl prints them: port lists
//! (`80/TCP,443:30443/TCP`, `8080/TCP (http), 9090/TCP`), selectors (`app=web,tier=fe`),
//! endpoint lists (`10.0.0.5:8080,[fd00::5]:8080 + 2 more...`).

use crate::evidence::{ContainerPort, EndpointPort, ServicePort};
use std::collections::BTreeMap;

/// `<none>`, `<unset>` or nothing: kubectl's words for an empty value.
pub fn is_none(v: &str) -> bool {
    matches!(v.trim(), "" | "<none>" | "<unset>")
}

/// `TCP`, `UDP` or `SCTP`; any other word is no protocol.
pub fn protocol(p: &str) -> Option<String> {
    let p = p.trim();
    matches!(p, "TCP" | "UDP" | "SCTP").then(|| p.to_string())
}

/// `80/TCP` -> (80, `TCP`).
pub fn port_protocol(s: &str) -> Option<(i32, String)> {
    let (port, proto) = s.trim().split_once('/')?;
    Some((port.parse().ok()?, protocol(proto)?))
}

/// The PORT(S) cell of `get svc` (`makePortString`): `80/TCP`, `80:30080/TCP` with a
/// nodePort, several comma-separated; `<none>` is none. Pieces that are no port are skipped.
pub fn service_ports(cell: &str) -> Vec<ServicePort> {
    if is_none(cell) {
        return Vec::new();
    }
    cell.split(',')
        .filter_map(|piece| {
            let (numbers, proto) = piece.trim().split_once('/')?;
            let (port, node_port) = match numbers.split_once(':') {
                Some((p, n)) => (p.parse().ok()?, Some(n.parse().ok()?)),
                None => (numbers.parse().ok()?, None),
            };
            Some(ServicePort {
                port,
                protocol: protocol(proto)?,
                node_port: node_port.filter(|n| *n != 0),
                ..Default::default()
            })
        })
        .collect()
}

/// A selector as `labels.FormatLabels` prints it: `app=web,tier=fe`; `<none>` is an empty
/// selector. `None` when the text is no selector.
pub fn selector(cell: &str) -> Option<BTreeMap<String, String>> {
    if matches!(cell.trim(), "<none>" | "") {
        return Some(BTreeMap::new());
    }
    cell.trim()
        .split(',')
        .map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (!k.is_empty() && !k.contains(char::is_whitespace))
                .then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// A list of endpoint addresses as `get endpoints` and `describe svc` print it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressList {
    /// Addresses in the order printed, each once.
    pub addresses: Vec<String>,
    /// Port numbers, each once (none for bare addresses).
    pub ports: Vec<i32>,
    /// `+ N more...`: how many kubectl left out.
    pub more: usize,
}

/// `10.0.0.5:8080,10.0.0.6:8080 + 1 more...`, `[fd00::5]:8080`, bare addresses (a
/// Service without ports, or a slice without the port), `<none>` or nothing (none).
/// `None` when a piece is no address.
pub fn address_list(v: &str) -> Option<AddressList> {
    let mut v = v.trim();
    let mut list = AddressList::default();
    if let Some((head, tail)) = v.rsplit_once(" + ") {
        let n = tail.trim().strip_suffix(" more...")?;
        list.more = n.trim().parse().ok()?;
        v = head.trim();
    }
    if is_none(v) {
        return Some(list);
    }
    for piece in v.split(',') {
        let (address, port) = host_port(piece.trim())?;
        if !list.addresses.contains(&address) {
            list.addresses.push(address);
        }
        if let Some(p) = port
            && !list.ports.contains(&p)
        {
            list.ports.push(p);
        }
    }
    Some(list)
}

/// `10.0.0.5:8080`, `[fd00::5]:8080`, `10.0.0.5`, `fd00::5` (as `net.JoinHostPort` writes
/// them) -> the address and the port.
pub fn host_port(s: &str) -> Option<(String, Option<i32>)> {
    let (address, port) = match s.strip_prefix('[') {
        Some(rest) => {
            let (a, p) = rest.split_once("]:")?;
            (a, Some(p))
        }
        None => match s.split_once(':') {
            Some((a, p)) if !p.contains(':') => (a, Some(p)),
            _ => (s, None),
        },
    };
    if !is_address(address) {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse().ok()?),
        None => None,
    };
    Some((address.to_string(), port))
}

/// An IPv4 or IPv6 address by its characters (hex digits, dots, colons) with a digit or a
/// colon in it.
pub fn is_address(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 45
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')
        && (s.contains('.') || s.contains(':'))
}

/// Comma-separated addresses (`describe endpoints`' `Addresses:`; `<none>` is none);
/// `None` when a piece is no address.
pub fn addresses(v: &str) -> Option<Vec<String>> {
    if is_none(v) {
        return Some(Vec::new());
    }
    v.split(',')
        .map(|a| {
            let a = a.trim();
            is_address(a).then(|| a.to_string())
        })
        .collect()
}

/// A row of an endpoint ports table (`Name  Port  Protocol`: `http  8080  TCP`, a name
/// `<unset>`); `None` for the header, its rule and rows that are no port.
pub fn endpoint_port_row(line: &str) -> Option<EndpointPort> {
    let cells: Vec<&str> = line.split_whitespace().collect();
    let [name, port, proto] = cells[..] else {
        return None;
    };
    Some(EndpointPort {
        name: (!is_none(name)).then(|| name.to_string()),
        port: port.parse().ok()?,
        protocol: protocol(proto)?,
    })
}

/// The ports of a container as `describe pod` prints them (`describeContainerPorts`):
/// `8080/TCP`, `8080/TCP, 9090/UDP`, with the port's name since kubectl 1.34 (`8080/TCP
/// (http)`); `<none>` is none.
pub fn container_ports(v: &str) -> Vec<ContainerPort> {
    if is_none(v) {
        return Vec::new();
    }
    v.split(", ")
        .filter_map(|piece| {
            let piece = piece.trim();
            let (port, name) = match piece.split_once(' ') {
                Some((p, rest)) => {
                    let name = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
                    (p, Some(name.to_string()))
                }
                None => (piece, None),
            };
            let (port, protocol) = port_protocol(port)?;
            Some(ContainerPort {
                name,
                port,
                protocol,
            })
        })
        .collect()
}

/// Adds `port` to `ports` unless it is there.
pub fn add_port(ports: &mut Vec<EndpointPort>, port: EndpointPort) {
    if !ports.contains(&port) {
        ports.push(port);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_port_cells() {
        let ports = service_ports("80/TCP,443:30443/TCP,53/UDP");
        let got: Vec<_> = ports
            .iter()
            .map(|p| (p.port, p.node_port, p.protocol.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (80, None, "TCP"),
                (443, Some(30443), "TCP"),
                (53, None, "UDP")
            ]
        );
        assert!(
            ports
                .iter()
                .all(|p| p.target_port.is_none() && p.name.is_none())
        );
        assert!(service_ports("<none>").is_empty());
        assert!(service_ports("eighty/TCP").is_empty());
        assert!(service_ports("99999999999/TCP").is_empty());
    }

    #[test]
    fn selectors_and_none() {
        let s = selector("app=web,tier=fe").unwrap();
        assert_eq!(s.get("tier").map(String::as_str), Some("fe"));
        assert_eq!(selector("<none>"), Some(BTreeMap::new()));
        assert_eq!(selector("5d"), None);
    }

    #[test]
    fn address_lists_of_every_shape() {
        let l = address_list("10.0.0.5:8080,10.0.0.6:8080,10.0.0.7:8080 + 2 more...").unwrap();
        assert_eq!(l.addresses, ["10.0.0.5", "10.0.0.6", "10.0.0.7"]);
        assert_eq!((l.ports.as_slice(), l.more), (&[8080][..], 2));
        let l = address_list("[fd00::5]:80,fd00::6").unwrap();
        assert_eq!(l.addresses, ["fd00::5", "fd00::6"]);
        assert_eq!(l.ports, [80]);
        assert_eq!(address_list("<none>"), Some(AddressList::default()));
        assert_eq!(address_list(""), Some(AddressList::default()));
        assert_eq!(address_list("web:8080"), None);
        assert_eq!(address_list("10.0.0.5:x"), None);
        assert_eq!(address_list("10.0.0.5:80 + many more..."), None);
    }

    #[test]
    fn container_port_lists() {
        let p = container_ports("8080/TCP (http), 9090/UDP");
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].name.as_deref(), p[0].port, p[1].protocol.as_str()),
            (Some("http"), 8080, "UDP")
        );
        assert!(container_ports("<none>").is_empty());
        assert_eq!(container_ports("8080/TCP")[0].name, None);
    }

    #[test]
    fn endpoint_port_rows() {
        let p = endpoint_port_row("  <unset>  8080  TCP").unwrap();
        assert_eq!((p.name, p.port), (None, 8080));
        assert!(endpoint_port_row("Name  Port  Protocol").is_none());
        assert!(endpoint_port_row("----  ----  --------").is_none());
    }
}
