//! Errors of a run, each mapped to an exit code (see the README's table): typed, so a caller
//! of the library can tell them apart, and each with its cause as `source`.

use crate::config::ConfigError;
use crate::playbook::PlaybookError;
use crate::report::baseline::BaselineError;
use crate::sinks::http::{CaError, WebhookError};
use crate::sources::SourceError;
use crate::sources::cluster::ClusterError;
use crate::sources::text::TextError;

/// Why a command could not produce its report.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Bad flags or arguments, an unknown target: exit 2.
    #[error("{0}")]
    Usage(String),
    /// A playbook does not load: exit 2.
    #[error("invalid playbook")]
    Playbook(#[source] PlaybookError),
    /// A bundle or file cannot be read: exit 2.
    #[error("cannot read the evidence")]
    Source(#[source] SourceError),
    /// Text in no format kubedoctor reads: exit 2.
    #[error(transparent)]
    Text(#[from] TextError),
    /// The `--baseline` file is not a kubedoctor JSON report: exit 2.
    #[error("invalid baseline")]
    Baseline(#[source] BaselineError),
    /// The configuration file is invalid: exit 2.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Sample bundles (for `playbooks test`) cannot be read: exit 2.
    #[error("invalid samples: {0}")]
    Samples(String),
    /// An output (stdout, a report file, a bundle, manual pages) cannot be written: exit 2.
    #[error("cannot write {what}")]
    Write {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// The bundle of `capture` cannot be written: exit 2.
    #[error("cannot write the bundle")]
    Bundle(#[source] SourceError),
    /// `--webhook-ca` cannot be read or holds no usable certificate: exit 2.
    #[error(transparent)]
    WebhookCa(#[from] CaError),
    /// The async runtime for cluster calls or webhooks cannot start: exit 2.
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
    /// The cluster could not be reached or refused the credentials: exit 3; its
    /// configuration (a kubeconfig, a context, the flags) cannot be used: exit 2.
    #[error(transparent)]
    Cluster(ClusterError),
    /// The report was written but a webhook did not take it: exit 4.
    #[error(transparent)]
    Delivery(#[from] WebhookError),
}

impl RunError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::Cluster(ClusterError::Target(_) | ClusterError::Config { .. }) => 2,
            RunError::Cluster(_) => 3,
            RunError::Delivery(_) => 4,
            _ => 2,
        }
    }

    /// A write error, naming what was written.
    pub fn write(what: &str) -> impl FnOnce(std::io::Error) -> RunError + '_ {
        move |source| RunError::Write {
            what: what.to_string(),
            source,
        }
    }
}

impl From<PlaybookError> for RunError {
    fn from(e: PlaybookError) -> RunError {
        RunError::Playbook(e)
    }
}

impl From<ClusterError> for RunError {
    fn from(e: ClusterError) -> RunError {
        match e {
            ClusterError::Target(m) => RunError::Usage(m),
            other => RunError::Cluster(other),
        }
    }
}

/// An error with its causes on one line (`cannot write x: permission denied`), for the
/// failures said after the first.
pub fn one_line(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
