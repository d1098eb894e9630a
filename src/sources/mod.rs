//! Where evidence comes from. Each source turns its input into an [`Evidence`](crate::evidence::Evidence):
//! an evidence bundle directory ([`bundle`]) or pasted text ([`text`]); Kubernetes objects are
//! converted the same way for every source ([`objects`]).

pub mod bundle;
pub mod cluster;
pub mod objects;
pub mod raw;
pub mod text;

use std::path::PathBuf;

/// Errors a source reports: which file, which object, what was wrong.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not a bundle directory or a file kubedoctor can read")]
    NotABundle { path: PathBuf },
    #[error("no pods could be read from `{path}`: {detail}")]
    Empty { path: PathBuf, detail: String },
}
