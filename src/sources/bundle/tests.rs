//! Bundle reading: the streamed reading of a large object file (with the size threshold
//! lowered so that small files take that path), and the Service files: Services, merged
//! EndpointSlices, the Endpoints fallback, ServiceAccounts, system pods, the namespaces the
//! scope covers, and broken files as notes.

use super::stream_list;
use crate::evidence::{Evidence, TargetPort};
use crate::sources::objects::{convert, json, parse_list_with};
use std::path::Path;

const PODS: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "web-1", "namespace": "shop"}, "spec": {"containers": [{"name": "app"}]}},
    {"metadata": {"name": "broken"}, "spec": {"containers": "nope"}},
    {"metadata": {"name": "web-2", "namespace": "shop"}}
]}"#;

fn write(dir: &Path, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join("pods.json");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Streams `path` from any size: the names of the pods read, and the notes.
fn streamed(path: &Path) -> Option<(Vec<String>, Vec<String>)> {
    let mut names = Vec::new();
    let bad = stream_list(path, 0, &json(convert::pod), &mut |pods| {
        names.extend(pods.into_iter().map(|p| p.name))
    })?;
    Some((names, bad))
}

#[test]
fn a_streamed_list_reads_what_a_whole_read_does() {
    let dir = tempfile::tempdir().unwrap();
    let (names, bad) = streamed(&write(dir.path(), PODS.as_bytes())).expect("streamed");
    assert_eq!(names, ["web-1", "web-2"]);
    assert_eq!(bad.len(), 1);
    assert!(bad[0].starts_with("item 2 (`broken`)"), "{bad:?}");
    let (whole, whole_bad) = parse_list_with(PODS, "v1", "Pod", json(convert::pod)).unwrap();
    let whole: Vec<String> = whole.into_iter().map(|p| p.name).collect();
    assert_eq!((names, bad), (whole, whole_bad));
}

#[test]
fn a_cut_off_list_says_its_last_item_was_lost() {
    let dir = tempfile::tempdir().unwrap();
    let cut = &PODS[..PODS.find("\"web-2\"").unwrap()];
    let (names, bad) = streamed(&write(dir.path(), cut.as_bytes())).expect("streamed");
    assert_eq!(names, ["web-1"]);
    assert!(bad.iter().any(|b| b.contains("cut off")), "{bad:?}");
}

#[test]
fn small_files_and_utf16_are_left_to_a_whole_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), PODS.as_bytes());
    let mut each = |_: Vec<crate::evidence::Pod>| {};
    assert!(stream_list(&path, 1 << 20, &json(convert::pod), &mut each).is_none());
    // UTF-16 without a byte-order mark starts with `{` too, but holds no `items` key as
    // UTF-8: read whole, it is decoded.
    let utf16: Vec<u8> = PODS.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert!(streamed(&write(dir.path(), &utf16)).is_none());
}

// ---- Service files ----

const SHOP_PODS: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "web-1", "namespace": "shop", "labels": {"app": "web"}},
     "spec": {"restartPolicy": "Always", "containers": [{"name": "app", "ports": [{"name": "http", "containerPort": 8080}]}]},
     "status": {"phase": "Running"}},
    {"metadata": {"name": "api-1", "namespace": "shop", "labels": {"app": "api"}},
     "spec": {"restartPolicy": "Always", "containers": [{"name": "app"}]},
     "status": {"phase": "Running"}}
]}"#;

const SERVICES: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "web", "namespace": "shop"},
     "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10", "selector": {"app": "web"},
              "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]}},
    {"metadata": {"name": "db", "namespace": "shop"},
     "spec": {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"], "selector": {"app": "db"},
              "ports": [{"port": 5432, "targetPort": 5432, "protocol": "TCP"}]}},
    {"metadata": {"name": "mail", "namespace": "shop"},
     "spec": {"type": "ExternalName", "externalName": "smtp.example.org"}},
    {"metadata": {"name": "legacy", "namespace": "shop"},
     "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.12", "ports": [{"port": 8080, "targetPort": 8080}]}},
    {"metadata": {"name": "api", "namespace": "shop"},
     "spec": {"type": "NodePort", "clusterIP": "10.96.0.13", "ipFamilies": ["IPv4", "IPv6"],
              "selector": {"app": "api"},
              "ports": [{"port": 9090, "targetPort": 9090, "nodePort": 30090, "protocol": "TCP"}]}}
]}"#;

