//! The evidence fields a matcher can address, by the name playbooks use.
//!
//! Each field says what it reads (pod, subject container, logs, journal, node) and how its
//! value is compared: `Whole` text must match the regex as a whole (reasons, codes, names),
//! `Search` text only somewhere (messages, log and journal lines), `Flag` is a boolean and
//! `AtLeast` a number that must reach the given minimum.

/// How a field's value is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Whole,
    Search,
    Flag,
    AtLeast,
}

macro_rules! fields {
    ($($variant:ident = $name:literal, $kind:ident, $container:literal, $doc:literal;)*) => {
        /// A matchable field.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field { $($variant,)* }

        impl Field {
            /// Every field, in documentation order.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            /// The name used in playbooks.
            pub fn name(self) -> &'static str {
                match self { $(Field::$variant => $name,)* }
            }

            /// How values are compared.
            pub fn kind(self) -> FieldKind {
                match self { $(Field::$variant => FieldKind::$kind,)* }
            }

            /// True when the field reads the subject container (or its logs), so the cause is
            /// tried once per container.
            pub fn per_container(self) -> bool {
                match self { $(Field::$variant => $container,)* }
            }

            /// One line of documentation.
            pub fn doc(self) -> &'static str {
                match self { $(Field::$variant => $doc,)* }
            }

            /// Looks a field up by its playbook name.
            pub fn by_name(name: &str) -> Option<Field> {
                Self::ALL.iter().copied().find(|f| f.name() == name)
            }
        }
    };
}

