//! The lean wire types of Services, EndpointSlices (`discovery.k8s.io/v1`), Endpoints
//! (core/v1, for clusters that serve no slices) and ServiceAccounts: names, selectors,
//! cluster IPs, ports, protocols and endpoint readiness. A ServiceAccount is read for its name only: its
//! `secrets` list is not decoded at all.

use super::IntOrString;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `metadata` as these objects are read: name, namespace and labels (an EndpointSlice names
/// its Service in the label `kubernetes.io/service-name`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ObjectMeta {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
}

/// A Service.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Service {
    pub metadata: ObjectMeta,
    pub spec: Option<ServiceSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ServiceSpec {
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// `None` (the text) for a headless Service.
    #[serde(rename = "clusterIP")]
    pub cluster_ip: Option<String>,
    /// Every cluster IP (two on a dual-stack Service); the first is `clusterIP`.
    #[serde(rename = "clusterIPs")]
    pub cluster_ips: Option<Vec<String>>,
    pub external_name: Option<String>,
    pub selector: Option<BTreeMap<String, String>>,
    pub ports: Option<Vec<ServicePort>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: i32,
    pub target_port: Option<IntOrString>,
    pub protocol: Option<String>,
    pub node_port: Option<i32>,
}

/// An EndpointSlice: one part of the endpoints of a Service (a Service may have several,
/// one per address family and per 100 endpoints by default).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EndpointSlice {
    pub metadata: ObjectMeta,
    /// `IPv4`, `IPv6` or `FQDN`.
    pub address_type: Option<String>,
    pub endpoints: Option<Vec<SliceEndpoint>>,
    pub ports: Option<Vec<EndpointPort>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SliceEndpoint {
    /// One address or more; they are interchangeable, and kube-proxy reads only the first.
    pub addresses: Vec<String>,
    pub conditions: Option<EndpointConditions>,
    pub target_ref: Option<ObjectRef>,
    pub node_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EndpointConditions {
    /// Absent: ready (the API says a nil value is to be read as true).
    pub ready: Option<bool>,
}

/// `targetRef` of an endpoint: the pod behind it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ObjectRef {
    pub kind: Option<String>,
    pub name: Option<String>,
}

/// A port of an EndpointSlice or of an Endpoints subset.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EndpointPort {
    pub name: Option<String>,
    /// Absent on a slice: every port (hand-made slices only).
    pub port: Option<i32>,
    pub protocol: Option<String>,
}

/// A core/v1 Endpoints object, named like its Service.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Endpoints {
    pub metadata: ObjectMeta,
    pub subsets: Option<Vec<EndpointSubset>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EndpointSubset {
    pub addresses: Option<Vec<EndpointAddress>>,
    pub not_ready_addresses: Option<Vec<EndpointAddress>>,
    pub ports: Option<Vec<EndpointPort>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EndpointAddress {
    pub ip: String,
    pub node_name: Option<String>,
    pub target_ref: Option<ObjectRef>,
}

/// A ServiceAccount: its name only (its token Secrets are never read).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ServiceAccount {
    pub metadata: ObjectMeta,
}