/// Slices of `web` (two: IPv4 and IPv6 of the same pod), of `api` (dual-stack, one not
/// ready), of the selector-less `legacy` (hand-made, FQDN) and one naming no Service.
const SLICES: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
     "metadata": {"name": "web-abc12", "namespace": "shop", "labels": {"kubernetes.io/service-name": "web"}},
     "addressType": "IPv4",
     "endpoints": [{"addresses": ["10.244.1.5"], "conditions": {"ready": true, "serving": true, "terminating": false},
                    "targetRef": {"kind": "Pod", "name": "web-1", "namespace": "shop"}, "nodeName": "worker-1"}],
     "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]},
    {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
     "metadata": {"name": "web-def34", "namespace": "shop", "labels": {"kubernetes.io/service-name": "web"}},
     "addressType": "IPv6",
     "endpoints": [{"addresses": ["fd00:10:244:1::5"], "conditions": {},
                    "targetRef": {"kind": "Pod", "name": "web-1", "namespace": "shop"}}],
     "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]},
    {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
     "metadata": {"name": "api-v6", "namespace": "shop", "labels": {"kubernetes.io/service-name": "api"}},
     "addressType": "IPv6",
     "endpoints": [{"addresses": ["fd00:10:244:1::7"], "conditions": {"ready": false, "terminating": true},
                    "targetRef": {"kind": "Pod", "name": "api-1"}}],
     "ports": []},
    {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
     "metadata": {"name": "legacy-1", "namespace": "shop", "labels": {"kubernetes.io/service-name": "legacy"}},
     "addressType": "FQDN",
     "endpoints": [{"addresses": ["old-host.example.org"]}],
     "ports": [{"port": 8080}]},
    {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
     "metadata": {"name": "stray", "namespace": "shop"}, "addressType": "IPv4", "endpoints": null}
]}"#;

const ENDPOINTS: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "web", "namespace": "shop"},
     "subsets": [{"addresses": [{"ip": "10.244.1.5", "nodeName": "worker-1",
                                 "targetRef": {"kind": "Pod", "name": "web-1"}}],
                  "notReadyAddresses": [{"ip": "10.244.1.9"}],
                  "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]},
    {"metadata": {"name": "db", "namespace": "shop"}}
]}"#;

const ACCOUNTS: &str = "apiVersion: v1
kind: List
items:
- metadata:
    name: default
    namespace: shop
  secrets:
  - name: default-token-abcde
- metadata:
    name: web
    namespace: shop
";

const SYSTEM_PODS: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "coredns-1", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
     "spec": {"containers": [{"name": "coredns"}]}, "status": {"phase": "Running"}},
    {"metadata": {"name": "kube-proxy-1", "namespace": "kube-system", "labels": {"k8s-app": "kube-proxy"}},
     "spec": {"containers": [{"name": "kube-proxy"}]}, "status": {"phase": "Running"}}
]}"#;

/// A bundle of `files` (`name`, text) with `scope` in its `bundle.json`, read.
fn bundle(scope: Option<&str>, files: &[(&str, &str)]) -> Evidence {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pods.json"), SHOP_PODS).unwrap();
    for name in ["events.json", "nodes.json"] {
        std::fs::write(dir.path().join(name), r#"{"items": []}"#).unwrap();
    }
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    if let Some(scope) = scope {
        let meta = serde_json::json!({"captured_at": "2026-11-20T10:00:00Z", "scope": scope});
        std::fs::write(dir.path().join("bundle.json"), meta.to_string()).unwrap();
    }
    super::read(dir.path()).unwrap()
}

fn service<'a>(e: &'a Evidence, name: &str) -> &'a crate::evidence::Service {
    e.services.iter().find(|s| s.name == name).unwrap()
}

#[test]
fn services_and_their_merged_slices_are_read() {
    let e = bundle(
        Some("namespace shop"),
        &[
            ("services.json", SERVICES),
            ("endpointslices.json", SLICES),
            ("serviceaccounts.yaml", ACCOUNTS),
        ],
    );
    assert_eq!(e.services.len(), 5);
    let web = service(&e, "web");
    assert_eq!(
        web.ports[0].target_port,
        Some(TargetPort::Name("http".into()))
    );
    let endpoints = web.endpoints.as_ref().unwrap();
    let addresses: Vec<&str> = endpoints.ready.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(
        addresses,
        ["10.244.1.5", "fd00:10:244:1::5"],
        "both families, ready when unset"
    );
    assert_eq!(endpoints.ports.len(), 1, "the same port of two slices once");
    let api = service(&e, "api").endpoints.as_ref().unwrap();
    assert!(api.ready.is_empty() && api.ports.is_empty());
    assert_eq!(api.not_ready[0].pod.as_deref(), Some("api-1"));
    assert_eq!(service(&e, "api").ports[0].node_port, Some(30090));
    // Headless and ExternalName Services have no slices: listed, so none.
    let db = service(&e, "db");
    assert!(db.headless && db.endpoints.as_ref().unwrap().ready.is_empty());
    assert!(db.cluster_ips.is_empty(), "`None` is no IP");
    assert_eq!(web.cluster_ips, ["10.96.0.10"]);
    let mail = service(&e, "mail");
    assert_eq!(mail.external_name.as_deref(), Some("smtp.example.org"));
    assert!(mail.cluster_ips.is_empty());
    assert!(mail.endpoints.as_ref().unwrap().ready.is_empty());
    // A Service without a selector, its slice made by hand.
    let legacy = service(&e, "legacy");
    assert_eq!(legacy.selector, Some(Default::default()));
    assert_eq!(
        legacy.endpoints.as_ref().unwrap().ready[0].address,
        "old-host.example.org"
    );
    assert!(e.services_listed.covers("shop") && !e.services_listed.all);
    assert!(e.pods_listed.covers("shop"));
    let accounts: Vec<&str> = e.service_accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(accounts, ["default", "web"]);
    assert!(e.service_accounts_listed.covers("shop"));
    assert!(e.notes.is_empty(), "{:?}", e.notes);
}

