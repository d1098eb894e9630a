//! `kubectl describe pod` parsing: a full modern describe, fragments, old formats.

use super::*;
use crate::sources::text::clean::clean;

const FULL: &str = "Name:             orders-5f7b9d8c6-j2k8m
Namespace:        shop
Priority:         0
Service Account:  default
Node:             worker-1/10.0.1.11
Start Time:       Thu, 20 Nov 2026 10:05:01 +0000
Labels:           app.kubernetes.io/name=orders
                  pod-template-hash=5f7b9d8c6
Annotations:      kubectl.kubernetes.io/restartedAt: 2026-11-20T10:00:00Z
Status:           Running
IP:               10.244.1.32
IPs:
  IP:           10.244.1.32
Controlled By:  ReplicaSet/orders-5f7b9d8c6
Init Containers:
  wait-db:
    Container ID:  containerd://aa11
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:1234
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      until nc -z postgres 5432; do sleep 1; done
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Thu, 20 Nov 2026 10:05:02 +0000
      Finished:     Thu, 20 Nov 2026 10:05:04 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-8x2lq (ro)
Containers:
  orders:
    Container ID:   containerd://bb22
    Image:          ghcr.io/acme/orders:3.0.4
    Image ID:       ghcr.io/acme/orders@sha256:5678
    Port:           8080/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Thu, 20 Nov 2026 10:57:30 +0000
      Finished:     Thu, 20 Nov 2026 10:57:35 +0000
    Ready:          False
    Restart Count:  11
    Limits:
      memory:  256Mi
    Requests:
      cpu:        100m
      memory:     128Mi
    Liveness:     http-get http://:8080/healthz delay=10s timeout=2s period=10s #success=1 #failure=3
    Environment:
      DB_PASSWORD:  <set to the key 'password' in secret 'db-credentials'>  Optional: false
      LOG_LEVEL:    info
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-8x2lq (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True
  Initialized                 True
  Ready                       False
  ContainersReady             False
  PodScheduled                True
Volumes:
  data:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  orders-data
    ReadOnly:   false
  tls:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  orders-tls
    Optional:    false
QoS Class:                   Burstable
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                  From               Message
  ----     ------     ----                 ----               -------
  Normal   Scheduled  55m                  default-scheduler  Successfully assigned shop/orders-5f7b9d8c6-j2k8m to worker-1
  Normal   Pulled     3m (x12 over 55m)    kubelet            Container image \"ghcr.io/acme/orders:3.0.4\" already present on machine
  Warning  BackOff    10s (x240 over 54m)  kubelet            Back-off restarting failed container orders in pod orders-5f7b9d8c6-j2k8m_shop(0f3c)
";

#[test]
fn parses_a_full_modern_describe() {
    let p = parse(&clean(FULL));
    assert!(p.has_status && p.has_events);
    let pod = p.pod;
    assert_eq!(
        (pod.namespace.as_str(), pod.name.as_str()),
        ("shop", "orders-5f7b9d8c6-j2k8m")
    );
    assert_eq!(pod.node_name.as_deref(), Some("worker-1"));
    assert_eq!(pod.phase, "Running");
    assert!(!pod.partial);
    assert_eq!(pod.owner.as_ref().unwrap().reference(), "deployment/orders");
    assert_eq!(
        pod.labels.get("pod-template-hash").map(String::as_str),
        Some("5f7b9d8c6")
    );
    assert!(
        pod.annotations
            .contains_key("kubectl.kubernetes.io/restartedAt")
    );

    assert_eq!(pod.init_containers.len(), 1);
    let init = &pod.init_containers[0];
    assert!(init.init && init.is_healthy());
    assert_eq!(init.command.len(), 3);

    assert_eq!(pod.containers.len(), 1);
    let c = &pod.containers[0];
    assert_eq!(c.image, "ghcr.io/acme/orders:3.0.4");
    let st = c.status.as_ref().unwrap();
    assert_eq!(st.state.reason(), Some("CrashLoopBackOff"));
    assert_eq!(st.last_state.reason(), Some("Error"));
    assert_eq!(st.last_state.exit_code(), Some(1));
    assert_eq!(st.restart_count, 11);
    assert!(!st.ready);
    assert_eq!(
        c.resources.limits.get("memory").map(String::as_str),
        Some("256Mi")
    );
    assert_eq!(
        c.resources.requests.get("cpu").map(String::as_str),
        Some("100m")
    );
    assert_eq!(c.liveness.as_ref().unwrap().timeout_seconds, 2);
    assert_eq!(c.env_refs, vec!["secret/db-credentials"]);
    assert!(c.host_ports.is_empty(), "0/TCP is no host port");
    assert_eq!(
        c.ports,
        [crate::evidence::ContainerPort {
            name: None,
            port: 8080,
            protocol: "TCP".into()
        }]
    );
    assert_eq!(c.env, [("LOG_LEVEL".to_string(), "info".to_string())]);
    assert!(init.ports.is_empty() && init.env.is_empty());

    assert_eq!(pod.condition("Ready").unwrap().status, "False");
    assert!(
        pod.volumes
            .contains(&("data".into(), "pvc/orders-data".into()))
    );
    assert!(
        pod.volumes
            .contains(&("tls".into(), "secret/orders-tls".into()))
    );

    assert_eq!(pod.events.len(), 3);
    let backoff = &pod.events[2];
    assert_eq!((backoff.reason.as_str(), backoff.count), ("BackOff", 240));
    assert_eq!(crate::status::pod_status(&pod).display, "CrashLoopBackOff");
}

#[test]
fn a_container_fragment_is_a_pod_with_unknown_status() {
    let text = "    State:          Terminated
      Reason:       OOMKilled
      Exit Code:    137
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
    Ready:          False
    Restart Count:  4
    Limits:
      cpu:     250m
      memory:  48Mi
";
    let lines = clean(text);
    assert!(looks_like(&lines));
    let p = parse(&lines);
    assert!(!p.has_status);
    assert!(p.pod.partial);
    let c = &p.pod.containers[0];
    let st = c.status.as_ref().unwrap();
    assert_eq!(st.last_state.reason(), Some("OOMKilled"));
    assert_eq!(st.restart_count, 4);
    assert_eq!(
        c.resources.limits.get("memory").map(String::as_str),
        Some("48Mi")
    );
}

#[test]
fn old_kubectl_terminating_and_wrapped_events() {
    let text = "Name:                     reports-7
Namespace:                default
Node:                     node-4
Status:                   Terminating (expires Thu, 14 Apr 2016 09:31:50 +0000)
Termination Grace Period: 45s
Reason:
Message:
Containers:
  exporter:
    State:          Running
      Started:      Thu, 14 Apr 2016 08:57:12 +0000
    Ready:          True
    Restart Count:  0
Events:
  Type     Reason       Age                From                 Message
  ----     ------       ----               ----                 -------
  Warning  FailedMount  41s (x6 over 2m)   kubelet, node-4      MountVolume.SetUp failed for volume \"share\" : mount failed: exit status 32
Mounting command: mount
Output: mount: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.
";
    let p = parse(&clean(text));
    let pod = p.pod;
    assert!(pod.deletion.is_some());
    assert_eq!(crate::status::pod_status(&pod).display, "Terminating");
    assert_eq!(pod.reason, None, "an empty Reason: is no reason");
    assert_eq!(pod.events.len(), 1);
    assert!(pod.events[0].message.contains("Output: mount: bad option"));
    assert_eq!(pod.events[0].source_host.as_deref(), Some("node-4"));
}

#[test]
fn many_pods_in_one_text_split_at_name() {
    let two = format!(
        "{FULL}\n{}",
        FULL.replace("orders-5f7b9d8c6-j2k8m", "orders-5f7b9d8c6-zzzzz")
    );
    let lines = clean(&two);
    let first = parse(&lines);
    assert_eq!(first.pod.name, "orders-5f7b9d8c6-j2k8m");
    let second = parse(&lines[first.consumed..]);
    assert_eq!(second.pod.name, "orders-5f7b9d8c6-zzzzz");
}

#[test]
fn ages_and_times() {
    assert!(parse_time("Thu, 20 Nov 2026 10:05:01 +0000").is_some());
}

#[test]
fn node_selectors_are_read_one_per_line_and_none_is_empty() {
    let text = "Name:           web-7d9c5b8f6-x2k4p
Namespace:      shop
Status:         Pending
Node-Selectors: disktype=ssd
                kubernetes.io/os=linux
Tolerations:    node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
";
    let pod = parse(&clean(text)).pod;
    let selector = pod.scheduling.selector.unwrap();
    assert_eq!(selector.get("disktype").map(String::as_str), Some("ssd"));
    assert_eq!(
        selector.get("kubernetes.io/os").map(String::as_str),
        Some("linux")
    );
    let none = parse(&clean("Name:  web-1\nNode-Selectors:  <none>\n")).pod;
    assert_eq!(none.scheduling.selector, Some(Default::default()));
}

/// `describeContainerPorts` and `describeContainerEnvVars`: several ports (named since
/// kubectl 1.34), literal values (multi-line, empty, long names) and every kind of
/// reference, which are not values.
#[test]
fn container_ports_and_literal_environment_values() {
    let text = "Name:         api-1
Namespace:    shop
Status:       Running
Containers:
  api:
    Image:          ghcr.io/acme/api:1.2
    Ports:          8080/TCP (http), 9090/TCP (metrics)
    Host Ports:     0/TCP (http), 0/TCP (metrics)
    State:          Running
    Ready:          True
    Restart Count:  0
    Environment Variables from:
      api-config  ConfigMap  Optional: false
    Environment:
      DATABASE_URL:                                postgres://db.shop.svc:5432/app
      DB_PASSWORD:                                 <set to the key 'password' in secret 'db'>  Optional: false
      FEATURE:                                     <set to the key 'flag' of config map 'flags'>  Optional: true
      POD_NAME:                                    api-1 (v1:metadata.name)
      POD_IP:                                       (v1:status.podIP)
      MEMORY_LIMIT:                                node allocatable (limits.memory)
      EMPTY:                                       
      A_VERY_LONG_ENVIRONMENT_VARIABLE_NAME_PAST_40:  yes
      GREETING:                                    hello
                                                   world: twice
    Mounts:                                        <none>
Events:  <none>
";
    let p = parse(&clean(text));
    let c = &p.pod.containers[0];
    let ports: Vec<_> = c
        .ports
        .iter()
        .map(|p| (p.name.as_deref(), p.port))
        .collect();
    assert_eq!(ports, [(Some("http"), 8080), (Some("metrics"), 9090)]);
    let env: Vec<(&str, &str)> = c
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        env,
        [
            ("DATABASE_URL", "postgres://db.shop.svc:5432/app"),
            ("EMPTY", ""),
            ("A_VERY_LONG_ENVIRONMENT_VARIABLE_NAME_PAST_40", "yes"),
            ("GREETING", "hello\nworld: twice"),
        ]
    );
    assert_eq!(c.env_refs, ["secret/db", "configMap/flags"]);
}

/// kubectl prints an annotation of more than 140 characters as `key:` and its value on the
/// indented lines below.
#[test]
fn a_long_annotation_continues_below_its_key() {
    let long = (1..=12)
        .map(|i| format!("cause.number-{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "Name:         web-1\nNamespace:    shop\nAnnotations:  a.example/short: yes\n              kubedoctor.io/ignore:\n                {long}\n              z.example/after: 1\nStatus:       Running\n"
    );
    let pod = parse(&clean(&text)).pod;
    assert_eq!(
        pod.annotations
            .get("kubedoctor.io/ignore")
            .map(String::as_str),
        Some(long.as_str())
    );
    assert_eq!(
        pod.annotations.get("z.example/after").map(String::as_str),
        Some("1")
    );
    assert_eq!(
        pod.annotations.get("a.example/short").map(String::as_str),
        Some("yes")
    );
}
