//! The kinds a paste may show, and what each becomes: one table, the data the segmenter
//! identifies outputs by (the command that printed them, a `get` table's header, the keys of
//! a `describe`), documented in `docs/TEXT.md`.
//!
//! The column words are those of kubectl's printers (`pkg/printers/internalversion/printers.go`,
//! 1.20 to 1.33) split on white space, so a header pasted with its spacing squeezed is still
//! known; the describe keys are those only that kind's describer prints at the margin
//! (`pkg/describe/describe.go`). Later work registers its kinds here.

/// What the reader does with an output of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Becomes {
    /// Pods: diagnosed.
    Pod,
    /// Nodes: their conditions, taints and cordons are evidence for pods on them.
    Node,
    /// Events: joined to the objects they name.
    Event,
    /// Pod controllers: their replica counts decide whether pods are missing.
    Controller,
    /// Storage and quota objects: recognised as evidence of their kind.
    Storage,
    /// Services, Endpoints, EndpointSlices: Services with the endpoints the cluster computed.
    Service,
    /// ServiceAccounts: which exist, by name.
    ServiceAccount,
    /// Recognised, not used.
    Skipped,
}

/// One kind of object as kubectl prints it.
#[derive(Debug)]
pub struct Kind {
    /// The API kind (`ReplicaSet`).
    pub kind: &'static str,
    /// Every name `kubectl get` takes for it, lower case: singular, plural, short names.
    pub names: &'static [&'static str],
    /// Header words its `get` table always has.
    pub columns: &'static [&'static str],
    /// Header words it may also have (`-o wide`); `NAMESPACE`, `AGE` and `LABELS` are always
    /// allowed.
    pub optional: &'static [&'static str],
    /// `describe` keys at the margin that only this kind's describer prints (any one tells).
    pub describe_keys: &'static [&'static str],
    pub becomes: Becomes,
}