#[test]
fn endpoints_objects_stand_in_only_without_slices() {
    let e = bundle(
        Some("all namespaces"),
        &[("services.json", SERVICES), ("endpoints.json", ENDPOINTS)],
    );
    let web = service(&e, "web").endpoints.as_ref().unwrap();
    assert_eq!((web.ready.len(), web.not_ready.len()), (1, 1));
    assert_eq!(web.ready[0].node.as_deref(), Some("worker-1"));
    assert!(
        service(&e, "db")
            .endpoints
            .as_ref()
            .unwrap()
            .ready
            .is_empty()
    );
    assert!(e.services_listed.all && e.pods_listed.all);
    // With slices present, the Endpoints objects are not read.
    let e = bundle(
        Some("all namespaces"),
        &[
            ("services.json", SERVICES),
            ("endpointslices.json", SLICES),
            ("endpoints.json", ENDPOINTS),
        ],
    );
    let web = service(&e, "web").endpoints.as_ref().unwrap();
    assert!(web.not_ready.is_empty(), "from the slices");
    // An empty slice list is no slices at all.
    let empty = r#"{"apiVersion": "v1", "kind": "List", "items": []}"#;
    let e = bundle(
        Some("all namespaces"),
        &[
            ("services.json", SERVICES),
            ("endpointslices.json", empty),
            ("endpoints.json", ENDPOINTS),
        ],
    );
    assert_eq!(
        service(&e, "web").endpoints.as_ref().unwrap().ready.len(),
        1
    );
    // ... and beside a broken Endpoints file, the endpoints are unknown.
    let e = bundle(
        Some("all namespaces"),
        &[
            ("services.json", SERVICES),
            ("endpointslices.json", empty),
            ("endpoints.json", "{\"items\": [{"),
        ],
    );
    assert_eq!(service(&e, "web").endpoints, None);
    assert!(e.notes.iter().any(|n| n.contains("endpoints.json")));
}

#[test]
fn without_a_scope_or_endpoint_files_nothing_is_taken_as_complete() {
    // No bundle.json: the Services are read, but no namespace is known to be complete.
    let e = bundle(
        None,
        &[("services.json", SERVICES), ("endpointslices.json", SLICES)],
    );
    assert_eq!(e.services.len(), 5);
    assert!(e.services_listed.is_empty() && e.pods_listed.is_empty());
    assert!(
        service(&e, "web").endpoints.is_some(),
        "its slices are there"
    );
    assert_eq!(service(&e, "db").endpoints, None, "unknown, not empty");
    // No slice or Endpoints file: endpoints unknown for all.
    let e = bundle(Some("namespace shop"), &[("services.json", SERVICES)]);
    assert!(e.services.iter().all(|s| s.endpoints.is_none()));
    // No Service files at all.
    let e = bundle(Some("namespace shop"), &[]);
    assert!(e.services.is_empty() && e.services_listed.is_empty());
    assert!(e.service_accounts_listed.is_empty() && e.system_pods.is_empty());
    assert!(e.notes.is_empty(), "optional files: {:?}", e.notes);
    // Pods narrowed by a selector: not a complete pod list, Services still listed.
    let e = bundle(
        Some("namespace shop, selector app=web"),
        &[("services.json", SERVICES)],
    );
    assert!(e.pods_listed.is_empty() && e.services_listed.covers("shop"));
}

