//! Renders bundle objects (as `kubectl get -o json` holds them) the way an *old* kubectl
//! (1.9 and before) printed `kubectl describe` and `kubectl get events`: the Events section
//! with `FirstSeen LastSeen Count From SubObjectPath` columns and `{kubelet NODE}` sources,
//! and the `LASTSEEN FIRSTSEEN COUNT NAME KIND` events table. Current layouts are rendered
//! by a real kubectl 1.33 in `tests/equivalence.rs`; this renderer covers what it cannot.

#![allow(dead_code)]

use serde_json::Value;
use std::fmt::Write as _;

fn s<'a>(v: &'a Value, path: &str) -> &'a str {
    v.pointer(path).and_then(Value::as_str).unwrap_or("")
}

/// `Fri, 20 Nov 2026 10:05:01 +0000` from an RFC 3339 time.
fn describe_time(t: &str) -> String {
    t.parse::<jiff::Timestamp>()
        .map(|ts| ts.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string())
        .unwrap_or_default()
}

/// kubectl's short human durations: `45s`, `3m2s`, `55m`, `5h`, `2d`.
pub fn age(secs: i64) -> String {
    let secs = secs.max(0);
    if secs < 120 {
        format!("{secs}s")
    } else if secs < 600 {
        format!("{}m{}s", secs / 60, secs % 60)
    } else if secs < 3 * 3600 {
        format!("{}m", secs / 60)
    } else if secs < 2 * 86400 {
        format!("{}h", secs / 3600)
    } else {
        format!("{}d", secs / 86400)
    }
}

fn since(now: &str, t: &str) -> i64 {
    match (now.parse::<jiff::Timestamp>(), t.parse::<jiff::Timestamp>()) {
        (Ok(n), Ok(t)) => n.as_second() - t.as_second(),
        _ => 0,
    }
}

fn state_block(out: &mut String, title: &str, state: &Value) {
    let Some((kind, body)) = state.as_object().and_then(|m| m.iter().next()) else {
        return;
    };
    let kind = match kind.as_str() {
        "waiting" => "Waiting",
        "running" => "Running",
        _ => "Terminated",
    };
    let _ = writeln!(out, "    {title:<16}{kind}");
    for (key, label) in [("reason", "Reason"), ("message", "Message")] {
        if let Some(v) = body.get(key).and_then(Value::as_str) {
            let _ = writeln!(out, "      {:<14}{v}", format!("{label}:"));
        }
    }
    if let Some(code) = body.get("exitCode") {
        let _ = writeln!(out, "      {:<14}{code}", "Exit Code:");
    }
    for (key, label) in [("startedAt", "Started:"), ("finishedAt", "Finished:")] {
        if let Some(t) = body.get(key).and_then(Value::as_str) {
            let _ = writeln!(out, "      {label:<14}{}", describe_time(t));
        }
    }
}

