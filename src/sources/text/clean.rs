//! Normalising pasted text: ANSI colors, CRLF, tabs, Markdown fences, shell prompt lines.
//! Prompt lines are kept as segment boundaries (a paste of several commands' output).

use regex::Regex;
use std::sync::LazyLock;

static ANSI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07").expect("valid ANSI regex")
});

/// A command line someone pasted with its output: `$ kubectl describe pod x`,
/// `user@host ~/dir (branch)$ k describe pod -n ns x | tail`, `> ~ k describe pods x`.
static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\S.*?[$#%>❯]\s*|[$#%>❯]\s*.*?\s)?(?:sudo\s+)?(?:kubectl|oc|k|microk8s\s+kubectl|k3s\s+kubectl|journalctl)\s+(?:describe|get|logs|-[-\w])",
    )
    .expect("valid prompt regex")
});

/// One line of cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// A shell prompt with a command: output of another command starts after it.
    pub prompt: bool,
}

/// Cleans pasted text into lines.
pub fn clean(text: &str) -> Vec<Line> {
    let text = ANSI.replace_all(text, "");
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.trim_end_matches('\r').replace('\t', "    "))
        .filter(|l| !l.trim_start().starts_with("```"))
        .map(|l| {
            let trimmed = l.trim_end().to_string();
            Line {
                prompt: is_prompt(&trimmed),
                text: trimmed,
            }
        })
        .collect()
}

fn is_prompt(line: &str) -> bool {
    let t = line.trim_start();
    t.len() < 400 && PROMPT.is_match(t)
}

/// Indentation of a line, in spaces.
pub fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_ansi_crlf_fences_and_marks_prompts() {
        let lines = clean("```\r\n$ kubectl describe pod x\r\n\x1b[31mName:\x1b[0m\tx\r\n```\n");
        assert_eq!(lines.len(), 2);
        assert!(lines[0].prompt);
        assert_eq!(lines[1].text, "Name:    x");
        assert!(!lines[1].prompt);
        assert!(is_prompt(
            "blair@system76-pc ~/jupyter-apis (lower-gpu-cpu-request)$ k describe pod -n blair x-0 | tail"
        ));
        assert!(is_prompt("> ~ k describe pods svclb-92p9s -n istio-system"));
        assert!(is_prompt("kubectl describe pod stuck-pod"));
        assert!(is_prompt("$ oc --context app.ci -n ci get pods -l app=x"));
        assert!(!is_prompt("Name:             web-1"));
        assert!(!is_prompt(
            "  Warning  Failed  2s  kubelet  Error: ErrImagePull"
        ));
    }
}