#[test]
fn broken_service_files_are_notes() {
    let bad_item = r#"{"items": [
        {"metadata": {"name": "web", "namespace": "shop"}, "spec": {"ports": [{"port": "eighty"}]}},
        {"metadata": {"name": "db", "namespace": "shop"}, "spec": {"clusterIP": "None"}}]}"#;
    let e = bundle(
        Some("namespace shop"),
        &[
            ("services.json", bad_item),
            ("endpointslices.json", "{\"items\": [ {"),
            ("serviceaccounts.json", "[1, 2"),
            ("system-pods.json", "kind: [unclosed"),
        ],
    );
    let notes = e.notes.join("\n");
    assert!(
        notes.contains("services.json") && notes.contains("`web`"),
        "{notes}"
    );
    assert!(notes.contains("endpointslices.json"), "{notes}");
    assert!(notes.contains("serviceaccounts.json"), "{notes}");
    assert!(notes.contains("system-pods.json"), "{notes}");
    // The good Service is kept, but a list with a skipped item is not complete.
    assert_eq!(e.services.len(), 1);
    assert!(e.services_listed.is_empty());
    assert_eq!(e.services[0].endpoints, None);
    assert!(e.service_accounts.is_empty() && e.service_accounts_listed.is_empty());
    assert!(e.pods_listed.covers("shop"), "the pods were read whole");
}

#[test]
fn system_pods_are_kept_apart_unless_the_pods_hold_them() {
    let e = bundle(Some("namespace shop"), &[("system-pods.json", SYSTEM_PODS)]);
    let names: Vec<&str> = e.system_pods.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["coredns-1", "kube-proxy-1"]);
    assert_eq!(e.pods.len(), 2);
    // A bundle whose pods.json holds kube-system already: nothing extra.
    let dir = tempfile::tempdir().unwrap();
    let mut pods: serde_json::Value = serde_json::from_str(SHOP_PODS).unwrap();
    let system: serde_json::Value = serde_json::from_str(SYSTEM_PODS).unwrap();
    let items = pods["items"].as_array_mut().unwrap();
    items.extend(system["items"].as_array().unwrap().iter().cloned());
    std::fs::write(dir.path().join("pods.json"), pods.to_string()).unwrap();
    std::fs::write(dir.path().join("system-pods.json"), SYSTEM_PODS).unwrap();
    let e = super::read(dir.path()).unwrap();
    assert_eq!(e.pods.len(), 4);
    assert!(e.system_pods.is_empty());
}

#[test]
fn odd_service_objects_never_panic() {
    // Shapes the API allows or a hand-made file may hold: each reads or becomes a note.
    let odd = [
        r#"{"items": [{"spec": null}, {}, {"metadata": {}}, {"spec": {"ports": null, "selector": null}}]}"#,
        r#"{"items": [{"metadata": {"name": "x"}, "spec": {"ports": [{"port": 80, "targetPort": -1}, {"targetPort": 99999999999}]}}]}"#,
        r#"{"items": [{"metadata": {"name": "x"}, "spec": {"ports": [{"targetPort": 1.5}]}}]}"#,
        r#"{"items": "nope"}"#,
        "not json or yaml: [",
        "",
    ];
    let slices = [
        r#"{"items": [{"metadata": {"labels": {"kubernetes.io/service-name": ""}}, "endpoints": [{"addresses": [""]}]}]}"#,
        r#"{"items": [{"metadata": {"labels": {"kubernetes.io/service-name": "web"}}, "endpoints": [{"conditions": {"ready": null}}], "ports": [{"port": null}]}]}"#,
        r#"{"items": [{"endpoints": [{"addresses": "10.0.0.1"}]}]}"#,
    ];
    for text in odd {
        let e = bundle(Some("namespace shop"), &[("services.json", text)]);
        assert_eq!(e.pods.len(), 2, "{text}");
    }
    for text in slices {
        let e = bundle(
            Some("namespace shop"),
            &[("services.json", SERVICES), ("endpointslices.json", text)],
        );
        assert_eq!(e.services.len(), 5, "{text}");
    }
}

#[test]
fn a_capture_keeps_the_cluster_ips_of_services() {
    // `capture` writes the Services as the API returned them (redacted): the cluster IPs
    // survive the round trip into evidence.
    use crate::sources::raw::{ApiObjects, Gathered};
    let raw = |t: &str| serde_json::value::RawValue::from_string(t.to_string()).unwrap();
    let mut gathered = Gathered {
        api_objects: Some(ApiObjects {
            pods: vec![raw(
                r#"{"metadata": {"name": "web-1", "namespace": "shop"}, "spec": {"containers": [{"name": "app"}]}}"#,
            )],
            services: Some(vec![raw(
                r#"{"metadata": {"name": "api", "namespace": "shop"},
                    "spec": {"clusterIP": "10.96.140.9", "clusterIPs": ["10.96.140.9", "fd00:10:96::8c09"],
                             "selector": {"app": "api"}, "ports": [{"port": 80}]}}"#,
            )]),
            ..ApiObjects::default()
        }),
        ..Gathered::default()
    };
    gathered.redact();
    let dir = tempfile::tempdir().unwrap();
    super::write::write(dir.path(), &gathered, &Default::default()).unwrap();
    let e = super::read(dir.path()).unwrap();
    assert_eq!(
        service(&e, "api").cluster_ips,
        ["10.96.140.9", "fd00:10:96::8c09"]
    );
}
