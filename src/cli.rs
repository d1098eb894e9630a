//! Command-line definitions (clap derive), kubectl-style: `-n`, `-A`, `-l`, `-o`, and
//! kubectl's connection flags (`connection`). Parsing only; `commands` does the work.

use crate::report::FailOn;
use crate::report::render::Format;
use crate::report::render::notify::WebhookFormat;
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod connection;
mod watch;
pub use connection::{ConnectionArgs, Token};
pub use watch::{WatchArgs, WatchFormat};

/// Tells you why a Kubernetes pod is broken and what to type to fix it.
#[derive(Debug, Parser)]
#[command(name = "kubedoctor", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose pods: work out each pod's status, match the playbooks, rank root causes.
    #[command(after_help = "Examples:\n  \
        kubedoctor diagnose --from samples/demo-cluster\n  \
        kubedoctor diagnose --from bundle/ -n shop web-7d9c-x2k4q\n  \
        kubedoctor diagnose --from bundle/ -A -l app=web -o json --fail-on critical")]
    Diagnose(Box<DiagnoseArgs>),
    /// A health report organised by problem, for cron jobs and tickets: groups of pods that
    /// share a root cause, most important first, and what changed since `--baseline`.
    #[command(after_help = "Examples:\n  \
        kubedoctor report --from samples/demo-cluster\n  \
        kubedoctor report -A -o json --output-file report.json --baseline last.json --fail-on critical --only-new\n  \
        kubedoctor report -A -o markdown > ticket.md")]
    Report(Box<DiagnoseArgs>),
    /// Capture an evidence bundle from a live cluster, for a ticket or for `diagnose --from`.
    #[command(
        after_help = "Examples:\n  kubedoctor capture -n shop --dir bundle/\n  kubedoctor capture deployment/web -n shop --dir web-bundle/",
        mut_arg("pods", |a| a.help("Pods to capture by name, or targets: deployment/NAME, statefulset/NAME, daemonset/NAME, replicaset/NAME, job/NAME, cronjob/NAME, node/NAME (default: every pod in scope)")),
        mut_arg("all_namespaces", |a| a.help("All namespaces (default: the kubeconfig context's namespace)"))
    )]
    Capture(CaptureArgs),
    /// Watch pods as they break: one line per problem that appears, changes or resolves,
    /// with its finding (same grouping as `report`); optional evidence bundles and webhooks.
    #[command(after_help = "Examples:\n  \
        kubedoctor watch -n shop\n  \
        kubedoctor watch -A -o json --capture-dir /var/lib/kubedoctor/captures\n  \
        kubedoctor watch deployment/web -n shop --webhook https://hooks.example.test/T0")]
    Watch(Box<WatchArgs>),
    /// Explain a cause (`crash.oom`) or list the causes tried for a status (`CrashLoopBackOff`).
    #[command(
        after_help = "Examples:\n  kubedoctor explain crash.oom\n  kubedoctor explain ImagePullBackOff"
    )]
    Explain(ExplainArgs),
    /// List, show, lint and test playbooks (shipped ones, or your own directory).
    #[command(subcommand)]
    Playbooks(PlaybooksCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell), or with `kubectl-plugin`
    /// the `kubectl_complete-rootcause` helper through which kubectl completes the plugin.
    #[command(
        after_help = "Examples:\n  source <(kubedoctor completion bash)\n  kubedoctor completion zsh > \"${fpath[1]}/_kubedoctor\"\n  kubedoctor completion fish > ~/.config/fish/completions/kubedoctor.fish\n  kubedoctor completion kubectl-plugin > ~/.local/bin/kubectl_complete-rootcause"
    )]
    Completion {
        /// The shell, or `kubectl-plugin`.
        #[arg(value_enum)]
        shell: CompletionTarget,
    },
    /// Answer a completion request (cobra's `__complete` protocol, as kubectl asks a plugin).
    #[command(name = "__complete", hide = true, disable_help_flag = true)]
    Complete {
        /// The words after the program name; the last is the one being completed.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        words: Vec<String>,
    },
    /// Check a configuration file (default flags, accepted problems).
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print the manual page (roff), or write one page per command into a directory.
    #[command(
        after_help = "Examples:\n  kubedoctor man | man -l -\n  kubedoctor man --dir /usr/local/share/man/man1"
    )]
    Man {
        /// Write `kubedoctor.1` and one page per command (`kubedoctor-diagnose.1`, ...) here.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a configuration file: errors name the line and the field; exit 2 on one.
    Check {
        /// The file (default: KUBEDOCTOR_CONFIG, else the one `config path` names).
        #[arg(env = "KUBEDOCTOR_CONFIG")]
        file: Option<PathBuf>,
    },
    /// Print where the configuration file is looked for: each place, whether it exists, and
    /// the one used.
    Path {
        /// The file given (default: KUBEDOCTOR_CONFIG, else the platform's places).
        #[arg(env = "KUBEDOCTOR_CONFIG")]
        file: Option<PathBuf>,
    },
}

