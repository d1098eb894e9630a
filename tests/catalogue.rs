//! The message catalogue (`catalogue/*.yaml`): every upstream wording of every failure,
//! put where a user would see it — in a `kubectl describe pod` text, as an Events row, and as
//! a bare pasted line — must get its cause ranked first. The renderings are built here from
//! each entry's kind (see `catalogue/README.md`).

use kubedoctor::engine::diagnose;
use kubedoctor::playbook::Playbooks;
use kubedoctor::sources::text::{self, Input, Role};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Entry {
    cause: String,
    kind: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    status: Option<String>,
    message: String,
    #[serde(default)]
    exit_code: Option<i32>,
    #[serde(default)]
    object: Option<String>,
    #[serde(default, rename = "type")]
    type_: Option<String>,
    origin: String,
    /// Placements this entry is not checked in, with the reason in `origin`.
    #[serde(default)]
    skip: Vec<String>,
}

/// A cause no component prints a message for, and what proves it instead.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct WithoutMessage {
    cause: String,
    evidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    entries: Vec<Entry>,
    /// Causes of the family with no upstream message (`catalogue/README.md`).
    #[serde(default)]
    without_message: Vec<WithoutMessage>,
}

fn entries() -> Vec<(String, usize, Entry)> {
    files()
        .into_iter()
        .flat_map(|(name, f)| {
            f.entries
                .into_iter()
                .enumerate()
                .map(move |(i, e)| (name.clone(), i, e))
        })
        .collect()
}

/// The causes marked as having no upstream message, with their file.
fn without_message() -> Vec<(String, WithoutMessage)> {
    files()
        .into_iter()
        .flat_map(|(name, f)| {
            f.without_message
                .into_iter()
                .map(move |w| (name.clone(), w))
        })
        .collect()
}

fn files() -> Vec<(String, File)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let parsed: File = serde_saphyr::from_str(&std::fs::read_to_string(&f).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, parsed)
        })
        .collect()
}

const POD: &str = "shop-api-6d9f7c8b5-4xk9p";
const NODE: &str = "worker-2";

