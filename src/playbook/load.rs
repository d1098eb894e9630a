//! Loading playbooks: the ones embedded in the binary, then user directories that add or
//! override (a file with the same name replaces the shipped file; a cause with a shipped
//! cause's id replaces that cause).

use super::PlaybookError;
use super::compile::{Cause, InferRule, Matcher, Playbook, compile_file};
use super::fields::Field;
use super::log_patterns::LogPatterns;
use std::collections::HashMap;
use std::path::Path;

/// The playbooks shipped in the binary, as `(file name, YAML text)`.
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    include!(concat!(env!("OUT_DIR"), "/embedded_playbooks.rs"))
}

/// A checked set of playbooks, in file order.
#[derive(Debug, Clone)]
pub struct Playbooks {
    pub files: Vec<Playbook>,
    /// Every log regex of every cause, as one set.
    pub log_patterns: LogPatterns,
}

impl Playbooks {
    /// The embedded playbooks.
    pub fn embedded() -> Result<Playbooks, PlaybookError> {
        let files = embedded_files()
            .iter()
            .map(|(name, text)| compile_file(name, text))
            .collect::<Result<Vec<_>, _>>()?;
        Playbooks::from_files(files)
    }

    /// The embedded playbooks plus the `*.yaml` files of each directory, in order.
    pub fn with_dirs(dirs: &[impl AsRef<Path>]) -> Result<Playbooks, PlaybookError> {
        let mut set = Playbooks::embedded()?;
        for dir in dirs {
            set = set.overlay(read_dir(dir.as_ref())?)?;
        }
        Ok(set)
    }

    /// Only the playbooks of one directory (for `playbooks lint DIR`).
    pub fn from_dir(dir: &Path) -> Result<Playbooks, PlaybookError> {
        Playbooks::from_files(read_dir(dir)?)
    }

    fn from_files(files: Vec<Playbook>) -> Result<Playbooks, PlaybookError> {
        unique_ids(&files)?;
        let mut patterns = Vec::new();
        for f in &files {
            let rules = f.infer.iter().flat_map(|r| r.when.iter());
            for c in &f.causes {
                let fix_when = c.fixes.iter().flat_map(|f| f.when.iter());
                for m in c
                    .when
                    .iter()
                    .chain(c.boost.iter().map(|(m, _)| m))
                    .chain(fix_when)
                {
                    let mut leaves = Vec::new();
                    m.leaves(&mut leaves);
                    for l in leaves {
                        if let Matcher::Text {
                            field: Field::Log | Field::LogCurrent | Field::LogPrevious,
                            re,
                        } = l
                        {
                            patterns.push(re.as_str().to_string());
                        }
                    }
                }
            }
            for m in rules {
                for re in log_regexes(m) {
                    patterns.push(re);
                }
            }
        }
        let log_patterns =
            LogPatterns::new(patterns.iter().map(String::as_str)).map_err(|e| PlaybookError {
                file: "(all playbooks)".into(),
                cause: None,
                field: None,
                message: format!("the log patterns do not compile as one set: {e}"),
            })?;
        Ok(Playbooks {
            files,
            log_patterns,
        })
    }

    fn overlay(mut self, user: Vec<Playbook>) -> Result<Playbooks, PlaybookError> {
        // A user's id replaces a shipped cause, but two of the user's own files may not
        // define the same id: which one wins would depend on file order.
        unique_ids(&user)?;
        for u in user {
            self.files.retain(|f| f.file != u.file);
            for f in &mut self.files {
                f.causes
                    .retain(|c| !u.causes.iter().any(|uc| uc.id == c.id));
            }
            self.files.push(u);
        }
        Playbooks::from_files(self.files)
    }

    /// Every cause with the file it is in, in order.
    pub fn causes(&self) -> impl Iterator<Item = (&Playbook, &Cause)> {
        self.files
            .iter()
            .flat_map(|f| f.causes.iter().map(move |c| (f, c)))
    }

    /// Every status inference rule with the file it is in, in order.
    pub fn infer_rules(&self) -> impl Iterator<Item = (&Playbook, &InferRule)> {
        self.files
            .iter()
            .flat_map(|f| f.infer.iter().map(move |r| (f, r)))
    }

    /// A cause by id.
    pub fn cause(&self, id: &str) -> Option<&Cause> {
        self.causes().map(|(_, c)| c).find(|c| c.id == id)
    }
}

/// Every cause id appears once across `files`.
fn unique_ids(files: &[Playbook]) -> Result<(), PlaybookError> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for f in files {
        for c in &f.causes {
            if let Some(first) = seen.insert(&c.id, &f.file) {
                return Err(PlaybookError {
                    file: f.file.clone(),
                    cause: Some(c.id.clone()),
                    field: Some("id".into()),
                    message: format!("duplicate id: already defined in `{first}`"),
                });
            }
        }
    }
    Ok(())
}

/// The log regexes of a matcher.
fn log_regexes(m: &Matcher) -> Vec<String> {
    let mut leaves = Vec::new();
    m.leaves(&mut leaves);
    leaves
        .into_iter()
        .filter_map(|l| match l {
            Matcher::Text {
                field: Field::Log | Field::LogCurrent | Field::LogPrevious,
                re,
            } => Some(re.as_str().to_string()),
            _ => None,
        })
        .collect()
}

fn read_dir(dir: &Path) -> Result<Vec<Playbook>, PlaybookError> {
    let io_err = |e: std::io::Error| PlaybookError {
        file: dir.display().to_string(),
        cause: None,
        field: None,
        message: format!("cannot read playbook directory: {e}"),
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io_err)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(p).map_err(|e| PlaybookError {
                file: p.display().to_string(),
                cause: None,
                field: None,
                message: format!("cannot read: {e}"),
            })?;
            compile_file(&name, &text)
        })
        .collect()
}
