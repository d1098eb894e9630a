//! Diagnosing for `watch`: a pod that just turned unhealthy (and held) is gathered as a
//! live `diagnose` of that one pod gathers it (its pod, events, owners, logs of the failing
//! containers, its node and the node's journal: `commands::live::gather_on`, the same code),
//! then run through the engine, the configuration's ignore rules and the pods'
//! `kubedoctor.io/ignore` annotations into a report of that pod. With `--capture-dir` the
//! gathered objects are first written as a bundle (the one `diagnose --from` reads to the
//! same finding), kept only if the pod brings a new problem.

use crate::cli::{ClusterArgs, SelectArgs};
use crate::commands::{live, select};
use crate::config::Config;
use crate::engine;
use crate::error::RunError;
use crate::evidence::{Evidence, SourceInfo, SourceKind};
use crate::playbook::Playbooks;
use crate::report::{Report, redact};
use crate::sources::bundle::write::{CaptureInfo, write};
use crate::sources::cluster::Connection;
use std::path::PathBuf;
use std::sync::Arc;

use super::tracker::ProblemId;

/// What every diagnosis of a watch shares.
pub struct Context {
    pub playbooks: Playbooks,
    pub config: Config,
    pub cluster: ClusterArgs,
    pub no_redact: bool,
    /// `--capture-dir`: where pending bundles are written.
    pub capture_dir: Option<PathBuf>,
    /// The targets a pod must match, parsed once (none: every pod in scope).
    pub targets: Vec<crate::sources::cluster::Target>,
    /// The configuration's `exclude_namespaces` apply (no `-n` given).
    pub exclude_namespaces: bool,
}

/// A diagnosis of one pod (or, at start, of the whole scope).
pub struct Diagnosed {
    /// `namespace/name` (empty for the scope).
    pub pod: String,
    pub report: Option<Report>,
    /// A bundle written for it, pending: renamed when the pod brings a new problem.
    pub bundle: Option<PathBuf>,
    /// Why there is no report.
    pub error: Option<String>,
}

impl Diagnosed {
    /// The pod's problem: its group in the report (none when the pod is healthy by now,
    /// silenced, or not among the targets).
    pub fn problem(&self) -> Option<ProblemId> {
        let report = self.report.as_ref()?;
        report
            .groups
            .iter()
            .find(|g| g.pods.contains(&self.pod))
            .map(|g| ProblemId {
                cause: g.id.clone(),
                key: g.key.clone(),
            })
    }
}

/// Gathers and diagnoses `scope` on `conn`; `pod` names the one pod (empty for a scope).
pub async fn diagnose(
    conn: Arc<Connection>,
    ctx: Arc<Context>,
    scope: SelectArgs,
    pod: String,
    serial: u64,
) -> Diagnosed {
    let capture = ctx.capture_dir.is_some() && !pod.is_empty();
    let purpose = if capture {
        live::Purpose::Capture
    } else {
        live::Purpose::Diagnose {
            local_journal: false,
        }
    };
    let run = live::gather_on(&conn, &scope, &ctx.cluster, &ctx.playbooks, purpose).await;
    let mut run = match run {
        Ok(r) => r,
        Err(e) => {
            return Diagnosed {
                pod,
                report: None,
                bundle: None,
                error: Some(crate::error::one_line(&e)),
            };
        }
    };
    let ctx2 = ctx.clone();
    let server = run.server.clone();
    tokio::task::spawn_blocking(move || {
        let mut bundle = None;
        if let (true, Some(dir)) = (capture, &ctx2.capture_dir) {
            if !ctx2.no_redact {
                run.raw.redact();
            }
            let pending = dir.join(format!(".pending-{}-{serial}", std::process::id()));
            let info = CaptureInfo {
                scope: format!(
                    "namespace {}, targets {}",
                    scope.namespace.as_deref().unwrap_or_default(),
                    scope.pods.join(" ")
                ),
                server_version: run.version.clone(),
                kubedoctor_version: env!("CARGO_PKG_VERSION").to_string(),
            };
            match write(&pending, &run.raw, &info) {
                Ok(()) => bundle = Some(pending),
                Err(e) => run.raw.notes.push(format!(
                    "the capture for {pod} could not be written: {}",
                    crate::error::one_line(&e)
                )),
            }
        }
        let evidence = run.raw.into_evidence(SourceInfo {
            kind: SourceKind::Cluster,
            location: server,
        });
        match report_of(evidence, &scope, &ctx2) {
            Ok(report) => Diagnosed {
                pod,
                report: Some(report),
                bundle,
                error: None,
            },
            Err(e) => Diagnosed {
                pod,
                report: None,
                bundle,
                error: Some(crate::error::one_line(&e)),
            },
        }
    })
    .await
    .unwrap_or_else(|e| Diagnosed {
        pod: String::new(),
        report: None,
        bundle: None,
        error: Some(format!("a diagnosis failed: {e}")),
    })
}

