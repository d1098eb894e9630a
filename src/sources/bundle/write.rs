//! Writing a [`Gathered`] as a bundle directory (`kubedoctor capture`): the same files a
//! user makes by hand with kubectl, plus `bundle.json` with time, scope, server version and
//! notes. Files are written to a temporary name and renamed, so a reader never sees half
//! a file.

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

/// Writes the bundle into `dir` (created if needed).
pub fn write(dir: &Path, raw: &Gathered, info: &CaptureInfo) -> Result<(), SourceError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SourceError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    // The objects as the API returned them (a bundle is what kubectl would have saved).
    let empty = ApiObjects::default();
    let objects = raw.api_objects.as_ref().unwrap_or(&empty);
    write_list(dir, "pods", Some(&objects.pods))?;
    write_list(dir, "events", objects.events.as_ref())?;
    write_list(dir, "nodes", objects.nodes.as_ref())?;
    write_list(dir, "replicasets", objects.replicasets.as_ref())?;
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