/// The command line, named as invoked: `kubectl rootcause` when run as the kubectl plugin
/// `kubectl-rootcause` ([`crate::invocation`]), `kubedoctor` otherwise (usage, help, examples
/// and completion follow the name).
pub fn command_for(program: &str) -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let name = crate::invocation::command_name(program);
    if name == "kubedoctor" {
        return cmd;
    }
    let examples = |s: clap::Command| {
        let help = s
            .get_after_help()
            .map(|h| h.to_string().replace("kubedoctor ", &format!("{name} ")));
        match help {
            Some(h) => s.after_help(h),
            None => s,
        }
    };
    cmd.bin_name(name.clone())
        .display_name(name.clone())
        .mut_subcommands(examples)
}

/// What `completion` prints: a shell's script, or kubectl's plugin completion helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionTarget {
    Shell(clap_complete::Shell),
    KubectlPlugin,
}

impl ValueEnum for CompletionTarget {
    fn value_variants<'a>() -> &'a [Self] {
        use clap_complete::Shell;
        &[
            Self::Shell(Shell::Bash),
            Self::Shell(Shell::Zsh),
            Self::Shell(Shell::Fish),
            Self::Shell(Shell::PowerShell),
            Self::Shell(Shell::Elvish),
            Self::KubectlPlugin,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        match self {
            Self::Shell(s) => s.to_possible_value(),
            Self::KubectlPlugin => Some(PossibleValue::new("kubectl-plugin").help(
                "the kubectl_complete-NAME script kubectl (1.26+) runs to complete the plugin",
            )),
        }
    }
}

/// The shipped cause ids, offered by shell completion where a cause id is expected (any
/// other text is still accepted: a status, or a cause of the user's own playbooks).
#[derive(Clone)]
pub struct CauseIdParser;

impl clap::builder::TypedValueParser for CauseIdParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let ids: Vec<String> = crate::playbook::Playbooks::embedded()
            .map(|p| p.causes().map(|(_, c)| c.id.clone()).collect())
            .unwrap_or_default();
        Some(Box::new(
            ids.into_iter().map(clap::builder::PossibleValue::new),
        ))
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A cause id (`crash.oom`) or a pod status (`CrashLoopBackOff`, `Init:Error`).
    #[arg(value_parser = CauseIdParser)]
    pub target: String,

