use super::*;
use crate::evidence::{Container, ServicePort};

fn hosts(value: &str) -> Vec<(String, Option<u16>)> {
    candidates(value)
        .into_iter()
        .map(|c| (c.host, c.port))
        .collect()
}

fn svc(ns: &str, name: &str, ports: &[i32]) -> Service {
    Service {
        namespace: ns.into(),
        name: name.into(),
        type_: "ClusterIP".into(),
        ports: ports
            .iter()
            .map(|&port| ServicePort {
                port,
                protocol: "TCP".into(),
                ..ServicePort::default()
            })
            .collect(),
        ..Service::default()
    }
}

fn evidence(env: &[(&str, &str)]) -> Evidence {
    let mut e = Evidence {
        pods: vec![Pod {
            namespace: "shop".into(),
            name: "client-1".into(),
            containers: vec![Container {
                name: "app".into(),
                env: env
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..Container::default()
            }],
            ..Pod::default()
        }],
        services: vec![svc("shop", "orders", &[80]), svc("billing", "api", &[443])],
        ..Evidence::default()
    };
    e.services_listed.add("shop");
    e
}

fn lines(env: &[(&str, &str)]) -> Vec<String> {
    let e = evidence(env);
    let lookup = ServiceLookup::new(&e);
    check(&e.pods[0], &e, &lookup)
        .iter()
        .map(Finding::describe)
        .collect()
}

#[test]
fn addresses_are_found_by_shape() {
    let h = |s: &str, p: Option<u16>| vec![(s.to_string(), p)];
    assert_eq!(hosts("orders.shop.svc"), h("orders.shop.svc", None));
    assert_eq!(
        hosts("orders.shop.svc:8080"),
        h("orders.shop.svc", Some(8080))
    );
    assert_eq!(
        hosts("http://orders.shop.svc.cluster.local:8080/api?x=1"),
        h("orders.shop.svc.cluster.local", Some(8080))
    );
    assert_eq!(
        hosts("https://Orders.Shop.svc."),
        h("orders.shop.svc", Some(443))
    );
    assert_eq!(hosts("http://orders"), h("orders", Some(80)));
    assert_eq!(
        hosts("redis://cache.shop:6379/0"),
        h("cache.shop", Some(6379))
    );
    assert_eq!(
        hosts("a.shop.svc:1, b.shop.svc:2"),
        vec![
            ("a.shop.svc".into(), Some(1)),
            ("b.shop.svc".into(), Some(2))
        ]
    );
}

#[test]
fn junk_is_not_an_address_and_never_panics() {
    for v in [
        "",
        ",",
        ":",
        "::1",
        "[::1]:8080",
        "http://[fe80::1%eth0]:80/",
        "http://",
        "://x",
        "1http://x",
        "host:port",
        "host:99999",
        "host:0",
        "/var/run/x.sock",
        "a b c",
        "user@host",
        "é.shop.svc",
        "http://é:80",
        "x:1:2",
    ] {
        assert!(candidates(v).is_empty(), "{v:?}");
    }
    let huge = "a".repeat(MAX_VALUE + 1);
    assert!(candidates(&huge).is_empty());
    let many = vec!["a.b.svc"; 100].join(",");
    assert_eq!(candidates(&many).len(), MAX_PARTS);
    // Multi-byte text around the separators.
    let _ = candidates("http://ü@ä:€/ö");
    let _ = candidates("é://ä");
}

#[test]
fn a_urls_password_is_redacted() {
    let c = candidates("postgres://app:s3cret@db.shop.svc:5432/orders");
    assert_eq!(c.len(), 1);
    assert_eq!(
        c[0].quoted,
        "postgres://app:[REDACTED]@db.shop.svc:5432/orders"
    );
    assert!(!c[0].quoted.contains("s3cret"));
    assert_eq!(c[0].host, "db.shop.svc");
    let c = candidates("amqp://guest@mq.shop.svc");
    assert_eq!(c[0].quoted, "amqp://guest@mq.shop.svc");
    let l = lines(&[("DB", "postgres://app:p@ss@db.shop.svc:5432/x")]);
    assert_eq!(l.len(), 1);
    assert!(!l[0].contains("p@ss"), "{l:?}");
    assert!(l[0].contains("[REDACTED]"), "{l:?}");
}

