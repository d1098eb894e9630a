//! Reader tests of the Services a paste may hold that are not the common case (issue 21
//! §6): dual-stack and IPv6 EndpointSlices, ExternalName, headless and selector-less
//! Services, many ports, and pod listings with and without their labels.

use super::describe_endpoints::slice;
use crate::evidence::Evidence;
use crate::sources::text::clean::Line;
use crate::sources::text::{Input, Role, read};

fn evidence(text: &str) -> Evidence {
    read(&[Input {
        name: "paste".into(),
        text: text.into(),
        role: Role::Auto,
    }])
    .expect("readable paste")
}

/// The session of `tests/text-negative/healthy/`: two ready pods behind a dual-stack
/// Service with five ports (IPv4 and IPv6 slices), an ExternalName, a selector-less Service
/// with manual endpoints and a headless one.
const DUAL_STACK: &str = include_str!(
    "../../../../tests/text-negative/healthy/session-dual-stack-externalname-manual-many-ports.txt"
);

#[test]
fn dual_stack_slices_count_each_address_of_each_pod_once() {
    let ev = evidence(DUAL_STACK);
    let web = ev.services.iter().find(|s| s.name == "web").unwrap();
    assert_eq!(web.ports.len(), 5, "{:?}", web.ports);
    assert_eq!(
        web.ports.iter().filter(|p| p.protocol == "UDP").count(),
        1,
        "syslog 5000/UDP"
    );
    let e = web.endpoints.as_ref().unwrap();
    let mut ready: Vec<(&str, Option<&str>)> = e
        .ready
        .iter()
        .map(|x| (x.address.as_str(), x.pod.as_deref()))
        .collect();
    ready.sort();
    // Each pod once per address family: the IPv4 and the IPv6 slice, and the addresses the
    // `describe svc` and `get endpoints` lines repeat are not counted again.
    assert_eq!(
        ready,
        [
            ("10.244.1.5", Some("web-6d4f8b7c9-k2m4p")),
            ("10.244.2.6", Some("web-6d4f8b7c9-r7t9x")),
            ("fd00:10:244:1::5", Some("web-6d4f8b7c9-k2m4p")),
            ("fd00:10:244:2::6", Some("web-6d4f8b7c9-r7t9x")),
        ]
    );
    assert!(e.not_ready.is_empty());
    let ports: Vec<i32> = e.ports.iter().map(|p| p.port).collect();
    assert_eq!(ports, [8080, 8443, 9090, 9102, 5000]);
}

#[test]
fn external_name_headless_and_manual_services_from_a_paste() {
    let ev = evidence(DUAL_STACK);
    let svc = |name: &str| ev.services.iter().find(|s| s.name == name).unwrap();
    let mail = svc("mail");
    assert_eq!(mail.type_, "ExternalName");
    assert_eq!(mail.external_name.as_deref(), Some("smtp.mail.example.org"));
    assert!(
        mail.selector.as_ref().is_none_or(|s| s.is_empty()),
        "{:?}",
        mail.selector
    );
    let legacy = svc("legacy");
    assert_eq!(legacy.selector, Some(Default::default()), "no selector");
    let manual: Vec<&str> = legacy
        .endpoints
        .as_ref()
        .unwrap()
        .ready
        .iter()
        .map(|e| e.address.as_str())
        .collect();
    assert_eq!(manual, ["192.0.2.40", "192.0.2.41"]);
    assert!(svc("web-hl").headless);
}

#[test]
fn a_pod_listing_is_an_inventory_only_with_its_labels() {
    let ev = evidence(DUAL_STACK);
    assert!(ev.pods_listed.covers("pay"), "--show-labels");
    let labels: Vec<&str> = ev
        .pods
        .iter()
        .filter_map(|p| p.labels.get("app").map(String::as_str))
        .collect();
    assert_eq!(labels, ["web", "web"]);
    let ev = evidence(
        "$ kubectl get pods -n pay
NAME                  READY   STATUS    RESTARTS   AGE
web-6d4f8b7c9-k2m4p   1/1     Running   0          3d
$ kubectl get svc -n pay -o wide
NAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE   SELECTOR
web    ClusterIP   10.96.40.12   <none>        80/TCP    3d    app=web
",
    );
    assert_eq!(ev.pods.len(), 1);
    assert!(ev.pods[0].labels.is_empty());
    assert!(
        !ev.pods_listed.covers("pay"),
        "the labels are not shown: a selector cannot be judged"
    );
    assert!(ev.services_listed.covers("pay"));
}

