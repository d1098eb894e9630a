//! The user's configuration file: default flags and accepted problems.
//!
//! ```yaml
//! playbooks: [/etc/kubedoctor/playbooks]   # added to --playbooks
//! fail-on: critical                         # when --fail-on is not given
//! output: json                              # when -o is not given
//! exclude-namespaces: [kube-system]         # never diagnosed unless named with -n
//! webhook-ca: /etc/kubedoctor/ca.pem        # when --webhook-ca is not given
//! ignore:                                   # accepted problems
//!   - cause: image.rate-limit               # a cause id, `*` globs allowed
//!     namespace: ci-*                       # optional globs
//!     pod: runner-*
//!     owner: deployment/legacy-*
//!     # service: legacy-*                   # a Service instead of pods
//!     until: 2027-01-31                     # optional: after this day the rule is a warning
//!     reason: waiting for the registry mirror
//! ```
//!
//! Found at `--config`, `KUBEDOCTOR_CONFIG`, or `$XDG_CONFIG_HOME/kubedoctor/config.yaml`
//! (`~/.config/kubedoctor/config.yaml`); a missing default file is no configuration.

use crate::cli::FailOn;
use crate::engine::{Finding, PodDiagnosis, ServiceDiagnosis};
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
    pub webhook_ca: Option<PathBuf>,
    pub ignore: Vec<IgnoreRule>,
}

/// An accepted problem: pods and Services whose top finding it matches leave the report. A
/// rule with `pod` or `owner` is about pods only, one with `service` about Services only;
/// one with neither matches both.
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
    /// A glob on the Service's name.
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub until: Option<jiff::civil::Date>,
    #[serde(default)]
    pub reason: Option<String>,
}

impl IgnoreRule {
    /// Whether the rule's cause and namespace match a top finding in a namespace.
    fn matches_finding(&self, top: Option<&Finding>, namespace: &str) -> bool {
        top.is_some_and(|top| glob::matches(&self.cause, &top.id))
            && self
                .namespace
                .as_deref()
                .is_none_or(|g| glob::matches(g, namespace))
    }

    /// Whether the rule silences a Service's diagnosis.
    fn matches_service(&self, d: &ServiceDiagnosis) -> bool {
        self.pod.is_none()
            && self.owner.is_none()
            && self.matches_finding(d.top(), &d.namespace)
            && self
                .service
                .as_deref()
                .is_none_or(|g| glob::matches(g, &d.name))
    }

    /// Whether the rule silences a pod's diagnosis.
    fn matches(&self, d: &PodDiagnosis) -> bool {
        self.service.is_none()
            && self.matches_finding(d.top(), &d.namespace)
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
            ("service", &self.service),
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

/// The playbook directories a command uses: those given on its command line, then those of
/// the configuration (`KUBEDOCTOR_CONFIG`, else the default file), so `explain` and
/// `playbooks list|show` see the causes a `diagnose` run would.
pub fn playbook_dirs(given: &[PathBuf]) -> Result<Vec<PathBuf>, ConfigError> {
    let flag = std::env::var_os("KUBEDOCTOR_CONFIG")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let mut dirs = given.to_vec();
    if let Some(path) = path(flag.as_deref()) {
        dirs.extend(load(&path)?.playbooks);
    }
    Ok(dirs)
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
    let config = serde_saphyr::from_str::<Config>(&text).map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        // The first line names line, column and field; the rest is a source excerpt.
        detail: e
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string(),
    })?;
    // A rule about a Service and about pods would match nothing.
    if let Some(i) = config
        .ignore
        .iter()
        .position(|r| r.service.is_some() && (r.pod.is_some() || r.owner.is_some()))
    {
        return Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            detail: format!(
                "ignore rule {}: `service` cannot go with `pod` or `owner` (a rule is about pods or about Services)",
                i + 1
            ),
        });
    }
    Ok(config)
}

/// What the ignore rules did in a run, as notes for the report.
#[derive(Debug, Default)]
pub struct Silenced {
    /// Rules past their `until` date, not applied (also worth a warning on stderr).
    pub expired: Vec<String>,
    /// How many pods and Services each applied rule silenced.
    pub applied: Vec<String>,
    /// Services silenced (they were scanned: the summary still counts them).
    pub services: usize,
}

