//! `--capture-dir`: a new problem's evidence as a bundle (`diagnose --from` reads it to the
//! same finding). The bundle was written, whole, under a pending name while the pod was
//! diagnosed (`gather.rs`); a new problem renames it to `TIME-NAMESPACE-POD`, anything else
//! removes it. At most `--capture-max` bundles are kept: the oldest go first, each with a
//! note.

use std::path::{Path, PathBuf};

/// The bundle's name: UTC time, namespace and pod (`20261208T020000Z-shop-web-1`).
pub fn name(at: jiff::Timestamp, pod: &str) -> String {
    let time = at
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let safe: String = pod
        .chars()
        .map(|c| if c == '/' { '-' } else { c })
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect();
    format!("{time}-{safe}")
}

/// Renames the pending bundle to its name (a `-2`, `-3` ... suffix when taken).
pub fn keep(
    pending: &Path,
    dir: &Path,
    at: jiff::Timestamp,
    pod: &str,
) -> std::io::Result<PathBuf> {
    let base = name(at, pod);
    let mut target = dir.join(&base);
    let mut n = 2;
    while target.exists() {
        target = dir.join(format!("{base}-{n}"));
        n += 1;
    }
    std::fs::rename(pending, &target)?;
    Ok(target)
}

/// Removes a pending bundle that is not kept.
pub fn discard(pending: &Path) {
    let _ = std::fs::remove_dir_all(pending);
}

/// Removes this process's pending bundles left when it ends (diagnoses cut short).
pub fn remove_pending(dir: &Path) {
    let prefix = format!(".pending-{}-", std::process::id());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // The pending bundle, or the temporary directory it was being written in.
        if name.starts_with(&prefix) || name.starts_with(&format!(".{prefix}")) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Removes the oldest bundles beyond `max`; a note for each.
pub fn prune(dir: &Path, max: usize) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut bundles: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            !n.starts_with('.') && n.as_bytes().first().is_some_and(u8::is_ascii_digit)
        })
        .map(|e| e.path())
        .collect();
    // Named by the second they were written; within one second, by modification time.
    let age = |p: &PathBuf| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().chars().take(16).collect::<String>());
        let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok();
        (name, modified, p.clone())
    };
    bundles.sort_by_cached_key(age);
    let excess = bundles.len().saturating_sub(max);
    let mut notes = Vec::new();
    for old in bundles.into_iter().take(excess) {
        match std::fs::remove_dir_all(&old) {
            Ok(()) => notes.push(format!(
                "removed the oldest capture {} (--capture-max {max})",
                old.display()
            )),
            Err(e) => notes.push(format!(
                "cannot remove the old capture {}: {e}",
                old.display()
            )),
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_are_named_by_time_namespace_and_pod_and_pruned_oldest_first() {
        let at: jiff::Timestamp = "2026-12-08T02:00:00Z".parse().unwrap();
        assert_eq!(name(at, "shop/web-1"), "20261208T020000Z-shop-web-1");
        let dir = tempfile::tempdir().unwrap();
        for (i, pod) in ["shop/a", "shop/b", "shop/c"].iter().enumerate() {
            let pending = dir.path().join(format!(".pending-{i}"));
            std::fs::create_dir(&pending).unwrap();
            let t = at + jiff::SignedDuration::from_secs(i as i64);
            keep(&pending, dir.path(), t, pod).unwrap();
        }
        let notes = prune(dir.path(), 2);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("20261208T020000Z-shop-a"), "{notes:?}");
        assert!(!dir.path().join("20261208T020000Z-shop-a").exists());
        assert!(dir.path().join("20261208T020002Z-shop-c").exists());
    }
}
