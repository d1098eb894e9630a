//! Where the configuration file is looked for: `--config` (or `KUBEDOCTOR_CONFIG`) alone
//! when given; else the platform's configuration directory (`$XDG_CONFIG_HOME`, else
//! `~/.config`, on Linux; `~/Library/Application Support` on macOS; `%APPDATA%` on Windows),
//! then the older XDG place (`$XDG_CONFIG_HOME`, else `$HOME/.config`), read only when the
//! first does not exist. On Linux the two are one.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// One place the file may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// Why it is looked at: `--config or KUBEDOCTOR_CONFIG`, `the platform's configuration
    /// directory`, ...
    pub why: &'static str,
    pub exists: bool,
}

/// The places looked at, in order, and the one used.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    pub candidates: Vec<Candidate>,
    /// Index into `candidates`.
    pub used: Option<usize>,
    /// Said when two files exist and one is not read.
    pub note: Option<String>,
}

impl Lookup {
    /// The file used, if any.
    pub fn used(&self) -> Option<&Path> {
        self.used.map(|i| self.candidates[i].path.as_path())
    }
}

/// What the lookup reads of the machine, so tests can give their own.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// The platform's configuration directory (`dirs::config_dir`).
    pub platform_dir: Option<PathBuf>,
    pub xdg_config_home: Option<OsString>,
    pub home: Option<OsString>,
}

impl Env {
    /// This machine's.
    pub fn current() -> Self {
        Env {
            platform_dir: dirs::config_dir(),
            xdg_config_home: std::env::var_os("XDG_CONFIG_HOME"),
            home: std::env::var_os("HOME"),
        }
    }
}

/// The file's name under a configuration directory.
fn under(dir: &Path) -> PathBuf {
    dir.join("kubedoctor").join("config.yaml")
}

/// Looks for the file: the flag alone when given (used whether it exists or not: reading it
/// says what is wrong), else the first candidate that exists.
pub fn lookup(flag: Option<&Path>, env: &Env, exists: impl Fn(&Path) -> bool) -> Lookup {
    if let Some(p) = flag {
        return Lookup {
            candidates: vec![Candidate {
                path: p.to_path_buf(),
                why: "--config or KUBEDOCTOR_CONFIG",
                exists: exists(p),
            }],
            used: Some(0),
            note: None,
        };
    }
    let platform = env.platform_dir.as_deref().map(under);
    let xdg = env
        .xdg_config_home
        .as_ref()
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| env.home.as_ref().map(|h| PathBuf::from(h).join(".config")))
        .map(|d| under(&d));
    let mut candidates: Vec<Candidate> = Vec::new();
    for (path, why) in [
        (platform, "the platform's configuration directory"),
        (
            xdg,
            "$XDG_CONFIG_HOME or ~/.config, read when the one above does not exist",
        ),
    ] {
        if let Some(path) = path.filter(|p| candidates.iter().all(|c| &c.path != p)) {
            let exists = exists(&path);
            candidates.push(Candidate { path, why, exists });
        }
    }
    let used = candidates.iter().position(|c| c.exists);
    let note = match (used, candidates.iter().filter(|c| c.exists).count()) {
        (Some(i), n) if n > 1 => Some(format!(
            "two configuration files exist: `{}` is used, `{}` is not read (move or remove one)",
            candidates[i].path.display(),
            candidates
                .iter()
                .skip(i + 1)
                .find(|c| c.exists)
                .map_or_else(String::new, |c| c.path.display().to_string())
        )),
        _ => None,
    };
    Lookup {
        candidates,
        used,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(home: &str, xdg: Option<&str>) -> Env {
        Env {
            platform_dir: Some(PathBuf::from(home).join("Library/Application Support")),
            xdg_config_home: xdg.map(OsString::from),
            home: Some(home.into()),
        }
    }

    #[test]
    fn on_linux_the_platform_directory_is_the_xdg_one() {
        let env = Env {
            platform_dir: Some("/h/.config".into()),
            xdg_config_home: None,
            home: Some("/h".into()),
        };
        let l = lookup(None, &env, |_| true);
        assert_eq!(l.candidates.len(), 1);
        assert_eq!(
            l.used(),
            Some(Path::new("/h/.config/kubedoctor/config.yaml"))
        );
        assert_eq!(l.note, None);
        let l = lookup(None, &env, |_| false);
        assert_eq!(l.used(), None);
    }

    #[test]
    fn elsewhere_the_old_place_is_read_when_the_new_one_does_not_exist() {
        let env = mac("/Users/u", None);
        let new = Path::new("/Users/u/Library/Application Support/kubedoctor/config.yaml");
        let old = Path::new("/Users/u/.config/kubedoctor/config.yaml");
        let l = lookup(None, &env, |p| p == old);
        let paths: Vec<&Path> = l.candidates.iter().map(|c| c.path.as_path()).collect();
        assert_eq!(paths, [new, old]);
        assert_eq!(l.used(), Some(old));
        assert_eq!(l.note, None);
        let l = lookup(None, &env, |_| true);
        assert_eq!(l.used(), Some(new));
        let note = l.note.unwrap();
        assert!(
            note.contains("Application Support") && note.contains(".config/kubedoctor"),
            "{note}"
        );
        // A relative XDG_CONFIG_HOME is ignored, as the XDG specification says.
        let l = lookup(None, &mac("/Users/u", Some("rel")), |_| false);
        assert_eq!(l.candidates[1].path, old);
        let l = lookup(None, &mac("/Users/u", Some("/x")), |_| false);
        assert_eq!(l.candidates[1].path, Path::new("/x/kubedoctor/config.yaml"));
    }

    #[test]
    fn the_flag_is_the_only_candidate_and_is_used_even_when_missing() {
        let l = lookup(Some(Path::new("c.yaml")), &mac("/Users/u", None), |_| false);
        assert_eq!(l.candidates.len(), 1);
        assert_eq!(l.used(), Some(Path::new("c.yaml")));
        assert!(!l.candidates[0].exists);
    }
}
