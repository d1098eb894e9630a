//! The shipped playbooks load, and every cause id is pinned.

use kubedoctor::playbook::Playbooks;

#[test]
fn shipped_playbooks_load() {
    let p = Playbooks::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert!(p.causes().count() > 30);
}

/// A matcher on a whole value from a short list (`container.last_state.reason: OOMKilled`)
/// is a comparison: the engine decides it without compiling its regex.
#[test]
fn whole_value_matchers_are_compared_without_compiling() {
    use kubedoctor::playbook::Matcher;
    let playbooks = Playbooks::embedded().unwrap();
    let evidence = kubedoctor::sources::bundle::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/crash-oom"),
    )
    .unwrap();
    let diagnoses = kubedoctor::engine::diagnose(&evidence, &playbooks);
    let top = diagnoses
        .iter()
        .filter_map(|d| d.findings.first())
        .find(|f| f.id == "crash.oom")
        .expect("a pod killed for its memory");
    let cause = playbooks.cause("crash.oom").unwrap();
    let mut leaves = Vec::new();
    cause.when.iter().for_each(|m| m.leaves(&mut leaves));
    let oom = leaves
        .iter()
        .find_map(|l| match l {
            Matcher::Text { re, .. } if re.as_str() == "^(?:OOMKilled)$" => Some(re),
            _ => None,
        })
        .expect("crash.oom matches the container's reason");
    assert!(
        top.evidence.iter().any(|e| e.text.contains("OOMKilled")),
        "{:?}",
        top.evidence
    );
    assert!(!oom.is_compiled(), "compared, not compiled");
}

fn manifest_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `detail` lists exactly the values `docs/CAUSES.md` documents for its cause, and the
/// shipped playbooks pass the detail lint.
#[test]
fn detail_values_are_the_documented_ones() {
    use kubedoctor::playbook::lint::{Level, documented_details, lint, lint_details};
    let p = Playbooks::embedded().unwrap();
    let doc = std::fs::read_to_string(manifest_dir().join("docs/CAUSES.md")).unwrap();
    let documented = documented_details(&doc);
    for id in [
        "probe.liveness",
        "sched.pvc-unbound",
        "sched.quota",
        "sched.node-selector-affinity",
    ] {
        let values = documented
            .get(id)
            .unwrap_or_else(|| panic!("{id} documented"));
        assert!(values.iter().any(|v| v == "unknown"), "{id}: {values:?}");
    }
    let issues = lint_details(&p, &documented);
    assert!(issues.is_empty(), "{issues:#?}");
    let detail_errors: Vec<_> = lint(&p, None)
        .into_iter()
        .filter(|i| i.level == Level::Error && i.message.contains("detail"))
        .collect();
    assert!(detail_errors.is_empty(), "{detail_errors:#?}");

    // The check sees a value that is not documented.
    let mut wrong = documented.clone();
    wrong.insert(
        "probe.liveness".into(),
        vec!["refused".into(), "unknown".into()],
    );
    let issues = lint_details(&p, &wrong);
    assert!(
        issues.iter().any(|i| i.cause == "probe.liveness"
            && i.message
                .contains("`timeout` is not in the documented list")),
        "{issues:#?}"
    );
}

/// The details of the samples: how a probe fails, why a claim is unbound, which resource a
/// quota refuses; each in the JSON report, and in words in the text.
#[test]
fn samples_carry_their_detail() {
    let p = Playbooks::embedded().unwrap();
    for (sample, id, want) in [
        ("probe-liveness", "probe.liveness", "refused"),
        ("probe-readiness", "probe.readiness", "http-status"),
        ("crash-liveness-kill", "crash.liveness-kill", "http-status"),
        ("sched-pvc-unbound", "sched.pvc-unbound", "no-volume"),
        ("sched-quota-storage", "sched.quota", "requests.storage"),
        (
            "sched-node-selector",
            "sched.node-selector-affinity",
            "selector",
        ),
    ] {
        let evidence =
            kubedoctor::sources::bundle::read(&manifest_dir().join("samples").join(sample))
                .unwrap();
        let diagnoses = kubedoctor::engine::diagnose(&evidence, &p);
        let f = diagnoses
            .iter()
            .filter_map(|d| d.findings.first())
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("{sample}: no {id}"));
        assert_eq!(f.detail.as_deref(), Some(want), "{sample}");
        let json = serde_json::to_value(f).unwrap();
        assert_eq!(json["detail"], want, "{sample}");
        assert!(
            f.explanation().len() > f.explain.len(),
            "{sample}: said in words"
        );
    }
    // A cause without `detail` has no `detail` key.
    let evidence =
        kubedoctor::sources::bundle::read(&manifest_dir().join("samples/crash-oom")).unwrap();
    let diagnoses = kubedoctor::engine::diagnose(&evidence, &p);
    let f = diagnoses
        .iter()
        .filter_map(|d| d.findings.first())
        .find(|f| f.id == "crash.oom")
        .unwrap();
    assert!(serde_json::to_value(f).unwrap().get("detail").is_none());
}

