//! What a kubeconfig error says: the file, line and key of a YAML error, never the file's
//! text. kube's own message quotes the lines around the error, which hold `token:` and
//! `client-key-data:`; it is replaced by [`crate::redact::yaml_error`] of the file that fails
//! to parse, and any other message is redacted.

use kube::config::Kubeconfig;
use std::path::{Path, PathBuf};

/// The kubeconfig files a connection reads: `--kubeconfig`, else each of `KUBECONFIG`,
/// else `~/.kube/config`.
pub fn candidates(explicit: Option<&Path>) -> Vec<PathBuf> {
    if let Some(p) = explicit {
        return vec![p.to_path_buf()];
    }
    if let Some(list) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        return std::env::split_paths(&list).collect();
    }
    std::env::var_os("HOME")
        .map(|h| vec![PathBuf::from(h).join(".kube").join("config")])
        .unwrap_or_default()
}

/// The detail of a configuration error: where the first of `files` fails to parse, else
/// the error's first line, redacted.
pub fn detail(error: &dyn std::error::Error, files: &[PathBuf]) -> String {
    files
        .iter()
        .find_map(|f| parse_failure(f))
        .unwrap_or_else(|| {
            let said = error.to_string();
            let first = said.lines().next().unwrap_or_default();
            crate::redact::text(first).into_owned()
        })
}

/// `FILE: line L, column C (key `K`): what` when `file` is not a valid kubeconfig.
fn parse_failure(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let e = serde_saphyr::from_multiple::<Kubeconfig>(&text).err()?;
    let key = e
        .location()
        .and_then(|l| crate::redact::key_at(&text, l.line()))
        .map(|k| format!(" (key `{k}`)"))
        .unwrap_or_default();
    Some(format!(
        "`{}`{key}: {}",
        file.display(),
        crate::redact::yaml_error(&e)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_kubeconfig_is_named_by_file_line_and_key_never_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config");
        std::fs::write(
            &file,
            "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: s3cr3tT0kenValue42\n    client-key-data: LS0tQUJDRA==\n   bad: [\n",
        )
        .unwrap();
        let kube_error = Kubeconfig::read_from(&file).unwrap_err();
        assert!(
            kube_error.to_string().contains("s3cr3tT0kenValue42"),
            "kube's own message quotes the file"
        );
        let said = detail(&kube_error, &candidates(Some(&file)));
        assert!(
            said.contains("config`") && said.contains("line 8"),
            "{said}"
        );
        assert!(said.contains("key `bad`"), "{said}");
        for secret in ["s3cr3tT0kenValue42", "LS0tQUJDRA", "client-key-data"] {
            assert!(!said.contains(secret), "{said}");
        }
    }
}
