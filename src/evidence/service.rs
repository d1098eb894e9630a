//! Services and the endpoints the cluster computed for them, ServiceAccounts, and which
//! namespaces a source listed completely (a Service missing from a complete list does not
//! exist; one missing from a partial view is unknown).
//!
//! Only what a diagnosis of traffic needs is kept: names, selectors, cluster IPs, ports,
//! protocols and endpoint readiness. Every source fills the same shape (`sources/objects` for bundles and
//! live runs, `sources/text` for pasted `get svc`, `describe svc`, `get endpoints`,
//! `describe endpointslices`).

use std::collections::{BTreeMap, BTreeSet};

/// One Service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Service {
    pub namespace: String,
    pub name: String,
    /// `spec.type`: `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`; empty when the
    /// source did not show it.
    pub type_: String,
    /// `spec.clusterIP` is `None`: a headless Service (DNS names the pods themselves).
    pub headless: bool,
    /// The Service's cluster IPs (`spec.clusterIPs`, whose first is `spec.clusterIP`; two on
    /// a dual-stack Service), as the source printed them. Empty for a headless or
    /// ExternalName Service and when the source did not show them. Cluster IPs are unique
    /// cluster-wide: a client that dials one reaches this Service.
    pub cluster_ips: Vec<String>,
    /// `spec.externalName` of an ExternalName Service.
    pub external_name: Option<String>,
    /// `spec.selector`. `None` when the source did not show it (`get svc` without `-o
    /// wide`); an empty map is a Service without a selector, whose endpoints are managed by
    /// hand.
    pub selector: Option<BTreeMap<String, String>>,
    pub ports: Vec<ServicePort>,
    /// The endpoints the cluster computed, from EndpointSlices (or Endpoints where the cluster
    /// serves no slices); `None` when the evidence does not show them.
    pub endpoints: Option<Endpoints>,
}

impl Service {
    /// Adds a cluster IP as a source prints it (`10.96.0.10`, `fd00:10:96::a`), once; `None`
    /// (headless), `<none>`, an empty value and anything that is not an IP address are not
    /// cluster IPs.
    pub fn add_cluster_ip(&mut self, ip: &str) {
        let ip = ip.trim();
        if ip.parse::<std::net::IpAddr>().is_err() {
            return;
        }
        if !self.cluster_ips.iter().any(|known| known == ip) {
            self.cluster_ips.push(ip.to_string());
        }
    }
}

/// One port of a Service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServicePort {
    /// The port's name (required when a Service has several ports).
    pub name: Option<String>,
    pub port: i32,
    /// `targetPort`: a number or a container port's name. `None` when the source did not show
    /// it (`get svc` prints only `port/protocol`); the API defaults it to `port`.
    pub target_port: Option<TargetPort>,
    /// `TCP`, `UDP` or `SCTP` (the API's default is TCP).
    pub protocol: String,
    pub node_port: Option<i32>,
}

/// Where a Service port sends traffic on the selected pods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetPort {
    Number(i32),
    /// The name of a container port (`http`), resolved per pod.
    Name(String),
}

impl std::fmt::Display for TargetPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetPort::Number(n) => write!(f, "{n}"),
            TargetPort::Name(n) => f.write_str(n),
        }
    }
}

impl TargetPort {
    /// Reads `8080` or `http` (as `describe svc` prints `TargetPort: 8080/TCP`, the protocol
    /// already cut off).
    pub fn parse(s: &str) -> Option<TargetPort> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        Some(match s.parse::<i32>() {
            Ok(n) => TargetPort::Number(n),
            Err(_) => TargetPort::Name(s.to_string()),
        })
    }
}

/// The endpoints of a Service: addresses by readiness, and the ports they serve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub ready: Vec<Endpoint>,
    pub not_ready: Vec<Endpoint>,
    /// The endpoint ports (`name`, `port`, `protocol`). Empty with addresses present means a
    /// named `targetPort` no selected container declares.
    pub ports: Vec<EndpointPort>,
}

/// One endpoint address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoint {
    /// An IPv4 or IPv6 address.
    pub address: String,
    /// The pod behind it (`targetRef`), when shown.
    pub pod: Option<String>,
    pub node: Option<String>,
}

/// One port of an endpoint set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointPort {
    pub name: Option<String>,
    pub port: i32,
    pub protocol: String,
}

/// A port a container declares (`ports:` of the spec).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: i32,
    /// `TCP` unless the spec says otherwise.
    pub protocol: String,
}

/// Which namespaces a source listed completely for one kind of object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listed {
    /// Every namespace (`-A`, a cluster-wide capture).
    pub all: bool,
    pub namespaces: BTreeSet<String>,
}

impl Listed {
    /// Whether the list of `namespace` is complete.
    pub fn covers(&self, namespace: &str) -> bool {
        self.all || self.namespaces.contains(namespace)
    }

    /// Marks a namespace as listed.
    pub fn add(&mut self, namespace: impl Into<String>) {
        self.namespaces.insert(namespace.into());
    }

    /// Whether nothing was listed.
    pub fn is_empty(&self) -> bool {
        !self.all && self.namespaces.is_empty()
    }

    /// Adds what `other` lists.
    pub fn union(&mut self, other: Listed) {
        self.all |= other.all;
        self.namespaces.extend(other.namespaces);
    }
}

/// A ServiceAccount, by name (nothing else of it is read; never its token).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServiceAccount {
    pub namespace: String,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_port_is_a_number_or_a_name() {
        assert_eq!(TargetPort::parse("8080"), Some(TargetPort::Number(8080)));
        assert_eq!(
            TargetPort::parse(" http "),
            Some(TargetPort::Name("http".into()))
        );
        assert_eq!(TargetPort::parse(""), None);
        assert_eq!(TargetPort::Number(80).to_string(), "80");
    }

    #[test]
    fn cluster_ips_are_addresses_once() {
        let mut s = Service::default();
        for ip in [
            "10.96.0.10",
            " fd00:10:96::a ",
            "None",
            "<none>",
            "",
            "10.96.0.10",
            "web",
        ] {
            s.add_cluster_ip(ip);
        }
        assert_eq!(s.cluster_ips, ["10.96.0.10", "fd00:10:96::a"]);
    }

    #[test]
    fn a_listing_covers_its_namespaces_or_all() {
        let mut l = Listed::default();
        assert!(l.is_empty() && !l.covers("a"));
        l.add("a");
        assert!(l.covers("a") && !l.covers("b"));
        l.all = true;
        assert!(l.covers("b"));
    }
}