/// The kinds, most specific table first where headers overlap.
pub static KINDS: &[Kind] = &[
    Kind {
        kind: "Pod",
        names: &["pod", "pods", "po"],
        columns: &["NAME", "READY", "STATUS", "RESTARTS"],
        optional: &["IP", "NODE", "NOMINATED", "READINESS", "GATES"],
        describe_keys: &[
            "Start Time",
            "QoS Class",
            "Node-Selectors",
            "Priority Class Name",
        ],
        becomes: Becomes::Pod,
    },
    Kind {
        kind: "Node",
        names: &["node", "nodes", "no"],
        columns: &["NAME", "STATUS", "ROLES", "VERSION"],
        optional: &[
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME",
        ],
        describe_keys: &["Roles", "Taints", "Unschedulable", "PodCIDR", "ProviderID"],
        becomes: Becomes::Node,
    },
    Kind {
        kind: "Event",
        names: &["event", "events", "ev"],
        columns: &["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        optional: &[
            "SUBOBJECT",
            "SOURCE",
            "FIRST",
            "COUNT",
            "NAME",
            "KIND",
            "FROM",
        ],
        describe_keys: &[],
        becomes: Becomes::Event,
    },
    Kind {
        kind: "Deployment",
        names: &["deployment", "deployments", "deploy"],
        columns: &["NAME", "READY", "UP-TO-DATE", "AVAILABLE"],
        optional: &["CONTAINERS", "IMAGES", "SELECTOR"],
        describe_keys: &[
            "StrategyType",
            "NewReplicaSet",
            "OldReplicaSets",
            "RollingUpdateStrategy",
        ],
        becomes: Becomes::Controller,
    },
    Kind {
        kind: "DaemonSet",
        names: &["daemonset", "daemonsets", "ds"],
        columns: &[
            "NAME",
            "DESIRED",
            "CURRENT",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
        ],
        optional: &["NODE", "SELECTOR", "CONTAINERS", "IMAGES"],
        describe_keys: &[
            "Desired Number of Nodes Scheduled",
            "Current Number of Nodes Scheduled",
        ],
        becomes: Becomes::Controller,
    },
    Kind {
        kind: "ReplicaSet",
        names: &["replicaset", "replicasets", "rs"],
        columns: &["NAME", "DESIRED", "CURRENT", "READY"],
        optional: &["CONTAINERS", "IMAGES", "SELECTOR"],
        describe_keys: &[],
        becomes: Becomes::Controller,
    },
    Kind {
        kind: "ReplicationController",
        names: &["replicationcontroller", "replicationcontrollers", "rc"],
        columns: &["NAME", "DESIRED", "CURRENT", "READY"],
        optional: &["CONTAINERS", "IMAGES", "SELECTOR"],
        describe_keys: &[],
        becomes: Becomes::Controller,
    },
    Kind {
        kind: "StatefulSet",
        names: &["statefulset", "statefulsets", "sts"],
        columns: &["NAME", "READY"],
        optional: &["CONTAINERS", "IMAGES"],
        describe_keys: &["Update Strategy", "Volume Claims"],
        becomes: Becomes::Controller,
    },
    Kind {
        kind: "Job",
        names: &["job", "jobs"],
        columns: &["NAME", "COMPLETIONS", "DURATION"],
        optional: &["STATUS", "CONTAINERS", "IMAGES", "SELECTOR"],
        describe_keys: &["Parallelism", "Completions", "Pods Statuses"],
        becomes: Becomes::Controller,
    },
    Kind {
        kind: "CronJob",
        names: &["cronjob", "cronjobs", "cj"],
        columns: &["NAME", "SCHEDULE", "SUSPEND", "ACTIVE"],
        optional: &[
            "TIMEZONE",
            "LAST",
            "SCHEDULE",
            "CONTAINERS",
            "IMAGES",
            "SELECTOR",
        ],
        describe_keys: &["Schedule", "Concurrency Policy", "Last Schedule Time"],
        becomes: Becomes::Skipped,
    },
    Kind {
        kind: "PersistentVolumeClaim",
        names: &["persistentvolumeclaim", "persistentvolumeclaims", "pvc"],
        columns: &[
            "NAME",
            "STATUS",
            "VOLUME",
            "CAPACITY",
            "ACCESS",
            "MODES",
            "STORAGECLASS",
        ],
        optional: &["VOLUMEATTRIBUTESCLASS", "VOLUMEMODE"],
        describe_keys: &["VolumeMode", "Used By"],
        becomes: Becomes::Storage,
    },
    Kind {
        kind: "PersistentVolume",
        names: &["persistentvolume", "persistentvolumes", "pv"],
        columns: &[
            "NAME", "CAPACITY", "ACCESS", "MODES", "RECLAIM", "POLICY", "STATUS", "CLAIM",
        ],
        optional: &[
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "REASON",
            "VOLUMEMODE",
        ],
        describe_keys: &["Reclaim Policy", "Source", "Claim"],
        becomes: Becomes::Storage,
    },
    Kind {
        kind: "StorageClass",
        names: &["storageclass", "storageclasses", "sc"],
        columns: &["NAME", "PROVISIONER"],
        optional: &["RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION"],
        describe_keys: &["Provisioner", "VolumeBindingMode", "IsDefaultClass"],
        becomes: Becomes::Storage,
    },
    Kind {
        kind: "ResourceQuota",
        names: &["resourcequota", "resourcequotas", "quota"],
        columns: &["NAME", "REQUEST", "LIMIT"],
        optional: &[],
        describe_keys: &["Resource"],
        becomes: Becomes::Storage,
    },
    Kind {
        kind: "Service",
        names: &["service", "services", "svc"],
        columns: &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)"],
        optional: &["SELECTOR"],
        describe_keys: &[
            "TargetPort",
            "Session Affinity",
            "IP Family Policy",
            "External Traffic Policy",
        ],
        becomes: Becomes::Service,
    },
    Kind {
        kind: "EndpointSlice",
        names: &["endpointslice", "endpointslices"],
        columns: &["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS"],
        optional: &[],
        describe_keys: &["AddressType"],
        becomes: Becomes::Service,
    },
    Kind {
        kind: "Endpoints",
        names: &["endpoints", "ep"],
        columns: &["NAME", "ENDPOINTS"],
        optional: &[],
        describe_keys: &["Subsets"],
        becomes: Becomes::Service,
    },
    Kind {
        kind: "ServiceAccount",
        names: &["serviceaccount", "serviceaccounts", "sa"],
        columns: &["NAME", "SECRETS"],
        optional: &[],
        describe_keys: &["Mountable secrets", "Image pull secrets", "Tokens"],
        becomes: Becomes::ServiceAccount,
    },
    Kind {
        kind: "Secret",
        names: &["secret", "secrets"],
        columns: &["NAME", "TYPE", "DATA"],
        optional: &[],
        describe_keys: &[],
        becomes: Becomes::Skipped,
    },
    Kind {
        kind: "ConfigMap",
        names: &["configmap", "configmaps", "cm"],
        columns: &["NAME", "DATA"],
        optional: &[],
        describe_keys: &["BinaryData"],
        becomes: Becomes::Skipped,
    },
    Kind {
        kind: "Namespace",
        names: &["namespace", "namespaces", "ns"],
        columns: &["NAME", "STATUS"],
        optional: &[],
        describe_keys: &["Resource Quotas"],
        becomes: Becomes::Skipped,
    },
    Kind {
        kind: "Ingress",
        names: &["ingress", "ingresses", "ing"],
        columns: &["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS"],
        optional: &[],
        describe_keys: &["Ingress Class", "Default backend", "Rules"],
        becomes: Becomes::Skipped,
    },
    Kind {
        kind: "HorizontalPodAutoscaler",
        names: &["horizontalpodautoscaler", "horizontalpodautoscalers", "hpa"],
        columns: &[
            "NAME",
            "REFERENCE",
            "TARGETS",
            "MINPODS",
            "MAXPODS",
            "REPLICAS",
        ],
        optional: &[],
        describe_keys: &["Min replicas", "Max replicas"],
        becomes: Becomes::Skipped,
    },
    Kind {
        kind: "PodDisruptionBudget",
        names: &["poddisruptionbudget", "poddisruptionbudgets", "pdb"],
        columns: &["NAME", "MIN", "AVAILABLE", "MAX", "UNAVAILABLE", "ALLOWED"],
        optional: &["DISRUPTIONS"],
        describe_keys: &["Min available", "Max unavailable", "Allowed disruptions"],
        becomes: Becomes::Skipped,
    },
    Kind {
        kind: "NetworkPolicy",
        names: &["networkpolicy", "networkpolicies", "netpol"],
        columns: &["NAME", "POD-SELECTOR"],
        optional: &[],
        describe_keys: &["PodSelector", "Allowing ingress traffic"],
        becomes: Becomes::Skipped,
    },
    Kind {
        kind: "LimitRange",
        names: &["limitrange", "limitranges", "limits"],
        columns: &["NAME", "CREATED", "AT"],
        optional: &[],
        describe_keys: &[],
        becomes: Becomes::Skipped,
    },
];

