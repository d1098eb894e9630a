//! Reader tests of Services: a paste goes in, the Services, endpoints, ServiceAccounts and
//! listings of the evidence are checked.

use crate::evidence::Evidence;
use crate::sources::text::{Input, Role, read};

fn evidence(text: &str) -> Evidence {
    read(&[Input {
        name: "paste".into(),
        text: text.into(),
        role: Role::Auto,
    }])
    .expect("readable paste")
}

fn ready(ev: &Evidence, name: &str) -> Option<Vec<String>> {
    let s = ev.services.iter().find(|s| s.name == name)?;
    Some(
        s.endpoints
            .as_ref()?
            .ready
            .iter()
            .map(|e| e.address.clone())
            .collect(),
    )
}

#[test]
fn get_all_rows_in_every_namespace() {
    let ev = evidence(
        "$ kubectl get all -A
NAMESPACE     NAME                      READY   STATUS    RESTARTS   AGE
shop          pod/web-7d9c5b8f6-x2k4p   1/1     Running   0          2d

NAMESPACE     NAME                 TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)                  AGE
default       service/kubernetes   ClusterIP   10.96.0.1     <none>        443/TCP                  90d
kube-system   service/kube-dns     ClusterIP   10.96.0.10    <none>        53/UDP,53/TCP,9153/TCP   90d
shop          service/web          ClusterIP   10.96.14.20   <none>        80/TCP                   2d
",
    );
    let names: Vec<String> = ev
        .services
        .iter()
        .map(|s| format!("{}/{}", s.namespace, s.name))
        .collect();
    assert_eq!(
        names,
        ["default/kubernetes", "kube-system/kube-dns", "shop/web"]
    );
    assert!(ev.services_listed.all);
    assert!(
        !ev.service_accounts_listed.all,
        "get all lists no ServiceAccounts"
    );
    assert_eq!(ev.services[1].ports.len(), 3);
    assert_eq!(ev.services[1].cluster_ips, ["10.96.0.10"]);
}

#[test]
fn a_row_and_a_describe_of_one_service_merge_their_cluster_ips() {
    // `get svc` prints the first cluster IP only; `describe svc` prints both of a dual-stack
    // Service. The Service has each once.
    let ev = evidence(
        "$ kubectl get svc -n shop
NAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE
api    ClusterIP   10.96.140.9   <none>        80/TCP    2d
$ kubectl describe svc api -n shop
Name:              api
Namespace:         shop
Labels:            <none>
Annotations:       <none>
Selector:          app=api
Type:              ClusterIP
IP Family Policy:  PreferDualStack
IP Families:       IPv4,IPv6
IP:                10.96.140.9
IPs:               10.96.140.9,fd00:10:96::8c09
Port:              <unset>  80/TCP
TargetPort:        8080/TCP
Endpoints:         <none>
Session Affinity:  None
Events:            <none>
",
    );
    assert_eq!(ev.services.len(), 1);
    assert_eq!(
        ev.services[0].cluster_ips,
        ["10.96.140.9", "fd00:10:96::8c09"]
    );
}

#[test]
fn listings_need_a_namespace_and_no_filter() {
    let ev = evidence(
        "$ kubectl get svc -n shop | grep web
web    ClusterIP   10.96.14.20   <none>        80/TCP    2d
$ kubectl get svc -n pay
No resources found in pay namespace.
$ kubectl get sa -n pay -o json
{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}
$ kubectl get svc
NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
api    ClusterIP   10.96.3.4    <none>        80/TCP    2d
",
    );
    assert!(
        !ev.services_listed.covers("shop"),
        "a grep shows part of it"
    );
    assert!(
        ev.services_listed.covers("pay"),
        "an empty listing lists none"
    );
    assert!(ev.service_accounts_listed.covers("pay"));
    assert!(!ev.services_listed.all);
    // Without `-n` the namespace is the kubeconfig's, which the text does not show.
    let api = ev.services.iter().find(|s| s.name == "api").unwrap();
    assert_eq!(api.namespace, "");
}

#[test]
fn a_json_list_of_services_and_a_slice() {
    let ev = evidence(
        r#"$ kubectl get svc,endpointslices -n shop -o json
{
    "apiVersion": "v1",
    "kind": "List",
    "items": [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"clusterIP": "10.96.14.20", "selector": {"app": "web"}, "type": "ClusterIP",
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}]}
        },
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {"name": "web-hq5zd", "namespace": "shop",
                         "labels": {"kubernetes.io/service-name": "web"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.244.1.15"], "conditions": {"ready": true}}],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]
        }
    ]
}
"#,
    );
    assert_eq!(ready(&ev, "web"), Some(vec!["10.244.1.15".to_string()]));
    assert!(
        !ev.services_listed.covers("shop"),
        "a list of two kinds is no listing of either"
    );
}

#[test]
fn a_slice_without_its_label_joins_its_service_by_name() {
    let ev = evidence(
        "$ kubectl describe svc api -n shop
Name:              api
Namespace:         shop
Labels:            <none>
Annotations:       <none>
Selector:          app=api
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                10.96.30.7
IPs:               10.96.30.7
Port:              <unset>  8080/TCP
TargetPort:        8080/TCP
Endpoints:         
Session Affinity:  None
Events:            <none>
$ kubectl get endpointslices -n shop
NAME        ADDRESSTYPE   PORTS     ENDPOINTS   AGE
api-b7c9d   IPv4          <unset>   <unset>     15m
api-v2-x9z2q IPv4         8080      <unset>     1d
",
    );
    // describe's `Endpoints:` (none ready) is worth more than a `get endpointslices` row.
    assert_eq!(ready(&ev, "api"), Some(vec![]));
    // api-v2's slice belongs to no Service shown.
    assert!(
        ev.notes.iter().all(|n| !n.contains("EndpointSlice")),
        "the table's api slice was used: {:?}",
        ev.notes
    );
}

#[test]
fn a_describe_without_its_command_is_known_by_its_keys() {
    let ev = evidence(
        "Name:              db
Namespace:         shop
Labels:            app=db
Annotations:       <none>
Selector:          app=db
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                None
IPs:               None
Port:              postgres  5432/TCP
TargetPort:        5432/TCP
Endpoints:         10.244.1.40:5432,10.244.2.41:5432,10.244.3.42:5432 + 2 more...
Session Affinity:  None
Events:            <none>
",
    );
    assert!(ev.pods.is_empty());
    let db = &ev.services[0];
    assert!(db.headless);
    assert_eq!(ready(&ev, "db").map(|r| r.len()), Some(3));
    assert_eq!(
        db.endpoints.as_ref().unwrap().ports[0].name.as_deref(),
        Some("postgres")
    );
}

#[test]
fn describe_service_accounts_and_rows() {
    let ev = evidence(
        "$ kubectl describe sa builder -n ci
Name:                builder
Namespace:           ci
Labels:              <none>
Annotations:         <none>
Image pull secrets:  <none>
Mountable secrets:   <none>
Tokens:              <none>
Events:              <none>
$ kubectl get serviceaccounts -n ci
NAME      SECRETS   AGE
builder   0         4d
default   0         90d
",
    );
    let names: Vec<String> = ev
        .service_accounts
        .iter()
        .map(|a| format!("{}/{}", a.namespace, a.name))
        .collect();
    assert_eq!(names, ["ci/builder", "ci/default"]);
    assert!(ev.service_accounts_listed.covers("ci"));
    assert!(ev.notes.iter().all(|n| !n.contains("ServiceAccount")));
}
