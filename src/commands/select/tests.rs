//! Narrowing tests: targets of every kind, Service targets and their notes, the scope a
//! live run gathers, and the errors of targets that match nothing.

use super::*;
use crate::evidence::Owner;

fn pod(ns: &str, name: &str, chain: &[&str], node: &str) -> Pod {
    Pod {
        namespace: ns.into(),
        name: name.into(),
        node_name: Some(node.into()),
        owner: chain.last().map(|top| {
            let (kind, name) = top.split_once('/').unwrap();
            Owner {
                kind: kind.into(),
                name: name.into(),
                chain: chain.iter().map(|s| s.to_string()).collect(),
            }
        }),
        ..Default::default()
    }
}

fn evidence() -> Evidence {
    Evidence {
        pods: vec![
            pod(
                "shop",
                "web-5d8f-a",
                &["replicaset/web-5d8f", "deployment/web"],
                "n1",
            ),
            pod("shop", "db-0", &["statefulset/db"], "n2"),
            pod(
                "ops",
                "web-77c4-b",
                &["replicaset/web-77c4", "deployment/web"],
                "n2",
            ),
            pod(
                "batch",
                "nightly-29000000-x",
                &["job/nightly-29000000", "cronjob/nightly"],
                "n1",
            ),
        ],
        ..Default::default()
    }
}

fn scope(targets: &[&str], ns: Option<&str>, selector: Option<&str>) -> SelectArgs {
    SelectArgs {
        pods: targets.iter().map(|s| s.to_string()).collect(),
        namespace: ns.map(str::to_string),
        all_namespaces: false,
        selector: selector.map(str::to_string),
    }
}

