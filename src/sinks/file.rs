//! Writing a file whole or not at all: a uniquely named temporary file in the same
//! directory, then a rename over the target (tempfile's `persist`). Two runs writing the same
//! report (two cron jobs) never share a temporary file, and a reader never sees half a file.
//! The file gets the mode `>` would give it: a new file 0666 less the umask (0644 under 022),
//! so a node exporter or a web server can read it; a file that exists keeps its mode.

use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to `path` atomically.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kubedoctor-").suffix(".tmp");
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // Created with 0666: the kernel takes the umask off, as for `>`.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(p) = existing {
        tmp.as_file().set_permissions(p)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::atomic_write;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.json");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(atomic_write(&dir.path().join("no/such/dir/x"), b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_has_the_mode_a_shell_redirect_gives_and_an_old_one_keeps_its_own() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // `std::fs::write` creates with 0666 less the umask, as `>` does.
        let shell = dir.path().join("shell.txt");
        std::fs::write(&shell, b"x").unwrap();
        let ours = dir.path().join("report.prom");
        atomic_write(&ours, b"x").unwrap();
        assert_eq!(mode(&ours), mode(&shell));
        assert_ne!(mode(&ours), 0o600, "not a private temporary file's mode");
        std::fs::set_permissions(&ours, std::fs::Permissions::from_mode(0o640)).unwrap();
        atomic_write(&ours, b"y").unwrap();
        assert_eq!(mode(&ours), 0o640);
    }
}
