//! Writing a [`Gathered`] as a bundle directory (`kubedoctor capture`): the same files a
//! user makes by hand with kubectl, plus `bundle.json` with time, scope, server version and
//! notes. The bundle is written into a temporary directory beside the target and renamed
//! into place, replacing whatever was there whole: a reader never sees half a bundle, and
//! no file of an earlier capture (logs, journals, `replicasets.json`) stays in it.

use crate::sources::SourceError;
use crate::sources::raw::{ApiObjects, Gathered};
use serde::Serialize;
use serde_json::{Value, json};
use std::path::Path;

/// What `bundle.json` records besides the raw evidence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaptureInfo {
    pub scope: String,
    pub server_version: Option<String>,
    pub kubedoctor_version: String,
}

/// A directory that exists and holds something (`capture` refuses it without `--force`).
pub fn holds_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SourceError + use<> {
    let path = path.to_path_buf();
    move |source| SourceError::Io { path, source }
}

/// Writes the bundle as `dir`: into a temporary directory beside it, then renamed into place
/// (an existing `dir` is replaced whole; the caller decides whether it may be).
pub fn write(dir: &Path, raw: &Gathered, info: &CaptureInfo) -> Result<(), SourceError> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle".into());
    let prefix = format!(".{name}.kubedoctor-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // Created with 0777: the kernel takes the umask off, as for `mkdir`.
        builder.permissions(std::fs::Permissions::from_mode(0o777));
    }
    let tmp = builder.tempdir_in(parent).map_err(io(parent))?;
    write_into(tmp.path(), raw, info)?;
    let old = if dir.exists() {
        let aside = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)
            .map_err(io(parent))?;
        // The earlier bundle moves aside (into a fresh empty directory's place), the new one
        // takes its name, and the earlier one is removed.
        std::fs::rename(dir, aside.path()).map_err(io(dir))?;
        Some(aside)
    } else {
        None
    };
    let built = tmp.keep();
    if let Err(e) = std::fs::rename(&built, dir) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old.path(), dir);
        }
        let _ = std::fs::remove_dir_all(&built);
        return Err(io(dir)(e));
    }
    drop(old);
    Ok(())
}

/// Writes every file of the bundle into `dir`, which exists and is empty.
fn write_into(dir: &Path, raw: &Gathered, info: &CaptureInfo) -> Result<(), SourceError> {
    // The objects as the API returned them (a bundle is what kubectl would have saved).
    let empty = ApiObjects::default();
    let objects = raw.api_objects.as_ref().unwrap_or(&empty);
    write_list(dir, "pods", Some(&objects.pods))?;
    write_list(dir, "events", objects.events.as_ref())?;
    write_list(dir, "nodes", objects.nodes.as_ref())?;
    write_list(dir, "replicasets", objects.replicasets.as_ref())?;
    write_list(dir, "jobs", objects.jobs.as_ref())?;
    write_list(dir, "pvcs", objects.pvcs.as_ref())?;
    write_list(dir, "services", objects.services.as_ref())?;
    write_list(dir, "endpointslices", objects.endpointslices.as_ref())?;
    write_list(dir, "endpoints", objects.endpoints.as_ref())?;
    write_list(dir, "serviceaccounts", objects.serviceaccounts.as_ref())?;
    write_list(dir, "system-pods", objects.system_pods.as_ref())?;
    for log in &raw.logs {
        let d = dir.join("logs").join(&log.namespace).join(&log.pod);
        std::fs::create_dir_all(&d).map_err(io(&d))?;
        let name = if log.previous {
            format!("{}.previous.log", log.container)
        } else {
            format!("{}.log", log.container)
        };
        atomic_write(&d.join(name), log.text.as_bytes())?;
    }
    if !raw.journals.is_empty() {
        let d = dir.join("journal");
        std::fs::create_dir_all(&d).map_err(io(&d))?;
        for (node, text) in &raw.journals {
            atomic_write(&d.join(format!("{node}.log")), text.as_bytes())?;
        }
    }
    let meta = json!({
        "captured_at": raw.captured_at.map(|t| t.to_string()),
        "scope": info.scope,
        "server_version": info.server_version,
        "kubedoctor_version": info.kubedoctor_version,
        "notes": raw.notes,
    });
    atomic_write(&dir.join("bundle.json"), pretty(&meta).as_bytes())
}

fn write_list<T: Serialize>(
    dir: &Path,
    name: &str,
    items: Option<&Vec<T>>,
) -> Result<(), SourceError> {
    let Some(items) = items else {
        return Ok(());
    };
    let list = json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items});
    atomic_write(&dir.join(format!("{name}.json")), pretty(&list).as_bytes())
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("JSON values serialize") + "\n"
}

/// Writes a file of the bundle atomically, naming it in the error.
fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), SourceError> {
    crate::sinks::file::atomic_write(path, bytes).map_err(|source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    })
}