/// Which test causes of `FIELDS` match a pod: a field the source lacks is unknown, and a
/// cause whose `known` matcher reads it does not match.
fn matching(pod: kubedoctor::evidence::Pod, observed: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.yaml"), FIELDS).unwrap();
    let p = Playbooks::from_dir(dir.path()).unwrap();
    let evidence = kubedoctor::evidence::Evidence {
        pods: vec![pod],
        observed_at: observed.map(|t| t.parse().unwrap()),
        ..Default::default()
    };
    let d = kubedoctor::engine::diagnose(&evidence, &p);
    let mut ids: Vec<String> = d[0].findings.iter().map(|f| f.id.clone()).collect();
    ids.sort();
    ids
}

const FIELDS: &str = r#"
status: ['*']
summary: s
causes:
  - {id: t.secrets-known-empty, title: t, severity: info, confidence: 0.5, explain: x, when: [{known: {pod.image_pull_secrets: false}}]}
  - {id: t.secrets-known-listed, title: t, severity: info, confidence: 0.5, explain: x, when: [{known: {pod.image_pull_secrets: true}}]}
  - {id: t.unbound, title: t, severity: info, confidence: 0.5, explain: x, when: [{pod.phase: Pending}, {known: {not: {pod.node: '.+'}}}]}
  - {id: t.old, title: t, severity: info, confidence: 0.5, explain: x, when: [{pod.age_seconds: 60}]}
  - {id: t.selector, title: t, severity: info, confidence: 0.5, explain: x, when: [{known: {pod.node_selector: 'disk=ssd'}}]}
  - {id: t.affinity, title: t, severity: info, confidence: 0.5, explain: x, when: [{known: {pod.node_affinity: true}}]}
  - {id: t.exec-probe, title: t, severity: info, confidence: 0.5, explain: x, when: [{container.probe_action: '^liveness exec '}, {pod.phase: Pending}]}
"#;

#[test]
fn new_pod_fields_are_unknown_when_the_source_lacks_them() {
    use kubedoctor::evidence::{Container, Pod, Probe, Scheduling};
    let base = Pod {
        namespace: "ns".into(),
        name: "p".into(),
        phase: "Pending".into(),
        restart_policy: "Always".into(),
        created_at: Some("2026-11-20T10:00:00Z".parse().unwrap()),
        containers: vec![Container {
            name: "c".into(),
            liveness: Some(Box::new(Probe {
                action: "exec [cat /tmp/ok]".into(),
                ..Default::default()
            })),
            ..Default::default()
        }],
        ..Default::default()
    };
    // `kubectl describe pod`: imagePullSecrets, nodeSelector, affinity not shown; no time.
    assert_eq!(matching(base.clone(), None), ["t.exec-probe", "t.unbound"]);
    // An object: empty imagePullSecrets are known empty; 30 s old is not a minute.
    let object = Pod {
        image_pull_secrets_known: true,
        scheduling: Scheduling {
            selector: Some([("disk".to_string(), "ssd".to_string())].into()),
            required_affinity: Some(false),
            ..Default::default()
        },
        ..base.clone()
    };
    assert_eq!(
        matching(object.clone(), Some("2026-11-20T10:00:30Z")),
        [
            "t.exec-probe",
            "t.secrets-known-empty",
            "t.selector",
            "t.unbound"
        ]
    );
    let listed = Pod {
        image_pull_secrets: vec!["regcred".into()],
        scheduling: Scheduling {
            selector: Some(Default::default()),
            required_affinity: Some(true),
            ..Default::default()
        },
        node_name: Some("worker-1".into()),
        ..object
    };
    assert_eq!(
        matching(listed, Some("2026-11-20T10:05:00Z")),
        [
            "t.affinity",
            "t.exec-probe",
            "t.old",
            "t.secrets-known-listed"
        ]
    );
}

