//! The built-in template variables every cause can use in `explain` and fixes, with their
//! documentation: one table that the compiler checks templates against, the linter reads,
//! `kubedoctor playbooks fields` prints and `engine::vars` fills.

/// A built-in template variable: its name and one line of documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Var {
    pub name: &'static str,
    pub doc: &'static str,
}

/// The built-in template variables, in documentation order; `engine::vars` sets them.
pub const BUILTIN_VARS: &[Var] = &[
    Var {
        name: "namespace",
        doc: "the pod's namespace",
    },
    Var {
        name: "pod",
        doc: "the pod's name",
    },
    Var {
        name: "node",
        doc: "the pod's node (empty when not scheduled)",
    },
    Var {
        name: "status",
        doc: "the pod's status as kubectl shows it",
    },
    Var {
        name: "owner",
        doc: "the owner as a kubectl reference (`deployment/web`; `pod/NAME` for a bare pod)",
    },
    Var {
        name: "owner_kind",
        doc: "the owner's kind, lower case",
    },
    Var {
        name: "owner_name",
        doc: "the owner's name",
    },
    Var {
        name: "container",
        doc: "the subject container",
    },
    Var {
        name: "image",
        doc: "its image",
    },
    Var {
        name: "exit_code",
        doc: "its current or last exit code",
    },
    Var {
        name: "reason",
        doc: "its current or last waiting/terminated reason",
    },
    Var {
        name: "restarts",
        doc: "its restart count",
    },
    Var {
        name: "memory_limit",
        doc: "its memory limit",
    },
    Var {
        name: "memory_request",
        doc: "its memory request",
    },
    Var {
        name: "cpu_request",
        doc: "its CPU request",
    },
    Var {
        name: "cpu_limit",
        doc: "its CPU limit",
    },
    Var {
        name: "liveness_probe",
        doc: "its liveness probe in one line (`httpGet :8080/health every 10s, timeout 1s, 3 failures`)",
    },
    Var {
        name: "readiness_probe",
        doc: "its readiness probe in one line",
    },
    Var {
        name: "startup_probe",
        doc: "its startup probe in one line",
    },
    Var {
        name: "pull_policy",
        doc: "its imagePullPolicy",
    },
    Var {
        name: "missing_evidence",
        doc: "the kinds of evidence the pod's source lacked (`events, logs`)",
    },
    Var {
        name: "dns_owner",
        doc: "the cluster DNS pods' owner (`deployment/coredns`; `kube-system/kube-dns` when not shown), when the evidence has DNS pods",
    },
    Var {
        name: "dns_pods",
        doc: "the cluster DNS pods that are not ready, each with its READY and STATUS",
    },
    Var {
        name: "kube_proxy_pod",
        doc: "the name of the kube-proxy pod (in `kube-system`) on the pod's node, when the evidence has it",
    },
    Var {
        name: "service",
        doc: "(`subject: service`) the Service's name",
    },
    Var {
        name: "selector",
        doc: "(`subject: service`) its selector as `key=value,key=value`",
    },
    Var {
        name: "selected_pods",
        doc: "(`subject: service`) the pods its selector matches, by name",
    },
    Var {
        name: "listed_pods",
        doc: "(`subject: service`) how many pods the evidence lists in its namespace",
    },
    Var {
        name: "nearest",
        doc: "(`subject: service`) when its selector matches no pod: the pod that comes nearest and the term it misses, as a sentence (`The nearest pod is `web-1`: the selector wants `app=web-frontend`, it has `app=web-fronted`.`)",
    },
    Var {
        name: "served_ports",
        doc: "(`subject: service`) the ports the selected containers serve: declared ports and probe ports (`3000/TCP`)",
    },
    Var {
        name: "not_ready_pods",
        doc: "(`subject: service`) the selected pods that are not ready, each with its status and top cause",
    },
];