#[test]
fn every_shape_names_its_service() {
    // A missing Service of a listed namespace, in each shape.
    for v in [
        "payments.shop.svc",
        "payments.shop.svc:80",
        "payments.shop.svc.cluster.local:80",
        "payments.shop:80",
        "http://payments.shop.svc.cluster.local/x",
    ] {
        let l = lines(&[("X", v)]);
        assert_eq!(
            l,
            [format!(
                "env `X` = `{v}` names Service `shop/payments`, which the Services listed in `shop` do not include"
            )],
            "{v}"
        );
    }
    // A port the Service does not expose, in each shape (a bare name of the pod's namespace).
    for v in [
        "orders.shop.svc:8080",
        "http://orders.shop.svc.cluster.local:8080",
        "orders.shop:8080",
        "orders:8080",
        "https://orders",
    ] {
        let l = lines(&[("ORDERS_URL", v)]);
        assert_eq!(l.len(), 1, "{v}");
        assert!(
            l[0].ends_with("of Service `shop/orders`, which exposes 80/TCP"),
            "{v}: {l:?}"
        );
    }
}

#[test]
fn what_the_evidence_cannot_decide_is_not_claimed() {
    // Right port, unlisted namespace, unknown namespace, bare name of no Service, a domain.
    for v in [
        "orders.shop.svc:80",
        "http://orders.shop.svc",
        "orders",
        "missing.other.svc:80",
        "api.billing.svc:443",
        "missing.billing.svc",
        "payments:8080",
        "example.com:443",
        "orders.com:8080",
        "https://api.example.org/v1",
        "orders.shop.svc.example.com:8080",
    ] {
        assert!(lines(&[("X", v)]).is_empty(), "{v}");
    }
    // The variable's name decides nothing.
    assert_eq!(
        lines(&[("GREETING", "orders.shop.svc:9")]).len(),
        lines(&[("ORDERS_ADDR", "orders.shop.svc:9")]).len()
    );
}

/// A crash-looping client whose previous log has connection errors.
fn crash_looping(env: &[(&str, &str)], log: &str) -> Evidence {
    use crate::evidence::{ContainerState, ContainerStatus, LogExcerpt};
    let mut e = evidence(env);
    let pod = &mut e.pods[0];
    pod.uid = "uid-client".into();
    pod.phase = "Running".into();
    pod.restart_policy = "Always".into();
    let c = &mut pod.containers[0];
    c.image = "registry.example/client:1.0".into();
    c.status = Some(ContainerStatus {
        ready: false,
        started: Some(false),
        restart_count: 6,
        state: ContainerState::Waiting {
            reason: Some("CrashLoopBackOff".into()),
            message: Some("back-off 5m0s restarting failed container".into()),
        },
        last_state: ContainerState::Terminated {
            reason: Some("Error".into()),
            message: None,
            exit_code: 1,
            signal: None,
            started_at: None,
            finished_at: None,
        },
    });
    c.previous_logs = Some(Box::new(LogExcerpt::from_text(log, 0)));
    e
}

#[test]
fn the_engine_ranks_the_address_above_the_unreachable_dependency() {
    let playbooks = crate::playbook::Playbooks::embedded().unwrap();
    let top = |e: &Evidence| {
        let d = crate::engine::diagnose(e, &playbooks);
        d[0].findings
            .first()
            .map(|f| (f.id.clone(), f.evidence.clone()))
    };
    let log = "dial tcp: lookup payments.shop.svc on 10.96.0.10:53: no such host\n";
    let (id, lines) = top(&crash_looping(
        &[("PAYMENTS", "payments.shop.svc:9090")],
        log,
    ))
    .unwrap();
    assert_eq!(id, "config.service-address");
    assert!(
        lines
            .iter()
            .any(|l| l.text.contains("names Service `shop/payments`")),
        "{lines:?}"
    );
    let log = "dial tcp 10.96.3.4:8080: connect: connection refused\n";
    let (id, lines) = top(&crash_looping(
        &[("ORDERS_URL", "http://orders.shop.svc:8080")],
        log,
    ))
    .unwrap();
    assert_eq!(id, "config.service-address");
    assert!(
        lines
            .iter()
            .any(|l| l.text.ends_with("which exposes 80/TCP")),
        "{lines:?}"
    );
    // The right address: the dependency is unreachable, not misnamed.
    let (id, _) = top(&crash_looping(
        &[("ORDERS_URL", "http://orders.shop.svc:80")],
        log,
    ))
    .unwrap();
    assert_eq!(id, "crash.dependency-unreachable");
    // A namespace whose Services were not listed: nothing is claimed about it.
    let log = "dial tcp: lookup payments.shop.svc on 10.96.0.10:53: no such host\n";
    let mut e = crash_looping(&[("PAYMENTS", "payments.shop.svc:9090")], log);
    e.services_listed = Default::default();
    assert_eq!(top(&e).unwrap().0, "crash.dependency-unreachable");
}