/// How a probe fails, from the kubelet's probe output as pasted events (composed from the
/// prober's formats: net/http and dial errors, `HTTP probe failed with statuscode: N`, exec
/// output).
#[test]
fn probe_detail_from_each_kind_of_output() {
    use kubedoctor::sources::text::{self, Input, Role};
    let p = Playbooks::embedded().unwrap();
    for (output, want) in [
        (
            r#"Get "http://10.1.2.3:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"#,
            "timeout",
        ),
        ("dial tcp 10.1.2.3:5432: i/o timeout", "timeout"),
        (
            "dial tcp 10.1.2.3:5432: connect: connection refused",
            "refused",
        ),
        ("HTTP probe failed with statuscode: 404", "http-status"),
        (
            r#"Get "https://10.1.2.3:8443/healthz": http: server gave HTTP response to HTTPS client"#,
            "protocol",
        ),
        (
            r#"OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown"#,
            "exec-failed",
        ),
        (
            "cat: /tmp/healthy: No such file or directory",
            "exec-failed",
        ),
        ("something else entirely", "unknown"),
    ] {
        let events = format!(
            "  Warning  Unhealthy  2m (x9 over 4m)  kubelet  Liveness probe failed: {output}\n  Normal   Killing    2m (x3 over 4m)  kubelet  Container app failed liveness probe, will be restarted\n"
        );
        let evidence = text::read(&[Input {
            name: "events.txt".into(),
            text: events,
            role: Role::Auto,
        }])
        .unwrap();
        let d = kubedoctor::engine::diagnose(&evidence, &p);
        let f = d[0]
            .findings
            .iter()
            .find(|f| f.id == "probe.liveness" || f.id == "crash.liveness-kill")
            .unwrap_or_else(|| panic!("{output}: {:?}", d[0].findings));
        assert_eq!(f.detail.as_deref(), Some(want), "{output}");
    }
}

