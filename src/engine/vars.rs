//! The values of the built-in template variables of a finding (the names and their
//! documentation are [`crate::playbook::BUILTIN_VARS`]).

use super::subject::Subject;
use crate::evidence::ContainerState;
use std::collections::BTreeMap;

/// Built-in variables for a context.
pub fn variables(ctx: &Subject) -> BTreeMap<String, String> {
    let pod = ctx.pod;
    let mut v = BTreeMap::new();
    let mut set = |k: &str, val: String| {
        // Every variable set here is documented in the table (tests run with debug asserts).
        debug_assert!(
            crate::playbook::BUILTIN_VARS.iter().any(|b| b.name == k),
            "template variable `{k}` is not in BUILTIN_VARS"
        );
        v.insert(k.to_string(), val);
    };
    set("namespace", pod.namespace.clone());
    set("pod", pod.name.clone());
    set("node", pod.node_name.clone().unwrap_or_default());
    set("status", ctx.status.display.clone());
    match &pod.owner {
        Some(o) => {
            set("owner", o.reference());
            set("owner_kind", o.kind.clone());
            set("owner_name", o.name.clone());
        }
        // A pod without a controller is its own owner. A partial pod (a fragment of text)
        // may have one the text did not show, and a pod the text did not name has none.
        None if !pod.name.is_empty() && !pod.partial => {
            set("owner", format!("pod/{}", pod.name));
            set("owner_kind", "pod".into());
            set("owner_name", pod.name.clone());
        }
        None => {}
    }
    if let Some(facts) = ctx.service {
        for (k, val) in &facts.vars {
            set(k, val.clone());
        }
        return v;
    }
    set("missing_evidence", missing_evidence(ctx));
    let system = ctx.system();
    if !system.dns.is_empty() {
        set("dns_owner", system.dns_owner());
        let down: Vec<String> = system
            .dns
            .iter()
            .filter(|p| !p.ready)
            .map(|p| format!("`{}` ({})", p.key, p.standing))
            .collect();
        set("dns_pods", down.join(", "));
    }
    if let Some(p) = system.proxy_on(pod.node_name.as_deref()) {
        set("kube_proxy_pod", p.name.clone());
    }
    let Some(c) = ctx.container else {
        return v;
    };
    set("container", c.name.clone());
    set("image", c.image.clone());
    set("pull_policy", c.image_pull_policy.clone());
    if let Some(st) = &c.status {
        set("restarts", st.restart_count.to_string());
        let terminated = match (&st.state, &st.last_state) {
            (s @ ContainerState::Terminated { .. }, _) => Some(s),
            (_, s @ ContainerState::Terminated { .. }) => Some(s),
            _ => None,
        };
        if let Some(code) = terminated.and_then(ContainerState::exit_code) {
            set("exit_code", code.to_string());
        }
        let reason = st
            .state
            .reason()
            .or(st.last_state.reason())
            .unwrap_or_default();
        set("reason", reason.to_string());
    }
    let res = &c.resources;
    for (var, map, key) in [
        ("memory_limit", &res.limits, "memory"),
        ("memory_request", &res.requests, "memory"),
        ("cpu_request", &res.requests, "cpu"),
        ("cpu_limit", &res.limits, "cpu"),
    ] {
        if let Some(q) = map.get(key) {
            set(var, q.clone());
        }
    }
    for (var, probe) in [
        ("liveness_probe", &c.liveness),
        ("readiness_probe", &c.readiness),
        ("startup_probe", &c.startup),
    ] {
        if let Some(p) = probe {
            set(
                var,
                format!(
                    "{} delay={}s timeout={}s period={}s #failure={}",
                    p.action,
                    p.initial_delay_seconds,
                    p.timeout_seconds,
                    p.period_seconds,
                    p.failure_threshold
                ),
            );
        }
    }
    v
}

/// What kinds of evidence the source lacked for this pod, in words: `events, container logs`.
fn missing_evidence(ctx: &Subject) -> String {
    let pod = ctx.pod;
    let cov = ctx.evidence.coverage;
    let mut missing = Vec::new();
    if !ctx.status.known {
        missing.push("the pod's status (`kubectl describe pod`)");
    }
    if !cov.events && pod.events.is_empty() {
        missing.push("events (`kubectl get events`)");
    }
    let has_logs = pod
        .all_containers()
        .any(|c| c.logs.is_some() || c.previous_logs.is_some());
    if !has_logs {
        missing.push("container logs (`kubectl logs --previous`)");
    }
    if ctx.node.is_none_or(|n| n.conditions.is_empty()) && pod.node_name.is_some() {
        missing.push("the node's status (`kubectl describe node`)");
    }
    if ctx.node.is_none_or(|n| n.journal.is_empty()) {
        missing.push("the kubelet journal");
    }
    if missing.is_empty() {
        "nothing: every kind of evidence was read, and none matched a known cause".into()
    } else {
        missing.join(", ")
    }
}