fn probe(p: &Value) -> String {
    let action = if let Some(h) = p.get("httpGet") {
        format!("http-get http://:{}{}", h["port"], s(h, "/path")).replace('"', "")
    } else if let Some(t) = p.get("tcpSocket") {
        format!("tcp-socket :{}", t["port"])
    } else {
        "exec [...]".to_string()
    };
    format!(
        "{action} delay={}s timeout={}s period={}s #success=1 #failure={}",
        p.get("initialDelaySeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        p.get("timeoutSeconds").and_then(Value::as_i64).unwrap_or(1),
        p.get("periodSeconds").and_then(Value::as_i64).unwrap_or(10),
        p.get("failureThreshold")
            .and_then(Value::as_i64)
            .unwrap_or(3)
    )
}

fn containers(out: &mut String, title: &str, specs: &Value, statuses: &Value) {
    let Some(specs) = specs.as_array().filter(|a| !a.is_empty()) else {
        return;
    };
    let _ = writeln!(out, "{title}:");
    for c in specs {
        let name = s(c, "/name");
        let _ = writeln!(out, "  {name}:");
        let _ = writeln!(out, "    {:<16}{}", "Image:", s(c, "/image"));
        let ports = c.get("ports").and_then(Value::as_array);
        let host = ports
            .and_then(|p| p.iter().find_map(|p| p.get("hostPort")))
            .map_or("<none>".to_string(), |h| format!("{h}/TCP"));
        let _ = writeln!(out, "    {:<16}{host}", "Host Port:");
        if let Some(cmd) = c.get("command").and_then(Value::as_array) {
            let _ = writeln!(out, "    Command:");
            for a in cmd {
                let _ = writeln!(out, "      {}", a.as_str().unwrap_or(""));
            }
        }
        let st = statuses
            .as_array()
            .and_then(|a| a.iter().find(|s| s["name"] == c["name"]));
        if let Some(st) = st {
            state_block(out, "State:", &st["state"]);
            if st["lastState"].as_object().is_some_and(|m| !m.is_empty()) {
                state_block(out, "Last State:", &st["lastState"]);
            }
            let ready = if st["ready"] == true { "True" } else { "False" };
            let _ = writeln!(out, "    {:<16}{ready}", "Ready:");
            let _ = writeln!(out, "    {:<16}{}", "Restart Count:", st["restartCount"]);
        }
        for (key, label) in [("limits", "Limits"), ("requests", "Requests")] {
            if let Some(m) = c
                .pointer(&format!("/resources/{key}"))
                .and_then(Value::as_object)
                .filter(|m| !m.is_empty())
            {
                let _ = writeln!(out, "    {label}:");
                for (k, v) in m {
                    let _ = writeln!(
                        out,
                        "      {:<9}{}",
                        format!("{k}:"),
                        v.as_str().unwrap_or("")
                    );
                }
            }
        }
        for (key, label) in [
            ("livenessProbe", "Liveness:"),
            ("readinessProbe", "Readiness:"),
            ("startupProbe", "Startup:"),
        ] {
            if let Some(p) = c.get(key) {
                let _ = writeln!(out, "    {label:<16}{}", probe(p));
            }
        }
        if let Some(env) = c.get("env").and_then(Value::as_array) {
            let _ = writeln!(out, "    Environment:");
            for e in env {
                let value = if let Some(r) = e.pointer("/valueFrom/secretKeyRef") {
                    format!(
                        "<set to the key '{}' in secret '{}'>  Optional: false",
                        s(r, "/key"),
                        s(r, "/name")
                    )
                } else {
                    s(e, "/value").to_string()
                };
                let _ = writeln!(out, "      {}:  {value}", s(e, "/name"));
            }
        } else {
            let _ = writeln!(out, "    {:<16}<none>", "Environment:");
        }
    }
}

/// `kubectl describe pod` of one pod with its events.
pub fn describe_pod(pod: &Value, events: &[&Value], now: &str) -> String {
    let mut out = String::new();
    let meta = &pod["metadata"];
    let spec = &pod["spec"];
    let status = &pod["status"];
    let _ = writeln!(out, "{:<18}{}", "Name:", s(meta, "/name"));
    let _ = writeln!(out, "{:<18}{}", "Namespace:", s(meta, "/namespace"));
    let _ = writeln!(out, "{:<18}0", "Priority:");
    let _ = writeln!(out, "{:<18}default", "Service Account:");
    let node = s(spec, "/nodeName");
    let node = if node.is_empty() {
        "<none>".to_string()
    } else {
        format!("{node}/{}", s(status, "/hostIP"))
    };
    let _ = writeln!(out, "{:<18}{node}", "Node:");
    if let Some(t) = status.get("startTime").and_then(Value::as_str) {
        let _ = writeln!(out, "{:<18}{}", "Start Time:", describe_time(t));
    }
    let labels: Vec<String> = meta["labels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{:<18}{}",
        "Labels:",
        labels.first().cloned().unwrap_or("<none>".into())
    );
    for l in labels.iter().skip(1) {
        let _ = writeln!(out, "{:<18}{l}", "");
    }
    let annotations: Vec<String> = meta["annotations"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{:<18}{}",
        "Annotations:",
        annotations.first().cloned().unwrap_or("<none>".into())
    );
    for a in annotations.iter().skip(1) {
        let _ = writeln!(out, "{:<18}{a}", "");
    }
    match meta.get("deletionTimestamp").and_then(Value::as_str) {
        Some(d) => {
            let _ = writeln!(
                out,
                "{:<18}Terminating (lasts {})",
                "Status:",
                age(since(now, d))
            );
            let _ = writeln!(out, "Termination Grace Period:  30s");
        }
        None => {
            let _ = writeln!(out, "{:<18}{}", "Status:", s(status, "/phase"));
        }
    }
    for (key, label) in [("reason", "Reason:"), ("message", "Message:")] {
        if let Some(v) = status.get(key).and_then(Value::as_str) {
            let _ = writeln!(out, "{label:<18}{v}");
        }
    }
    let _ = writeln!(out, "{:<18}{}", "IP:", s(status, "/podIP"));
    if let Some(o) = meta["ownerReferences"].as_array().and_then(|a| a.first()) {
        let _ = writeln!(out, "Controlled By:  {}/{}", s(o, "/kind"), s(o, "/name"));
    }
    containers(
        &mut out,
        "Init Containers",
        &spec["initContainers"],
        &status["initContainerStatuses"],
    );
    containers(
        &mut out,
        "Containers",
        &spec["containers"],
        &status["containerStatuses"],
    );
    if let Some(conds) = status["conditions"].as_array() {
        let _ = writeln!(out, "Conditions:\n  Type                        Status");
        for c in conds {
            let _ = writeln!(out, "  {:<28}{}", s(c, "/type"), s(c, "/status"));
        }
    }
    if let Some(vols) = spec["volumes"].as_array() {
        let _ = writeln!(out, "Volumes:");
        for v in vols {
            let _ = writeln!(out, "  {}:", s(v, "/name"));
            if let Some(sec) = v.get("secret") {
                let _ = writeln!(
                    out,
                    "    Type:        Secret (a volume populated by a Secret)\n    SecretName:  {}\n    Optional:    false",
                    s(sec, "/secretName")
                );
            } else if let Some(cm) = v.get("configMap") {
                let _ = writeln!(
                    out,
                    "    Type:      ConfigMap (a volume populated by a ConfigMap)\n    Name:      {}\n    Optional:  false",
                    s(cm, "/name")
                );
            } else if let Some(pvc) = v.get("persistentVolumeClaim") {
                let _ = writeln!(
                    out,
                    "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:  {}\n    ReadOnly:   false",
                    s(pvc, "/claimName")
                );
            } else if let Some(nfs) = v.get("nfs") {
                let _ = writeln!(
                    out,
                    "    Type:      NFS (an NFS mount that lasts the lifetime of a pod)\n    Server:    {}\n    Path:      {}\n    ReadOnly:  false",
                    s(nfs, "/server"),
                    s(nfs, "/path")
                );
            }
        }
    }
    let _ = writeln!(out, "{:<29}{}", "QoS Class:", s(status, "/qosClass"));
    let _ = writeln!(out, "{:<29}<none>", "Node-Selectors:");
    let _ = writeln!(
        out,
        "{:<29}node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
        "Tolerations:"
    );
    let _ = writeln!(
        out,
        "{:<29}node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
        ""
    );
    event_section(&mut out, events, now);
    out
}

fn event_section(out: &mut String, events: &[&Value], now: &str) {
    if events.is_empty() {
        let _ = writeln!(out, "No events.");
        return;
    }
    let _ = writeln!(
        out,
        "Events:\n  FirstSeen\tLastSeen\tCount\tFrom\t\t\tSubObjectPath\t\tType\t\tReason\t\tMessage\n  ---------\t--------\t-----\t----\t\t\t-------------\t\t--------\t------\t\t-------"
    );
    for e in events {
        let host = s(e, "/source/host");
        let from = if host.is_empty() {
            format!("{{{} }}", s(e, "/source/component"))
        } else {
            format!("{{{} {host}}}", s(e, "/source/component"))
        };
        let _ = writeln!(
            out,
            "  {}\t\t{}\t\t{}\t{}\t{}\t{}\t\t{}\t\t{}",
            age(since(now, s(e, "/firstTimestamp"))),
            age(since(now, s(e, "/lastTimestamp"))),
            e["count"].as_i64().unwrap_or(1),
            from,
            s(e, "/involvedObject/fieldPath"),
            s(e, "/type"),
            s(e, "/reason"),
            s(e, "/message")
        );
    }
}

/// `kubectl describe node`.
pub fn describe_node(node: &Value, events: &[&Value], now: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<20}{}", "Name:", s(node, "/metadata/name"));
    let _ = writeln!(out, "{:<20}<none>", "Roles:");
    let taints: Vec<String> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .map(|t| match t.get("value").and_then(Value::as_str) {
                    Some(v) => format!("{}={v}:{}", s(t, "/key"), s(t, "/effect")),
                    None => format!("{}:{}", s(t, "/key"), s(t, "/effect")),
                })
                .collect()
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{:<20}{}",
        "Taints:",
        taints.first().cloned().unwrap_or("<none>".into())
    );
    for t in taints.iter().skip(1) {
        let _ = writeln!(out, "{:<20}{t}", "");
    }
    let unsched = node
        .pointer("/spec/unschedulable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let _ = writeln!(out, "{:<20}{unsched}", "Unschedulable:");
    let _ = writeln!(
        out,
        "Conditions:\n  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n  ----             ------  -----------------                 ------------------                ------                       -------"
    );
    for c in node
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let _ = writeln!(
            out,
            "  {:<16} {:<7} {:<33} {:<33} {:<28} {}",
            s(c, "/type"),
            s(c, "/status"),
            describe_time(s(c, "/lastHeartbeatTime")),
            describe_time(s(c, "/lastTransitionTime")),
            s(c, "/reason"),
            s(c, "/message")
        );
    }
    event_section(&mut out, events, now);
    out
}

/// `kubectl get events` table of kubectl 1.9 and before.
pub fn events_table(events: &[&Value], now: &str) -> String {
    let mut out = String::from(
        "LASTSEEN   FIRSTSEEN   COUNT     NAME                                          KIND         SUBOBJECT   TYPE      REASON                  SOURCE                  MESSAGE\n",
    );
    for e in events {
        let _ = writeln!(
            out,
            "{:<10} {:<11} {:<9} {:<45} {:<12} {:<11} {:<9} {:<23} {:<23} {}",
            age(since(now, s(e, "/lastTimestamp"))),
            age(since(now, s(e, "/firstTimestamp"))),
            e["count"].as_i64().unwrap_or(1),
            s(e, "/metadata/name"),
            s(e, "/involvedObject/kind"),
            s(e, "/involvedObject/fieldPath"),
            s(e, "/type"),
            s(e, "/reason"),
            s(e, "/source/component"),
            s(e, "/message")
        );
    }
    out
}
