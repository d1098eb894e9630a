//! `--fail-on` (and the configuration's `fail-on`): the lowest severity of a top finding that
//! makes a run exit 1. The command line's spelling of it is the CLI's (`cli.rs`); this is the
//! value the report is judged by.

use crate::playbook::Severity;

/// The lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Critical,
    Warning,
    Info,
    /// Never fail on findings.
    None,
}

impl FailOn {
    /// Every threshold, in the order `--help` lists them.
    pub const ALL: [FailOn; 4] = [
        FailOn::Critical,
        FailOn::Warning,
        FailOn::Info,
        FailOn::None,
    ];

    /// The name on the command line and in the configuration file.
    pub fn name(self) -> &'static str {
        match self {
            FailOn::Critical => "critical",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::None => "none",
        }
    }

    /// The threshold as a severity (`None` never fails).
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_are_what_the_configuration_file_spells() {
        for f in FailOn::ALL {
            let parsed: FailOn = serde_saphyr::from_str(f.name()).unwrap();
            assert_eq!(parsed, f);
        }
    }
}
