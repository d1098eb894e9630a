//! File-system helpers of the bundle reader: finding object files, listing log files,
//! reading text with the path in every error.

use crate::sources::SourceError;
use std::path::{Path, PathBuf};

/// `NAME.json`, `NAME.yaml` or `NAME.yml`, the first that exists.
pub fn find_object_file(dir: &Path, name: &str) -> Option<PathBuf> {
    ["json", "yaml", "yml"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

/// Reads a whole file as text, in whichever encoding (see [`crate::sources::read`]).
pub fn read_text(path: &Path) -> Result<String, SourceError> {
    std::fs::read(path)
        .map(crate::sources::read::decode)
        .map_err(|source| SourceError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Regular files directly in `dir`, sorted by name.
pub fn files_in(dir: &Path, notes: &mut Vec<String>) -> Vec<PathBuf> {
    entries(dir, notes, Path::is_file)
}

fn dirs_in(dir: &Path, notes: &mut Vec<String>) -> Vec<PathBuf> {
    entries(dir, notes, Path::is_dir)
}

/// Entries of `dir` that pass `keep`, sorted; an unreadable directory is a note.
fn entries(dir: &Path, notes: &mut Vec<String>, keep: fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| keep(p))
            .collect(),
        Err(e) => {
            notes.push(format!("cannot list `{}`: {e}", dir.display()));
            Vec::new()
        }
    };
    out.sort();
    out
}

/// `(namespace, pod, file)` for every `logs/NS/POD/*.log`.
pub fn log_files(logs: &Path, notes: &mut Vec<String>) -> Vec<(String, String, PathBuf)> {
    let mut out = Vec::new();
    for ns in dirs_in(logs, notes) {
        let ns_name = ns
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        for pod in dirs_in(&ns, notes) {
            let pod_name = pod
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            for f in entries(&pod, notes, |_| true) {
                if f.extension().is_none_or(|e| e != "log") {
                    continue;
                }
                if f.is_file() {
                    out.push((ns_name.clone(), pod_name.clone(), f));
                } else {
                    notes.push(format!(
                        "`{}` is not a file: that log was not read",
                        f.display()
                    ));
                }
            }
        }
    }
    out
}