/// The same client Running and ready, with a current log.
fn running(env: &[(&str, &str)], log: &str) -> Evidence {
    use crate::evidence::{ContainerState, ContainerStatus, LogExcerpt};
    let mut e = crash_looping(env, "");
    let c = &mut e.pods[0].containers[0];
    c.previous_logs = None;
    c.logs = Some(Box::new(LogExcerpt::from_text(log, 0)));
    c.status = Some(ContainerStatus {
        ready: true,
        started: Some(true),
        restart_count: 0,
        state: ContainerState::Running { started_at: None },
        last_state: ContainerState::None,
    });
    e
}

#[test]
fn the_severity_follows_what_the_log_shows() {
    use crate::playbook::Severity;
    let playbooks = crate::playbook::Playbooks::embedded().unwrap();
    let diagnose = |e: &Evidence| crate::engine::diagnose(e, &playbooks).remove(0);
    let env = [("PAYMENTS", "payments.shop.svc:9090")];
    let fails = "dial tcp: lookup payments.shop.svc on 10.96.0.10:53: no such host\n";
    // Running, ready, nothing failing in its log: worth knowing, not a problem.
    let d = diagnose(&running(&env, "started\n"));
    let f = d.top().expect("the address is shown");
    assert_eq!(
        (f.id.as_str(), f.severity),
        ("config.service-address", Severity::Info)
    );
    assert!(d.status.healthy);
    // Running, ready, failing to connect to it: a warning, and the pod is a problem.
    let d = diagnose(&running(&env, fails));
    let f = d.top().unwrap();
    assert_eq!(
        (f.id.as_str(), f.severity),
        ("config.service-address", Severity::Warning)
    );
    assert!(!d.status.healthy);
    // Failing because of it: critical.
    let d = diagnose(&crash_looping(&env, fails));
    let f = d.top().unwrap();
    assert_eq!(
        (f.id.as_str(), f.severity),
        ("config.service-address", Severity::Critical)
    );
    // Failing for a reason its log does not show: the address is only worth knowing; another
    // cause (the exit itself, at least the cause of last resort) ranks above it.
    let d = diagnose(&crash_looping(&env, "starting\n"));
    let top = d.top().unwrap();
    assert_ne!(top.id, "config.service-address");
    assert_eq!(top.severity, Severity::Critical);
    assert!(
        d.findings
            .iter()
            .any(|f| f.id == "config.service-address" && f.severity == Severity::Info)
    );
}

#[test]
fn services_of_unlisted_namespaces_are_looked_up_and_then_decide() {
    let mut e = evidence(&[
        ("PAYMENTS", "http://gateway.payments.svc:8080"),
        ("LEDGER", "ledger.accounts.svc.cluster.local:9090"),
        ("ORDERS", "orders.shop.svc:80"),
        ("BILLING", "api.billing.svc:443"),
    ]);
    // `shop` was listed and `billing`'s Service is in the evidence: only the other two are
    // looked up.
    let lookup = ServiceLookup::new(&e);
    assert_eq!(
        lookup.unlisted(&e),
        [
            ("payments".to_string(), "gateway".to_string()),
            ("accounts".to_string(), "ledger".to_string())
        ]
    );
    assert!(
        check(&e.pods[0], &e, &lookup).is_empty(),
        "unknown until looked up"
    );
    // One found without the port, one not found.
    e.services_elsewhere.push(svc("payments", "gateway", &[80]));
    e.services_absent.push(("accounts".into(), "ledger".into()));
    let lookup = ServiceLookup::new(&e);
    assert!(lookup.unlisted(&e).is_empty());
    let found: Vec<String> = check(&e.pods[0], &e, &lookup)
        .iter()
        .map(Finding::describe)
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("port 8080 of Service `payments/gateway`"),
        "{found:?}"
    );
    assert!(
        found[1].contains("`accounts/ledger`, which does not exist (looked up by name"),
        "{found:?}"
    );
}
