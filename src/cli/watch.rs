//! `kubedoctor watch`: its command line (parsing only; `crate::watch` does the work).

use super::{ClusterArgs, ColorChoice, SelectArgs};
use crate::report::render::notify::WebhookFormat;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// The formats of `watch`: text lines for a terminal, or JSON lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum WatchFormat {
    /// One line per change, the full finding under a new problem.
    #[default]
    Text,
    /// One JSON object per line and change (`{"change":"new"|"changed"|"resolved"|...}`).
    Json,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub scope: SelectArgs,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = WatchFormat::Text)]
    pub output: WatchFormat,

    /// Write an evidence bundle for each new problem into this directory (a subdirectory
    /// named by time, namespace and pod; `diagnose --from` reads it).
    #[arg(long, value_name = "DIR")]
    pub capture_dir: Option<PathBuf>,

    /// Keep at most this many bundles in --capture-dir; the oldest is removed first.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub capture_max: usize,

    /// How long a problem must hold before it is reported (seconds, fractions allowed, or
    /// a duration such as `500ms`).
    #[arg(long, value_name = "SECS", default_value = "2", value_parser = parse_settle)]
    pub settle: Duration,

    /// The configuration file: ignore rules and playbooks (default: kubedoctor/config.yaml in
    /// the platform's configuration directory; `config path` says).
    #[arg(long, value_name = "FILE", env = "KUBEDOCTOR_CONFIG")]
    pub config: Option<PathBuf>,

    /// Color the text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Add or override playbooks from a directory of YAML files (repeatable).
    #[arg(long = "playbooks", value_name = "DIR")]
    pub playbooks: Vec<PathBuf>,

    /// Do not redact secrets in the output and the captured bundles.
    #[arg(long)]
    pub no_redact: bool,

    /// Post each problem to a webhook when it appears and when it resolves (repeatable;
    /// comma-separated in KUBEDOCTOR_WEBHOOK). A failed delivery is a warning.
    #[arg(
        long,
        value_name = "URL",
        env = "KUBEDOCTOR_WEBHOOK",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub webhook: Vec<String>,

    /// The webhook message: Slack Block Kit, a Teams Adaptive Card, or JSON (default: json).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub webhook_format: Option<WebhookFormat>,

    /// Also trust the CA certificates of this PEM file for --webhook.
    #[arg(long, value_name = "FILE", env = "KUBEDOCTOR_WEBHOOK_CA")]
    pub webhook_ca: Option<PathBuf>,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

/// `--settle`: plain seconds with fractions (`2`, `0.2`), else a duration (`500ms`).
pub fn parse_settle(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && (0.0..=86_400.0).contains(&secs) => {
            Ok(Duration::from_secs_f64(secs))
        }
        Ok(_) => Err(format!("`{s}` is not a settle time (0 to 86400 seconds)")),
        Err(_) => super::parse_duration(s),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_settle;
    use std::time::Duration;

    #[test]
    fn settle_takes_fractions_and_durations() {
        assert_eq!(parse_settle("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_settle("0.2"), Ok(Duration::from_millis(200)));
        assert_eq!(parse_settle("500ms"), Ok(Duration::from_millis(500)));
        assert!(parse_settle("-1").is_err());
        assert!(parse_settle("NaN").is_err());
        assert!(parse_settle("soon").is_err());
    }
}