    /// Add or override playbooks from a directory of YAML files (repeatable).
    #[arg(long = "playbooks", value_name = "DIR")]
    pub playbooks: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PlaybooksCommand {
    /// List every cause: id, statuses, severity, title.
    List {
        /// Output format.
        #[arg(short = 'o', long, value_enum, default_value_t = ListFormat::Text)]
        output: ListFormat,
        /// Add or override playbooks from a directory (repeatable).
        #[arg(long = "playbooks", value_name = "DIR")]
        playbooks: Vec<PathBuf>,
    },
    /// Print the YAML definition of a cause.
    Show {
        /// The cause id.
        #[arg(value_parser = CauseIdParser)]
        id: String,
        /// Add or override playbooks from a directory (repeatable).
        #[arg(long = "playbooks", value_name = "DIR")]
        playbooks: Vec<PathBuf>,
    },
    /// Check playbooks: loader errors, missing docs or samples, unreachable causes, template
    /// variables never captured. Exit 1 on an error.
    Lint(PlaybookDirArgs),
    /// Run every sample and report pass/fail per cause. Exit 1 on a failure.
    Test(PlaybookDirArgs),
    /// Print the matcher fields and built-in template variables (Markdown tables).
    Fields,
}

#[derive(Debug, Args)]
pub struct PlaybookDirArgs {
    /// A directory of playbooks (default: the shipped playbooks).
    pub dir: Option<PathBuf>,

    /// Sample bundles with `expected.yaml` files (default: DIR/samples, else ./samples).
    #[arg(long, value_name = "DIR")]
    pub samples: Option<PathBuf>,

    /// Color the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Formats of `playbooks list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// When to color the text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

/// Which pods to look at.
#[derive(Debug, Clone, Args)]
pub struct SelectArgs {
    /// Pods to diagnose by name, or targets: deployment/NAME, statefulset/NAME,
    /// daemonset/NAME, replicaset/NAME, job/NAME, cronjob/NAME, node/NAME, service/NAME
    /// (svc/NAME: the Service, its pods and its clients) (default: every pod and Service in
    /// scope); `-` reads text from standard input.
    #[arg(value_name = "TARGET")]
    pub pods: Vec<String>,

    /// Only this namespace.
    #[arg(short = 'n', long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// All namespaces (the default for a bundle or pasted text; live, the default is the
    /// kubeconfig context's namespace).
    #[arg(short = 'A', long, conflicts_with = "namespace")]
    pub all_namespaces: bool,

    /// Only pods whose labels match (`app=web,tier!=db`, `env in (prod,staging)`, `!canary`).
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub scope: SelectArgs,

    /// Read evidence from a bundle directory, a `kubectl cluster-info dump` (its directory or
    /// output), or a text file (`kubectl describe pod` output, a `get events` table, logs,
    /// journal lines, YAML/JSON); `-` reads stdin.
    #[arg(long, value_name = "DIR|FILE|-")]
    pub from: Option<PathBuf>,

    /// Attach a container log (text mode; repeatable).
    #[arg(long, value_name = "FILE")]
    pub logs: Vec<PathBuf>,

    /// Attach the previous container instance's log (`kubectl logs --previous`).
    #[arg(long = "previous-logs", value_name = "FILE")]
    pub previous_logs: Vec<PathBuf>,

    /// Attach events (`kubectl get events` table or JSON, describe Events rows, messages).
    #[arg(long, value_name = "FILE")]
    pub events: Vec<PathBuf>,

    /// Attach the node (`kubectl describe node` or `get node -o yaml`).
    #[arg(long, value_name = "FILE")]
    pub node: Vec<PathBuf>,

    /// Attach kubelet journal lines (`journalctl -u kubelet`).
    #[arg(long, value_name = "FILE")]
    pub journal: Vec<PathBuf>,

    /// Output format (default: the configuration's `output`, else text).
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,

    /// The configuration file: default flags and accepted problems (default:
    /// kubedoctor/config.yaml in the platform's configuration directory; `config path` says).
    #[arg(long, value_name = "FILE", env = "KUBEDOCTOR_CONFIG")]
    pub config: Option<PathBuf>,

    /// Color the text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Add or override playbooks from a directory of YAML files (repeatable).
    #[arg(long = "playbooks", value_name = "DIR")]
    pub playbooks: Vec<PathBuf>,

    /// Exit 1 when a pod's or Service's top finding is at or above this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// With --fail-on: only problems that are new since --baseline set the exit code (and
    /// only new problems are posted to --webhook).
    #[arg(long, requires = "baseline")]
    pub only_new: bool,