/// Header words every table may have.
const ALWAYS: &[&str] = &["NAMESPACE", "AGE", "LABELS"];

/// The kind kubectl takes by this name (`svc`, `deployments.apps`, `pods.v1.`), if known.
pub fn by_name(name: &str) -> Option<&'static Kind> {
    let n = name.split('.').next().unwrap_or(name).to_lowercase();
    KINDS.iter().find(|k| k.names.contains(&n.as_str()))
}

/// The kind of an API kind name (`ReplicaSet`).
pub fn by_kind(kind: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.kind.eq_ignore_ascii_case(kind))
}

/// The words of a table header: every word upper case (`PORT(S)`, `UP-TO-DATE`), the first
/// `NAME` or `NAMESPACE`; `None` when the line is no header.
pub fn header_words(line: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = *words.first()?;
    if words.len() < 2 || !matches!(first, "NAME" | "NAMESPACE") {
        return None;
    }
    let upper = |w: &&str| {
        w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && w.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "()-_./".contains(c))
    };
    words.iter().all(upper).then_some(words)
}

/// The kind whose `get` table has this header: every word it always prints present, and no
/// word it never prints; the kind with the most required words wins.
pub fn by_header(line: &str) -> Option<&'static Kind> {
    let words = header_words(line)?;
    KINDS
        .iter()
        .filter(|k| {
            k.columns.iter().all(|c| words.contains(c))
                && words
                    .iter()
                    .all(|w| k.columns.contains(w) || k.optional.contains(w) || ALWAYS.contains(w))
        })
        .fold(None, |best: Option<&'static Kind>, k| match best {
            // Ties go to the kind listed first (a ReplicaSet before a ReplicationController).
            Some(b) if b.columns.len() >= k.columns.len() => Some(b),
            _ => Some(k),
        })
}