/// Why a claim is unbound, from the persistentvolume controller's events on the claim.
#[test]
fn pvc_detail_from_the_claim_s_events() {
    use kubedoctor::evidence::{Event, Evidence, Pod};
    let p = Playbooks::embedded().unwrap();
    let event = |reason: &str, message: &str| Event {
        type_: "Warning".into(),
        reason: reason.into(),
        message: message.into(),
        count: 4,
        object: "persistentvolumeclaim/data".into(),
        ..Default::default()
    };
    for (claim_event, want) in [
        (
            Some(event(
                "ProvisioningFailed",
                r#"storageclass.storage.k8s.io "fast-ssd" not found"#,
            )),
            "storage-class",
        ),
        (
            Some(event(
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set",
            )),
            "no-volume",
        ),
        (
            Some(Event {
                type_: "Normal".into(),
                ..event(
                    "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding",
                )
            }),
            "waiting-first-consumer",
        ),
        (None, "unknown"),
    ] {
        let pod = Pod {
            namespace: "data".into(),
            name: "db-0".into(),
            phase: "Pending".into(),
            restart_policy: "Always".into(),
            volumes: vec![("data".into(), "pvc/data".into())],
            events: vec![Event {
                type_: "Warning".into(),
                reason: "FailedScheduling".into(),
                message: "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.".into(),
                count: 3,
                object: "pod/db-0".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut evidence = Evidence {
            pods: vec![pod],
            ..Default::default()
        };
        evidence.coverage.events = true;
        if let Some(e) = claim_event {
            evidence
                .object_events
                .push("data".into(), "persistentvolumeclaim/data".into(), e);
        }
        let d = kubedoctor::engine::diagnose(&evidence, &p);
        let f = &d[0].findings[0];
        assert_eq!(f.id, "sched.pvc-unbound");
        assert_eq!(f.detail.as_deref(), Some(want));
    }
}

/// nodeSelector or node affinity: the pod's spec tells when it has one of them; the
/// scheduler says so for a profile's own affinity; nothing known is `unknown`.
#[test]
fn selector_detail_from_the_pod_spec() {
    use kubedoctor::evidence::{Event, Evidence, Pod, Scheduling};
    let p = Playbooks::embedded().unwrap();
    let selector = || Some([("disk".to_string(), "ssd".to_string())].into());
    for (selection, reason, want) in [
        (
            Scheduling {
                selector: selector(),
                required_affinity: Some(false),
                ..Default::default()
            },
            "node(s) didn't match Pod's node affinity/selector",
            "selector",
        ),
        (
            Scheduling {
                selector: Some(Default::default()),
                required_affinity: Some(true),
                ..Default::default()
            },
            "node(s) didn't match Pod's node affinity/selector",
            "affinity",
        ),
        (
            Scheduling {
                selector: selector(),
                required_affinity: Some(true),
                ..Default::default()
            },
            "node(s) didn't match Pod's node affinity/selector",
            "unknown",
        ),
        (
            Scheduling::default(),
            "node(s) didn't match scheduler-enforced node affinity",
            "affinity",
        ),
        (
            Scheduling::default(),
            "node(s) didn't match node selector",
            "unknown",
        ),
    ] {
        let pod = Pod {
            namespace: "db".into(),
            name: "redis-0".into(),
            phase: "Pending".into(),
            restart_policy: "Always".into(),
            scheduling: selection,
            events: vec![Event {
                type_: "Warning".into(),
                reason: "FailedScheduling".into(),
                message: format!("0/3 nodes are available: 3 {reason}."),
                count: 3,
                object: "pod/redis-0".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut evidence = Evidence {
            pods: vec![pod],
            ..Default::default()
        };
        evidence.coverage.events = true;
        let d = kubedoctor::engine::diagnose(&evidence, &p);
        let f = &d[0].findings[0];
        assert_eq!(f.id, "sched.node-selector-affinity");
        assert_eq!(f.detail.as_deref(), Some(want), "{reason}");
    }
}

/// A pod no scheduler has seen: the cause needs its events (unknown events make no claim),
/// an unbound Pending pod without a PodScheduled condition, over a minute old; it quotes the
/// scheduler the pod asks for when the source shows it.
#[test]
fn no_scheduler_needs_events_and_a_minute_of_silence() {
    use kubedoctor::evidence::{Evidence, Pod, Scheduling};
    let p = Playbooks::embedded().unwrap();
    let pod = Pod {
        namespace: "batch".into(),
        name: "ingest-1".into(),
        phase: "Pending".into(),
        restart_policy: "Always".into(),
        created_at: Some("2026-11-20T10:00:00Z".parse().unwrap()),
        scheduling: Scheduling {
            scheduler_name: Some("volcano".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let top = |pod: &Pod, events: bool, at: &str| {
        let mut evidence = Evidence {
            pods: vec![pod.clone()],
            observed_at: Some(at.parse().unwrap()),
            ..Default::default()
        };
        evidence.coverage.events = events;
        let d = kubedoctor::engine::diagnose(&evidence, &p);
        d[0].findings.first().cloned()
    };
    let f = top(&pod, true, "2026-11-20T10:05:00Z").expect("a finding");
    assert_eq!(f.id, "sched.no-scheduler");
    assert!(
        f.evidence
            .iter()
            .any(|e| e.text == "schedulerName `volcano`"),
        "{:?}",
        f.evidence
    );
    let id = |f: Option<kubedoctor::engine::Finding>| f.map(|f| f.id);
    assert_ne!(
        id(top(&pod, false, "2026-11-20T10:05:00Z")).as_deref(),
        Some("sched.no-scheduler"),
        "events unknown"
    );
    assert_ne!(
        id(top(&pod, true, "2026-11-20T10:00:30Z")).as_deref(),
        Some("sched.no-scheduler"),
        "30 s old"
    );
    let mut seen = pod.clone();
    seen.conditions.push(kubedoctor::evidence::PodCondition {
        type_: "PodScheduled".into(),
        status: "False".into(),
        reason: Some("Unschedulable".into()),
        message: Some(String::new()),
    });
    assert_ne!(
        id(top(&seen, true, "2026-11-20T10:05:00Z")).as_deref(),
        Some("sched.no-scheduler"),
        "a scheduler saw it"
    );
    let bound = Pod {
        node_name: Some("worker-1".into()),
        ..pod
    };
    assert_ne!(
        id(top(&bound, true, "2026-11-20T10:05:00Z")).as_deref(),
        Some("sched.no-scheduler"),
        "bound"
    );
}
