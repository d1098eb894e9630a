//! Errors of a run, each mapped to an exit code of DESIGN.md.

/// Why a command could not produce its report.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Bad flags or arguments: exit 2.
    #[error("{0}")]
    Usage(String),
    /// Unreadable or invalid input (bundle, file, playbook): exit 2.
    #[error(transparent)]
    Input(#[from] anyhow::Error),
    /// The cluster could not be reached or refused the credentials: exit 3.
    #[error("{0}")]
    Cluster(String),
    /// The report was written but a webhook did not take it: exit 4.
    #[error(transparent)]
    Delivery(#[from] crate::sinks::webhook::WebhookError),
}

impl RunError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::Usage(_) | RunError::Input(_) => 2,
            RunError::Cluster(_) => 3,
            RunError::Delivery(_) => 4,
        }
    }
}
