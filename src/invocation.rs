//! The name kubedoctor runs under: `kubedoctor`, or `kubectl rootcause` when kubectl runs it
//! as the plugin `kubectl-rootcause` (any `kubectl-NAME` file works the same way, e.g. a local
//! `kubectl-doctor` symlink is `kubectl doctor`). Usage, help, completion, man pages and the
//! commands that messages suggest all say it; [`set`] records it once per process.

use std::sync::OnceLock;

/// The kubectl plugin name (krew's `metadata.name`): `kubectl rootcause`.
pub const PLUGIN: &str = "rootcause";

/// The name when not run as a kubectl plugin.
const OWN: &str = "kubedoctor";

static NAME: OnceLock<String> = OnceLock::new();

/// What a user types to run `program` (argv\[0\]): for `kubectl-NAME` kubectl's plugin rules
/// apply (`-` separates words, `_` is a dash: `kubectl-root_cause` is `kubectl root-cause`),
/// anything else is `kubedoctor`.
pub fn command_name(program: &str) -> String {
    let stem = std::path::Path::new(program)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(OWN);
    match stem.strip_prefix("kubectl-") {
        Some(rest) if !rest.is_empty() => {
            format!("kubectl {}", rest.replace('-', " ").replace('_', "-"))
        }
        _ => OWN.to_string(),
    }
}

/// Records the name of this process from argv\[0\] (the first call wins).
pub fn set(program: &str) {
    let _ = NAME.set(command_name(program));
}

/// The name this process runs under (`kubedoctor` until [`set`]).
pub fn name() -> &'static str {
    NAME.get().map_or(OWN, String::as_str)
}

/// A command to suggest in a message, under the name the user typed:
/// `command("playbooks list")` is `kubectl rootcause playbooks list` in the plugin.
pub fn command(rest: &str) -> String {
    format!("{} {rest}", name())
}

#[cfg(test)]
mod tests {
    use super::command_name;

    #[test]
    fn names_follow_kubectl_plugin_rules() {
        assert_eq!(command_name("/usr/bin/kubedoctor"), "kubedoctor");
        assert_eq!(command_name("kubectl-rootcause"), "kubectl rootcause");
        assert_eq!(
            command_name("/home/u/.krew/bin/kubectl-rootcause"),
            "kubectl rootcause"
        );
        assert_eq!(command_name("kubectl-rootcause.exe"), "kubectl rootcause");
        assert_eq!(command_name("kubectl-doctor"), "kubectl doctor");
        assert_eq!(command_name("kubectl-root_cause"), "kubectl root-cause");
        assert_eq!(command_name("kubectl-"), "kubedoctor");
        assert_eq!(command_name(""), "kubedoctor");
    }
}