fields! {
    PodStatus = "pod.status", Whole, false, "the kubectl STATUS or any status key of the pod";
    PodPhase = "pod.phase", Whole, false, "status.phase";
    PodReason = "pod.reason", Whole, false, "status.reason (Evicted, SysctlForbidden, OutOfcpu, ...)";
    PodMessage = "pod.message", Search, false, "status.message";
    PodCondition = "pod.condition", Whole, false, "a pod condition as `Type=Status` (`PodScheduled=False`)";
    PodConditionMessage = "pod.condition.message", Search, false, "a pod condition's message";
    PodHealthy = "pod.healthy", Flag, false, "running and ready, or completed";
    PodImagePullSecret = "pod.image_pull_secret", Whole, false, "any imagePullSecrets name; unknown when the source does not show them";
    PodImagePullSecrets = "pod.image_pull_secrets", Flag, false, "the pod lists imagePullSecrets (its service account's included); unknown when the source does not show them (`kubectl describe pod`, a manifest)";
    PodDeleting = "pod.deleting", Flag, false, "deletionTimestamp is set";
    PodDeletingForSeconds = "pod.deleting_for_seconds", AtLeast, false, "seconds since deletionTimestamp, at capture time";
    PodFinalizer = "pod.finalizer", Whole, false, "any finalizer";
    PodAnnotation = "pod.annotation", Whole, false, "any annotation key";
    PodOwnerKind = "pod.owner_kind", Whole, false, "the owner's kind, lower case (`deployment`, `job`, `node`)";
    PodRestartPolicy = "pod.restart_policy", Whole, false, "spec.restartPolicy";
    PodClaim = "pod.claim", Whole, false, "a PersistentVolumeClaim the pod uses as `NAME=Phase` (`data-0=Pending`)";
    PodRolloutChange = "pod.rollout_change", Search, false, "a line the newest Deployment revision changed in the pod template (`- image: web:1.8`)";
    PodNodeSelector = "pod.node_selector", Whole, false, "a spec.nodeSelector entry as `key=value`; unknown when the source does not show the spec";
    PodNodeAffinity = "pod.node_affinity", Flag, false, "the pod has required node affinity (requiredDuringSchedulingIgnoredDuringExecution); unknown when the source does not show the spec";
    PodSchedulerName = "pod.scheduler_name", Whole, false, "spec.schedulerName (`default-scheduler` unless set); unknown when the source does not show the spec";
    PodNode = "pod.node", Whole, false, "spec.nodeName, the node the pod is bound to (empty before scheduling)";
    PodAgeSeconds = "pod.age_seconds", AtLeast, false, "seconds since creationTimestamp, at capture time";
    PodVolume = "pod.volume", Whole, false, "a volume source as `secret/NAME`, `configMap/NAME`, `pvc/NAME`";
    PodAddressUnknownService = "pod.address_unknown_service", Whole, false, "an in-cluster address in a literal env value (`NAME.NS.svc[.cluster.local][:PORT]`, `NAME.NS` of a namespace in the evidence, alone or in a URL) naming a Service its namespace's listed Services lack, as written (a password redacted); unknown when no namespace's Services were listed";
    PodAddressUnexposedPort = "pod.address_unexposed_port", Whole, false, "an in-cluster address in a literal env value (as `pod.address_unknown_service`, or a bare name of a Service of the pod's namespace) naming a port the Service does not expose, as written";
    PodKubeProxyReady = "pod.kube_proxy_ready", Flag, false, "the kube-proxy pod (kube-system, `k8s-app=kube-proxy`) on the pod's node is ready; unknown when the evidence has no kube-proxy pod on that node (kube-system not listed, or a cluster that replaces kube-proxy)";
    ClusterDnsPods = "cluster.dns_pods", AtLeast, false, "cluster DNS pods (kube-system, `k8s-app=kube-dns`) at least this; unknown when the evidence has none (kube-system not listed)";
    ClusterDnsReady = "cluster.dns_ready", AtLeast, false, "ready cluster DNS pods at least this; unknown when the evidence has no DNS pod";
    ClusterDnsNotReady = "cluster.dns_not_ready", Whole, false, "a cluster DNS pod that is not ready, as `kube-system/NAME`";
    ContainerName = "container.name", Whole, true, "the container's name";
    ContainerInit = "container.init", Flag, true, "the container is an init container";
    ContainerState = "container.state", Whole, true, "`waiting`, `running` or `terminated`";
    ContainerReason = "container.reason", Whole, true, "the current waiting or terminated reason";
    ContainerMessage = "container.message", Search, true, "the current waiting or terminated message";
    ContainerExitCode = "container.exit_code", Whole, true, "the current terminated exit code";
    ContainerLastReason = "container.last_state.reason", Whole, true, "the last terminated reason";
    ContainerLastMessage = "container.last_state.message", Search, true, "the last terminated message";
    ContainerLastExitCode = "container.last_state.exit_code", Whole, true, "the last terminated exit code";
    ContainerReady = "container.ready", Flag, true, "the container is ready";
    ContainerRestarts = "container.restarts", AtLeast, true, "restart count at least this";
    ContainerImage = "container.image", Search, true, "the image reference";
    ContainerPullPolicy = "container.image_pull_policy", Whole, true, "imagePullPolicy";
    ContainerProbe = "container.probe", Whole, true, "a probe the container has: `liveness`, `readiness`, `startup`";
    ContainerProbeAction = "container.probe_action", Search, true, "a probe as `KIND ACTION`: `liveness exec [cat /tmp/ok]`, `readiness http-get http://:8080/ready`, `startup tcp-socket :5432`, `liveness grpc :9090`";
    ContainerMemoryLimit = "container.memory_limit", Flag, true, "the container has a memory limit";
    Log = "log", Search, true, "a line of the current or previous log";
    LogCurrent = "log.current", Search, true, "a line of the current log";
    LogPrevious = "log.previous", Search, true, "a line of the previous instance's log";
    Journal = "journal", Search, false, "a kubelet journal line of the pod's node";
    NodeCondition = "node.condition", Whole, false, "a node condition as `Type=Status` (`Ready=Unknown`)";
    NodeConditionMessage = "node.condition.message", Search, false, "a node condition's message";
    NodeTaint = "node.taint", Whole, false, "a taint as `key=value:Effect` or `key:Effect`";
    NodeLabel = "node.label", Whole, false, "a node label as `key=value`";
    NodeUnschedulable = "node.unschedulable", Flag, false, "the node is cordoned";
    NodeMissing = "node.missing", Flag, false, "the pod names a node the evidence's node list lacks";
    ServiceType = "service.type", Whole, false, "(`subject: service`) spec.type: `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`";
    ServiceSelector = "service.selector", Flag, false, "(`subject: service`) the Service has a selector (false: its endpoints are managed by hand); unknown when the source does not show it (`get svc` without `-o wide`)";
    ServiceSelects = "service.selects", AtLeast, false, "(`subject: service`) pods its selector matches at least this; unknown when none match and the namespace's pods were not listed";
    ServiceUnmatched = "service.unmatched", Flag, false, "(`subject: service`) its selector matches no pod of its namespace; unknown when the namespace's pods were not listed or the selector was not shown";
    ServiceReadyEndpoints = "service.ready_endpoints", AtLeast, false, "(`subject: service`) ready endpoints at least this (the cluster's endpoints, else the ready selected pods)";
    ServiceNotReadyPod = "service.not_ready_pod", Whole, false, "(`subject: service`) a selected pod that is not ready, by name";
    ServiceUnservedPort = "service.unserved_port", Whole, false, "(`subject: service`) a port whose targetPort the selected containers do not serve, as `PORT->TARGET` (`80->8080`)";
    ServiceProtocolMismatch = "service.protocol_mismatch", Whole, false, "(`subject: service`) a port whose protocol differs from the container port's, as `PORT/PROTOCOL->PROTOCOL` (`53/UDP->TCP`)";
}

impl Field {
    /// True for the fields of a Service subject (`service.*`), which only `subject: service`
    /// playbooks may read (and they read nothing else).
    pub fn of_service(self) -> bool {
        self.name().starts_with("service.")
    }
}
