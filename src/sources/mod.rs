//! Where evidence comes from. Each source turns its input into an [`Evidence`](crate::evidence::Evidence):
//! an evidence bundle directory ([`bundle`]), a `kubectl cluster-info dump` ([`dump`]) or pasted
//! text ([`text`]); Kubernetes objects are
//! converted the same way for every source ([`objects`]).

pub mod bundle;
pub mod cluster;
pub mod dump;
pub mod objects;
pub mod raw;
pub mod read;
pub mod text;

use std::path::PathBuf;

/// Errors a source reports: which file, which object, what was wrong.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not a bundle directory or a file kubedoctor can read")]
    NotABundle { path: PathBuf },
    #[error("no pods could be read from `{path}`: {detail}")]
    Empty { path: PathBuf, detail: String },
    #[error(
        "`{path}` is not text: {percent}% of its first {} KiB are NUL, invalid or control bytes \
         (more than {}% is refused); kubedoctor reads kubectl output, YAML or JSON, journals and logs",
        read::BINARY_SAMPLE_CHARS / 1024,
        read::BINARY_PERCENT
    )]
    Binary { path: PathBuf, percent: usize },
}

impl SourceError {
    /// The error with its causes on one line, for a note: `cannot read `x`: permission denied`.
    pub fn one_line(&self) -> String {
        let mut out = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(s) = source {
            out.push_str(": ");
            out.push_str(&s.to_string());
            source = s.source();
        }
        out
    }
}
