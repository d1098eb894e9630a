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
//! Found at `--config`, `KUBEDOCTOR_CONFIG`, or `kubedoctor/config.yaml` in the platform's
//! configuration directory, else in `$XDG_CONFIG_HOME` or `~/.config` ([`locate`]); a
//! missing default file is no configuration.

pub mod locate;

use crate::engine::{PodDiagnosis, ServiceDiagnosis};
use crate::report::FailOn;
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
    /// What finding the file said (two files exist, one is not read), for the report.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// An accepted problem (the same rule the `kubedoctor.io/ignore` annotation makes).
pub type IgnoreRule = crate::silence::Rule;

/// Where the configuration comes from: the flag (or `KUBEDOCTOR_CONFIG`, which clap reads
/// into it), else the first default path whose file exists ([`locate`]).
pub fn path(flag: Option<&Path>) -> Option<PathBuf> {
    lookup(flag).used().map(Path::to_path_buf)
}

/// Every place looked at for the file on this machine, and the one used.
pub fn lookup(flag: Option<&Path>) -> locate::Lookup {
    locate::lookup(flag, &locate::Env::current(), Path::is_file)
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

pub use crate::silence::Silenced;

impl Config {
    /// Leaves out the pods and Services of the excluded namespaces (`exclude-namespaces`);
    /// the commands call it unless the command line names a namespace.
    pub fn exclude_from(&self, evidence: &mut crate::evidence::Evidence) {
        if self.exclude_namespaces.is_empty() {
            return;
        }
        let excluded = |ns: &String| self.exclude_namespaces.contains(ns);
        evidence.pods.retain(|p| !excluded(&p.namespace));
        evidence.services.retain(|s| !excluded(&s.namespace));
    }

    /// Removes the diagnoses of pods and Services that an unexpired rule silences (the
    /// configuration's rules first, then `extra` ones, such as the pods' annotations make);
    /// says how many pods and Services each rule silenced, and which rules had expired (and
    /// were not applied).
    pub fn silence(
        &self,
        extra: Vec<IgnoreRule>,
        diagnoses: &mut Vec<PodDiagnosis>,
        services: &mut Vec<ServiceDiagnosis>,
        today: jiff::civil::Date,
    ) -> Silenced {
        let rules: Vec<IgnoreRule> = self
            .ignore
            .iter()
            .enumerate()
            .map(|(i, r)| IgnoreRule {
                origin: crate::silence::Origin::ConfigRule(i + 1),
                ..r.clone()
            })
            .chain(extra)
            .collect();
        crate::silence::apply(&rules, diagnoses, services, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Finding;

    #[test]
    fn excluded_namespaces_lose_their_pods_and_services() {
        use crate::evidence::{Evidence, Pod, Service};
        let pod = |ns: &str| Pod {
            namespace: ns.into(),
            name: "p".into(),
            ..Pod::default()
        };
        let svc = |ns: &str| Service {
            namespace: ns.into(),
            name: "s".into(),
            ..Service::default()
        };
        let mut evidence = Evidence {
            pods: vec![pod("shop"), pod("kubedoctor")],
            services: vec![svc("kubedoctor"), svc("shop")],
            ..Evidence::default()
        };
        let config = Config {
            exclude_namespaces: vec!["kubedoctor".into()],
            ..Config::default()
        };
        config.exclude_from(&mut evidence);
        assert_eq!(evidence.pods.len(), 1);
        assert_eq!(evidence.pods[0].namespace, "shop");
        assert_eq!(evidence.services.len(), 1);
        assert_eq!(evidence.services[0].namespace, "shop");
        // Nothing excluded: nothing removed.
        Config::default().exclude_from(&mut evidence);
        assert_eq!((evidence.pods.len(), evidence.services.len()), (1, 1));
    }

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
        let s = c.silence(Vec::new(), &mut Vec::new(), &mut services, today);
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
        let s = c.silence(Vec::new(), &mut Vec::new(), &mut services, today);
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