/// `kubectl describe endpointslices` of an IPv6 slice (`describeEndpointSliceV1`): the
/// address with its colons is one address, not a host and a port.
#[test]
fn an_ipv6_slice_describe_parses() {
    let text = "Name:         web-9qz7w
Namespace:    pay
Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=web
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2026-11-20T10:00:00Z
AddressType:  IPv6
Ports:
  Name     Port  Protocol
  ----     ----  --------
  http     8080  TCP
Endpoints:
  - Addresses:  fd00:10:244:1::5
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-6d4f8b7c9-k2m4p
    NodeName:   worker-1
    Zone:       <unset>
  - Addresses:  fd00:10:244:2::6
    Conditions:
      Ready:    false
    Hostname:   <unset>
    TargetRef:  Pod/web-6d4f8b7c9-r7t9x
    NodeName:   worker-2
    Zone:       <unset>
Events:         <none>
";
    let lines: Vec<Line> = text.lines().map(Line::output).collect();
    let (e, service) = slice(&lines);
    assert_eq!(service.as_deref(), Some("web"));
    assert_eq!(e.ready[0].address, "fd00:10:244:1::5");
    assert_eq!(e.ready[0].pod.as_deref(), Some("web-6d4f8b7c9-k2m4p"));
    assert_eq!(e.not_ready[0].address, "fd00:10:244:2::6");
    assert_eq!(e.ports[0].port, 8080);
}

/// `kubectl get svc,endpointslices -o yaml` of a dual-stack Service: two slices (IPv4 and
/// IPv6) for one Service join it, each address once; an ExternalName Service in the same
/// list keeps its external name and has no selector.
#[test]
fn a_yaml_list_of_a_dual_stack_service_and_an_external_name() {
    let ev = evidence(
        "$ kubectl get svc,endpointslices -n pay -o yaml
apiVersion: v1
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: pay
  spec:
    clusterIP: 10.96.40.12
    clusterIPs:
    - 10.96.40.12
    - fd00:10:96::4c
    ipFamilies:
    - IPv4
    - IPv6
    ipFamilyPolicy: PreferDualStack
    ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: 8080
    selector:
      app: web
    type: ClusterIP
- apiVersion: v1
  kind: Service
  metadata:
    name: mail
    namespace: pay
  spec:
    externalName: smtp.mail.example.org
    type: ExternalName
- addressType: IPv4
  apiVersion: discovery.k8s.io/v1
  endpoints:
  - addresses:
    - 10.244.1.5
    conditions:
      ready: true
    targetRef:
      kind: Pod
      name: web-6d4f8b7c9-k2m4p
      namespace: pay
  kind: EndpointSlice
  metadata:
    labels:
      kubernetes.io/service-name: web
    name: web-4xk2p
    namespace: pay
  ports:
  - name: http
    port: 8080
    protocol: TCP
- addressType: IPv6
  apiVersion: discovery.k8s.io/v1
  endpoints:
  - addresses:
    - fd00:10:244:1::5
    conditions:
      ready: true
    targetRef:
      kind: Pod
      name: web-6d4f8b7c9-k2m4p
      namespace: pay
  kind: EndpointSlice
  metadata:
    labels:
      kubernetes.io/service-name: web
    name: web-9qz7w
    namespace: pay
  ports:
  - name: http
    port: 8080
    protocol: TCP
kind: List
metadata:
  resourceVersion: \"\"
",
    );
    let svc = |name: &str| ev.services.iter().find(|s| s.name == name).unwrap();
    let web = svc("web");
    let e = web.endpoints.as_ref().unwrap();
    let ready: Vec<&str> = e.ready.iter().map(|x| x.address.as_str()).collect();
    assert_eq!(ready, ["10.244.1.5", "fd00:10:244:1::5"]);
    assert!(
        e.ready
            .iter()
            .all(|x| x.pod.as_deref() == Some("web-6d4f8b7c9-k2m4p"))
    );
    assert_eq!(e.ports.len(), 1, "the same port in both slices, once");
    let mail = svc("mail");
    assert_eq!(mail.type_, "ExternalName");
    assert_eq!(mail.external_name.as_deref(), Some("smtp.mail.example.org"));
    assert!(mail.selector.as_ref().is_none_or(|s| s.is_empty()));
}
