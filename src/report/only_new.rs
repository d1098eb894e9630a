//! `--only-new` for a person: the report as the human formats (text, Markdown, HTML) show it,
//! narrowed to the problems new since the baseline, as the webhook message and the exit code
//! are. The machine formats keep every problem: the JSON report is the next run's baseline,
//! and an ongoing problem left out of it would come back as new.

use super::Report;
use crate::engine::Change;
use std::collections::HashSet;

impl Report {
    /// The report without its ongoing problems (their pods and Services too), with a note
    /// counting them; unchanged when nothing is ongoing (no baseline, or a re-baseline).
    pub fn only_new(&self) -> Report {
        let ongoing = |change: Option<Change>| change == Some(Change::Ongoing);
        let hidden = self.groups.iter().filter(|g| ongoing(g.change)).count();
        if hidden == 0 {
            return self.clone();
        }
        let mut out = self.clone();
        let (left, kept): (Vec<_>, Vec<_>) =
            out.groups.into_iter().partition(|g| ongoing(g.change));
        out.groups = kept;
        {
            let pods: HashSet<&str> = left
                .iter()
                .flat_map(|g| g.pods.iter())
                .map(String::as_str)
                .collect();
            let services: HashSet<&str> = left
                .iter()
                .flat_map(|g| g.services.iter())
                .map(String::as_str)
                .collect();
            out.pods.retain(|p| {
                !pods.contains(crate::words::qualified(&p.namespace, &p.name).as_str())
            });
            out.services.retain(|s| {
                !services.contains(crate::words::qualified(&s.namespace, &s.name).as_str())
            });
        }
        out.hidden_ongoing = left;
        out.notes.push(format!(
            "{} not shown (--only-new); the JSON report keeps {}",
            match hidden {
                1 => "1 ongoing problem is".to_string(),
                n => format!("{n} ongoing problems are"),
            },
            if hidden == 1 { "it" } else { "them" }
        ));
        out
    }
}