impl Config {
    /// Removes the diagnoses of pods and Services that an unexpired rule silences; says how
    /// many pods and Services each rule silenced, and which rules had expired (and were not
    /// applied).
    pub fn silence(
        &self,
        diagnoses: &mut Vec<PodDiagnosis>,
        services: &mut Vec<ServiceDiagnosis>,
        today: jiff::civil::Date,
    ) -> Silenced {
        let mut expired = Vec::new();
        let mut notes = Vec::new();
        let mut counts = vec![0usize; self.ignore.len()];
        let mut service_counts = vec![0usize; self.ignore.len()];
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
        services.retain(|d| {
            let hit = self
                .ignore
                .iter()
                .enumerate()
                .find(|(i, r)| live[*i] && r.matches_service(d));
            match hit {
                Some((i, _)) => {
                    service_counts[i] += 1;
                    false
                }
                None => true,
            }
        });
        for (i, (pods, services)) in counts.iter().zip(&service_counts).enumerate() {
            let what = match (*pods, *services) {
                (0, 0) => continue,
                (p, 0) => crate::words::count(p as u64, "pod", "pods"),
                (0, s) => crate::words::count(s as u64, "Service", "Services"),
                (p, s) => format!(
                    "{} and {}",
                    crate::words::count(p as u64, "pod", "pods"),
                    crate::words::count(s as u64, "Service", "Services")
                ),
            };
            notes.push(format!(
                "{what} silenced by ignore rule {} ({})",
                i + 1,
                self.ignore[i].describe()
            ));
        }
        Silenced {
            expired,
            applied: notes,
            services: service_counts.iter().sum(),
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
        std::fs::write(&p, "output: xml\n").unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("xml") && e.contains('1'), "{e}");
        std::fs::write(&p, "ignore:\n  - cause: x\n    until: someday\n").unwrap();
        assert!(load(&p).is_err());
    }

    fn finding(id: &str) -> Finding {
        Finding {
            id: id.into(),
            title: "t".into(),
            severity: crate::playbook::Severity::Warning,
            score: 0.9,
            explain: String::new(),
            evidence: Vec::new(),
            fixes: Vec::new(),
            docs: None,
            detail: None,
            said: Vec::new(),
            standing: Default::default(),
            tell_apart: None,
            container: None,
            group_key: String::new(),
            rank_first: false,
            specificity: 0,
            order: 0,
        }
    }

    fn service(ns: &str, name: &str, cause: &str) -> ServiceDiagnosis {
        ServiceDiagnosis {
            namespace: ns.into(),
            name: name.into(),
            findings: vec![finding(cause)],
            ..Default::default()
        }
    }

    fn config(yaml: &str) -> Config {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn a_service_rule_silences_services_and_a_pod_rule_does_not() {
        let today = jiff::civil::date(2026, 1, 1);
        let mut services = vec![
            service("shop", "web", "service.no-endpoints"),
            service("shop", "legacy-api", "service.no-endpoints"),
            service("ci", "runner", "service.port-mismatch"),
        ];
        let c = config(
            "ignore:\n  - cause: service.*\n    service: legacy-*\n    reason: retired\n  - cause: '*'\n    pod: runner\n",
        );
        let s = c.silence(&mut Vec::new(), &mut services, today);
        let left: Vec<String> = services.iter().map(ServiceDiagnosis::key).collect();
        assert_eq!(
            left,
            ["shop/web", "ci/runner"],
            "a `pod` rule is for pods only"
        );
        assert_eq!(s.services, 1);
        assert_eq!(
            s.applied,
            ["1 Service silenced by ignore rule 1 (cause service.*, service legacy-*: retired)"]
        );
        // A rule naming only a cause and a namespace is for both.
        let c = config("ignore:\n  - cause: service.port-mismatch\n    namespace: ci\n");
        let s = c.silence(&mut Vec::new(), &mut services, today);
        assert_eq!(services.len(), 1);
        assert_eq!(s.services, 1);
    }

    #[test]
    fn a_rule_names_a_service_or_pods_not_both() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.yaml");
        std::fs::write(&p, "ignore:\n  - cause: x\n    service: web\n").unwrap();
        assert_eq!(load(&p).unwrap().ignore[0].service.as_deref(), Some("web"));
        std::fs::write(
            &p,
            "ignore:\n  - cause: x\n  - cause: y\n    service: web\n    pod: web-1\n",
        )
        .unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(
            e.contains("ignore rule 2") && e.contains("`service`"),
            "{e}"
        );
    }
}
