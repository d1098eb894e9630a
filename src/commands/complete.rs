//! `__complete`: cobra's completion protocol, which kubectl (1.26+) speaks to a plugin
//! through the executable `kubectl_complete-rootcause` on `PATH` (printed by `completion
//! kubectl-plugin`). It is run with the words after the plugin's name, the last one being the
//! word under the cursor (maybe empty), and answers one candidate a line (`value\tdescription`)
//! and then `:DIRECTIVE`, cobra's `ShellCompDirective` bits. The candidates come from the
//! command line's own definition (subcommands, flags, the values of `-o`, the cause ids of
//! `explain` and `playbooks show`); the namespaces of `-n` from one LIST against the cluster
//! (2 s at most; none when it fails). Nothing here ever fails the shell: at worst, no candidate.

use super::output::write_stdout;
use crate::error::RunError;
use crate::sources::cluster::{self, ConnectOptions};
use clap::{Arg, Command, ValueHint};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// cobra's `ShellCompDirectiveDefault`: the shell may complete file names.
const DEFAULT: u32 = 0;
/// cobra's `ShellCompDirectiveNoFileComp`: no file names.
const NO_FILE_COMP: u32 = 4;
/// cobra's `ShellCompDirectiveFilterDirs`: directory names only.
const FILTER_DIRS: u32 = 16;

/// How long the namespace LIST may take, connecting included.
const NAMESPACE_TIMEOUT: Duration = Duration::from_secs(2);

/// The answer: candidate lines and the directive.
#[derive(Debug, PartialEq, Eq)]
pub struct Completions {
    pub candidates: Vec<String>,
    pub directive: u32,
}

/// Where the cluster is, as the words being completed say (`--kubeconfig`, `--context`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}

/// Prints the completions of `words` for `cmd`.
pub fn run(cmd: Command, words: &[String]) -> Result<ExitCode, RunError> {
    let c = complete(cmd, words, &live_namespaces);
    let mut out = String::new();
    for line in &c.candidates {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!(":{}\n", c.directive));
    write_stdout(&out).map_err(RunError::write("standard output"))?;
    Ok(ExitCode::SUCCESS)
}

/// The completions of the last of `words` (the ones before it are typed already);
/// `namespaces` asks the cluster.
pub fn complete(
    mut cmd: Command,
    words: &[String],
    namespaces: &dyn Fn(&Cluster) -> Vec<String>,
) -> Completions {
    cmd.build();
    let (current, done) = match words.split_last() {
        Some((c, d)) => (c.as_str(), d),
        None => ("", &[][..]),
    };
    let mut at: &Command = &cmd;
    let mut pending: Option<&Arg> = None;
    let mut positionals = 0usize;
    let mut only_positionals = false;
    let mut cluster = Cluster::default();
    for w in done {
        if let Some(arg) = pending.take() {
            note(&mut cluster, arg, w);
            continue;
        }
        if !only_positionals && w == "--" {
            only_positionals = true;
            continue;
        }
        if !only_positionals && w.starts_with('-') && w.len() > 1 {
            if let Some(long) = w.strip_prefix("--") {
                let (name, value) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (long, None),
                };
                if let Some(arg) = find_long(at, name).filter(|a| takes_value(a)) {
                    match value {
                        Some(v) => note(&mut cluster, arg, v),
                        None => pending = Some(arg),
                    }
                }
            } else {
                // Short flags, maybe several (`-An`), the last of which may take a value.
                let shorts = &w[1..];
                for (i, c) in shorts.char_indices() {
                    if let Some(arg) = at.get_arguments().find(|a| a.get_short() == Some(c))
                        && takes_value(arg)
                    {
                        let rest = &shorts[i + c.len_utf8()..];
                        let rest = rest.strip_prefix('=').unwrap_or(rest);
                        if rest.is_empty() {
                            pending = Some(arg);
                        } else {
                            note(&mut cluster, arg, rest);
                        }
                        break;
                    }
                }
            }
            continue;
        }
        if positionals == 0
            && let Some(sub) = at.find_subcommand(w)
        {
            at = sub;
            continue;
        }
        positionals += 1;
    }
    if let Some(arg) = pending {
        return values(arg, current, "", &cluster, namespaces);
    }
    if !only_positionals && current.starts_with('-') {
        if let Some((flag, value)) = current.split_once('=')
            && let Some(arg) = flag
                .strip_prefix("--")
                .and_then(|name| find_long(at, name))
                .filter(|a| takes_value(a))
        {
            return values(arg, value, &format!("{flag}="), &cluster, namespaces);
        }
        return flags(at, current);
    }
    let mut candidates: Vec<String> = Vec::new();
    if positionals == 0 {
        for sub in at.get_subcommands().filter(|s| !s.is_hide_set()) {
            if sub.get_name().starts_with(current) {
                candidates.push(line(sub.get_name(), sub.get_about().map(|a| a.to_string())));
            }
        }
    }
    let args: Vec<&Arg> = at.get_positionals().collect();
    let next = args.get(positionals).copied().or_else(|| {
        args.last()
            .copied()
            .filter(|a| a.get_num_args().is_some_and(|n| n.max_values() > 1))
    });
    if let Some(arg) = next {
        let mut more = values(arg, current, "", &cluster, namespaces);
        if !candidates.is_empty() {
            more.directive |= NO_FILE_COMP;
        }
        candidates.append(&mut more.candidates);
        return Completions {
            candidates,
            directive: more.directive,
        };
    }
    Completions {
        candidates,
        directive: NO_FILE_COMP,
    }
}

