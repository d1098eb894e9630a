//! The user's configuration file: default flags and accepted problems.
//!
//! ```yaml
//! playbooks: [/etc/kubedoctor/playbooks]   # added to --playbooks
//! fail-on: critical                         # when --fail-on is not given
//! output: json                              # when -o is not given
//! exclude-namespaces: [kube-system]         # never diagnosed unless named with -n
//! ignore:                                   # accepted problems
//!   - cause: image.rate-limit               # a cause id, `*` globs allowed
//!     namespace: ci-*                       # optional globs
//!     pod: runner-*
//!     owner: deployment/legacy-*
//!     until: 2027-01-31                     # optional: after this day the rule is a warning
//!     reason: waiting for the registry mirror
//! ```
//!
//! Found at `--config`, `KUBEDOCTOR_CONFIG`, or `$XDG_CONFIG_HOME/kubedoctor/config.yaml`
//! (`~/.config/kubedoctor/config.yaml`); a missing default file is no configuration.

use crate::cli::FailOn;
use crate::engine::PodDiagnosis;
use crate::glob;
use crate::report::render::Format;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration `{path}`: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("configuration `{path}`: {detail}")]
    Invalid { path: PathBuf, detail: String },
}

/// The file's content.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub playbooks: Vec<PathBuf>,
    pub fail_on: Option<FailOn>,
    pub output: Option<Format>,
    pub exclude_namespaces: Vec<String>,
    pub ignore: Vec<IgnoreRule>,
}

/// An accepted problem: pods whose top finding it matches leave the report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreRule {
    pub cause: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub pod: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub until: Option<jiff::civil::Date>,
    #[serde(default)]
    pub reason: Option<String>,
}

impl IgnoreRule {
    /// Whether the rule silences a pod's diagnosis.
    fn matches(&self, d: &PodDiagnosis) -> bool {
        let Some(top) = d.top() else {
            return false;
        };
        glob::matches(&self.cause, &top.id)
            && self
                .namespace
                .as_deref()
                .is_none_or(|g| glob::matches(g, &d.namespace))
            && self
                .pod
                .as_deref()
                .is_none_or(|g| glob::matches(g, &d.name))
            && self
                .owner
                .as_deref()
                .is_none_or(|g| d.owner.as_deref().is_some_and(|o| glob::matches(g, o)))
    }

    /// `cause image.rate-limit in namespace ci-*` and the reason, for notes.
    fn describe(&self) -> String {
        let mut s = format!("cause {}", self.cause);
        for (what, v) in [
            ("namespace", &self.namespace),
            ("pod", &self.pod),
            ("owner", &self.owner),
        ] {
            if let Some(v) = v {
                s.push_str(&format!(", {what} {v}"));
            }
        }
        if let Some(r) = &self.reason {
            s.push_str(&format!(": {r}"));
        }
        s
    }
}

/// Where the configuration comes from: the flag (or `KUBEDOCTOR_CONFIG`, which clap reads
/// into it), else the default path when that file exists.
pub fn path(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    let p = base.join("kubedoctor").join("config.yaml");
    p.is_file().then_some(p)
}

/// Reads and checks a configuration file; errors name the line and the field.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    serde_saphyr::from_str::<Config>(&text).map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        // The first line names line, column and field; the rest is a source excerpt.
        detail: e
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string(),
    })
}

/// What the ignore rules did in a run, as notes for the report.
#[derive(Debug, Default)]
pub struct Silenced {
    /// Rules past their `until` date, not applied (also worth a warning on stderr).
    pub expired: Vec<String>,
    /// How many pods each applied rule silenced.
    pub applied: Vec<String>,
}

impl Config {
    /// Removes the diagnoses that an unexpired rule silences; says how many pods each rule
    /// silenced, and which rules had expired (and were not applied).
    pub fn silence(&self, diagnoses: &mut Vec<PodDiagnosis>, today: jiff::civil::Date) -> Silenced {
        let mut expired = Vec::new();
        let mut notes = Vec::new();
        let mut counts = vec![0usize; self.ignore.len()];
        let live: Vec<bool> = self
            .ignore
            .iter()
            .enumerate()
            .map(|(i, r)| match r.until {
                Some(until) if until < today => {
                    expired.push(format!(
                        "ignore rule {} ({}) expired on {until} and was not applied",
                        i + 1,
                        r.describe()
                    ));
                    false
                }
                _ => true,
            })
            .collect();
        diagnoses.retain(|d| {
            let hit = self
                .ignore
                .iter()
                .enumerate()
                .find(|(i, r)| live[*i] && r.matches(d));
            match hit {
                Some((i, _)) => {
                    counts[i] += 1;
                    false
                }
                None => true,
            }
        });
        for (i, n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            notes.push(format!(
                "{} silenced by ignore rule {} ({})",
                crate::words::count(*n as u64, "pod", "pods"),
                i + 1,
                self.ignore[i].describe()
            ));
        }
        Silenced {
            expired,
            applied: notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_bad_values_name_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.yaml");
        std::fs::write(
            &p,
            "fail-on: critical\nignore:\n  - cause: x\n    nmespace: y\n",
        )
        .unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("nmespace") && e.contains('4'), "{e}");
        std::fs::write(&p, "output: yaml\n").unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("yaml") && e.contains('1'), "{e}");
        std::fs::write(&p, "ignore:\n  - cause: x\n    until: someday\n").unwrap();
        assert!(load(&p).is_err());
    }
}