/// The report of what was gathered, as `diagnose` makes it: engine, Services, chains,
/// narrowing to the targets, silences, redaction.
fn report_of(
    mut evidence: Evidence,
    scope: &SelectArgs,
    ctx: &Context,
) -> Result<Report, RunError> {
    let narrowing = select::apply(&mut evidence, scope)?;
    if ctx.exclude_namespaces {
        ctx.config.exclude_from(&mut evidence);
    }
    let (mut diagnoses, mut services) = engine::diagnose_all(&evidence, &ctx.playbooks);
    narrowing.after_engine(&mut diagnoses, &services);
    // Only the targets' pods (a workload's: by its owner) are watched.
    if !ctx.targets.is_empty() {
        diagnoses.retain(|d| {
            matches_targets(
                &ctx.targets,
                &d.namespace,
                &d.name,
                d.owner.as_deref(),
                d.node.as_deref(),
            )
        });
    }
    let now = jiff::Timestamp::now();
    let (annotated, malformed) = crate::silence::annotation::rules(&evidence.pods);
    let silenced = ctx.config.silence(
        annotated,
        &mut diagnoses,
        &mut services,
        now.to_zoned(jiff::tz::TimeZone::UTC).date(),
    );
    let mut report = Report::build(
        evidence.source.clone(),
        diagnoses,
        services,
        evidence
            .notes
            .iter()
            .cloned()
            .chain(silenced.expired)
            .chain(malformed)
            .collect(),
        now.to_string(),
    );
    if !ctx.no_redact {
        redact::report(&mut report);
    }
    Ok(report)
}

/// Whether a pod is one of the targets: by name (`NAME`, `NS/NAME`), by its workload
/// (`deployment/web`, `KIND/NS/NAME`), or by its node (`node/NAME`).
pub fn matches_targets(
    targets: &[crate::sources::cluster::Target],
    namespace: &str,
    name: &str,
    owner: Option<&str>,
    node: Option<&str>,
) -> bool {
    use crate::sources::cluster::Target;
    targets.iter().any(|t| match t {
        Target::Pod {
            namespace: ns,
            name: n,
        } => n == name && ns.as_deref().is_none_or(|ns| ns == namespace),
        Target::Node(n) => node == Some(n.as_str()),
        Target::Workload {
            kind,
            namespace: ns,
            name: n,
        } => {
            ns.as_deref().is_none_or(|ns| ns == namespace)
                && owner.is_some_and(|o| {
                    o.split_once('/')
                        .is_some_and(|(k, on)| on == n && k.eq_ignore_ascii_case(kind))
                })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::matches_targets;
    use crate::sources::cluster::Target;

    fn targets(ts: &[&str]) -> Vec<Target> {
        ts.iter().map(|t| Target::parse(t).unwrap()).collect()
    }

    #[test]
    fn a_pod_matches_by_name_workload_or_node() {
        let owner = Some("deployment/web");
        let node = Some("worker-1");
        let is = |ts: &[&str], ns: &str, name: &str| {
            matches_targets(&targets(ts), ns, name, owner, node)
        };
        assert!(is(&["web-1"], "shop", "web-1"));
        assert!(is(&["shop/web-1"], "shop", "web-1"));
        assert!(!is(&["other/web-1"], "shop", "web-1"));
        assert!(!is(&["web-2"], "shop", "web-1"));
        assert!(is(&["deployment/web"], "shop", "web-1"));
        assert!(is(&["deploy/shop/web"], "shop", "web-1"));
        assert!(!is(&["deployment/api"], "shop", "web-1"));
        assert!(!is(&["statefulset/web"], "shop", "web-1"));
        assert!(!is(&["deployment/other/web"], "shop", "web-1"));
        assert!(is(&["node/worker-1"], "shop", "web-1"));
        assert!(!is(&["node/worker-2"], "shop", "web-1"));
        assert!(is(&["web-2", "node/worker-1"], "shop", "web-1"));
    }
}