/// Remembers the flags that say where the cluster is.
fn note(cluster: &mut Cluster, arg: &Arg, value: &str) {
    match arg.get_id().as_str() {
        "kubeconfig" => cluster.kubeconfig = Some(PathBuf::from(value)),
        "context" => cluster.context = Some(value.to_string()),
        _ => {}
    }
}

fn find_long<'a>(cmd: &'a Command, name: &str) -> Option<&'a Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|all| all.contains(&name))
    })
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_num_args().is_some_and(|n| n.takes_values())
}

/// The flags of `cmd` starting with `prefix` (`-` offers the short ones too).
fn flags(cmd: &Command, prefix: &str) -> Completions {
    let mut candidates = Vec::new();
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let help = arg.get_help().map(|h| h.to_string());
        if let Some(long) = arg.get_long() {
            let flag = format!("--{long}");
            if flag.starts_with(prefix) {
                candidates.push(line(&flag, help.clone()));
            }
        }
        if prefix == "-"
            && let Some(short) = arg.get_short()
        {
            candidates.push(line(&format!("-{short}"), help));
        }
    }
    Completions {
        candidates,
        directive: NO_FILE_COMP,
    }
}

/// The values of `arg` starting with `typed`, each after `prefix` (`--output=`).
fn values(
    arg: &Arg,
    typed: &str,
    prefix: &str,
    cluster: &Cluster,
    namespaces: &dyn Fn(&Cluster) -> Vec<String>,
) -> Completions {
    let mut candidates = Vec::new();
    if arg.get_id() == "namespace" {
        for ns in namespaces(cluster) {
            if ns.starts_with(typed) {
                candidates.push(format!("{prefix}{ns}"));
            }
        }
        return Completions {
            candidates,
            directive: NO_FILE_COMP,
        };
    }
    let possible = arg.get_possible_values();
    if !possible.is_empty() {
        for v in possible.iter().filter(|v| !v.is_hide_set()) {
            if v.get_name().starts_with(typed) {
                candidates.push(line(
                    &format!("{prefix}{}", v.get_name()),
                    v.get_help().map(|h| h.to_string()),
                ));
            }
        }
        return Completions {
            candidates,
            directive: NO_FILE_COMP,
        };
    }
    let directive = match arg.get_value_hint() {
        ValueHint::DirPath => FILTER_DIRS,
        ValueHint::AnyPath | ValueHint::FilePath | ValueHint::ExecutablePath => DEFAULT,
        _ => NO_FILE_COMP,
    };
    Completions {
        candidates,
        directive,
    }
}