    /// A previous JSON report: mark each problem new, ongoing or resolved.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write the report to a file (atomically: a temporary file, then a rename).
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Also write the Prometheus exposition (for the node exporter's textfile collector).
    #[arg(long, value_name = "FILE")]
    pub prometheus_file: Option<PathBuf>,

    /// Do not redact secrets (tokens, passwords, keys) in the report.
    #[arg(long)]
    pub no_redact: bool,

    /// Post the problems to a webhook (repeatable; comma-separated in KUBEDOCTOR_WEBHOOK,
    /// so a CronJob can take it from a Secret). A failed delivery is exit 4.
    #[arg(
        long,
        value_name = "URL",
        env = "KUBEDOCTOR_WEBHOOK",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub webhook: Vec<String>,

    /// The webhook message: Slack Block Kit, a Teams Adaptive Card, or the JSON report
    /// (default: json).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub webhook_format: Option<WebhookFormat>,

    /// Post even when there is no problem to report (with --only-new: no new one).
    #[arg(long)]
    pub webhook_always: bool,

    /// Push the metrics to a Prometheus Pushgateway at this URL (job `kubedoctor`, grouped by
    /// the scope); a failed push is exit 4.
    #[arg(
        long,
        value_name = "URL",
        env = "KUBEDOCTOR_PUSHGATEWAY",
        hide_env_values = true
    )]
    pub pushgateway: Option<String>,

    /// Also trust the CA certificates of this PEM file for --webhook and --pushgateway (the
    /// system's stay trusted).
    #[arg(long, value_name = "FILE", env = "KUBEDOCTOR_WEBHOOK_CA")]
    pub webhook_ca: Option<PathBuf>,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

/// How to reach a live cluster (ignored with `--from`).
#[derive(Debug, Args, Clone)]
pub struct ClusterArgs {
    /// Time limit of one API request (`30s`, `1m`).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration,
          help_heading = connection::HEADING)]
    pub request_timeout: std::time::Duration,

    /// API requests for logs and journals in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub concurrency: usize,

    /// Do not ask nodes for their kubelet journal (the node log query needs `nodes/proxy`).
    #[arg(long)]
    pub no_node_journal: bool,

    #[command(flatten)]
    pub connection: Box<ConnectionArgs>,
}

// The renderers know nothing of clap: their formats (and the report's `--fail-on`
// thresholds) become command-line values here.
impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let v = PossibleValue::new(self.name());
        Some(match self {
            Format::Junit => v.help("JUnit XML for CI test reporters: a test case per pod scanned"),
            _ => v,
        })
    }
}

impl ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        &FailOn::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

impl ValueEnum for WebhookFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &WebhookFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

/// A duration as kubectl takes it: `30s`, `2m`, `1h30m`, `500ms`, `1.5s`, or plain seconds;
/// `0` means no limit.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let bad = || format!("`{s}` is not a duration (30s, 2m, 1h30m; 0 for no limit)");
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .map(std::time::Duration::from_secs)
            .map_err(|_| bad());
    }
    let d: jiff::SignedDuration = s.parse().map_err(|_| bad())?;
    std::time::Duration::try_from(d).map_err(|_| bad())
}

#[derive(Debug, Args)]
pub struct CaptureArgs {
    #[command(flatten)]
    pub scope: SelectArgs,

    /// The bundle directory to write (written beside it, then renamed into place; a
    /// non-empty directory is refused unless --force).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,

    /// Replace a non-empty --dir whole (nothing of the earlier capture is kept).
    #[arg(long)]
    pub force: bool,

    /// Do not redact secrets (tokens, passwords, keys) in logs, events and env values.
    #[arg(long)]
    pub no_redact: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_as_kubectl_takes_them() {
        assert_eq!(parse_duration("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO), "no limit");
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("soon").is_err());
        // No overflow on absurd input: an error, not a panic.
        assert!(parse_duration("99999999999999999999h").is_err());
        assert!(parse_duration("18446744073709551615").is_ok());
    }
}