fn names(ev: &Evidence) -> Vec<&str> {
    ev.pods.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn workload_targets_select_their_pods_and_honour_the_namespace() {
    let mut ev = evidence();
    apply(&mut ev, &scope(&["deploy/web"], Some("shop"), None)).unwrap();
    assert_eq!(names(&ev), ["web-5d8f-a"]);
    let mut ev = evidence();
    apply(&mut ev, &scope(&["deployment/web"], None, None)).unwrap();
    assert_eq!(names(&ev), ["web-5d8f-a", "web-77c4-b"]);
    let mut ev = evidence();
    apply(&mut ev, &scope(&["cronjob/nightly", "sts/db"], None, None)).unwrap();
    assert_eq!(names(&ev), ["db-0", "nightly-29000000-x"]);
    let mut ev = evidence();
    apply(&mut ev, &scope(&["rs/web-77c4"], None, None)).unwrap();
    assert_eq!(names(&ev), ["web-77c4-b"]);
}

#[test]
fn node_targets_select_the_pods_on_the_node() {
    let mut ev = evidence();
    apply(&mut ev, &scope(&["node/n2"], None, None)).unwrap();
    assert_eq!(names(&ev), ["db-0", "web-77c4-b"]);
}

#[test]
fn a_target_that_matches_nothing_is_a_usage_error() {
    for t in ["deployment/nope", "node/n9", "nope-pod", "service/web"] {
        let err = apply(&mut evidence(), &scope(&[t], None, None)).unwrap_err();
        assert!(matches!(err, RunError::Usage(_)), "{t}");
    }
    let err = apply(
        &mut evidence(),
        &scope(&["deploy/web"], Some("batch"), None),
    )
    .unwrap_err();
    assert!(err.to_string().contains("namespace `batch`"), "{err}");
}

fn service(ns: &str, name: &str, selector: &[(&str, &str)]) -> Service {
    Service {
        namespace: ns.into(),
        name: name.into(),
        type_: "ClusterIP".into(),
        selector: Some(
            selector
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        ..Default::default()
    }
}

/// The demo pods labelled `app=web` / `app=db`, and Services for them.
fn with_services() -> Evidence {
    let mut ev = evidence();
    for p in &mut ev.pods {
        let app = if p.name.starts_with("db") {
            "db"
        } else {
            "web"
        };
        p.labels.insert("app".into(), app.into());
    }
    ev.services = vec![
        service("shop", "web", &[("app", "web")]),
        service("shop", "db", &[("app", "db")]),
        service("ops", "web", &[("app", "web")]),
        service("shop", "manual", &[]),
    ];
    ev
}

fn service_keys(ev: &Evidence) -> Vec<String> {
    ev.services.iter().map(service_key).collect()
}

fn diagnosis(key: &str) -> PodDiagnosis {
    let (namespace, name) = key.split_once('/').unwrap();
    PodDiagnosis {
        namespace: namespace.into(),
        name: name.into(),
        node: None,
        owner: None,
        status: crate::status::PodStatus {
            display: "Running".into(),
            ready: 1,
            total: 1,
            restarts: 0,
            keys: vec!["Running".into()],
            healthy: true,
            known: true,
            inferred_from: None,
        },
        findings: Vec::new(),
        notes: Vec::new(),
    }
}

#[test]
fn service_targets_select_the_service_its_pods_and_its_clients() {
    for target in ["svc/web", "service/web", "Services/web", "svc/shop/web"] {
        let mut ev = with_services();
        let narrowing = apply(&mut ev, &scope(&[target], Some("shop"), None)).unwrap();
        assert_eq!(service_keys(&ev), ["shop/web"], "{target}");
        // Every pod of the namespace is left for the engine: any may be a client.
        assert_eq!(names(&ev), ["web-5d8f-a", "db-0"], "{target}");
        let mut pods: Vec<PodDiagnosis> = ev.pods.iter().map(|p| diagnosis(&p.key())).collect();
        let services = vec![ServiceDiagnosis {
            namespace: "shop".into(),
            name: "web".into(),
            ..Default::default()
        }];
        narrowing.after_engine(&mut pods, &services);
        let kept: Vec<String> = pods.iter().map(PodDiagnosis::key).collect();
        assert_eq!(kept, ["shop/web-5d8f-a"], "its selector's pods: {target}");
    }
    // The engine's clients and selected pods are kept too.
    let mut ev = with_services();
    let narrowing = apply(&mut ev, &scope(&["svc/web"], Some("shop"), None)).unwrap();
    let mut pods: Vec<PodDiagnosis> = ev.pods.iter().map(|p| diagnosis(&p.key())).collect();
    let services = vec![ServiceDiagnosis {
        namespace: "shop".into(),
        name: "web".into(),
        clients: vec!["shop/db-0".into()],
        ..Default::default()
    }];
    narrowing.after_engine(&mut pods, &services);
    assert_eq!(pods.len(), 2, "the client stays");
}

#[test]
fn a_targeted_service_without_a_finding_is_a_note() {
    let mut ev = with_services();
    let narrowing = apply(&mut ev, &scope(&["svc/web"], Some("shop"), None)).unwrap();
    let pods = vec![diagnosis("shop/web-5d8f-a")];
    let web = ServiceDiagnosis {
        namespace: "shop".into(),
        name: "web".into(),
        type_: "ClusterIP".into(),
        pods: vec!["shop/web-5d8f-a".into()],
        ..Default::default()
    };
    let db = ServiceDiagnosis {
        namespace: "shop".into(),
        name: "db".into(),
        ..Default::default()
    };
    assert_eq!(
        narrowing.healthy_notes(&pods, &[web.clone(), db.clone()]),
        ["Service `shop/web` (ClusterIP): no finding; it selects 1 pod, 1 healthy"],
        "only the targeted Service"
    );
    assert!(Narrowing::default().healthy_notes(&pods, &[db]).is_empty());
}

#[test]
fn a_service_target_across_namespaces_and_beside_other_targets() {
    let mut ev = with_services();
    let narrowing = apply(&mut ev, &scope(&["svc/web", "sts/db"], None, None)).unwrap();
    assert_eq!(
        service_keys(&ev),
        ["shop/web", "shop/db", "ops/web"],
        "both `web` Services, and the one selecting the StatefulSet's pods"
    );
    let mut pods: Vec<PodDiagnosis> = ev.pods.iter().map(|p| diagnosis(&p.key())).collect();
    narrowing.after_engine(&mut pods, &[]);
    let kept: Vec<String> = pods.iter().map(PodDiagnosis::key).collect();
    assert_eq!(kept, ["shop/web-5d8f-a", "shop/db-0", "ops/web-77c4-b"]);
}

#[test]
fn pod_targets_and_selectors_keep_the_services_of_their_pods() {
    let mut ev = with_services();
    let narrowing = apply(&mut ev, &scope(&["deploy/web"], Some("shop"), None)).unwrap();
    assert_eq!(service_keys(&ev), ["shop/web"]);
    let mut pods: Vec<PodDiagnosis> = ev.pods.iter().map(|p| diagnosis(&p.key())).collect();
    narrowing.after_engine(&mut pods, &[]);
    assert_eq!(pods.len(), 1, "nothing to narrow without a Service target");
    let mut ev = with_services();
    apply(&mut ev, &scope(&[], None, Some("app=db"))).unwrap();
    assert_eq!(service_keys(&ev), ["shop/db"]);
    let mut ev = with_services();
    apply(&mut ev, &scope(&[], Some("shop"), None)).unwrap();
    assert_eq!(
        service_keys(&ev),
        ["shop/web", "shop/db", "shop/manual"],
        "without targets every Service of the namespace"
    );
}

#[test]
fn a_service_target_the_evidence_lacks_says_so_and_what_to_do() {
    let err = apply(&mut evidence(), &scope(&["svc/web"], None, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`svc/web`") && err.contains("holds no Services"),
        "{err}"
    );
    let err = apply(
        &mut with_services(),
        &scope(&["svc/api"], Some("shop"), None),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("Service `api` not found in namespace `shop`")
            && err.contains("kubectl get svc -n shop"),
        "{err}"
    );
    let err = apply(&mut with_services(), &scope(&["svc/"], None, None)).unwrap_err();
    assert!(matches!(err, RunError::Usage(_)));
    let err = apply(&mut with_services(), &scope(&["ingress/web"], None, None))
        .unwrap_err()
        .to_string();
    assert!(err.contains("service/NAME"), "{err}");
}

#[test]
fn a_live_run_with_a_service_target_gathers_the_whole_namespace() {
    let s = scope(&["svc/web", "deploy/api"], Some("shop"), None);
    let g = gather_scope(&s).unwrap();
    assert!(g.pods.is_empty());
    assert_eq!(g.namespace.as_deref(), Some("shop"));
    let s = scope(&["deploy/api"], None, None);
    assert_eq!(gather_scope(&s).unwrap().pods, ["deploy/api"]);
    // `svc/NS/NAME` names the namespace to gather; `-n` must agree.
    let g = gather_scope(&scope(&["svc/shop/web", "service/shop/db"], None, None)).unwrap();
    assert_eq!(
        (g.namespace.as_deref(), g.all_namespaces),
        (Some("shop"), false)
    );
    let g = gather_scope(&scope(&["svc/shop/web"], Some("shop"), None)).unwrap();
    assert_eq!(g.namespace.as_deref(), Some("shop"));
    assert!(gather_scope(&scope(&["svc/shop/web"], Some("ops"), None)).is_err());
    // Several namespaces, or a node's pods: every namespace.
    let g = gather_scope(&scope(&["svc/shop/web", "svc/ops/web"], None, None)).unwrap();
    assert!(g.namespace.is_none() && g.all_namespaces);
    let g = gather_scope(&scope(&["svc/shop/web", "svc/web"], None, None)).unwrap();
    assert!(g.all_namespaces, "one named namespace and the context's");
    let g = gather_scope(&scope(&["svc/web", "node/n1"], None, None)).unwrap();
    assert!(g.all_namespaces && g.pods.is_empty());
    // A plain name: the context's namespace.
    let g = gather_scope(&scope(&["svc/web"], None, None)).unwrap();
    assert!(g.namespace.is_none() && !g.all_namespaces);
}

#[test]
fn a_mistyped_service_names_the_nearest_one_in_scope() {
    let err = apply(
        &mut with_services(),
        &scope(&["svc/wbe"], Some("shop"), None),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("did you mean `web`?"), "{err}");
    let err = apply(&mut with_services(), &scope(&["svc/ops/dc"], None, None))
        .unwrap_err()
        .to_string();
    assert!(
        !err.contains("did you mean"),
        "`db` is in `shop`, not `ops`: {err}"
    );
    let err = apply(&mut with_services(), &scope(&["svc/shop/dc"], None, None))
        .unwrap_err()
        .to_string();
    assert!(err.contains("did you mean `db`?"), "{err}");
    // A live run whose Service list was refused says so, not "capture again".
    let mut ev = evidence();
    ev.source.kind = SourceKind::Cluster;
    let err = apply(&mut ev, &scope(&["svc/web"], Some("shop"), None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("did not list the Services of namespace `shop`")
            && err.contains("kubectl auth can-i list services -n shop"),
        "{err}"
    );
    let services = with_services().services;
    let listed = Listed::default();
    assert!(
        check_services(
            &services,
            &listed,
            SourceKind::Cluster,
            &scope(&["svc/web", "deploy/x"], Some("shop"), None)
        )
        .is_ok()
    );
    assert!(
        check_services(
            &services,
            &listed,
            SourceKind::Cluster,
            &scope(&["svc/nope"], Some("shop"), None)
        )
        .is_err()
    );
}

#[test]
fn an_empty_namespace_or_selector_is_a_note() {
    let mut ev = evidence();
    apply(&mut ev, &scope(&[], Some("shpo"), None)).unwrap();
    assert!(ev.pods.is_empty());
    assert!(
        ev.notes[0].starts_with("no pods in namespace `shpo`"),
        "{:?}",
        ev.notes
    );
    let mut ev = evidence();
    apply(&mut ev, &scope(&[], None, Some("app=nope"))).unwrap();
    assert!(
        ev.notes[0].contains("matching `app=nope`"),
        "{:?}",
        ev.notes
    );
}

#[test]
fn namespace_slash_name_targets_select_in_that_namespace() {
    // `web-*` names exist in `shop` and `ops`; the namespace decides.
    let mut ev = evidence();
    apply(&mut ev, &scope(&["ops/web-77c4-b"], None, None)).unwrap();
    assert_eq!(names(&ev), ["web-77c4-b"]);
    let mut ev = evidence();
    apply(&mut ev, &scope(&["pod/shop/web-5d8f-a"], None, None)).unwrap();
    assert_eq!(names(&ev), ["web-5d8f-a"]);
    let mut ev = evidence();
    apply(&mut ev, &scope(&["deploy/ops/web"], None, None)).unwrap();
    assert_eq!(names(&ev), ["web-77c4-b"], "KIND/NS/NAME");
    let err = apply(&mut evidence(), &scope(&["ops/web-5d8f-a"], None, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("pod `ops/web-5d8f-a` not found in namespace `ops`"),
        "{err}"
    );
    // With -A each target keeps its namespace; with the same -n nothing changes.
    let mut s = scope(&["ops/web-77c4-b"], None, None);
    s.all_namespaces = true;
    let mut ev = evidence();
    apply(&mut ev, &s).unwrap();
    assert_eq!(names(&ev), ["web-77c4-b"]);
    let mut ev = evidence();
    apply(&mut ev, &scope(&["ops/web-77c4-b"], Some("ops"), None)).unwrap();
    assert_eq!(names(&ev), ["web-77c4-b"]);
}

#[test]
fn a_target_in_another_namespace_than_dash_n_is_a_usage_error() {
    for t in ["ops/web-77c4-b", "deploy/ops/web", "svc/ops/web"] {
        let s = scope(&[t], Some("shop"), None);
        let err = apply(&mut with_services(), &s).unwrap_err();
        assert!(matches!(err, RunError::Usage(_)), "{t}");
        assert!(
            err.to_string()
                .contains("names namespace `ops` but -n says `shop`"),
            "{err}"
        );
        assert!(
            gather_scope(&s).is_err(),
            "refused before a live run asks: {t}"
        );
    }
    // A live run gathers the namespace the target names.
    let g = gather_scope(&scope(&["svc/web", "ops/web-77c4-b"], None, None)).unwrap();
    assert!(g.all_namespaces, "the context's and `ops`");
}

#[test]
fn a_mistyped_target_names_the_nearest_one() {
    let err = apply(&mut evidence(), &scope(&["db-1"], Some("shop"), None))
        .unwrap_err()
        .to_string();
    assert!(err.contains("did you mean `db-0`?"), "{err}");
    let err = apply(&mut evidence(), &scope(&["deploy/wbe"], None, None))
        .unwrap_err()
        .to_string();
    assert!(err.contains("did you mean `deployment/web`?"), "{err}");
}

#[test]
fn an_empty_namespace_or_selector_names_the_nearest() {
    let mut ev = evidence();
    apply(&mut ev, &scope(&[], Some("shpo"), None)).unwrap();
    assert!(
        ev.notes[0].ends_with("; did you mean namespace `shop`?"),
        "{:?}",
        ev.notes
    );
    let mut ev = with_services();
    apply(&mut ev, &scope(&[], None, Some("app=wbe"))).unwrap();
    assert!(
        ev.notes[0].ends_with("; did you mean label `app=web`?"),
        "{:?}",
        ev.notes
    );
    let mut ev = with_services();
    apply(&mut ev, &scope(&[], None, Some("ap=web"))).unwrap();
    assert!(
        ev.notes[0].ends_with("; did you mean label `app=web`?"),
        "{:?}",
        ev.notes
    );
    let mut ev = evidence();
    apply(&mut ev, &scope(&[], Some("zzzz"), None)).unwrap();
    assert!(!ev.notes[0].contains("did you mean"), "{:?}", ev.notes);
}