/// A candidate line: the value, a tab and the first line of its description.
fn line(value: &str, description: Option<String>) -> String {
    let description = description
        .as_deref()
        .and_then(|d| d.lines().next())
        .map(|d| d.replace('\t', " "))
        .unwrap_or_default();
    if description.is_empty() {
        value.to_string()
    } else {
        format!("{value}\t{description}")
    }
}

/// The cluster's namespaces (one LIST, [`NAMESPACE_TIMEOUT`] at most), or none.
fn live_namespaces(c: &Cluster) -> Vec<String> {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    // The other connection settings keep their defaults.
    let opts = ConnectOptions {
        kubeconfig: c.kubeconfig.clone(),
        context: c.context.clone(),
        request_timeout: Some(NAMESPACE_TIMEOUT),
        ..Default::default()
    };
    runtime.block_on(async {
        let list = async {
            let conn = cluster::connect(&opts).await.ok()?;
            cluster::namespaces(&conn).await.ok()
        };
        tokio::time::timeout(NAMESPACE_TIMEOUT, list)
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut w: Vec<String> = s.split(' ').map(String::from).collect();
        if s.is_empty() {
            w = vec![String::new()];
        }
        w
    }

    fn ask(line: &str) -> Completions {
        complete(crate::cli::command_for("kubedoctor"), &words(line), &|c| {
            let mut ns = vec!["default".to_string(), "shop".to_string()];
            if let Some(ctx) = &c.context {
                ns.push(format!("from-{ctx}"));
            }
            ns
        })
    }

    fn values_of(c: &Completions) -> Vec<&str> {
        c.candidates
            .iter()
            .map(|l| l.split('\t').next().unwrap())
            .collect()
    }

    #[test]
    fn subcommands_by_prefix_without_hidden_ones() {
        let c = ask("di");
        assert_eq!(values_of(&c), ["diagnose"]);
        assert_eq!(c.directive, NO_FILE_COMP);
        assert!(c.candidates[0].starts_with("diagnose\tDiagnose pods"));
        let all = ask("");
        assert!(values_of(&all).contains(&"playbooks"));
        assert!(!values_of(&all).contains(&"__complete"));
        assert_eq!(values_of(&ask("playbooks sh")), ["show"]);
    }

    #[test]
    fn flags_of_the_subcommand() {
        let c = ask("diagnose --na");
        assert_eq!(values_of(&c), ["--namespace"]);
        assert!(values_of(&ask("diagnose -")).contains(&"-n"));
        assert!(values_of(&ask("diagnose --")).contains(&"--fail-on"));
    }

    #[test]
    fn values_of_namespaces_formats_and_causes() {
        let c = ask("diagnose -n s");
        assert_eq!(values_of(&c), ["shop"]);
        assert_eq!(c.directive, NO_FILE_COMP);
        assert_eq!(
            values_of(&ask("diagnose --namespace=s")),
            ["--namespace=shop"]
        );
        // The cluster the words name is the one asked.
        assert!(values_of(&ask("diagnose --context lab -n ")).contains(&"from-lab"));
        let formats = values_of(&ask("report -o ")).join(" ");
        assert!(
            formats.contains("json") && formats.contains("markdown"),
            "{formats}"
        );
        assert_eq!(values_of(&ask("diagnose -o mark")), ["markdown"]);
        assert!(values_of(&ask("explain crash.o")).contains(&"crash.oom"));
        assert!(values_of(&ask("playbooks show image.")).contains(&"image.not-found"));
        // After the cause id, nothing more is expected.
        assert!(ask("explain crash.oom ").candidates.is_empty());
    }

    #[test]
    fn paths_are_left_to_the_shell() {
        assert_eq!(ask("diagnose --from ").directive, DEFAULT);
        assert_eq!(ask("diagnose --from=").directive, DEFAULT);
        // A flag's value is not a subcommand or a positional.
        assert_eq!(
            values_of(&ask("diagnose -n shop --from bundle ")),
            Vec::<&str>::new()
        );
    }
}