/// Indents every line of a (possibly multi-line) value under a describe key.
fn block(value: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    value
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The describe text of a pod showing the entry.
fn describe(e: &Entry) -> (String, Vec<Input>) {
    let status = e.status.clone().unwrap_or_else(|| default_status(e));
    let (phase, init) = match status.as_str() {
        "Pending"
        | "ContainerCreating"
        | "ErrImagePull"
        | "ImagePullBackOff"
        | "ErrImageNeverPull"
        | "InvalidImageName"
        | "RegistryUnavailable"
        | "CreateContainerConfigError"
        | "CreateContainerError"
        | "PodsNotCreated" => ("Pending", false),
        s if s.starts_with("Init:") => ("Pending", true),
        "Evicted"
        | "OutOfcpu"
        | "OutOfmemory"
        | "NodeAffinity"
        | "SysctlForbidden"
        | "UnexpectedAdmissionError"
        | "DeadlineExceeded"
        | "MatchNodeSelector"
        | "TopologyAffinityError"
        | "NodeShutdown"
        | "Error"
        | "ContainerStatusUnknown" => ("Failed", false),
        s if s.starts_with("OutOf") => ("Failed", false),
        _ => ("Running", false),
    };
    let mut top = format!("Name:         {POD}\nNamespace:    shop\n");
    if status != "Pending" {
        top.push_str(&format!("Node:         {NODE}/10.0.3.12\n"));
    }
    let status_line = match status.as_str() {
        "Terminating" => "Terminating (lasts 2h)".to_string(),
        _ => phase.to_string(),
    };
    top.push_str(&format!("Status:       {status_line}\n"));
    let pod_level = e.kind == "pod-status";
    if !pod_level
        && phase == "Failed"
        && !matches!(
            status.as_str(),
            "Error" | "Failed" | "ContainerStatusUnknown"
        )
    {
        // A pod the kubelet rejected or evicted carries the reason at the pod level.
        top.push_str(&format!("Reason:       {status}\n"));
    }
    if pod_level {
        top.push_str(&format!(
            "Reason:       {}\nMessage:      {}\n",
            e.reason.as_deref().unwrap_or(&status),
            block(&e.message, 14)
        ));
    }
    top.push_str("Controlled By:  ReplicaSet/shop-api-6d9f7c8b5\n");
    // The container (init container for Init: statuses).
    let inner = status.strip_prefix("Init:").unwrap_or(&status).to_string();
    let exit = e.exit_code.unwrap_or(1);
    let (state, last) = match (e.kind.as_str(), inner.as_str()) {
        ("waiting", _) => (
            format!(
                "Waiting\n      Reason:       {}\n      Message:      {}",
                e.reason.as_deref().unwrap_or(&inner),
                block(&e.message, 20)
            ),
            None,
        ),
        ("terminated", _) => {
            let reason = e.reason.as_deref().unwrap_or("Error");
            let msg = if e.message.trim().is_empty() {
                String::new()
            } else {
                format!("\n      Message:      {}", block(&e.message, 20))
            };
            let t = format!(
                "Terminated\n      Reason:       {reason}{msg}\n      Exit Code:    {}",
                e.exit_code.unwrap_or(1)
            );
            if matches!(inner.as_str(), "CrashLoopBackOff" | "Running") {
                (
                    if inner == "Running" {
                        "Running".into()
                    } else {
                        "Waiting\n      Reason:       CrashLoopBackOff".into()
                    },
                    Some(t),
                )
            } else {
                (t, None)
            }
        }
        (_, "CrashLoopBackOff") => (
            "Waiting\n      Reason:       CrashLoopBackOff".into(),
            Some(format!(
                "Terminated\n      Reason:       {}\n      Exit Code:    {exit}",
                if exit == 0 {
                    "Completed"
                } else if exit == 137 && e.cause == "crash.oom" {
                    "OOMKilled"
                } else {
                    "Error"
                }
            )),
        ),
        (_, "OOMKilled") => (
            "Waiting\n      Reason:       CrashLoopBackOff".into(),
            Some("Terminated\n      Reason:       OOMKilled\n      Exit Code:    137".into()),
        ),
        (_, "Running" | "Terminating" | "Unknown") => ("Running".into(), None),
        (_, "Pending" | "PodsNotCreated") => (String::new(), None),
        (_, s) if s.contains('/') => ("Running".into(), None),
        (_, "Failed" | "Evicted" | "Error" | "ContainerStatusUnknown") if phase == "Failed" => (
            "Terminated\n      Reason:       Error\n      Exit Code:    137".into(),
            None,
        ),
        (_, s) if phase == "Failed" && !s.is_empty() => (String::new(), None),
        (_, s) => (format!("Waiting\n      Reason:       {s}"), None),
    };
    let restarts = if last.is_some() || e.kind == "terminated" {
        5
    } else {
        0
    };
    let mut container =
        "  api:\n    Image:          registry.example.com/shop/api:2.4.1\n".to_string();
    if !state.is_empty() {
        container.push_str(&format!("    State:          {state}\n"));
    }
    if let Some(l) = &last {
        container.push_str(&format!("    Last State:     {l}\n"));
    }
    container.push_str(&format!(
        "    Ready:          False\n    Restart Count:  {restarts}\n"
    ));
    if init {
        top.push_str("Init Containers:\n");
        top.push_str(&container.replace("  api:", "  wait-deps:"));
        top.push_str(
            "Containers:\n  api:\n    Image:          registry.example.com/shop/api:2.4.1\n    State:          Waiting\n      Reason:       PodInitializing\n    Ready:          False\n    Restart Count:  0\n",
        );
    } else {
        top.push_str("Containers:\n");
        top.push_str(&container);
    }
    top.push_str("Conditions:\n  Type              Status\n");
    if status == "Pending" {
        top.push_str("  PodScheduled      False\n");
    } else {
        top.push_str("  PodScheduled      True\n  Ready             False\n");
    }
    top.push_str(
        "Events:\n  Type     Reason  Age  From  Message\n  ----     ------  ----  ----  -------\n",
    );
    let mut inputs = Vec::new();
    match e.kind.as_str() {
        "event" => top.push_str(&format!("{}\n", row(e))),
        "log" => inputs.push(Input {
            name: "previous.log".into(),
            text: format!("{}\n", e.message),
            role: if init || inner.contains('/') {
                Role::Logs
            } else {
                Role::PreviousLogs
            },
        }),
        "journal" => inputs.push(Input {
            name: "kubelet.log".into(),
            text: format!(
                "Nov 20 10:59:50 {NODE} kubelet[1234]: {}\n",
                e.message.replace('\n', " ")
            ),
            role: Role::Journal,
        }),
        "node-condition" | "node-event" => inputs.push(Input {
            name: "node.txt".into(),
            text: describe_node(e),
            role: Role::Node,
        }),
        "owner-event" => inputs.push(Input {
            name: "events.txt".into(),
            text: format!(
                "LAST SEEN   TYPE      REASON         OBJECT                            MESSAGE\n2m          Warning   {}   {}   {}\n",
                e.reason.as_deref().unwrap_or("FailedCreate"),
                e.object.as_deref().unwrap_or("replicaset/shop-api-6d9f7c8b5"),
                e.message.replace('\n', " ")
            ),
            role: Role::Events,
        }),
        _ => {}
    }
    (top, inputs)
}

fn describe_node(e: &Entry) -> String {
    let mut conditions = vec![
        (
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
        ),
        (
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
    ];
    let mut events = String::new();
    let msg = e.message.replace('\n', " ");
    if e.kind == "node-condition" {
        let reason = e.reason.as_deref().unwrap_or("Ready=False");
        let (t, s) = reason.split_once('=').unwrap_or((reason, "True"));
        conditions.retain(|c| c.0 != t);
        conditions.push((t, s, "NotReadyReason", msg.as_str()));
    } else {
        events = format!(
            "Events:\n  Type     Reason  Age  From  Message\n  ----     ------  ----  ----  -------\n  {}  {}  3m (x4 over 20m)  kubelet  {msg}\n",
            e.type_.as_deref().unwrap_or("Warning"),
            e.reason.as_deref().unwrap_or("Warning")
        );
    }
    let mut text = format!(
        "Name:               {NODE}\nRoles:              <none>\nTaints:             <none>\nUnschedulable:      false\n"
    );
    // A node event comes with its condition, which the entry does not give: unknown.
    if e.kind == "node-event" {
        conditions.clear();
    } else {
        text.push_str("Conditions:\n  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n  ----             ------  -----------------                 ------------------                ------                       -------\n");
    }
    for (t, s, r, m) in conditions {
        text.push_str(&format!(
            "  {t:<16} {s:<7} Thu, 20 Nov 2026 10:59:50 +0000   Thu, 20 Nov 2026 10:40:00 +0000   {r:<28} {m}\n"
        ));
    }
    text.push_str(&events);
    text
}

/// The Events row of a describe.
fn row(e: &Entry) -> String {
    format!(
        "  {}  {}  2m (x3 over 5m)  kubelet  {}",
        e.type_.as_deref().unwrap_or("Warning"),
        e.reason.as_deref().unwrap_or("Failed"),
        e.message.replace('\n', "\n  ")
    )
}

/// The status a pod shows with an entry that names none: by its kind, else its cause's family.
fn default_status(e: &Entry) -> String {
    match e.kind.as_str() {
        "log" | "terminated" => return "CrashLoopBackOff".into(),
        "pod-status" => return e.reason.clone().unwrap_or_else(|| "Failed".into()),
        "owner-event" => return "PodsNotCreated".into(),
        _ => {}
    }
    let family = e.cause.split('.').next().unwrap_or_default();
    match (family, e.cause.as_str()) {
        ("image", _) => "ErrImagePull",
        ("sched", _) => "Pending",
        ("mount" | "sandbox", _) => "ContainerCreating",
        ("config", _) => "CreateContainerConfigError",
        ("crash" | "init", _) | (_, "hook.poststart" | "probe.liveness" | "probe.startup") => {
            "CrashLoopBackOff"
        }
        ("evicted", _) => "Evicted",
        ("terminating", _) | (_, "hook.prestop") => "Terminating",
        _ => "Running",
    }
    .into()
}

/// The placements of an entry: name, main text, attachments.
fn placements(e: &Entry) -> Vec<(&'static str, Vec<Input>)> {
    let mut out = Vec::new();
    let (describe, mut extra) = describe(e);
    // A message that names another pod than the described one belongs to that pod.
    let other_pod =
        kubedoctor::sources::text::names::pod_in(&e.message).is_some_and(|n| n.name != POD);
    if other_pod {
    } else if e.kind != "owner-event" {
        let mut inputs = vec![Input {
            name: "describe.txt".into(),
            text: describe,
            role: Role::Auto,
        }];
        inputs.append(&mut extra);
        out.push(("describe", inputs));
    } else {
        out.push(("describe", extra));
    }
    let one = |name: &str, text: String, role: Role| {
        vec![Input {
            name: name.into(),
            text,
            role,
        }]
    };
    match e.kind.as_str() {
        "event" => {
            out.push((
                "row",
                one("events.txt", format!("{}\n", row(e)), Role::Auto),
            ));
            out.push((
                "bare",
                one("message.txt", format!("{}\n", e.message), Role::Auto),
            ));
        }
        "waiting" | "pod-status" => out.push((
            "bare",
            one(
                "status.txt",
                format!(
                    "{}: {}\n",
                    e.reason.as_deref().unwrap_or_default(),
                    e.message.replace('\n', " ")
                ),
                Role::Auto,
            ),
        )),
        "log" => out.push((
            "bare",
            one("app.log", format!("{}\n", e.message), Role::Logs),
        )),
        "journal" => out.push((
            "bare",
            one("kubelet.txt", format!("{}\n", e.message), Role::Journal),
        )),
        _ => {}
    }
    out
}

#[test]
fn every_catalogued_message_gets_its_cause_first() {
    let playbooks = Playbooks::embedded().unwrap();
    let ids: Vec<String> = playbooks.causes().map(|(_, c)| c.id.clone()).collect();
    let all = entries();
    assert!(all.len() >= 400, "the catalogue has {} entries", all.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, i, e) in &all {
        assert!(
            ids.contains(&e.cause),
            "{file}#{i}: unknown cause `{}`",
            e.cause
        );
        assert!(
            e.origin.trim().len() > 10,
            "{file}#{i}: every entry names where its wording comes from"
        );
        for (placement, inputs) in placements(e) {
            if e.skip.iter().any(|s| s == placement) {
                continue;
            }
            checked += 1;
            let got = match text::read(&inputs) {
                Ok(ev) => {
                    let d = diagnose(&ev, &playbooks);
                    d.first()
                        .map(|p| {
                            p.findings
                                .iter()
                                .take(3)
                                .map(|f| format!("{} {:.2}", f.id, f.score))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                }
                Err(err) => vec![format!("error: {err}")],
            };
            if got
                .first()
                .is_none_or(|g| g.split(' ').next() != Some(e.cause.as_str()))
            {
                failures.push(format!(
                    "{file}#{i} [{placement}] want {} got {got:?}: {}",
                    e.cause,
                    e.message.chars().take(140).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} placements fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every cause has catalogued messages, or is marked in its family's file as having none
/// (`without_message`, with what proves it instead) — never both.
#[test]
fn every_cause_has_catalogued_messages() {
    let playbooks = Playbooks::embedded().unwrap();
    let ids: Vec<String> = playbooks.causes().map(|(_, c)| c.id.clone()).collect();
    let all = entries();
    let marked = without_message();
    for (file, w) in &marked {
        assert!(
            ids.contains(&w.cause),
            "{file}: unknown cause `{}`",
            w.cause
        );
        assert!(
            w.evidence.trim().len() > 20,
            "{file}: `{}` must say what proves it instead of a message",
            w.cause
        );
        assert!(
            !all.iter().any(|(_, _, e)| e.cause == w.cause),
            "{file}: `{}` has catalogued messages and is marked as having none",
            w.cause
        );
        assert_eq!(
            marked.iter().filter(|(_, m)| m.cause == w.cause).count(),
            1,
            "`{}` is marked twice",
            w.cause
        );
    }
    let missing: Vec<&String> = ids
        .iter()
        .filter(|id| !marked.iter().any(|(_, w)| &w.cause == *id))
        .filter(|id| !all.iter().any(|(_, _, e)| &e.cause == *id))
        .collect();
    assert!(
        missing.is_empty(),
        "causes without catalogued messages (give them entries, or mark them under \
         `without_message` in their family's file): {missing:?}"
    );
}