/// The kind a `describe` shows, from its keys at the margin (`None`: no key tells).
pub fn by_describe_keys<'a>(keys: impl Iterator<Item = &'a str>) -> Option<&'static Kind> {
    let keys: Vec<&str> = keys.collect();
    KINDS
        .iter()
        .find(|k| k.describe_keys.iter().any(|d| keys.contains(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(header: &str) -> Option<&'static str> {
        by_header(header).map(|k| k.kind)
    }

    #[test]
    fn get_tables_are_known_by_their_headers() {
        let cases = [
            ("NAME   READY   STATUS    RESTARTS   AGE", Some("Pod")),
            (
                "NAMESPACE   NAME   READY   STATUS   RESTARTS   AGE   IP   NODE   NOMINATED NODE   READINESS GATES",
                Some("Pod"),
            ),
            (
                "NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR",
                Some("Service"),
            ),
            ("NAME   DATA   AGE", Some("ConfigMap")),
            ("NAME   TYPE   DATA   AGE", Some("Secret")),
            (
                "NAME   READY   UP-TO-DATE   AVAILABLE   AGE",
                Some("Deployment"),
            ),
            (
                "NAME   DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES   SELECTOR",
                Some("ReplicaSet"),
            ),
            ("NAME   READY   AGE", Some("StatefulSet")),
            (
                "NAME   DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE",
                Some("DaemonSet"),
            ),
            ("NAME   STATUS   COMPLETIONS   DURATION   AGE", Some("Job")),
            (
                "NAME   STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE",
                Some("PersistentVolumeClaim"),
            ),
            (
                "NAME   STATUS   ROLES           AGE   VERSION",
                Some("Node"),
            ),
            ("NAME STATUS AGE", Some("Namespace")),
            ("NAME   AGE", None),
            ("NAME   READY   SYNCED   AGE", None),
            ("Name:   web", None),
        ];
        for (header, want) in cases {
            assert_eq!(kind_of(header), want, "{header}");
        }
    }

    #[test]
    fn kinds_are_known_by_every_name_kubectl_takes() {
        assert_eq!(by_name("svc").map(|k| k.kind), Some("Service"));
        assert_eq!(
            by_name("deployments.apps").map(|k| k.kind),
            Some("Deployment")
        );
        assert_eq!(by_name("PO").map(|k| k.kind), Some("Pod"));
        assert!(by_name("widgets").is_none());
    }

    #[test]
    fn a_describe_is_known_by_a_key_only_its_kind_prints() {
        let k = by_describe_keys(["Name", "Namespace", "StrategyType"].into_iter());
        assert_eq!(k.map(|k| k.kind), Some("Deployment"));
        let k = by_describe_keys(["Name", "Type", "TargetPort"].into_iter());
        assert_eq!(k.map(|k| k.kind), Some("Service"));
        assert!(by_describe_keys(["Name", "Namespace"].into_iter()).is_none());
    }
}
