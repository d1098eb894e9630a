//! Sample bundles with expectations: a directory holding a bundle and an `expected.yaml`
//! that maps `namespace/pod` to the cause id expected as its top finding. Pods not listed
//! must get nothing above info. Used by `kubedoctor playbooks test` and the test suite.

use crate::engine::diagnose;
use crate::playbook::{Playbooks, Severity};
use crate::sources::bundle;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One checked expectation (or a healthy pod that got a finding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The sample directory's name.
    pub sample: String,
    /// `namespace/pod`.
    pub pod: String,
    /// The expected top cause; `None` for a pod that must stay at info or below.
    pub expected: Option<String>,
    /// The top cause found, with its severity.
    pub got: Option<(String, Severity)>,
}

impl Check {
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

/// Diagnoses one sample and checks every pod: listed pods against their expected top
/// cause, the others against "nothing above info".
pub fn check_sample(dir: &Path, playbooks: &Playbooks) -> Result<Vec<Check>, String> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let expected = expectations(dir)?;
    let evidence = bundle::read(dir).map_err(|e| format!("{name}: {e}"))?;
    let diagnoses = diagnose(&evidence, playbooks);
    let mut checks = Vec::new();
    for d in &diagnoses {
        let key = d.key();
        let got = d.top().map(|f| (f.id.clone(), f.severity));
        let want = expected.get(&key).cloned();
        if want.is_some() || got.as_ref().is_some_and(|(_, s)| *s > Severity::Info) {
            checks.push(Check {
                sample: name.clone(),
                pod: key,
                expected: want,
                got,
            });
        }
    }
    for key in expected.keys() {
        if !diagnoses.iter().any(|d| &d.key() == key) {
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
