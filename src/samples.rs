//! Sample bundles with expectations: a directory holding a bundle and an `expected.yaml`
//! that maps `namespace/pod` (or `service/namespace/name` for a Service) to the cause id
//! expected as its top finding. Pods and Services not listed must get nothing above info.
//! Used by `kubedoctor playbooks test` and the test suite.

use crate::engine;
use crate::playbook::{Playbooks, Severity};
use crate::sources::bundle;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One checked expectation (or a healthy pod that got a finding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The sample directory's name.
    pub sample: String,
    /// The subject as `expected.yaml` names it: `namespace/pod`, or
    /// `service/namespace/name` for a Service (see [`service_key`]).
    pub pod: String,
    /// The expected top cause; `None` for a pod that must stay at info or below.
    pub expected: Option<String>,
    /// The top cause found, with its severity.
    pub got: Option<(String, Severity)>,
}

/// The prefix of a Service's key in `expected.yaml`.
pub const SERVICE_PREFIX: &str = "service/";

/// A Service's key in `expected.yaml`: `service/namespace/name`.
pub fn service_key(namespace: &str, name: &str) -> String {
    format!("{SERVICE_PREFIX}{namespace}/{name}")
}

impl Check {
    /// Whether the subject is a Service.
    pub fn is_service(&self) -> bool {
        self.pod.starts_with(SERVICE_PREFIX)
    }

    pub fn passed(&self) -> bool {
        match (&self.expected, &self.got) {
            (Some(want), Some((got, _))) => want == got,
            (Some(_), None) => false,
            (None, Some((_, sev))) => *sev <= Severity::Info,
            (None, None) => true,
        }
    }
}

/// The sample directories under `root` (those with an `expected.yaml`), sorted.
pub fn sample_dirs(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs: Vec<_> = std::fs::read_dir(root)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// The expectations of one sample.
pub fn expectations(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let path = dir.join("expected.yaml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("`{}`: {e}", path.display()))?;
    let map: Option<BTreeMap<String, String>> =
        serde_saphyr::from_str(&text).map_err(|e| format!("`{}`: {e}", path.display()))?;
    Ok(map.unwrap_or_default())
}

/// Diagnoses one sample and checks every pod and every Service (diagnosed after the pods,
/// as a run does): listed ones against their expected top cause, the others against
/// "nothing above info". An expectation for a subject the sample does not have fails.
pub fn check_sample(dir: &Path, playbooks: &Playbooks) -> Result<Vec<Check>, String> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let expected = expectations(dir)?;
    let evidence = bundle::read(dir).map_err(|e| format!("{name}: {e}"))?;
    let (diagnoses, services) = engine::diagnose_all(&evidence, playbooks);
    let subjects = diagnoses.iter().map(|d| (d.key(), d.top())).chain(
        services
            .iter()
            .map(|s| (service_key(&s.namespace, &s.name), s.top())),
    );
    let mut checks = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (key, top) in subjects {
        let got = top.map(|f| (f.id.clone(), f.severity));
        let want = expected.get(&key).cloned();
        if want.is_some() || got.as_ref().is_some_and(|(_, s)| *s > Severity::Info) {
            checks.push(Check {
                sample: name.clone(),
                pod: key.clone(),
                expected: want,
                got,
            });
        }
        seen.insert(key);
    }
    for key in expected.keys() {
        if !seen.contains(key) {
            checks.push(Check {
                sample: name.clone(),
                pod: key.clone(),
                expected: expected.get(key).cloned(),
                got: None,
            });
        }
    }
    Ok(checks)
}

/// Checks every sample under `root`.
pub fn check_all(root: &Path, playbooks: &Playbooks) -> Result<Vec<Check>, String> {
    let dirs = sample_dirs(root).map_err(|e| format!("cannot list `{}`: {e}", root.display()))?;
    let mut all = Vec::new();
    for d in dirs {
        all.extend(check_sample(&d, playbooks)?);
    }
    Ok(all)
}
